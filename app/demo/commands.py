"""flask demo: loads the Swedish demo municipality into an empty database, once."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.unit_of_work import unit_of_work
from app.core.years import current_year
from app.demo.content import ROOT_CODE
from app.demo.loader import DemoSummary, load_demo
from app.extensions import db
from app.models import Unit
from config import PRODUCTION_ENVIRONMENTS

ALREADY_LOADED = "Demodata finns redan – inget ändrades."
NOT_EMPTY = "Databasen innehåller redan annat än demodata – inget ändrades. Demodata läses bara in i en tom databas."


@click.command("demo", help="Läs in demodata (Exempelby kommun) för de tre senaste åren. Ändrar inget om den finns.")
@with_appcontext
def demo() -> None:
    """Load the demo in one transaction and print how to sign in to it."""
    if current_app.config.get("ENVIRONMENT") in PRODUCTION_ENVIRONMENTS:
        raise click.ClickException("Demodata läses aldrig in i produktion (RISKREGISTRET_ENV=production).")
    if load_demo_needed() is False:
        click.echo(NOT_EMPTY)
        return
    try:
        with unit_of_work():
            summary = load_demo(current_year())
    except DomainError as error:
        raise click.ClickException(f"Demodata kunde inte läsas in: {error.message}") from None
    click.echo(ALREADY_LOADED if summary is None else describe(summary))


def load_demo_needed() -> bool | None:
    """False when the database holds someone's own register; the demo must never mix into real data."""
    if db.session.scalar(select(Unit.id).limit(1)) is None:
        return True
    return None if db.session.scalar(select(Unit.id).where(Unit.code == ROOT_CODE)) else False


def describe(summary: DemoSummary) -> str:
    """The Swedish report: what was loaded and the four logins."""
    counts = summary.counts
    width = max(len(login.email) for login in summary.logins)
    role_width = max(len(login.role.label) for login in summary.logins)
    lines = [
        f"Demodata för {summary.municipality} är inläst, åren {summary.first_year}–{summary.last_year}:",
        f"  {counts['units']} enheter, {counts['users']} användare, {counts['processes']} processer",
        f"  {counts['risks']} risker med {counts['assessments']} riskbedömningar",
        f"  {counts['controls']} egenkontroller med {counts['checks']} genomförda kontroller",
        f"  {counts['actions']} åtgärder",
        "",
        f"Inloggningar för lokal provkörning (lösenord för alla: {summary.password}):",
        *(
            f"  {login.email:<{width}}  {login.role.label:<{role_width}}  {login.name}, {login.unit}"
            for login in summary.logins
        ),
        "",
        "Övriga demoanvändare har samma lösenord. Använd aldrig demodata i en skarp miljö.",
    ]
    return "\n".join(lines)
