"""Creating, changing and archiving risks, and linking them to egenkontroller and åtgärder."""

from __future__ import annotations

from app.core import audit
from app.core.errors import ValidationError
from app.core.validation import clean_text
from app.extensions import db
from app.models import Action, Control, Process, QualityArea, Risk, User

AUDITED_FIELDS = ["title", "description", "quality_area", "process_id"]


def create_risk(
    actor: User | None,
    process: Process,
    *,
    title: str,
    description: str = "",
    quality_area: QualityArea | None = None,
) -> Risk:
    """A newly identified risk of a process."""
    risk = Risk(
        process=process,
        title=clean_text(title, "Riskens namn", max_length=500, required=True, field="title"),
        description=clean_text(description, "Beskrivning", max_length=10_000, field="description"),
        quality_area=quality_area,
    )
    db.session.add(risk)
    db.session.flush()
    audit.record(actor, "create", risk, audit.snapshot(risk, AUDITED_FIELDS), unit_id=process.unit_id)
    return risk


def update_risk(
    actor: User | None,
    risk: Risk,
    *,
    title: str,
    description: str = "",
    quality_area: QualityArea | None = None,
    process: Process | None = None,
) -> audit.Changes:
    """Change what a risk is; moving it is allowed only within its unit."""
    target = process or risk.process
    if target.unit_id != risk.process.unit_id:
        raise ValidationError("En risk kan bara flyttas till en process i samma enhet.", field="process")
    changes = audit.apply_changes(
        risk,
        title=clean_text(title, "Riskens namn", max_length=500, required=True, field="title"),
        description=clean_text(description, "Beskrivning", max_length=10_000, field="description"),
        quality_area=quality_area,
        process_id=target.id,
    )
    risk.process = target  # keep a loaded relationship in step with process_id
    if changes:
        audit.record(actor, "update", risk, changes, unit_id=target.unit_id)
    return changes


def set_archived(actor: User | None, risk: Risk, archived: bool) -> None:
    changes = audit.apply_changes(risk, is_archived=archived)
    if changes:
        audit.record(actor, "archive" if archived else "restore", risk, changes, unit_id=risk.process.unit_id)


def link_control(actor: User | None, risk: Risk, control: Control) -> None:
    """Say that an egenkontroll follows up this risk."""
    _same_unit(risk, control.unit_id, "Egenkontrollen")
    if control not in risk.controls:
        risk.controls.append(control)
        audit.record(actor, "link", risk, {"controls": [None, control.id]}, unit_id=control.unit_id)


def unlink_control(actor: User | None, risk: Risk, control: Control) -> None:
    if control in risk.controls:
        risk.controls.remove(control)
        audit.record(actor, "unlink", risk, {"controls": [control.id, None]}, unit_id=control.unit_id)


def link_action(actor: User | None, risk: Risk, action: Action) -> None:
    """Say that an åtgärd treats this risk."""
    _same_unit(risk, action.unit_id, "Åtgärden")
    if action not in risk.actions:
        risk.actions.append(action)
        audit.record(actor, "link", risk, {"actions": [None, action.id]}, unit_id=action.unit_id)


def unlink_action(actor: User | None, risk: Risk, action: Action) -> None:
    if action in risk.actions:
        risk.actions.remove(action)
        audit.record(actor, "unlink", risk, {"actions": [action.id, None]}, unit_id=action.unit_id)


def _same_unit(risk: Risk, unit_id: int, what: str) -> None:
    if risk.process.unit_id != unit_id:
        raise ValidationError(f"{what} hör till en annan enhet än risken.")


def delete_risk(actor: User | None, risk: Risk) -> None:
    """Remove a risk entered by mistake; one with assessments has history and can only be archived."""
    if risk.assessments:
        raise ValidationError("Risken har bedömningar och kan inte tas bort. Arkivera den i stället.")
    unit_id = risk.process.unit_id
    audit.record(actor, "delete", risk, audit.removal(risk, AUDITED_FIELDS), unit_id=unit_id)
    risk.controls.clear()
    risk.actions.clear()
    db.session.delete(risk)
    db.session.flush()
