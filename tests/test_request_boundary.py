"""The request boundary (app/web/boundary.py): a write commits once after a successful view, everything else rolls
back, and every refusal is a Swedish answer: a page for a browser, a problem document for a JSON client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, flash, get_flashed_messages, redirect
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import create_app
from app.core.errors import LockedYearError, ValidationError
from app.extensions import db
from app.auth.services import create_user
from app.core.units import create_unit
from app.models import Role, Unit
from tests.conftest import PASSWORD, app_config


@pytest.fixture
def boundary_app(tmp_path) -> Iterator[Flask]:
    """An app of its own, so that routes made for these tests exist before its first request."""
    app = create_app(app_config(f"sqlite:///{tmp_path / 'boundary.sqlite3'}"))

    def add_unit(code: str) -> None:
        db.session.add(Unit(code=code, name=code))
        db.session.flush()

    @app.post("/prov/ny/<code>")
    def create(code: str):
        db.session.add(Unit(code=code, name=code))  # flushed only by the boundary's commit
        flash("Enheten är sparad.", "success")
        return redirect("/prov/antal")

    @app.post("/prov/ny-nu/<code>")
    def create_and_flush(code: str):
        add_unit(code)
        flash("Enheten är sparad.", "success")
        return redirect("/prov/antal")

    @app.post("/prov/vagrad/<code>")
    def refused_after_writing(code: str):
        add_unit(code)
        raise LockedYearError("År 2026 är fastställt och låst.")

    @app.post("/prov/ogiltig/<code>")
    def answered_with_an_error_status(code: str):
        add_unit(code)
        return "Formuläret har fel", 400

    @app.get("/prov/las/<code>")
    def writes_on_a_get(code: str):
        add_unit(code)
        return "ok"

    @app.get("/prov/fel")
    def invalid():
        raise ValidationError("Året måste vara mellan 2000 och 2100.", field="year")

    @app.get("/prov/antal")
    def count():
        get_flashed_messages()  # shown, as a page would show them
        return str(db.session.scalar(select(func.count()).select_from(Unit)))

    with app.app_context():
        db.create_all()
        create_user(None, email="chef@exempel.se", name="Chef", role=Role.MANAGER, password=PASSWORD,
                    unit=create_unit(None, code="hem", name="Hemenheten"))
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(boundary_app) -> FlaskClient:
    """Signed in: every page but the login page needs it."""
    client = boundary_app.test_client()
    signed_in = client.post("/logga-in", data={"email": "chef@exempel.se", "password": PASSWORD})
    assert signed_in.status_code == 302
    return client


def units(app: Flask) -> list[str]:
    """The units the routes above made (not the signed-in user's own)."""
    with app.app_context():
        return list(db.session.scalars(select(Unit.code).where(Unit.code != "hem").order_by(Unit.code)))


def test_a_successful_write_is_committed_once_after_the_view(boundary_app, client) -> None:
    assert client.post("/prov/ny/bfe").status_code == 302
    assert units(boundary_app) == ["bfe"]


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [("POST", "/prov/vagrad/x", 409), ("POST", "/prov/ogiltig/x", 400), ("GET", "/prov/las/x", 200)],
    ids=["domain-error", "error-status", "get"],
)
def test_a_refused_write_or_a_get_leaves_nothing_behind(boundary_app, client, method, url, status) -> None:
    response = client.open(url, method=method)
    assert response.status_code == status
    assert units(boundary_app) == []


def test_a_domain_error_is_a_swedish_page_or_a_json_problem(client) -> None:

    page = client.get("/prov/fel")
    assert page.status_code == 422
    assert "Året måste vara mellan 2000 och 2100." in page.text
    assert page.mimetype == "text/html"

    problem = client.get("/prov/fel", headers={"Accept": "application/json"})
    assert problem.status_code == 422
    assert problem.mimetype == "application/problem+json"
    assert problem.json == {
        "status": 422,
        "title": "Begäran kunde inte utföras",
        "detail": "Året måste vara mellan 2000 och 2100.",
        "field": "year",
    }

    missing = client.get("/finns-inte", headers={"Accept": "application/json"})
    assert missing.status_code == 404 and missing.json["title"] == "Sidan finns inte"


@pytest.mark.parametrize("route", ["/prov/ny", "/prov/ny-nu"], ids=["at-commit", "at-flush"])
def test_a_write_the_database_refuses_is_a_409_and_takes_back_the_success_message(boundary_app, client, route) -> None:
    first = client.post(f"{route}/bfe", follow_redirects=True)
    assert first.status_code == 200 and first.text == "2"  # with the signed-in user's own unit

    duplicate = client.post(f"{route}/bfe")  # the unique code is only checked by the database

    assert duplicate.status_code == 409
    assert "Någon annan ändrade samma sak samtidigt" in duplicate.text
    assert "Enheten är sparad." not in duplicate.text
    assert units(boundary_app) == ["bfe"]
    with client.session_transaction() as session:
        assert session.get("_flashes", []) == []
