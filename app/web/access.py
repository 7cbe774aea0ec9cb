"""Loading an item for a view: 404 if it does not exist, 403 if the signed-in user may not read (or edit) it."""

from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import current_user

from app.core.permissions import (
    can_contribute_to_unit,
    can_edit_action,
    can_edit_control,
    can_edit_process,
    can_edit_risk,
    can_manage_unit,
    can_read_unit,
)
from app.extensions import db
from app.models import Action, Control, Process, Risk, Role, Unit
from app.web.routing import MAX_ID, parse_id


def get_unit_or_404(unit_id: int | None, *, for_edit: bool = False) -> Unit:
    unit = _get(Unit, unit_id)
    require(can_read_unit(current_user, unit.id))
    if for_edit:
        require(can_manage_unit(current_user, unit.id))
    return unit


def get_process_or_404(process_id: int | None, *, for_edit: bool = False) -> Process:
    process = _get(Process, process_id)
    require(can_read_unit(current_user, process.unit_id))
    if for_edit:
        require(can_edit_process(current_user, process))
    return process


def get_risk_or_404(risk_id: int | None, *, for_edit: bool = False) -> Risk:
    risk = _get(Risk, risk_id)
    require(can_read_unit(current_user, risk.process.unit_id))
    if for_edit:
        require(can_edit_risk(current_user, risk))
    return risk


def get_control_or_404(control_id: int | None, *, for_edit: bool = False) -> Control:
    control = _get(Control, control_id)
    require(can_read_unit(current_user, control.unit_id))
    if for_edit:
        require(can_edit_control(current_user, control))
    return control


def get_action_or_404(action_id: int | None, *, for_edit: bool = False) -> Action:
    action = _get(Action, action_id)
    require(can_read_unit(current_user, action.unit_id))
    if for_edit:
        require(can_edit_action(current_user, action))
    return action


def _get(model, item_id: int | None):
    """The row, or 404; a missing id (from a query string that did not parse) is a 404 too."""
    if item_id is None or not 0 < item_id <= MAX_ID:
        abort(404)
    return db.get_or_404(model, item_id)


def place_for_new_item() -> tuple[Unit, Risk | None]:
    """Where a new egenkontroll or åtgärd goes: the unit of ?risk= (which it will be linked to), else ?enhet=,
    else the user's own unit; 403 unless she may add there, and may edit the risk."""
    risk = None
    if "risk" in request.args:
        risk = get_risk_or_404(parse_id(request.args["risk"]), for_edit=True)
        unit = risk.process.unit
    else:
        unit = get_unit_or_404(parse_id(request.args["enhet"]) if "enhet" in request.args else current_user.unit_id)
    require(can_contribute_to_unit(current_user, unit.id))
    return unit, risk


def require(allowed: bool) -> None:
    """403 unless allowed; views call this right after loading the object."""
    if not allowed:
        abort(403)


def role_required(*roles: Role):
    """Only these roles may use the view; others get 403 before it runs."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require(current_user.is_authenticated and current_user.role in roles)
            return view(*args, **kwargs)

        return wrapped

    return decorate
