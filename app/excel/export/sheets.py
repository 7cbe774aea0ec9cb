"""The workbook's other sheets: Riskmatris and Förklaringar, and the styles and layout all sheets share.

Pure: no Flask, no database; see app.excel.export.workbook.
"""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties

from app.core.year_plan import PlanData
from app.excel.export.cells import Style, number_cell, prepare_style, text_cell
from app.excel.layout import (
    APPENDIX_SHEET,
    DONE_MARK,
    LEGEND_SHEET,
    MATRIX_SHEET,
    PERFORMED_MARK,
    REGISTER_SHEET,
)
from app.models.matrix import Level

HEADER_FILL = "D9DEE5"
UNPRINTED_CELL = "ZZ1"  # beyond every sheet's columns
FALLBACK_COLOUR = "BDBDBD"
_HEX, _SHORT_HEX = re.compile(r"[0-9A-Fa-f]{6}"), re.compile(r"[0-9A-Fa-f]{3}")


class Styles:
    """The workbook's cell styles, each prepared once; level fills are made on first use."""

    def __init__(self, workbook: Workbook) -> None:
        self._sheet = workbook.create_sheet("_")  # openpyxl needs a sheet to prepare styles; removed before saving
        top = Alignment(vertical="top", wrap_text=True)
        self.title = self._make(font=Font(bold=True, size=14))
        self.heading = self._make(font=Font(bold=True))
        self.header = self._make(font=Font(bold=True), fill=_fill(HEADER_FILL), alignment=top)
        self.body = self._make(alignment=top)
        # One line of text under a table: not wrapped, so it runs on over the empty cells beside it.
        self.note = self._make()
        self.centred = self._make(alignment=Alignment(horizontal="center", vertical="center"))
        self.axis = self._make(  # the vertical axis title of the matrix, written upwards
            font=Font(bold=True), fill=_fill(HEADER_FILL),
            alignment=Alignment(horizontal="center", vertical="center", text_rotation=90),
        )
        self._levels: dict[str, Style] = {}
        self._workbook = workbook

    def level(self, colour: str) -> Style:
        """A cell filled with a level's colour, its text black or white, whichever reads better."""
        argb = argb_colour(colour)
        if argb not in self._levels:
            self._levels[argb] = self._make(
                fill=_fill(argb),
                font=Font(bold=True, color=text_colour(argb)),
                alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            )
        return self._levels[argb]

    def done(self) -> None:
        self._workbook.remove(self._sheet)

    def _make(self, **attributes) -> Style:
        return prepare_style(self._sheet, **attributes)


def write_matrix(workbook: Workbook, plan: PlanData, styles: Styles) -> None:
    """The year's matrix with the number of risks per cell, highest likelihood at the top, and totals per level."""
    ws = workbook.create_sheet(MATRIX_SHEET)
    matrix, grid = plan.matrix, plan.matrix.grid
    width = len(matrix.consequence_labels)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 22
    for index in range(width):
        ws.column_dimensions[get_column_letter(index + 3)].width = 16
    set_print_layout(ws)
    ws.append([text_cell(ws, f"{MATRIX_SHEET} {plan.year} – {plan.unit_name}", styles.title)])
    ws.append([text_cell(ws, "Antal risker per sannolikhet och konsekvens. Riskvärde = sannolikhet × konsekvens.")])
    ws.append([None, None, text_cell(ws, "Konsekvens →", styles.header)])
    ws.merged_cells.add(f"C3:{get_column_letter(width + 2)}3")
    ws.append(
        [None, None]
        + [text_cell(ws, f"{value} {label}", styles.header) for value, label in enumerate(matrix.consequence_labels, 1)]
    )
    first = 5
    for offset, cells in enumerate(grid.rows):
        likelihood = cells[0].likelihood
        ws.append(
            [
                text_cell(ws, "Sannolikhet ↑", styles.axis) if offset == 0 else None,
                text_cell(ws, f"{likelihood} {matrix.likelihood_labels[likelihood - 1]}", styles.header),
            ]
            + [number_cell(ws, cell.count, styles.level(cell.level.colour)) for cell in cells]
        )
    merge(ws, 0, first, first + len(grid.rows) - 1)
    ws.append([])
    ws.append([text_cell(ws, name, styles.header) for name in ("Risknivå", "Riskvärde", "Antal risker")])
    for total in grid.totals:
        level_cell = text_cell(ws, total.level.name, styles.level(total.level.colour))
        scores = text_cell(ws, level_range(total.level), styles.centred)
        ws.append([level_cell, scores, _count(ws, total.count, styles)])
    ws.append([text_cell(ws, f"Bedömda {plan.year}", styles.heading), None, _count(ws, grid.assessed, styles)])
    ws.append([text_cell(ws, f"Ej bedömda {plan.year}", styles.heading), None, _count(ws, matrix.not_assessed, styles)])
    ws.append([])
    if grid.off_scale:
        note = f"{grid.off_scale} bedömningar ligger utanför matrisens skala och syns inte i rutorna."
        ws.append([text_cell(ws, note)])
    ws.append([text_cell(ws, "Arkiverade risker och risker i arkiverade processer räknas inte.")])


def _count(ws, count: int, styles: Styles):
    return number_cell(ws, count, styles.centred)


def write_legend(workbook: Workbook, plan: PlanData, styles: Styles, *, explain_responsible: bool = False) -> None:
    """What the symbols, scales and colours mean, and which unit, year and moment the workbook shows."""
    ws = workbook.create_sheet(LEGEND_SHEET)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 70
    set_print_layout(ws)

    def pair(label: str | int | None, text: str | None, style=None) -> None:
        first = number_cell(ws, label, styles.centred) if isinstance(label, int) else text_cell(ws, label, style)
        ws.append([first, text_cell(ws, text, styles.body)])

    ws.append([text_cell(ws, f"{LEGEND_SHEET} – {APPENDIX_SHEET} {plan.year}", styles.title)])
    pair("Enhet", plan.unit_name)
    pair("Kortnamn", plan.unit_code)
    ws.append([text_cell(ws, "År"), number_cell(ws, plan.year)])
    pair("Kvalitetsplanens status", plan.status.label if plan.status else "Ej påbörjad")
    pair("Exporterad", plan.exported_at.isoformat(timespec="seconds"))
    ws.append([])
    ws.append([text_cell(ws, "Symboler", styles.heading)])
    pair(PERFORMED_MARK, f"I kolumnen Egenkontroll: egenkontrollen har genomförts under {plan.year}.")
    pair(DONE_MARK, "Efter en åtgärd: åtgärden är genomförd.")
    if explain_responsible:
        pair("Ansvarig", "Ansvarig för åtgärden; på en rad utan åtgärd ansvarig för egenkontrollen.")
    scales = (("Sannolikhet", plan.matrix.likelihood_labels), ("Konsekvens", plan.matrix.consequence_labels))
    for heading, labels in scales:
        ws.append([])
        ws.append([text_cell(ws, heading, styles.heading)])
        for value, label in enumerate(labels, 1):
            pair(value, label)
    ws.append([])
    ws.append([text_cell(ws, name, styles.heading) for name in ("Risknivå", "Riskvärde (sannolikhet × konsekvens)")])
    for level in reversed(plan.matrix.levels):
        pair(level.name, level_range(level), styles.level(level.colour))
    ws.append([])
    ws.append([text_cell(ws, "Blad", styles.heading)])
    pair(APPENDIX_SHEET, "Processer, risker, egenkontroller och åtgärder, som bilagan till kvalitetsberättelsen.")
    pair(MATRIX_SHEET, "Antal risker per ruta i årets riskmatris.")
    pair(REGISTER_SHEET, "Hela registret för året, en rad per post. Kan läsas in igen.")
    ws.append([])
    ws.append([text_cell(ws, "Utskrift", styles.heading)])
    pair(APPENDIX_SHEET, "Skrivs ut på A4 liggande, med kolumnrubrikerna på varje sida och förklaringen sist.")
    pair("Övriga blad", "Skrivs inte ut med arbetsboken. För att skriva ut ett av dem: ta bort bladets utskriftsområde "
         "(Excel: Sidlayout → Utskriftsområde → Rensa utskriftsområde; LibreOffice: Format → Utskriftsområden → "
         "Rensa).")


def merge(ws, column: int, first_row: int, last_row: int) -> None:
    """Merge a column's cells over rows; the value stays in the first cell, as Excel expects."""
    if last_row > first_row:
        # MultiCellRange.add checks every earlier range (quadratic over a large plan); the rows never overlap here.
        cells = CellRange(min_col=column + 1, min_row=first_row, max_col=column + 1, max_row=last_row)
        ws.merged_cells.ranges.add(cells)


def set_print_layout(ws, *, title_rows: str | None = None) -> None:
    """A4 landscape, as wide as one page, page numbers in the footer, the header row on every page: how the sheet
    prints once someone clears the print area leave_out_of_print gives it."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = True
    ws.oddFooter.center.text = "Sida &P av &N"
    if title_rows:
        ws.print_title_rows = title_rows


def leave_out_of_print(ws) -> None:
    """Printing the whole workbook prints the appendix only: the sheet's print area is one empty cell, and programs
    leave empty pages out (LibreOffice does; Excel prints only the active sheet unless asked for the whole workbook).
    """
    ws.print_area = f"{UNPRINTED_CELL}:{UNPRINTED_CELL}"


def argb_colour(colour: str) -> str:
    """A level colour ("#2e7d32", "#fa0") as openpyxl wants it ("2E7D32"); grey when it cannot be read."""
    text = (colour or "").strip().removeprefix("#")
    if _SHORT_HEX.fullmatch(text):
        text = "".join(char * 2 for char in text)
    return text.upper() if _HEX.fullmatch(text) else FALLBACK_COLOUR


def text_colour(argb: str) -> str:
    """Black or white, whichever reads better on the fill (the same rule as the web pages)."""
    red, green, blue = (int(argb[i : i + 2], 16) for i in (0, 2, 4))
    return "000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "FFFFFF"


def level_range(level: Level) -> str:
    """The riskvärden a level covers, as users are shown them: "4–6", or "16" for a single value."""
    if level.max_score == level.min_score:
        return str(level.min_score)
    return f"{level.min_score}–{level.max_score}"


def _fill(argb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=argb, end_color=argb)
