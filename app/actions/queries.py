"""Reading åtgärder: list filters in SQL, a fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, case, exists, select
from sqlalchemy.orm import selectinload

from app.core.text import search_condition, swedish_order
from app.extensions import db
from app.models import Action, ActionStatus, Process, Risk, risk_actions

OPEN = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


@dataclass
class ActionFilter:
    """What the list of åtgärder is narrowed to; only the year and the readable units are required."""

    year: int
    unit_ids: set[int]
    process_id: int | None = None
    status: ActionStatus | None = None
    responsible_id: int | None = None
    overdue_on: date | None = None  # only open åtgärder past their due date on this day
    text: str = ""
    include_archived: bool = False


def action_list(criteria: ActionFilter) -> Select:
    """SELECT Action: open ones first by due date (the most pressing on top), then the rest."""
    is_closed = case((Action.status.in_(OPEN), 0), else_=1)
    statement = (
        select(Action)
        .where(Action.unit_id.in_(criteria.unit_ids), Action.is_visible_in(criteria.year))
        .options(
            selectinload(Action.responsible),
            selectinload(Action.unit),
            selectinload(Action.risks).selectinload(Risk.process),
        )
        .order_by(is_closed, Action.due_on.is_(None), Action.due_on, swedish_order(Action.title), Action.id)
    )
    return statement.where(*_conditions(criteria))


def _conditions(criteria: ActionFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not criteria.include_archived:
        conditions.append(Action.is_archived.is_(False))
    if criteria.process_id:
        conditions.append(
            exists().where(
                risk_actions.c.action_id == Action.id,
                risk_actions.c.risk_id == Risk.id,
                Risk.process_id == criteria.process_id,
            )
        )
    if criteria.status:
        conditions.append(Action.status == criteria.status)
    if criteria.responsible_id:
        conditions.append(Action.responsible_id == criteria.responsible_id)
    if criteria.overdue_on:
        conditions += [Action.status.in_(OPEN), Action.due_on < criteria.overdue_on]
    if criteria.text:
        conditions.append(search_condition([Action.title, Action.description, Action.follow_up], criteria.text))
    return conditions


def treated_risks(action: Action) -> list[Risk]:
    """The risks the åtgärd treats, with their processes, in process order."""
    return list(
        db.session.scalars(
            select(Risk)
            .join(risk_actions, risk_actions.c.risk_id == Risk.id)
            .join(Risk.process)
            .where(risk_actions.c.action_id == action.id)
            .options(selectinload(Risk.process))
            .order_by(Process.sort_order, swedish_order(Process.title), swedish_order(Risk.title))
        )
    )
