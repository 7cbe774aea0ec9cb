"""Fastställ och lås: after the lock nothing of that year changes; only a kvalitetssamordnare may unlock, with a reason."""

from __future__ import annotations

from app.core import audit
from app.core.errors import PermissionDenied, ValidationError
from app.core.unit_year import ensure_matrix, ensure_plan
from app.core.validation import clean_text
from app.excel.export.locked import take_snapshot
from app.extensions import db
from app.models import Plan, PlanStatus, Role, Unit, User, utcnow


def lock_year(actor: User | None, unit: Unit, year: int) -> Plan:
    """Adopt and lock the unit's kvalitetsplan for the year; its matrix is pinned as it stands."""
    plan = ensure_plan(actor, unit, year)
    if plan.is_locked:
        raise ValidationError(f"År {year} är redan fastställt och låst.")
    ensure_matrix(actor, unit, year)
    changes = audit.apply_changes(
        plan, status=PlanStatus.LOCKED, locked_at=utcnow(), locked_by_id=actor.id if actor else None
    )
    db.session.flush()
    take_snapshot(plan, unit)
    audit.record(actor, "lock", plan, changes, unit_id=unit.id)
    return plan


def unlock_year(actor: User | None, unit: Unit, year: int, *, reason: str) -> Plan:
    """Open a locked year again; the reason is kept in the audit trail."""
    if actor is not None and actor.role is not Role.ADMIN:
        raise PermissionDenied("Bara en kvalitetssamordnare kan låsa upp ett år.")
    reason = clean_text(reason, "Skäl", max_length=2_000, required=True, field="reason")
    plan = ensure_plan(actor, unit, year)
    if not plan.is_locked:
        raise ValidationError(f"År {year} är inte låst.")
    changes = audit.apply_changes(plan, status=PlanStatus.ADOPTED, locked_at=None, locked_by_id=None)
    plan.snapshot = None
    changes["reason"] = [None, reason]
    audit.record(actor, "unlock", plan, changes, unit_id=unit.id)
    return plan
