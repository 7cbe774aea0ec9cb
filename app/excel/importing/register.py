"""The Register sheet of our own export: one row per item, every field, matched by ref. Re-importing it is lossless."""

from __future__ import annotations

import re
from typing import Any

from app.excel.importing.parsed import (
    CellError,
    Origin,
    ParsedItem,
    ParsedPlan,
    ParsedRisk,
    RowError,
    cell_date,
    cell_enum,
    cell_int,
    cell_scale,
    cell_text,
    find_header,
    fold,
    is_blank,
)
from app.excel.importing.reader import Sheet, Upload
from app.excel.layout import (
    OPTIONAL_REGISTER_COLUMNS,
    REGISTER_COLUMNS,
    REGISTER_SHEET,
    REGISTER_TYPES,
)
from app.models.enums import (
    ActionStatus,
    CheckOutcome,
    Frequency,
    QualityArea,
    RiskStatus,
)

ALIASES = {name: {fold(name)} for name in REGISTER_COLUMNS}
IGNORED = {"Riskvärde", "Risknivå"}  # derived; written for reading only
_REF = re.compile(r"^([A-Z])-[0-9A-Z]{4,18}$")
_TYPES = {fold(label): label for label in REGISTER_TYPES}
# Columns that give a model field, per type: {column: field}.
FIELDS = {
    "Process": {"Titel": "title", "Beskrivning": "description", "Ansvarig": "owner", "Ordning": "sort_order",
                "Arkiverad": "is_archived"},
    "Risk": {"Titel": "title", "Beskrivning": "description", "Kvalitetsområde": "quality_area",
             "Arkiverad": "is_archived"},
    "Egenkontroll": {"Titel": "title", "Beskrivning": "description", "Ansvarig": "responsible", "Metod": "method",
                     "Frekvens": "frequency", "Arkiverad": "is_archived"},
    "Genomförd egenkontroll": {"Ansvarig": "performed_by", "Datum": "performed_on", "Resultat": "outcome",
                               "Iakttagelser": "findings"},
    "Åtgärd": {"Titel": "title", "Beskrivning": "description", "Ansvarig": "responsible", "Status": "status",
               "Startår": "start_year", "Klart senast": "due_on", "Genomförd": "completed_on",
               "Uppföljning": "follow_up", "Arkiverad": "is_archived"},
}
REQUIRED = {"title", "frequency", "performed_on", "outcome", "status", "start_year"}
WITH_UNIT = {"Process", "Egenkontroll", "Åtgärd"}  # risks and checks belong to their process's or control's unit


def find_register(upload: Upload) -> tuple[Sheet, int, dict[str, int]] | None:
    """Our Register sheet: named so, with at least the Typ, ID and Titel headers."""
    sheet = upload.sheet(REGISTER_SHEET)
    if sheet is None:
        return None
    header = find_header(sheet, ALIASES, needed=3)
    if header is None or not {"Typ", "ID", "Titel"} <= header[1].keys():
        return None
    return sheet, *header


def parse(sheet: Sheet, header_row: int, columns: dict[str, int]) -> ParsedPlan:
    plan = ParsedPlan("register", sheet.name)
    missing = [name for name in REGISTER_COLUMNS
               if name not in columns and name not in IGNORED and name not in OPTIONAL_REGISTER_COLUMNS]
    for name in missing:
        plan.errors.append(RowError(sheet.name, header_row, name, f"Kolumnen {name} saknas i registret."))
    if missing:
        return plan
    lists: dict[str, list[ParsedItem] | list[ParsedRisk]] = {
        "Process": plan.processes, "Risk": plan.risks, "Egenkontroll": plan.controls,
        "Genomförd egenkontroll": plan.checks, "Åtgärd": plan.actions,
    }
    seen: dict[str, int] = {}
    for number, row in enumerate(sheet.rows[header_row:], start=header_row + 1):
        if is_blank(row):
            continue
        errors: list[RowError] = []
        item = _item(sheet.name, number, row, columns, errors)
        if item is not None and item.ref in seen:
            errors.append(RowError(sheet.name, number, "ID", f"ID {item.ref} finns redan på rad {seen[item.ref]}."))
        plan.errors.extend(errors)
        if item is not None and errors:
            plan.skipped.add(item.ref)
        if item is not None and not errors:
            seen[item.ref] = number
            lists[item.values.pop("_type")].append(item)
    return plan


def _item(sheet: str, number: int, row: tuple, columns: dict[str, int], errors: list[RowError]):
    def value(name: str) -> Any:
        index = columns[name]
        return row[index] if index < len(row) else None

    def read(name: str, convert):
        try:
            return convert(value(name))
        except CellError as error:
            errors.append(RowError(sheet, number, name, str(error)))
            return None

    typ = _TYPES.get(fold(read("Typ", cell_text) or ""))
    if typ is None:
        errors.append(RowError(sheet, number, "Typ", f"Okänd typ. Välj en av: {', '.join(REGISTER_TYPES)}."))
        return None
    ref = (read("ID", cell_text) or "").strip().upper()
    match = _REF.match(ref)
    if not match or match.group(1) != REGISTER_TYPES[typ]:
        errors.append(RowError(sheet, number, "ID", f"Ogiltigt ID ”{ref}” för typen {typ}: "
                               f"det ska se ut som {REGISTER_TYPES[typ]}-3F9A1C0B2D4E."))
        return None
    origin = Origin(sheet, number, {"ref": (number, "ID"), "parent_key": (number, "Överordnad"),
                                    "risk_keys": (number, "Kopplade risker")})
    values: dict[str, Any] = {"_type": typ}
    for column, field_name in FIELDS[typ].items():
        origin.cells[field_name] = (number, column)
        known = len(errors)
        values[field_name] = read(column, _CONVERTERS[field_name])
        if field_name in REQUIRED and values[field_name] in (None, "") and len(errors) == known:
            errors.append(RowError(sheet, number, column, f"{column} måste fyllas i för typen {typ}."))
    parent = (read("Överordnad", cell_text) or "").strip().upper() or None
    risk_keys = [key.strip().upper() for key in (read("Kopplade risker", cell_text) or "").split(",") if key.strip()]
    title = values.pop("title", None)
    unit_code = None
    if typ in WITH_UNIT and "Enhet" in columns:
        origin.cells["unit_code"] = (number, "Enhet")
        unit_code = (read("Enhet", cell_text) or "").strip().lower() or None
    if typ == "Risk":
        item = ParsedRisk(ref, ref, title, origin, values, parent_key=parent)
        item.assessment = _assessment(read, origin, number)
        if item.assessment is not None and None in (item.assessment["likelihood"], item.assessment["consequence"]):
            column = "Sannolikhet" if item.assessment["likelihood"] is None else "Konsekvens"
            errors.append(RowError(sheet, number, column, "Ange både sannolikhet och konsekvens, eller ingen av dem."))
        if parent is None:
            errors.append(RowError(sheet, number, "Överordnad", "Ange vilken process risken hör till (dess ID)."))
        return item
    if typ == "Genomförd egenkontroll" and parent is None:
        errors.append(RowError(sheet, number, "Överordnad", "Ange vilken egenkontroll som genomfördes (dess ID)."))
    return ParsedItem(ref, ref, title, origin, values, parent_key=parent, risk_keys=risk_keys, unit_code=unit_code)


def _assessment(read, origin: Origin, number: int) -> dict[str, Any] | None:
    """The year's assessment, when the row has one (a risk not yet assessed this year has none)."""
    likelihood, consequence = read("Sannolikhet", cell_scale), read("Konsekvens", cell_scale)
    status = read("Status", lambda v: cell_enum(v, RiskStatus, "status"))
    comment = read("Kommentar", cell_text) or ""
    for column, field_name in (("Sannolikhet", "likelihood"), ("Konsekvens", "consequence"), ("Status", "status"),
                               ("Kommentar", "comment")):
        origin.cells[field_name] = (number, column)
    if likelihood is None and consequence is None:
        return None
    return {"likelihood": likelihood, "consequence": consequence, "status": status or RiskStatus.NEW,
            "comment": comment}


def _archived(value: Any) -> bool:
    text = fold(cell_text(value))
    if text in ("", "nej"):
        return False
    if text == "ja":
        return True
    raise CellError("Skriv ”ja” för en arkiverad post, annars inget.")


_CONVERTERS = {
    "title": cell_text,
    "description": cell_text,
    "method": cell_text,
    "findings": cell_text,
    "follow_up": cell_text,
    "owner": lambda v: cell_text(v).strip(),
    "responsible": lambda v: cell_text(v).strip(),
    "performed_by": lambda v: cell_text(v).strip(),
    "sort_order": lambda v: cell_int(v) or 0,
    "start_year": cell_int,
    "is_archived": _archived,
    "quality_area": lambda v: cell_enum(v, QualityArea, "kvalitetsområde"),
    "frequency": lambda v: cell_enum(v, Frequency, "frekvens"),
    "outcome": lambda v: cell_enum(v, CheckOutcome, "resultat"),
    "status": lambda v: cell_enum(v, ActionStatus, "status"),
    "performed_on": cell_date,
    "due_on": cell_date,
    "completed_on": cell_date,
}
