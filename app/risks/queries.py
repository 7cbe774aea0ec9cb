"""Reading risks for lists: filters in SQL, a fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, exists, false, or_, select
from sqlalchemy.orm import selectinload

from app.core.process_tree import plan_ranks
from app.core.text import search_condition
from app.core.unit_year import matrices_for
from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    Assessment,
    Process,
    Risk,
    RiskStatus,
    risk_actions,
)

NOT_ASSESSED = "ej-bedomd"
BY_SCORE = "riskvarde"  # the list sorted by riskvärde, highest first, instead of in the plan's order


@dataclass
class RiskFilter:
    """What the risk list is narrowed to; every field is optional except the year and the readable units."""

    year: int
    unit_ids: set[int]
    process_id: int | None = None
    status: str | None = None  # a RiskStatus value, or NOT_ASSESSED
    level: str | None = None  # a level name of the year's matrix, e.g. "Hög"
    owner_id: int | None = None
    overdue_on: date | None = None  # only risks with an åtgärd past due on this day
    likelihood: int | None = None
    consequence: int | None = None
    text: str = ""
    include_archived: bool = False
    by_score: bool = False  # highest riskvärde first; otherwise the plan's order (processes, then their risks)


def risk_rows(criteria: RiskFilter) -> Select:
    """SELECT (Risk, Assessment-of-the-year or None) in the plan's order (or by riskvärde when asked), with what a
    row shows preloaded."""
    this_year = and_(Assessment.risk_id == Risk.id, Assessment.year == criteria.year)
    statement = (
        select(Risk, Assessment)
        .join(Risk.process)
        .outerjoin(Assessment, this_year)
        .where(Process.unit_id.in_(criteria.unit_ids))
        .options(
            selectinload(Risk.process).selectinload(Process.owner),
            selectinload(Risk.process).selectinload(Process.unit),
            selectinload(Risk.controls),
            selectinload(Risk.actions),
        )
    )
    score = (Assessment.likelihood * Assessment.consequence).desc().nulls_last()
    plan_order = [*_process_rank(criteria.unit_ids), Risk.sort_order, Risk.id]
    if criteria.by_score:
        statement = statement.order_by(score, *plan_order)
    else:
        statement = statement.order_by(*plan_order)
    return statement.where(*_conditions(criteria))


def _process_rank(unit_ids: set[int]) -> list[ColumnElement[int]]:
    """The risk's process's place in the plan's order (app.core.process_tree), as SQL (none without processes);
    one query."""
    processes = list(
        db.session.scalars(select(Process).where(Process.unit_id.in_(unit_ids)).options(selectinload(Process.unit)))
    )
    ranks = plan_ranks(processes)
    return [case(ranks, value=Process.id, else_=len(ranks))] if ranks else []


def _conditions(criteria: RiskFilter) -> list[ColumnElement[bool]]:
    score = Assessment.likelihood * Assessment.consequence
    conditions: list[ColumnElement[bool]] = []
    if not criteria.include_archived:
        conditions += [Risk.is_archived.is_(False), Process.is_archived.is_(False)]
    if criteria.process_id:
        conditions.append(Risk.process_id == criteria.process_id)
    if criteria.owner_id:
        conditions.append(Process.owner_id == criteria.owner_id)
    if criteria.status == NOT_ASSESSED:
        conditions.append(Assessment.id.is_(None))
    elif criteria.status:
        conditions.append(Assessment.status == RiskStatus(criteria.status))
    if criteria.likelihood:
        conditions.append(Assessment.likelihood == criteria.likelihood)
    if criteria.consequence:
        conditions.append(Assessment.consequence == criteria.consequence)
    if criteria.level:
        conditions.append(_level_condition(criteria, criteria.level, score))
    if criteria.overdue_on:
        conditions.append(
            exists().where(
                risk_actions.c.risk_id == Risk.id,
                risk_actions.c.action_id == Action.id,
                Action.status.in_([ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]),
                Action.due_on < criteria.overdue_on,
                Action.is_archived.is_(False),
            )
        )
    if criteria.text:
        conditions.append(search_condition([Risk.title, Risk.description], criteria.text))
    return conditions


def _level_condition(criteria: RiskFilter, level_name: str, score: ColumnElement[int]) -> ColumnElement[bool]:
    """Levels are bands of each unit's own matrix, so the score range differs per unit."""
    ranges = []
    for unit_id, matrix in matrices_for(criteria.unit_ids, criteria.year).items():
        in_level = matrix.in_level(level_name, score)
        if in_level is not None:
            ranges.append(and_(Process.unit_id == unit_id, in_level))
    return or_(*ranges) if ranges else false()
