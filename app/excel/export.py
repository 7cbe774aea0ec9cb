"""The kvalitetsplan as a workbook: the follow-up table users hand in today, the risk matrix, the flat register (which
the importer reads back) and a legend.

Pure: no Flask, no database. Written in openpyxl's write-only mode, so rows stream to the file instead of piling up
in memory, and every cell is made by app.excel.safe so that user text stays text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.excel.columns import APPENDIX_COLUMNS, APPENDIX_SHEET, DONE_MARK, PERFORMED_MARK
from app.excel.export_sheets import Styles, merge, set_print_layout, write_legend, write_matrix, write_register
from app.excel.safe import number_cell, text_cell

if TYPE_CHECKING:
    from pathlib import Path

    from app.excel.plan_data import ActionData, ControlData, PlanData, RiskData

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
    """Write the four sheets of the plan to output (a path or a binary file object)."""
    options = options or ExportOptions()
    workbook = Workbook(write_only=True)
    styles = Styles(workbook)
    write_appendix(workbook, plan, options, styles)
    write_matrix(workbook, plan, styles)
    write_register(workbook, plan, styles)
    write_legend(workbook, plan, styles, explain_responsible=options.responsible)
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
    score_at, status_at = _index(columns, "Riskvärde"), _index(columns, "Status")
    responsible_at = _index(columns, "Ansvarig")
    row = 3
    for process in plan.processes:
        if process.is_archived:
            continue
        first_of_process = row
        risks = [risk for risk in process.risks if not risk.is_archived] or [None]
        for risk in risks:
            first_of_risk = row
            for control, action in appendix_lines(risk):
                cells = [None] * len(columns)
                if row == first_of_process:
                    cells[0] = text_cell(ws, process.title, styles.body)
                if row == first_of_risk and risk is not None:
                    cells[1] = text_cell(ws, risk.title, styles.body)
                    if score_at is not None and risk.assessment is not None:
                        cells[score_at] = number_cell(ws, risk.assessment.score, styles.level(risk.assessment.level.colour))
                    if status_at is not None and risk.assessment is not None:
                        cells[status_at] = text_cell(ws, risk.assessment.status.label, styles.body)
                cells[2] = text_cell(ws, control_text(control), styles.body) if control else None
                cells[3] = text_cell(ws, action_text(action), styles.body) if action else None
                if responsible_at is not None:
                    item = action or control
                    person = item.responsible if item else None
                    cells[responsible_at] = text_cell(ws, person.name if person else "", styles.body)
                ws.append(cells)
                row += 1
            for column in (1, score_at, status_at):
                if column is not None:
                    merge(ws, column, first_of_risk, row - 1)
        merge(ws, 0, first_of_process, row - 1)


def appendix_lines(risk: RiskData | None) -> list[tuple[ControlData | None, ActionData | None]]:
    """A risk's lines: its åtgärder beside its egenkontroller, one line at least so that every risk is seen."""
    if risk is None:
        return [(None, None)]
    controls = [control for control in risk.controls if not control.is_archived]
    actions = [action for action in risk.actions if not action.is_archived]
    count = max(len(controls), len(actions), 1)
    controls += [None] * (count - len(controls))
    actions += [None] * (count - len(actions))
    return list(zip(controls, actions))


def control_text(control: ControlData) -> str:
    return f"{PERFORMED_MARK} {control.title}" if control.is_performed else control.title


def action_text(action: ActionData) -> str:
    return f"{action.title} {DONE_MARK}" if action.is_done else action.title


def _index(columns: list[str], name: str) -> int | None:
    return columns.index(name) if name in columns else None
