"""flask graph report: the gaps of a unit as Swedish text, or as one JSON object."""

from __future__ import annotations

import json

import pytest

from app.core.services.risks import link_action, link_control
from app.extensions import db
from app.models import ActionStatus, RiskStatus
from tests.conftest import TEST_YEAR

KEYS = {
    "uncovered_risks", "high_risks_without_control", "orphan_controls", "orphan_actions", "processes_without_risks",
    "key_controls", "exposure",
}


@pytest.fixture
def known(unit, make_process, make_risk, make_assessment, make_control, make_action) -> dict:
    """One gap of each kind, a closed risk and a cancelled åtgärd that count for nothing."""
    work = make_process(title="Utredning")
    decision = make_process(title="Beslut", parent=work)
    empty = make_process(title="Uppföljning")
    severe = make_risk(process=work, title="Barn far illa")
    high = make_risk(process=work, title="Beslut utan underlag")
    low = make_risk(process=decision, title="Fel mall")
    closed = make_risk(process=decision, title="Gammal risk")
    make_assessment(risk=severe, likelihood=4, consequence=4)
    make_assessment(risk=high, likelihood=3, consequence=3)
    make_assessment(risk=low, likelihood=1, consequence=2)
    make_assessment(risk=closed, likelihood=4, consequence=4, status=RiskStatus.CLOSED)
    control = make_control(title="Journalgranskning")
    unused = make_control(title="Oanvänd kontroll")
    action = make_action(title="Beslutsstöd")
    cancelled = make_action(title="Avbruten åtgärd", status=ActionStatus.CANCELLED)
    loose = make_action(title="Lös åtgärd")
    link_control(None, severe, control)
    link_action(None, high, action)
    link_action(None, low, cancelled)
    db.session.commit()
    return {"work": work, "decision": decision, "empty": empty, "severe": severe, "high": high, "low": low,
            "control": control, "unused": unused, "loose": loose}


def report(app, *options: str):
    return app.test_cli_runner().invoke(args=["graph", "report", *options])


def test_json_report(app, known):
    result = report(app, "--unit", "bfe", "--year", str(TEST_YEAR), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == KEYS
    assert [(r["id"], r["ref"], r["title"], r["score"], r["level"]) for r in data["uncovered_risks"]] == [
        (known["low"].id, known["low"].ref, "Fel mall", 2, "Låg")
    ]
    assert [r["title"] for r in data["high_risks_without_control"]] == ["Beslut utan underlag"]
    assert [(c["id"], c["title"]) for c in data["orphan_controls"]] == [(known["unused"].id, "Oanvänd kontroll")]
    assert [a["title"] for a in data["orphan_actions"]] == ["Lös åtgärd"]
    assert [p["title"] for p in data["processes_without_risks"]] == ["Uppföljning"]
    assert [(k["title"], k["risks"], k["processes"]) for k in data["key_controls"]] == [("Journalgranskning", 1, 1)]
    exposure = {e["title"]: (e["max"], e["sum"]) for e in data["exposure"]}
    assert exposure == {"Utredning": (16, 27), "Beslut": (2, 2), "Uppföljning": (0, 0)}
    assert all({"id", "ref", "title"} <= set(entry) for entries in data.values() for entry in entries)


def test_text_report(app, known):
    result = report(app, "--unit", "Barn- och familjeenheten", "--year", str(TEST_YEAR))
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith(f"Täckning {TEST_YEAR} – Barn- och familjeenheten (bfe)")
    assert "5 brister totalt." in text
    assert "Risker utan egenkontroll och åtgärd (1):\n  - Fel mall [" in text
    assert "riskvärde 2 (Låg)" in text
    assert "Höga risker utan egenkontroll (1):\n  - Beslut utan underlag" in text
    assert "Egenkontroller som inte följer upp någon risk (1):\n  - Oanvänd kontroll" in text
    assert "Åtgärder som inte hanterar någon risk (1):\n  - Lös åtgärd" in text
    assert "Processer utan riskanalys (1):\n  - Uppföljning" in text
    assert "Journalgranskning [" in text and "1 risk i 1 process" in text
    assert "Utredning [" in text and "summa 27, högsta 16" in text


def test_a_year_with_nothing_to_report(app, unit):
    result = report(app, "--unit", "bfe", "--year", "2030")
    assert result.exit_code == 0, result.output
    assert "Inga brister." in result.output and "  Inga." in result.output
    data = json.loads(report(app, "--unit", "bfe", "--year", "2030", "--json").output)
    assert data == {key: [] for key in KEYS}


def test_an_unknown_unit_is_a_clear_error(app, unit):
    result = report(app, "--unit", "finns-inte", "--year", str(TEST_YEAR), "--json")
    assert result.exit_code != 0
    assert "Okänd enhet: finns-inte" in result.output


def test_a_year_out_of_range_is_refused(app, unit):
    result = report(app, "--unit", "bfe", "--year", "1999")
    assert result.exit_code != 0
