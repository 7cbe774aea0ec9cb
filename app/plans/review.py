"""Årsgenomgång: what the enhetschef goes through in November before the year is locked.

Read from the year's PlanData, the same read model as the year page and the export; the graph's coverage is built
from that same PlanData, so a page loads the year once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.analysis.load import coverage_from
from app.analysis.records import Coverage, Item
from app.core.text import swedish_key
from app.core.year_plan import (
    ActionData,
    AssessmentData,
    ControlData,
    PlanData,
    ProcessData,
    RiskData,
)
from app.core.year_plan_loader import load_plan_data
from app.models import Unit


@dataclass(frozen=True)
class ReviewRisk:
    """A risk of the year with the process it belongs to."""

    risk: RiskData
    process: ProcessData

    @property
    def id(self) -> int:
        return self.risk.id

    @property
    def title(self) -> str:
        return self.risk.title

    @property
    def assessment(self) -> AssessmentData | None:
        return self.risk.assessment


@dataclass(frozen=True)
class UnchangedAfterAction:
    """An åtgärd marked genomförd whose risk's riskvärde did not fall."""

    action: ActionData
    risk: RiskData
    before: int
    after: int


@dataclass
class YearReview:
    unit: Unit
    year: int
    open_risks: list[ReviewRisk] = field(default_factory=list)
    unassessed_risks: list[ReviewRisk] = field(default_factory=list)
    overdue_actions: list[ActionData] = field(default_factory=list)
    controls_not_performed: list[ControlData] = field(default_factory=list)
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
    """All six lists for the unit and its sub-units, in the read model's fixed number of queries."""
    return review_from(load_plan_data(unit, year), unit, today)


def review_from(plan: PlanData, unit: Unit, today: date) -> YearReview:
    """All six lists of a year already loaded; archived items, and risks of archived processes, are left out."""
    review = YearReview(unit, plan.year)
    risks = [ReviewRisk(r, p) for p in plan.processes if not p.is_archived for r in p.risks if not r.is_archived]
    # The same rule as the risk list's "Ej bedömd i år", the matrix page and the year's figures.
    review.open_risks = sorted(
        (r for r in risks if r.assessment is not None and r.assessment.status.is_open),
        key=lambda r: (-(r.assessment.score if r.assessment else 0), swedish_key(r.title)),
    )
    review.unassessed_risks = sorted((r for r in risks if r.assessment is None), key=lambda r: swedish_key(r.title))
    review.done_without_effect = _done_without_effect([r.risk for r in risks], plan.year)
    # Overdue as the year's figures count it: open at the end of the year and past its tidsplan today.
    review.overdue_actions = sorted(
        (a for a in plan.actions if not a.is_archived and a.is_open and a.due_on is not None and a.due_on < today),
        key=lambda a: a.due_on or date.max,
    )
    review.controls_not_performed = sorted(
        (c for c in plan.controls if not c.is_archived and not c.is_performed), key=lambda c: swedish_key(c.title)
    )
    review.coverage = coverage_from(plan)
    uncovered = {item.id for item in review.coverage.uncovered_risks}
    review.high_risks_unprotected = [
        item for item in review.coverage.high_risks_without_control if item.id in uncovered
    ]
    return review


def _done_without_effect(risks: list[RiskData], year: int) -> list[UnchangedAfterAction]:
    """Åtgärder completed this year whose risk scores no lower now than in the risk's previous assessed year."""
    found = []
    for risk in risks:
        before, now = risk.earlier_score, risk.assessment
        if now is None or before is None or now.score < before:
            continue
        for action in risk.actions:
            if action.completed_on is not None and action.completed_on.year == year:
                found.append(UnchangedAfterAction(action, risk, before, now.score))
    return sorted(found, key=lambda entry: (swedish_key(entry.risk.title), swedish_key(entry.action.title)))
