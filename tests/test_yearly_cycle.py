"""The yearly cycle: rollover, locking, unlocking, and the year-over-year diff."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.errors import LockedYearError, PermissionDenied, ValidationError
from app.core.services import rollover as rollover_module
from app.core.services.actions import complete_action
from app.core.services.assessments import assess_risk, update_assessment
from app.core.services.controls import record_check
from app.core.services.rollover import preview_rollover, rollover
from app.core.unit_year import find_plan
from app.core.year_diff import RiskYear, diff_years
from app.extensions import db
from app.models import (
    Assessment,
    AuditEvent,
    CheckOutcome,
    PlanStatus,
    RiskMatrix,
    RiskStatus,
    Role,
)
from app.plans.locking import lock_year, unlock_year
from tests.conftest import TEST_YEAR

PREVIOUS = TEST_YEAR - 1


def everything() -> dict[str, list]:
    db.session.expire_all()
    return {t.name: [tuple(r) for r in db.session.execute(select(t).order_by(*t.primary_key.columns))]
            for t in db.metadata.sorted_tables}


@pytest.fixture
def previous_year(make_risk, make_assessment, make_process):
    """Four risks assessed last year: two open, one resolved, one closed; and one never assessed."""
    process = make_process(title="Utredning")
    risks = {}
    for title, status, score in (("Öppen ny", RiskStatus.NEW, (3, 4)), ("Pågår", RiskStatus.IN_PROGRESS, (2, 2)),
                                 ("Åtgärdad", RiskStatus.RESOLVED, (1, 2)), ("Upphörd", RiskStatus.CLOSED, (1, 1))):
        risk = make_risk(process=process, title=title)
        make_assessment(risk=risk, year=PREVIOUS, likelihood=score[0], consequence=score[1], status=status,
                        comment=f"Kommentar om {title.lower()}")
        risks[title] = risk
    risks["Obedömd"] = make_risk(process=process, title="Obedömd")
    return risks


def test_rollover_carries_every_open_risk_with_its_fields(unit, previous_year):
    result = rollover(None, unit, PREVIOUS, TEST_YEAR)
    db.session.commit()
    assert result.carried_count == 2
    assert {a.risk.title for a in result.left_behind} == {"Åtgärdad", "Upphörd"}
    carried = db.session.scalars(select(Assessment).where(Assessment.year == TEST_YEAR)).all()
    by_title = {a.risk.title: a for a in carried}
    assert set(by_title) == {"Öppen ny", "Pågår"}
    assert (by_title["Öppen ny"].likelihood, by_title["Öppen ny"].consequence) == (3, 4)
    assert by_title["Öppen ny"].comment == "Kommentar om öppen ny"
    assert {a.status for a in carried} == {RiskStatus.CARRIED_OVER}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.verb == "rollover"))
    assert event.changes["carried_over"] == [None, 2]


def test_rollover_is_idempotent(unit, previous_year):
    rollover(None, unit, PREVIOUS, TEST_YEAR)
    db.session.commit()
    before = everything()
    second = rollover(None, unit, PREVIOUS, TEST_YEAR)
    db.session.commit()
    assert second.carried_count == 0
    assert len(second.already_carried) == 2
    assert everything() == before


def test_rollover_is_atomic(unit, previous_year, monkeypatch):
    before = everything()
    calls = []
    real = rollover_module.assess_risk

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationError("Simulerat fel mitt i överföringen.")
        return real(*args, **kwargs)

    monkeypatch.setattr(rollover_module, "assess_risk", fail_on_second)
    with pytest.raises(ValidationError):
        rollover(None, unit, PREVIOUS, TEST_YEAR)
    db.session.rollback()
    assert everything() == before


def test_new_years_matrix_starts_as_a_copy(unit, make_risk, make_process):
    db.session.add(RiskMatrix(unit_id=unit.id, year=PREVIOUS, likelihood_size=5, consequence_size=5,
                              likelihood_labels=list("ABCDE"), consequence_labels=list("VWXYZ"),
                              bands=[{"name": "Låg", "min": 1, "colour": "#00aa00"},
                                     {"name": "Hög", "min": 10, "colour": "#aa0000"}]))
    db.session.commit()
    risk = make_risk(process=make_process())
    assess_risk(None, risk, year=PREVIOUS, likelihood=5, consequence=5, status=RiskStatus.NEW)
    db.session.commit()
    rollover(None, unit, PREVIOUS, TEST_YEAR)
    db.session.commit()
    matrix = db.session.scalar(select(RiskMatrix).where(RiskMatrix.year == TEST_YEAR))
    assert (matrix.likelihood_size, matrix.likelihood_labels, matrix.bands[1]["min"]) == (5, list("ABCDE"), 10)
    assert risk.assessment_for(TEST_YEAR).score == 25


def test_rollover_only_to_the_next_year(unit, previous_year):
    with pytest.raises(ValidationError, match="året efter"):
        preview_rollover(unit, PREVIOUS, TEST_YEAR + 1)


def test_rollover_into_a_locked_year_is_refused(unit, previous_year, make_user):
    lock_year(make_user(role=Role.MANAGER), unit, TEST_YEAR)
    db.session.commit()
    before = everything()
    with pytest.raises(LockedYearError):
        rollover(None, unit, PREVIOUS, TEST_YEAR)
    db.session.rollback()
    assert everything() == before


def test_locked_year_refuses_every_change(unit, make_user, make_assessment, make_control, make_action, make_risk):
    manager = make_user(role=Role.MANAGER)
    assessment = make_assessment()
    control, action = make_control(), make_action()
    lock_year(manager, unit, TEST_YEAR)
    db.session.commit()
    plan = find_plan(unit.id, TEST_YEAR)
    assert (plan.status, plan.locked_by_id) == (PlanStatus.LOCKED, manager.id)
    before = everything()
    attempts = [
        lambda: update_assessment(None, assessment, likelihood=1, consequence=1, status=RiskStatus.RESOLVED),
        lambda: assess_risk(None, make_risk(title="Ny risk"), year=TEST_YEAR, likelihood=1, consequence=1),
        lambda: record_check(None, control, performed_on=date(TEST_YEAR, 6, 1), outcome=CheckOutcome.NO_REMARKS),
        lambda: complete_action(None, action, follow_up="Klart", completed_on=date(TEST_YEAR, 6, 1)),
    ]
    for attempt in attempts:
        with pytest.raises(LockedYearError, match="låst"):
            attempt()
        db.session.rollback()
    after = everything()
    # make_risk committed a new process and risk on the way; apart from them, nothing changed.
    assert {k: v for k, v in after.items() if k not in ("processes", "risks", "audit_events")} == \
        {k: v for k, v in before.items() if k not in ("processes", "risks", "audit_events")}


def test_only_a_coordinator_unlocks_and_must_say_why(unit, make_user):
    manager, admin = make_user(role=Role.MANAGER), make_user(role=Role.ADMIN)
    lock_year(manager, unit, TEST_YEAR)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        unlock_year(manager, unit, TEST_YEAR, reason="Vill ändra")
    with pytest.raises(ValidationError, match="Skäl"):
        unlock_year(admin, unit, TEST_YEAR, reason="   ")
    unlock_year(admin, unit, TEST_YEAR, reason="Felaktig bedömning upptäckt vid revision")
    db.session.commit()
    assert not find_plan(unit.id, TEST_YEAR).is_locked
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.verb == "unlock"))
    assert event.changes["reason"] == [None, "Felaktig bedömning upptäckt vid revision"]
    assert event.actor_id == admin.id


def state(risk_id, score, status, title=None):
    return RiskYear(risk_id, f"R-{risk_id}", title or f"Risk {risk_id}", "Process", score, "", status)


def test_diff_between_two_years():
    before = {1: state(1, 6, RiskStatus.NEW), 2: state(2, 9, RiskStatus.IN_PROGRESS),
              3: state(3, 4, RiskStatus.IN_PROGRESS), 4: state(4, 2, RiskStatus.NEW), 5: state(5, 3, RiskStatus.NEW)}
    after = {1: state(1, 8, RiskStatus.IN_PROGRESS), 2: state(2, 4, RiskStatus.RESOLVED),
             3: state(3, 4, RiskStatus.IN_PROGRESS), 6: state(6, 12, RiskStatus.NEW),
             5: state(5, 3, RiskStatus.CLOSED)}
    diff = diff_years(before, after, 2025, 2026)
    ids = lambda changes: {c.current.risk_id for c in changes}  # noqa: E731
    assert ids(diff.new_risks) == {6}
    assert ids(diff.closed_risks) == {2, 5}
    assert ids(diff.score_up) == {1}
    assert ids(diff.score_down) == {2}
    assert ids(diff.status_changed) == {1, 2, 5}
    assert ids(diff.not_assessed) == {4}
    assert diff.unchanged == 1


def test_rollover_cli(app, unit, previous_year):
    runner = app.test_cli_runner()
    args = ["plan", "rollover", "--unit", "bfe", "--from-year", str(PREVIOUS), "--to-year", str(TEST_YEAR)]
    dry = runner.invoke(args=[*args, "--dry-run"])
    assert dry.exit_code == 0 and "Skulle föra över 2 öppna risker" in dry.output
    assert db.session.scalar(select(func.count()).select_from(Assessment).where(Assessment.year == TEST_YEAR)) == 0
    done = runner.invoke(args=args)
    assert done.exit_code == 0
    assert "Förde över 2 öppna risker" in done.output and "2 avslutade risker" in done.output
    again = runner.invoke(args=args)
    assert "Förde över 0 öppna risker" in again.output
    unknown = runner.invoke(args=["plan", "rollover", "--unit", "finns-ej", "--from-year", "2025", "--to-year", "2026"])
    assert unknown.exit_code != 0 and "Okänd enhet" in unknown.output


def test_locking_in_the_browser_makes_the_year_read_only(client, login, unit, make_user, make_process, make_risk,
                                                          make_assessment, make_control):
    manager, admin = make_user(role=Role.MANAGER), make_user(role=Role.ADMIN)
    risk = make_risk(process=make_process(owner=manager))
    assessment = make_assessment(risk=risk, likelihood=2, consequence=2)
    control = make_control()
    login(manager)
    base = f"/enheter/{unit.id}/ar/{TEST_YEAR}"
    assert client.post(f"{base}/las").status_code == 302
    page = client.get(f"/risker/{risk.id}?ar={TEST_YEAR}").text
    assert "fastställt och låst" in page and "Spara bedömningen" not in page
    before = everything()
    refused = client.post(f"/risker/{risk.id}/bedomning", data={"ar": TEST_YEAR, "likelihood": 4, "consequence": 4,
                                                                 "status": "new", "version": assessment.version})
    assert refused.status_code == 400 and "låst" in refused.text
    client.post(f"/egenkontroller/{control.id}/genomforande",
                data={"performed_on": f"{TEST_YEAR}-05-01", "outcome": "no_remarks", "findings": ""})
    assert everything() == before
    assert client.post(f"{base}/las-upp", data={"reason": "Vill ändra"}).status_code == 403
    client.post("/logga-ut")
    login(admin)
    assert client.post(f"{base}/las-upp", data={"reason": ""}).status_code == 400
    assert client.post(f"{base}/las-upp", data={"reason": "Revisionen hittade ett fel"}).status_code == 302
    assert not find_plan(unit.id, TEST_YEAR).is_locked


def test_rollover_in_the_browser_previews_then_carries(client, login, unit, make_user, previous_year):
    login(make_user(role=Role.MANAGER))
    url = f"/enheter/{unit.id}/ar/{PREVIOUS}/overfor"
    preview = client.get(url)
    assert "2</strong> öppna risker förs över" in preview.text
    assert db.session.scalar(select(func.count()).select_from(Assessment).where(Assessment.year == TEST_YEAR)) == 0
    assert client.post(url).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Assessment).where(Assessment.year == TEST_YEAR)) == 2
    assert "Det finns inget att föra över." in client.get(url).text


def test_year_diff_page(client, login, unit, make_user, previous_year):
    rollover(None, unit, PREVIOUS, TEST_YEAR)
    db.session.commit()
    login(make_user(role=Role.READER))
    page = client.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/forandring")
    assert page.status_code == 200
    assert "Förändring 2025 → 2026" in page.text
    assert "Ändrad status</a>: <strong>2</strong>" in page.text
