"""flask users …: managing accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from app.auth.services import create_user
from app.core.errors import DomainError
from app.core.unit_of_work import unit_of_work
from app.core.units import find_unit
from app.models import Role

ROLE_NAMES = ", ".join(f"{role.value} ({role.label.lower()})" for role in Role)


@click.group(help="Hantera användare.")
def users() -> None:
    pass


@users.command("create", help="Skapa en användare. Lösenordet läses från en prompt, eller från stdin.")
@click.argument("email")
@click.option("--role", "role_name", required=True, help=f"Roll: {ROLE_NAMES}.")
@click.option("--unit", "unit_name", required=True, help="Enhetens kortnamn eller namn.")
@click.option("--name", default=None, help="Namn som visas i registret (standard: e-postadressen).")
@with_appcontext
def create_command(email: str, role_name: str, unit_name: str, name: str | None) -> None:
    try:
        role = Role.parse(role_name)
    except ValueError:
        raise click.UsageError(f"Okänd roll: {role_name}. Välj en av: {ROLE_NAMES}.") from None
    unit = find_unit(unit_name)
    if unit is None:
        raise click.UsageError(f"Okänd enhet: {unit_name}.")
    password = _read_password()
    try:
        with unit_of_work():
            user = create_user(None, email=email, name=name or email, role=role, unit=unit, password=password)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Skapade {user.email} ({user.role.label}, {unit.name}).")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Lösenord", hide_input=True, confirmation_prompt="Upprepa lösenordet")
    return sys.stdin.readline().rstrip("\r\n")
