"""The audit trail told in Swedish: who changed which field from what to what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import literal, or_, select, union_all
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    AuditEvent,
    CheckOutcome,
    Control,
    Frequency,
    PlanStatus,
    Process,
    QualityArea,
    RiskStatus,
    Role,
    Unit,
    User,
)
from app.models.enums import LabeledEnum

VERBS = {
    "create": "skapade",
    "update": "ändrade",
    "delete": "tog bort",
    "archive": "arkiverade",
    "restore": "återställde",
    "link": "kopplade",
    "lock": "fastställde och låste",
    "unlock": "låste upp",
    "rollover": "förde över",
    "unlink": "kopplade bort",
}
ENTITIES = {
    "Risk": "risken",
    "Assessment": "bedömningen",
    "Process": "processen",
    "Control": "egenkontrollen",
    "ControlCheck": "genomförd egenkontroll",
    "Action": "åtgärden",
    "Plan": "kvalitetsplanen",
    "RiskMatrix": "riskmatrisen",
    "Unit": "enheten",
    "User": "användaren",
}
FIELDS = {
    "title": "Namn",
    "description": "Beskrivning",
    "quality_area": "Kvalitetsområde",
    "process_id": "Process",
    "year": "År",
    "likelihood": "Sannolikhet",
    "consequence": "Konsekvens",
    "status": "Status",
    "comment": "Kommentar",
    "method": "Metod",
    "frequency": "Frekvens",
    "responsible_id": "Ansvarig",
    "owner_id": "Processägare",
    "parent_id": "Överordnad",
    "sort_order": "Ordning",
    "start_year": "Startår",
    "due_on": "Klart senast",
    "follow_up": "Uppföljning",
    "completed_on": "Genomförd datum",
    "performed_on": "Datum",
    "outcome": "Resultat",
    "findings": "Iakttagelser",
    "is_archived": "Arkiverad",
    "controls": "Egenkontroll",
    "control_id": "Egenkontroll",
    "actions": "Åtgärd",
    "control_order": "Egenkontrollernas ordning",
    "action_order": "Åtgärdernas ordning",
    "unit_id": "Enhet",
    "code": "Kortnamn",
    "name": "Namn",
    "email": "E-post",
    "role": "Roll",
    "likelihood_size": "Sannolikhetsskala",
    "consequence_size": "Konsekvensskala",
    "bands": "Risknivåer",
    "locked_at": "Låst",
    "locked_by_id": "Låst av",
    "reason": "Skäl",
    "carried_over": "Överförda risker",
    "left_behind": "Avslutade risker som inte förs över",
}
# The models an audited field can refer to by id.
Referenced: TypeAlias = User | Process | Control | Action | Unit
# Fields holding the id of another row, shown by that row's name: (entity type or None for any, field) → model.
REFERENCES: dict[tuple[str | None, str], tuple[type[Referenced], str]] = {
    (None, "responsible_id"): (User, "name"),
    (None, "owner_id"): (User, "name"),
    (None, "locked_by_id"): (User, "name"),
    (None, "process_id"): (Process, "title"),
    ("Process", "parent_id"): (Process, "title"),
    ("Unit", "parent_id"): (Unit, "name"),
    (None, "controls"): (Control, "title"),
    (None, "control_id"): (Control, "title"),
    (None, "actions"): (Action, "title"),
    (None, "control_order"): (Control, "title"),
    (None, "action_order"): (Action, "title"),
    (None, "unit_id"): (Unit, "name"),
}
ENUMS: dict[tuple[str, str], type[LabeledEnum]] = {
    ("Assessment", "status"): RiskStatus,
    ("Action", "status"): ActionStatus,
    ("ControlCheck", "outcome"): CheckOutcome,
    ("Control", "frequency"): Frequency,
    ("Risk", "quality_area"): QualityArea,
    ("User", "role"): Role,
    ("Plan", "status"): PlanStatus,
}


@dataclass
class Change:
    field: str
    old: str
    new: str


def describe_changes(event: AuditEvent, names: dict[tuple[type[Referenced], int], str] | None = None) -> list[Change]:
    """The event's changes in field order, with enum labels and the names of referenced rows."""
    order = list(FIELDS)
    fields = sorted(event.changes, key=lambda name: order.index(name) if name in order else len(order))
    return [
        Change(
            FIELDS.get(name, name),
            _show(event.entity_type, name, event.changes[name][0], names or {}),
            _show(event.entity_type, name, event.changes[name][1], names or {}),
        )
        for name in fields
    ]


def referenced_names(events: list[AuditEvent]) -> dict[tuple[type[Referenced], int], str]:
    """Names of every row the events refer to by id, in one query whatever they refer to."""
    wanted: dict[tuple[type[Referenced], str], set[int]] = {reference: set() for reference in set(REFERENCES.values())}
    for event in events:
        for name, values in event.changes.items():
            reference = _reference(event.entity_type, name)
            if reference:
                wanted[reference].update(v for v in _ids(values) if isinstance(v, int) and not isinstance(v, bool))
    models = {model.__name__: model for model, _ in wanted}
    parts = [
        select(literal(model.__name__).label("kind"), model.id, getattr(model, attribute).label("label")).where(
            model.id.in_(ids)
        )
        for (model, attribute), ids in sorted(wanted.items(), key=lambda item: item[0][0].__name__)
    ]
    return {(models[kind], row_id): label for kind, row_id, label in db.session.execute(union_all(*parts))}


def events_for(*entities: tuple[str, list[int]], limit: int = 200) -> list[AuditEvent]:
    """Latest first, for several (entity_type, ids) at once; one query plus one for the actors."""
    conditions = [
        (AuditEvent.entity_type == entity_type) & AuditEvent.entity_id.in_(ids) for entity_type, ids in entities if ids
    ]
    if not conditions:
        return []
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(or_(*conditions))
            .options(selectinload(AuditEvent.actor))
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
    names = referenced_names(events)
    for event in events:
        event.described_changes = describe_changes(event, names)
    return events


def _ids(values: list) -> list:
    """A change's old and new values, with a list (an order of items) read as its members."""
    return [member for value in values for member in (value if isinstance(value, list) else [value])]


def _reference(entity_type: str, field: str) -> tuple[type[Referenced], str] | None:
    return REFERENCES.get((entity_type, field)) or REFERENCES.get((None, field))


def _show(entity_type: str, field: str, value: Any, names: dict[tuple[type[Referenced], int], str]) -> str:
    if value is None or value == "":
        return "–"
    reference = _reference(entity_type, field)
    if reference and isinstance(value, int):
        return names.get((reference[0], value), f"#{value} (borttagen)")
    if reference and isinstance(value, list):
        return ", ".join(_show(entity_type, field, member, names) for member in value)
    enum_class = ENUMS.get((entity_type, field))
    if enum_class is not None:
        try:
            return enum_class(value).label
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(str(item.get("name", item)) if isinstance(item, dict) else str(item) for item in value)
    return str(value)
