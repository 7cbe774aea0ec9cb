"""A locked year's export has the same cells every time, whatever happens to the register afterwards."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from app.core.services.risks import update_risk
from app.excel.export.locked import plan_for_export
from app.excel.export.workbook import ExportOptions, write_workbook
from app.extensions import db
from app.models import Role
from app.plans.locking import lock_year, unlock_year
from tests.conftest import TEST_YEAR

ALL_COLUMNS = ExportOptions(score=True, status=True, responsible=True)


def cells(unit) -> dict[str, list]:
    buffer = io.BytesIO()
    write_workbook(plan_for_export(unit, TEST_YEAR), buffer, ALL_COLUMNS)
    buffer.seek(0)
    workbook = load_workbook(buffer)
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


def test_locked_year_exports_identically_after_later_edits(unit, make_user, make_assessment):
    assessment = make_assessment()
    lock_year(make_user(role=Role.MANAGER), unit, TEST_YEAR)
    db.session.commit()
    first = cells(unit)
    update_risk(None, assessment.risk, title="Omdöpt efter låsningen")
    db.session.commit()
    assert cells(unit) == first
    assert "Omdöpt efter låsningen" not in str(first)


def test_unlocking_drops_the_snapshot(unit, make_user, make_assessment):
    assessment = make_assessment()
    lock_year(make_user(role=Role.MANAGER), unit, TEST_YEAR)
    db.session.commit()
    unlock_year(make_user(role=Role.ADMIN), unit, TEST_YEAR, reason="Rättelse")
    update_risk(None, assessment.risk, title="Rättad titel")
    db.session.commit()
    assert "Rättad titel" in str(cells(unit))


def test_the_export_has_the_year_over_year_sheet(unit, make_risk, make_assessment, make_process):
    from app.models import RiskStatus

    process = make_process()
    rising = make_risk(process=process, title="Stigande risk")
    make_assessment(risk=rising, year=TEST_YEAR - 1, likelihood=1, consequence=2)
    make_assessment(risk=rising, year=TEST_YEAR, likelihood=3, consequence=2, status=RiskStatus.IN_PROGRESS)
    make_assessment(risk=make_risk(process=process, title="Helt ny risk"), year=TEST_YEAR)
    sheet = cells(unit)["Förändring"]
    flat = [row for row in sheet if any(value is not None for value in row)]
    assert flat[0][0] == "Förändring 2025 → 2026 – Barn- och familjeenheten"
    assert ["Nya risker (1)"] == [row[0] for row in flat if str(row[0]).startswith("Nya risker")]
    assert ["Stigande risk", "Utredning", 2, 6, "Ny", "Pågående"] in flat
