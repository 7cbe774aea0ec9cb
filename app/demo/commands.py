"""flask demo: loads the Swedish demo municipality into an empty database, once."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.demo.loader import DemoSummary, load_demo
from app.errors import DomainError
from app.extensions import db
from app.years import current_year

ALREADY_LOADED = "Demodata finns redan – inget ändrades."


@click.command("demo", help="Läs in demodata (Exempelby kommun) för de tre senaste åren. Ändrar inget om den finns.")
@with_appcontext
def demo() -> None:
    """Load the demo in one transaction and print how to sign in to it."""
    try:
        summary = load_demo(current_year())
        if summary is None:
            click.echo(ALREADY_LOADED)
            return
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(f"Demodata kunde inte läsas in: {error.message}") from None
    click.echo(describe(summary))


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
