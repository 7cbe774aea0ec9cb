"""Filters and globals the templates share: dates, colours, permissions, history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_login import current_user

from app.core.history import ENTITIES, VERBS, describe_changes
from app.core.permissions import (
    can_edit_action,
    can_edit_control,
    can_edit_process,
    can_edit_risk,
)
from app.core.years import current_year, local_time, today
from app.models import Action, AuditEvent, Control, Process, Risk, User

# Each check takes the item of its own type: can_edit looks it up by type(item).
_EDIT_CHECKS: dict[type, Callable[[User, Any], bool]] = {Risk: can_edit_risk, Process: can_edit_process, Control: can_edit_control, Action: can_edit_action}


def iso_date(value: date | datetime | None) -> str:
    """ISO 8601 dates, as Swedish authorities write them (times in the users' zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_time(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def text_on(colour: str) -> str:
    """Black or white text, whichever reads better on a level colour."""
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "#000000" if luminance > 150 else "#ffffff"


def can_edit(item: object) -> bool:
    """Whether the signed-in user may change this register item (the views enforce the same rule)."""
    check = _EDIT_CHECKS.get(type(item))
    return bool(check and current_user.is_authenticated and check(current_user, item))


def event_summary(event: AuditEvent) -> str:
    return f"{VERBS.get(event.verb, event.verb).capitalize()} {ENTITIES.get(event.entity_type, event.entity_type)}"


def event_changes(event: AuditEvent) -> list:
    """Prepared by history.events_for (names resolved in bulk); described on the spot otherwise."""
    return event.described_changes or describe_changes(event)


def register(app: Flask) -> None:
    app.add_template_filter(iso_date, "iso_date")
    app.add_template_filter(text_on, "text_on")
    app.add_template_filter(event_summary, "event_summary")
    app.add_template_filter(event_changes, "event_changes")
    app.add_template_global(current_year, "current_year")
    app.add_template_global(today, "today")
    app.add_template_global(can_edit, "can_edit")
