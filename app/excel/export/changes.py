"""The "Förändring" sheet: the year-over-year comparison, as on the unit's Förändring page. Pure."""

from __future__ import annotations

from openpyxl import Workbook

from app.core.year_plan import PlanData
from app.excel.export.cells import number_cell, text_cell
from app.excel.export.sheets import Styles, set_print_layout
from app.excel.layout import CHANGES_SHEET

HEADERS = ["Risk", "Process", "Riskvärde före", "Riskvärde nu", "Status före", "Status nu"]
WIDTHS = [50, 30, 14, 14, 16, 16]


def write_changes(workbook: Workbook, plan: PlanData, styles: Styles) -> None:
    """One block per kind of change (new, closed, up, down, status, not assessed), each with its risks."""
    diff = plan.changes
    if diff is None:
        return
    ws = workbook.create_sheet(CHANGES_SHEET)
    for index, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    set_print_layout(ws)
    ws.append([text_cell(ws, f"Förändring {diff.before_year} → {diff.after_year} – {plan.unit_name}", styles.title)])
    for heading, changes in diff.sections():
        ws.append([])
        ws.append([text_cell(ws, f"{heading} ({len(changes)})", styles.heading)])
        if not changes:
            continue
        ws.append([text_cell(ws, name, styles.header) for name in HEADERS])
        for change in changes:
            before, after = change.before, change.after
            ws.append([
                text_cell(ws, change.current.title, styles.body),
                text_cell(ws, change.current.process, styles.body),
                number_cell(ws, before.score if before else None),
                number_cell(ws, after.score if after else None),
                text_cell(ws, before.status.label if before else None),
                text_cell(ws, after.status.label if after else None),
            ])
    ws.append([])
    ws.append([text_cell(ws, f"Oförändrade: {diff.unchanged}", styles.body)])
