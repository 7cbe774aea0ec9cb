"""flask plan rollover: start the new year from what is still open."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.core.errors import DomainError
from app.core.services.rollover import RolloverPreview, preview_rollover, rollover
from app.core.unit_of_work import unit_of_work
from app.core.units import find_unit
from app.plans.commands import plan


@plan.command("rollover", help="För över öppna risker från ett år till nästa (status Kvarstår). Kan köras flera gånger.")
@click.option("--unit", "unit_name", required=True, help="Enhetens kortnamn eller namn.")
@click.option("--from-year", type=int, required=True, help="Året som avslutas.")
@click.option("--to-year", type=int, required=True, help="Det nya året (året efter).")
@click.option("--dry-run", is_flag=True, help="Visa bara vad som skulle göras.")
@with_appcontext
def rollover_command(unit_name: str, from_year: int, to_year: int, dry_run: bool) -> None:
    unit = find_unit(unit_name)
    if unit is None:
        raise click.UsageError(f"Okänd enhet: {unit_name}.")
    try:
        with unit_of_work():
            result = preview_rollover(unit, from_year, to_year) if dry_run else rollover(None, unit, from_year, to_year)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(describe(result, done=not dry_run))


def describe(result: RolloverPreview, *, done: bool) -> str:
    """The report a coordinator wants: what moved, what stayed behind, what continues."""
    verb = "Förde över" if done else "Skulle föra över"
    lines = [
        f"{result.unit.name}: {verb} {result.carried_count} öppna risker från {result.from_year} till "
        f"{result.to_year} (status Kvarstår).",
        f"{len(result.left_behind)} avslutade risker (Åtgärdad eller Upphört) lämnas kvar i {result.from_year}.",
    ]
    if result.already_carried:
        lines.append(f"{len(result.already_carried)} risker har redan en bedömning för {result.to_year} och rördes inte.")
    if result.not_assessed:
        lines.append(f"{len(result.not_assessed)} risker saknar bedömning för {result.from_year} och fördes inte över.")
    lines.append(
        f"{result.open_actions} pågående eller planerade åtgärder fortsätter, "
        f"och {result.controls} egenkontroller planeras för {result.to_year}."
    )
    return "\n".join(lines)
