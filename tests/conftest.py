"""Fixtures: an app per test on in-memory SQLite (and on PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

import config
from app import create_app
from app.auth.services import create_user
from app.core.services.actions import create_action
from app.core.services.assessments import assess_risk
from app.core.services.controls import create_control
from app.core.services.processes import create_process
from app.core.services.risks import create_risk
from app.core.units import create_unit
from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    Assessment,
    Control,
    Frequency,
    Process,
    Risk,
    RiskStatus,
    Role,
    Unit,
    User,
)

TEST_YEAR = 2026
TEST_TODAY = date(TEST_YEAR, 11, 23)
PASSWORD = "losenord123"
# A 5×5 matrix whose bands differ from Socialstyrelsen's 4×4 (9 is Medel, 16 Hög): what set_matrix takes.
FIVE_BY_FIVE = {
    "likelihood_labels": ["1", "2", "3", "4", "5"],
    "consequence_labels": ["1", "2", "3", "4", "5"],
    "bands": [
        {"name": "Låg", "min": 1, "colour": "#2e7d32"},
        {"name": "Medel", "min": 5, "colour": "#f9a825"},
        {"name": "Hög", "min": 10, "colour": "#ef6c00"},
        {"name": "Mycket hög", "min": 17, "colour": "#c62828"},
    ],
}
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def app_config(database_url: str, **overrides) -> dict:
    """Settings for a test app; tests that need more pass overrides."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "CURRENT_YEAR": TEST_YEAR,
        # Pinned so that "overdue" and "not in the future" mean the same whatever the machine's clock says.
        "TODAY": TEST_TODAY,
        # scrypt's deliberate slowness would dominate a suite that creates hundreds of users.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **overrides,
    }


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def database_url(request) -> str:
    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL variant skipped (CI sets it)")
        return config.database_url(POSTGRES_URL)
    return "sqlite://"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_database_url(request, tmp_path) -> Iterator[str]:
    """A URL of a brand-new database with no schema, for tests that migrate or use several processes."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL variant skipped (CI sets it)")
    server = make_url(config.database_url(os.environ["TEST_DATABASE_URL"]))
    name = f"rr_fresh_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def shared_app(database_url: str) -> Iterator[Flask]:
    """One app per database for the whole session: building an app costs more than most tests."""
    app = create_app(app_config(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(shared_app: Flask) -> Iterator[Flask]:
    """The app with empty tables and its app context pushed; config changes are undone afterwards."""
    saved_config = dict(shared_app.config)
    saved_client_class = shared_app.test_client_class
    with shared_app.app_context():
        try:
            yield shared_app
        finally:
            db.session.remove()
            _empty_all_tables()
            shared_app.config.clear()
            shared_app.config.update(saved_config)
            shared_app.test_client_class = saved_client_class


def empty_all_tables() -> None:
    """Every table emptied: between the examples of a Hypothesis test, which share one app fixture."""
    db.session.remove()
    _empty_all_tables()


def _empty_all_tables() -> None:
    # DELETE beats TRUNCATE by far on PostgreSQL for tables this small; ids need not restart.
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


class RequestIsolatingClient(FlaskClient):
    """Each request gets its own app context, hence its own db.session and flask.g, as in production.

    The test's own transaction is committed first (as if it were an earlier request), and the test's objects are
    expired afterwards, so assertions read what the request really wrote.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = RequestIsolatingClient
    return app.test_client()


@pytest.fixture
def make_unit(app):
    counter = iter(range(1, 10_000))

    def make(**overrides) -> Unit:
        number = next(counter)
        fields = {"code": f"enhet-{number}", "name": f"Enhet {number}"} | overrides
        unit = create_unit(None, **fields)
        db.session.commit()
        return unit

    return make


@pytest.fixture
def unit(make_unit) -> Unit:
    return make_unit(code="bfe", name="Barn- och familjeenheten")


@pytest.fixture
def make_user(app, unit):
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.OWNER, **overrides) -> User:
        number = next(counter)
        fields = {
            "email": f"person{number}@exempel.se",
            "name": f"Person {number}",
            "role": role,
            "unit": unit,
            "password": PASSWORD,
        } | overrides
        user = create_user(None, **fields)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_process(app, unit):
    def make(**overrides) -> Process:
        fields = {"title": "Utredning", "unit": unit} | overrides
        target = fields.pop("unit")
        process = create_process(None, target, **fields)
        db.session.commit()
        return process

    return make


@pytest.fixture
def make_risk(app, make_process):
    def make(process: Process | None = None, **overrides) -> Risk:
        fields = {"title": "Utredningen blir inte klar i tid"} | overrides
        risk = create_risk(None, process or make_process(), **fields)
        db.session.commit()
        return risk

    return make


@pytest.fixture
def make_assessment(app, make_risk):
    def make(risk: Risk | None = None, **overrides) -> Assessment:
        fields = {
            "year": TEST_YEAR,
            "likelihood": 2,
            "consequence": 3,
            "status": RiskStatus.NEW,
        } | overrides
        assessment = assess_risk(None, risk or make_risk(), **fields)
        db.session.commit()
        return assessment

    return make


@pytest.fixture
def make_control(app, unit):
    def make(**overrides) -> Control:
        fields = {"title": "Journalgranskning", "frequency": Frequency.QUARTERLY, "unit": unit} | overrides
        target = fields.pop("unit")
        control = create_control(None, target, **fields)
        db.session.commit()
        return control

    return make


@pytest.fixture
def make_action(app, unit):
    def make(**overrides) -> Action:
        fields = {
            "title": "Ta fram en checklista",
            "start_year": TEST_YEAR,
            "status": ActionStatus.PLANNED,
            "due_on": date(TEST_YEAR, 6, 30),
            "unit": unit,
        } | overrides
        target = fields.pop("unit")
        action = create_action(None, target, **fields)
        db.session.commit()
        return action

    return make


@pytest.fixture
def login(client):
    """Sign a user in through the login form: login(user) → the client is now that user."""

    def sign_in(user: User, password: str = PASSWORD):
        response = client.post("/logga-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.text
        return user

    return sign_in


def pytest_report_header(config) -> str:
    if POSTGRES_URL:
        return "PostgreSQL: tests run on SQLite and on TEST_DATABASE_URL"
    return "PostgreSQL: variants skipped, because TEST_DATABASE_URL is not set (CI sets it)"
