"""A unit's skyddsgraf for a year (what protects what, and the gaps) and one process's trace; read-only pages."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from markupsafe import Markup

from app.analysis import graph as analysis
from app.analysis.load import load_graph
from app.analysis.outline import outline
from app.analysis.records import GAPS, Item
from app.analysis.svg import render_svg
from app.units import blueprint
from app.web.access import get_process_or_404, get_unit_or_404
from app.web.routing import requested_year

DETAIL_ENDPOINTS = {
    analysis.PROCESS: ("processes.detail", "process_id"),
    analysis.RISK: ("risks.detail", "risk_id"),
    analysis.CONTROL: ("controls.detail", "control_id"),
    analysis.ACTION: ("actions.detail", "action_id"),
}
TOP = 10


def node_url(item: Item, year: int) -> str:
    """The page of a graph node, in the year shown."""
    endpoint, argument = DETAIL_ENDPOINTS[item.kind]
    values: dict[str, Any] = {argument: item.id, "ar": year}
    return url_for(endpoint, **values)


@blueprint.get("/<id:unit_id>/graf")
def graph(unit_id: int):
    unit = get_unit_or_404(unit_id)
    year = requested_year(request.args)
    register_graph = load_graph(unit, year)
    coverage = analysis.coverage(register_graph)
    gaps = coverage.gap_reasons()
    svg = render_svg(
        register_graph,
        href=lambda item: node_url(item, year),
        gaps=gaps,
        title=f"Skyddsgraf {year} för {unit.name}: processer, risker, egenkontroller och åtgärder",
    )
    return render_template(
        "units/graph.html",
        unit=unit,
        year=year,
        coverage=coverage,
        gap_headings={key: heading for key, (heading, _reason) in GAPS.items()},
        svg=Markup(svg),
        rows=outline(register_graph, gaps),
        bands=register_graph.graph["bands"],
        unit_names=register_graph.graph["unit_names"],
        node_url=lambda item: node_url(item, year),
        trace_url=lambda item: url_for("units.trace", unit_id=unit.id, process_id=item.id, ar=year),
        top=TOP,
    )


@blueprint.get("/<id:unit_id>/graf/process/<id:process_id>")
def trace(unit_id: int, process_id: int):
    unit = get_unit_or_404(unit_id)
    process = get_process_or_404(process_id)
    year = requested_year(request.args)
    register_graph = load_graph(unit, year)
    node = (analysis.PROCESS, process.id)
    if node not in register_graph:
        abort(404)  # a process outside the unit and its sub-units
    traced = analysis.trace(register_graph, node)
    gaps = {gap: why for gap, why in analysis.coverage(register_graph).gap_reasons().items() if gap in traced}
    svg = render_svg(
        traced,
        href=lambda item: node_url(item, year),
        gaps=gaps,
        title=f"Det som skyddar processen {process.title} {year}",
        svg_id="spar",
    )
    counts = {kind: sum(1 for other in traced if other[0] == kind) for kind in DETAIL_ENDPOINTS}
    return render_template(
        "units/trace.html",
        unit=unit,
        process=process,
        year=year,
        svg=Markup(svg),
        rows=outline(traced, gaps),
        counts=counts,
        gap_count=len(gaps),
        bands=register_graph.graph["bands"],
        node_url=lambda item: node_url(item, year),
    )
