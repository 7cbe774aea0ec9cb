"""Reading egenkontroller: list filters in SQL and each page's data in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, exists, select
from sqlalchemy.orm import selectinload

from app.core.text import search_condition, swedish_order
from app.extensions import db
from app.models import (
    Assessment,
    CheckOutcome,
    Control,
    ControlCheck,
    Process,
    Risk,
    risk_controls,
)


@dataclass
class ControlFilter:
    """What the list of egenkontroller is narrowed to; only the year and the readable units are required."""

    year: int
    unit_ids: set[int]
    process_id: int | None = None
    responsible_id: int | None = None
    not_performed: bool = False
    text: str = ""
    include_archived: bool = False


def control_list(criteria: ControlFilter) -> Select:
    """SELECT Control in Swedish order of title, with what a row shows preloaded."""
    statement = (
        select(Control)
        .where(Control.unit_id.in_(criteria.unit_ids))
        .options(selectinload(Control.responsible), selectinload(Control.unit), selectinload(Control.risks))
        .order_by(swedish_order(Control.title), Control.id)
    )
    return statement.where(*_conditions(criteria))


def _conditions(criteria: ControlFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not criteria.include_archived:
        conditions.append(Control.is_archived.is_(False))
    if criteria.process_id:
        conditions.append(
            exists().where(
                risk_controls.c.control_id == Control.id,
                risk_controls.c.risk_id == Risk.id,
                Risk.process_id == criteria.process_id,
            )
        )
    if criteria.responsible_id:
        conditions.append(Control.responsible_id == criteria.responsible_id)
    if criteria.not_performed:
        # A check recorded as "Ej genomförd" documents that it was skipped: the control is still not performed.
        conditions.append(
            ~exists().where(
                ControlCheck.control_id == Control.id,
                ControlCheck.year == criteria.year,
                ControlCheck.outcome != CheckOutcome.NOT_PERFORMED,
            )
        )
    if criteria.text:
        conditions.append(search_condition([Control.title, Control.description, Control.method], criteria.text))
    return conditions


def checks_in_year(control_ids: list[int], year: int) -> dict[int, list[ControlCheck]]:
    """Each control's checks of the year, oldest first; one query for a whole page."""
    found: dict[int, list[ControlCheck]] = {}
    if not control_ids:
        return found
    checks = db.session.scalars(
        select(ControlCheck)
        .where(ControlCheck.control_id.in_(control_ids), ControlCheck.year == year)
        .order_by(ControlCheck.performed_on, ControlCheck.id)
    )
    for check in checks:
        found.setdefault(check.control_id, []).append(check)
    return found


def all_checks(control: Control) -> list[ControlCheck]:
    """Every check of the control, newest first, with who performed it."""
    return list(
        db.session.scalars(
            select(ControlCheck)
            .where(ControlCheck.control_id == control.id)
            .options(selectinload(ControlCheck.performed_by))
            .order_by(ControlCheck.year.desc(), ControlCheck.performed_on.desc(), ControlCheck.id.desc())
        )
    )


def followed_risks(control: Control, year: int) -> list[tuple[Risk, Assessment | None]]:
    """The risks the control follows up, each with its assessment of the year, ordered by process and title."""
    this_year = and_(Assessment.risk_id == Risk.id, Assessment.year == year)
    rows = db.session.execute(
        select(Risk, Assessment)
        .join(risk_controls, risk_controls.c.risk_id == Risk.id)
        .join(Risk.process)
        .outerjoin(Assessment, this_year)
        .where(risk_controls.c.control_id == control.id)
        .options(selectinload(Risk.process))
        .order_by(Process.sort_order, swedish_order(Process.title), swedish_order(Risk.title))
    )
    return [(risk, assessment) for risk, assessment in rows]
