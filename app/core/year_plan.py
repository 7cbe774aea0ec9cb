"""The plain, frozen data of one unit's year: what the export writes and the year page counts.

No database here: app.core.year_plan_loader loads it, the benchmark builds it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from app.core.year_diff import YearDiff
from app.models.enums import (
    ActionStatus,
    CheckOutcome,
    Frequency,
    PlanStatus,
    QualityArea,
    RiskStatus,
)

if TYPE_CHECKING:
    from app.core.heat_map import Grid
    from app.models.matrix import Level


@dataclass(frozen=True)
class Person:
    email: str
    name: str


@dataclass(frozen=True)
class CheckData:
    """A genomförd egenkontroll of the year."""

    ref: str
    performed_on: date
    outcome: CheckOutcome
    findings: str
    performed_by: Person | None

    @property
    def counts_as_performed(self) -> bool:
        return self.outcome is not CheckOutcome.NOT_PERFORMED


@dataclass(frozen=True)
class ControlData:
    id: int
    ref: str
    title: str
    description: str
    method: str
    frequency: Frequency
    responsible: Person | None
    is_archived: bool
    checks: tuple[CheckData, ...]  # those of the year, by date
    risk_refs: tuple[str, ...]
    unit_code: str = ""  # the unit it belongs to (the exported unit or one below it); "" in older snapshots

    @property
    def is_performed(self) -> bool:
        """Carried out in the year (◆): a check recorded as "Ej genomförd" does not count."""
        return any(check.counts_as_performed for check in self.checks)


@dataclass(frozen=True)
class ActionData:
    id: int
    ref: str
    title: str
    description: str
    responsible: Person | None
    start_year: int
    due_on: date | None
    status: ActionStatus
    follow_up: str
    completed_on: date | None
    is_archived: bool
    is_done: bool  # genomförd (✓) by the end of the year: a later completion does not change a closed year
    risk_refs: tuple[str, ...]
    unit_code: str = ""  # as ControlData.unit_code

    @property
    def is_open(self) -> bool:
        """Still to be done in the year: planned or in progress, or completed only after the year."""
        return self.status.is_open or (self.status is ActionStatus.DONE and not self.is_done)


@dataclass(frozen=True)
class AssessmentData:
    likelihood: int
    consequence: int
    status: RiskStatus
    comment: str
    level: Level

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence


@dataclass(frozen=True)
class RiskData:
    id: int
    ref: str
    title: str
    description: str
    quality_area: QualityArea | None
    is_archived: bool
    assessment: AssessmentData | None  # the year's, if the risk was assessed that year
    controls: tuple[ControlData, ...]  # linked, archived ones included
    actions: tuple[ActionData, ...]  # linked and visible in the year, archived ones included
    earlier_score: int | None = None  # riskvärde of its latest assessment before the year; None if none or unknown


@dataclass(frozen=True)
class ProcessData:
    id: int
    ref: str
    parent_ref: str | None
    title: str
    description: str
    owner: Person | None
    sort_order: int
    is_archived: bool
    depth: int
    risks: tuple[RiskData, ...]  # archived ones included
    unit_code: str = ""  # as ControlData.unit_code


@dataclass(frozen=True)
class MatrixData:
    """The year's risk matrix: scales, level bands, and the heat map counted as on the riskmatris page."""

    likelihood_labels: tuple[str, ...]
    consequence_labels: tuple[str, ...]
    levels: tuple[Level, ...]  # lowest first
    grid: Grid
    not_assessed: int


@dataclass(frozen=True)
class UnitData:
    """The unit of the plan or one below it, with the level bands of its own matrix for the year."""

    id: int
    code: str
    name: str
    levels: tuple[Level, ...]  # lowest first


@dataclass(frozen=True)
class PlanData:
    unit_code: str
    unit_name: str
    year: int
    status: PlanStatus | None  # None: no kvalitetsplan has been started for the year
    exported_at: datetime  # in the users' time zone
    matrix: MatrixData
    processes: tuple[ProcessData, ...]  # tree order, the unit's own first, then its sub-units'
    controls: tuple[ControlData, ...]
    actions: tuple[ActionData, ...]  # those visible in the year
    changes: YearDiff | None = None  # against the year before, for the Förändring sheet
    units: tuple[UnitData, ...] = ()  # the unit first, then those below it; () in older snapshots

    @cached_property
    def risks(self) -> tuple[RiskData, ...]:
        return tuple(risk for process in self.processes for risk in process.risks)


@dataclass(frozen=True)
class PlanSummary:
    """What the year page counts; archived items (and risks of archived processes) are left out."""

    processes: int
    risks_assessed: int
    risks_not_assessed: int
    controls_performed: int
    controls_not_performed: int
    actions_open: int
    actions_overdue: int
    actions_done: int


def summarize(plan: PlanData, today: date) -> PlanSummary:
    processes = [p for p in plan.processes if not p.is_archived]
    risks = [r for p in processes for r in p.risks if not r.is_archived]
    controls = [c for c in plan.controls if not c.is_archived]
    actions = [a for a in plan.actions if not a.is_archived]
    open_actions = [a for a in actions if a.is_open]
    assessed = sum(1 for r in risks if r.assessment)
    performed = sum(1 for c in controls if c.is_performed)
    return PlanSummary(
        processes=len(processes),
        risks_assessed=assessed,
        risks_not_assessed=len(risks) - assessed,
        controls_performed=performed,
        controls_not_performed=len(controls) - performed,
        actions_open=len(open_actions),
        actions_overdue=sum(1 for a in open_actions if a.due_on is not None and a.due_on < today),
        actions_done=sum(1 for a in actions if a.is_done),
    )
