"""User text in a workbook is always text: never a formula, never a crash on a control character, and it reads back
exactly as it was written (app.excel.layout.encode; the importer decodes with read_text).

Pure: openpyxl only. The export makes every cell here.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.excel.layout import encode

MAX_LENGTH = 32_767  # Excel's limit for the text of one cell

# Text a spreadsheet program turns into a formula when someone edits the cell (formula or "CSV" injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Text Excel turns into a number or date when someone edits the cell: "2026-03-01", "0123", "1,5".
_LOOKS_NUMERIC = re.compile(r"[0-9][0-9 .,:/%-]*")


@dataclass(frozen=True)
class Style:
    """A cell style prepared once: openpyxl's style setters re-hash their objects on every cell, far too slow here."""

    plain: StyleArray
    quoted: StyleArray  # the same with Excel's quote prefix: the cell stays text when edited


def prepare_style(worksheet: WriteOnlyWorksheet, **attributes: object) -> Style:
    """A Style from openpyxl's own style objects, e.g. prepare_style(ws, font=Font(bold=True))."""
    prototype = WriteOnlyCell(worksheet)
    for name, value in attributes.items():
        setattr(prototype, name, value)
    quoted = WriteOnlyCell(worksheet)
    # _style is the cell's private StyleArray (see Style), which types-openpyxl leaves out.
    quoted._style = copy(prototype._style)  # type: ignore[attr-defined]  # not in types-openpyxl
    quoted.quotePrefix = True
    return Style(copy(prototype._style), copy(quoted._style))  # type: ignore[attr-defined]  # not in types-openpyxl


def clean(text: str) -> str:
    """Text as a cell can hold it: without the control characters xlsx forbids, within Excel's length limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_LENGTH]


def needs_quote_prefix(text: str) -> bool:
    """Whether Excel would turn the text into a formula, error, number or date if someone edited the cell."""
    if text.startswith(FORMULA_TRIGGERS) or text in ERROR_CODES:
        return True
    return text[:1].isdigit() and _LOOKS_NUMERIC.fullmatch(text) is not None


def text_cell(worksheet: WriteOnlyWorksheet, value: str | None, style: Style | None = None) -> Cell | str | None:
    """A cell whose value is the literal text, or None (no cell at all) for empty text.

    Unstyled text that needs no quote prefix (so no formula, no error code) is returned as the plain string: append()
    writes it as text just the same, without a Cell object for each value, which is most of the Register.
    """
    text = clean(value) if value else ""
    if not text:
        return None
    quoted = needs_quote_prefix(text)
    if style is None and not quoted:
        return encode(text)
    cell = WriteOnlyCell(worksheet)
    cell.value = encode(text)
    # The value setter makes "=…" a formula and "#N/A" an error; user text is neither.
    cell.data_type = "s"
    if style is None:
        cell._style = copy(_QUOTED)  # type: ignore[attr-defined]  # not in types-openpyxl
    else:
        prepared = style.quoted if quoted else style.plain
        cell._style = copy(prepared)  # type: ignore[attr-defined]  # not in types-openpyxl
    return cell


def number_cell(
    worksheet: WriteOnlyWorksheet, value: int | float | None, style: Style | None = None
) -> Cell | int | float | None:
    """A numeric cell (so Excel can sum and sort it); the plain number when unstyled, None for no value."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"not a number: {value!r}")
    if style is None:
        return value
    cell = WriteOnlyCell(worksheet, value)
    cell._style = copy(style.plain)  # type: ignore[attr-defined]  # not in types-openpyxl
    return cell


_QUOTED = StyleArray()
_QUOTED.quotePrefix = 1
