"""Rollover: the new year starts from what is still open. Idempotent, atomic (the caller commits once), audited."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core import audit
from app.core.errors import ValidationError
from app.core.services.assessments import assess_risk
from app.core.unit_year import assert_year_open, ensure_matrix, ensure_plan
from app.core.units import unit_subtree_ids
from app.core.years import validate_year
from app.extensions import db
from app.models import (
    Action,
    Assessment,
    Control,
    Process,
    Risk,
    RiskStatus,
    Unit,
    User,
)


@dataclass
class RolloverPreview:
    """What a rollover from from_year to to_year does, or did."""

    unit: Unit
    from_year: int
    to_year: int
    to_carry: list[Assessment] = field(default_factory=list)  # open in from_year, nothing yet in to_year
    already_carried: list[Risk] = field(default_factory=list)  # has a to_year assessment already
    left_behind: list[Assessment] = field(default_factory=list)  # Åtgärdad or Upphört in from_year
    not_assessed: list[Risk] = field(default_factory=list)  # no from_year assessment to carry
    open_actions: int = 0
    controls: int = 0

    @property
    def carried_count(self) -> int:
        return len(self.to_carry)

    @property
    def is_noop(self) -> bool:
        return not self.to_carry


def preview_rollover(unit: Unit, from_year: int, to_year: int) -> RolloverPreview:
    """Read-only: what would be carried over, in a fixed number of queries."""
    validate_year(from_year)
    validate_year(to_year)
    if to_year != from_year + 1:
        raise ValidationError("Överföring görs till året efter, t.ex. från 2025 till 2026.", field="to_year")
    unit_ids = unit_subtree_ids(unit.id)
    risks = db.session.scalars(
        select(Risk)
        .join(Risk.process)
        .where(Process.unit_id.in_(unit_ids), Risk.is_archived.is_(False), Process.is_archived.is_(False))
        .options(selectinload(Risk.assessments), selectinload(Risk.process).selectinload(Process.unit))
        .order_by(Risk.id)
    ).all()
    preview = RolloverPreview(unit, from_year, to_year)
    for risk in risks:
        source, target = risk.assessment_for(from_year), risk.assessment_for(to_year)
        if target is not None:
            preview.already_carried.append(risk)
        elif source is None:
            preview.not_assessed.append(risk)
        elif source.status.is_open:
            preview.to_carry.append(source)
        else:
            preview.left_behind.append(source)
    preview.open_actions = sum(
        1
        for action in db.session.scalars(
            select(Action).where(Action.unit_id.in_(unit_ids), Action.is_archived.is_(False))
        )
        if action.status.is_open and action.is_visible_in(to_year)
    )
    preview.controls = len(
        db.session.scalars(select(Control.id).where(Control.unit_id.in_(unit_ids), Control.is_archived.is_(False))).all()
    )
    return preview


def rollover(actor: User | None, unit: Unit, from_year: int, to_year: int) -> RolloverPreview:
    """Carry every open risk into to_year with status Kvarstår, copying its scores and comment."""
    preview = preview_rollover(unit, from_year, to_year)
    touched_units = {a.risk.process.unit for a in preview.to_carry} | {unit}
    for each in touched_units:
        assert_year_open(each.id, to_year)
    for each in sorted(touched_units, key=lambda u: u.id):
        # Plan and matrix first, so the new year's scale is a copy of the old year's before anything is scored.
        ensure_plan(actor, each, to_year)
        ensure_matrix(actor, each, to_year)
    for source in preview.to_carry:
        assess_risk(
            actor,
            source.risk,
            year=to_year,
            likelihood=source.likelihood,
            consequence=source.consequence,
            status=RiskStatus.CARRIED_OVER,
            comment=source.comment,
        )
    if not preview.is_noop:
        plan = ensure_plan(actor, unit, to_year)
        audit.record(
            actor,
            "rollover",
            plan,
            {"carried_over": [None, preview.carried_count], "left_behind": [None, len(preview.left_behind)],
             "year": [from_year, to_year]},
            unit_id=unit.id,
        )
    return preview
