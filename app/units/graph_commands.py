"""flask graph …: the gaps in a unit's protection from the command line, as Swedish text or one JSON object."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from app.analysis.load import coverage_for
from app.analysis.records import GAPS, Coverage, Item
from app.core.units import find_unit
from app.core.years import current_year
from app.models import MAX_YEAR, MIN_YEAR, Unit


@click.group(help="Skyddsgrafen: vad som saknar skydd i en enhet ett visst år.")
def graph() -> None:
    pass


@graph.command("report", help="Skriv ut bristerna i enhetens (och underenheternas) skydd för ett år.")
@click.option("--unit", "unit_name", required=True, help="Enhetens kortnamn eller namn.")
@click.option("--year", type=click.IntRange(MIN_YEAR, MAX_YEAR), default=None, help="Året (standard: i år).")
@click.option("--json", "as_json", is_flag=True, help="Skriv ett JSON-objekt i stället för text.")
@with_appcontext
def report(unit_name: str, year: int | None, as_json: bool) -> None:
    """Print the gaps, key egenkontroller and exposure; an unknown unit is an error."""
    unit = find_unit(unit_name)
    if unit is None:
        raise click.ClickException(f"Okänd enhet: {unit_name}. Ange enhetens kortnamn eller exakta namn.")
    year = year or current_year()
    coverage = coverage_for(unit, year)
    if as_json:
        click.echo(json.dumps(coverage_as_dict(coverage), ensure_ascii=False, indent=2))
    else:
        click.echo(coverage_as_text(coverage, unit))


def coverage_as_dict(coverage: Coverage) -> dict[str, list[dict]]:
    """The report as plain data: each gap list, the key egenkontroller and the exposure per process."""
    data = {key: [_item(gap) for gap in found] for key, found in coverage.gap_lists().items()}
    data["key_controls"] = [
        _item(key.item) | {"risks": key.risks, "processes": key.processes} for key in coverage.key_controls
    ]
    data["exposure"] = [
        _item(entry.item) | {"max": entry.max, "sum": entry.sum, "risks": entry.risks} for entry in coverage.exposure
    ]
    return data


def _item(item: Item) -> dict:
    data = {"id": item.id, "ref": item.ref, "title": item.title, "unit_id": item.unit_id}
    if item.kind == "risk":
        data |= {"score": item.score, "level": item.level.name if item.level else None}
    if item.status is not None:
        data["status"] = item.status.value
    return data


def coverage_as_text(coverage: Coverage, unit: Unit) -> str:
    """The report for people: a heading, each list with its count, and "Inga." when a list is empty."""
    lines = [f"Täckning {coverage.year} – {unit.name} ({unit.code})", ""]
    count = coverage.gap_count
    lines.append(f"{count} {'brist' if count == 1 else 'brister'} totalt." if count else "Inga brister.")
    for key, found in coverage.gap_lists().items():
        lines += ["", f"{GAPS[key][0]} ({len(found)}):"]
        lines += [f"  - {_describe(gap)}" for gap in found] or ["  Inga."]
    lines += ["", f"Nyckelkontroller ({len(coverage.key_controls)}):"]
    lines += [
        f"  - {key.item.title} [{key.item.ref}]: {key.risks} {'risk' if key.risks == 1 else 'risker'}"
        f" i {key.processes} {'process' if key.processes == 1 else 'processer'}"
        for key in coverage.key_controls
    ] or ["  Inga."]
    lines += ["", "Exponering per process (summa och högsta riskvärde för öppna risker, delprocesser inräknade):"]
    lines += [
        f"  - {entry.item.title} [{entry.item.ref}]: summa {entry.sum}, högsta {entry.max}"
        for entry in coverage.exposure
    ] or ["  Inga processer."]
    return "\n".join(lines)


def _describe(item: Item) -> str:
    text = f"{item.title} [{item.ref}]"
    if item.kind == "risk":
        text += f", riskvärde {item.score} ({item.level.name})" if item.level else ", ej bedömd"
    return text
