"""Everything a risk's page shows, loaded in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.history import events_for
from app.core.text import swedish_order
from app.core.unit_year import find_plan, matrix_for
from app.extensions import db
from app.models import (
    Action,
    Assessment,
    AuditEvent,
    Control,
    ControlCheck,
    Level,
    Risk,
    RiskMatrix,
)


@dataclass
class YearPoint:
    assessment: Assessment
    level: Level


@dataclass
class RiskPage:
    risk: Risk
    year: int
    matrix: RiskMatrix
    assessment: Assessment | None
    timeline: list[YearPoint]
    controls: list[Control]
    checks_this_year: dict[int, list[ControlCheck]]
    actions: list[Action]
    history: list[AuditEvent]
    is_year_locked: bool
    linkable_controls: list[Control]
    linkable_actions: list[Action]


def load_risk_page(risk: Risk, year: int) -> RiskPage:
    unit = risk.process.unit
    matrices = {
        m.year: m for m in db.session.scalars(select(RiskMatrix).where(RiskMatrix.unit_id == unit.id))
    }
    assessments = list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.risk_id == risk.id)
            .options(selectinload(Assessment.assessed_by))
            .order_by(Assessment.year)
        )
    )
    timeline = [
        YearPoint(a, (matrices.get(a.year) or matrix_for(unit, a.year)).level_for(a.score)) for a in assessments
    ]
    controls = list(
        db.session.scalars(
            select(Control).where(Control.risks.contains(risk)).options(selectinload(Control.responsible))
        )
    )
    checks = db.session.scalars(
        select(ControlCheck)
        .where(ControlCheck.control_id.in_([c.id for c in controls]), ControlCheck.year == year)
        .order_by(ControlCheck.performed_on)
    )
    checks_this_year: dict[int, list[ControlCheck]] = {}
    for check in checks:
        checks_this_year.setdefault(check.control_id, []).append(check)
    actions = list(
        db.session.scalars(
            select(Action).where(Action.risks.contains(risk)).options(selectinload(Action.responsible))
        )
    )
    plan = find_plan(unit.id, year)
    return RiskPage(
        risk=risk,
        year=year,
        matrix=matrices.get(year) or matrix_for(unit, year),
        assessment=next((a for a in assessments if a.year == year), None),
        timeline=timeline,
        controls=controls,
        checks_this_year=checks_this_year,
        actions=actions,
        history=events_for(("Risk", [risk.id]), ("Assessment", [a.id for a in assessments])),
        is_year_locked=bool(plan and plan.is_locked),
        linkable_controls=_unlinked(Control, unit.id, [c.id for c in controls]),
        linkable_actions=_unlinked(Action, unit.id, [a.id for a in actions]),
    )


def _unlinked(model, unit_id: int, linked_ids: list[int]) -> list:
    return list(
        db.session.scalars(
            select(model)
            .where(model.unit_id == unit_id, model.is_archived.is_(False), model.id.not_in(linked_ids))
            .order_by(swedish_order(model.title))
        )
    )
