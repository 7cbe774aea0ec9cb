"""The Register sheet: every field of the year's items, one row each, with stable ids; the importer reads it back.

Pure: no Flask, no database; see app.excel.export.workbook.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.core.year_plan import Person, PlanData
from app.excel.export.cells import number_cell, text_cell
from app.excel.export.sheets import Styles
from app.excel.layout import REGISTER_COLUMNS, REGISTER_ORDER, REGISTER_SHEET

Value = str | int | None
REGISTER_WIDTHS = {"Typ": 22, "ID": 16, "Överordnad": 16, "Kopplade risker": 24, "Titel": 40, "Beskrivning": 40}
_COLUMN = {name: index for index, name in enumerate(REGISTER_COLUMNS)}


def write_register(workbook: Workbook, plan: PlanData, styles: Styles) -> None:
    """Every item of the year, one row each, with its stable ID: what the importer reads back."""
    ws = workbook.create_sheet(REGISTER_SHEET)
    for index, name in enumerate(REGISTER_COLUMNS):
        ws.column_dimensions[get_column_letter(index + 1)].width = REGISTER_WIDTHS.get(name, 14)
    ws.freeze_panes = "A2"
    ws.append([text_cell(ws, name, styles.header) for name in REGISTER_COLUMNS])
    last_row = 1
    for values in register_rows(plan):
        ws.append([_cell(ws, value) for value in values])
        last_row += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REGISTER_COLUMNS))}{last_row}"


def register_rows(plan: PlanData) -> Iterator[list[Value]]:
    """The Register's rows as plain values, in REGISTER_ORDER so that references always point upwards."""
    kinds = {
        "Process": _process_rows,
        "Risk": _risk_rows,
        "Egenkontroll": _control_rows,
        "Genomförd egenkontroll": _check_rows,
        "Åtgärd": _action_rows,
    }
    for kind in REGISTER_ORDER:
        yield from kinds[kind](plan)


def _process_rows(plan: PlanData) -> Iterator[list[Value]]:
    for p in plan.processes:
        yield _row(
            {"Typ": "Process", "ID": p.ref, "Överordnad": p.parent_ref, "Titel": p.title, "Beskrivning": p.description,
             "Ansvarig": _email(p.owner), "Ordning": p.sort_order, "Arkiverad": _yes(p.is_archived),
             "Enhet": p.unit_code or None}
        )


def _risk_rows(plan: PlanData) -> Iterator[list[Value]]:
    for process in plan.processes:
        for risk in process.risks:
            fields: dict[str, Value] = {"Typ": "Risk", "ID": risk.ref, "Överordnad": process.ref, "Titel": risk.title,
                                        "Beskrivning": risk.description, "Arkiverad": _yes(risk.is_archived),
                                        "Kvalitetsområde": risk.quality_area.label if risk.quality_area else None}
            if (a := risk.assessment) is not None:
                fields |= {"Sannolikhet": a.likelihood, "Konsekvens": a.consequence, "Riskvärde": a.score,
                           "Risknivå": a.level.name, "Status": a.status.label, "Kommentar": a.comment}
            yield _row(fields)


def _control_rows(plan: PlanData) -> Iterator[list[Value]]:
    for c in plan.controls:
        yield _row(
            {"Typ": "Egenkontroll", "ID": c.ref, "Kopplade risker": ", ".join(c.risk_refs), "Titel": c.title,
             "Beskrivning": c.description, "Ansvarig": _email(c.responsible), "Metod": c.method,
             "Frekvens": c.frequency.label, "Arkiverad": _yes(c.is_archived), "Enhet": c.unit_code or None}
        )


def _check_rows(plan: PlanData) -> Iterator[list[Value]]:
    for control in plan.controls:
        for check in control.checks:
            yield _row(
                {"Typ": "Genomförd egenkontroll", "ID": check.ref, "Överordnad": control.ref,
                 "Ansvarig": _email(check.performed_by), "Datum": _iso(check.performed_on),
                 "Resultat": check.outcome.label, "Iakttagelser": check.findings}
            )


def _action_rows(plan: PlanData) -> Iterator[list[Value]]:
    for a in plan.actions:
        yield _row(
            {"Typ": "Åtgärd", "ID": a.ref, "Kopplade risker": ", ".join(a.risk_refs), "Titel": a.title,
             "Beskrivning": a.description, "Ansvarig": _email(a.responsible), "Status": a.status.label,
             "Startår": a.start_year, "Klart senast": _iso(a.due_on), "Genomförd": _iso(a.completed_on),
             "Uppföljning": a.follow_up, "Arkiverad": _yes(a.is_archived), "Enhet": a.unit_code or None}
        )


def _row(fields: dict[str, Value]) -> list[Value]:
    row: list[Value] = [None] * len(REGISTER_COLUMNS)
    for name, value in fields.items():
        row[_COLUMN[name]] = value
    return row


def _cell(ws, value: Value):
    if value is None:
        return None
    if isinstance(value, str):
        return text_cell(ws, value)
    return number_cell(ws, value)


def _email(person: Person | None) -> str | None:
    return person.email if person else None


def _yes(flag: bool) -> str | None:
    return "ja" if flag else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
