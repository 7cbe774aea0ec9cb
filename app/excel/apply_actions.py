"""What an åtgärd row asks of the register: every field in the Register, only additions in the appendix."""

from __future__ import annotations

from datetime import date

from app.core.years import today
from app.excel.apply import Context
from app.excel.parse import ParsedItem
from app.models import Action, ActionStatus, Unit

DEFAULT_FOLLOW_UP = "Markerad som genomförd vid import."


def register_fields(ctx: Context, item: ParsedItem, existing: Action | None, unit: Unit) -> dict:
    values = item.values
    return dict(
        title=item.title, start_year=values["start_year"], status=values["status"],
        description=values["description"], due_on=values["due_on"], follow_up=values["follow_up"],
        completed_on=values["completed_on"],
        responsible=ctx.person(item, "responsible", existing.responsible if existing else None, unit),
    )


def appendix_fields(ctx: Context, item: ParsedItem, existing: Action | None, unit: Unit) -> dict:
    """✓ completes an open åtgärd (under "_complete", for complete_action), a status label sets the status, and
    nothing reopens or clears what the register already says."""
    wanted = item.values.get("status")
    fields = dict(
        title=existing.title if existing else item.title,
        start_year=existing.start_year if existing else ctx.year,
        description=given(item, "description", existing, ""),
        responsible=ctx.person(item, "responsible", existing.responsible if existing else None, unit),
        due_on=existing.due_on if existing else None,
        status=existing.status if existing else (wanted or ActionStatus.PLANNED),
        follow_up=existing.follow_up if existing else "",
        completed_on=existing.completed_on if existing else None,
    )
    done_on = date_in(ctx.year)
    follow_up = item.values.get("follow_up") or (existing.follow_up if existing else "") or DEFAULT_FOLLOW_UP
    if existing is None:
        if wanted is ActionStatus.DONE:
            fields.update(follow_up=follow_up, completed_on=done_on)
    elif wanted is ActionStatus.DONE and existing.status.is_open:
        fields["_complete"] = dict(follow_up=follow_up, completed_on=done_on)
    elif wanted is ActionStatus.DONE and existing.status is not ActionStatus.DONE:
        ctx.warn(item, f"Åtgärden är {existing.status.label.lower()} i registret och markeras inte som genomförd.",
                 "status")
    elif wanted is not None and wanted is not ActionStatus.DONE:
        fields["status"] = wanted
    return fields


def given(item: ParsedItem, name: str, existing, default):
    """The file's value when it gives one, else the register's, else the default for a new item."""
    if name in item.values:
        return item.values[name]
    return getattr(existing, name) if existing is not None else default


def date_in(year: int) -> date:
    """The date an appendix mark (✓, ◆) stands for: the last day of the year, or today in the current year."""
    return min(date(year, 12, 31), today())
