"""What a file says about processes, risks, egenkontroller and åtgärder (a ParsedPlan), and how both layouts read
their cells (app.excel.importing.parse picks the layout).

Pure: no Flask, no database. Every problem becomes a RowError; all of them are collected, not only the first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.excel.importing.reader import Formula, Sheet


@dataclass(frozen=True)
class RowError:
    """A problem at a place in the file; row and column are None when it concerns the whole file or sheet."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    @property
    def place(self) -> str:
        parts = [f"blad {self.sheet}" if self.sheet else "", f"rad {self.row}" if self.row else "",
                 f"kolumn {self.column}" if self.column else ""]
        return ", ".join(part for part in parts if part)

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


@dataclass
class Origin:
    """Where an item was read: its first row, and for each model field the cell that gave it."""

    sheet: str
    row: int
    cells: dict[str, tuple[int, str]] = field(default_factory=dict)

    def error(self, message: str, field_name: str | None = None) -> RowError:
        row, column = self.cells.get(field_name or "", (self.row, None))
        return RowError(self.sheet, row, column, message)


@dataclass
class ParsedItem:
    """One process, risk, egenkontroll, genomförd egenkontroll or åtgärd as the file describes it.

    key identifies it within the file (its ref in the Register, its folded title in the appendix). values holds only
    the model fields the file gives: a field that is absent is left as it is in the register.
    """

    key: str
    ref: str | None
    title: str | None
    origin: Origin
    values: dict[str, Any] = field(default_factory=dict)
    parent_key: str | None = None  # process: parent process; risk: its process; check: its egenkontroll
    risk_keys: list[str] = field(default_factory=list)  # egenkontroll, åtgärd: linked risks
    for_risk: str | None = None  # an unnamed egenkontroll ("◆" alone): the one following up this risk
    unit_code: str | None = None  # Register: the Enhet a new process, egenkontroll or åtgärd is created in
    # Appendix åtgärd: the ways its text reads as (title, follow-up), best guess first; the register's titles decide
    # ("Titel. Uppföljning ✓" is a title and its follow-up, unless the whole text is a title the register knows).
    readings: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ParsedRisk(ParsedItem):
    # The year's assessment: likelihood, consequence, and optionally status and comment.
    assessment: dict[str, Any] | None = None
    # Appendix: the keys of the risk's egenkontroller and åtgärder in the order the sheet lists them under it.
    control_keys: list[str] = field(default_factory=list)
    action_keys: list[str] = field(default_factory=list)


@dataclass
class ParsedPlan:
    layout: str  # "register" or "appendix"
    sheet: str
    processes: list[ParsedItem] = field(default_factory=list)
    risks: list[ParsedRisk] = field(default_factory=list)
    controls: list[ParsedItem] = field(default_factory=list)
    checks: list[ParsedItem] = field(default_factory=list)
    actions: list[ParsedItem] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)  # keys of rows left out for their errors
    # A workbook of our own export carries both sheets: the Register is applied, and the appendix is compared with it
    # so that an edit made only in the appendix is applied or shown as a conflict (app.excel.importing.edits).
    appendix: ParsedPlan | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.processes or self.risks or self.controls or self.actions)


# --- cells -----------------------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """A header or title as compared: no accents, no case, single spaces ("Åtgärd " → "atgard")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def title_key(text: str) -> str:
    """How titles are matched: case and spacing ignored, but å, ä, ö kept (they make different words)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class CellError(ValueError):
    """A cell that cannot be read as what its column needs; the message is Swedish."""


def cell_text(value: Any) -> str:
    """A cell as text; an empty cell is ""."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        raise CellError("Cellen innehåller en formel. Formler läses inte vid import; skriv in värdet i stället.")
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_LEADING_NUMBER = re.compile(r"^\s*(\d+)\s*(?:[-–—:.,)]\s*\S.*)?$", re.DOTALL)


def cell_scale(value: Any) -> int | None:
    """A scale cell: 3, "3", "3 - Möjlig" or "3 – Stor" read as 3; empty is None."""
    if isinstance(value, bool):
        raise CellError("Ange en siffra, t.ex. 3 eller ”3 - Stor”.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value).strip()
    if not text:
        return None
    match = _LEADING_NUMBER.match(text)
    if not match:
        raise CellError(f"”{_short(text)}” är inte ett värde på skalan. Ange en siffra, t.ex. 3 eller ”3 - Stor”.")
    return int(match.group(1))


def cell_int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value).strip()
    if not text:
        return None
    if re.fullmatch(r"-?\d{1,9}", text):
        return int(text)
    raise CellError(f"”{_short(text)}” är inte ett heltal.")


def cell_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00)?)?", text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise CellError(f"”{_short(text)}” är inte ett datum. Skriv datum som ÅÅÅÅ-MM-DD.")


def cell_enum(value: Any, enum_class, what: str):
    """A status, outcome, frequency or area by its Swedish label (or code); empty is None."""
    text = cell_text(value).strip()
    if not text:
        return None
    try:
        return enum_class.parse(text)
    except ValueError:
        labels = ", ".join(member.label for member in enum_class)
        raise CellError(f"Okänd {what} ”{_short(text)}”. Välj en av: {labels}.") from None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_blank(row: tuple) -> bool:
    return not row or all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def find_header(sheet: Sheet, aliases: dict[str, set[str]], needed: int, scan: int = 30):
    """(row number, {column name: index}) of the first row naming at least `needed` known columns, else None.

    A title row above the table, odd case and spacing are tolerated.
    """
    for number, row in enumerate(sheet.rows[:scan], start=1):
        found: dict[str, int] = {}
        for index, value in enumerate(row):
            if isinstance(value, str):
                name = next((canonical for canonical, names in aliases.items() if fold(value) in names), None)
                if name is not None and name not in found:
                    found[name] = index
        if len(found) >= needed:
            return number, found
    return None
