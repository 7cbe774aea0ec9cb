"""From an upload's rows to a ParsedPlan, in whichever of the two layouts the file has.

Pure: no Flask, no database. The Register sheet of our own export is read losslessly and matched by ref
(app.excel.importing.register); the appendix table municipalities hand in today (Process | Risk | Egenkontroll |
Åtgärd) is matched by title (app.excel.importing.appendix).
"""

from __future__ import annotations

from app.excel.importing import appendix, register
from app.excel.importing.parsed import ParsedPlan
from app.excel.importing.reader import Upload


def parse_upload(upload: Upload) -> ParsedPlan:
    """The Register sheet when the file has one with our headers, else the appendix table.

    Beside a Register, our appendix sheet is read too (plan.appendix), so that what was edited there is not ignored
    (app.excel.importing.edits); its problems are the import's problems.
    """
    found = register.find_register(upload)
    if found is None:
        return appendix.parse(upload)
    plan = register.parse(*found)
    plan.appendix = appendix.parse_own(upload)
    if plan.appendix is not None:
        plan.errors += plan.appendix.errors
        plan.warnings += plan.appendix.warnings
    return plan
