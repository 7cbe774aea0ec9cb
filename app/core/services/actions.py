"""Åtgärder: planning them, following them up and marking them genomförda."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.core import audit
from app.core.errors import ValidationError
from app.core.stale import check_version, guarded_flush
from app.core.unit_year import assert_year_open
from app.core.validation import clean_text
from app.core.years import today, validate_year
from app.extensions import db
from app.models import Action, ActionStatus, AuditEvent, Unit, User

AUDITED_FIELDS = [
    "title",
    "description",
    "responsible_id",
    "start_year",
    "due_on",
    "status",
    "follow_up",
    "completed_on",
]


def create_action(
    actor: User | None,
    unit: Unit,
    *,
    title: str,
    start_year: int,
    status: ActionStatus = ActionStatus.PLANNED,
    description: str = "",
    responsible: User | None = None,
    due_on: date | None = None,
    follow_up: str = "",
    completed_on: date | None = None,
) -> Action:
    """A corrective action of the unit, with its tidsplan."""
    fields = _validated(unit.id, title, start_year, status, description, responsible, due_on, follow_up, completed_on)
    action = Action(unit=unit, **fields)
    db.session.add(action)
    db.session.flush()
    audit.record(actor, "create", action, audit.snapshot(action, AUDITED_FIELDS), unit_id=unit.id)
    return action


def update_action(
    actor: User | None,
    action: Action,
    *,
    title: str,
    start_year: int,
    status: ActionStatus,
    description: str = "",
    responsible: User | None = None,
    due_on: date | None = None,
    follow_up: str = "",
    completed_on: date | None = None,
    expected_version: int | None = None,
) -> audit.Changes:
    """Change an åtgärd; refused if someone saved it after expected_version was read."""
    if action.completed_on is not None:
        assert_year_open(action.unit_id, action.completed_on.year)
    check_version(action, expected_version)
    fields = _validated(
        action.unit_id, title, start_year, status, description, responsible, due_on, follow_up, completed_on
    )
    responsible = fields.pop("responsible")
    fields["responsible_id"] = responsible.id if responsible else None
    with guarded_flush(action):
        changes = audit.apply_changes(action, **fields)
        action.responsible = responsible  # keep a loaded relationship in step with responsible_id
    if changes:
        audit.record(actor, "update", action, changes, unit_id=action.unit_id)
    return changes


def complete_action(
    actor: User | None,
    action: Action,
    *,
    follow_up: str,
    completed_on: date,
    expected_version: int | None = None,
) -> audit.Changes:
    """Mark an åtgärd genomförd (✓) with what was done and when."""
    # Someone else's save comes first: she needs to know who changed it, not that it is now closed.
    check_version(action, expected_version)
    if action.is_archived:
        raise ValidationError("Åtgärden är arkiverad. Återställ den innan den markeras som genomförd.")
    if not action.status.is_open:
        raise ValidationError(f"Åtgärden är redan {action.status.label.lower()}.")
    if not (follow_up or "").strip():
        raise ValidationError("Beskriv vad som gjordes innan åtgärden markeras som genomförd.", field="follow_up")
    return update_action(
        actor,
        action,
        title=action.title,
        start_year=action.start_year,
        status=ActionStatus.DONE,
        description=action.description,
        responsible=action.responsible,
        due_on=action.due_on,
        follow_up=follow_up,
        completed_on=completed_on,
        expected_version=expected_version,
    )


def set_archived(actor: User | None, action: Action, archived: bool) -> None:
    changes = audit.apply_changes(action, is_archived=archived)
    if changes:
        audit.record(actor, "archive" if archived else "restore", action, changes, unit_id=action.unit_id)


def can_delete(action: Action) -> bool:
    """Only an åtgärd that never got further than planned may be deleted; anything else has history to keep."""
    return (
        action.status is ActionStatus.PLANNED
        and not action.follow_up
        and action.completed_on is None
        and not _was_ever_completed(action)
    )


def delete_action(actor: User | None, action: Action) -> None:
    """Remove an åtgärd entered by mistake; one that was started or followed up is archived instead."""
    if not can_delete(action):
        raise ValidationError(
            "Åtgärden har påbörjats, följts upp eller genomförts och kan inte tas bort. Arkivera den i stället."
        )
    audit.record(actor, "delete", action, audit.removal(action, AUDITED_FIELDS), unit_id=action.unit_id)
    # The risks it treated keep a trace in their own history of losing it.
    for risk in list(action.risks):
        audit.record(actor, "unlink", risk, {"actions": [action.id, None]}, unit_id=action.unit_id)
    action.risks.clear()
    db.session.delete(action)
    db.session.flush()


def _was_ever_completed(action: Action) -> bool:
    """Whether the audit trail shows the åtgärd marked genomförd at some point, even if reopened since."""
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "Action", AuditEvent.entity_id == action.id)
    )
    return any(
        (event.changes.get("status") or [None, None])[1] == ActionStatus.DONE.value
        or (event.changes.get("completed_on") or [None, None])[1] is not None
        for event in events
    )


def _validated(
    unit_id: int,
    title: str,
    start_year: int,
    status: ActionStatus,
    description: str,
    responsible: User | None,
    due_on: date | None,
    follow_up: str,
    completed_on: date | None,
) -> dict:
    validate_year(start_year)
    if not isinstance(status, ActionStatus):
        raise ValidationError("Okänd status för åtgärden.", field="status")
    if responsible is not None and responsible.unit_id != unit_id:
        raise ValidationError("Den ansvariga måste höra till samma enhet.", field="responsible")
    if status is ActionStatus.DONE and completed_on is None:
        raise ValidationError("Ange datum då åtgärden genomfördes.", field="completed_on")
    if status is not ActionStatus.DONE:
        completed_on = None
    if due_on is not None and due_on.year < start_year:
        raise ValidationError("Tidsplanen kan inte ligga före åtgärdens startår.", field="due_on")
    if completed_on is not None:
        if completed_on > today():
            raise ValidationError("En åtgärd kan inte vara genomförd i framtiden.", field="completed_on")
        if completed_on.year < start_year:
            raise ValidationError("Åtgärden kan inte vara genomförd före sitt startår.", field="completed_on")
        assert_year_open(unit_id, completed_on.year)
    return {
        "title": clean_text(title, "Åtgärdens namn", max_length=1000, required=True, field="title"),
        "description": clean_text(description, "Beskrivning", max_length=10_000, field="description"),
        "follow_up": clean_text(follow_up, "Uppföljning", max_length=10_000, field="follow_up"),
        "start_year": start_year,
        "status": status,
        "responsible": responsible,
        "due_on": due_on,
        "completed_on": completed_on,
    }
