"""A workbook that has been opened and saved again in LibreOffice still imports without loss: what a coordinator's
colleague does when she has no Excel. (What was checked against Excel itself is listed in the README.)"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.excel.export.workbook import ExportOptions
from app.excel.importing.apply import import_file
from app.extensions import db
from app.models import ActionStatus, CheckOutcome, Frequency, QualityArea, RiskStatus
from tests.conftest import TEST_YEAR
from tests.test_import_roundtrip import TRICKY, build, cells, export, fresh, second_app  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow

PLAN = {
    "processes": [
        dict(title="Förhandsbedömning", description="Inom 14 dagar", parent=None, owner="anna@exempel.se",
             sort_order=0, archived=False),
        dict(title="Utredning enligt 11 kap. 1 § SoL", description="rad ett\nrad två", parent=None, owner=None,
             sort_order=1, archived=False),
        dict(title="Ärendedragning", description="", parent=1, owner="bertil@exempel.se", sort_order=0,
             archived=False),
    ],
    "risks": [
        dict(process=0, title="Anmälan blir liggande", description=TRICKY[0], area=QualityArea.SAFETY,
             assessment=(3, 4, RiskStatus.IN_PROGRESS, "=1+1"), archived=False),
        dict(process=1, title="Barnets röst saknas", description="Åtgärd för äldre", area=None,
             assessment=(2, 2, RiskStatus.NEW, ""), archived=False),
        dict(process=2, title=TRICKY[2], description="0123", area=None, assessment=None, archived=False),
    ],
    "controls": [
        dict(title="Journalgranskning", description="Tio akter per kvartal", method="Stickprov",
             frequency=Frequency.QUARTERLY, responsible="anna@exempel.se", risks=[0, 1],
             checks=[(date(TEST_YEAR, 3, 31), CheckOutcome.DEFICIENCIES, "Två akter saknade plan", None)],
             archived=False),
    ],
    "actions": [
        dict(title="Checklista för förhandsbedömning", description="", status=ActionStatus.DONE,
             start_year=TEST_YEAR, due_on=date(TEST_YEAR, 6, 30), follow_up="Används sedan april ✓",
             responsible="bertil@exempel.se", completed_on=date(TEST_YEAR, 4, 2), risks=[0], archived=False),
        dict(title="@SUM(A1:A3)", description="-5 grader", status=ActionStatus.IN_PROGRESS,
             start_year=TEST_YEAR - 1, due_on=None, follow_up="", responsible=None, completed_on=None, risks=[1, 2],
             archived=False),
    ],
    "options": ExportOptions(score=True, status=True, responsible=True),
}


def saved_again_by_libreoffice(content: bytes, tmp_path: Path) -> bytes:
    """Open the workbook in LibreOffice headless and save it back as .xlsx, as a person without Excel would."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: CI installs it")
    source, target = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "Kvalitetsplan.xlsx").write_bytes(content)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(target), str(source / "Kvalitetsplan.xlsx")],
        capture_output=True, text=True, timeout=180,
    )
    saved = target / "Kvalitetsplan.xlsx"
    assert result.returncode == 0 and saved.exists(), result.stdout + result.stderr
    return saved.read_bytes()


def test_a_workbook_saved_again_by_libreoffice_imports_without_loss(app, second_app, tmp_path):
    unit, users = fresh()
    build(PLAN, unit, users)
    db.session.commit()
    original = export(unit, PLAN["options"])

    resaved = saved_again_by_libreoffice(original, tmp_path)

    with second_app.app_context():
        target, _ = fresh()
        result = import_file(None, target, TEST_YEAR, resaved, "Kvalitetsplan.xlsx", max_rows=20_000)
        assert result.ok, [str(error) for error in result.errors]
        assert result.warnings == []
        db.session.commit()
        again = export(target, PLAN["options"])

    assert cells(again) == cells(original)
