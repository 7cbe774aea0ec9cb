"""Who may read and change what: the one place for authorization by unit and role."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from app.core.units import unit_subtree_ids
from app.extensions import db
from app.models import (
    Action,
    Control,
    Process,
    Risk,
    Role,
    Unit,
    User,
    risk_actions,
    risk_controls,
)


def readable_unit_ids(user: User) -> set[int]:
    """Units whose register the user may read: all for a kvalitetssamordnare, else her unit and those below it."""
    cache = g.setdefault("_readable_units", {})
    if user.id not in cache:
        if user.role is Role.ADMIN:
            cache[user.id] = set(db.session.scalars(select(Unit.id)))
        else:
            cache[user.id] = unit_subtree_ids(user.unit_id)
    return cache[user.id]


def can_read_unit(user: User, unit_id: int) -> bool:
    return unit_id in readable_unit_ids(user)


def can_manage_unit(user: User, unit_id: int) -> bool:
    """Enhetschef of the unit (or above it), or kvalitetssamordnare: may change anything in it."""
    return user.role is Role.ADMIN or (user.role is Role.MANAGER and can_read_unit(user, unit_id))


def can_contribute_to_unit(user: User, unit_id: int) -> bool:
    """May add egenkontroller and åtgärder to the unit: process owners as well as managers."""
    return can_manage_unit(user, unit_id) or (user.role is Role.OWNER and can_read_unit(user, unit_id))


def owns_process(user: User, process: Process) -> bool:
    """The user is processägare of the process or of a process above it."""
    node: Process | None = process
    while node is not None:
        if node.owner_id == user.id:
            return True
        node = node.parent
    return False


def can_edit_process(user: User, process: Process) -> bool:
    return can_manage_unit(user, process.unit_id) or (
        user.role is Role.OWNER and can_read_unit(user, process.unit_id) and owns_process(user, process)
    )


def can_edit_risk(user: User, risk: Risk) -> bool:
    return can_edit_process(user, risk.process)


def can_edit_control(user: User, control: Control) -> bool:
    """Managers edit all of the unit's egenkontroller; an owner those she is responsible for or that cover her risks."""
    if can_manage_unit(user, control.unit_id):
        return True
    if user.role is not Role.OWNER or not can_read_unit(user, control.unit_id):
        return False
    if control.responsible_id == user.id:
        return True
    risks = db.session.scalars(
        select(Risk).join(risk_controls).where(risk_controls.c.control_id == control.id)
    )
    return any(owns_process(user, risk.process) for risk in risks)


def can_edit_action(user: User, action: Action) -> bool:
    if can_manage_unit(user, action.unit_id):
        return True
    if user.role is not Role.OWNER or not can_read_unit(user, action.unit_id):
        return False
    if action.responsible_id == user.id:
        return True
    risks = db.session.scalars(select(Risk).join(risk_actions).where(risk_actions.c.action_id == action.id))
    return any(owns_process(user, risk.process) for risk in risks)


