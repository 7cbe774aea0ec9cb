"""One read model of a unit's year: the graph, the Årsgenomgång, the Förändring page, the year page, the risk list
and the start page follow the same rules (the year's matrix, score → level, what counts as overdue)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete

import app.analysis.load
import app.plans.review
import app.plans.views
from app.analysis.graph import RISK
from app.analysis.load import load_graph
from app.core.services.actions import complete_action
from app.core.services.assessments import assess_risk
from app.core.services.controls import record_check
from app.core.services.matrices import set_matrix
from app.core.services.risks import create_risk, link_action, link_control
from app.core.year_diff_loader import load_diff
from app.core.year_plan import summarize
from app.core.year_plan_loader import load_plan_data
from app.extensions import db
from app.models import ActionStatus, CheckOutcome, RiskMatrix, RiskStatus, Role
from app.plans.review import load_review
from tests.conftest import FIVE_BY_FIVE, TEST_TODAY, TEST_YEAR
from tests.query_counter import count_queries

LAST = TEST_YEAR - 1
FIVE = FIVE_BY_FIVE
# (likelihood, consequence) → the level in FIVE; Socialstyrelsen's 4×4 would call 9 Hög and 16 Mycket hög.
SCORED = {"Nio": ((3, 3), "Medel"), "Sexton": ((4, 4), "Hög"), "Tjugo": ((5, 4), "Mycket hög")}


def unpin(unit, year: int) -> None:
    """Drop the year's own matrix, as in a register whose assessments predate pinning a matrix per year."""
    db.session.execute(delete(RiskMatrix).where(RiskMatrix.unit_id == unit.id, RiskMatrix.year == year))
    db.session.commit()


@pytest.fixture
def five_last_year(unit, make_process):
    """A 5×5 matrix pinned for last year and none for this year; three risks assessed this year, one also last."""
    set_matrix(None, unit, LAST, **FIVE)
    process = make_process(title="Utredning")
    risks = {}
    for title, ((likelihood, consequence), _level) in SCORED.items():
        risks[title] = create_risk(None, process, title=title)
        assess_risk(None, risks[title], year=TEST_YEAR, likelihood=likelihood, consequence=consequence)
    assess_risk(None, risks["Nio"], year=LAST, likelihood=2, consequence=3)
    db.session.commit()
    unpin(unit, TEST_YEAR)
    return risks


def test_a_year_without_its_own_matrix_reads_the_latest_earlier_one_everywhere(client, login, make_user, unit,
                                                                             five_last_year):
    expected = {title: level for title, (_cell, level) in SCORED.items()}

    plan = load_plan_data(unit, TEST_YEAR)
    assert {r.title: r.assessment.level.name for r in plan.risks} == expected
    assert len(plan.matrix.likelihood_labels) == 5
    assert [(level.name, level.lower) for level in plan.units[0].levels] == [
        (band["name"], band["min"]) for band in FIVE["bands"]
    ]

    graph = load_graph(unit, TEST_YEAR)
    assert {d["title"]: d["level"].name for n, d in graph.nodes(data=True) if n[0] == RISK} == expected
    assert [band.lower for band in graph.graph["bands"]] == [1, 5, 10, 17]

    # Nine is Medel here: not a high risk, so the review lists only the two in the top bands.
    review = load_review(unit, TEST_YEAR, TEST_TODAY)
    assert [item.title for item in review.high_risks_unprotected] == ["Tjugo", "Sexton"]

    diff = load_diff(unit, LAST, TEST_YEAR)
    assert [(c.before.level, c.after.level) for c in diff.score_up] == [("Medel", "Medel")]

    login(make_user(role=Role.MANAGER))
    risk_list = client.get(f"/risker/?ar={TEST_YEAR}").text
    start_page = client.get("/").text
    for title, level in expected.items():
        score = SCORED[title][0][0] * SCORED[title][0][1]
        badge = f'{score}<span class="visually-hidden"> – {level}</span>'
        assert badge in risk_list and badge in start_page
    filtered = client.get(f"/risker/?ar={TEST_YEAR}&niva=Medel").text
    assert ">Nio<" in filtered and ">Sexton<" not in filtered and ">Tjugo<" not in filtered


def test_a_sub_units_risks_are_levelled_by_its_own_matrix(unit, make_unit, make_process):
    sub_unit = make_unit(code="mott", name="Mottagningen", parent=unit)
    set_matrix(None, sub_unit, TEST_YEAR, **FIVE)
    own = create_risk(None, make_process(title="Utredning"), title="I enheten")
    below = create_risk(None, make_process(title="Mottagning", unit=sub_unit), title="I underenheten")
    assess_risk(None, own, year=TEST_YEAR, likelihood=3, consequence=3)
    assess_risk(None, below, year=TEST_YEAR, likelihood=3, consequence=3)
    db.session.commit()

    plan = load_plan_data(unit, TEST_YEAR)
    assert {r.title: r.assessment.level.name for r in plan.risks} == {"I enheten": "Hög", "I underenheten": "Medel"}
    assert [u.code for u in plan.units] == ["bfe", "mott"]
    graph = load_graph(unit, TEST_YEAR)
    levels = {d["title"]: (d["level"].name, d["high"]) for n, d in graph.nodes(data=True) if n[0] == RISK}
    assert levels == {"I enheten": ("Hög", True), "I underenheten": ("Medel", False)}
    diff = load_diff(unit, LAST, TEST_YEAR)
    assert {c.after.title: c.after.level for c in diff.new_risks} == {"I enheten": "Hög", "I underenheten": "Medel"}


def test_overdue_in_the_review_is_what_the_year_page_counts(unit, make_action):
    """An åtgärd open at the end of last year and past its tidsplan counts as overdue for that year, also when it was
    completed later: the year is reviewed as it stood at its end."""
    late = make_action(title="Klar först i år", start_year=LAST, due_on=date(LAST, 6, 30))
    make_action(title="Klar i tid", start_year=LAST, due_on=date(LAST, 6, 30), status=ActionStatus.DONE,
                completed_on=date(LAST, 6, 1))
    complete_action(None, late, follow_up="Klart", completed_on=date(TEST_YEAR, 3, 1))
    db.session.commit()

    review = load_review(unit, LAST, TEST_TODAY)
    assert [a.title for a in review.overdue_actions] == ["Klar först i år"]
    assert summarize(load_plan_data(unit, LAST), TEST_TODAY).actions_overdue == 1
    assert load_review(unit, TEST_YEAR, TEST_TODAY).overdue_actions == []


def test_the_year_page_loads_the_year_once(client, login, make_user, unit, five_last_year, monkeypatch):
    loaded = []

    def counted(*args):
        loaded.append(args[1:])
        return load_plan_data(*args)

    for module in (app.plans.views, app.plans.review, app.analysis.load):
        monkeypatch.setattr(module, "load_plan_data", counted)
    login(make_user(role=Role.READER))
    page = client.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/")
    assert page.status_code == 200
    assert "Höga risker utan egenkontroll och åtgärd</a>: <strong>2</strong>" in page.text
    assert loaded == [(TEST_YEAR,)]


def test_review_change_and_year_pages_need_the_same_queries_for_3_and_30_risks(
    client, login, make_user, unit, make_unit, make_process, make_control, make_action
):
    make_unit(code="mott", name="Mottagningen", parent=unit)
    login(make_user(role=Role.READER))

    def grow(count: int) -> None:
        process = make_process(title=f"Process {count}", owner=make_user())
        control, action = make_control(responsible=make_user()), make_action(responsible=make_user())
        record_check(None, control, performed_on=date(TEST_YEAR, 2, 1), outcome=CheckOutcome.NO_REMARKS)
        for number in range(count):
            risk = create_risk(None, process, title=f"Risk {count}-{number}")
            assess_risk(None, risk, year=LAST, likelihood=1 + number % 4, consequence=2)
            assess_risk(None, risk, year=TEST_YEAR, likelihood=1 + number % 4, consequence=3,
                        status=RiskStatus.CARRIED_OVER)
            link_control(None, risk, control)
            link_action(None, risk, action)
        db.session.commit()

    urls = [f"/enheter/{unit.id}/ar/{TEST_YEAR}/{page}" for page in ("", "arsgenomgang", "forandring")]
    urls.append(f"/enheter/{unit.id}/graf?ar={TEST_YEAR}")
    counts = []
    for count in (3, 27):
        grow(count)
        for url in urls:
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[: len(urls)] == counts[len(urls):]
