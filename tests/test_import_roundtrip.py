"""Our own export read back: export → import into an empty database → export gives the same cells, ids included."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import create_app
from app.auth.services import create_user
from app.core.services.actions import create_action
from app.core.services.actions import set_archived as archive_action
from app.core.services.assessments import assess_risk
from app.core.services.controls import create_control, record_check
from app.core.services.controls import set_archived as archive_control
from app.core.services.processes import create_process
from app.core.services.processes import set_archived as archive_process
from app.core.services.risks import create_risk, link_action, link_control
from app.core.services.risks import set_archived as archive_risk
from app.core.units import create_unit
from app.core.year_plan_loader import load_plan_data
from app.excel.export.workbook import ExportOptions, write_workbook
from app.excel.importing.apply import import_file
from app.excel.layout import LEGEND_SHEET, REGISTER_SHEET
from app.extensions import db
from app.models import (
    ActionStatus,
    CheckOutcome,
    Control,
    Frequency,
    Process,
    QualityArea,
    Risk,
    RiskStatus,
    Role,
    Unit,
)
from tests.conftest import PASSWORD, TEST_TODAY, TEST_YEAR, app_config, empty_all_tables

PEOPLE = [("anna@exempel.se", "Anna Åberg"), ("bertil@exempel.se", "Bertil Öst")]

# --- generated plans -------------------------------------------------------------------------------------------------

TRICKY = [
    '=HYPERLINK("http://example.com","klicka")', "=1+1", "+46 70 123 45 67", "-5 grader", "@SUM(A1:A3)",
    "\tinledd med tabb", "\rinledd med CR", "rad ett\r\nrad två", "rad ett\nrad två", "_x000D_ som text",
    "Åtgärd för äldre och överförmyndare", "0123", "2026-03-01", "#N/A", "✓ ◆",
]
words = st.text(st.characters(categories=["L", "N", "P", "S", "Zs"], include_characters="åäöÅÄÖ"),
                min_size=1, max_size=30).filter(lambda t: any(c.isalnum() for c in t))
title = st.one_of(words, st.sampled_from(TRICKY))
text = st.one_of(st.just(""), title, st.sampled_from(["å" * 5000, "ä\n" * 2500, "=" + "ö" * 4999]))
score = st.integers(1, 4)
day = st.integers(0, (TEST_TODAY - date(TEST_YEAR, 1, 1)).days).map(lambda n: date(TEST_YEAR, 1, 1) + timedelta(n))
person = st.one_of(st.none(), st.sampled_from([email for email, _ in PEOPLE]))


@st.composite
def plans(draw):
    processes = []
    for index in range(draw(st.integers(1, 3))):
        parent = draw(st.one_of(st.none(), st.integers(0, index - 1))) if index else None
        processes.append(dict(title=draw(title), description=draw(text), parent=parent, owner=draw(person),
                              sort_order=draw(st.integers(0, 2)), archived=draw(st.booleans())))
    risks = [dict(process=draw(st.integers(0, len(processes) - 1)), title=draw(title), description=draw(text),
                  area=draw(st.one_of(st.none(), st.sampled_from(list(QualityArea)))),
                  assessment=draw(st.one_of(st.none(), st.tuples(score, score, st.sampled_from(list(RiskStatus)),
                                                                  text))),
                  archived=draw(st.booleans()))
             for _ in range(draw(st.integers(0, 4)))]
    linked = st.lists(st.integers(0, max(len(risks) - 1, 0)), unique=True, max_size=3) if risks else st.just([])
    controls = [dict(title=draw(title), description=draw(text), method=draw(st.one_of(st.just(""), words)),
                     frequency=draw(st.sampled_from(list(Frequency))), responsible=draw(person), risks=draw(linked),
                     checks=draw(st.lists(st.tuples(day, st.sampled_from(list(CheckOutcome)), text, person),
                                          max_size=2)),
                     archived=draw(st.booleans()))
                for _ in range(draw(st.integers(0, 3)))]
    actions = []
    for _ in range(draw(st.integers(0, 3))):
        status = draw(st.sampled_from(list(ActionStatus)))
        start = draw(st.integers(TEST_YEAR - 1, TEST_YEAR))
        actions.append(dict(title=draw(title), description=draw(text), status=status, start_year=start,
                            due_on=draw(st.one_of(st.none(), day)), follow_up=draw(text), responsible=draw(person),
                            completed_on=draw(day) if status is ActionStatus.DONE else None, risks=draw(linked),
                            archived=draw(st.booleans())))
    options = ExportOptions(score=draw(st.booleans()), status=draw(st.booleans()), responsible=draw(st.booleans()))
    return dict(processes=processes, risks=risks, controls=controls, actions=actions, options=options)


def build(plan: dict, unit: Unit, users: dict) -> None:
    """The plan through the services, risks in the drawn (interleaved) order; archived last, leaves first."""
    processes = []
    for spec in plan["processes"]:
        parent = processes[spec["parent"]] if spec["parent"] is not None else None
        processes.append(create_process(None, unit, title=spec["title"], description=spec["description"],
                                        parent=parent, owner=users.get(spec["owner"]), sort_order=spec["sort_order"]))
    risks = []
    for spec in plan["risks"]:
        risk = create_risk(None, processes[spec["process"]], title=spec["title"], description=spec["description"],
                           quality_area=spec["area"])
        if spec["assessment"]:
            likelihood, consequence, status, comment = spec["assessment"]
            assess_risk(None, risk, year=TEST_YEAR, likelihood=likelihood, consequence=consequence, status=status,
                        comment=comment)
        risks.append(risk)
    archive = []
    for spec in plan["controls"]:
        control = create_control(None, unit, title=spec["title"], description=spec["description"],
                                 method=spec["method"], frequency=spec["frequency"],
                                 responsible=users.get(spec["responsible"]))
        for index in spec["risks"]:
            link_control(None, risks[index], control)
        for performed_on, outcome, findings, by in spec["checks"]:
            check = record_check(None, control, performed_on=performed_on, outcome=outcome,
                                 findings=findings or "Brister i dokumentationen")
            check.performed_by = users.get(by)
        archive.append((archive_control, control, spec["archived"]))
    for spec in plan["actions"]:
        due_on = spec["due_on"] if spec["due_on"] and spec["due_on"].year >= spec["start_year"] else None
        completed_on = spec["completed_on"]
        action = create_action(None, unit, title=spec["title"], description=spec["description"],
                               status=spec["status"], start_year=spec["start_year"], due_on=due_on,
                               follow_up=spec["follow_up"], completed_on=completed_on,
                               responsible=users.get(spec["responsible"]))
        for index in spec["risks"]:
            link_action(None, risks[index], action)
        archive.append((archive_action, action, spec["archived"]))
    archive += [(archive_risk, risk, spec["archived"]) for risk, spec in zip(risks, plan["risks"])]
    depth = {id(p): _depth(p) for p in processes}
    archive += sorted(((archive_process, p, spec["archived"]) for p, spec in zip(processes, plan["processes"])
                       if not any(c.parent is p for c in processes)), key=lambda entry: -depth[id(entry[1])])
    for set_archived, item, wanted in archive:
        if wanted:
            set_archived(None, item, True)


def _depth(process: Process) -> int:
    return 0 if process.parent is None else 1 + _depth(process.parent)


# --- helpers ----------------------------------------------------------------------------------------------------------


def fresh(code: str = "bfe") -> tuple[Unit, dict]:
    """Empty tables, then the unit and its people: the same in both databases (people are not part of a plan)."""
    empty_all_tables()
    unit = create_unit(None, code=code, name="Barn- och familjeenheten")
    users = {email: create_user(None, email=email, name=name, role=Role.OWNER, unit=unit, password=PASSWORD)
             for email, name in PEOPLE}
    db.session.commit()
    return unit, users


def export(unit: Unit, options: ExportOptions = ExportOptions()) -> bytes:
    output = io.BytesIO()
    write_workbook(load_plan_data(unit, TEST_YEAR), output, options)
    return output.getvalue()


def cells(content: bytes) -> dict:
    """Every sheet's values and merged ranges; the legend's export moment is left out (it is the time of export)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    found = {}
    for sheet in workbook.worksheets:
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        if sheet.title == LEGEND_SHEET:
            rows = [row for row in rows if row[0] != "Exporterad"]
        found[sheet.title] = (rows, sorted(str(merged) for merged in sheet.merged_cells.ranges))
    return found


@pytest.fixture
def second_app(tmp_path):
    """A second, empty database: where the exported workbook is imported."""
    other = create_app(app_config("sqlite:///" + str(tmp_path / "b.sqlite3")))
    with other.app_context():
        db.create_all()
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


# --- the round trip ----------------------------------------------------------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans())
def test_export_import_export_gives_the_same_cells(app, second_app, plan):
    unit, users = fresh()
    build(plan, unit, users)
    db.session.commit()
    first = export(unit, plan["options"])

    with second_app.app_context():
        target, _ = fresh()
        result = import_file(None, target, TEST_YEAR, first, "Kvalitetsplan.xlsx", max_rows=20_000)
        assert result.ok, [str(error) for error in result.errors]
        assert result.warnings == []
        db.session.commit()
        second = export(target, plan["options"])
        again = import_file(None, target, TEST_YEAR, second, "Kvalitetsplan.xlsx", max_rows=20_000)
        assert again.ok and again.changes == []
        db.session.rollback()

    assert cells(second) == cells(first)


def test_the_exported_appendix_alone_reads_back_as_an_appendix(app, second_app):
    """A coordinator who keeps only the first sheet still gets the plan: matched by title, ✓ and ◆ understood."""
    unit, users = fresh()
    process = create_process(None, unit, title="Mottagning")
    risk = create_risk(None, process, title="Ansökan registreras sent")
    assess_risk(None, risk, year=TEST_YEAR, likelihood=3, consequence=2, status=RiskStatus.IN_PROGRESS)
    control = create_control(None, unit, title="Stickprov i diariet", frequency=Frequency.MONTHLY)
    link_control(None, risk, control)
    record_check(None, control, performed_on=date(TEST_YEAR, 2, 1), outcome=CheckOutcome.NO_REMARKS)
    done = create_action(None, unit, title="Checklista", start_year=TEST_YEAR, status=ActionStatus.DONE,
                         completed_on=date(TEST_YEAR, 4, 1), follow_up="Införd", responsible=users["anna@exempel.se"])
    link_action(None, risk, done)
    db.session.commit()
    workbook = openpyxl.load_workbook(io.BytesIO(export(unit, ExportOptions(True, True, True))))
    del workbook[REGISTER_SHEET]
    output = io.BytesIO()
    workbook.save(output)

    with second_app.app_context():
        target, _ = fresh()
        result = import_file(None, target, TEST_YEAR, output.getvalue(), "bilaga.xlsx", max_rows=20_000)
        assert result.ok, [str(error) for error in result.errors]
        db.session.commit()
        (risk,) = db.session.scalars(select(Risk))
        assert (risk.title, risk.process.title) == ("Ansökan registreras sent", "Mottagning")
        # The appendix shows riskvärde and status but not sannolikhet and konsekvens: the status alone is not an
        # assessment, and the preview says so.
        assert risk.assessment_for(TEST_YEAR) is None
        assert [(w.column, "Statusen importeras inte" in w.message) for w in result.warnings] == [("Status", True)]
        assert [(c.title, len(c.checks)) for c in risk.controls] == [("Stickprov i diariet", 1)]
        (action,) = risk.actions
        assert (action.title, action.status, action.responsible.email) == ("Checklista", ActionStatus.DONE,
                                                                            "anna@exempel.se")


def test_register_refs_are_matched_and_kept(app, second_app):
    unit, _ = fresh()
    process = create_process(None, unit, title="Mottagning")
    create_risk(None, process, title="Sen registrering")
    db.session.commit()
    content = export(unit)
    refs = (process.ref, db.session.scalar(select(Risk.ref)))

    # An unknown ref creates the item with that ref …
    with second_app.app_context():
        target, _ = fresh()
        assert import_file(None, target, TEST_YEAR, content, "r.xlsx", max_rows=100).ok
        db.session.commit()
        assert (db.session.scalar(select(Process.ref)), db.session.scalar(select(Risk.ref))) == refs

    # … a known ref in the same unit is updated in place, not duplicated …
    db.session.get(Process, process.id).title = "Mottagning och ansökan"
    db.session.commit()
    result = import_file(None, unit, TEST_YEAR, content, "r.xlsx", max_rows=100)
    assert result.ok and [(o.kind, o.fields) for o in result.changes] == [("Process", ("namn",))]
    db.session.commit()
    assert db.session.get(Process, process.id).title == "Mottagning"
    assert len(db.session.scalars(select(Process)).all()) == 1

    # … and a ref that belongs to another unit is an error naming its row.
    other = create_unit(None, code="annan", name="Annan enhet")
    db.session.commit()
    result = import_file(None, other, TEST_YEAR, content, "r.xlsx", max_rows=100)
    db.session.rollback()
    assert {(e.sheet, e.row, e.column) for e in result.errors} == {(REGISTER_SHEET, 2, "ID"), (REGISTER_SHEET, 3, "ID")}
    assert "annan enhet" in result.errors[0].message
    assert db.session.scalars(select(Control)).all() == [] and len(db.session.scalars(select(Risk)).all()) == 1


def test_a_hand_edited_register_lists_every_problem_with_its_cell(app):
    from app.excel.layout import REGISTER_COLUMNS
    from tests.import_files import save

    unit, _ = fresh()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = REGISTER_SHEET
    sheet.append(REGISTER_COLUMNS)

    def row(**cells):
        sheet.append([cells.get(name) for name in REGISTER_COLUMNS])

    row(Typ="Process", ID="P-AAAAAAAAAAAA", Titel="Mottagning")
    row(Typ="Processs", ID="P-BBBBBBBBBBBB", Titel="Felstavad typ")
    row(Typ="Risk", ID="P-CCCCCCCCCCCC", Överordnad="P-AAAAAAAAAAAA", Titel="Fel prefix")
    row(Typ="Risk", ID="R-DDDDDDDDDDDD", Överordnad="P-FINNSINTE00", Titel="Okänd process")
    row(Typ="Egenkontroll", ID="E-EEEEEEEEEEEE", Titel="Stickprov", Frekvens="Ibland")
    row(Typ="Process", ID="P-AAAAAAAAAAAA", Titel="Samma ID igen")
    row(Typ="Åtgärd", ID="A-FFFFFFFFFFFF", Titel="", Status="Planerad", Startår=2026)
    result = import_file(None, unit, TEST_YEAR, save(workbook), "register.xlsx", max_rows=100)
    db.session.rollback()
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        (REGISTER_SHEET, 3, "Typ"), (REGISTER_SHEET, 4, "ID"), (REGISTER_SHEET, 6, "Frekvens"),
        (REGISTER_SHEET, 7, "ID"), (REGISTER_SHEET, 8, "Titel"), (REGISTER_SHEET, 5, "Överordnad")]
    assert "P-FINNSINTE00" in result.errors[-1].message
    assert db.session.scalars(select(Process)).all() == []
