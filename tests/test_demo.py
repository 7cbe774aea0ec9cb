"""The demo loader and the `flask demo` command: a realistic, complete and idempotent demo register."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.auth.services import find_user_by_email
from app.core.unit_year import matrix_for
from app.demo.commands import ALREADY_LOADED
from app.demo.loader import DemoSummary, load_demo
from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    Assessment,
    AuditEvent,
    CheckOutcome,
    Control,
    ControlCheck,
    Plan,
    Process,
    Risk,
    RiskMatrix,
    RiskStatus,
    Role,
    Unit,
    User,
)
from tests.conftest import TEST_YEAR

YEARS = [TEST_YEAR - 2, TEST_YEAR - 1, TEST_YEAR]
DEMO_TODAY = date(TEST_YEAR, 11, 23)
LOGINS = {
    "lasare@exempel.se": Role.READER,
    "agare@exempel.se": Role.OWNER,
    "chef@exempel.se": Role.MANAGER,
    "admin@exempel.se": Role.ADMIN,
}


def row_counts() -> dict[str, int]:
    """Rows in every table of the schema."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def all_of(model) -> list:
    return list(db.session.scalars(select(model)))


@pytest.fixture
def demo(app) -> DemoSummary:
    summary = load_demo(TEST_YEAR)
    db.session.commit()
    assert summary is not None
    return summary


def test_command_loads_the_demo_and_prints_the_logins(app):
    result = app.test_cli_runner().invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    assert "Exempelby kommun" in result.output
    assert f"{YEARS[0]}–{YEARS[-1]}" in result.output
    assert "demo1234" in result.output
    for email, role in LOGINS.items():
        assert email in result.output
        assert role.label in result.output
    # The command committed: a fresh session sees the data.
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Risk)) == 25


def test_command_twice_changes_nothing(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    db.session.remove()
    before = row_counts()

    result = runner.invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    assert ALREADY_LOADED in result.output
    assert "demo1234" not in result.output
    db.session.remove()
    assert row_counts() == before


def test_loader_refuses_a_second_load(demo):
    before = row_counts()
    assert load_demo(TEST_YEAR) is None
    assert row_counts() == before


def test_summary_matches_the_database(demo):
    assert (demo.first_year, demo.last_year) == (YEARS[0], YEARS[-1])
    assert demo.counts == {
        "units": len(all_of(Unit)),
        "users": len(all_of(User)),
        "processes": len(all_of(Process)),
        "risks": len(all_of(Risk)),
        "assessments": len(all_of(Assessment)),
        "controls": len(all_of(Control)),
        "checks": len(all_of(ControlCheck)),
        "actions": len(all_of(Action)),
    }
    assert [login.email for login in demo.logins] == list(LOGINS)


def test_organisation_is_a_chain_of_units(demo):
    units = {unit.code: unit for unit in all_of(Unit)}
    assert units["exempelby"].parent is None
    assert units["bfe"].parent.parent.parent is units["exempelby"]
    assert units["ekb"].parent is units["bfe"].parent


def test_logins_work_for_every_role(demo):
    for email, role in LOGINS.items():
        user = find_user_by_email(email)
        assert user is not None and user.is_active
        assert user.role is role
        assert user.check_password("demo1234")
        assert not user.check_password("fel-lösenord")
    assert all(user.check_password("demo1234") for user in all_of(User))
    assert len(all_of(User)) > len(LOGINS)


def test_processes_form_a_tree_with_owners_and_one_gap(demo):
    processes = all_of(Process)
    assert 7 <= len(processes) <= 10
    assert any(process.parent is not None for process in processes)
    assert all(process.owner is not None and process.owner.unit_id == process.unit_id for process in processes)
    assert len({process.unit_id for process in processes}) == 2
    without_risks = [process for process in processes if not process.risks]
    assert len(without_risks) == 1
    owner = find_user_by_email("agare@exempel.se")
    assert len([process for process in processes if process.owner is owner]) >= 3


def test_risks_are_assessed_over_three_years(demo):
    risks = all_of(Risk)
    assert 20 <= len(risks) <= 30
    assert {assessment.year for assessment in all_of(Assessment)} == set(YEARS)
    assert all(risk.quality_area is not None and risk.description for risk in risks)
    assert all(1 <= a.likelihood <= 4 and 1 <= a.consequence <= 4 for a in all_of(Assessment))
    assert any(len({a.score for a in risk.assessments}) > 1 for risk in risks)
    assert any(a.comment for a in all_of(Assessment))


def test_each_risk_tells_a_plausible_story(demo):
    for risk in all_of(Risk):
        years = [assessment.year for assessment in risk.assessments]
        assert years == list(range(years[0], years[0] + len(years))), risk.title
        assert risk.assessments[0].status is RiskStatus.NEW, risk.title
        assert all(a.status is not RiskStatus.NEW for a in risk.assessments[1:]), risk.title
        assert all(a.status.is_open for a in risk.assessments[:-1]), risk.title


def test_current_year_has_every_status_and_a_realistic_gap(demo):
    risks = all_of(Risk)
    current = [risk.assessment_for(TEST_YEAR) for risk in risks if risk.assessment_for(TEST_YEAR)]
    assert {a.status for a in current} == set(RiskStatus)
    assert sum(1 for a in all_of(Assessment) if a.status is RiskStatus.CLOSED) == 1
    assert any(risk.assessments[0].year == TEST_YEAR for risk in risks)
    unassessed_open = [
        risk
        for risk in risks
        if risk.assessment_for(TEST_YEAR) is None and risk.assessments[-1].status.is_open
    ]
    assert 1 <= len(unassessed_open) <= 2


def test_revised_assessment_keeps_one_row_per_year_with_its_history(demo):
    updates = all_of(AuditEvent)
    revised = [e for e in updates if e.entity_type == "Assessment" and e.verb == "update"]
    assert revised
    assessment = db.session.get(Assessment, revised[0].entity_id)
    assert assessment.year == TEST_YEAR
    assert revised[0].changes["status"] == [RiskStatus.CARRIED_OVER.value, assessment.status.value]


def test_every_risk_level_appears_in_the_current_year(demo):
    levels = set()
    for risk in all_of(Risk):
        assessment = risk.assessment_for(TEST_YEAR)
        if assessment is not None:
            levels.add(matrix_for(risk.process.unit, TEST_YEAR).level_for(assessment.score).name)
    assert levels == {"Låg", "Medel", "Hög", "Mycket hög"}


def test_controls_cover_risks_with_checks_of_every_outcome(demo):
    controls = all_of(Control)
    assert any(len(control.risks) >= 3 for control in controls)
    assert any(not control.risks for control in controls)
    assert all(control.method and control.responsible is not None for control in controls)
    checks = all_of(ControlCheck)
    assert {check.outcome for check in checks} == set(CheckOutcome)
    assert all(check.findings for check in checks if check.outcome is CheckOutcome.DEFICIENCIES)
    assert {check.year for check in checks} == set(YEARS)
    checked_this_year = {check.control_id for check in checks if check.year == TEST_YEAR}
    assert 0 < len(checked_this_year) < len(controls)
    assert all(check.performed_on <= DEMO_TODAY for check in checks)


def test_actions_in_every_status_some_overdue(demo):
    actions = all_of(Action)
    assert {action.status for action in actions} == set(ActionStatus)
    assert all(action.risks for action in actions)
    assert all(action.due_on is not None for action in actions)
    done = [action for action in actions if action.status is ActionStatus.DONE]
    assert all(action.completed_on and action.follow_up for action in done)
    assert any(action.completed_on.year < TEST_YEAR for action in done)
    assert all(a.completed_on is None for a in actions if a.status is not ActionStatus.DONE)
    overdue = [action for action in actions if action.is_overdue(DEMO_TODAY)]
    assert any(action.due_on.year == TEST_YEAR for action in overdue)
    assert len(overdue) < len([action for action in actions if action.status.is_open])


def test_every_created_row_has_an_audit_event(demo):
    events = all_of(AuditEvent)
    created = {(e.entity_type, e.entity_id) for e in events if e.verb == "create"}
    for model in (Unit, User, Process, Risk, Assessment, Control, ControlCheck, Action, Plan, RiskMatrix):
        for row in all_of(model):
            assert (model.__name__, row.id) in created, row
    links = [e for e in events if e.entity_type == "Risk" and e.verb == "link"]
    assert len(links) == sum(len(r.controls) + len(r.actions) for r in all_of(Risk))
    assert any(e.verb == "update" and e.entity_type == "Action" for e in events)


def test_people_did_the_work_not_the_system(demo):
    for risk in all_of(Risk):
        assert all(a.assessed_by is risk.process.owner for a in risk.assessments)
    checks = all_of(ControlCheck)
    assert all(check.performed_by is check.control.responsible for check in checks)
    actors = {e.actor_id for e in all_of(AuditEvent) if e.entity_type in ("Risk", "Action", "ControlCheck")}
    assert None not in actors


def test_demo_never_mixes_into_someone_elses_register(app, make_unit):
    make_unit(code="egen", name="Egen enhet")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0
    assert "Demodata läses bara in i en tom databas" in result.output
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 1


def test_demo_refuses_production(app):
    app.config["ENVIRONMENT"] = "production"
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0
    assert "aldrig in i produktion" in result.output
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 0


def test_demo_loads_early_in_the_year_without_future_dates(app):
    app.config["TODAY"] = date(TEST_YEAR, 2, 1)
    summary = load_demo(TEST_YEAR)
    db.session.commit()
    assert summary is not None
    assert max(check.performed_on for check in all_of(ControlCheck)) <= date(TEST_YEAR, 2, 1)
