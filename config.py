"""Configuration read from the environment when the app is created, never at import time."""

import os
import secrets
import tempfile
from datetime import date
from pathlib import Path

PRODUCTION_ENVIRONMENTS = {"production", "prod"}


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable application."""


def from_environment(instance_path: str) -> dict:
    """Settings for one app, read from os.environ with safe local defaults."""
    env = os.environ
    return {
        "ENVIRONMENT": env.get("RISKREGISTRET_ENV", "development"),
        "SECRET_KEY": env.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url(
            env.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'riskregistret.sqlite3'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Uploads are spreadsheets; anything larger is refused before it is parsed.
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024,
        "IMPORT_MAX_ROWS": int(env.get("IMPORT_MAX_ROWS", "20000")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "").lower() in {"1", "true", "yes"},
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "").lower() in {"1", "true", "yes"},
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_HASH_METHOD": "scrypt",
        # Without Flask-Babel, this makes WTForms use its own Swedish messages (see app/forms.py).
        "WTF_I18N_ENABLED": False,
        # The register's "current year"; overridable so demos and tests can pin it.
        "CURRENT_YEAR": int(env["RISKREGISTRET_YEAR"]) if env.get("RISKREGISTRET_YEAR") else None,
        # Times are stored in UTC and shown in the users' zone.
        "TIMEZONE": env.get("RISKREGISTRET_TIMEZONE", "Europe/Stockholm"),
        "TODAY": date.fromisoformat(env["RISKREGISTRET_TODAY"]) if env.get("RISKREGISTRET_TODAY") else None,
    }


def database_url(url: str) -> str:
    """Route PostgreSQL URLs to psycopg 3, whatever prefix the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def ensure_secret_key(config: dict, instance_path: str) -> None:
    """Fill SECRET_KEY: refuse in production, otherwise keep a generated one in instance/."""
    if config.get("SECRET_KEY"):
        return
    if config.get("ENVIRONMENT") in PRODUCTION_ENVIRONMENTS:
        raise ConfigurationError("SECRET_KEY must be set when RISKREGISTRET_ENV is production.")
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        _create_key_file(key_file)
    config["SECRET_KEY"] = key_file.read_text().strip()


def _create_key_file(key_file: Path) -> None:
    """Write a key that is never readable by others; if another worker starting beside us won, keep its key."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=key_file.parent, prefix=".secret_key.")  # mode 0600 from the start
    try:
        with os.fdopen(handle, "w") as file:
            file.write(secrets.token_hex(32))
        os.link(temporary, key_file)  # atomic, and never replaces a key another process already wrote
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
