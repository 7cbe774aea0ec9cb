"""Creating, changing, archiving and deleting a unit's processes, and what a process page shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, Table, and_, distinct, func, select
from sqlalchemy.orm import selectinload

from app.core import audit
from app.core.errors import ValidationError
from app.core.history import events_for
from app.core.ordering import placed
from app.core.services.sort_orders import write_order
from app.core.text import swedish_key
from app.core.unit_year import matrix_for
from app.core.validation import clean_text
from app.extensions import db
from app.models import (
    Action,
    Assessment,
    AuditEvent,
    Control,
    ControlCheck,
    Process,
    Risk,
    RiskMatrix,
    Unit,
    User,
    risk_actions,
    risk_controls,
)

AUDITED_FIELDS = ["title", "description", "parent_id", "owner_id", "sort_order"]


def create_process(
    actor: User | None,
    unit: Unit,
    *,
    title: str,
    description: str = "",
    parent: Process | None = None,
    owner: User | None = None,
    sort_order: int | None = None,
) -> Process:
    """A new process of the unit, at the top level or under a parent of the same unit; without a sort order it
    goes last among its siblings."""
    _check_parent(unit, parent, None)
    _check_owner(unit, owner)
    if sort_order is None:
        sort_order = _next_sort_order(unit, parent)
    process = Process(
        unit=unit,
        parent=parent,
        owner=owner,
        title=clean_text(title, "Processens namn", max_length=300, required=True, field="title"),
        description=clean_text(description, "Beskrivning", max_length=10_000, field="description"),
        sort_order=sort_order,
    )
    db.session.add(process)
    db.session.flush()
    audit.record(actor, "create", process, audit.snapshot(process, AUDITED_FIELDS), unit_id=unit.id)
    return process


def update_process(
    actor: User | None,
    process: Process,
    *,
    title: str,
    description: str = "",
    parent: Process | None = None,
    owner: User | None = None,
    sort_order: int | None = None,
) -> audit.Changes:
    """Change a process; returns what changed (nothing is recorded when nothing did). No sort order keeps its own."""
    _check_parent(process.unit, parent, process)
    _check_owner(process.unit, owner)
    if sort_order is None:
        sort_order = process.sort_order
    changes = audit.apply_changes(
        process,
        title=clean_text(title, "Processens namn", max_length=300, required=True, field="title"),
        description=clean_text(description, "Beskrivning", max_length=10_000, field="description"),
        parent_id=parent.id if parent else None,
        owner_id=owner.id if owner else None,
        sort_order=sort_order,
    )
    # Setting only the ids would leave loaded relationships stale for the rest of the transaction.
    process.parent, process.owner = parent, owner
    if changes:
        audit.record(actor, "update", process, changes, unit_id=process.unit_id)
    return changes


UP, DOWN = "up", "down"


def move_process(actor: User | None, process: Process, direction: str) -> audit.Changes:
    """Swap a process with the sibling shown above (UP) or below (DOWN) it; returns the moved process's change.

    Siblings are numbered 0, 1, 2 … in the order they are shown (sort order, then Swedish name), so that a tree
    whose processes all share one sort order can be reordered too; each process whose number changes is audited.
    """
    if direction not in (UP, DOWN):
        raise ValidationError("Ange om processen ska flyttas upp eller ned.")
    if process.is_archived:
        raise ValidationError("Processen är arkiverad och kan inte flyttas. Återställ den först.")
    siblings = sorted(
        db.session.scalars(
            select(Process).where(
                Process.unit_id == process.unit_id,
                Process.parent_id.is_(None) if process.parent_id is None else Process.parent_id == process.parent_id,
                Process.is_archived.is_(False),
            )
        ),
        key=lambda p: (p.sort_order, swedish_key(p.title), p.id),
    )
    index = siblings.index(process)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(siblings):
        where = "överst" if direction == UP else "nederst"
        raise ValidationError(f"Processen {process.title} ligger redan {where} på sin nivå och kan inte flyttas.")
    order = list(siblings)
    order[index], order[other] = order[other], order[index]
    moved = write_order(actor, siblings, order, process.unit_id).get(process, {})
    db.session.flush()
    return moved


def order_processes(actor: User | None, unit: Unit, parent: Process | None, wanted: list[Process]) -> list[Process]:
    """Put the listed processes of one level of the unit in this order, in the places they hold among its
    processes as shown (sort order, then name); the others keep their places. Returns those whose number changed."""
    level = Process.parent_id.is_(None) if parent is None else Process.parent_id == parent.id
    siblings = sorted(db.session.scalars(select(Process).where(Process.unit_id == unit.id, level)),
                      key=lambda p: (p.sort_order, swedish_key(p.title), p.id))
    return list(write_order(actor, siblings, placed(siblings, wanted), unit.id))


def _next_sort_order(unit: Unit, parent: Process | None) -> int:
    """One past the highest sort order among the processes on the same level of the unit (0 for the first)."""
    level = Process.parent_id.is_(None) if parent is None else Process.parent_id == parent.id
    highest = db.session.scalar(
        select(func.max(Process.sort_order)).where(Process.unit_id == unit.id, level)
    )
    return 0 if highest is None else highest + 1


def set_archived(actor: User | None, process: Process, archived: bool) -> None:
    """Archive (or restore) a process; archived processes keep their history but leave the lists.

    A branch is archived from its leaves up and restored from its root down, so no active process hangs under an
    archived one.
    """
    if archived and not process.is_archived:
        active = sorted((c.title for c in process.children if not c.is_archived), key=swedish_key)
        if active:
            raise ValidationError(
                f"Processen har delprocesser som inte är arkiverade ({', '.join(active)}). "
                "Arkivera eller flytta dem först."
            )
    if not archived and process.is_archived and process.parent is not None and process.parent.is_archived:
        raise ValidationError(
            f"Den överordnade processen {process.parent.title} är arkiverad. Återställ den först."
        )
    changes = audit.apply_changes(process, is_archived=archived)
    if changes:
        audit.record(actor, "archive" if archived else "restore", process, changes, unit_id=process.unit_id)


def _check_parent(unit: Unit, parent: Process | None, process: Process | None) -> None:
    if parent is None:
        return
    if parent.unit_id != unit.id:
        raise ValidationError("Den överordnade processen måste tillhöra samma enhet.", field="parent")
    if parent.is_archived and (process is None or process.parent_id != parent.id):
        raise ValidationError(
            "Den överordnade processen är arkiverad. Välj en annan eller återställ den först.", field="parent"
        )
    ancestor: Process | None = parent
    while ancestor is not None:
        if process is not None and ancestor.id == process.id:
            raise ValidationError("En process kan inte ligga under sig själv.", field="parent")
        ancestor = ancestor.parent


def _check_owner(unit: Unit, owner: User | None) -> None:
    if owner is not None and owner.unit_id != unit.id:
        raise ValidationError("Processägaren måste höra till samma enhet som processen.", field="owner")


def delete_process(actor: User | None, process: Process) -> None:
    """Remove a process created by mistake; one with risks or sub-processes has history and can only be archived."""
    has_risks = db.session.scalar(select(func.count(Risk.id)).where(Risk.process_id == process.id))
    if has_risks:
        raise ValidationError("Processen har risker och kan inte tas bort. Arkivera den i stället.")
    has_children = db.session.scalar(select(func.count(Process.id)).where(Process.parent_id == process.id))
    if has_children:
        raise ValidationError("Processen har delprocesser och kan inte tas bort. Arkivera den i stället.")
    audit.record(actor, "delete", process, audit.removal(process, AUDITED_FIELDS), unit_id=process.unit_id)
    db.session.delete(process)
    db.session.flush()


# --- reading ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskSummary:
    """A process's active risks in one year: how many, how many not yet assessed, and the highest riskvärde."""

    risks: int = 0
    not_assessed: int = 0
    highest_score: int | None = None


def risk_summaries(process_ids: list[int], year: int) -> dict[int, RiskSummary]:
    """Summaries for many processes in one grouped query; a process with no active risk is left out."""
    if not process_ids:
        return {}
    this_year = and_(Assessment.risk_id == Risk.id, Assessment.year == year)
    rows = db.session.execute(
        select(
            Risk.process_id,
            func.count(Risk.id),
            func.count(Assessment.id),
            func.max(Assessment.likelihood * Assessment.consequence),
        )
        .outerjoin(Assessment, this_year)
        .where(Risk.process_id.in_(process_ids), Risk.is_archived.is_(False))
        .group_by(Risk.process_id)
    )
    return {pid: RiskSummary(total, total - assessed, highest) for pid, total, assessed, highest in rows}


LinkedItem = TypeVar("LinkedItem", Control, Action)


@dataclass
class Linked(Generic[LinkedItem]):
    """An egenkontroll or åtgärd, with the risks of this process it is linked to."""

    item: LinkedItem
    risks: list[Risk] = field(default_factory=list)


@dataclass
class ProcessPage:
    process: Process
    year: int
    matrix: RiskMatrix
    children: list[Process]
    child_summaries: dict[int, RiskSummary]
    risks: list[tuple[Risk, Assessment | None]]
    archived_risks: list[Risk]
    controls: list[Linked[Control]]
    checks_this_year: dict[int, list[ControlCheck]]
    actions: list[Linked[Action]]
    years: list[int]
    history: list[AuditEvent]

    @property
    def can_be_deleted(self) -> bool:
        return not (self.risks or self.archived_risks or self.children)

    @property
    def link_counts(self) -> dict[int, tuple[int, int]]:
        """Per risk id: how many of the listed egenkontroller and åtgärder it is linked to."""
        controls = Counter(risk.id for linked in self.controls for risk in linked.risks)
        actions = Counter(risk.id for linked in self.actions for risk in linked.risks)
        return {risk.id: (controls[risk.id], actions[risk.id]) for risk, _ in self.risks}


def load_process_page(process: Process, year: int) -> ProcessPage:
    """Everything the process page shows, in a fixed number of queries however many risks hang from it."""
    children = list(
        db.session.scalars(
            select(Process).where(Process.parent_id == process.id).options(selectinload(Process.owner))
        )
    )
    children.sort(key=lambda p: (p.is_archived, p.sort_order, swedish_key(p.title)))
    this_year = and_(Assessment.risk_id == Risk.id, Assessment.year == year)
    rows = db.session.execute(
        select(Risk, Assessment).outerjoin(Assessment, this_year).where(Risk.process_id == process.id)
    ).all()
    active = [(risk, assessment) for risk, assessment in rows if not risk.is_archived]
    active.sort(key=lambda row: (-(row[1].score if row[1] else 0), swedish_key(row[0].title)))
    risks_by_id = {risk.id: risk for risk, _ in active}
    controls = _linked(Control, risk_controls.c.control_id, risk_controls, risks_by_id)
    checks: dict[int, list[ControlCheck]] = {}
    if controls:
        for check in db.session.scalars(
            select(ControlCheck)
            .where(ControlCheck.control_id.in_([c.item.id for c in controls]), ControlCheck.year == year)
            .order_by(ControlCheck.performed_on, ControlCheck.id)
        ):
            checks.setdefault(check.control_id, []).append(check)
    actions = [a for a in _linked(Action, risk_actions.c.action_id, risk_actions, risks_by_id)
               if a.item.is_visible_in(year)]
    years = db.session.scalars(
        select(distinct(Assessment.year)).join(Risk, Assessment.risk_id == Risk.id).where(Risk.process_id == process.id)
    )
    return ProcessPage(
        process=process,
        year=year,
        matrix=matrix_for(process.unit, year),
        children=children,
        child_summaries=risk_summaries([c.id for c in children], year),
        risks=active,
        archived_risks=sorted((r for r, _ in rows if r.is_archived), key=lambda r: swedish_key(r.title)),
        controls=controls,
        checks_this_year=checks,
        actions=actions,
        years=sorted(set(years) | {year}),
        history=events_for(("Process", [process.id])),
    )


def _linked(
    model: type[LinkedItem], item_column: ColumnElement[int], link_table: Table, risks_by_id: dict[int, Risk]
) -> list[Linked[LinkedItem]]:
    """The active items linked to any of the risks, each with those risks; one query plus one for responsibles."""
    if not risks_by_id:
        return []
    rows = db.session.execute(
        select(link_table.c.risk_id, model)
        .join(model, model.id == item_column)
        .where(link_table.c.risk_id.in_(list(risks_by_id)), model.is_archived.is_(False))
        .options(selectinload(model.responsible))
    )
    found: dict[int, Linked[LinkedItem]] = {}
    for risk_id, item in rows:
        found.setdefault(item.id, Linked(item)).risks.append(risks_by_id[risk_id])
    for linked in found.values():
        linked.risks.sort(key=lambda r: swedish_key(r.title))
    return sorted(found.values(), key=lambda linked: swedish_key(linked.item.title))
