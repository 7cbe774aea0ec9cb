"""Small files in the appendix layout municipalities hand in, built in memory for the import tests.

The text is our own, written in the style of a kvalitetsberättelse appendix: a title row, then Process | Risk |
Egenkontroll | Åtgärd, the process and risk written once for a group of lines.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
from openpyxl import Workbook

from app.excel.layout import APPENDIX_SHEET

TITLE = "Uppföljning kvalitetsplan – Testenheten"
HEADER = ["Process", "Risk", "Egenkontroll", "Åtgärd", "Sannolikhet", "Konsekvens", "Status", "Ansvarig"]
# Blank Process and Risk cells continue the line above, as merged cells read.
ROWS = [
    ["Mottagning", "Ansökan registreras inte samma dag", "◆ Stickprov i diariet",
     "Ta fram en checklista för registrering ✓", "3 - Stor", "2 – Måttlig", "Pågående", "anna@exempel.se"],
    ["", "", "", "Utbilda nya handläggare i diariet", "", "", "", ""],
    ["", "Uppgifter lämnas ut till fel person", "◆ Behörighetskontroll", "Se över behörigheter i verksamhetssystemet",
     "2", "4", "", ""],
    ["Utredning av barn", "Barnets röst hörs inte i utredningen", "Journalgranskning",
     "Inför en samtalsmall för barnsamtal", "1", "3", "Ny", "Bertil Berg"],
    ["", "", "", "Följ upp barnsamtalen på ärendedragning ✓", "", "", "", ""],
    ["Klagomål och synpunkter", "Klagomål besvaras inte inom två veckor", "",
     "Gå igenom rutinen för klagomål på arbetsplatsträffen", "", "", "", ""],
]
# Merged ranges of ROWS in the workbook (first row of data is row 3, after the title and the header).
MERGES = ["A3:A5", "B3:B4", "A6:A7", "B6:B7"]


def appendix_xlsx(rows=ROWS, header=HEADER, *, title: str | None = TITLE, merges=MERGES) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bilaga 7"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    sheet.append(header)
    for row in rows:
        sheet.append([value if value != "" else None for value in row])
    for cells in merges if title else []:
        sheet.merge_cells(cells)
    return save(workbook)


def appendix_text(rows=ROWS, header=HEADER, *, delimiter: str = ";", bom: bool = True, title: bool = True,
                  repeat: bool = False) -> bytes:
    """CSV or TSV as Excel writes it; repeat writes the process and risk on every line instead of once."""
    import csv

    if repeat:
        filled, process, risk = [], "", ""
        for row in rows:
            row = list(row)
            if row[0]:
                process, risk = row[0], ""
            risk = row[1] or risk
            row[0], row[1] = process, risk
            filled.append(row)
        rows = filled
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    if title:
        writer.writerow([TITLE] + [""] * (len(header) - 1))
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + output.getvalue().encode("utf-8")


def with_appendix_rows(content: bytes, rows: list[list]) -> bytes:
    """Our export with its appendix table (below the title and header) retyped as rows, the merged cells undone, as
    someone editing it line by line in Excel leaves it."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[APPENDIX_SHEET]
    for merged in list(sheet.merged_cells.ranges):
        sheet.unmerge_cells(str(merged))
    sheet.delete_rows(3, sheet.max_row)
    for row in rows:
        sheet.append(row)
    return save(workbook)


def save(workbook: Workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def rezip(content: bytes, *, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """A copy of an xlsx with members added or replaced (for macro workbooks and bombs)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return output.getvalue()
