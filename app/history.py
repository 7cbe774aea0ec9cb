"""The audit trail told in Swedish: who changed which field from what to what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ActionStatus, AuditEvent, CheckOutcome, Frequency, QualityArea, RiskStatus
from app.models.enums import LabeledEnum

VERBS = {
    "create": "skapade",
    "update": "ändrade",
    "delete": "tog bort",
    "archive": "arkiverade",
    "restore": "återställde",
    "link": "kopplade",
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
    "actions": "Åtgärd",
}
ENUMS: dict[tuple[str, str], type[LabeledEnum]] = {
    ("Assessment", "status"): RiskStatus,
    ("Action", "status"): ActionStatus,
    ("ControlCheck", "outcome"): CheckOutcome,
    ("Control", "frequency"): Frequency,
    ("Risk", "quality_area"): QualityArea,
}


@dataclass
class Change:
    field: str
    old: str
    new: str


def describe_changes(event: AuditEvent) -> list[Change]:
    return [
        Change(FIELDS.get(name, name), _show(event.entity_type, name, old), _show(event.entity_type, name, new))
        for name, (old, new) in sorted(event.changes.items(), key=lambda item: list(FIELDS).index(item[0])
                                       if item[0] in FIELDS else len(FIELDS))
    ]


def events_for(*entities: tuple[str, list[int]], limit: int = 200) -> list[AuditEvent]:
    """Latest first, for several (entity_type, ids) at once; one query plus one for the actors."""
    conditions = [
        (AuditEvent.entity_type == entity_type) & AuditEvent.entity_id.in_(ids) for entity_type, ids in entities if ids
    ]
    if not conditions:
        return []
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(or_(*conditions))
            .options(selectinload(AuditEvent.actor))
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def _show(entity_type: str, field: str, value: Any) -> str:
    if value is None or value == "":
        return "–"
    enum_class = ENUMS.get((entity_type, field))
    if enum_class is not None:
        try:
            return enum_class(value).label
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)
