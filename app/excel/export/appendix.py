"""The "Uppföljning kvalitetsplan" sheet, the appendix users hand in with the kvalitetsberättelse, laid out for paper.

Process | Risk | Egenkontroll | Åtgärd, one line per åtgärd, the process and the risk merged over their lines. Neither
Excel nor LibreOffice sizes rows to wrapped text when it opens a file, so every row gets its height here
(app.excel.export.text_fit), and the pages are broken here too: a process or risk that goes on over a page break is
named again at the top of the next page, "… (forts.)" (layout.CONTINUED). The print scale is fixed, so the page
height in rows does not depend on the fonts of whichever program prints it.

Pure: no Flask, no database; see app.excel.export.workbook.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.pagebreak import Break

from app.core.year_plan import ActionData, ControlData, PlanData, ProcessData, RiskData
from app.excel.export.cells import number_cell, text_cell
from app.excel.export.sheets import Styles, merge
from app.excel.export.text_fit import line_count, points, row_height
from app.excel.layout import (
    APPENDIX_COLUMNS,
    APPENDIX_LEGEND,
    APPENDIX_SHEET,
    DONE_MARK,
    PERFORMED_MARK,
    check_note,
    continued,
)

WIDTHS = {"Process": 26, "Risk": 40, "Egenkontroll": 34, "Åtgärd": 60, "Riskvärde": 11, "Status": 14, "Ansvarig": 24}

# A4 landscape in points, and the margins set on the sheet (inches, as the file stores them).
PAGE_WIDTH, PAGE_HEIGHT = 841.89, 595.28
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_HEADER = 0.5, 0.75, 0.75, 0.3
# Points per unit of column width at 100 %: LibreOffice's with DejaVu Sans, the widest of the programs and fonts
# that print the file (Excel with Calibri needs 5.25), with 4 % to spare so that no column spills onto a page of its own.
POINTS_PER_WIDTH = 7.0 * 1.04
PAGE_FILL = 0.97  # the share of a page's height the rows may fill: row heights are rounded as programs read them
TITLE_HEIGHT = 24.0


@dataclass(frozen=True)
class ExportOptions:
    """Optional columns of the follow-up table (checkboxes in the browser, flags on the command line)."""

    score: bool = False  # Riskvärde, the cell filled with the level's colour
    status: bool = False  # the risk's status for the year
    responsible: bool = False  # who is responsible for the åtgärd (or, on a line without one, the egenkontroll)
    follow_up: bool = True  # a genomförd åtgärd's follow-up and a performed egenkontroll's latest check

    @property
    def appendix_columns(self) -> list[str]:
        extra = [("Riskvärde", self.score), ("Status", self.status), ("Ansvarig", self.responsible)]
        return APPENDIX_COLUMNS + [name for name, wanted in extra if wanted]


@dataclass
class _Line:
    """One line of the table; first_* is the index of the first line of its process or risk, last_* of the last."""

    index: int
    process: ProcessData
    risk: RiskData | None
    control: ControlData | None
    action: ActionData | None
    first_process: int
    first_risk: int
    last_process: int = 0
    last_risk: int = 0
    height: float = 0.0


def write_appendix(workbook: Workbook, plan: PlanData, options: ExportOptions, styles: Styles) -> None:
    """The table with its title and legend, every row as high as its text, page breaks that name what continues."""
    ws = workbook.create_sheet(APPENDIX_SHEET)
    columns = options.appendix_columns
    widths = [WIDTHS[name] for name in columns]
    for index, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    lines = _lines(plan)
    layout = _Layout(columns, options)
    header_height = row_height(max(line_count(name, WIDTHS[name], bold=True) for name in columns))
    scale = print_scale(widths)
    page = (PAGE_HEIGHT - 72 * (MARGIN_TOP + MARGIN_BOTTOM)) * PAGE_FILL * 100 / scale - header_height
    breaks = layout.paginate(lines, page - TITLE_HEIGHT, page)
    legend_row = len(lines) + 4
    _set_print_layout(ws, scale, f"A1:{get_column_letter(len(columns))}{legend_row}")
    # The break goes after the row; the line's row is its index + 3. Set at once: append re-checks every break.
    ws.row_breaks.brk = tuple(Break(id=brk + 2) for brk in breaks)

    heights = _Heights(ws)
    heights.append([text_cell(ws, f"{APPENDIX_SHEET} {plan.year} – {plan.unit_name}", styles.title)], TITLE_HEIGHT)
    heights.append([text_cell(ws, name, styles.header) for name in columns], header_height)
    # The risk's own columns are merged over its lines like the risk itself.
    risk_columns = [index for index, name in enumerate(columns) if name in ("Risk", "Riskvärde", "Status")]
    page_starts = set(breaks)
    next_breaks = iter(breaks + [len(lines)])
    page_end = next(next_breaks)  # the first line of the next page
    for index, line in enumerate(lines):
        if index == page_end:
            page_end = next(next_breaks)
        new_page = index in page_starts
        show_process = index == line.first_process or new_page
        show_risk = index == line.first_risk or new_page
        heights.append(
            layout.cells(ws, styles, line, show_process, show_risk, continues=new_page), line.height
        )
        if show_process:
            merge(ws, 0, index + 3, min(line.last_process, page_end - 1) + 3)
        if show_risk:
            for column in risk_columns:
                merge(ws, column, index + 3, min(line.last_risk, page_end - 1) + 3)
    heights.append([], row_height(1) / 2)
    heights.append([text_cell(ws, APPENDIX_LEGEND, styles.note)], row_height(1))


def print_scale(widths: list[int]) -> int:
    """The print scale in percent at which the columns fill an A4 landscape page's width, 100 at most."""
    room = PAGE_WIDTH - 72 * 2 * MARGIN_SIDE
    return min(100, math.floor(100 * room / (sum(widths) * POINTS_PER_WIDTH)))


def _set_print_layout(ws: Any, scale: int, area: str) -> None:
    """A4 landscape at a fixed scale, the column header on every page, page numbers in the footer.

    ws is Any: types-openpyxl leaves out the print settings write-only sheets get from Worksheet."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.scale = scale
    margins = ws.page_margins
    margins.left = margins.right = MARGIN_SIDE
    margins.top, margins.bottom = MARGIN_TOP, MARGIN_BOTTOM
    margins.header = margins.footer = MARGIN_HEADER
    ws.print_options.gridLines = True
    ws.oddFooter.center.text = "Sida &P av &N"
    ws.print_title_rows = "2:2"
    ws.print_area = area
    ws.freeze_panes = "A3"


class _Heights:
    """Appends rows with their heights: one RowDimension per distinct height, given to the writer for one row only
    (write-only sheets read a row's dimension while appending it), so that 100,000 rows cost no more objects."""

    def __init__(self, ws: Any) -> None:  # Any: as in _set_print_layout
        self.ws, self.row = ws, 0
        self._dimensions: dict[float, RowDimension] = {}

    def append(self, cells: list, height: float) -> None:
        self.row += 1
        height = points(height)
        dimension = self._dimensions.get(height)
        if dimension is None:
            dimension = self._dimensions[height] = RowDimension(self.ws, ht=height, customHeight=True)
        self.ws.row_dimensions[self.row] = dimension
        self.ws.append(cells)
        del self.ws.row_dimensions[self.row]


class _Layout:
    """The texts of the table's cells and the heights and page breaks they need."""

    def __init__(self, columns: list[str], options: ExportOptions) -> None:
        self.columns, self.options = columns, options
        self.width = {name: WIDTHS[name] for name in columns}

    # --- the texts ---

    def cells(
        self, ws: WriteOnlyWorksheet, styles: Styles, line: _Line, show_process: bool, show_risk: bool, *,
        continues: bool,
    ) -> list[Cell | str | int | float | None]:
        """One line's cells; the process and the risk only where their merged cells begin."""
        body, options, risk = styles.body, self.options, line.risk
        process_text = self.process_text(line, continues) if show_process else None
        risk_text = self.risk_text(line, continues) if show_risk and risk else None
        cells: list[Cell | str | int | float | None] = [
            text_cell(ws, process_text, body),
            text_cell(ws, risk_text, body),
            text_cell(ws, self.control_text(line.control), body) if line.control else None,
            text_cell(ws, self.action_text(line.action), body) if line.action else None,
        ]
        assessment = risk.assessment if risk and show_risk else None
        if options.score:
            cells.append(number_cell(ws, assessment.score, styles.level(assessment.level.colour)) if assessment else None)
        if options.status:
            cells.append(text_cell(ws, assessment.status.label, body) if assessment else None)
        if options.responsible:
            responsible = self.responsible(line)
            cells.append(text_cell(ws, responsible, body) if responsible else None)
        return cells

    @staticmethod
    def process_text(line: _Line, continues: bool) -> str:
        """The process, "… (forts.)" at the top of a page it goes on to."""
        return continued(line.process.title) if continues and line.first_process < line.index else line.process.title

    @staticmethod
    def risk_text(line: _Line, continues: bool) -> str:
        title = line.risk.title if line.risk else ""
        return continued(title) if continues and line.first_risk < line.index else title

    def control_text(self, control: ControlData) -> str:
        """The title, after ◆ when carried out in the year, then the latest such check: "(2026-10-12, utan anmärkning)"."""
        if not control.is_performed:
            return control.title
        text = f"{PERFORMED_MARK} {control.title}"
        if self.options.follow_up:
            check = [check for check in control.checks if check.counts_as_performed][-1]
            text += check_note(check.performed_on, check.outcome.label)
        return text

    def action_text(self, action: ActionData) -> str:
        """The title, then on its own line the follow-up of a genomförd åtgärd, then ✓."""
        if not action.is_done:
            return action.title
        if self.options.follow_up and action.follow_up.strip():
            return f"{action.title}\n{action.follow_up.strip()} {DONE_MARK}"
        return f"{action.title} {DONE_MARK}"

    @staticmethod
    def responsible(line: _Line) -> str | None:
        item = line.action or line.control
        return item.responsible.name if item and item.responsible else None

    # --- heights and pages ---

    def paginate(self, lines: list[_Line], first_page: float, page: float) -> list[int]:
        """Every line's height, and the lines that begin a page (after the first), each page at most page points.

        A page is not broken where the part of a merged process or risk left above the break would be too low for
        its text; the text a continued process or risk takes at the top of the next page is made room for.
        """
        for line in lines:
            line.height = self._own_height(line)
        self._fit_groups(lines, "risk")
        self._fit_groups(lines, "process")
        breaks: list[int] = []
        start, used, room, index = 0, 0.0, first_page, 0
        while index < len(lines):
            height = lines[index].height
            if index == start or used + height <= room:
                used += height
                index += 1
                continue
            end = index
            while end > start + 1 and not self._can_break(lines, start, end):
                end -= 1
            if not self._can_break(lines, start, end):
                end = index
            breaks.append(end)
            self._fit_continued(lines, end)
            start, used, room, index = end, 0.0, page, end
        return breaks

    def _own_height(self, line: _Line) -> float:
        """The height the line's own cells (egenkontroll, åtgärd, ansvarig) need."""
        texts = []
        if line.control:
            texts.append((self.control_text(line.control), "Egenkontroll"))
        if line.action:
            texts.append((self.action_text(line.action), "Åtgärd"))
        if "Ansvarig" in self.width and (responsible := self.responsible(line)):
            texts.append((responsible, "Ansvarig"))
        return row_height(max((line_count(text, self.width[name]) for text, name in texts), default=1))

    def _need(self, lines: list[_Line], index: int, kind: str, continues: bool) -> float:
        """The height the merged process or risk cell beginning at the line needs for its text."""
        line = lines[index]
        if kind == "process":
            return row_height(line_count(self.process_text(line, continues), self.width["Process"]))
        if line.risk is None:
            return 0.0
        return row_height(line_count(self.risk_text(line, continues), self.width["Risk"]))

    def _fit_groups(self, lines: list[_Line], kind: str) -> None:
        """Each whole process or risk made high enough for its text; what is missing goes to its last line."""
        first = _first(kind)
        index = 0
        while index < len(lines):
            last = _last(kind)(lines[index])
            have = sum(line.height for line in lines[index:last + 1])
            need = self._need(lines, first(lines[index]), kind, False)
            if have < need:
                lines[last].height += need - have
            index = last + 1

    def _can_break(self, lines: list[_Line], start: int, end: int) -> bool:
        """Whether the page that began at start may end before end: each process and risk going on over the break
        keeps enough height above it for its text."""
        before = lines[end - 1]
        for kind in ("process", "risk"):
            if _last(kind)(before) < end:
                continue
            top = max(_first(kind)(before), start)
            have = sum(line.height for line in lines[top:end])
            if have < self._need(lines, top, kind, top == start and top > _first(kind)(before)):
                return False
        return True

    def _fit_continued(self, lines: list[_Line], start: int) -> None:
        """Room for "… (forts.)" in the processes and risks that go on at the top of the page beginning at start."""
        for kind in ("risk", "process"):
            first, last = _first(kind)(lines[start]), _last(kind)(lines[start])
            if first == start:
                continue
            need = self._need(lines, start, kind, True)
            have = 0.0
            for index in range(start, last + 1):
                have += lines[index].height
                if have >= need:
                    break
            else:
                lines[last].height += need - have


def _lines(plan: PlanData) -> list[_Line]:
    """The table's lines in the plan's order, each knowing where its process and risk begin and end."""
    lines: list[_Line] = []
    for process in (process for process in plan.processes if not process.is_archived):
        first_process = len(lines)
        risks: list[RiskData | None] = [risk for risk in process.risks if not risk.is_archived] or [None]
        for risk in risks:
            first_risk = len(lines)
            for control, action in appendix_lines(risk):
                lines.append(_Line(len(lines), process, risk, control, action, first_process, first_risk))
            for line in lines[first_risk:]:
                line.last_risk = len(lines) - 1
        for line in lines[first_process:]:
            line.last_process = len(lines) - 1
    return lines


def _first(kind: str) -> Callable[[_Line], int]:
    return (lambda line: line.first_process) if kind == "process" else (lambda line: line.first_risk)


def _last(kind: str) -> Callable[[_Line], int]:
    return (lambda line: line.last_process) if kind == "process" else (lambda line: line.last_risk)


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
