"""Årsgenomgång: what the enhetschef goes through in November before the year is locked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.analysis.load import coverage_for
from app.analysis.records import Coverage, Item
from app.core.units import unit_subtree_ids
from app.extensions import db
from app.models import (
    Action,
    Assessment,
    CheckOutcome,
    Control,
    ControlCheck,
    Process,
    Risk,
    Unit,
)


@dataclass(frozen=True)
class UnchangedAfterAction:
    """An åtgärd marked genomförd whose risk's riskvärde did not fall."""

    action: Action
    risk: Risk
    before: int
    after: int


@dataclass
class YearReview:
    unit: Unit
    year: int
    open_risks: list[Assessment] = field(default_factory=list)
    unassessed_risks: list[Risk] = field(default_factory=list)
    overdue_actions: list[Action] = field(default_factory=list)
    controls_not_performed: list[Control] = field(default_factory=list)
    high_risks_unprotected: list[Item] = field(default_factory=list)
    done_without_effect: list[UnchangedAfterAction] = field(default_factory=list)
    coverage: Coverage | None = None

    def counts(self) -> dict[str, int]:
        """Each list's size, for the unit's year page."""
        return {
            "Öppna risker": len(self.open_risks),
            "Risker utan bedömning i år": len(self.unassessed_risks),
            "Försenade åtgärder": len(self.overdue_actions),
            "Egenkontroller som inte är genomförda": len(self.controls_not_performed),
            "Höga risker utan egenkontroll och åtgärd": len(self.high_risks_unprotected),
            "Genomförda åtgärder utan sänkt riskvärde": len(self.done_without_effect),
        }


def load_review(unit: Unit, year: int, today: date) -> YearReview:
    """All six lists for the unit and its sub-units, in a fixed number of queries."""
    unit_ids = unit_subtree_ids(unit.id)
    review = YearReview(unit, year)
    risks = db.session.scalars(
        select(Risk)
        .join(Risk.process)
        .where(Process.unit_id.in_(unit_ids), Risk.is_archived.is_(False), Process.is_archived.is_(False))
        .options(selectinload(Risk.assessments), selectinload(Risk.process), selectinload(Risk.actions))
    ).all()
    for risk in risks:
        this_year = risk.assessment_for(year)
        if this_year is not None and this_year.status.is_open:
            review.open_risks.append(this_year)
        # The same rule as the risk list's "Ej bedömd i år", the matrix page and the year's figures.
        if this_year is None:
            review.unassessed_risks.append(risk)
    review.open_risks.sort(key=lambda a: (-a.score, a.risk.title))
    review.unassessed_risks.sort(key=lambda r: r.title)
    review.done_without_effect = _done_without_effect(risks, year)

    actions = db.session.scalars(
        select(Action)
        .where(Action.unit_id.in_(unit_ids), Action.is_archived.is_(False), Action.due_on < today)
        .options(selectinload(Action.responsible))
        .order_by(Action.due_on)
    ).all()
    review.overdue_actions = [a for a in actions if a.is_overdue(today) and a.is_visible_in(year)]

    performed = select(ControlCheck.control_id).where(
        ControlCheck.year == year, ControlCheck.outcome != CheckOutcome.NOT_PERFORMED
    )
    review.controls_not_performed = list(
        db.session.scalars(
            select(Control)
            .where(Control.unit_id.in_(unit_ids), Control.is_archived.is_(False), Control.id.not_in(performed))
            .options(selectinload(Control.responsible))
            .order_by(Control.title)
        )
    )
    review.coverage = coverage_for(unit, year)
    uncovered = {item.id for item in review.coverage.uncovered_risks}
    review.high_risks_unprotected = [
        item for item in review.coverage.high_risks_without_control if item.id in uncovered
    ]
    return review


def _done_without_effect(risks: list[Risk], year: int) -> list[UnchangedAfterAction]:
    """Åtgärder completed this year whose risk scores no lower now than in the risk's previous assessed year."""
    found = []
    for risk in risks:
        now = risk.assessment_for(year)
        earlier = [a for a in risk.assessments if a.year < year]
        if now is None or not earlier:
            continue
        for action in risk.actions:
            completed = action.completed_on
            if completed is not None and completed.year == year and now.score >= earlier[-1].score:
                found.append(UnchangedAfterAction(action, risk, earlier[-1].score, now.score))
    return sorted(found, key=lambda entry: (entry.risk.title, entry.action.title))
