"""Loading an item for a view: 404 if it does not exist, 403 if the signed-in user may not read (or edit) it."""

from __future__ import annotations

from flask_login import current_user

from app.extensions import db
from app.models import Action, Control, Process, Risk, Unit
from app.permissions import (
    can_edit_action,
    can_edit_control,
    can_edit_process,
    can_edit_risk,
    can_manage_unit,
    can_read_unit,
    require,
)


def get_unit_or_404(unit_id: int, *, for_edit: bool = False) -> Unit:
    unit = db.get_or_404(Unit, unit_id)
    require(can_read_unit(current_user, unit.id))
    if for_edit:
        require(can_manage_unit(current_user, unit.id))
    return unit


def get_process_or_404(process_id: int, *, for_edit: bool = False) -> Process:
    process = db.get_or_404(Process, process_id)
    require(can_read_unit(current_user, process.unit_id))
    if for_edit:
        require(can_edit_process(current_user, process))
    return process


def get_risk_or_404(risk_id: int, *, for_edit: bool = False) -> Risk:
    risk = db.get_or_404(Risk, risk_id)
    require(can_read_unit(current_user, risk.process.unit_id))
    if for_edit:
        require(can_edit_risk(current_user, risk))
    return risk


def get_control_or_404(control_id: int, *, for_edit: bool = False) -> Control:
    control = db.get_or_404(Control, control_id)
    require(can_read_unit(current_user, control.unit_id))
    if for_edit:
        require(can_edit_control(current_user, control))
    return control


def get_action_or_404(action_id: int, *, for_edit: bool = False) -> Action:
    action = db.get_or_404(Action, action_id)
    require(can_read_unit(current_user, action.unit_id))
    if for_edit:
        require(can_edit_action(current_user, action))
    return action
