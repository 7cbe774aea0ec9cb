"""flask plan import FILE --unit UNIT --year YEAR [--dry-run] [--create-unit]."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.unit_of_work import unit_of_work
from app.core.units import create_unit, find_unit
from app.excel.importing.apply import import_file
from app.excel.importing.parsed import fold
from app.excel.importing.result import VERDICTS, ImportResult
from app.extensions import db
from app.models import MAX_YEAR, MIN_YEAR, Unit
from app.plans.commands import plan

LISTED_CHANGES = 25  # the counts say the rest; the preview in the browser lists everything


@plan.command("import", help="Importera en kvalitetsplan (xlsx, csv eller tsv) till en enhets år. "
                             "Allt eller inget: med fel sparas ingenting.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "unit_name", required=True, help="Enhetens kortnamn eller namn.")
@click.option("--year", required=True, type=click.IntRange(MIN_YEAR, MAX_YEAR), help="Året planen gäller.")
@click.option("--dry-run", is_flag=True, help="Visa vad importen skulle göra, men spara ingenting.")
@click.option("--create-unit", "create_missing", is_flag=True, help="Skapa enheten om den inte finns.")
@with_appcontext
def import_command(file: Path, unit_name: str, year: int, dry_run: bool, create_missing: bool) -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and file.stat().st_size > limit:
        raise click.ClickException(f"Filen är större än {limit // (1024 * 1024)} MB och importeras inte.")
    try:
        with unit_of_work() as work:
            unit = _unit(unit_name, create_missing)
            result = import_file(None, unit, year, file.read_bytes(), file.name,
                                 max_rows=current_app.config.get("IMPORT_MAX_ROWS", 20_000))
            _echo_result(result, unit, year)
            if dry_run or not result.ok:
                work.discard()
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if not result.ok:
        click.echo(f"Importen avbröts: {len(result.errors)} fel. Ingenting har sparats.", err=True)
        sys.exit(1)
    if dry_run:
        click.echo("Provkörning (--dry-run): ingenting har sparats.")
        return
    click.echo(f"Importen är klar: {result.summary()}.")


def _unit(name: str, create_missing: bool) -> Unit:
    unit = find_unit(name)
    if unit is not None:
        return unit
    if not create_missing:
        raise click.ClickException(
            f"Okänd enhet: {name}. Ange en befintlig enhets kortnamn eller namn, "
            "eller lägg till --create-unit för att skapa den."
        )
    unit = create_unit(None, code=unit_code(name), name=name)
    click.echo(f"Skapar enheten {unit.name} (kortnamn {unit.code}).")
    return unit


def unit_code(name: str) -> str:
    """A free code from a unit's name: "Barn- och familjeenheten" → "barn-och-familjeenheten"."""
    base = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:36].strip("-") or "enhet"
    taken = set(db.session.scalars(select(Unit.code).where(Unit.code.like(f"{base}%"))))
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    return code


def _echo_result(result: ImportResult, unit: Unit, year: int) -> None:
    click.echo(f"Import till {unit.name}, {year}:")
    for kind, counts in result.counts():
        parts = ", ".join(f"{counts[verdict]} {label}" for verdict, label in VERDICTS.items() if counts[verdict])
        click.echo(f"  {kind}: {parts}")
    changes = result.changes
    for outcome in changes[:LISTED_CHANGES]:
        fields = f" ({', '.join(outcome.fields)})" if outcome.fields else ""
        click.echo(f"  {VERDICTS[outcome.verdict]}: {outcome.kind} {_short(outcome.title)}{fields}")
    if len(changes) > LISTED_CHANGES:
        click.echo(f"  … och {len(changes) - LISTED_CHANGES} ändringar till.")
    for warning in result.warnings:
        click.echo(f"Varning: {warning}")
    for conflict in result.conflicts:  # the command line cannot ask: the Register holds, as the preview's default
        click.echo(f"Konflikt: {conflict.kind} {_short(conflict.title)}, {conflict.field}: bilagan säger "
                   f"{_short(conflict.appendix)}, registret {_short(conflict.register)}; registrets värde gäller. "
                   "Importera i webbläsaren för att välja.")
    for item in result.missing:
        click.echo(f"Finns inte längre {item.where} (behålls): {item.kind} {_short(item.title)}")
    for error in result.errors:
        click.echo(f"Fel: {error}", err=True)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"”{text}”" if len(text) <= limit else f"”{text[:limit - 1]}…”"
