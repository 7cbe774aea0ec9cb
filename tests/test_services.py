"""Services: the rows they write, the audit event beside each change, and that they leave committing to the caller."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.auth.services import create_user
from app.core.errors import LockedYearError, StaleEditError, ValidationError
from app.core.services.actions import complete_action, create_action, update_action
from app.core.services.actions import set_archived as archive_action
from app.core.services.assessments import assess_risk, update_assessment
from app.core.services.controls import create_control, record_check, update_control
from app.core.services.processes import create_process, update_process
from app.core.services.processes import set_archived as archive_process
from app.core.services.risks import (
    create_risk,
    link_action,
    link_control,
    unlink_action,
    unlink_control,
    update_risk,
)
from app.core.services.risks import set_archived as archive_risk
from app.core.unit_year import ensure_matrix, ensure_plan
from app.core.units import create_unit
from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    Assessment,
    AuditEvent,
    CheckOutcome,
    Control,
    ControlCheck,
    Frequency,
    Plan,
    PlanStatus,
    Process,
    QualityArea,
    Risk,
    RiskMatrix,
    RiskStatus,
    Role,
    Unit,
    User,
    risk_actions,
    risk_controls,
)
from app.models.matrix import DEFAULT_BANDS
from tests.conftest import PASSWORD, TEST_YEAR


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def events(**where) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(db.session.scalars(query))


def last_event() -> AuditEvent:
    return db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))


def assert_event(event: AuditEvent, verb: str, entity, unit_id: int, changes: dict, actor: User | None = None):
    assert (event.verb, event.entity_type, event.entity_id) == (verb, type(entity).__name__, entity.id)
    assert event.unit_id == unit_id
    assert event.changes == changes
    assert event.actor_id == (actor.id if actor else None)


def matrix_5x5(unit: Unit, year: int) -> RiskMatrix:
    matrix = RiskMatrix(
        unit=unit,
        year=year,
        likelihood_size=5,
        consequence_size=5,
        likelihood_labels=["Mycket liten", "Liten", "Måttlig", "Stor", "Mycket stor"],
        consequence_labels=["Försumbar", "Mindre", "Måttlig", "Betydande", "Katastrofal"],
        bands=[dict(band) for band in DEFAULT_BANDS],
    )
    db.session.add(matrix)
    db.session.commit()
    return matrix


def lock_year(unit: Unit, year: int) -> Plan:
    plan = ensure_plan(None, unit, year)
    plan.status = PlanStatus.LOCKED
    db.session.commit()
    return plan


# --- creating -------------------------------------------------------------------------------------------------------


def test_create_unit_writes_unit_and_event(app):
    parent = create_unit(None, code="SOC", name="Socialförvaltningen")
    unit = create_unit(None, code=" ifo ", name="  Individ- och familjeomsorg ", parent=parent)
    assert (unit.code, unit.name, unit.parent_id) == ("ifo", "Individ- och familjeomsorg", parent.id)
    assert_event(
        last_event(),
        "create",
        unit,
        unit.id,
        {"code": [None, "ifo"], "name": [None, "Individ- och familjeomsorg"], "parent_id": [None, parent.id]},
    )


def test_create_user_hashes_the_password_and_records_no_hash(unit):
    user = create_user(None, email=" Anna@Exempel.SE ", name="Anna", role=Role.MANAGER, unit=unit, password=PASSWORD)
    assert user.email == "anna@exempel.se"
    assert user.password_hash != PASSWORD and user.check_password(PASSWORD)
    assert_event(
        last_event(),
        "create",
        user,
        unit.id,
        {"email": [None, "anna@exempel.se"], "name": [None, "Anna"], "role": [None, "manager"],
         "unit_id": [None, unit.id]},
    )
    assert "password_hash" not in last_event().changes


def test_create_process_records_the_actor(unit, make_user):
    owner = make_user(name="Olle Ägare")
    process = create_process(owner, unit, title=" Utredning ", description="BBIC", owner=owner, sort_order=2)
    assert (process.title, process.unit_id, process.owner_id) == ("Utredning", unit.id, owner.id)
    assert_event(
        last_event(),
        "create",
        process,
        unit.id,
        {"title": [None, "Utredning"], "description": [None, "BBIC"], "parent_id": [None, None],
         "owner_id": [None, owner.id], "sort_order": [None, 2]},
        actor=owner,
    )


def test_create_risk(make_process):
    process = make_process()
    risk = create_risk(None, process, title="Barnets röst kommer inte fram", quality_area=QualityArea.SAFETY)
    assert risk.process_id == process.id
    assert_event(
        last_event(),
        "create",
        risk,
        process.unit_id,
        {"title": [None, "Barnets röst kommer inte fram"], "description": [None, ""],
         "quality_area": [None, "safety"], "process_id": [None, process.id]},
    )


def test_create_control_and_action(unit, make_user):
    person = make_user()
    control = create_control(None, unit, title="Journalgranskning", frequency=Frequency.MONTHLY, responsible=person)
    assert_event(
        last_event(),
        "create",
        control,
        unit.id,
        {"title": [None, "Journalgranskning"], "description": [None, ""], "method": [None, ""],
         "frequency": [None, "monthly"], "responsible_id": [None, person.id]},
    )
    action = create_action(None, unit, title="Checklista", start_year=TEST_YEAR, due_on=date(TEST_YEAR, 5, 31))
    assert action.status is ActionStatus.PLANNED
    assert_event(
        last_event(),
        "create",
        action,
        unit.id,
        {"title": [None, "Checklista"], "description": [None, ""], "responsible_id": [None, None],
         "start_year": [None, TEST_YEAR], "due_on": [None, f"{TEST_YEAR}-05-31"], "status": [None, "planned"],
         "follow_up": [None, ""], "completed_on": [None, None]},
    )


def test_assess_risk_creates_assessment_plan_and_matrix_with_events(make_risk, make_user):
    risk = make_risk()
    assessor = make_user()
    assessment = assess_risk(
        assessor, risk, year=TEST_YEAR, likelihood=2, consequence=3, comment="Hög arbetsbelastning"
    )
    assert (assessment.score, assessment.status, assessment.assessed_by_id) == (6, RiskStatus.NEW, assessor.id)
    unit_id = risk.process.unit_id
    assert [(e.entity_type, e.verb) for e in events(actor_id=assessor.id)] == [
        ("Plan", "create"),
        ("RiskMatrix", "create"),
        ("Assessment", "create"),
    ]
    assert_event(
        last_event(),
        "create",
        assessment,
        unit_id,
        {"year": [None, TEST_YEAR], "likelihood": [None, 2], "consequence": [None, 3], "status": [None, "new"],
         "comment": [None, "Hög arbetsbelastning"]},
        actor=assessor,
    )
    plan = db.session.scalar(select(Plan))
    assert (plan.unit_id, plan.year, plan.status) == (unit_id, TEST_YEAR, PlanStatus.DRAFT)


# --- updating -------------------------------------------------------------------------------------------------------


def test_update_assessment_records_only_what_changed(make_assessment, make_user):
    assessment = make_assessment(likelihood=2, consequence=3)
    editor = make_user(name="Eva Redigerare")
    before = count(AuditEvent)
    changes = update_assessment(
        editor, assessment, likelihood=3, consequence=3, status=RiskStatus.NEW, expected_version=assessment.version
    )
    assert changes == {"likelihood": [2, 3]}
    assert count(AuditEvent) == before + 1
    assert_event(last_event(), "update", assessment, assessment.risk.process.unit_id, {"likelihood": [2, 3]}, editor)
    assert (assessment.score, assessment.assessed_by_id, assessment.version) == (9, editor.id, 2)


def test_update_assessment_status_and_comment(make_assessment):
    assessment = make_assessment()
    changes = update_assessment(
        None, assessment, likelihood=2, consequence=3, status=RiskStatus.IN_PROGRESS, comment="Åtgärder pågår"
    )
    assert changes == {"status": ["new", "in_progress"], "comment": ["", "Åtgärder pågår"]}


def test_update_assessment_that_changes_nothing_records_nothing(make_assessment):
    assessment = make_assessment(likelihood=2, consequence=3)
    assessed_at, before = assessment.assessed_at, count(AuditEvent)
    assert update_assessment(None, assessment, likelihood=2, consequence=3, status=RiskStatus.NEW) == {}
    db.session.commit()
    assert count(AuditEvent) == before
    assert (assessment.version, assessment.assessed_at) == (1, assessed_at)


def test_update_process_records_only_what_changed(unit, make_process, make_user):
    owner = make_user()
    parent = make_process(title="Myndighetsutövning")
    process = make_process(title="Utredning")
    changes = update_process(None, process, title="Utredning", parent=parent, owner=owner)
    assert changes == {"parent_id": [None, parent.id], "owner_id": [None, owner.id]}
    assert_event(last_event(), "update", process, unit.id, changes)
    before = count(AuditEvent)
    assert update_process(None, process, title="Utredning", parent=parent, owner=owner) == {}
    assert count(AuditEvent) == before


def test_update_risk_within_unit(make_risk, make_process):
    risk = make_risk(title="Gammal titel")
    old_process_id = risk.process_id
    other = make_process(title="Uppföljning")
    changes = update_risk(None, risk, title="Ny titel", process=other)
    assert changes == {"title": ["Gammal titel", "Ny titel"], "process_id": [old_process_id, other.id]}
    assert risk.process_id == other.id
    assert_event(last_event(), "update", risk, other.unit_id, changes)
    before = count(AuditEvent)
    assert update_risk(None, risk, title="Ny titel") == {}
    assert count(AuditEvent) == before


def test_update_risk_refuses_a_process_of_another_unit(make_risk, make_unit, make_process):
    risk = make_risk()
    foreign = make_process(unit=make_unit(), title="Annan enhets process")
    with pytest.raises(ValidationError, match="samma enhet"):
        update_risk(None, risk, title=risk.title, process=foreign)


def test_update_control(unit, make_control):
    control = make_control(title="Journalgranskning", frequency=Frequency.QUARTERLY)
    changes = update_control(None, control, title="Journalgranskning", frequency=Frequency.MONTHLY, method="Stickprov")
    assert changes == {"frequency": ["quarterly", "monthly"], "method": ["", "Stickprov"]}
    assert_event(last_event(), "update", control, unit.id, changes)


def test_update_action_can_clear_the_responsible_person(unit, make_user, make_action):
    person = make_user()
    action = make_action(responsible=person)
    changes = update_action(
        None, action, title=action.title, start_year=action.start_year, status=action.status,
        due_on=action.due_on, responsible=None,
    )
    db.session.commit()
    assert changes == {"responsible_id": [person.id, None]}
    assert action.responsible_id is None
    assert last_event().changes == {"responsible_id": [person.id, None]}


def test_update_action_can_set_the_responsible_person(unit, make_user, make_action):
    person = make_user()
    action = make_action()
    changes = update_action(
        None, action, title=action.title, start_year=action.start_year, status=action.status,
        due_on=action.due_on, responsible=person,
    )
    assert changes == {"responsible_id": [None, person.id]}
    assert_event(last_event(), "update", action, unit.id, changes)


def test_moving_a_risk_twice_in_one_transaction_keeps_the_move(make_risk, make_process):
    risk = make_risk()
    other = make_process(title="Uppföljning")
    update_risk(None, risk, title=risk.title, process=other)
    assert risk.process is other
    assert update_risk(None, risk, title="Ny titel") == {
        "title": ["Utredningen blir inte klar i tid", "Ny titel"]
    }
    assert risk.process_id == other.id


def test_process_cycle_is_refused_within_one_transaction(make_process):
    first = make_process(title="A")
    second = make_process(title="B")
    assert (first.parent, second.parent) == (None, None)  # loaded, as a page showing the tree would
    update_process(None, first, title="A", parent=second)
    assert first.parent is second
    with pytest.raises(ValidationError, match="under sig själv"):
        update_process(None, second, title="B", parent=first)


def test_completing_an_action_keeps_a_responsible_set_earlier_in_the_transaction(make_action, make_user):
    person = make_user()
    action = make_action()
    assert action.responsible is None  # loaded, as a page showing the action would
    update_action(None, action, title=action.title, start_year=action.start_year, status=action.status,
                  responsible=person)
    complete_action(None, action, follow_up="Klar", completed_on=date(TEST_YEAR, 9, 1))
    db.session.commit()
    assert (action.responsible_id, action.responsible) == (person.id, person)


def test_control_responsible_relationship_follows_the_update(make_control, make_user):
    person = make_user()
    control = make_control()
    assert control.responsible is None
    update_control(None, control, title=control.title, frequency=control.frequency, responsible=person)
    assert control.responsible is person


@pytest.mark.parametrize("kind", ["process", "risk", "action"])
def test_archive_and_restore(kind, make_process, make_risk, make_action):
    entity, archive = {
        "process": (make_process, archive_process),
        "risk": (make_risk, archive_risk),
        "action": (make_action, archive_action),
    }[kind]
    entity = entity()
    archive(None, entity, True)
    assert entity.is_archived is True
    assert (last_event().verb, last_event().changes) == ("archive", {"is_archived": [False, True]})
    before = count(AuditEvent)
    archive(None, entity, True)
    assert count(AuditEvent) == before
    archive(None, entity, False)
    assert (last_event().verb, last_event().changes) == ("restore", {"is_archived": [True, False]})


# --- services never commit ------------------------------------------------------------------------------------------


def _call_service(name: str, fixtures: dict):
    unit, process, risk, assessment, control, action = (
        fixtures[key] for key in ("unit", "process", "risk", "assessment", "control", "action")
    )
    calls = {
        "create_unit": (Unit, lambda: create_unit(None, code="ny", name="Ny enhet")),
        "create_user": (User, lambda: create_user(None, email="ny@exempel.se", name="Ny", role=Role.READER,
                                                    unit=unit, password=PASSWORD)),
        "create_process": (Process, lambda: create_process(None, unit, title="Ny process")),
        "create_risk": (Risk, lambda: create_risk(None, process, title="Ny risk")),
        "assess_risk": (Assessment, lambda: assess_risk(None, risk, year=TEST_YEAR + 1, likelihood=1, consequence=1)),
        "create_control": (Control, lambda: create_control(None, unit, title="Ny", frequency=Frequency.ANNUAL)),
        "record_check": (ControlCheck, lambda: record_check(None, control, performed_on=date(TEST_YEAR, 3, 1),
                                                            outcome=CheckOutcome.NO_REMARKS)),
        "create_action": (Action, lambda: create_action(None, unit, title="Ny", start_year=TEST_YEAR)),
        "link_control": (risk_controls, lambda: link_control(None, risk, control)),
        "link_action": (risk_actions, lambda: link_action(None, risk, action)),
        "ensure_plan": (Plan, lambda: ensure_plan(None, unit, TEST_YEAR + 2)),
        "ensure_matrix": (RiskMatrix, lambda: ensure_matrix(None, unit, TEST_YEAR + 2)),
    }
    return calls[name]


def _update_service(name: str, fixtures: dict):
    assessment, action = fixtures["assessment"], fixtures["action"]
    calls = {
        "update_assessment": (
            lambda: update_assessment(None, assessment, likelihood=4, consequence=4, status=RiskStatus.NEW),
            lambda: db.session.scalar(select(Assessment.likelihood).where(Assessment.id == assessment.id)),
            2,
        ),
        "complete_action": (
            lambda: complete_action(None, action, follow_up="Klar", completed_on=date(TEST_YEAR, 9, 1)),
            lambda: db.session.scalar(select(Action.status).where(Action.id == action.id)),
            ActionStatus.PLANNED,
        ),
    }
    return calls[name]


@pytest.fixture
def world(unit, make_process, make_risk, make_assessment, make_control, make_action):
    process = make_process()
    risk = make_risk(process)
    return {
        "unit": unit,
        "process": process,
        "risk": risk,
        "assessment": make_assessment(risk, likelihood=2, consequence=2),
        "control": make_control(),
        "action": make_action(),
    }


@pytest.mark.parametrize(
    "service",
    ["create_unit", "create_user", "create_process", "create_risk", "assess_risk", "create_control", "record_check",
     "create_action", "link_control", "link_action", "ensure_plan", "ensure_matrix"],
)
def test_created_rows_vanish_on_rollback(world, service):
    table, call = _call_service(service, world)
    rows, audit_rows = count(table), count(AuditEvent)
    call()
    db.session.flush()
    assert count(table) == rows + 1
    assert count(AuditEvent) > audit_rows
    db.session.rollback()
    assert (count(table), count(AuditEvent)) == (rows, audit_rows)


@pytest.mark.parametrize("service", ["update_assessment", "complete_action"])
def test_updates_vanish_on_rollback(world, service):
    call, read, original = _update_service(service, world)
    audit_rows = count(AuditEvent)
    call()
    db.session.flush()
    assert read() != original
    db.session.rollback()
    assert read() == original
    assert count(AuditEvent) == audit_rows


# --- links ----------------------------------------------------------------------------------------------------------


def _linked(table, column: str, risk: Risk) -> list[int]:
    return list(db.session.scalars(select(getattr(table.c, column)).where(table.c.risk_id == risk.id)))


@pytest.mark.parametrize(
    ("link", "unlink", "table", "column", "make"),
    [
        (link_control, unlink_control, risk_controls, "control_id", "make_control"),
        (link_action, unlink_action, risk_actions, "action_id", "make_action"),
    ],
)
def test_link_and_unlink(request, make_risk, link, unlink, table, column, make):
    risk = make_risk()
    target = request.getfixturevalue(make)()
    field = "controls" if table is risk_controls else "actions"

    link(None, risk, target)
    db.session.flush()
    assert _linked(table, column, risk) == [target.id]
    assert_event(last_event(), "link", risk, risk.process.unit_id, {field: [None, target.id]})

    before = count(AuditEvent)
    link(None, risk, target)  # idempotent: no second row, no second event
    db.session.flush()
    assert _linked(table, column, risk) == [target.id]
    assert count(AuditEvent) == before

    unlink(None, risk, target)
    db.session.flush()
    assert _linked(table, column, risk) == []
    assert_event(last_event(), "unlink", risk, risk.process.unit_id, {field: [target.id, None]})

    before = count(AuditEvent)
    unlink(None, risk, target)
    assert count(AuditEvent) == before


@pytest.mark.parametrize(("link", "make", "what"), [(link_control, "make_control", "Egenkontrollen"),
                                                    (link_action, "make_action", "Åtgärden")])
def test_link_refuses_another_units_item(request, make_risk, make_unit, link, make, what):
    risk = make_risk()
    foreign = request.getfixturevalue(make)(unit=make_unit())
    before = count(AuditEvent)
    with pytest.raises(ValidationError, match=f"{what} hör till en annan enhet"):
        link(None, risk, foreign)
    db.session.rollback()
    assert count(AuditEvent) == before
    assert count(risk_controls) + count(risk_actions) == 0


# --- the year's matrix ----------------------------------------------------------------------------------------------


def test_first_assessment_pins_a_default_matrix(make_assessment):
    assessment = make_assessment()
    matrix = db.session.scalar(select(RiskMatrix))
    assert (matrix.unit_id, matrix.year) == (assessment.risk.process.unit_id, TEST_YEAR)
    assert (matrix.likelihood_size, matrix.consequence_size) == (4, 4)
    assert [band["min"] for band in matrix.bands] == [1, 4, 7, 12]
    # A second assessment that year reuses the pinned matrix.
    make_assessment()
    assert count(RiskMatrix) == 1


def test_ensure_matrix_copies_the_latest_earlier_year(unit):
    matrix_5x5(unit, TEST_YEAR - 3)
    latest = matrix_5x5(unit, TEST_YEAR - 1)
    latest.bands = [dict(band) for band in DEFAULT_BANDS[:3]] + [{"name": "Kritisk", "min": 15, "colour": "#000000"}]
    latest.likelihood_labels = ["A", "B", "C", "D", "E"]
    db.session.commit()

    copied = ensure_matrix(None, unit, TEST_YEAR)
    assert (copied.year, copied.likelihood_size, copied.consequence_size) == (TEST_YEAR, 5, 5)
    assert copied.likelihood_labels == ["A", "B", "C", "D", "E"]
    assert copied.bands[3]["colour"] == "#000000"
    assert_event(last_event(), "create", copied, unit.id, {
        "year": [None, TEST_YEAR], "likelihood_size": [None, 5], "consequence_size": [None, 5],
        "bands": [None, copied.bands],
    })
    # A copy, not a shared list: changing the copy leaves the earlier year alone.
    copied.bands[3]["colour"] = "#ffffff"
    assert latest.bands[3]["colour"] == "#000000"


def test_ensure_matrix_ignores_later_years(unit):
    matrix_5x5(unit, TEST_YEAR + 1)
    assert ensure_matrix(None, unit, TEST_YEAR).likelihood_size == 4


def test_a_5x5_year_accepts_likelihood_5(unit, make_risk):
    matrix_5x5(unit, TEST_YEAR)
    risk = make_risk()
    assessment = assess_risk(None, risk, year=TEST_YEAR, likelihood=5, consequence=5)
    assert assessment.score == 25
    assert count(RiskMatrix) == 1
    assert update_assessment(None, assessment, likelihood=4, consequence=5, status=RiskStatus.NEW) == {
        "likelihood": [5, 4]
    }


def test_an_assessment_after_a_5x5_year_inherits_the_scale(unit, make_risk):
    matrix_5x5(unit, TEST_YEAR - 1)
    assessment = assess_risk(None, make_risk(), year=TEST_YEAR, likelihood=5, consequence=1)
    assert assessment.score == 5
    assert db.session.scalar(select(RiskMatrix.likelihood_size).where(RiskMatrix.year == TEST_YEAR)) == 5


# --- optimistic locking ---------------------------------------------------------------------------------------------


def test_stale_expected_version_names_who_changed_it(make_assessment, make_user):
    assessment = make_assessment()
    anna = make_user(name="Anna Andersson")
    bertil = make_user(name="Bertil Berg")
    version_bertil_saw = assessment.version
    update_assessment(anna, assessment, likelihood=3, consequence=3, status=RiskStatus.NEW,
                      expected_version=version_bertil_saw)
    db.session.commit()

    with pytest.raises(StaleEditError) as caught:
        update_assessment(bertil, assessment, likelihood=1, consequence=1, status=RiskStatus.NEW,
                          expected_version=version_bertil_saw)
    assert caught.value.changed_by == "Anna Andersson"
    assert "Ändrad av Anna Andersson" in caught.value.message
    db.session.rollback()
    assert (assessment.likelihood, assessment.consequence, assessment.assessed_by_id) == (3, 3, anna.id)


def test_stale_edit_by_the_system_says_so(make_assessment):
    assessment = make_assessment()
    with pytest.raises(StaleEditError, match="Ändrad av systemet"):
        update_assessment(None, assessment, likelihood=1, consequence=1, status=RiskStatus.NEW,
                          expected_version=assessment.version + 1)


def test_a_concurrent_write_caught_at_flush_names_who_won(make_assessment, make_user):
    assessment = make_assessment()
    anna = make_user(name="Anna Andersson")
    update_assessment(anna, assessment, likelihood=3, consequence=3, status=RiskStatus.NEW)
    db.session.commit()
    # Another transaction bumps the version after this session loaded the row.
    db.session.execute(Assessment.__table__.update().where(Assessment.id == assessment.id).values(version=99))
    with pytest.raises(StaleEditError, match="Anna Andersson"):
        update_assessment(None, assessment, likelihood=4, consequence=4, status=RiskStatus.NEW)
    db.session.rollback()
    assert db.session.scalar(select(Assessment.likelihood)) == 3


def test_stale_expected_version_for_actions(make_action, make_user):
    action = make_action()
    anna = make_user(name="Anna Andersson")
    update_action(anna, action, title="Ny titel", start_year=action.start_year, status=action.status,
                  expected_version=1)
    db.session.commit()
    with pytest.raises(StaleEditError, match="Anna Andersson"):
        complete_action(None, action, follow_up="Klar", completed_on=date(TEST_YEAR, 9, 1), expected_version=1)


# --- actions and checks ---------------------------------------------------------------------------------------------


def test_complete_action_sets_done(unit, make_action, make_user):
    action = make_action()
    actor = make_user()
    changes = complete_action(actor, action, follow_up="  Checklistan används  ", completed_on=date(TEST_YEAR, 9, 1))
    assert action.status is ActionStatus.DONE
    assert (action.follow_up, action.completed_on) == ("Checklistan används", date(TEST_YEAR, 9, 1))
    assert changes == {
        "status": ["planned", "done"],
        "follow_up": ["", "Checklistan används"],
        "completed_on": [None, f"{TEST_YEAR}-09-01"],
    }
    assert_event(last_event(), "update", action, unit.id, changes, actor)


@pytest.mark.parametrize(
    ("follow_up", "completed_on", "field"),
    [
        ("", date(TEST_YEAR, 9, 1), "follow_up"),
        ("   ", date(TEST_YEAR, 9, 1), "follow_up"),
        ("Klar", None, "completed_on"),
    ],
)
def test_complete_action_requires_follow_up_and_date(make_action, follow_up, completed_on, field):
    action = make_action()
    with pytest.raises(ValidationError) as caught:
        complete_action(None, action, follow_up=follow_up, completed_on=completed_on)
    assert caught.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(Action.status)) is ActionStatus.PLANNED


def test_complete_action_before_its_start_year_is_refused(make_action):
    action = make_action(start_year=TEST_YEAR)
    with pytest.raises(ValidationError, match="före sitt startår"):
        complete_action(None, action, follow_up="Klar", completed_on=date(TEST_YEAR - 1, 12, 31))


def test_reopening_an_action_clears_its_completion_date(make_action):
    action = make_action()
    complete_action(None, action, follow_up="Klar", completed_on=date(TEST_YEAR, 9, 1))
    changes = update_action(None, action, title=action.title, start_year=action.start_year,
                            status=ActionStatus.IN_PROGRESS, due_on=action.due_on, follow_up="Klar",
                            completed_on=date(TEST_YEAR, 9, 1))
    assert changes == {"status": ["done", "in_progress"], "completed_on": [f"{TEST_YEAR}-09-01", None]}


def test_record_check(unit, make_control, make_user):
    control = make_control()
    person = make_user()
    check = record_check(person, control, performed_on=date(TEST_YEAR, 4, 2), outcome=CheckOutcome.DEFICIENCIES,
                         findings="Tre journaler saknade genomförandeplan")
    assert (check.year, check.performed_by_id, check.control_id) == (TEST_YEAR, person.id, control.id)
    assert_event(last_event(), "create", check, unit.id, {
        "control_id": [None, control.id], "year": [None, TEST_YEAR], "performed_on": [None, f"{TEST_YEAR}-04-02"],
        "outcome": [None, "deficiencies"], "findings": [None, "Tre journaler saknade genomförandeplan"],
    }, person)


def test_record_check_for_an_explicit_year(make_control):
    # Last year's egenkontroll, carried out early this year.
    check = record_check(None, make_control(), performed_on=date(TEST_YEAR, 1, 10), year=TEST_YEAR - 1,
                         outcome=CheckOutcome.NO_REMARKS)
    assert (check.year, check.performed_on) == (TEST_YEAR - 1, date(TEST_YEAR, 1, 10))


@pytest.mark.parametrize("findings", ["", "  \n "])
def test_record_check_requires_findings_for_deficiencies(make_control, findings):
    control = make_control()
    with pytest.raises(ValidationError, match="Beskriv vilka brister") as caught:
        record_check(None, control, performed_on=date(TEST_YEAR, 4, 2), outcome=CheckOutcome.DEFICIENCIES,
                     findings=findings)
    assert caught.value.field == "findings"
    db.session.rollback()
    assert count(ControlCheck) == 0


@pytest.mark.parametrize("outcome", [CheckOutcome.NO_REMARKS, CheckOutcome.NOT_PERFORMED])
def test_record_check_without_findings_is_fine_otherwise(make_control, outcome):
    record_check(None, make_control(), performed_on=date(TEST_YEAR, 4, 2), outcome=outcome)
    assert count(ControlCheck) == 1


# --- locked years ---------------------------------------------------------------------------------------------------


def _locked_call(name: str, fixtures: dict):
    risk, assessment, control, action = (fixtures[key] for key in ("risk", "assessment", "control", "action"))
    return {
        "assess_risk": lambda: assess_risk(None, fixtures["other_risk"], year=TEST_YEAR, likelihood=1,
                                           consequence=1),
        "update_assessment": lambda: update_assessment(None, assessment, likelihood=4, consequence=4,
                                                       status=RiskStatus.NEW),
        "record_check": lambda: record_check(None, control, performed_on=date(TEST_YEAR, 5, 1),
                                             outcome=CheckOutcome.NO_REMARKS),
        "complete_action": lambda: complete_action(None, action, follow_up="Klar", completed_on=date(TEST_YEAR, 5, 1)),
    }[name]


@pytest.mark.parametrize("service", ["assess_risk", "update_assessment", "record_check", "complete_action"])
def test_a_locked_year_refuses_changes(world, make_risk, service):
    world["other_risk"] = make_risk(world["process"], title="En annan risk")
    lock_year(world["unit"], TEST_YEAR)
    tables = (Assessment, ControlCheck, AuditEvent)
    before = [count(table) for table in tables]

    with pytest.raises(LockedYearError, match=f"År {TEST_YEAR} är fastställt och låst"):
        _locked_call(service, world)()
    db.session.rollback()
    assert [count(table) for table in tables] == before
    assert db.session.scalar(select(Assessment.likelihood)) == 2
    assert db.session.scalar(select(Action.status)) is ActionStatus.PLANNED


def test_a_locked_year_leaves_other_years_open(world):
    lock_year(world["unit"], TEST_YEAR - 1)
    assess_risk(None, world["risk"], year=TEST_YEAR + 1, likelihood=1, consequence=1)
    update_assessment(None, world["assessment"], likelihood=4, consequence=4, status=RiskStatus.NEW)
    record_check(None, world["control"], performed_on=date(TEST_YEAR, 2, 1), outcome=CheckOutcome.NO_REMARKS)
    complete_action(None, world["action"], follow_up="Klar", completed_on=date(TEST_YEAR, 2, 1))
    assert count(Assessment) == 2


def test_a_locked_year_of_another_unit_does_not_matter(world, make_unit):
    lock_year(make_unit(), TEST_YEAR)
    update_assessment(None, world["assessment"], likelihood=4, consequence=4, status=RiskStatus.NEW)
    assert world["assessment"].score == 16
