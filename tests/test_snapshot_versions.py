"""A locked year stays exportable forever: every snapshot format ever written loads, a newer one is refused in Swedish.

tests/fixtures/snapshot_v1.json is a version-1 (unversioned) snapshot exactly as the code before the versioned schema
wrote it (app/excel/snapshot.py at commit 7dcdf38): build_register() below, locked by lock_at_pinned_moment(), its
Plan.snapshot saved as JSON. Never regenerate it with newer code: it stands for the locked years already in databases.
"""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.auth.services import create_user
from app.core.errors import DomainError
from app.core.services.actions import complete_action, create_action
from app.core.services.assessments import assess_risk
from app.core.services.controls import create_control, record_check
from app.core.services.controls import set_archived as archive_control
from app.core.services.processes import create_process
from app.core.services.processes import set_archived as archive_process
from app.core.services.risks import create_risk, link_action, link_control
from app.core.services.risks import set_archived as archive_risk
from app.core.units import create_unit
from app.core.year_plan_loader import load_plan_data
from app.excel.export import snapshot
from app.excel.export.locked import plan_for_export, take_snapshot, with_changes
from app.excel.export.snapshot import ADDED_LATER, SCHEMA_VERSION, TYPES, UnreadableSnapshot
from app.excel.export.workbook import ExportOptions, write_workbook
from app.extensions import db
from app.models import ActionStatus, CheckOutcome, Frequency, Plan, QualityArea, RiskStatus, Role, Unit
from app.plans.locking import lock_year
from tests.conftest import PASSWORD, TEST_YEAR

V1_FIXTURE = Path(__file__).parent / "fixtures" / "snapshot_v1.json"
ALL_COLUMNS = ExportOptions(score=True, status=True, responsible=True)
LOCKED_AT = datetime(TEST_YEAR, 11, 20, 13, 45, tzinfo=UTC)  # the moment of locking, as the export shows it


def version_1() -> dict[str, Any]:
    return json.loads(V1_FIXTURE.read_text(encoding="utf-8"))


def workbook_cells(plan) -> dict[str, list]:
    buffer = io.BytesIO()
    write_workbook(plan, buffer, ALL_COLUMNS)
    buffer.seek(0)
    workbook = load_workbook(buffer)
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


def nodes(tree: Any, type_name: str) -> list[dict]:
    """Every stored dataclass of one type in a snapshot tree."""
    found = []
    if isinstance(tree, dict):
        if tree.get("__class__") == type_name:
            found.append(tree)
        for value in tree.values():
            found += nodes(value, type_name)
    elif isinstance(tree, list):
        for value in tree:
            found += nodes(value, type_name)
    return found


def instances(value: Any, cls: type) -> list:
    """Every instance of a class in a loaded plan."""
    found = [value] if isinstance(value, cls) else []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = [getattr(value, field.name) for field in dataclasses.fields(value)]
    elif isinstance(value, list | tuple):
        children = list(value)
    else:
        children = []
    for child in children:
        found += instances(child, cls)
    return found


def build_register(unit: Unit) -> None:
    """A year with every kind of thing a snapshot holds, all of it fixed (refs too), so that the same register can be
    built again and locked: a sub-unit, a process tree, assessments this year and last, checks, åtgärder open and
    done, archived items, and text that only stays text when the export takes care."""
    sub_unit = create_unit(None, code="bfe-mott", name="Mottagningen", parent=unit)
    chef = create_user(None, email="chef@exempel.se", name="Cecilia Chef", role=Role.MANAGER, unit=unit,
                       password=PASSWORD)
    owner = create_user(None, email="agare@exempel.se", name="Åsa Ägare", role=Role.OWNER, unit=unit,
                        password=PASSWORD)
    main = create_process(None, unit, title="Utredning", description="Från aktualisering till beslut", owner=owner,
                          sort_order=1)
    child = create_process(None, unit, title="Förhandsbedömning", parent=main)
    old = create_process(None, unit, title="Gammal process", sort_order=2)
    intake = create_process(None, sub_unit, title="Mottagning")

    late = create_risk(None, main, title="Utredningen blir inte klar i tid", description="=HYPERLÄNK(\"x\")",
                       quality_area=QualityArea.SAFETY)
    assess_risk(None, late, year=TEST_YEAR - 1, likelihood=1, consequence=2)
    assess_risk(None, late, year=TEST_YEAR, likelihood=3, consequence=2, status=RiskStatus.IN_PROGRESS,
                comment="Fler ärenden än väntat\r\nse bilaga _x000D_")
    unheard = create_risk(None, child, title="Barnets röst hörs inte")
    assess_risk(None, unheard, year=TEST_YEAR, likelihood=4, consequence=4)
    undocumented = create_risk(None, main, title="Dokumentation saknas", quality_area=QualityArea.KNOWLEDGE_BASED)
    assess_risk(None, undocumented, year=TEST_YEAR - 1, likelihood=2, consequence=2, status=RiskStatus.IN_PROGRESS)
    gone = create_risk(None, main, title="Arkiverad risk")
    assess_risk(None, gone, year=TEST_YEAR, likelihood=1, consequence=1)
    misrouted = create_risk(None, intake, title="Samtal kopplas fel")
    assess_risk(None, misrouted, year=TEST_YEAR, likelihood=2, consequence=1)
    create_risk(None, old, title="Risk i gammal process")

    journals = create_control(None, unit, title="Journalgranskning", frequency=Frequency.QUARTERLY,
                              method="Stickprov", responsible=chef)
    link_control(None, late, journals)
    link_control(None, unheard, journals)
    record_check(chef, journals, performed_on=date(TEST_YEAR, 3, 15), outcome=CheckOutcome.DEFICIENCIES,
                 findings="Två journaler saknade beslut")
    calls = create_control(None, sub_unit, title="Uppföljning av samtal", frequency=Frequency.MONTHLY)
    link_control(None, misrouted, calls)
    record_check(None, calls, performed_on=date(TEST_YEAR, 5, 2), outcome=CheckOutcome.NOT_PERFORMED)
    retired = create_control(None, unit, title="Gammal kontroll", frequency=Frequency.ANNUAL)
    link_control(None, late, retired)

    checklist = create_action(None, unit, title="Ta fram en checklista", start_year=TEST_YEAR,
                              due_on=date(TEST_YEAR, 6, 30), responsible=owner)
    link_action(None, late, checklist)
    complete_action(None, checklist, follow_up="Checklistan används", completed_on=date(TEST_YEAR, 9, 1))
    training = create_action(None, unit, title="Utbilda nya handläggare", start_year=TEST_YEAR,
                             status=ActionStatus.IN_PROGRESS, due_on=date(TEST_YEAR, 3, 31))
    link_action(None, late, training)
    link_action(None, unheard, training)
    routine = create_action(None, sub_unit, title="Ny rutin för vidarekoppling", start_year=TEST_YEAR)
    link_action(None, misrouted, routine)

    archive_risk(None, gone, True)
    archive_process(None, old, True)
    archive_control(None, retired, True)
    items = [main, child, old, intake, late, unheard, undocumented, gone, misrouted, *old.risks, journals, calls,
             retired, *journals.checks, *calls.checks, checklist, training, routine]
    for number, item in enumerate(items, 1):
        item.ref = f"{item.ref[0]}-{number:012d}"
    db.session.commit()


def lock_at_pinned_moment(unit: Unit) -> Plan:
    """Lock the year as an enhetschef would, with the moment of locking (the export's "Exporterad") pinned."""
    manager = create_user(None, email="laser@exempel.se", name="Lars Låsare", role=Role.MANAGER, unit=unit,
                          password=PASSWORD)
    plan = lock_year(manager, unit, TEST_YEAR)
    plan.locked_at = LOCKED_AT
    take_snapshot(plan, unit)
    db.session.commit()
    return plan


# --- the stored format ---------------------------------------------------------------------------------------------


def test_a_lock_writes_the_current_version_and_reads_it_back_whole(unit):
    build_register(unit)
    plan = lock_at_pinned_moment(unit)
    db.session.expire(plan)  # read the snapshot back from its JSON column

    assert plan.snapshot["schema"] == SCHEMA_VERSION == 2
    data = with_changes(load_plan_data(unit, TEST_YEAR), unit)
    assert snapshot.load(plan.snapshot) == dataclasses.replace(data, exported_at=LOCKED_AT)


def test_a_version_1_snapshot_exports_the_same_cells_as_a_fresh_lock(unit):
    build_register(unit)
    plan = lock_at_pinned_moment(unit)
    fresh = workbook_cells(plan_for_export(unit, TEST_YEAR))
    plan.snapshot = version_1()
    db.session.commit()

    assert workbook_cells(plan_for_export(unit, TEST_YEAR)) == fresh
    # What is compared covers the whole register: a sub-unit's items, the year before, the moment of locking.
    assert {row[-1] for row in fresh["Register"][1:]} == {"bfe", "bfe-mott", None}
    assert ["Risk", "Process", "Riskvärde före", "Riskvärde nu", "Status före", "Status nu"] in fresh["Förändring"]
    assert fresh["Förklaringar"][5][:2] == ["Exporterad", "2026-11-20T14:45:00+01:00"]


def test_unknown_keys_are_ignored():
    stored = version_1()
    stored["written_by"] = "Riskregistret 9.0"
    stored["processes"]["__tuple__"][0]["colour"] = "röd"
    enveloped = {"schema": SCHEMA_VERSION, "plan": stored, "comment": "kommer från en senare version"}
    assert snapshot.load(stored) == snapshot.load(version_1())
    assert snapshot.load(enveloped) == snapshot.load(version_1())


def test_a_snapshot_from_before_a_field_was_added_gets_its_documented_default():
    stored = version_1()
    for (type_name, field), _default in ADDED_LATER.items():
        for node in nodes(stored, type_name):
            node.pop(field, None)

    plan = snapshot.load(stored)

    for (type_name, field), default in ADDED_LATER.items():
        read = [getattr(item, field) for item in instances(plan, TYPES[type_name][0])]
        assert read == [default] * len(read), (type_name, field)
    assert plan.changes is None
    assert {process.unit_code for process in plan.processes} == {""}
    cells = workbook_cells(plan)
    assert "Förändring" not in cells
    assert {row[-1] for row in cells["Register"][1:]} == {None}  # Enhet empty: the import's own unit


def test_every_field_an_old_snapshot_may_lack_has_a_documented_default():
    """A field added to a snapshot type needs a value for the snapshots written before it (see ADDED_LATER); a type
    added later has no older snapshots to be read from."""
    stored = version_1()
    for type_name, (_cls, fields) in TYPES.items():
        written = set().union(*(node.keys() for node in nodes(stored, type_name)))
        if not written:
            continue
        missing = [field for field in fields if field not in written and (type_name, field) not in ADDED_LATER]
        assert not missing, f"{type_name}: give {missing} a default in ADDED_LATER"


def test_the_documented_schema_is_the_classes_own():
    """TYPES documents what a snapshot stores; a changed dataclass must change it too (see snapshot.py)."""
    for type_name, (cls, fields) in TYPES.items():
        assert tuple(field.name for field in dataclasses.fields(cls)) == fields, type_name


# --- refused, in Swedish -------------------------------------------------------------------------------------------


def test_a_snapshot_from_a_newer_version_is_refused():
    with pytest.raises(UnreadableSnapshot) as refused:
        snapshot.load({"schema": SCHEMA_VERSION + 1, "plan": {"__class__": "YearPlan"}})
    assert isinstance(refused.value, DomainError)
    assert refused.value.message == (
        "Den låsta kvalitetsplanen sparades i format 3 av en nyare version av Riskregistret. "
        "Den här versionen kan bara läsa format 1–2. Uppdatera Riskregistret och försök igen."
    )


def _without_a_risk_title(stored: dict) -> None:
    del nodes(stored, "RiskData")[0]["title"]


def _with_an_unknown_type(stored: dict) -> None:
    nodes(stored, "Person")[0]["__class__"] = "os.system"


def _with_an_unknown_status(stored: dict) -> None:
    stored["status"]["value"] = "frozen"


def _with_a_bad_date(stored: dict) -> None:
    stored["exported_at"]["__datetime__"] = "i går"


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (_without_a_risk_title, "uppgiften title saknas i RiskData"),
        (_with_an_unknown_type, "okänd typ ”os.system”"),
        (_with_an_unknown_status, "okänt värde ”frozen” för PlanStatus"),
        (_with_a_bad_date, "ogiltigt datum ”i går”"),
    ],
)
def test_a_damaged_snapshot_is_refused_with_what_is_wrong(damage, why):
    stored = version_1()
    damage(stored)
    with pytest.raises(UnreadableSnapshot, match=why):
        snapshot.load(stored)


@pytest.mark.parametrize(
    ("stored", "why"),
    [
        ([], "den är inte ett JSON-objekt"),
        ({"processes": []}, "formatet saknas"),
        ({"schema": "två", "plan": {}}, "okänt format ”två”"),
        ({"schema": 1, "plan": {}}, "okänt format ”1”"),
        ({"schema": 2}, "den innehåller ingen kvalitetsplan"),
    ],
)
def test_a_snapshot_that_is_no_snapshot_is_refused(stored, why):
    with pytest.raises(UnreadableSnapshot, match=why):
        snapshot.load(stored)


def test_the_export_of_an_unreadable_locked_year_answers_4xx_and_the_year_page_still_opens(client, login, unit,
                                                                                          make_user):
    plan = lock_at_pinned_moment(unit)
    plan.snapshot = {"schema": SCHEMA_VERSION + 1, "plan": {}}
    login(make_user(role=Role.READER))

    export = client.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/export.xlsx")
    page = client.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/")

    assert 400 <= export.status_code < 500
    assert "sparades i format 3 av en nyare version av Riskregistret" in export.text
    assert page.status_code == 200  # the page shows the register; only the export reads the snapshot


def test_the_export_command_refuses_an_unreadable_locked_year(app, unit, tmp_path):
    plan = lock_at_pinned_moment(unit)
    plan.snapshot = {"schema": SCHEMA_VERSION + 1, "plan": {}}
    db.session.commit()
    output = tmp_path / "plan.xlsx"

    result = app.test_cli_runner().invoke(
        args=["plan", "export", "--unit", "bfe", "--year", str(TEST_YEAR), "--output", str(output)]
    )

    assert result.exit_code == 1
    assert "sparades i format 3 av en nyare version av Riskregistret" in result.output
    assert not output.exists()
