"""Reading a unit subtree's register for one year into plain records: the only analysis module that queries.

Eight queries whatever the size of the register: units, matrices, processes, risks with the year's assessment,
egenkontroller, åtgärder, and the two link tables.
"""

from __future__ import annotations

from datetime import date

import networkx as nx
from sqlalchemy import and_, or_, select

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
from app.extensions import db
from app.models import (
    Action,
    Assessment,
    Control,
    Process,
    Risk,
    RiskMatrix,
    Unit,
    risk_actions,
    risk_controls,
)


def coverage_for(unit: Unit, year: int) -> Coverage:
    """The gaps, key egenkontroller and exposure of the unit and its sub-units in the year."""
    return coverage(load_graph(unit, year))


def load_graph(unit: Unit, year: int) -> nx.DiGraph:
    """The graph of the unit and its sub-units in the year (see app.analysis.graph for the rules)."""
    return build_graph(load_register(unit, year))


def load_register(unit: Unit, year: int) -> Register:
    """Plain records of the unit subtree and year, in a fixed number of queries."""
    names, unit_ids = _unit_subtree(unit.id)
    return Register(
        year=year,
        unit_id=unit.id,
        unit_names=names,
        bands=_bands(unit_ids, year),
        processes=[
            ProcessRecord(*row)
            for row in db.session.execute(
                select(
                    Process.id, Process.ref, Process.title, Process.unit_id, Process.parent_id,
                    Process.is_archived, Process.sort_order,
                ).where(Process.unit_id.in_(unit_ids))
            )
        ],
        risks=_risks(unit_ids, year),
        controls=[
            ControlRecord(*row)
            for row in db.session.execute(
                select(Control.id, Control.ref, Control.title, Control.unit_id, Control.is_archived).where(
                    Control.unit_id.in_(unit_ids)
                )
            )
        ],
        actions=_actions(unit_ids, year),
        control_links=_links(risk_controls, risk_controls.c.control_id, Control, unit_ids),
        action_links=_links(risk_actions, risk_actions.c.action_id, Action, unit_ids),
    )


def _unit_subtree(unit_id: int) -> tuple[dict[int, str], set[int]]:
    """Names of the unit and every unit below it; one query for all units, walked in memory."""
    rows = db.session.execute(select(Unit.id, Unit.parent_id, Unit.name)).all()
    children: dict[int | None, list[int]] = {}
    for row_id, parent_id, _name in rows:
        children.setdefault(parent_id, []).append(row_id)
    found, frontier = {unit_id}, [unit_id]
    while frontier:
        frontier = [child for parent in frontier for child in children.get(parent, []) if child not in found]
        found.update(frontier)
    return {row_id: name for row_id, _parent, name in rows if row_id in found}, found


def _bands(unit_ids: set[int], year: int) -> dict[int, list[Band]]:
    """Each unit's bands for the year: its matrix of that year, else of the latest earlier year (as matrix_for)."""
    rows = db.session.execute(
        select(RiskMatrix.unit_id, RiskMatrix.bands)
        .where(RiskMatrix.unit_id.in_(unit_ids), RiskMatrix.year <= year)
        .order_by(RiskMatrix.year)
    )
    latest = {unit_id: bands for unit_id, bands in rows}
    return {
        unit_id: [Band(band["name"], band["colour"], band["min"]) for band in bands]
        for unit_id, bands in latest.items()
    }


def _risks(unit_ids: set[int], year: int) -> list[RiskRecord]:
    this_year = and_(Assessment.risk_id == Risk.id, Assessment.year == year)
    rows = db.session.execute(
        select(
            Risk.id, Risk.ref, Risk.title, Risk.process_id, Risk.is_archived,
            Assessment.likelihood, Assessment.consequence, Assessment.status,
        )
        .join(Process, Risk.process_id == Process.id)
        .outerjoin(Assessment, this_year)
        .where(Process.unit_id.in_(unit_ids))
    )
    return [
        RiskRecord(
            risk_id, ref, title, process_id, is_archived,
            likelihood * consequence if likelihood is not None else None, status,
        )
        for risk_id, ref, title, process_id, is_archived, likelihood, consequence, status in rows
    ]


def _actions(unit_ids: set[int], year: int) -> list[ActionRecord]:
    """Åtgärder shown in the year: started by then and not completed before it (Action.is_visible_in)."""
    rows = db.session.execute(
        select(
            Action.id, Action.ref, Action.title, Action.unit_id, Action.status, Action.due_on, Action.is_archived
        ).where(
            Action.unit_id.in_(unit_ids),
            Action.start_year <= year,
            or_(Action.completed_on.is_(None), Action.completed_on >= date(year, 1, 1)),
        )
    )
    return [ActionRecord(*row) for row in rows]


def _links(table, other_column, model, unit_ids: set[int]) -> list[tuple[int, int]]:
    """(risk id, other id) pairs of a link table, for the other side's units (links never cross units)."""
    rows = db.session.execute(
        select(table.c.risk_id, other_column).join(model, model.id == other_column).where(model.unit_id.in_(unit_ids))
    )
    return [(risk_id, other_id) for risk_id, other_id in rows]
