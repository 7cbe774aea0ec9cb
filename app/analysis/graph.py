"""The register as a networkx graph, and the pure analyses that find what is not protected (no Flask, no db).

The rules, as a year-end review under SOSFS 2011:9 (5 kap 1 §) reads them:
- Archived items take part in nothing; an archived process takes its sub-processes and risks with it.
- A risk needs protection when it is active and open that year: Åtgärdad and Upphört risks are no gaps.
  A risk not assessed that year has riskvärde None, still needs protection and is never high.
- Active egenkontroller protect; åtgärder protect unless archived or Avbruten (a Genomförd åtgärd still counts).
- High means the top two bands of the unit's matrix for the year (Hög and Mycket hög in the 4×4).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import networkx as nx

from app.analysis.records import (
    Band,
    Coverage,
    Exposure,
    Item,
    KeyControl,
    Node,
    Register,
    RiskLevel,
)
from app.core.text import swedish_key
from app.models.enums import ActionStatus
from app.models.matrix import DEFAULT_BANDS, band_rank

PROCESS, RISK, CONTROL, ACTION = "process", "risk", "control", "action"
SUBPROCESS, HAS_RISK, FOLLOWED_UP_BY, HANDLED_BY = "delprocess", "risk", "följs upp av", "hanteras av"
PROTECTING_EDGES = (FOLLOWED_UP_BY, HANDLED_BY)
DEFAULT_SCALE = [Band(band["name"], band["colour"], band["min"]) for band in DEFAULT_BANDS]
Totals = dict[Node, tuple[int, int, int, int]]

# Titles are sorted by several analyses of the same graph: compute each Swedish key once.
title_key = lru_cache(maxsize=100_000)(swedish_key)


def level_of(score: int | None, bands: list[Band]) -> RiskLevel | None:
    """The band a riskvärde falls in, as RiskMatrix.level_for decides it; None for an unassessed risk."""
    if score is None:
        return None
    ordered = sorted(bands, key=lambda band: band.lower)
    found = band_rank(score, [band.lower for band in ordered])
    return RiskLevel(ordered[found].name, found, ordered[found].colour)


def is_high(level: RiskLevel | None, bands: list[Band]) -> bool:
    return level is not None and level.rank >= len(bands) - 2


def build_graph(register: Register) -> nx.DiGraph:
    """Nodes for every record, typed edges for the tree and the links; a link to an unloaded node is dropped."""
    graph: nx.DiGraph[Node] = nx.DiGraph(year=register.year, unit_id=register.unit_id, unit_names=dict(register.unit_names))
    graph.graph["bands"] = register.bands.get(register.unit_id) or DEFAULT_SCALE
    archived = _archived_processes(register)
    process_unit = {}
    for p in register.processes:
        process_unit[p.id] = p.unit_id
        graph.add_node(
            (PROCESS, p.id), kind=PROCESS, id=p.id, ref=p.ref, title=p.title, unit_id=p.unit_id,
            parent_id=p.parent_id, sort_order=p.sort_order, archived=p.id in archived, active=p.id not in archived,
        )
    graph.add_edges_from(
        ((PROCESS, p.parent_id), (PROCESS, p.id), {"kind": SUBPROCESS})
        for p in register.processes
        if p.parent_id in process_unit
    )
    for r in register.risks:
        if r.process_id not in process_unit:
            continue
        unit_id = process_unit[r.process_id]
        bands = register.bands.get(unit_id) or DEFAULT_SCALE
        level = level_of(r.score, bands)
        is_archived = r.is_archived or r.process_id in archived
        graph.add_node(
            (RISK, r.id), kind=RISK, id=r.id, ref=r.ref, title=r.title, unit_id=unit_id, process_id=r.process_id,
            score=r.score, level=level, high=is_high(level, bands), status=r.status, archived=is_archived,
            active=not is_archived, open=not is_archived and (r.status is None or r.status.is_open),
        )
        graph.add_edge((PROCESS, r.process_id), (RISK, r.id), kind=HAS_RISK)
    for c in register.controls:
        graph.add_node(
            (CONTROL, c.id), kind=CONTROL, id=c.id, ref=c.ref, title=c.title, unit_id=c.unit_id,
            archived=c.is_archived, active=not c.is_archived,
        )
    for a in register.actions:
        graph.add_node(
            (ACTION, a.id), kind=ACTION, id=a.id, ref=a.ref, title=a.title, unit_id=a.unit_id, status=a.status,
            due_on=a.due_on, archived=a.is_archived,
            active=not a.is_archived and a.status is not ActionStatus.CANCELLED,
        )
    _add_links(graph, register.control_links, CONTROL, FOLLOWED_UP_BY)
    _add_links(graph, register.action_links, ACTION, HANDLED_BY)
    return graph


def _add_links(graph: nx.DiGraph, links: Iterable[tuple[int, int]], kind: str, edge_kind: str) -> None:
    nodes = graph.nodes
    graph.add_edges_from(
        ((RISK, risk_id), (kind, other_id), {"kind": edge_kind})
        for risk_id, other_id in links
        if (RISK, risk_id) in nodes and (kind, other_id) in nodes
    )


def _archived_processes(register: Register) -> set[int]:
    """Processes archived themselves or lying below an archived one (old data may hold an active child of one)."""
    parent = {p.id: p.parent_id for p in register.processes}
    own = {p.id for p in register.processes if p.is_archived}
    hidden: dict[int, bool] = {}
    for start in parent:
        path: dict[int, bool] = {}  # a dict keeps the walk's order and answers "seen?" at once (cycles in bad data)
        node: int | None = start
        while node is not None and node not in hidden and node not in own and node not in path:
            path[node] = True
            node = parent.get(node)
        answer = node is not None and (node in own or hidden.get(node, False))
        hidden.update(dict.fromkeys(path, answer))
    return own | {node for node, is_hidden in hidden.items() if is_hidden}


def item(graph: nx.DiGraph, node: Node) -> Item:
    data = graph.nodes[node]
    return Item(
        data["kind"], data["id"], data["ref"], data["title"], data["unit_id"],
        data.get("score"), data.get("level"), data.get("status"), data.get("due_on"),
    )


def items(graph: nx.DiGraph, nodes: Iterable[Node]) -> list[Item]:
    """Items of the nodes: riskiest first, then in Swedish title order."""
    found = [item(graph, node) for node in nodes]
    return sorted(found, key=lambda i: (-(i.score or 0), i.score is None, title_key(i.title), i.id))


def _of_kind(graph: nx.DiGraph, kind: str) -> list[tuple[Node, dict]]:
    """Nodes of one kind with their data; the kind is the key's first part, so only matches are looked up."""
    nodes = graph.nodes
    return [(node, nodes[node]) for node in graph if node[0] == kind]


def _protected_by(graph: nx.DiGraph, risk: Node, kinds: tuple[str, ...]) -> bool:
    nodes = graph.nodes
    return any(edge["kind"] in kinds and nodes[target]["active"] for target, edge in graph.succ[risk].items())


def _linked_to_active_risk(graph: nx.DiGraph, node: Node) -> bool:
    nodes = graph.nodes
    return any(nodes[risk]["active"] for risk in graph.pred[node])


def uncovered_risks(graph: nx.DiGraph) -> list[Item]:
    """Open risks that no active egenkontroll follows up and no åtgärd handles."""
    found = (n for n, d in _of_kind(graph, RISK) if d["open"] and not _protected_by(graph, n, PROTECTING_EDGES))
    return items(graph, found)


def high_risks_without_control(graph: nx.DiGraph) -> list[Item]:
    """Open risks in the top two bands that no active egenkontroll follows up (an åtgärd is not enough)."""
    found = (
        n for n, d in _of_kind(graph, RISK)
        if d["open"] and d["high"] and not _protected_by(graph, n, (FOLLOWED_UP_BY,))
    )
    return items(graph, found)


def orphan_controls(graph: nx.DiGraph) -> list[Item]:
    """Active egenkontroller that follow up no active risk: they protect nothing."""
    found = (n for n, d in _of_kind(graph, CONTROL) if d["active"] and not _linked_to_active_risk(graph, n))
    return items(graph, found)


def orphan_actions(graph: nx.DiGraph) -> list[Item]:
    """Åtgärder (not archived, not Avbruten) that handle no active risk."""
    found = (n for n, d in _of_kind(graph, ACTION) if d["active"] and not _linked_to_active_risk(graph, n))
    return items(graph, found)


def process_tree(graph: nx.DiGraph) -> list[tuple[Node, int]]:
    """Active processes depth-first (roots, then children by sort order and title), each with its depth."""
    nodes = graph.nodes

    def order(node: Node) -> tuple:
        data = nodes[node]
        unit_id = data["unit_id"]
        unit = (unit_id != graph.graph.get("unit_id"), title_key(graph.graph["unit_names"].get(unit_id, "")), unit_id)
        return (*unit, data["sort_order"], title_key(data["title"]), data["id"])

    def children(node: Node) -> list[Node]:
        found = [c for c, edge in graph.succ[node].items() if edge["kind"] == SUBPROCESS and nodes[c]["active"]]
        return sorted(found, key=order, reverse=True)

    roots = [
        n for n, d in _of_kind(graph, PROCESS)
        if d["active"] and not any(nodes[p]["kind"] == PROCESS and nodes[p]["active"] for p in graph.pred[n])
    ]
    result, stack = [], [(root, 0) for root in sorted(roots, key=order, reverse=True)]
    while stack:
        node, depth = stack.pop()
        result.append((node, depth))
        stack.extend((child, depth + 1) for child in children(node))
    return result


def _active_risks(graph: nx.DiGraph, process: Node) -> list[tuple[Node, dict]]:
    nodes = graph.nodes
    return [(r, nodes[r]) for r, edge in graph.succ[process].items() if edge["kind"] == HAS_RISK and nodes[r]["active"]]


def subtree_totals(graph: nx.DiGraph) -> Totals:
    """(active risks, open assessed risks, max, sum of riskvärde) per active process, its whole subtree included."""
    totals: Totals = {}
    nodes = graph.nodes
    for process, _depth in reversed(process_tree(graph)):
        risks = _active_risks(graph, process)
        scores = [d["score"] for _r, d in risks if d["open"] and d["score"] is not None]
        count, scored, high, total = len(risks), len(scores), max(scores, default=0), sum(scores)
        for child, edge in graph.succ[process].items():
            if edge["kind"] == SUBPROCESS and nodes[child]["active"]:
                c_count, c_scored, c_high, c_total = totals[child]
                count, scored, high, total = count + c_count, scored + c_scored, max(high, c_high), total + c_total
        totals[process] = (count, scored, high, total)
    return totals


def processes_without_risks(graph: nx.DiGraph, totals: Totals | None = None) -> list[Item]:
    """Active processes with no active risk anywhere in their subtree: no risk analysis at all."""
    totals = subtree_totals(graph) if totals is None else totals
    return items(graph, (node for node, (count, *_rest) in totals.items() if count == 0))


def exposure(graph: nx.DiGraph, totals: Totals | None = None) -> list[Exposure]:
    """Each active process with the max and sum of open riskvärden in its subtree, most exposed first."""
    entries = [
        Exposure(item(graph, node), high, total, scored)
        for node, (_count, scored, high, total) in (subtree_totals(graph) if totals is None else totals).items()
    ]
    return sorted(entries, key=lambda e: (-e.sum, -e.max, title_key(e.item.title), e.item.id))


def key_controls(graph: nx.DiGraph) -> list[KeyControl]:
    """Active egenkontroller following up at least one active risk, those covering the most first."""
    nodes = graph.nodes
    found = []
    for node, data in _of_kind(graph, CONTROL):
        if not data["active"]:
            continue
        risks = [risk for risk in graph.pred[node] if nodes[risk]["active"]]
        if risks:
            found.append(KeyControl(item(graph, node), len(risks), len({nodes[r]["process_id"] for r in risks})))
    return sorted(found, key=lambda k: (-k.risks, -k.processes, title_key(k.item.title), k.item.id))


def trace(graph: nx.DiGraph, process: Node) -> nx.DiGraph:
    """Everything that protects the process: its active subtree, their risks, and what covers those (a view)."""
    nodes = graph.nodes
    if process not in nodes or not nodes[process]["active"]:
        return graph.subgraph([])
    seen, stack = {process}, [process]
    while stack:
        for target in graph.succ[stack.pop()]:
            if target not in seen and nodes[target]["active"]:
                seen.add(target)
                stack.append(target)
    return graph.subgraph(seen)


def impact(graph: nx.DiGraph, control: Node) -> set[Node]:
    """The active risks an egenkontroll follows up, and every process whose subtree holds one of them."""
    nodes = graph.nodes
    if control not in nodes or not nodes[control]["active"]:
        return set()
    found = {risk for risk in graph.pred[control] if nodes[risk]["active"]}
    stack = list(found)
    while stack:
        for parent in graph.pred[stack.pop()]:
            if nodes[parent]["kind"] == PROCESS and nodes[parent]["active"] and parent not in found:
                found.add(parent)
                stack.append(parent)
    return found


def coverage(graph: nx.DiGraph) -> Coverage:
    """Every gap of the graph's unit and year, with the key egenkontroller and the exposure per process."""
    totals = subtree_totals(graph)
    return Coverage(
        year=graph.graph["year"],
        unit_id=graph.graph["unit_id"],
        uncovered_risks=uncovered_risks(graph),
        high_risks_without_control=high_risks_without_control(graph),
        orphan_controls=orphan_controls(graph),
        orphan_actions=orphan_actions(graph),
        processes_without_risks=processes_without_risks(graph, totals),
        key_controls=key_controls(graph),
        exposure=exposure(graph, totals),
    )
