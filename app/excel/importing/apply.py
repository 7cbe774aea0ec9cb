"""The import service: a ParsedPlan applied to a unit's year through the register's own services.

run_import flushes and never commits. The caller commits once when the result has no errors and rolls back
otherwise, so an import is all or nothing; a preview (or --dry-run) is the same run, always rolled back, so what it
shows is exactly what a confirmed import will do. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from app.core.errors import DomainError
from app.core.unit_year import assert_year_open
from app.core.years import validate_year
from app.excel.importing.context import Context
from app.excel.importing.edits import apply_appendix_edits
from app.excel.importing.parse import parse_upload
from app.excel.importing.parsed import ParsedPlan, RowError
from app.excel.importing.reader import UnreadableFile, read_upload
from app.excel.importing.result import ImportChoices, ImportResult
from app.excel.importing.steps import Steps
from app.models import Unit, User


def run_import(actor: User | None, unit: Unit, year: int, parsed: ParsedPlan,
               choices: ImportChoices | None = None) -> ImportResult:
    """Apply the parsed file to the unit's year; every problem is collected as a RowError, nothing is committed.

    choices are what the person decided in the preview (conflicts, items no longer in the file to archive); without
    them every conflict keeps the Register's value and everything the file no longer has is kept.
    """
    result = ImportResult(errors=list(parsed.errors), warnings=list(parsed.warnings))
    try:
        validate_year(year)
        assert_year_open(unit.id, year)
    except DomainError as error:  # a year out of range, or a locked one
        result.errors.append(RowError("", None, None, f"{error.message} Importen avbröts."))
        return result
    if parsed.is_empty:
        if not parsed.errors:
            result.errors.append(RowError(parsed.sheet, None, None, "Filen innehåller inga processer eller risker."))
        return result
    # Applied even when rows had errors (those rows are left out), so that the problems the services find, such as
    # values outside the year's scale, are listed too; with any error the caller rolls everything back.
    ctx = Context(actor, unit, year, parsed, result, choices)
    apply_appendix_edits(ctx)
    Steps(ctx).run()
    return result


def import_file(actor: User | None, unit: Unit, year: int, content: bytes, filename: str, *,
                max_rows: int, choices: ImportChoices | None = None) -> ImportResult:
    """Read, parse and apply an uploaded file in one go; a file that cannot be read is one error."""
    try:
        upload = read_upload(content, filename, max_rows=max_rows)
    except UnreadableFile as error:
        return ImportResult(errors=[RowError(error.sheet, error.row, None, error.message)])
    return run_import(actor, unit, year, parse_upload(upload), choices)
