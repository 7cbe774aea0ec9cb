"""Creating, changing and archiving risks, and linking them to egenkontroller and åtgärder."""

from __future__ import annotations

from sqlalchemy import Table, func, select, update

from app.core import audit
from app.core.errors import ValidationError
from app.core.ordering import placed
from app.core.services.sort_orders import write_order
from app.core.validation import clean_text
from app.extensions import db
from app.models import Action, Control, Process, QualityArea, Risk, User, risk_actions, risk_controls

AUDITED_FIELDS = ["title", "description", "quality_area", "process_id"]


def create_risk(
    actor: User | None,
    process: Process,
    *,
    title: str,
    description: str = "",
    quality_area: QualityArea | None = None,
) -> Risk:
    """A newly identified risk of a process, last among its risks."""
    risk = Risk(
        process=process,
        title=clean_text(title, "Riskens namn", max_length=500, required=True, field="title"),
        description=clean_text(description, "Beskrivning", max_length=10_000, field="description"),
        quality_area=quality_area,
        sort_order=_next_risk_order(process),
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
    """Change what a risk is; moving it is allowed only within its unit, and puts it last in its new process."""
    target = process or risk.process
    if target.unit_id != risk.process.unit_id:
        raise ValidationError("En risk kan bara flyttas till en process i samma enhet.", field="process")
    if target.id != risk.process_id:
        risk.sort_order = _next_risk_order(target)
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


UP, DOWN = "up", "down"


def move_risk(actor: User | None, risk: Risk, direction: str) -> audit.Changes:
    """Swap a risk with the one above (UP) or below (DOWN) it among its process's active risks; as move_process."""
    if direction not in (UP, DOWN):
        raise ValidationError("Ange om risken ska flyttas upp eller ned.")
    if risk.is_archived:
        raise ValidationError("Risken är arkiverad och kan inte flyttas. Återställ den först.")
    siblings = sorted(
        db.session.scalars(select(Risk).where(Risk.process_id == risk.process_id, Risk.is_archived.is_(False))),
        key=lambda r: (r.sort_order, r.id),
    )
    index = siblings.index(risk)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(siblings):
        where = "först" if direction == UP else "sist"
        raise ValidationError(f"Risken {risk.title} ligger redan {where} i processen och kan inte flyttas.")
    order = list(siblings)
    order[index], order[other] = order[other], order[index]
    moved = write_order(actor, siblings, order, risk.process.unit_id).get(risk, {})
    db.session.flush()
    return moved


def order_risks(actor: User | None, process: Process, wanted: list[Risk]) -> list[Risk]:
    """Put the listed risks of the process in this order, in the places they hold among its risks; the others
    (archived ones too) keep theirs. Returns the risks whose sort order changed."""
    current = sorted(db.session.scalars(select(Risk).where(Risk.process_id == process.id)),
                     key=lambda r: (r.sort_order, r.id))
    return list(write_order(actor, current, placed(current, wanted), process.unit_id))


def _next_risk_order(process: Process) -> int:
    """One past the highest sort order among the process's risks (0 for its first)."""
    if process.id is None:
        db.session.flush()
    highest = db.session.scalar(select(func.max(Risk.sort_order)).where(Risk.process_id == process.id))
    return 0 if highest is None else highest + 1


def set_archived(actor: User | None, risk: Risk, archived: bool) -> None:
    changes = audit.apply_changes(risk, is_archived=archived)
    if changes:
        audit.record(actor, "archive" if archived else "restore", risk, changes, unit_id=risk.process.unit_id)


def link_control(actor: User | None, risk: Risk, control: Control) -> None:
    """Say that an egenkontroll follows up this risk."""
    _link(actor, risk, "controls", control)


def unlink_control(actor: User | None, risk: Risk, control: Control) -> None:
    _unlink(actor, risk, "controls", control)


def link_action(actor: User | None, risk: Risk, action: Action) -> None:
    """Say that an åtgärd treats this risk."""
    _link(actor, risk, "actions", action)


def unlink_action(actor: User | None, risk: Risk, action: Action) -> None:
    _unlink(actor, risk, "actions", action)


# The link tables of a risk's items, by the name of its relationship: (table, the item's column, the item's name).
_LINKS = {
    "controls": (risk_controls, risk_controls.c.control_id, "Egenkontrollen"),
    "actions": (risk_actions, risk_actions.c.action_id, "Åtgärden"),
}


def _link(actor: User | None, risk: Risk, kind: str, item: Control | Action) -> None:
    table, item_column, name = _LINKS[kind]
    _same_unit(risk, item.unit_id, name)
    linked = getattr(risk, kind)
    if item not in linked:
        _append_link(table, item_column, risk, item, linked)
        audit.record(actor, "link", risk, {kind: [None, item.id]}, unit_id=item.unit_id)


def _unlink(actor: User | None, risk: Risk, kind: str, item: Control | Action) -> None:
    linked = getattr(risk, kind)
    if item in linked:
        linked.remove(item)
        audit.record(actor, "unlink", risk, {kind: [item.id, None]}, unit_id=item.unit_id)


def _append_link(table: Table, item_column, risk: Risk, item: Control | Action, linked: list) -> None:
    """Link the item to the risk as its last egenkontroll or åtgärd (the link row's position)."""
    position = db.session.scalar(
        select(func.coalesce(func.max(table.c.position) + 1, 0)).where(table.c.risk_id == risk.id)
    )
    linked.append(item)
    db.session.flush()
    db.session.execute(
        update(table).where(table.c.risk_id == risk.id, item_column == item.id).values(position=position)
    )


def order_links(actor: User | None, risk: Risk, kind: str, items: list[Control] | list[Action]) -> bool:
    """Put the listed egenkontroller (kind "controls") or åtgärder ("actions") of the risk in this order, in the
    places they hold among its items; the others keep theirs. Items not linked to the risk are ignored. A new order
    is audited on the risk as the list of its items before and after. Returns whether the order changed."""
    table, item_column, _ = _LINKS[kind]
    db.session.flush()
    positions = {item_id: position for item_id, position in db.session.execute(
        select(item_column, table.c.position).where(table.c.risk_id == risk.id))}
    current = sorted(positions, key=lambda item_id: (positions[item_id], item_id))
    ordered = placed(current, [item.id for item in items])
    if ordered == current:
        return False
    for position, item_id in enumerate(ordered):
        if positions[item_id] != position:
            db.session.execute(
                update(table).where(table.c.risk_id == risk.id, item_column == item_id).values(position=position)
            )
    db.session.expire(risk, [kind])
    audit.record(actor, "update", risk, {f"{kind[:-1]}_order": [current, ordered]}, unit_id=risk.process.unit_id)
    return True


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
