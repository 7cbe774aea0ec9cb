"""Årsgenomgång: the six lists against a fixture with known answers, and the page."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.services.actions import complete_action
from app.core.services.controls import record_check
from app.core.services.risks import link_action, link_control
from app.extensions import db
from app.models import ActionStatus, CheckOutcome, RiskStatus, Role
from app.plans.review import load_review
from tests.conftest import TEST_TODAY, TEST_YEAR

LAST = TEST_YEAR - 1


@pytest.fixture
def register(unit, make_process, make_risk, make_assessment, make_control, make_action):
    process = make_process(title="Utredning")
    risk = {}
    for title, years in {
        "Hög och oskyddad": {TEST_YEAR: (3, 4, RiskStatus.NEW)},
        "Hög men kontrollerad": {TEST_YEAR: (4, 4, RiskStatus.IN_PROGRESS)},
        "Medel": {LAST: (2, 3, RiskStatus.NEW), TEST_YEAR: (2, 3, RiskStatus.CARRIED_OVER)},
        "Sjönk": {LAST: (3, 3, RiskStatus.NEW), TEST_YEAR: (2, 2, RiskStatus.RESOLVED)},
        "Obedömd i år": {LAST: (2, 2, RiskStatus.IN_PROGRESS)},
        "Avslutad i fjol": {LAST: (1, 1, RiskStatus.RESOLVED)},
        "Aldrig bedömd": {},
    }.items():
        risk[title] = make_risk(process=process, title=title)
        for year, (likelihood, consequence, status) in years.items():
            make_assessment(risk=risk[title], year=year, likelihood=likelihood, consequence=consequence, status=status)
    performed = make_control(title="Genomförd kontroll")
    skipped = make_control(title="Inställd kontroll")
    make_control(title="Aldrig gjord kontroll")
    link_control(None, risk["Hög men kontrollerad"], performed)
    record_check(None, performed, performed_on=date(TEST_YEAR, 3, 1), outcome=CheckOutcome.NO_REMARKS)
    record_check(None, skipped, performed_on=date(TEST_YEAR, 3, 1), outcome=CheckOutcome.NOT_PERFORMED,
                 findings="Personalbrist")
    late = make_action(title="Sen åtgärd", due_on=date(TEST_YEAR, 2, 1), status=ActionStatus.IN_PROGRESS)
    make_action(title="Framtida åtgärd", due_on=date(TEST_YEAR, 12, 31))
    no_effect = make_action(title="Utan effekt", due_on=date(TEST_YEAR, 1, 31))
    effect = make_action(title="Med effekt", due_on=date(TEST_YEAR, 1, 31))
    link_action(None, risk["Medel"], no_effect)
    link_action(None, risk["Sjönk"], effect)
    link_action(None, risk["Medel"], late)
    complete_action(None, no_effect, follow_up="Klart", completed_on=date(TEST_YEAR, 4, 1))
    complete_action(None, effect, follow_up="Klart", completed_on=date(TEST_YEAR, 4, 1))
    db.session.commit()
    return risk


def test_review_lists_have_the_known_answers(unit, register):
    review = load_review(unit, TEST_YEAR, TEST_TODAY)
    assert [a.risk.title for a in review.open_risks] == ["Hög men kontrollerad", "Hög och oskyddad", "Medel"]
    assert [r.title for r in review.unassessed_risks] == ["Aldrig bedömd", "Avslutad i fjol", "Obedömd i år"]
    assert [a.title for a in review.overdue_actions] == ["Sen åtgärd"]
    assert [c.title for c in review.controls_not_performed] == ["Aldrig gjord kontroll", "Inställd kontroll"]
    assert [i.title for i in review.high_risks_unprotected] == ["Hög och oskyddad"]
    assert [(e.action.title, e.before, e.after) for e in review.done_without_effect] == [("Utan effekt", 6, 6)]


def test_review_page(client, login, unit, register, make_user):
    login(make_user(role=Role.MANAGER))
    page = client.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/arsgenomgang")
    assert page.status_code == 200
    text = page.text
    assert "Höga risker utan egenkontroll och åtgärd</a>: <strong>1</strong>" in text
    assert "Fastställ och lås år 2026" in text
    for title in ("Hög och oskyddad", "Obedömd i år", "Sen åtgärd", "Inställd kontroll", "Utan effekt"):
        assert title in text


def test_reader_sees_the_review_without_lock_button(client, login, unit, register, make_user):
    login(make_user(role=Role.READER))
    page = client.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/arsgenomgang")
    assert page.status_code == 200
    assert "Fastställ och lås" not in page.text
    assert client.post(f"/enheter/{unit.id}/ar/{TEST_YEAR}/las").status_code == 403
