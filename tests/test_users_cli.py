"""flask users create: accounts from the command line, password from stdin."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.services import find_user_by_email
from app.extensions import db
from app.models import AuditEvent, Role, User
from tests.conftest import PASSWORD


def create(app, email: str, *options: str, password: str = PASSWORD):
    return app.test_cli_runner().invoke(args=["users", "create", email, *options], input=f"{password}\n")


@pytest.mark.parametrize(
    ("role_text", "unit_text", "role"),
    [
        ("owner", "bfe", Role.OWNER),
        ("processägare", "bfe", Role.OWNER),
        ("PROCESSÄGARE", "BFE", Role.OWNER),
        ("Enhetschef", "Barn- och familjeenheten", Role.MANAGER),
        ("admin", "  barn- och FAMILJEENHETEN ", Role.ADMIN),
        ("läsare", "bfe", Role.READER),
    ],
)
def test_users_create(app, unit, role_text, unit_text, role):
    result = create(app, "Ny.Person@Exempel.se", "--role", role_text, "--unit", unit_text)
    assert result.exit_code == 0, result.output
    assert f"Skapade ny.person@exempel.se ({role.label}, Barn- och familjeenheten)." in result.output

    db.session.expunge_all()
    user = find_user_by_email("ny.person@exempel.se")
    assert (user.role, user.unit_id, user.is_active) == (role, unit.id, True)
    assert user.name == "Ny.Person@Exempel.se"  # no --name: the address as typed stands in
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")
    assert PASSWORD not in user.password_hash


def test_users_create_with_a_name_writes_an_audit_event(app, unit):
    result = create(app, "anna@exempel.se", "--role", "manager", "--unit", "bfe", "--name", "Anna Andersson")
    assert result.exit_code == 0, result.output
    user = find_user_by_email("anna@exempel.se")
    assert user.name == "Anna Andersson"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "User"))
    assert (event.verb, event.entity_id, event.actor_id, event.unit_id) == ("create", user.id, None, unit.id)


def test_users_create_reads_a_password_with_windows_line_ending(app, unit):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "anna@exempel.se", "--role", "owner", "--unit", "bfe"], input=f"{PASSWORD}\r\n"
    )
    assert result.exit_code == 0, result.output
    assert find_user_by_email("anna@exempel.se").check_password(PASSWORD)


def test_users_create_refuses_a_duplicate_email(app, unit):
    assert create(app, "anna@exempel.se", "--role", "owner", "--unit", "bfe").exit_code == 0
    result = create(app, "ANNA@exempel.se", "--role", "reader", "--unit", "bfe", password="annat-losenord")
    assert result.exit_code == 1
    assert "Det finns redan en användare med e-postadressen anna@exempel.se" in result.output
    db.session.expunge_all()
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    user = find_user_by_email("anna@exempel.se")
    assert (user.role, user.check_password(PASSWORD)) == (Role.OWNER, True)


def test_users_create_refuses_an_ambiguous_unit_name(app, unit, make_unit):
    make_unit(code="bfe-2", name="Barn- och familjeenheten")
    result = create(app, "anna@exempel.se", "--role", "owner", "--unit", "Barn- och familjeenheten")
    assert result.exit_code != 0
    assert "Okänd enhet" in result.output
    assert find_user_by_email("anna@exempel.se") is None


def test_users_create_in_a_unit_found_by_code_not_another_units_name(app, unit, make_unit):
    other = make_unit(code="ifo", name="bfe")  # a unit literally named like another unit's code
    result = create(app, "anna@exempel.se", "--role", "owner", "--unit", "bfe")
    assert result.exit_code == 0, result.output
    assert find_user_by_email("anna@exempel.se").unit_id == unit.id != other.id
