"""Everything a unit's year holds, loaded once into plain frozen data: what the export writes and the year page counts.

The data classes need no database (the benchmark builds them by hand); load_plan_data reads them in a fixed number
of queries, however many processes, risks, egenkontroller and åtgärder there are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property

from sqlalchemy import or_, select

from app.extensions import db
from app.main.overview import process_tree
from app.models import (
    Action,
    ActionStatus,
    Assessment,
    CheckOutcome,
    Control,
    ControlCheck,
    Frequency,
    Level,
    PlanStatus,
    Process,
    QualityArea,
    Risk,
    RiskMatrix,
    RiskStatus,
    Unit,
    User,
    risk_actions,
    risk_controls,
)
from app.plans.services import find_plan, matrix_for
from app.sorting import swedish_key
from app.units.matrix import Grid, build_grid
from app.units.services import unit_subtree_ids
from app.years import local_time


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


@dataclass(frozen=True)
class MatrixData:
    """The year's risk matrix: scales, level bands, and the heat map counted as on the riskmatris page."""

    likelihood_labels: tuple[str, ...]
    consequence_labels: tuple[str, ...]
    levels: tuple[Level, ...]  # lowest first
    grid: Grid
    not_assessed: int


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
    open_actions = [a for a in actions if a.status.is_open and not a.is_done]
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


def load_plan_data(unit: Unit, year: int) -> PlanData:
    """The unit's year with its sub-units'; the number of queries depends on nothing but the depth of units."""
    unit_ids = unit_subtree_ids(unit.id)
    matrix = matrix_for(unit, year)
    plan = find_plan(unit.id, year)
    processes = list(db.session.scalars(select(Process).where(Process.unit_id.in_(unit_ids))))
    risks = list(db.session.scalars(select(Risk).join(Risk.process).where(Process.unit_id.in_(unit_ids))))
    assessments = {
        a.risk_id: a
        for a in db.session.scalars(
            select(Assessment).join(Risk).join(Process).where(Process.unit_id.in_(unit_ids), Assessment.year == year)
        )
    }
    controls = list(db.session.scalars(select(Control).where(Control.unit_id.in_(unit_ids)).order_by(Control.id)))
    checks = list(
        db.session.scalars(
            select(ControlCheck)
            .join(Control)
            .where(Control.unit_id.in_(unit_ids), ControlCheck.year == year)
            .order_by(ControlCheck.performed_on, ControlCheck.id)
        )
    )
    actions = [
        action
        for action in db.session.scalars(
            select(Action)
            .where(
                Action.unit_id.in_(unit_ids),
                Action.start_year <= year,
                or_(Action.completed_on.is_(None), Action.completed_on >= date(year, 1, 1)),
            )
            .order_by(Action.id)
        )
        if action.is_visible_in(year)
    ]
    control_links = _links(risk_controls, risk_controls.c.control_id, Control, unit_ids)
    action_links = _links(risk_actions, risk_actions.c.action_id, Action, unit_ids)
    people = _people(processes, controls, checks, actions)

    risk_refs = {risk.id: risk.ref for risk in risks}
    control_refs, action_refs = _refs(control_links, risk_refs), _refs(action_links, risk_refs)
    checks_by_control: dict[int, list[CheckData]] = {}
    for check in checks:
        checks_by_control.setdefault(check.control_id, []).append(
            CheckData(check.ref, check.performed_on, check.outcome, check.findings, people.get(check.performed_by_id))
        )
    control_data = {
        c.id: ControlData(
            c.id, c.ref, c.title, c.description, c.method, c.frequency, people.get(c.responsible_id), c.is_archived,
            tuple(checks_by_control.get(c.id, ())), control_refs.get(c.id, ()),
        )
        for c in controls
    }
    action_data = {
        a.id: ActionData(
            a.id, a.ref, a.title, a.description, people.get(a.responsible_id), a.start_year, a.due_on, a.status,
            a.follow_up, a.completed_on, a.is_archived, _done_by(a, year), action_refs.get(a.id, ()),
        )
        for a in actions
    }
    controls_of = _by_risk(control_links, control_data)
    actions_of = _by_risk(action_links, action_data)
    risks_of: dict[int, list[RiskData]] = {}
    for risk in sorted(risks, key=lambda r: r.id):
        assessment = assessments.get(risk.id)
        risks_of.setdefault(risk.process_id, []).append(
            RiskData(
                risk.id, risk.ref, risk.title, risk.description, risk.quality_area, risk.is_archived,
                _assessment(assessment, matrix) if assessment else None,
                tuple(controls_of.get(risk.id, ())), tuple(actions_of.get(risk.id, ())),
            )
        )
    process_data = _process_tree(unit, unit_ids, processes, risks_of, people)
    return PlanData(
        unit_code=unit.code,
        unit_name=unit.name,
        year=year,
        status=plan.status if plan else None,
        exported_at=local_time(datetime.now(UTC)),
        matrix=_matrix_data(matrix, process_data),
        processes=process_data,
        controls=tuple(control_data.values()),
        actions=tuple(action_data.values()),
    )


def _links(table, item_column, model, unit_ids: set[int]) -> list[tuple[int, int]]:
    """(risk id, item id) pairs of the units' egenkontroller or åtgärder, by item then risk."""
    return [
        (risk_id, item_id)
        for risk_id, item_id in db.session.execute(
            select(table.c.risk_id, item_column)
            .join(model, model.id == item_column)
            .where(model.unit_id.in_(unit_ids))
            .order_by(item_column, table.c.risk_id)
        )
    ]


def _people(processes, controls, checks, actions) -> dict[int, Person]:
    ids = {p.owner_id for p in processes} | {c.responsible_id for c in controls}
    ids |= {c.performed_by_id for c in checks} | {a.responsible_id for a in actions}
    ids.discard(None)
    if not ids:
        return {}
    return {u.id: Person(u.email, u.name) for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _refs(links: list[tuple[int, int]], risk_refs: dict[int, str]) -> dict[int, tuple[str, ...]]:
    """Per item: the refs of its linked risks, in risk order."""
    found: dict[int, list[str]] = {}
    for risk_id, item_id in links:
        if risk_id in risk_refs:
            found.setdefault(item_id, []).append(risk_refs[risk_id])
    return {item_id: tuple(refs) for item_id, refs in found.items()}


def _by_risk(links: list[tuple[int, int]], items: dict) -> dict[int, list]:
    found: dict[int, list] = {}
    for risk_id, item_id in sorted(links):
        if item_id in items:
            found.setdefault(risk_id, []).append(items[item_id])
    return found


def _done_by(action: Action, year: int) -> bool:
    return action.status is ActionStatus.DONE and (action.completed_on is None or action.completed_on.year <= year)


def _assessment(assessment: Assessment, matrix: RiskMatrix) -> AssessmentData:
    return AssessmentData(
        assessment.likelihood, assessment.consequence, assessment.status, assessment.comment,
        matrix.level_for(assessment.score),
    )


def _process_tree(unit, unit_ids, processes, risks_of, people) -> tuple[ProcessData, ...]:
    """Each unit's process tree in turn, the unit itself first and its sub-units below it by Swedish name."""
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}
    by_unit: dict[int, list[Process]] = {}
    for process in processes:
        by_unit.setdefault(process.unit_id, []).append(process)
    refs = {p.id: p.ref for p in processes}
    ordered: list[ProcessData] = []

    def visit(unit_id: int) -> None:
        for row in process_tree(by_unit.get(unit_id, [])):
            p = row.process
            ordered.append(
                ProcessData(
                    p.id, p.ref, refs.get(p.parent_id), p.title, p.description, people.get(p.owner_id),
                    p.sort_order, p.is_archived, row.depth, tuple(risks_of.get(p.id, ())),
                )
            )
        children = [u for u in units.values() if u.parent_id == unit_id]
        for child in sorted(children, key=lambda u: swedish_key(u.name)):
            visit(child.id)

    visit(unit.id)
    return tuple(ordered)


def _matrix_data(matrix: RiskMatrix, processes: tuple[ProcessData, ...]) -> MatrixData:
    """The riskmatris page's rule: active risks (not archived, nor in an archived process) by the year's assessment."""
    active = [r for p in processes if not p.is_archived for r in p.risks if not r.is_archived]
    counts = Counter((r.assessment.likelihood, r.assessment.consequence) for r in active if r.assessment)
    return MatrixData(
        likelihood_labels=tuple(matrix.likelihood_labels),
        consequence_labels=tuple(matrix.consequence_labels),
        levels=tuple(matrix.levels()),
        grid=build_grid(matrix, counts),
        not_assessed=sum(1 for r in active if r.assessment is None),
    )
