"""Drawing the graph as SVG on the server: a small layered layout, left to right, no JavaScript (pure, no Flask).

Layers: processes (sub-processes indented under their parent, as an outline) → risks → egenkontroller and åtgärder.
Each process starts a row band holding its own risks; an egenkontroll or åtgärd sits at the mean height of the risks
it covers, pushed down just enough not to overlap (a barycentre layout), and one covering nothing goes last.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypedDict
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from app.analysis.graph import (
    ACTION,
    CONTROL,
    HANDLED_BY,
    PROCESS,
    RISK,
    SUBPROCESS,
    item,
    process_tree,
)
from app.analysis.records import Item, Node
from app.core.text import swedish_key

ROW, BOX_HEIGHT, INDENT, MARGIN, HEADER = 34, 24, 22, 12, 34
PROCESS_WIDTH, RISK_WIDTH, COVER_WIDTH, GUTTER = 210, 250, 250, 90
CHARS_PER_PIXEL = 1 / 7.2  # 12px system sans-serif, with room to spare for wide letters
GAP_COLOUR = "#c62828"


class _Style(TypedDict):
    fill: str
    stroke: str
    rx: int


STYLES: dict[str, _Style] = {
    PROCESS: {"fill": "#e8eef5", "stroke": "#4a6580", "rx": 3},
    CONTROL: {"fill": "#e3f2fd", "stroke": "#1565c0", "rx": 12},
    ACTION: {"fill": "#f3e5f5", "stroke": "#6a1b9a", "rx": 0},
}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
KIND_LABELS = {PROCESS: "Process", RISK: "Risk", CONTROL: "Egenkontroll", ACTION: "Åtgärd"}
EDGE_COLOURS = {SUBPROCESS: "#8a9bb0", "risk": "#8a9bb0", "följs upp av": "#1565c0", HANDLED_BY: "#6a1b9a"}


@dataclass(frozen=True)
class Box:
    node: Node
    x: float
    y: float
    width: float


def layout(graph: nx.DiGraph) -> tuple[dict[Node, Box], float, float]:
    """Positions of the active nodes, and the drawing's width and height."""
    nodes = graph.nodes
    tree = process_tree(graph)
    deepest = max((depth for _node, depth in tree), default=0)
    risk_x = MARGIN + PROCESS_WIDTH + deepest * INDENT + GUTTER
    cover_x = risk_x + RISK_WIDTH + GUTTER
    boxes: dict[Node, Box] = {}
    risk_rows: dict[Node, int] = {}
    row = 0
    for process, depth in tree:
        boxes[process] = Box(process, MARGIN + depth * INDENT, _y(row), PROCESS_WIDTH)
        risks = [r for r in graph.succ[process] if nodes[r]["kind"] == RISK and nodes[r]["active"]]
        risks.sort(key=lambda r: (-(nodes[r]["score"] or 0), swedish_key(nodes[r]["title"]), r[1]))
        for offset, risk in enumerate(risks):
            risk_rows[risk] = row + offset
            boxes[risk] = Box(risk, risk_x, _y(row + offset), RISK_WIDTH)
        row += max(1, len(risks))
    covers = []
    for node, data in graph.nodes(data=True):
        if data["kind"] in (CONTROL, ACTION) and data["active"]:
            rows = [risk_rows[r] for r in graph.pred[node] if r in risk_rows]
            # Covering nothing drawn: after everything else.
            wanted = sum(rows) / len(rows) if rows else float(row)
            covers.append((not rows, wanted, data["kind"] != CONTROL, swedish_key(data["title"]), node))
    place = -1.0
    for _orphan, wanted, _is_action, _title, node in sorted(covers):
        place = max(place + 1, wanted)
        boxes[node] = Box(node, cover_x, _y(place), COVER_WIDTH)
    row = max(row, int(place) + 1)
    width = cover_x + COVER_WIDTH + MARGIN
    return boxes, width, _y(row) + MARGIN


def _y(row: float) -> float:
    return HEADER + MARGIN + row * ROW


def render_svg(
    graph: nx.DiGraph,
    *,
    href: Callable[[Item], str],
    gaps: dict[Node, str] | None = None,
    title: str = "Graf",
    svg_id: str = "graf",
) -> str:
    """The active part of the graph as an SVG element; every node a link, gaps (node → why) outlined in red dashes."""
    gaps = gaps or {}
    boxes, width, height = layout(graph)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph-svg" id="{svg_id}" role="group"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}"'
        f' aria-labelledby="{svg_id}-titel" font-family="system-ui, sans-serif" font-size="12"'
        # Shrinks with a narrow page down to a legible size, then the container scrolls.
        ' style="max-width: 100%; height: auto; min-width: 640px">',
        f'<title id="{svg_id}-titel">{escape(title)}</title>',
        _headings(boxes),
    ]
    edges: Iterable[tuple[Node, Node, str]] = graph.edges(data="kind")
    parts += [_edge(boxes[u], boxes[v], kind) for u, v, kind in edges if u in boxes and v in boxes]
    parts += [_node(graph, box, href, gaps.get(box.node)) for box in boxes.values()]
    parts.append("</svg>")
    return "\n".join(parts)


def _headings(boxes: dict[Node, Box]) -> str:
    columns: dict[str, float] = {}
    for box in boxes.values():
        kind = box.node[0]
        key = "covers" if kind in (CONTROL, ACTION) else kind
        columns[key] = min(columns.get(key, box.x), box.x)
    labels = {PROCESS: "Processer", RISK: "Risker", "covers": "Egenkontroller och åtgärder"}
    return "".join(
        f'<text x="{x:.0f}" y="{MARGIN + 14}" font-weight="bold" fill="#333">{labels[key]}</text>'
        for key, x in columns.items()
    )


def _edge(source: Box, target: Box, kind: str) -> str:
    colour = EDGE_COLOURS.get(kind, "#999")
    if kind == SUBPROCESS:
        # An outline connector: down from the parent's left edge, then across to the child.
        x, top, bottom = source.x + 10, source.y + BOX_HEIGHT, target.y + BOX_HEIGHT / 2
        path = f"M{x:.1f} {top:.1f} V{bottom:.1f} H{target.x:.1f}"
    else:
        x1, y1 = source.x + source.width, source.y + BOX_HEIGHT / 2
        x2, y2 = target.x, target.y + BOX_HEIGHT / 2
        middle = (x1 + x2) / 2
        path = f"M{x1:.1f} {y1:.1f} C{middle:.1f} {y1:.1f} {middle:.1f} {y2:.1f} {x2:.1f} {y2:.1f}"
    dash = ' stroke-dasharray="5 3"' if kind == HANDLED_BY else ""
    return (
        f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.3"{dash} class="edge"'
        f" data-kind={quoteattr(str(kind))}/>"
    )


def _node(graph: nx.DiGraph, box: Box, href: Callable[[Item], str], gap: str | None) -> str:
    shown = item(graph, box.node)
    fill, stroke, rx, text_colour = _colours(shown)
    label = shown.title if shown.kind != RISK else f"{shown.score if shown.score is not None else '–'} · {shown.title}"
    full = _describe(shown) + (f" – {gap}" if gap else "")
    faded = ' opacity="0.6"' if shown.kind == RISK and shown.status is not None and not shown.status.is_open else ""
    outline = (
        f'<rect class="gap-outline" x="{box.x - 3:.1f}" y="{box.y - 3:.1f}" width="{box.width + 6:.0f}"'
        f' height="{BOX_HEIGHT + 6}" rx="{rx + 2}" fill="none" stroke="{GAP_COLOUR}" stroke-width="2.5"'
        ' stroke-dasharray="6 3"/>'
        if gap
        else ""
    )
    return (
        f'<a href={quoteattr(href(shown))} aria-label={quoteattr(full)} class="node node-{shown.kind}"{faded}>'
        f"<title>{escape(full)}</title>{outline}"
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.0f}" height="{BOX_HEIGHT}" rx="{rx}"'
        f' fill="{fill}" stroke="{stroke}" stroke-width="1.2"/>'
        f'<text x="{box.x + 8:.1f}" y="{box.y + BOX_HEIGHT / 2 + 4:.1f}" fill="{text_colour}">'
        f"{escape(truncate(label, int((box.width - 14) * CHARS_PER_PIXEL)))}</text></a>"
    )


def _colours(shown: Item) -> tuple[str, str, int, str]:
    """Fill, stroke, corner radius and text colour: a risk takes its level's colour from the year's matrix."""
    if shown.kind == RISK:
        if shown.level is None or not _COLOUR.match(shown.level.colour):
            return "#ffffff", "#757575", 3, "#222222"
        return shown.level.colour, "#333333", 3, text_on(shown.level.colour)
    style = STYLES[shown.kind]
    return style["fill"], style["stroke"], style["rx"], "#1a1a1a"


def _describe(shown: Item) -> str:
    """The full text of a node's tooltip and link label."""
    text = f"{KIND_LABELS[shown.kind]}: {shown.title}"
    if shown.kind == RISK:
        text += f" (riskvärde {shown.score}, {shown.level.name})" if shown.level else " (ej bedömd i år)"
    if shown.status is not None:
        text += f", {shown.status.label.lower()}"
    return text


def truncate(text: str, limit: int) -> str:
    """The text cut to limit characters with an ellipsis; the tooltip keeps the whole."""
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def text_on(colour: str) -> str:
    """Black or white text on a level colour (the same rule as the templates' text_on filter)."""
    colour = colour.lstrip("#")
    if len(colour) != 6:
        return "#000000"
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"
