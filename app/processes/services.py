"""Creating, changing and archiving a unit's processes."""

from __future__ import annotations

from app import audit
from app.errors import ValidationError
from app.extensions import db
from app.models import Process, Unit, User
from app.validation import clean_text

AUDITED_FIELDS = ["title", "description", "parent_id", "owner_id", "sort_order"]


def create_process(
    actor: User | None,
    unit: Unit,
    *,
    title: str,
    description: str = "",
    parent: Process | None = None,
    owner: User | None = None,
    sort_order: int = 0,
) -> Process:
    """A new process of the unit, at the top level or under a parent of the same unit."""
    _check_parent(unit, parent, None)
    _check_owner(unit, owner)
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
    sort_order: int = 0,
) -> audit.Changes:
    """Change a process; returns what changed (nothing is recorded when nothing did)."""
    _check_parent(process.unit, parent, process)
    _check_owner(process.unit, owner)
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


def set_archived(actor: User | None, process: Process, archived: bool) -> None:
    """Archive (or restore) a process; archived processes keep their history but leave the lists."""
    changes = audit.apply_changes(process, is_archived=archived)
    if changes:
        audit.record(actor, "archive" if archived else "restore", process, changes, unit_id=process.unit_id)


def _check_parent(unit: Unit, parent: Process | None, process: Process | None) -> None:
    if parent is None:
        return
    if parent.unit_id != unit.id:
        raise ValidationError("Den överordnade processen måste tillhöra samma enhet.", field="parent")
    ancestor = parent
    while ancestor is not None:
        if process is not None and ancestor.id == process.id:
            raise ValidationError("En process kan inte ligga under sig själv.", field="parent")
        ancestor = ancestor.parent


def _check_owner(unit: Unit, owner: User | None) -> None:
    if owner is not None and owner.unit_id != unit.id:
        raise ValidationError("Processägaren måste höra till samma enhet som processen.", field="owner")
