"""Everything a unit's year holds, loaded into the plain data of app.core.year_plan in a fixed number of queries,
however many processes, risks, egenkontroller and åtgärder there are."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import and_, func, select

from app.core.heat_map import build_grid
from app.core.process_tree import process_tree
from app.core.text import swedish_key
from app.core.unit_year import load_unit_year
from app.core.year_plan import (
    ActionData,
    AssessmentData,
    CheckData,
    ControlData,
    MatrixData,
    Person,
    PlanData,
    ProcessData,
    RiskData,
    UnitData,
)
from app.core.years import local_time
from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    Assessment,
    Control,
    ControlCheck,
    Level,
    Process,
    Risk,
    RiskMatrix,
    Unit,
    User,
    risk_actions,
    risk_controls,
)


def load_plan_data(unit: Unit, year: int) -> PlanData:
    """The unit's year with its sub-units', in a fixed number of queries."""
    unit_year = load_unit_year(unit, year)
    unit_ids, matrices, plan = set(unit_year.unit_ids), unit_year.matrices, unit_year.plan
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}
    codes = {unit_id: u.code for unit_id, u in units.items()}
    processes = list(db.session.scalars(select(Process).where(Process.unit_id.in_(unit_ids))))
    risks = list(db.session.scalars(select(Risk).join(Risk.process).where(Process.unit_id.in_(unit_ids))))
    controls = list(db.session.scalars(select(Control).where(Control.unit_id.in_(unit_ids)).order_by(Control.id)))
    checks = _checks(unit_ids, year)
    actions = _visible_actions(unit_ids, year)
    control_links = _links(risk_controls, risk_controls.c.control_id, Control, unit_ids)
    action_links = _links(risk_actions, risk_actions.c.action_id, Action, unit_ids)
    people = _people(processes, controls, checks, actions)

    risk_refs = {risk.id: risk.ref for risk in risks}
    control_data = _control_data(controls, checks, _refs(control_links, risk_refs), people, codes)
    action_data = _action_data(actions, _refs(action_links, risk_refs), people, year, codes)
    # score → level by each unit's own matrix, each answer worked out once however many risks share it.
    level_for = {unit_id: cache(matrix.level_for) for unit_id, matrix in matrices.items()}
    risks_of = _risk_data(
        risks, _assessments(unit_ids, year), {p.id: level_for[p.unit_id] for p in processes}, _by_risk(control_links, control_data),
        _by_risk(action_links, action_data), _earlier_scores(unit_ids, year),
    )
    unit_order = _unit_order(unit, units)
    process_data = _process_tree(unit_order, units, processes, risks_of, people)
    return PlanData(
        unit_code=unit.code,
        unit_name=unit.name,
        year=year,
        status=plan.status if plan else None,
        exported_at=local_time(datetime.now(UTC)),
        matrix=_matrix_data(matrices[unit.id], process_data),
        processes=process_data,
        controls=tuple(control_data.values()),
        actions=tuple(action_data.values()),
        units=tuple(
            UnitData(unit_id, units[unit_id].code, units[unit_id].name, tuple(matrices[unit_id].levels()))
            for unit_id in unit_order
        ),
    )


def _assessments(unit_ids: set[int], year: int) -> dict[int, Assessment]:
    statement = (
        select(Assessment).join(Risk).join(Process).where(Process.unit_id.in_(unit_ids), Assessment.year == year)
    )
    return {assessment.risk_id: assessment for assessment in db.session.scalars(statement)}


def _earlier_scores(unit_ids: set[int], year: int) -> dict[int, int]:
    """Each risk's riskvärde in the latest year before this one that it was assessed."""
    latest = (
        select(Assessment.risk_id, func.max(Assessment.year).label("year"))
        .join(Risk)
        .join(Process)
        .where(Process.unit_id.in_(unit_ids), Assessment.year < year)
        .group_by(Assessment.risk_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Assessment.risk_id, Assessment.likelihood, Assessment.consequence).join(
            latest, and_(Assessment.risk_id == latest.c.risk_id, Assessment.year == latest.c.year)
        )
    )
    return {risk_id: likelihood * consequence for risk_id, likelihood, consequence in rows}


def _checks(unit_ids: set[int], year: int) -> list[ControlCheck]:
    return list(
        db.session.scalars(
            select(ControlCheck)
            .join(Control)
            .where(Control.unit_id.in_(unit_ids), ControlCheck.year == year)
            .order_by(ControlCheck.performed_on, ControlCheck.id)
        )
    )


def _visible_actions(unit_ids: set[int], year: int) -> list[Action]:
    """Åtgärder shown in the year (Action.is_visible_in, in SQL)."""
    statement = select(Action).where(Action.unit_id.in_(unit_ids), Action.is_visible_in(year)).order_by(Action.id)
    return list(db.session.scalars(statement))


def _control_data(controls, checks, risk_refs, people, codes) -> dict[int, ControlData]:
    checks_of: dict[int, list[CheckData]] = {}
    for check in checks:
        checks_of.setdefault(check.control_id, []).append(
            CheckData(check.ref, check.performed_on, check.outcome, check.findings, people.get(check.performed_by_id))
        )
    return {
        c.id: ControlData(
            c.id, c.ref, c.title, c.description, c.method, c.frequency, people.get(c.responsible_id), c.is_archived,
            tuple(checks_of.get(c.id, ())), risk_refs.get(c.id, ()), codes.get(c.unit_id, ""),
        )
        for c in controls
    }


def _action_data(actions, risk_refs, people, year: int, codes) -> dict[int, ActionData]:
    return {
        a.id: ActionData(
            a.id, a.ref, a.title, a.description, people.get(a.responsible_id), a.start_year, a.due_on, a.status,
            a.follow_up, a.completed_on, a.is_archived, _done_by(a, year), risk_refs.get(a.id, ()),
            codes.get(a.unit_id, ""),
        )
        for a in actions
    }


def _risk_data(
    risks, assessments, level_for_process, controls_of, actions_of, earlier_scores
) -> dict[int, list[RiskData]]:
    """Each process's risks in their sort order (oldest first among equals); a risk's level is by the matrix of its
    own unit."""
    risks_of: dict[int, list[RiskData]] = {}
    for risk in sorted(risks, key=lambda r: (r.sort_order, r.id)):
        assessment = assessments.get(risk.id)
        risks_of.setdefault(risk.process_id, []).append(
            RiskData(
                risk.id, risk.ref, risk.title, risk.description, risk.quality_area, risk.is_archived,
                _assessment(assessment, level_for_process[risk.process_id]) if assessment else None,
                tuple(controls_of.get(risk.id, ())), tuple(actions_of.get(risk.id, ())),
                earlier_scores.get(risk.id),
            )
        )
    return risks_of


def _links(table, item_column, model, unit_ids: set[int]) -> list[tuple[int, int, int]]:
    """(risk id, item id, position among the risk's items) of the units' egenkontroller or åtgärder, by item then
    risk."""
    return [
        (risk_id, item_id, position)
        for risk_id, item_id, position in db.session.execute(
            select(table.c.risk_id, item_column, table.c.position)
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


def _refs(links: list[tuple[int, int, int]], risk_refs: dict[int, str]) -> dict[int, tuple[str, ...]]:
    """Per item: the refs of its linked risks, in risk order."""
    found: dict[int, list[str]] = {}
    for risk_id, item_id, _ in links:
        if risk_id in risk_refs:
            found.setdefault(item_id, []).append(risk_refs[risk_id])
    return {item_id: tuple(refs) for item_id, refs in found.items()}


def _by_risk(links: list[tuple[int, int, int]], items: dict) -> dict[int, list]:
    """Per risk: its items in their order among the risk's own (position, then id)."""
    found: dict[int, list] = {}
    for risk_id, item_id, _ in sorted(links, key=lambda link: (link[0], link[2], link[1])):
        if item_id in items:
            found.setdefault(risk_id, []).append(items[item_id])
    return found


def _done_by(action: Action, year: int) -> bool:
    return action.status is ActionStatus.DONE and (action.completed_on is None or action.completed_on.year <= year)


def _assessment(assessment: Assessment, level_for: Callable[[int], Level]) -> AssessmentData:
    return AssessmentData(
        assessment.likelihood, assessment.consequence, assessment.status, assessment.comment,
        level_for(assessment.score),
    )


def _unit_order(unit: Unit, units: dict[int, Unit]) -> list[int]:
    """The unit first, then each sub-unit followed by those below it, siblings by Swedish name."""
    ordered: list[int] = []

    def visit(unit_id: int) -> None:
        ordered.append(unit_id)
        children = [u for u in units.values() if u.parent_id == unit_id]
        for child in sorted(children, key=lambda u: swedish_key(u.name)):
            visit(child.id)

    visit(unit.id)
    return ordered


def _process_tree(unit_order, units, processes, risks_of, people) -> tuple[ProcessData, ...]:
    """Each unit's process tree in turn, in the order of the units."""
    by_unit: dict[int, list[Process]] = {}
    for process in processes:
        by_unit.setdefault(process.unit_id, []).append(process)
    refs = {p.id: p.ref for p in processes}
    return tuple(
        ProcessData(
            row.process.id, row.process.ref, refs.get(row.process.parent_id), row.process.title,
            row.process.description, people.get(row.process.owner_id), row.process.sort_order,
            row.process.is_archived, row.depth, tuple(risks_of.get(row.process.id, ())), units[unit_id].code,
        )
        for unit_id in unit_order
        for row in process_tree(by_unit.get(unit_id, []))
    )


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
