"""The Excel export: the follow-up table as users hand it in, the matrix, the register, the legend, and text safety."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from app.core.heat_map import heat_map
from app.core.services.actions import complete_action
from app.core.services.controls import record_check
from app.core.services.processes import set_archived as archive_process
from app.core.services.risks import link_action, link_control
from app.core.services.risks import set_archived as archive_risk
from app.core.year_plan_loader import load_plan_data
from app.excel.export.cells import text_cell
from app.excel.export.sheets import argb_colour
from app.excel.export.workbook import ExportOptions, write_workbook
from app.excel.layout import (
    APPENDIX_SHEET,
    LEGEND_SHEET,
    MATRIX_SHEET,
    REGISTER_COLUMNS,
    REGISTER_ORDER,
    REGISTER_SHEET,
    encode,
    read_text,
)
from app.extensions import db
from app.models import CheckOutcome, QualityArea, RiskStatus, Role
from tests.conftest import TEST_YEAR
from tests.query_counter import count_queries

PREVIOUS = TEST_YEAR - 1


@dataclass
class Known:
    """The fixture plan: what the follow-up table of it must look like is spelt out in the first test."""

    unit: object
    processes: dict
    risks: dict
    controls: dict
    actions: dict
    owner: object


@pytest.fixture
def known(unit, make_user, make_process, make_risk, make_assessment, make_control, make_action) -> Known:
    owner = make_user(role=Role.OWNER, name="Åsa Ägare", email="asa@exempel.se")
    screening = make_process(title="Förhandsbedömning", sort_order=1, owner=owner)
    inquiry = make_process(title="Utredning", sort_order=2)
    child = make_process(title="Barnutredning", parent=inquiry)
    archived_process = make_process(title="Nedlagd process", sort_order=3)
    late = make_risk(screening, title="Förhandsbedömning görs inte inom 14 dagar", quality_area=QualityArea.SAFETY)
    make_assessment(late, likelihood=3, consequence=4, status=RiskStatus.IN_PROGRESS, comment="Kö i mottagningen")
    unsafe = make_risk(screening, title="Skyddsbedömning görs inte")
    participation = make_risk(inquiry, title="Barns delaktighet")
    make_assessment(participation, likelihood=1, consequence=2)
    archived_risk = make_risk(screening, title="Gammal risk")
    review = make_control(title="Ärendegenomgång", method="Stickprov", responsible=owner)
    survey = make_control(title="Enkät till familjer")
    checklist = make_action(title="Ta fram en checklista", responsible=owner, description="Första raden\r\nAndra")
    training = make_action(title="Utbildning i rutinen")
    weekly = make_action(title="Ärendeutdelning varje vecka", due_on=date(TEST_YEAR, 3, 1))
    finished_earlier = make_action(title="Klar förra året", start_year=PREVIOUS, due_on=None)
    for control in (review, survey):
        link_control(None, late, control)
    for action in (checklist, training, weekly):
        link_action(None, late, action)
    link_control(None, participation, review)
    link_action(None, unsafe, finished_earlier)
    record_check(None, review, performed_on=date(TEST_YEAR, 3, 1), outcome=CheckOutcome.NO_REMARKS)
    record_check(None, survey, performed_on=date(TEST_YEAR, 4, 1), outcome=CheckOutcome.NOT_PERFORMED)
    record_check(None, survey, performed_on=date(PREVIOUS, 4, 1), outcome=CheckOutcome.NO_REMARKS, year=PREVIOUS)
    complete_action(None, checklist, follow_up="Checklistan används", completed_on=date(TEST_YEAR, 5, 2))
    complete_action(None, finished_earlier, follow_up="Gjort", completed_on=date(PREVIOUS, 12, 1))
    archive_risk(None, archived_risk, True)
    archive_process(None, archived_process, True)
    db.session.commit()
    return Known(
        unit,
        {"screening": screening, "inquiry": inquiry, "child": child, "archived": archived_process},
        {"late": late, "unsafe": unsafe, "participation": participation, "archived": archived_risk},
        {"review": review, "survey": survey},
        {"checklist": checklist, "training": training, "weekly": weekly, "earlier": finished_earlier},
        owner,
    )


def export(unit, tmp_path: Path, options: ExportOptions | None = None, year: int = TEST_YEAR):
    path = tmp_path / "plan.xlsx"
    write_workbook(load_plan_data(unit, year), path, options)
    return load_workbook(path)


def values(ws, first_row: int = 1, *, trim: bool = True) -> list[list]:
    """The sheet's values row by row, trailing empty cells dropped unless trim is False."""
    rows = []
    for row in ws.iter_rows(min_row=first_row, values_only=True):
        row = list(row)
        while trim and row and row[-1] is None:
            row.pop()
        rows.append(row)
    return rows


def merged(ws) -> set[str]:
    return {str(cell_range) for cell_range in ws.merged_cells.ranges}


def test_sheets_in_order(known, tmp_path):
    assert export(known.unit, tmp_path).sheetnames == [APPENDIX_SHEET, MATRIX_SHEET, REGISTER_SHEET, LEGEND_SHEET]


def test_appendix_reproduces_the_follow_up_table(known, tmp_path):
    ws = export(known.unit, tmp_path)[APPENDIX_SHEET]

    assert ws["A1"].value == f"Uppföljning kvalitetsplan {TEST_YEAR} – Barn- och familjeenheten"
    assert values(ws, 2) == [
        ["Process", "Risk", "Egenkontroll", "Åtgärd"],
        # One line per åtgärd, the egenkontroller beside them; ◆ only for a check that was carried out this year,
        # ✓ after the åtgärd completed, its follow-up before it; the åtgärd completed last year is not shown.
        ["Förhandsbedömning", "Förhandsbedömning görs inte inom 14 dagar",
         f"◆ Ärendegenomgång ({TEST_YEAR}-03-01, utan anmärkning)", "Ta fram en checklista\nChecklistan används ✓"],
        [None, None, "Enkät till familjer", "Utbildning i rutinen"],
        [None, None, None, "Ärendeutdelning varje vecka"],
        # A risk with neither egenkontroll nor åtgärd still gets its line.
        [None, "Skyddsbedömning görs inte"],
        ["Utredning", "Barns delaktighet", f"◆ Ärendegenomgång ({TEST_YEAR}-03-01, utan anmärkning)"],
        # A process without risks is shown too; archived processes and risks are not.
        ["Barnutredning"],
        [],
        ["Förklaring: ◆ utförd egenkontroll, ✓ genomförd åtgärd"],
    ]
    # Process and risk are written once and merged over their lines.
    assert merged(ws) == {"A3:A6", "B3:B5"}


def test_appendix_prints_as_an_appendix(known, tmp_path):
    ws = export(known.unit, tmp_path)[APPENDIX_SHEET]

    assert ws.print_title_rows == "$2:$2"
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.scale == 66 and not ws.sheet_properties.pageSetUpPr.fitToPage  # pages broken by the export
    assert ws.print_area == f"'{APPENDIX_SHEET}'!$A$1:$D$10"  # the legend last
    assert ws.oddFooter.center.text == "Sida &P av &N"
    assert ws["D3"].alignment.wrap_text is True and ws["A2"].font.b is True
    assert [ws.column_dimensions[c].width for c in "ABCD"] == [26, 40, 34, 60]


def test_optional_columns(known, tmp_path):
    options = ExportOptions(score=True, status=True, responsible=True)
    ws = export(known.unit, tmp_path, options)[APPENDIX_SHEET]

    assert values(ws, 2)[0] == ["Process", "Risk", "Egenkontroll", "Åtgärd", "Riskvärde", "Status", "Ansvarig"]
    score, status = ws["E3"], ws["F3"]
    assert score.value == 12 and score.data_type == "n"
    assert score.fill.fgColor.rgb == "00C62828"  # the level colour of Mycket hög
    assert score.font.color.rgb == "00FFFFFF"
    assert status.value == "Pågående"
    assert ws["E6"].value is None and ws["F6"].value is None  # not assessed this year
    assert ws["E7"].value == 2 and ws["E7"].fill.fgColor.rgb == "002E7D32"  # Låg
    assert {"E3:E5", "F3:F5"} <= merged(ws)
    # Ansvarig: the åtgärd's, or on a line without one, the egenkontroll's.
    assert [ws[f"G{row}"].value for row in range(3, 8)] == ["Åsa Ägare", None, None, None, "Åsa Ägare"]


def test_matrix_sheet_counts_as_the_riskmatris_page(known, tmp_path, make_risk, make_assessment):
    make_assessment(make_risk(known.processes["inquiry"], title="Ännu en"), likelihood=3, consequence=4)
    ws = export(known.unit, tmp_path)[MATRIX_SHEET]

    assert ws["C3"].value == "Konsekvens →" and "C3:F3" in merged(ws)
    assert [ws.cell(4, column).value for column in range(3, 7)] == [
        "1 Mindre", "2 Måttlig", "3 Betydande", "4 Katastrofal"
    ]
    assert ws["A5"].value == "Sannolikhet ↑" and "A5:A8" in merged(ws)
    assert [ws.cell(row, 2).value for row in range(5, 9)] == ["4 Mycket stor", "3 Stor", "2 Liten", "1 Mycket liten"]
    page = heat_map(known.unit, TEST_YEAR).grid
    counts = [[ws.cell(row, column).value for column in range(3, 7)] for row in range(5, 9)]
    assert counts == [[cell.count for cell in row] for row in page.rows]
    assert ws["F6"].value == 2  # sannolikhet 3 × konsekvens 4
    assert ws["F6"].fill.fgColor.rgb == "00C62828" and ws["C8"].fill.fgColor.rgb == "002E7D32"
    totals = {row[0]: row[2] for row in values(ws, 10) if row and len(row) == 3}
    assert totals["Mycket hög"] == 2 and totals["Låg"] == 1 and totals["Risknivå"] == "Antal risker"
    assert totals["Bedömda 2026"] == 3 and totals["Ej bedömda 2026"] == 1


def test_register_has_every_field_with_stable_ids(known, tmp_path):
    ws = export(known.unit, tmp_path)[REGISTER_SHEET]
    header, *rows = values(ws, trim=False)
    records = [dict(zip(REGISTER_COLUMNS, row)) for row in rows]
    by_id = {record["ID"]: record for record in records}

    assert header == REGISTER_COLUMNS
    assert ws.freeze_panes == "A2"
    assert header[-1] == "Enhet"
    assert ws.auto_filter.ref == f"A1:Z{len(rows) + 1}"
    kinds = [record["Typ"] for record in records]
    assert kinds == sorted(kinds, key=REGISTER_ORDER.index)
    assert kinds.count("Process") == 4 and kinds.count("Risk") == 4 and kinds.count("Genomförd egenkontroll") == 2
    # Every åtgärd visible this year, and no other.
    assert {r["Titel"] for r in records if r["Typ"] == "Åtgärd"} == {
        "Ta fram en checklista", "Utbildning i rutinen", "Ärendeutdelning varje vecka"
    }
    p, child, gone = known.processes["screening"], known.processes["child"], known.processes["archived"]
    assert by_id[p.ref] == {**dict.fromkeys(REGISTER_COLUMNS), "Typ": "Process", "ID": p.ref,
                            "Titel": "Förhandsbedömning", "Ansvarig": "asa@exempel.se", "Ordning": 1, "Enhet": "bfe"}
    assert by_id[child.ref]["Överordnad"] == known.processes["inquiry"].ref
    assert by_id[gone.ref]["Arkiverad"] == "ja"
    late = by_id[known.risks["late"].ref]
    assert (late["Överordnad"], late["Kvalitetsområde"], late["Status"], late["Kommentar"]) == (
        p.ref, "Trygghet och säkerhet", "Pågående", "Kö i mottagningen"
    )
    assert (late["Sannolikhet"], late["Konsekvens"], late["Riskvärde"], late["Risknivå"]) == (3, 4, 12, "Mycket hög")
    assert by_id[known.risks["unsafe"].ref]["Sannolikhet"] is None
    assert by_id[known.risks["archived"].ref]["Arkiverad"] == "ja"
    review = by_id[known.controls["review"].ref]
    assert review["Kopplade risker"] == f"{known.risks['late'].ref}, {known.risks['participation'].ref}"
    assert (review["Metod"], review["Frekvens"], review["Ansvarig"]) == ("Stickprov", "Kvartalsvis", "asa@exempel.se")
    assert review["Enhet"] == "bfe" and by_id[known.risks["late"].ref]["Enhet"] is None
    checks = [r for r in records if r["Typ"] == "Genomförd egenkontroll"]
    assert [(c["Överordnad"], c["Datum"], c["Resultat"]) for c in checks] == [
        (known.controls["review"].ref, "2026-03-01", "Utan anmärkning"),
        (known.controls["survey"].ref, "2026-04-01", "Ej genomförd"),
    ]
    done = by_id[known.actions["checklist"].ref]
    assert (done["Status"], done["Startår"], done["Klart senast"], done["Genomförd"], done["Uppföljning"]) == (
        "Genomförd", TEST_YEAR, "2026-06-30", "2026-05-02", "Checklistan används"
    )
    assert done["Enhet"] == "bfe" and all(c["Enhet"] is None for c in checks)
    assert read_text(done["Beskrivning"]) == "Första raden\r\nAndra"


def test_dates_and_numbers_keep_their_types(known, tmp_path):
    ws = export(known.unit, tmp_path)[REGISTER_SHEET]
    date_cells = [cell for row in ws.iter_rows(min_row=2) for cell in row if cell.column_letter in "QUV" and cell.value]
    number_cells = [cell for row in ws.iter_rows(min_row=2) for cell in row if cell.column_letter in "IJKTX" and
                    cell.value is not None]

    assert date_cells and all(c.data_type == "s" and c.quotePrefix for c in date_cells)
    assert number_cells and all(c.data_type == "n" for c in number_cells)


def test_legend_explains_symbols_scales_and_levels(known, tmp_path):
    ws = export(known.unit, tmp_path)[LEGEND_SHEET]
    pairs = {row[0]: row[1] if len(row) > 1 else None for row in values(ws, 2) if row}

    assert pairs["Enhet"] == "Barn- och familjeenheten" and pairs["År"] == TEST_YEAR
    assert pairs["Kvalitetsplanens status"] == "Utkast"
    exported = date.fromisoformat(pairs["Exporterad"][:10])
    assert pairs["Exporterad"][10] == "T" and pairs["Exporterad"][-6:] in ("+01:00", "+02:00") and exported.year > 2000
    assert "genomförts" in pairs["◆"] and "genomförd" in pairs["✓"]
    labels = [row[1] for row in values(ws, 2) if row and isinstance(row[0], int)]
    assert labels == ["Mycket liten", "Liten", "Stor", "Mycket stor", "Mindre", "Måttlig", "Betydande", "Katastrofal"]
    assert (pairs["Mycket hög"], pairs["Hög"], pairs["Medel"], pairs["Låg"]) == ("12–16", "8–9", "4–6", "1–3")
    level_cells = {cell.value: cell for cell in ws["A"] if cell.value in ("Låg", "Mycket hög")}
    assert level_cells["Mycket hög"].fill.fgColor.rgb == "00C62828"
    assert level_cells["Låg"].fill.fgColor.rgb == "002E7D32"


RISKY = [
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+46 8 123 45",
    "-1",
    "@SUM(A1:A9)",
    "\tinledande tabb",
    "\rinledande CR",
    "#N/A",
    "2026-03-01",
    "_x0041_ ser ut som en kod",
]


@pytest.mark.parametrize("title", RISKY)
def test_user_text_is_always_literal_text(known, tmp_path, title):
    # Set directly: the services trim text, an import or an old database may not have.
    known.risks["late"].title = title
    known.actions["training"].title = title
    db.session.commit()
    workbook = export(known.unit, tmp_path)

    risk_cell = workbook[APPENDIX_SHEET]["B3"]
    register = workbook[REGISTER_SHEET]
    register_cell = next(row[4] for row in register.iter_rows(min_row=2) if row[1].value == known.risks["late"].ref)
    for cell in (risk_cell, register_cell, workbook[APPENDIX_SHEET]["D4"]):
        assert cell.data_type == "s"
        assert read_text(cell.value) == title
        assert cell.value == encode(title)
    assert risk_cell.quotePrefix is (not title.startswith("_"))


def test_forbidden_control_characters_are_removed(known, tmp_path):
    # (PostgreSQL refuses NUL in text, so that one is tested on the cell alone below.)
    known.risks["late"].title = "Risk med\x01 styr\x0btecken\x1f"
    known.processes["screening"].description = "Rad ett\nrad två\x07"
    db.session.commit()
    workbook = export(known.unit, tmp_path)

    assert workbook[APPENDIX_SHEET]["B3"].value == "Risk med styrtecken"
    register = {row[1]: row for row in values(workbook[REGISTER_SHEET])}
    assert register[known.processes["screening"].ref][5] == "Rad ett\nrad två"


def test_a_cell_drops_what_xlsx_forbids():
    ws = Workbook(write_only=True).create_sheet("x")

    assert text_cell(ws, "a\x00b\x08c\x0bd\x1fe\tf\ng") == "abcde\tf\ng"
    assert text_cell(ws, "\x00\x01") is None


@given(st.text(alphabet="_x0123456789abcdefABCDEF\r\n\t åäö", max_size=40))
def test_escaping_round_trips(text):
    assert read_text(encode(text)) == text
    assert "\r" not in encode(text)


def test_sub_units_follow_the_unit(unit, make_unit, make_process, tmp_path):
    sub = make_unit(code="mott", name="Mottagningen", parent=unit)
    make_process(title="Mottagning", unit=sub)
    make_process(title="Utredning")
    ws = export(unit, tmp_path)[APPENDIX_SHEET]

    assert [row[0] for row in values(ws, 3)[:-2]] == ["Utredning", "Mottagning"]
    register = values(export(unit, tmp_path)[REGISTER_SHEET], trim=False)
    assert [(row[4], row[-1]) for row in register[1:]] == [("Utredning", unit.code), ("Mottagning", "mott")]


def test_an_empty_year_still_gives_a_workbook(unit, tmp_path):
    workbook = export(unit, tmp_path, year=2001)

    assert values(workbook[APPENDIX_SHEET], 2)[0] == ["Process", "Risk", "Egenkontroll", "Åtgärd"]
    assert dict(values(workbook[LEGEND_SHEET], 2)[:5])["Kvalitetsplanens status"] == "Ej påbörjad"


def test_loading_takes_the_same_queries_for_10_and_200_risks(unit, make_unit, make_process, make_control,
                                                            make_action, make_user):
    from app.core.services.risks import create_risk

    make_unit(code="sub", name="Underenhet", parent=unit)

    def grow(count: int) -> None:
        process = make_process(title=f"Process {count}", owner=make_user())
        control, action = make_control(responsible=make_user()), make_action(responsible=make_user())
        record_check(None, control, performed_on=date(TEST_YEAR, 2, 1), outcome=CheckOutcome.NO_REMARKS)
        for number in range(count):
            risk = create_risk(None, process, title=f"Risk {number}")
            link_control(None, risk, control)
            link_action(None, risk, action)
        db.session.commit()

    counts = []
    for count in (10, 190):
        grow(count)
        db.session.expire_all()
        with count_queries() as queries:
            plan = load_plan_data(unit, TEST_YEAR)
        counts.append(len(queries))
        assert len(plan.risks) in (10, 200)
    assert counts[0] == counts[1]


def test_cli_writes_the_workbook(app, known, tmp_path):
    output = tmp_path / "ut.xlsx"
    result = app.test_cli_runner().invoke(
        args=["plan", "export", "--unit", "bfe", "--year", str(TEST_YEAR), "--output", str(output), "--riskvarde",
              "--ansvarig"]
    )

    assert result.exit_code == 0, result.output
    assert "Skrev" in result.output and "4 risker" in result.output
    header = values(load_workbook(output)[APPENDIX_SHEET], 2)[0]
    assert header == ["Process", "Risk", "Egenkontroll", "Åtgärd", "Riskvärde", "Ansvarig"]


def test_cli_refuses_an_unknown_unit(app, unit, tmp_path):
    output = tmp_path / "ut.xlsx"
    result = app.test_cli_runner().invoke(
        args=["plan", "export", "--unit", "finns-ej", "--year", str(TEST_YEAR), "--output", str(output)]
    )

    assert result.exit_code != 0
    assert "Okänd enhet: finns-ej" in result.output
    assert not output.exists()


@pytest.mark.slow
def test_the_workbook_opens_cleanly_in_libreoffice(known, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the file was only checked with openpyxl")
    path = tmp_path / "plan.xlsx"
    options = ExportOptions(score=True, status=True, responsible=True)
    write_workbook(load_plan_data(known.unit, TEST_YEAR), path, options)
    load_workbook(path)  # openpyxl reads it back

    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "plan.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("colour", "argb"),
    [("#2e7d32", "2E7D32"), ("#fa0", "FFAA00"), ("C62828", "C62828"), ("red", "BDBDBD"), ("+2e7d3", "BDBDBD"),
     ("", "BDBDBD")],
)
def test_level_colours_become_fills(colour, argb):
    assert argb_colour(colour) == argb
