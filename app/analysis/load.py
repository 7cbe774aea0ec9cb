"""The register of a unit subtree and year as analysis' plain records, read from the core's read model.

The graph asks the database nothing of its own: ``register_from(plan)`` turns the PlanData that the year page, the
export and the Årsgenomgång read into records, so every reader follows the same rules (the year's matrix, which
åtgärder are visible in the year, score → level). ``load_*`` and ``coverage_for`` load that PlanData first.
"""

from __future__ import annotations

import networkx as nx

from app.analysis.graph import build_graph, coverage
from app.analysis.records import (
    ActionRecord,
    Band,
    ControlRecord,
    Coverage,
    ProcessRecord,
    Register,
    RiskRecord,
)
from app.core.year_plan import PlanData
from app.core.year_plan_loader import load_plan_data
from app.models import Unit


def coverage_for(unit: Unit, year: int) -> Coverage:
    """The gaps, key egenkontroller and exposure of the unit and its sub-units in the year."""
    return coverage(load_graph(unit, year))


def load_graph(unit: Unit, year: int) -> nx.DiGraph:
    """The graph of the unit and its sub-units in the year (see app.analysis.graph for the rules)."""
    return build_graph(load_register(unit, year))


def load_register(unit: Unit, year: int) -> Register:
    """Plain records of the unit subtree and year, in the read model's fixed number of queries."""
    return register_from(load_plan_data(unit, year))


def coverage_from(plan: PlanData) -> Coverage:
    """The coverage of a year already loaded, for a page that reads the same PlanData for other things."""
    return coverage(build_graph(register_from(plan)))


def register_from(plan: PlanData) -> Register:
    """Analysis' records of a loaded year; needs the plan's units (a PlanData from load_plan_data has them)."""
    unit_ids = {unit.code: unit.id for unit in plan.units}
    process_ids = {process.ref: process.id for process in plan.processes}
    risks = [(process, risk) for process in plan.processes for risk in process.risks]
    return Register(
        year=plan.year,
        unit_id=unit_ids[plan.unit_code],
        unit_names={unit.id: unit.name for unit in plan.units},
        bands={unit.id: [Band(level.name, level.colour, level.lower) for level in unit.levels] for unit in plan.units},
        processes=[
            ProcessRecord(
                p.id, p.ref, p.title, unit_ids[p.unit_code], process_ids.get(p.parent_ref) if p.parent_ref else None,
                p.is_archived, p.sort_order,
            )
            for p in plan.processes
        ],
        risks=[
            RiskRecord(
                r.id, r.ref, r.title, p.id, r.is_archived,
                r.assessment.score if r.assessment else None, r.assessment.status if r.assessment else None,
            )
            for p, r in risks
        ],
        controls=[ControlRecord(c.id, c.ref, c.title, unit_ids[c.unit_code], c.is_archived) for c in plan.controls],
        actions=[
            ActionRecord(a.id, a.ref, a.title, unit_ids[a.unit_code], a.status, a.due_on, a.is_archived)
            for a in plan.actions
        ],
        control_links=[(r.id, c.id) for _p, r in risks for c in r.controls],
        action_links=[(r.id, a.id) for _p, r in risks for a in r.actions],
    )
