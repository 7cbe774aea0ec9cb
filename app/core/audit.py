"""The one way services write the audit trail, in the same transaction as the change."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User

Changes = dict[str, list[Any]]


def record(
    actor: User | None,
    verb: str,
    entity: Any,
    changes: Changes | None = None,
    *,
    unit_id: int | None = None,
) -> AuditEvent:
    """Add an audit event for entity; flushes first so a new entity has its id."""
    if entity.id is None:
        db.session.flush()
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        verb=verb,
        entity_type=type(entity).__name__,
        entity_id=entity.id,
        unit_id=unit_id,
        changes=changes or {},
    )
    db.session.add(event)
    return event


def snapshot(entity: Any, fields: list[str]) -> Changes:
    """The creation record of an entity: {field: [None, value]} for each given field."""
    return {name: [None, to_json(getattr(entity, name))] for name in fields}


def removal(entity: Any, fields: list[str]) -> Changes:
    """The deletion record of an entity: {field: [value, None]} for each given field."""
    return {name: [to_json(getattr(entity, name)), None] for name in fields}


def apply_changes(entity: Any, **values: Any) -> Changes:
    """Set the given attributes and return only those that really changed, as {field: [old, new]}."""
    changes: Changes = {}
    for name, new in values.items():
        old = getattr(entity, name)
        if old != new:
            setattr(entity, name, new)
            changes[name] = [to_json(old), to_json(new)]
    return changes


def to_json(value: Any) -> Any:
    """A JSON-safe form of a column value for the changes column."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def latest_event(entity_type: str, entity_id: int) -> AuditEvent | None:
    """The most recent change to an entity: who last touched it, and when."""
    return db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
