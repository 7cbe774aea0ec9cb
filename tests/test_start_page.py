"""The start page (Mitt arbete) and the overview: each unit's processes with this year's riskvärde.

Every request runs in an app context of its own, as in production: a fresh database session and a fresh `g`, so
nothing the test loaded (or a previous request cached) hides a query.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, func, select

from app.core.services.risks import set_archived
from app.extensions import db
from app.models import Assessment, Process, Risk, RiskMatrix, RiskStatus, Role
from app.models.matrix import DEFAULT_BANDS
from tests.conftest import PASSWORD, TEST_YEAR

PAGES = ["/", "/oversikt"]

# <span class="score" style="background: #c62828; color: #ffffff" title="Riskvärde 16 (Mycket hög): …">
BADGE = re.compile(
    r'<span class="score" style="background: (#[0-9a-f]{6}); color: #[0-9a-f]{6}"\s+title="Riskvärde (\d+) \(([^)]+)\)'
)


def badges(html: str) -> list[tuple[str, int, str]]:
    """(colour, score, level name) of every score badge on the page, in page order."""
    return [(colour, int(score), level) for colour, score, level in BADGE.findall(html)]


def request(app, client, method: str, path: str, **kwargs):
    """One request in its own app context; the test's session commits first so the request sees its rows."""
    db.session.commit()
    with app.app_context():
        return client.open(path, method=method, **kwargs)


@pytest.fixture
def reader(app, client, make_user):
    """A signed-in kvalitetssamordnare, who reads every unit."""
    user = make_user(role=Role.ADMIN, name="Kim Kvalitet")
    response = request(app, client, "POST", "/logga-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return user


def page(app, client, path: str) -> str:
    response = request(app, client, "GET", path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_shows_each_units_processes_risks_and_this_years_score(
    app, client, reader, unit, make_unit, make_process, make_risk, make_assessment, make_user, path
):
    other_unit = make_unit(code="hvo", name="Hemtjänst Älvsjö")
    owner = make_user(name="Olle Ägare")
    process = make_process(title="Utredning", owner=owner)
    risk = make_risk(process, title="Utredningen blir inte klar i tid")
    make_assessment(risk, year=TEST_YEAR - 1, likelihood=4, consequence=4)
    make_assessment(risk, year=TEST_YEAR, likelihood=1, consequence=2, status=RiskStatus.IN_PROGRESS)
    other_risk = make_risk(make_process(unit=other_unit, title="Hemtjänstinsats"), title="Fel mat levereras")
    make_assessment(other_risk, year=TEST_YEAR, likelihood=3, consequence=2)

    html = page(app, client, path)
    assert f"Processer och risker {TEST_YEAR}" in html
    for text in ("Barn- och familjeenheten", "Hemtjänst Älvsjö", "Utredning", "Processägare: Olle Ägare",
                 "Utredningen blir inte klar i tid", "Hemtjänstinsats", "Fel mat levereras", "Pågående"):
        assert text in html
    # Units in Swedish order (B before H), and only this year's riskvärde, not last year's 16.
    assert html.index("Barn- och familjeenheten") < html.index("Hemtjänst Älvsjö")
    assert badges(html) == [("#2e7d32", 2, "Låg"), ("#f9a825", 6, "Medel")]


def test_units_are_in_swedish_order(app, client, reader, make_unit, make_process):
    for code, name in [("c", "Örebro"), ("a", "Åre"), ("d", "Ängelholm"), ("b", "Zürich"), ("e", "Alingsås")]:
        make_process(unit=make_unit(code=code, name=f"{name} enhet"))
    html = page(app, client, "/oversikt")
    positions = [html.index(f"{name} enhet</h2>") for name in ("Alingsås", "Zürich", "Åre", "Ängelholm", "Örebro")]
    assert positions == sorted(positions)


def test_sub_processes_follow_their_parent(app, client, reader, make_process):
    make_process(title="Akuta ärenden")  # comes before the parent in the plan, but belongs to neither
    parent = make_process(title="Myndighetsutövning")
    make_process(title="Utredning", parent=parent)
    html = page(app, client, "/oversikt")
    assert html.index("Akuta ärenden") < html.index("Myndighetsutövning") < html.index("Utredning")
    assert 'class="process depth-1"' in html


@pytest.mark.parametrize(
    ("likelihood", "consequence", "colour", "level"),
    [(1, 3, "#2e7d32", "Låg"), (2, 2, "#f9a825", "Medel"), (3, 3, "#ef6c00", "Hög"), (4, 4, "#c62828", "Mycket hög")],
)
@pytest.mark.parametrize("path", PAGES)
def test_badge_carries_the_level_colour(app, client, reader, make_assessment, likelihood, consequence, colour,
                                        level, path):
    make_assessment(likelihood=likelihood, consequence=consequence)
    assert badges(page(app, client, path)) == [(colour, likelihood * consequence, level)]


@pytest.mark.parametrize("path", PAGES)
def test_badge_colour_comes_from_the_years_matrix(app, client, reader, unit, make_assessment, path):
    bands = [dict(band) for band in DEFAULT_BANDS]
    bands[3] = {"name": "Kritisk", "min": 12, "colour": "#5e35b1"}
    db.session.add(RiskMatrix(unit=unit, year=TEST_YEAR, likelihood_size=4, consequence_size=4,
                              likelihood_labels=["1", "2", "3", "4"], consequence_labels=["1", "2", "3", "4"],
                              bands=bands))
    db.session.commit()
    make_assessment(likelihood=4, consequence=4)
    html = page(app, client, path)
    assert badges(html) == [("#5e35b1", 16, "Kritisk")]
    assert "Kritisk (12–16)" in html  # the legend follows the same matrix


@pytest.mark.parametrize("path", PAGES)
def test_unassessed_risk_and_process_without_risks(app, client, reader, make_process, make_risk, make_assessment,
                                                   path):
    risk = make_risk(make_process(title="Utredning"), title="Saknar bedömning")
    make_assessment(risk, year=TEST_YEAR - 1)  # last year's assessment does not count for this year
    make_process(title="Uppföljning")
    html = page(app, client, path)
    assert "Ej bedömd</span>" in html
    assert 'title="Ej bedömd i år">–' in html
    assert badges(html) == []
    assert "Ingen riskanalys" in html


@pytest.mark.parametrize("path", PAGES)
def test_archived_risks_and_processes_are_hidden(app, client, reader, make_process, make_risk, path):
    process = make_process(title="Utredning")
    make_risk(process, title="Synlig risk")
    set_archived(None, make_risk(process, title="Arkiverad risk"), True)
    make_process(title="Nedlagd verksamhet").is_archived = True
    html = page(app, client, path)
    assert "Synlig risk" in html
    assert "Arkiverad risk" not in html
    assert "Nedlagd verksamhet" not in html


@pytest.mark.parametrize("path", PAGES)
def test_html_in_titles_is_escaped(app, client, reader, unit, make_process, make_risk, path):
    unit.name = "<b>Enhet</b>"
    make_risk(make_process(title="<i>Process</i>"), title='<script>alert("x")</script>')
    html = page(app, client, path)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;i&gt;Process&lt;/i&gt;" in html and "<i>" not in html
    assert "&lt;b&gt;Enhet&lt;/b&gt;" in html and "<b>" not in html


def test_empty_register(app, client, reader):
    assert "Registret är tomt" in page(app, client, "/oversikt")


@pytest.mark.parametrize("path", PAGES)
def test_signed_out_visitors_are_sent_to_the_login_page(app, client, path):
    response = request(app, client, "GET", path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")


# --- a fixed number of queries --------------------------------------------------------------------------------------


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def add_risks(processes: list[Process], number: int) -> None:
    """Risks spread over the processes: most assessed this year, some only last year, some archived."""
    for n in range(number):
        risk = Risk(process=processes[n % len(processes)], title=f"Risk {n}", is_archived=n % 7 == 6)
        db.session.add(risk)
        year = TEST_YEAR if n % 5 else TEST_YEAR - 1
        db.session.add(Assessment(risk=risk, year=year, likelihood=1 + n % 4, consequence=1 + n // 4 % 4,
                                  status=RiskStatus.NEW))
    db.session.commit()


def queries_for(app, client, path: str) -> int:
    with counted_queries() as statements:
        response = request(app, client, "GET", path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", PAGES)
def test_query_count_does_not_grow_with_the_register(app, client, reader, unit, make_unit, make_process, make_user,
                                                     make_assessment, make_action, make_control, path):
    county = make_unit(code="soc", name="Socialförvaltningen")
    unit.parent = county
    second_unit = make_unit(code="hvo", name="Hemtjänst", parent=county)
    owner = make_user()
    make_assessment()  # pins the year's matrix and plan for the first unit
    make_action(responsible=reader, due_on=date(TEST_YEAR, 1, 15))
    make_control(responsible=reader)
    processes = [
        make_process(title="Utredning", owner=owner),
        make_process(title="Uppföljning"),
        make_process(unit=second_unit, title="Hemtjänstinsats"),
    ]
    add_risks(processes, 10)
    small = queries_for(app, client, path)

    processes += [make_process(title=f"Process {n}", owner=owner, parent=processes[0] if n % 2 else None)
                  for n in range(10)]
    processes += [make_process(unit=second_unit, title=f"Insats {n}") for n in range(5)]
    add_risks(processes, 190)
    assert db.session.scalar(select(func.count()).select_from(Risk)) == 201
    large = queries_for(app, client, path)
    assert page(app, client, path).count(">Risk ") > 150  # the large register really is on the page

    assert large == small


# --- errors ---------------------------------------------------------------------------------------------------------


def test_not_found_is_a_swedish_page(app, client):
    response = request(app, client, "GET", "/finns-inte")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert "Sidan finns inte" in html
    assert "Till startsidan" in html
    assert "Not Found" not in html


def test_not_found_for_a_signed_in_user_too(app, client, reader):
    response = request(app, client, "GET", "/finns-inte")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)
