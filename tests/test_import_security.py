"""Bad files are refused with a clear Swedish message and change nothing; an import is all or nothing."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.excel.importing.apply import import_file
from app.excel.importing.reader import UnreadableFile, read_upload
from app.extensions import db
from app.models import Role
from tests.import_files import HEADER, ROWS, appendix_text, appendix_xlsx, rezip, save

YEAR = 2025
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(200)


def fingerprint() -> dict[str, list]:
    """Every row of every table."""
    db.session.expire_all()
    return {
        table.name: [tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key.columns))]
        for table in db.metadata.sorted_tables
    }


def attempt(app, unit, content: bytes, filename: str):
    """Import as the confirm view does (commit only without errors); return the errors and whether anything changed."""
    before = fingerprint()
    result = import_file(None, unit, YEAR, content, filename, max_rows=app.config["IMPORT_MAX_ROWS"])
    if result.ok:
        db.session.commit()
    else:
        db.session.rollback()
    return result.errors, fingerprint() != before


def macro_workbook() -> bytes:
    content_types = zipfile.ZipFile(io.BytesIO(appendix_xlsx())).read("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return rezip(appendix_xlsx(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really VBA"},
                 replace={"[Content_Types].xml": content_types})


def encrypted_workbook() -> bytes:
    """What Excel writes for a password-protected file: an OLE2 container with EncryptionInfo (faked here)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le")
    return header + directory + os.urandom(512)


def declared_bomb() -> bytes:
    """A tiny xlsx whose sheet claims to unpack to 4 GB (its headers patched; nothing big is ever made)."""
    name = b"xl/worksheets/sheet1.xml"
    content = bytearray(appendix_xlsx())
    huge = struct.pack("<I", 0xFFFFFFF0)
    local = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo(name.decode()).header_offset
    content[local + 22:local + 26] = huge
    start = 0
    while (start := content.find(b"PK\x01\x02", start)) != -1:  # the central directory's entries
        name_length = struct.unpack_from("<H", content, start + 28)[0]
        if content[start + 46:start + 46 + name_length] == name:
            content[start + 24:start + 28] = huge
        start += 4
    return bytes(content)


def not_a_workbook() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return output.getvalue()


def compressible_bomb() -> bytes:
    """A real member of 30 MB of one repeated row, compressed about 1,000 times: a classic zip bomb, kept small."""
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    filler = row * (30 * 1024 * 1024 // len(row))
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + filler
    return rezip(appendix_xlsx(), replace={"xl/worksheets/sheet1.xml": sheet + b"</sheetData></worksheet>"})


BAD_FILES = {
    "random bytes": (os.urandom(4096), "plan.xlsx", "varken en Excel-arbetsbok eller text"),
    "a PNG": (PNG, "bild.png", "varken en Excel-arbetsbok eller text"),
    "an empty file": (b"", "plan.csv", "Filen är tom"),
    "a zip that is not a workbook": (not_a_workbook(), "plan.docx", "inte en Excel-arbetsbok"),
    "a macro workbook by content": (macro_workbook(), "plan.xlsx", "makron"),
    "a macro workbook by name": (appendix_xlsx(), "plan.xlsm", "makron"),
    "a password-protected file": (encrypted_workbook(), "plan.xlsx", "lösenordsskyddad"),
    "an old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, "plan.xls", "gamla format (.xls)"),
    "a zip bomb by declared size": (declared_bomb(), "plan.xlsx", "zip-bomb"),
    "a zip bomb by compression": (compressible_bomb(), "plan.xlsx", "zip-bomb"),
    "a truncated workbook": (appendix_xlsx()[:3000], "plan.xlsx", "skadad"),
    "text in another encoding": ("Process;Risk;Egenkontroll;Åtgärd\n".encode("cp1252"), "plan.csv", "UTF-8"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_with_a_swedish_message_and_change_nothing(app, unit, case):
    content, filename, expected = BAD_FILES[case]
    errors, changed = attempt(app, unit, content, filename)
    assert not changed
    assert len(errors) == 1
    assert expected in errors[0].message, errors[0].message


def test_zip_bomb_is_refused_before_anything_is_decompressed(monkeypatch):
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("the bomb reached the parser")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    for content in (declared_bomb(), compressible_bomb()):
        with pytest.raises(UnreadableFile, match="zip-bomb"):
            read_upload(content, "plan.xlsx")


def test_more_rows_than_the_limit_are_refused(app, unit):
    app.config["IMPORT_MAX_ROWS"] = 5
    for content, filename in ((appendix_xlsx(), "plan.xlsx"), (appendix_text(), "plan.csv")):
        errors, changed = attempt(app, unit, content, filename)
        assert not changed
        assert [(e.row, e.message) for e in errors] == [(6, "Filen har fler än 5 rader. Dela upp den i flera filer.")]
    app.config["IMPORT_MAX_ROWS"] = 8  # title, header and the six lines
    assert attempt(app, unit, appendix_xlsx(), "plan.xlsx") == ([], True)


def test_a_missing_required_column_is_named(app, unit):
    header = ["Process", "Risk", "Kontroll", "Åtgärd"]
    errors, changed = attempt(app, unit, appendix_xlsx([row[:4] for row in ROWS], header), "plan.xlsx")
    assert not changed
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Bilaga 7", 2, "Egenkontroll")]
    assert "Kolumnen Egenkontroll saknas" in errors[0].message

    errors, _ = attempt(app, unit, b"Namn;Datum\nAnna;2025-01-01\n", "lista.csv")
    assert {e.column for e in errors} == {"Process", "Risk", "Egenkontroll", "Åtgärd"}


def test_values_outside_the_years_scale_are_errors_naming_sheet_row_and_column(app, unit):
    rows = [list(row) for row in ROWS]
    rows[0][4] = "5 - Mycket stor"  # a 4×4 year has no 5
    rows[2][5] = 0
    rows[3][4] = "hög"
    errors, changed = attempt(app, unit, appendix_xlsx(rows), "plan.xlsx")
    assert not changed
    assert sorted((e.sheet, e.row, e.column) for e in errors) == [
        ("Bilaga 7", 3, "Sannolikhet"), ("Bilaga 7", 5, "Konsekvens"), ("Bilaga 7", 6, "Sannolikhet")]
    messages = " ".join(e.message for e in errors)
    assert "mellan 1 och 4 enligt riskmatrisen för 2025" in messages and "”hög”" in messages


def test_formulas_are_reported_never_evaluated(app, unit):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER[:4])
    sheet.append(["Mottagning", '=HYPERLINK("http://example.com","Risk")', "", "=1+1"])
    errors, changed = attempt(app, unit, save(workbook), "plan.xlsx")
    assert not changed
    assert [(e.row, e.column) for e in errors] == [(2, "Risk"), (2, "Åtgärd")]
    assert all("formel" in e.message for e in errors)


def test_an_import_is_all_or_nothing(app, unit):
    """Three good lines and one bad: nothing is written."""
    rows = [list(row) for row in ROWS[:3]] + [["Utredning av barn", "Barnets röst hörs inte", "", "Samtalsmall",
                                               "1", "9", "", ""]]
    errors, changed = attempt(app, unit, appendix_xlsx(rows, merges=[]), "plan.xlsx")
    assert [(e.row, e.column) for e in errors] == [(6, "Konsekvens")]
    assert not changed
    rows[-1][5] = "3"
    errors, changed = attempt(app, unit, appendix_xlsx(rows, merges=[]), "plan.xlsx")
    assert errors == [] and changed


def test_every_error_is_listed_not_only_the_first(app, unit):
    rows = [
        ["Mottagning", "Lång väntetid", "", "Ny rutin", "x", "2", "Okänd", ""],
        ["", "", "", "", "3", "", "", ""],
        ["", "", "", "Mall ✓", "", "", "", ""],
        ["", "Fel mottagare", "", "", "4", "5", "", ""],
    ]
    errors, changed = attempt(app, unit, appendix_xlsx(rows, merges=[]), "plan.xlsx")
    assert not changed
    assert [(e.row, e.column) for e in errors] == [(3, "Sannolikhet"), (3, "Status"), (4, "Konsekvens"),
                                                   (6, "Konsekvens")]


def test_a_bad_upload_in_the_browser_stores_nothing(app, client, login, unit, make_user):
    login(make_user(role=Role.MANAGER))
    before = fingerprint()
    for content, filename, _ in BAD_FILES.values():
        response = client.post(f"/enheter/{unit.id}/ar/{YEAR}/import",
                               data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")
        assert response.status_code == 400, filename
        assert "Filen kan inte importeras" in response.text or "Välj en fil" in response.text
    assert fingerprint() == before


def test_an_upload_larger_than_the_limit_is_refused(app, client, login, unit, make_user):
    login(make_user(role=Role.MANAGER))
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = client.post(f"/enheter/{unit.id}/ar/{YEAR}/import",
                           data={"file": (io.BytesIO(b"x" * 20_000), "plan.csv")}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Filen är för stor" in response.text


def test_the_scale_is_the_years_own(app, unit):
    """5 is outside a 4×4 year but on the scale of a year whose matrix is 5×5."""
    from app.models import RiskMatrix
    from app.models.matrix import DEFAULT_BANDS

    rows = [["Mottagning", "Lång väntetid", "", "Ny rutin", "5 - Nästan säkert", "5", "", ""]]
    errors, _ = attempt(app, unit, appendix_xlsx(rows, merges=[]), "plan.xlsx")
    assert [(e.row, e.column) for e in errors] == [(3, "Sannolikhet")]
    db.session.add(RiskMatrix(unit=unit, year=YEAR, likelihood_size=5, consequence_size=5,
                              likelihood_labels=list("ABCDE"), consequence_labels=list("ABCDE"), bands=DEFAULT_BANDS))
    db.session.commit()
    errors, changed = attempt(app, unit, appendix_xlsx(rows, merges=[]), "plan.xlsx")
    assert errors == [] and changed
