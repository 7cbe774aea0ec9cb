"""Configuration from the environment: defaults, URL rewriting, the secret key and cookie settings."""

from __future__ import annotations

import os
import stat

import pytest

import config
from app import create_app

ENVIRONMENT_VARIABLES = [
    "RISKREGISTRET_ENV",
    "SECRET_KEY",
    "DATABASE_URL",
    "MAX_UPLOAD_MB",
    "SESSION_COOKIE_SECURE",
    "RISKREGISTRET_YEAR",
]


@pytest.fixture
def clean_env(monkeypatch):
    """No setting leaks in from the shell that runs the tests."""
    for name in ENVIRONMENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults(clean_env, tmp_path):
    settings = config.from_environment(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'riskregistret.sqlite3'}"
    assert settings["ENVIRONMENT"] == "development"
    assert settings["SECRET_KEY"] is None
    assert settings["MAX_CONTENT_LENGTH"] == 10 * 1024 * 1024
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["CURRENT_YEAR"] is None


def test_database_url_from_the_environment_is_rewritten(clean_env, tmp_path):
    clean_env.setenv("DATABASE_URL", "postgres://rr:hemligt@db.example:5432/riskregistret")
    settings = config.from_environment(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://rr:hemligt@db.example:5432/riskregistret"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/rr", "postgresql+psycopg://u:p@h:5432/rr"),
        ("postgresql://u:p@h/rr", "postgresql+psycopg://u:p@h/rr"),
        ("postgresql+psycopg://u@h/rr", "postgresql+psycopg://u@h/rr"),
        ("sqlite:////var/lib/rr/rr.sqlite3", "sqlite:////var/lib/rr/rr.sqlite3"),
        ("sqlite://", "sqlite://"),
    ],
)
def test_database_url(given, expected):
    assert config.database_url(given) == expected


@pytest.mark.parametrize(("megabytes", "limit"), [("1", 1024 * 1024), ("25", 25 * 1024 * 1024)])
def test_max_content_length_from_max_upload_mb(clean_env, tmp_path, megabytes, limit):
    clean_env.setenv("MAX_UPLOAD_MB", megabytes)
    assert config.from_environment(str(tmp_path))["MAX_CONTENT_LENGTH"] == limit


@pytest.mark.parametrize(("value", "secure"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("", False)])
def test_secure_cookies_can_be_switched_on(clean_env, tmp_path, value, secure):
    clean_env.setenv("SESSION_COOKIE_SECURE", value)
    settings = config.from_environment(str(tmp_path))
    assert settings["SESSION_COOKIE_SECURE"] is secure
    assert settings["REMEMBER_COOKIE_SECURE"] is secure


def test_current_year_from_the_environment(clean_env, tmp_path):
    clean_env.setenv("RISKREGISTRET_YEAR", "2019")
    assert config.from_environment(str(tmp_path))["CURRENT_YEAR"] == 2019


def test_cookie_settings(clean_env, tmp_path):
    settings = config.from_environment(str(tmp_path))
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["REMEMBER_COOKIE_HTTPONLY"] is True
    assert settings["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    # The cookies a browser really receives are checked in test_auth.py (sign-in sets the session cookie).


# --- the secret key -------------------------------------------------------------------------------------------------


def test_ensure_secret_key_generates_a_private_key_file_and_reuses_it(tmp_path):
    instance = tmp_path / "instance"  # not there yet: the first start creates it
    first: dict = {"ENVIRONMENT": "development"}
    config.ensure_secret_key(first, str(instance))

    key_file = instance / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first["SECRET_KEY"]) == 64 and first["SECRET_KEY"] == key_file.read_text().strip()
    assert os.listdir(instance) == ["secret_key"]  # no temporary file left behind

    second: dict = {"ENVIRONMENT": "development"}
    config.ensure_secret_key(second, str(instance))
    assert second["SECRET_KEY"] == first["SECRET_KEY"]


def test_ensure_secret_key_keeps_a_key_another_worker_wrote_first(tmp_path, monkeypatch):
    real_link = os.link

    def link_after_another_worker(source, target):
        with open(target, "w") as other:
            other.write("key-of-the-worker-that-won\n")
        real_link(source, target)

    monkeypatch.setattr(config.os, "link", link_after_another_worker)
    settings: dict = {}
    config.ensure_secret_key(settings, str(tmp_path))
    assert settings["SECRET_KEY"] == "key-of-the-worker-that-won"
    assert os.listdir(tmp_path) == ["secret_key"]


def test_ensure_secret_key_keeps_a_configured_key(tmp_path):
    settings = {"ENVIRONMENT": "production", "SECRET_KEY": "från-miljön"}
    config.ensure_secret_key(settings, str(tmp_path))
    assert settings["SECRET_KEY"] == "från-miljön"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("environment", ["production", "prod"])
def test_production_without_secret_key_is_refused(tmp_path, environment):
    with pytest.raises(config.ConfigurationError, match="SECRET_KEY"):
        config.ensure_secret_key({"ENVIRONMENT": environment}, str(tmp_path))
    assert not (tmp_path / "secret_key").exists()


def test_create_app_in_production_without_secret_key_is_refused(clean_env):
    clean_env.setenv("RISKREGISTRET_ENV", "production")
    with pytest.raises(config.ConfigurationError, match="SECRET_KEY must be set"):
        create_app()


def test_create_app_in_production_with_secret_key(clean_env):
    clean_env.setenv("RISKREGISTRET_ENV", "production")
    clean_env.setenv("SECRET_KEY", "en-lång-hemlig-nyckel")
    clean_env.setenv("DATABASE_URL", "sqlite://")
    app = create_app()
    assert app.config["SECRET_KEY"] == "en-lång-hemlig-nyckel"
    assert app.config["ENVIRONMENT"] == "production"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_test_config_overrides_the_environment(clean_env):
    clean_env.setenv("MAX_UPLOAD_MB", "50")
    app = create_app({"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://", "MAX_CONTENT_LENGTH": 1024})
    assert app.config["MAX_CONTENT_LENGTH"] == 1024
