"""The kvalitetsplan as a workbook: the follow-up table users hand in today, the risk matrix, the flat register (which
the importer reads back) and a legend.

Pure: no Flask, no database. Written in openpyxl's write-only mode, so rows stream to the file instead of piling up
in memory, and every cell is made by app.excel.export.cells so that user text stays text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.core.year_plan import ActionData, ControlData, PlanData, ProcessData, RiskData
from app.excel.export.cells import number_cell, text_cell
from app.excel.export.changes import write_changes
from app.excel.export.register import write_register
from app.excel.export.sheets import (
    Styles,
    merge,
    set_print_layout,
    write_legend,
    write_matrix,
)
from app.excel.layout import APPENDIX_COLUMNS, APPENDIX_SHEET, DONE_MARK, PERFORMED_MARK

WIDTHS = {"Process": 26, "Risk": 40, "Egenkontroll": 34, "Åtgärd": 60, "Riskvärde": 11, "Status": 14, "Ansvarig": 24}


@dataclass(frozen=True)
class ExportOptions:
    """Optional columns of the follow-up table (checkboxes in the browser, flags on the command line)."""

    score: bool = False  # Riskvärde, the cell filled with the level's colour
    status: bool = False  # the risk's status for the year
    responsible: bool = False  # who is responsible for the åtgärd (or, on a line without one, the egenkontroll)

    @property
    def appendix_columns(self) -> list[str]:
        extra = [("Riskvärde", self.score), ("Status", self.status), ("Ansvarig", self.responsible)]
        return APPENDIX_COLUMNS + [name for name, wanted in extra if wanted]


def write_workbook(plan: PlanData, output: str | Path | BinaryIO, options: ExportOptions | None = None) -> None:
    """Write the sheets of the plan to output (a path or a binary file object); Förändring when plan.changes."""
    options = options or ExportOptions()
    workbook = Workbook(write_only=True)
    styles = Styles(workbook)
    write_appendix(workbook, plan, options, styles)
    write_matrix(workbook, plan, styles)
    write_register(workbook, plan, styles)
    write_legend(workbook, plan, styles, explain_responsible=options.responsible)
    write_changes(workbook, plan, styles)
    styles.done()
    workbook.save(output)


def write_appendix(workbook: Workbook, plan: PlanData, options: ExportOptions, styles: Styles) -> None:
    """Process | Risk | Egenkontroll | Åtgärd: one line per åtgärd, process and risk merged over their lines."""
    ws = workbook.create_sheet(APPENDIX_SHEET)
    columns = options.appendix_columns
    for index, name in enumerate(columns):
        ws.column_dimensions[get_column_letter(index + 1)].width = WIDTHS[name]
    set_print_layout(ws, title_rows="2:2")
    ws.freeze_panes = "A3"
    ws.append([text_cell(ws, f"{APPENDIX_SHEET} {plan.year} – {plan.unit_name}", styles.title)])
    ws.append([text_cell(ws, name, styles.header) for name in columns])
    # The risk's own columns are merged over its lines like the risk itself.
    risk_columns = [index for index, name in enumerate(columns) if name in ("Risk", "Riskvärde", "Status")]
    row = 3
    for process in (process for process in plan.processes if not process.is_archived):
        first_of_process = row
        risks: list[RiskData | None] = [risk for risk in process.risks if not risk.is_archived] or [None]
        for risk in risks:
            first_of_risk = row
            for control, action in appendix_lines(risk):
                first = row == first_of_risk
                ws.append(
                    _line(ws, styles, options, process if row == first_of_process else None, risk if first else None,
                          control, action)
                )
                row += 1
            for column in risk_columns:
                merge(ws, column, first_of_risk, row - 1)
        merge(ws, 0, first_of_process, row - 1)


def _line(
    ws: WriteOnlyWorksheet,
    styles: Styles,
    options: ExportOptions,
    process: ProcessData | None,
    risk: RiskData | None,
    control: ControlData | None,
    action: ActionData | None,
) -> list[Cell | str | int | float | None]:
    """One line's cells; the process and the risk are given only on the first line of their group."""
    body = styles.body
    cells: list[Cell | str | int | float | None] = [
        text_cell(ws, process.title, body) if process else None,
        text_cell(ws, risk.title, body) if risk else None,
        text_cell(ws, control_text(control), body) if control else None,
        text_cell(ws, action_text(action), body) if action else None,
    ]
    assessment = risk.assessment if risk else None
    if options.score:
        cells.append(number_cell(ws, assessment.score, styles.level(assessment.level.colour)) if assessment else None)
    if options.status:
        cells.append(text_cell(ws, assessment.status.label, body) if assessment else None)
    if options.responsible:
        item = action or control
        cells.append(text_cell(ws, item.responsible.name, body) if item and item.responsible else None)
    return cells


def appendix_lines(risk: RiskData | None) -> list[tuple[ControlData | None, ActionData | None]]:
    """A risk's lines: its åtgärder beside its egenkontroller, one line at least so that every risk is seen."""
    if risk is None:
        return [(None, None)]
    controls: list[ControlData | None] = [control for control in risk.controls if not control.is_archived]
    actions: list[ActionData | None] = [action for action in risk.actions if not action.is_archived]
    count = max(len(controls), len(actions), 1)
    controls += [None] * (count - len(controls))
    actions += [None] * (count - len(actions))
    return list(zip(controls, actions))


def control_text(control: ControlData) -> str:
    return f"{PERFORMED_MARK} {control.title}" if control.is_performed else control.title


def action_text(action: ActionData) -> str:
    return f"{action.title} {DONE_MARK}" if action.is_done else action.title
