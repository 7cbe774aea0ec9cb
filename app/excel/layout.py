"""The workbook's contract, shared by the export and the importer so that what one writes the other reads: the
sheets, their columns and marks, and how a cell's text is stored.

Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from datetime import date

# Sheet names, as users see them in the kvalitetsberättelse appendix.
APPENDIX_SHEET = "Uppföljning kvalitetsplan"
MATRIX_SHEET = "Riskmatris"
REGISTER_SHEET = "Register"
LEGEND_SHEET = "Förklaringar"
CHANGES_SHEET = "Förändring"

# The appendix table users hand in today: Process | Risk | Egenkontroll | Åtgärd.
APPENDIX_COLUMNS = ["Process", "Risk", "Egenkontroll", "Åtgärd"]
# Optional columns, added by export options and recognised by the importer.
OPTIONAL_APPENDIX_COLUMNS = ["Sannolikhet", "Konsekvens", "Riskvärde", "Status", "Ansvarig"]

PERFORMED_MARK = "◆"  # in the Egenkontroll column: the egenkontroll was carried out that year
DONE_MARK = "✓"  # at the end of an åtgärd: it is genomförd
# Printed under the appendix table. A reader of the sheet skips the row that starts with LEGEND_PREFIX.
LEGEND_PREFIX = "Förklaring:"
APPENDIX_LEGEND = f"{LEGEND_PREFIX} {PERFORMED_MARK} utförd egenkontroll, {DONE_MARK} genomförd åtgärd"
# A process or risk cell at the top of a page it continues to: "Utredning (forts.)". A reader strips the suffix.
CONTINUED = " (forts.)"
# After "◆ <egenkontroll>": its latest performed check, " (2026-10-12, utan anmärkning)". A reader strips it.
CHECK_NOTE = re.compile(r" \((\d{4}-\d{2}-\d{2}), ([^()]*)\)$")


def continued(title: str) -> str:
    """A process or risk named again at the top of the page it continues to."""
    return f"{title}{CONTINUED}"


def check_note(performed_on: date, outcome: str) -> str:
    """The latest check after a performed egenkontroll's title, as CHECK_NOTE reads it."""
    return f" ({performed_on.isoformat()}, {outcome.lower()})"


# The Register sheet: one row per item. "Typ" says which columns apply; the rest stay empty.
REGISTER_TYPES = {
    "Process": "P",
    "Risk": "R",
    "Egenkontroll": "E",
    "Genomförd egenkontroll": "G",
    "Åtgärd": "A",
}
REGISTER_COLUMNS = [
    "Typ",  # one of REGISTER_TYPES
    "ID",  # the item's stable ref, e.g. R-3F9A1C0B2D4E; survives export → import into another database
    "Överordnad",  # Process: parent process ID; Risk: its process ID; Genomförd egenkontroll: its egenkontroll ID
    "Kopplade risker",  # Egenkontroll, Åtgärd: the IDs of the risks it is linked to, separated by ", "
    "Titel",  # Process, Risk, Egenkontroll, Åtgärd (a check has none)
    "Beskrivning",  # Process, Risk, Egenkontroll, Åtgärd
    "Ansvarig",  # e-mail: Process owner, Egenkontroll/Åtgärd responsible, Genomförd egenkontroll performed by
    "Kvalitetsområde",  # Risk: QualityArea label
    "Sannolikhet",  # Risk: the year's assessment
    "Konsekvens",  # Risk
    "Riskvärde",  # Risk: derived, written for reading; ignored on import
    "Risknivå",  # Risk: derived, written for reading; ignored on import
    "Status",  # Risk: RiskStatus label of the year's assessment; Åtgärd: ActionStatus label
    "Kommentar",  # Risk: the assessment's comment
    "Metod",  # Egenkontroll
    "Frekvens",  # Egenkontroll: Frequency label
    "Datum",  # Genomförd egenkontroll: performed_on (ISO date)
    "Resultat",  # Genomförd egenkontroll: CheckOutcome label
    "Iakttagelser",  # Genomförd egenkontroll: findings
    "Startår",  # Åtgärd
    "Klart senast",  # Åtgärd: due_on (ISO date)
    "Genomförd",  # Åtgärd: completed_on (ISO date)
    "Uppföljning",  # Åtgärd: follow_up
    "Ordning",  # Process: sort_order
    "Arkiverad",  # Process, Risk, Egenkontroll, Åtgärd: "ja" or empty
    "Enhet",  # Process, Egenkontroll, Åtgärd: the unit's code (Unit.code); risks and checks follow their parent
]
# Columns an older export lacks: a file without them still imports (an empty Enhet means the import's unit).
OPTIONAL_REGISTER_COLUMNS = {"Enhet"}
# Register rows are written in this order, so that a row's Överordnad and Kopplade risker always point upwards.
REGISTER_ORDER = ["Process", "Risk", "Egenkontroll", "Genomförd egenkontroll", "Åtgärd"]

# How a cell's text is stored: the export encodes it, the importer reads it back with read_text.
# XML readers turn a CR into LF, so a CR is stored as OOXML's escape _x000D_ (as Excel itself does). Text that merely
# looks like such an escape gets its underscore escaped (_x005F_), including one that a CR would complete.
_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}[_\r])|\r")
_ESCAPES = {"_": "_x005F_", "\r": "_x000D_"}
_UNESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def encode(text: str) -> str:
    """Clean text escaped so that it survives the XML round trip (see read_text)."""
    if "_x" in text or "\r" in text:
        return _ESCAPE.sub(lambda match: _ESCAPES[match.group(0)], text)
    return text


def read_text(value: str) -> str:
    """The text a cell holds, as written: decodes OOXML's _xHHHH_ escapes, which openpyxl leaves as they are."""
    if "_x" not in value:
        return value
    return _UNESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)
