"""The graph analyses, without a Flask app: a fixed register with known answers, then properties on random ones."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.analysis.graph import (
    ACTION,
    CONTROL,
    DEFAULT_SCALE,
    FOLLOWED_UP_BY,
    HANDLED_BY,
    PROCESS,
    PROTECTING_EDGES,
    RISK,
    SUBPROCESS,
    build_graph,
    coverage,
    exposure,
    high_risks_without_control,
    impact,
    key_controls,
    level_of,
    orphan_actions,
    orphan_controls,
    processes_without_risks,
    trace,
    uncovered_risks,
)
from app.analysis.outline import outline
from app.analysis.records import (
    ActionRecord,
    Band,
    ControlRecord,
    ProcessRecord,
    Register,
    RiskRecord,
)
from app.analysis.svg import BOX_HEIGHT, layout, render_svg, truncate
from app.models.enums import ActionStatus, RiskStatus

THREE_BANDS = [Band("Låg", "#2e7d32", 1), Band("Medel", "#f9a825", 3), Band("Hög", "#c62828", 6)]


def titles(found) -> set[str]:
    return {entry.title for entry in found}


@pytest.fixture
def register() -> Register:
    """Two units (the sub-unit with a 3-band matrix), with every kind of gap and every exclusion rule once."""
    return Register(
        year=2026,
        unit_id=1,
        unit_names={1: "Enheten", 2: "Underenheten"},
        bands={2: THREE_BANDS},
        processes=[
            ProcessRecord(1, "P-1", "Utredning", 1),
            ProcessRecord(2, "P-2", "Beslut", 1, parent_id=1),
            ProcessRecord(3, "P-3", "Uppföljning", 1),
            ProcessRecord(4, "P-4", "Gammal", 1, is_archived=True),
            ProcessRecord(5, "P-5", "Under gammal", 1, parent_id=4),
            ProcessRecord(6, "P-6", "Mottagning", 2),
        ],
        risks=[
            RiskRecord(1, "R-1", "Mycket hög med kontroll", 1, score=12, status=RiskStatus.NEW),
            RiskRecord(2, "R-2", "Hög med bara åtgärd", 1, score=9, status=RiskStatus.IN_PROGRESS),
            RiskRecord(3, "R-3", "Låg utan skydd", 2, score=2),
            RiskRecord(4, "R-4", "Ej bedömd", 2),
            RiskRecord(5, "R-5", "Upphörd", 2, score=16, status=RiskStatus.CLOSED),
            RiskRecord(6, "R-6", "Arkiverad", 2, is_archived=True, score=16),
            RiskRecord(7, "R-7", "Bara avbruten åtgärd", 2, score=6),
            RiskRecord(8, "R-8", "Bara arkiverad kontroll", 2, score=8),
            RiskRecord(9, "R-9", "Medel i liten matris", 6, score=4),
            RiskRecord(10, "R-10", "I arkiverad process", 4, score=16),
            RiskRecord(11, "R-11", "Låg med kontroll", 2, score=3),
            RiskRecord(12, "R-12", "Under arkiverad", 5, score=4),
        ],
        controls=[
            ControlRecord(1, "E-1", "Journalgranskning", 1),
            ControlRecord(2, "E-2", "Oanvänd", 1),
            ControlRecord(3, "E-3", "Arkiverad kontroll", 1, is_archived=True),
            ControlRecord(4, "E-4", "Bara arkiverad risk", 1),
            ControlRecord(5, "E-5", "Följer upphörd risk", 1),
        ],
        actions=[
            ActionRecord(1, "A-1", "Checklista", 1),
            ActionRecord(2, "A-2", "Avbruten", 1, status=ActionStatus.CANCELLED),
            ActionRecord(3, "A-3", "Genomförd utan risk", 1, status=ActionStatus.DONE),
            ActionRecord(4, "A-4", "Arkiverad åtgärd", 1, is_archived=True),
        ],
        control_links=[(1, 1), (11, 1), (8, 3), (6, 4), (5, 5), (99, 1)],
        action_links=[(2, 1), (7, 2)],
    )


@pytest.fixture
def graph(register) -> nx.DiGraph:
    return build_graph(register)


def test_nodes_and_typed_edges(graph):
    assert graph.nodes[(RISK, 1)]["level"].name == "Mycket hög"
    assert graph.nodes[(RISK, 1)]["level"].colour == "#c62828"
    assert graph.nodes[(RISK, 4)]["score"] is None and graph.nodes[(RISK, 4)]["level"] is None
    assert graph.edges[(PROCESS, 1), (PROCESS, 2)]["kind"] == SUBPROCESS
    assert graph.edges[(PROCESS, 1), (RISK, 1)]["kind"] == "risk"
    assert graph.edges[(RISK, 1), (CONTROL, 1)]["kind"] == FOLLOWED_UP_BY
    assert graph.edges[(RISK, 2), (ACTION, 1)]["kind"] == HANDLED_BY
    assert (RISK, 99) not in graph  # a link to a risk that was not loaded is dropped
    assert graph.nodes[(PROCESS, 5)]["archived"] and graph.nodes[(RISK, 12)]["archived"]


def test_known_gaps(graph):
    assert titles(uncovered_risks(graph)) == {
        "Låg utan skydd", "Ej bedömd", "Bara avbruten åtgärd", "Bara arkiverad kontroll", "Medel i liten matris"
    }
    assert titles(high_risks_without_control(graph)) == {
        "Hög med bara åtgärd", "Bara arkiverad kontroll", "Medel i liten matris"
    }
    assert titles(orphan_controls(graph)) == {"Oanvänd", "Bara arkiverad risk"}
    assert titles(orphan_actions(graph)) == {"Genomförd utan risk"}
    assert titles(processes_without_risks(graph)) == {"Uppföljning"}


def test_uncovered_risks_come_riskiest_first_and_unassessed_last(graph):
    assert [r.title for r in uncovered_risks(graph)] == [
        "Bara arkiverad kontroll", "Bara avbruten åtgärd", "Medel i liten matris", "Låg utan skydd", "Ej bedömd"
    ]


def test_key_controls_and_exposure(graph):
    assert [(k.item.title, k.risks, k.processes) for k in key_controls(graph)] == [
        ("Journalgranskning", 2, 2),
        ("Följer upphörd risk", 1, 1),
    ]
    by_title = {e.item.title: (e.max, e.sum) for e in exposure(graph)}
    assert by_title == {"Utredning": (12, 40), "Beslut": (8, 19), "Uppföljning": (0, 0), "Mottagning": (4, 4)}
    assert [e.item.title for e in exposure(graph)][0] == "Utredning"


def test_trace_and_impact(graph):
    assert set(trace(graph, (PROCESS, 2)).nodes) == {
        (PROCESS, 2), (RISK, 3), (RISK, 4), (RISK, 5), (RISK, 7), (RISK, 8), (RISK, 11), (CONTROL, 1), (CONTROL, 5)
    }
    assert impact(graph, (CONTROL, 1)) == {(RISK, 1), (RISK, 11), (PROCESS, 1), (PROCESS, 2)}
    assert impact(graph, (CONTROL, 3)) == set()  # archived: nothing depends on it
    assert len(trace(graph, (PROCESS, 4))) == 0


def test_coverage_collects_everything(graph):
    found = coverage(graph)
    assert found.year == 2026 and found.unit_id == 1
    assert found.gap_count == 5 + 3 + 2 + 1 + 1
    reasons = found.gap_reasons()
    assert reasons[(RISK, 8)] == "saknar egenkontroll och åtgärd; hög risk utan egenkontroll"
    assert reasons[(PROCESS, 3)] == "ingen riskanalys"


@pytest.mark.parametrize(
    ("score", "name", "rank"), [(None, None, None), (1, "Låg", 0), (3, "Låg", 0), (4, "Medel", 1), (7, "Hög", 2),
                                (11, "Hög", 2), (12, "Mycket hög", 3), (16, "Mycket hög", 3)]
)
def test_levels_of_the_default_matrix(score, name, rank):
    level = level_of(score, DEFAULT_SCALE)
    assert (level.name, level.rank) == (name, rank) if level else name is None


def test_outline_lists_each_process_with_its_risks_and_their_cover(graph):
    rows = outline(graph, coverage(graph).gap_reasons())
    assert [(row.process.title, row.depth) for row in rows] == [
        ("Uppföljning", 0), ("Utredning", 0), ("Beslut", 1), ("Mottagning", 0)
    ]
    first = rows[1].risks[0]
    assert (first.risk.title, titles(first.controls), first.gap) == (
        "Mycket hög med kontroll", {"Journalgranskning"}, None
    )
    assert rows[0].gap == "ingen riskanalys" and rows[0].risks == []


def test_svg_links_every_active_node_and_outlines_the_gaps(graph):
    found = coverage(graph)
    svg = render_svg(graph, href=lambda item: f"/{item.kind}/{item.id}", gaps=found.gap_reasons())
    active = [node for node, data in graph.nodes(data=True) if data["active"]]
    assert len(re.findall(r"<a href=", svg)) == len(active)
    assert 'href="/risk/1"' in svg and 'href="/control/2"' in svg
    assert 'href="/risk/6"' not in svg  # archived
    assert svg.count('class="gap-outline"') == len(found.gap_reasons())
    assert 'fill="#c62828"' in svg  # Mycket hög's colour
    assert "<title>Risk: Mycket hög med kontroll (riskvärde 12, Mycket hög), ny</title>" in svg


def test_svg_escapes_titles_and_truncates_long_ones():
    register = Register(
        year=2026, unit_id=1, processes=[ProcessRecord(1, "P-1", "<script>&" + "x" * 80, 1)]
    )
    svg = render_svg(build_graph(register), href=lambda item: "/p?a=1&b=2")
    assert "<script>" not in svg and "&lt;script&gt;&amp;" in svg and 'href="/p?a=1&amp;b=2"' in svg
    assert truncate("abcdef", 4) == "abc…" and truncate("abc", 4) == "abc"


# --- properties on random registers ----------------------------------------------------------------------------------


@st.composite
def registers(draw) -> Register:
    """A random forest of processes with risks, egenkontroller, åtgärder and links, some archived or closed."""
    process_count = draw(st.integers(1, 12))
    processes = []
    for number in range(1, process_count + 1):
        parent = draw(st.one_of(st.none(), st.integers(1, number - 1))) if number > 1 else None
        processes.append(ProcessRecord(number, f"P-{number}", f"Process {number}", draw(st.sampled_from([1, 2])),
                                       parent_id=parent, is_archived=draw(st.booleans()) and draw(st.booleans())))
    risk_count = draw(st.integers(0, 25))
    risks = [
        RiskRecord(
            number, f"R-{number}", f"Risk {number}", draw(st.integers(1, process_count)),
            is_archived=draw(st.integers(0, 5)) == 0,
            score=draw(st.one_of(st.none(), st.integers(1, 16))),
            status=draw(st.one_of(st.none(), st.sampled_from(list(RiskStatus)))),
        )
        for number in range(1, risk_count + 1)
    ]
    controls = [
        ControlRecord(number, f"E-{number}", f"Kontroll {number}", 1, is_archived=draw(st.integers(0, 4)) == 0)
        for number in range(1, draw(st.integers(0, 10)) + 1)
    ]
    actions = [
        ActionRecord(number, f"A-{number}", f"Åtgärd {number}", 1, status=draw(st.sampled_from(list(ActionStatus))),
                     is_archived=draw(st.integers(0, 4)) == 0)
        for number in range(1, draw(st.integers(0, 10)) + 1)
    ]

    def links(others: list) -> list[tuple[int, int]]:
        if not risks or not others:
            return []
        pairs = st.tuples(st.integers(1, risk_count), st.integers(1, len(others)))
        return sorted(draw(st.sets(pairs, max_size=30)))

    return Register(
        year=2026, unit_id=1, unit_names={1: "Ett", 2: "Två"}, bands={2: THREE_BANDS}, processes=processes,
        risks=risks, controls=controls, actions=actions, control_links=links(controls), action_links=links(actions),
    )


def active_part(graph: nx.DiGraph) -> nx.DiGraph:
    return graph.subgraph(node for node, data in graph.nodes(data=True) if data["active"])


PROPERTY_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(registers())
def test_a_risk_is_uncovered_iff_open_with_no_protecting_edge_to_an_active_node(register):
    graph = build_graph(register)
    uncovered = {item.node for item in uncovered_risks(graph)}
    for node, data in graph.nodes(data=True):
        if data["kind"] != RISK:
            continue
        protected = any(
            edge["kind"] in PROTECTING_EDGES and graph.nodes[target]["active"]
            for target, edge in graph.succ[node].items()
        )
        assert (node in uncovered) == (data["open"] and not protected)
        if node in uncovered:
            assert not data["archived"] and (data["status"] is None or data["status"].is_open)


@PROPERTY_SETTINGS
@given(registers())
def test_high_risks_without_control_are_high_open_and_unfollowed(register):
    graph = build_graph(register)
    for found in high_risks_without_control(graph):
        data = graph.nodes[found.node]
        bands = THREE_BANDS if data["unit_id"] == 2 else DEFAULT_SCALE
        assert data["open"] and data["high"] and data["level"].rank >= len(bands) - 2
        assert not any(
            edge["kind"] == FOLLOWED_UP_BY and graph.nodes[t]["active"] for t, edge in graph.succ[found.node].items()
        )


@PROPERTY_SETTINGS
@given(registers())
def test_orphans_have_no_active_risk_and_nothing_archived_is_reported(register):
    graph = build_graph(register)
    found = coverage(graph)
    for orphan in found.orphan_controls + found.orphan_actions:
        assert not any(graph.nodes[risk]["active"] for risk in graph.pred[orphan.node])
    for node in found.gap_reasons():
        assert graph.nodes[node]["active"]
    linked = {c for r, c in register.control_links if graph.has_node((RISK, r)) and graph.nodes[(RISK, r)]["active"]}
    assert {o.id for o in found.orphan_controls} == {c.id for c in register.controls if not c.is_archived} - linked


@PROPERTY_SETTINGS
@given(registers())
def test_exposure_of_a_parent_is_at_least_each_childs(register):
    graph = build_graph(register)
    by_node = {entry.item.node: entry for entry in exposure(graph)}
    assert set(by_node) == {n for n, d in graph.nodes(data=True) if d["kind"] == PROCESS and d["active"]}
    for parent, child, kind in graph.edges(data="kind"):
        if kind == SUBPROCESS and parent in by_node and child in by_node:
            assert by_node[parent].sum >= by_node[child].sum
            assert by_node[parent].max >= by_node[child].max


@PROPERTY_SETTINGS
@given(registers())
def test_trace_is_what_is_reachable_and_impact_its_inverse(register):
    graph = build_graph(register)
    active = active_part(graph)
    processes = [n for n in active if n[0] == PROCESS]
    controls = [n for n in active if n[0] == CONTROL]
    traces = {p: set(trace(graph, p).nodes) for p in processes}
    for process, nodes in traces.items():
        assert nodes == nx.descendants(active, process) | {process}
        has_risk = any(node[0] == RISK for node in nodes)
        assert (process in {i.node for i in processes_without_risks(graph)}) == (not has_risk)
    for control in controls:
        depends = impact(graph, control)
        assert depends <= nx.ancestors(graph, control)
        assert {p for p in depends if p[0] == PROCESS} == {p for p in processes if control in traces[p]}


@PROPERTY_SETTINGS
@given(registers())
def test_layout_places_every_active_node_without_overlap(register):
    graph = build_graph(register)
    boxes, width, height = layout(graph)
    assert set(boxes) == set(active_part(graph).nodes)
    columns: dict[float, list[float]] = {}
    for box in boxes.values():
        assert 0 <= box.x and box.x + box.width <= width and box.y + BOX_HEIGHT <= height
        columns.setdefault(box.x if box.node[0] != PROCESS else -1, []).append(box.y)
    for ys in columns.values():
        ys.sort()
        assert all(later - earlier >= BOX_HEIGHT for earlier, later in zip(ys, ys[1:]))
