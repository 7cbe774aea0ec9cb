"""Every route, for every role, inside and outside the user's unit: the right status, and refusals change nothing.

A new route fails this test until it is classified below: authorization is decided per route, never by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from app import create_app
from app.core.services.actions import update_action
from app.core.services.controls import record_check
from app.core.services.risks import link_action, link_control
from app.extensions import db
from app.models import ActionStatus, CheckOutcome, Role
from tests.conftest import TEST_YEAR, app_config

PUBLIC = {"auth.login", "static"}
EVERYONE = {"auth.logout", "main.index", "main.overview"}
LISTS = {"risks.index", "controls.index", "actions.index", "processes.index"}
READS = {
    "risks.detail", "controls.detail", "actions.detail", "processes.detail", "units.matrix", "units.graph",
    "units.trace", "plans.year", "plans.export", "plans.review", "plans.changes",
}
# The enhetschef's (and coordinator's) year: structure, locking, carrying over, importing.
MANAGER_ONLY = {"processes.create", "plans.lock", "plans.rollover_to_next", "plans.import_upload",
                "plans.import_preview", "plans.import_confirm"}
ADMIN_ONLY = {"plans.unlock", "units.matrix_edit"}
# Routes whose URL carries a token that only a real upload creates: an allowed request finds no such token.
TOKEN_ROUTES = {"plans.import_preview", "plans.import_confirm"}
# Every other endpoint changes (or offers a form to change) the item it names, and follows the edit rules.


def all_endpoints() -> list[tuple[str, str]]:
    """(endpoint, method) for every route of the app, as the test will walk them."""
    app = create_app(app_config("sqlite://"))
    pairs = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            pairs.add((rule.endpoint, method))
    return sorted(pairs)


@dataclass
class World:
    """Two units; in the home unit the signed-in owner's items ("own") and a colleague's ("colleague")."""

    home: object
    foreign: object
    items: dict[str, dict[str, object]]
    users: dict[Role, object]


@pytest.fixture
def world(make_unit, unit, make_user, make_process, make_risk, make_assessment, make_control, make_action):
    foreign_unit = make_unit(code="annan", name="Annan enhet")
    users = {role: make_user(role=role, name=f"Användare {role.label}") for role in Role}
    colleague = make_user(role=Role.OWNER, name="Kollega")
    foreign_owner = make_user(role=Role.OWNER, unit=foreign_unit, name="Utomstående")
    items = {}
    for key, owner, home in (("own", users[Role.OWNER], unit), ("colleague", colleague, unit),
                             ("foreign", foreign_owner, foreign_unit)):
        process = make_process(unit=home, owner=owner, title=f"Process {key}")
        risk = make_risk(process=process, title=f"Risk {key}")
        make_assessment(risk=risk)
        control = make_control(unit=home, title=f"Egenkontroll {key}")
        action = make_action(unit=home, title=f"Åtgärd {key}")
        link_control(None, risk, control)
        link_action(None, risk, action)
        # History on every item, so that no allowed POST can delete it and starve the next request.
        record_check(None, control, performed_on=date(TEST_YEAR, 3, 1), outcome=CheckOutcome.NO_REMARKS)
        update_action(None, action, title=action.title, start_year=action.start_year,
                      status=ActionStatus.IN_PROGRESS, due_on=action.due_on)
        db.session.commit()
        items[key] = {"process": process, "risk": risk, "control": control, "action": action,
                      "unit": home}
    return World(unit, foreign_unit, items, users)


def url_for_target(app, endpoint: str, target: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {f"{name}_id": target[name].id for name in ("risk", "process", "control", "action", "unit")
              if f"{name}_id" in rule.arguments}
    if "year" in rule.arguments:
        values["year"] = TEST_YEAR
    if "token" in rule.arguments:
        values["token"] = "finns-inte"
    query = {
        "risks.create": {"process": target["process"].id},
        "controls.create": {"risk": target["risk"].id},
        "actions.create": {"risk": target["risk"].id},
        "processes.create": {"enhet": target["unit"].id},
    }.get(endpoint, {"enhet": target["unit"].id} if endpoint in LISTS else {})
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values, **query)


def expected_allowed(endpoint: str, role: Role, target_key: str) -> bool:
    """The authorization rules of the issue, written out independently of app/permissions.py."""
    if endpoint in EVERYONE or endpoint in LISTS:
        return True
    if role is Role.ADMIN:
        return True
    if target_key == "foreign":
        return False
    if endpoint in READS:
        return True
    if endpoint in ADMIN_ONLY:
        return False
    if endpoint in MANAGER_ONLY:
        return role is Role.MANAGER
    if role is Role.MANAGER:
        return True
    return role is Role.OWNER and target_key == "own"


def fingerprint() -> dict[str, list]:
    """Every row of every table: a refused request must leave all of it as it was."""
    db.session.expire_all()
    return {
        table.name: [tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key.columns))]
        for table in db.metadata.sorted_tables
    }


ENDPOINTS = [pair for pair in all_endpoints() if pair[0] not in PUBLIC]


def test_every_endpoint_is_classified():
    writes = {e for e, m in ENDPOINTS if m == "POST"} | {e for e, _ in ENDPOINTS}
    unknown = {e for e in writes if e.split(".")[1] not in {
        "index", "detail", "matrix", "overview", "logout", "create", "edit", "archive", "restore", "delete",
        "assess", "link_control", "unlink_control", "link_action", "unlink_action", "record_check", "complete",
        "graph", "trace", "year", "export", "review", "changes", "lock", "unlock", "rollover_to_next",
        "import_upload", "import_preview", "import_confirm", "matrix_edit", "move"}}
    assert unknown == set(), f"classify these endpoints in tests/test_authorization.py: {unknown}"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize(("endpoint", "method"), ENDPOINTS, ids=[f"{m} {e}" for e, m in ENDPOINTS])
def test_route_authorization(app, client, login, world, endpoint, method, role):
    login(world.users[role])
    for target_key in ("foreign", "colleague", "own"):
        target = world.items[target_key]
        url = url_for_target(app, endpoint, target)
        allowed = expected_allowed(endpoint, role, target_key)
        before = fingerprint() if method == "POST" else None
        response = client.open(url, method=method, data={})
        response.close()  # a download streams from a temporary file until its response is closed
        where = f"{role.value} {method} {url} ({target_key})"
        if endpoint in LISTS and target_key == "foreign" and role is not Role.ADMIN:
            # Asking a list for another unit may be refused, or answered without any of that unit's items.
            assert response.status_code in {200, 403}, f"{where}: {response.status_code}"
            assert "foreign" not in response.text, f"{where}: shows another unit's items"
        elif allowed:
            expected = {404} if endpoint in TOKEN_ROUTES else {200, 302, 400, 409}
            assert response.status_code in expected, f"{where}: {response.status_code}"
        else:
            assert response.status_code == 403, f"{where}: expected 403, got {response.status_code}"
            if before is not None:
                assert fingerprint() == before, f"{where}: a refused request changed the database"
