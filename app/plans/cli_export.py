"""flask plan export: a unit's kvalitetsplan for one year as an Excel workbook."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.core.errors import DomainError
from app.core.units import find_unit
from app.excel.export.locked import plan_for_export
from app.excel.export.workbook import ExportOptions, write_workbook
from app.models import MAX_YEAR, MIN_YEAR
from app.plans.commands import plan


@plan.command("export", help="Exportera en enhets kvalitetsplan för ett år till en Excel-fil (.xlsx).")
@click.option("--unit", "unit_name", required=True, help="Enhetens kortnamn eller namn.")
@click.option("--year", type=click.IntRange(MIN_YEAR, MAX_YEAR), required=True, help="Året som exporteras.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Filen som skrivs, t.ex. kvalitetsplan.xlsx.",
)
@click.option("--riskvarde", is_flag=True, help="Ta med kolumnen Riskvärde, färgad efter risknivå.")
@click.option("--status", is_flag=True, help="Ta med kolumnen Status (riskens status för året).")
@click.option("--ansvarig", is_flag=True, help="Ta med kolumnen Ansvarig.")
@click.option(
    "--utan-uppfoljning", "without_follow_up", is_flag=True,
    help="Visa inte åtgärdernas uppföljning eller egenkontrollernas senaste resultat i bilagan.",
)
@with_appcontext
def export_command(
    unit_name: str, year: int, output: Path, riskvarde: bool, status: bool, ansvarig: bool, without_follow_up: bool
) -> None:
    unit = find_unit(unit_name)
    if unit is None:
        raise click.UsageError(f"Okänd enhet: {unit_name}. Ange enhetens kortnamn eller hela namn.")
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError("Filen måste sluta på .xlsx.")
    try:
        data = plan_for_export(unit, year)
    except DomainError as error:  # a locked year whose snapshot this version cannot read
        raise click.ClickException(error.message) from None
    try:
        write_workbook(data, output, ExportOptions(score=riskvarde, status=status, responsible=ansvarig,
                                                   follow_up=not without_follow_up))
    except OSError as error:
        raise click.ClickException(f"Kunde inte skriva {output}: {error.strerror or error}.") from None
    click.echo(
        f"Skrev {output}: {unit.name} {year}, {len(data.processes)} processer, {len(data.risks)} risker, "
        f"{len(data.controls)} egenkontroller och {len(data.actions)} åtgärder."
    )
