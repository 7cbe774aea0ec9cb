"""The audit trail: who changed what in the register, when, from which value to which."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.user import User


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)
    # Lets the one plain attribute below (described_changes) stay out of the mapping.
    __allow_unmapped__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    # None when the change came from the system (CLI, demo, import without a signed-in person).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verb: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # {field: [old, new]}
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()

    # Not stored: history.events_for fills in the changes told in Swedish (a list of history.Change),
    # resolving referenced names for many events in one query.
    described_changes: list[Any] | None = None

    def __repr__(self) -> str:
        return f"<AuditEvent {self.verb} {self.entity_type}:{self.entity_id}>"
