"""Opening an uploaded spreadsheet safely and turning it into rows of cell values.

Pure: no Flask, no database. Formulas are never evaluated: a formula cell comes back as a Formula for the parser to
refuse. Everything that could hurt the server (macro workbooks, encrypted files, zip bombs, endless rows) is refused
with a Swedish message before or while it is parsed.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from app.excel.layout import read_text

DEFAULT_MAX_ROWS = 20_000
MAX_COLUMNS = 60  # the register has 25 columns; anything further right is not ours to read
MAX_MEMBERS = 2_000
MAX_MEMBER_SIZE = 100 * 1024 * 1024  # declared uncompressed size of one zip member
MAX_TOTAL_SIZE = 200 * 1024 * 1024  # and of all of them together
MAX_RATIO = 200  # uncompressed/compressed; spreadsheet XML compresses 10–50×, bombs 1,000× and more
RATIO_CHECK_FROM = 1024 * 1024  # tiny members may compress extremely well without harm
TEXT_DELIMITERS = ("\t", ";", ",")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlam", ".xla", ".xlsb"}
SAVE_AS_XLSX = "Spara den som Excel-arbetsbok (.xlsx) eller CSV UTF-8 och försök igen."


class UnreadableFile(Exception):
    """The upload is not a spreadsheet we will read; message is Swedish and fit to show."""

    def __init__(self, message: str, *, sheet: str = "", row: int | None = None):
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.row = row


@dataclass(frozen=True)
class Formula:
    """A formula cell, kept as its text: imports never evaluate formulas."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Sheet:
    """One sheet's rows; rows[0] is row 1, so row numbers match what the user sees."""

    name: str
    rows: list[tuple] = field(default_factory=list)
    # Merged ranges as (first row, first column, last row, last column), 1-based; none in CSV/TSV.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class Upload:
    filename: str
    kind: str  # "xlsx", "csv" or "tsv"
    sheets: list[Sheet]

    def sheet(self, name: str) -> Sheet | None:
        """A sheet by name, ignoring case and surrounding space."""
        wanted = name.strip().casefold()
        return next((s for s in self.sheets if s.name.strip().casefold() == wanted), None)


def read_upload(content: bytes, filename: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> Upload:
    """The upload's sheets and rows, or UnreadableFile saying why not."""
    filename = PurePath((filename or "").replace("\\", "/")).name or "fil"
    extension = PurePath(filename).suffix.lower()
    if not content:
        raise UnreadableFile("Filen är tom.")
    if extension in MACRO_EXTENSIONS:
        raise UnreadableFile(f"Filer med makron ({extension}) tas inte emot. {SAVE_AS_XLSX}")
    if content.startswith(OLE_MAGIC):
        raise UnreadableFile(_ole_message(content))
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content, filename, max_rows)
    return _read_text(content, filename, max_rows)


# --- Excel ------------------------------------------------------------------------------------------------------------


def _ole_message(content: bytes) -> str:
    # An encrypted .xlsx is an OLE compound file holding the streams EncryptionInfo and EncryptedPackage; directory
    # entry names are UTF-16LE. Anything else in OLE form is the old binary .xls.
    if "EncryptionInfo".encode("utf-16-le") in content or "EncryptedPackage".encode("utf-16-le") in content:
        return "Filen är lösenordsskyddad och kan inte läsas. Ta bort lösenordet i Excel och försök igen."
    return f"Filen är i Excels gamla format (.xls). {SAVE_AS_XLSX}"


def _read_xlsx(content: bytes, filename: str, max_rows: int) -> Upload:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise UnreadableFile(f"Filen är skadad och kan inte läsas. {SAVE_AS_XLSX}") from None
    check_archive(members)
    names = {member.filename.lower(): member.filename for member in members}
    if b"opendocument" in _member(archive, names, "mimetype")[:200]:
        raise UnreadableFile(f"Filen är ett OpenDocument-kalkylark (.ods). {SAVE_AS_XLSX}")
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(f"Filen är inte en Excel-arbetsbok. {SAVE_AS_XLSX}")
    content_types = _member(archive, names, "[content_types].xml").lower()
    if any(name.endswith("vbaproject.bin") for name in names) or b"macroenabled" in content_types:
        raise UnreadableFile(f"Arbetsboken innehåller makron och tas inte emot. {SAVE_AS_XLSX}")
    return Upload(filename, "xlsx", _xlsx_sheets(content, max_rows, archive, names))


def _member(archive: zipfile.ZipFile, names: dict[str, str], name: str) -> bytes:
    """A small member's bytes (already size-checked), or b"" when it is missing."""
    if name not in names:
        return b""
    try:
        return archive.read(names[name])
    except Exception:  # a damaged or encrypted member: zlib, CRC, compression method, password …
        raise UnreadableFile(f"Filen är skadad och kan inte läsas. {SAVE_AS_XLSX}") from None


def check_archive(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb from its directory alone, before anything is decompressed.

    The declared sizes can be trusted as upper bounds: zipfile stops at a member's declared size and fails its CRC
    if the data was longer.
    """
    if len(members) > MAX_MEMBERS:
        raise UnreadableFile("Filen innehåller orimligt många delar och tas inte emot.")
    total = 0
    for member in members:
        total += member.file_size
        too_big = member.file_size > MAX_MEMBER_SIZE or total > MAX_TOTAL_SIZE
        ratio = member.file_size / max(member.compress_size, 1)
        if too_big or (member.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO):
            raise UnreadableFile(
                "Filen packas upp till en orimlig storlek och tas inte emot (misstänkt zip-bomb)."
            )


def _xlsx_sheets(content: bytes, max_rows: int, archive: zipfile.ZipFile, names: dict[str, str]) -> list[Sheet]:
    counter = _RowCounter(max_rows)
    try:
        with warnings.catch_warnings():
            # Unsupported extensions (data validation, slicers) only warn; they do not concern the cells we read.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
            try:
                sheets = [_xlsx_sheet(worksheet, counter) for worksheet in workbook.worksheets]
                for sheet, worksheet in zip(sheets, workbook.worksheets):
                    # Read-only mode does not read merged ranges; the importer needs them (a blank cell inside a
                    # merge means "same as above"), so they are taken from the sheet's XML, already size-checked.
                    path = str(getattr(worksheet, "_worksheet_path", "")).lstrip("/").lower()
                    sheet.merges = _merges(_member(archive, names, path)) if path in names else []
                return sheets
            finally:
                workbook.close()
    except UnreadableFile:
        raise
    except Exception:  # openpyxl raises anything from KeyError to XML syntax errors on a damaged file
        raise UnreadableFile(f"Filen är skadad och kan inte läsas som Excel-arbetsbok. {SAVE_AS_XLSX}") from None


def _xlsx_sheet(worksheet, counter: _RowCounter) -> Sheet:
    sheet = Sheet(worksheet.title)
    # The file's own dimension could claim a million columns; read the cells that are there, and only ours.
    worksheet.reset_dimensions()
    for cells in worksheet.iter_rows(max_col=MAX_COLUMNS):
        values = tuple(_cell_value(cell) for cell in cells)
        counter.add(sheet, values)
    _trim(sheet)
    return sheet


_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")


def _merges(xml: bytes) -> list[tuple[int, int, int, int]]:
    """The merged ranges a worksheet's XML lists (after its cells, in <mergeCells>)."""
    start = xml.find(b"mergeCells")
    if start < 0:
        return []
    return [(int(top), column_index_from_string(left.decode()), int(bottom), column_index_from_string(right.decode()))
            for left, top, right, bottom in _MERGE_CELL.findall(xml, start)]


def _cell_value(cell):
    value = getattr(cell, "value", None)
    if value is None:
        return None
    if getattr(cell, "data_type", None) == "f":
        return Formula(value if isinstance(value, str) else str(getattr(value, "text", "") or "="))
    if isinstance(value, str):
        return read_text(value)  # OOXML's _x000D_ escapes, as our export (and Excel) write a CR
    return value


# --- CSV and TSV -----------------------------------------------------------------------------------------------------


def _read_text(content: bytes, filename: str, max_rows: int) -> Upload:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(f"Filen är varken en Excel-arbetsbok eller text i UTF-8. {SAVE_AS_XLSX}") from None
    if "\x00" in text:
        raise UnreadableFile(f"Filen är inte ett kalkylark. {SAVE_AS_XLSX}")
    delimiter = sniff_delimiter(text)
    sheet = Sheet(filename)
    counter = _RowCounter(max_rows)
    try:
        for fields in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            counter.add(sheet, tuple((value if value != "" else None) for value in fields[:MAX_COLUMNS]))
    except csv.Error:
        raise UnreadableFile(f"Filen kunde inte läsas som {_kind(delimiter).upper()}.", sheet=filename,
                             row=len(sheet.rows) + 1) from None
    _trim(sheet)
    return Upload(filename, _kind(delimiter), [sheet])


def sniff_delimiter(text: str) -> str:
    """Tab, semicolon or comma: the one that splits most of the first lines into the same number of fields (>1)."""
    sample = text[:64 * 1024]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best, best_score = TEXT_DELIMITERS[0], -1
    for delimiter in TEXT_DELIMITERS:  # ties go to the earlier, rarer-in-prose delimiter
        try:
            counts = [len(row) for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if row]
        except csv.Error:
            continue
        counts = [count for count in counts[:200] if count > 1]
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        score = counts.count(modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _kind(delimiter: str) -> str:
    return "tsv" if delimiter == "\t" else "csv"


# --- shared ------------------------------------------------------------------------------------------------------------


class _RowCounter:
    """Counts non-blank rows across the file and stops reading once there are too many."""

    def __init__(self, max_rows: int):
        self.max_rows = max_rows
        self.count = 0

    def add(self, sheet: Sheet, values: tuple) -> None:
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            sheet.rows.append(())
            return
        self.count += 1
        if self.count > self.max_rows:
            raise UnreadableFile(
                f"Filen har fler än {self.max_rows} rader. Dela upp den i flera filer.",
                sheet=sheet.name,
                row=len(sheet.rows) + 1,
            )
        sheet.rows.append(values)


def _trim(sheet: Sheet) -> None:
    while sheet.rows and not sheet.rows[-1]:
        sheet.rows.pop()
