"""The graph as an outline for a table: each process, its risks, and what covers each risk (pure, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from app.analysis.graph import ACTION, CONTROL, HAS_RISK, items, process_tree
from app.analysis.records import Item, Node


@dataclass(frozen=True)
class RiskRow:
    risk: Item
    controls: list[Item]
    actions: list[Item]
    gap: str | None


@dataclass(frozen=True)
class ProcessRow:
    process: Item
    depth: int
    risks: list[RiskRow]
    gap: str | None


def outline(graph: nx.DiGraph, gaps: dict[Node, str] | None = None) -> list[ProcessRow]:
    """Active processes in tree order, their active risks riskiest first, and what covers each; gap says why."""
    gaps = gaps or {}
    nodes = graph.nodes
    rows = []
    for process, depth in process_tree(graph):
        risks = [r for r, edge in graph.succ[process].items() if edge["kind"] == HAS_RISK and nodes[r]["active"]]
        risk_rows = []
        for risk in items(graph, risks):
            covering = [c for c in graph.succ[risk.node] if nodes[c]["active"]]
            risk_rows.append(
                RiskRow(
                    risk,
                    items(graph, (c for c in covering if c[0] == CONTROL)),
                    items(graph, (c for c in covering if c[0] == ACTION)),
                    gaps.get(risk.node),
                )
            )
        rows.append(ProcessRow(items(graph, [process])[0], depth, risk_rows, gaps.get(process)))
    return rows
