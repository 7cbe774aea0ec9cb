"""The skyddsgraf and trace pages: who may read them, what they show, and a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import url_for

from app.core.services.assessments import assess_risk
from app.core.services.processes import create_process, set_archived
from app.core.services.risks import create_risk, link_action, link_control
from app.extensions import db
from app.models import Role
from tests.conftest import TEST_YEAR
from tests.query_counter import count_queries


@dataclass
class Known:
    """A unit with one gap of each kind (five in all), and the items the tests look for."""

    unit: object
    items: dict[str, object]


@pytest.fixture
def known(unit, make_process, make_risk, make_assessment, make_control, make_action) -> Known:
    work = make_process(title="Utredning")
    decision = make_process(title="Beslut", parent=work)
    empty = make_process(title="Uppföljning")
    severe = make_risk(process=work, title="Barn far illa utan att det upptäcks")
    high = make_risk(process=work, title="Beslut fattas utan underlag")
    low = make_risk(process=decision, title="Fel mall används")
    make_assessment(risk=severe, likelihood=4, consequence=4)  # 16: Mycket hög
    make_assessment(risk=high, likelihood=3, consequence=3)  # 9: Hög
    make_assessment(risk=low, likelihood=1, consequence=2)  # 2: Låg
    control = make_control(title="Journalgranskning")
    unused_control = make_control(title="Oanvänd kontroll")
    action = make_action(title="Ta fram beslutsstöd")
    loose_action = make_action(title="Lös åtgärd")
    link_control(None, severe, control)
    link_action(None, high, action)
    db.session.commit()
    return Known(unit, {
        "work": work, "decision": decision, "empty": empty, "severe": severe, "high": high, "low": low,
        "control": control, "unused_control": unused_control, "action": action, "loose_action": loose_action,
    })


@pytest.fixture
def reader(make_user, login):
    return login(make_user(role=Role.READER))


def graph_url(unit_id: int, year: int = TEST_YEAR) -> str:
    return f"/enheter/{unit_id}/graf?ar={year}"


def trace_url(unit_id: int, process_id: int, year: int = TEST_YEAR) -> str:
    return f"/enheter/{unit_id}/graf/process/{process_id}?ar={year}"


def detail_url(app, endpoint: str, **values) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values, ar=TEST_YEAR)


def gap_counts(text: str) -> dict[str, int]:
    found = re.findall(r'id="brist-(\w+)">[^<]*<span class="count" data-count="(\d+)"', text)
    return {key: int(count) for key, count in found}


def test_a_reader_sees_the_graph_with_links_colours_and_gaps(app, client, known, reader):
    response = client.get(graph_url(known.unit.id))
    assert response.status_code == 200
    text = response.text
    svg = text[text.index("<svg"): text.index("</svg>")]
    for key, endpoint, argument in (("severe", "risks.detail", "risk_id"), ("work", "processes.detail", "process_id"),
                                    ("control", "controls.detail", "control_id"),
                                    ("action", "actions.detail", "action_id")):
        href = detail_url(app, endpoint, **{argument: known.items[key].id}).replace("&", "&amp;")
        assert f'<a href="{href}"' in svg, key
    assert 'fill="#c62828"' in svg and 'fill="#ef6c00"' in svg and 'fill="#2e7d32"' in svg  # the level colours
    assert svg.count('class="gap-outline"') == 5
    assert "<title>Risk: Barn far illa utan att det upptäcks (riskvärde 16, Mycket hög), ny</title>" in svg


def test_the_coverage_panel_counts_each_gap(client, known, reader):
    text = client.get(graph_url(known.unit.id)).text
    assert gap_counts(text) == {
        "uncovered_risks": 1, "high_risks_without_control": 1, "orphan_controls": 1, "orphan_actions": 1,
        "processes_without_risks": 1,
    }
    panel = text[text.index('id="tackning-panel"'): text.index('id="nyckelkontroller"')]
    for key in ("low", "high", "unused_control", "loose_action", "empty"):
        assert known.items[key].title in panel
    assert "5 brister" in panel
    assert "Journalgranskning</a>: 1 risk i 1 process" in text


def test_the_table_alternative_lists_processes_risks_and_their_cover(client, known, reader):
    text = client.get(graph_url(known.unit.id)).text
    table = text[text.index('id="graf-tabell"'): text.index("</table>", text.index('id="graf-tabell"'))]
    for key in ("work", "decision", "empty", "severe", "high", "low", "control", "action"):
        assert known.items[key].title in table, key
    assert trace_url(known.unit.id, known.items["work"].id).replace("&", "&amp;") in table
    assert "Brist: ingen riskanalys" in table


def test_nothing_on_the_page_can_be_changed(client, known, reader):
    text = client.get(graph_url(known.unit.id)).text
    assert text.count('method="post"') == 1  # signing out


def test_the_trace_shows_everything_below_the_process_and_nothing_else(client, known, reader):
    response = client.get(trace_url(known.unit.id, known.items["decision"].id))
    assert response.status_code == 200
    svg = response.text[response.text.index("<svg"): response.text.index("</svg>")]
    assert "Fel mall används" in svg and "Barn far illa" not in svg and "Journalgranskning" not in svg
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', response.text))
    assert counts == {"process": "1", "risk": "1", "control": "0", "action": "0", "gap": "1"}
    whole = client.get(trace_url(known.unit.id, known.items["work"].id)).text
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', whole))
    assert counts == {"process": "2", "risk": "3", "control": "1", "action": "1", "gap": "2"}


def test_an_archived_process_has_nothing_to_trace(client, known, reader):
    set_archived(None, known.items["empty"], True)
    db.session.commit()
    response = client.get(trace_url(known.unit.id, known.items["empty"].id))
    assert response.status_code == 200 and "Processen är arkiverad" in response.text and "<svg" not in response.text
    assert gap_counts(client.get(graph_url(known.unit.id)).text)["processes_without_risks"] == 0


def test_a_sub_units_items_are_part_of_the_parents_graph(client, make_unit, make_user, login, known):
    sub_unit = make_unit(code="sub", name="Familjehem", parent=known.unit)
    process = create_process(None, sub_unit, title="Familjehemsutredning")
    assess_risk(None, create_risk(None, process, title="Placering utan utredning"), year=TEST_YEAR,
                likelihood=2, consequence=2)
    db.session.commit()
    login(make_user(role=Role.READER))
    text = client.get(graph_url(known.unit.id)).text
    assert "Placering utan utredning" in text and gap_counts(text)["uncovered_risks"] == 2
    assert client.get(trace_url(known.unit.id, process.id)).status_code == 200
    assert client.get(trace_url(sub_unit.id, known.items["work"].id)).status_code == 404  # not below the sub-unit


def test_another_units_user_is_refused(client, make_unit, make_user, login, known):
    other = make_unit(code="annan", name="Annan enhet")
    login(make_user(role=Role.MANAGER, unit=other))
    assert client.get(graph_url(known.unit.id)).status_code == 403
    assert client.get(trace_url(known.unit.id, known.items["work"].id)).status_code == 403
    assert client.get(graph_url(other.id)).status_code == 200


def test_a_process_of_another_unit_is_not_found_in_this_units_graph(client, make_unit, make_user, login, known):
    other = make_unit(code="annan", name="Annan enhet")
    foreign = create_process(None, other, title="Främmande")
    db.session.commit()
    login(make_user(role=Role.ADMIN))
    assert client.get(trace_url(known.unit.id, foreign.id)).status_code == 404


@pytest.mark.parametrize("url", ["/enheter/999999/graf", "/enheter/{unit}/graf/process/999999",
                                 "/enheter/99999999999/graf", "/enheter/0/graf"])
def test_nonexistent_ids_are_not_found(client, known, reader, url):
    assert client.get(url.format(unit=known.unit.id)).status_code == 404


def test_the_number_of_queries_does_not_grow_with_the_register(client, unit, make_process, make_control,
                                                              make_action, reader):
    def add_risks(count: int) -> None:
        process = make_process(title=f"Process {count}")
        control, action = make_control(title=f"Kontroll {count}"), make_action(title=f"Åtgärd {count}")
        for number in range(count):
            risk = create_risk(None, process, title=f"Risk {number}")
            assess_risk(None, risk, year=TEST_YEAR, likelihood=1 + number % 4, consequence=1 + number % 3)
            if number % 2:
                link_control(None, risk, control)
            if number % 3:
                link_action(None, risk, action)
        db.session.commit()

    def queries(url: str) -> int:
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    add_risks(10)
    small = queries(graph_url(unit.id)), queries(trace_url(unit.id, make_process(title="Tom").id))
    add_risks(190)
    assert (queries(graph_url(unit.id)), queries(trace_url(unit.id, make_process(title="Tom 2").id))) == small


def test_a_year_without_assessments_shows_the_risks_as_not_assessed(client, known, reader):
    text = client.get(graph_url(known.unit.id, year=TEST_YEAR - 1)).text
    assert "(ej bedömd i år)" in text and gap_counts(text)["uncovered_risks"] == 2
    assert gap_counts(text)["high_risks_without_control"] == 0
