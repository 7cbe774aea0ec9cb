"""What the filter and edit forms offer, and how they read: shared by processes, risks, egenkontroller and åtgärder."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.core.permissions import can_contribute_to_unit
from app.core.text import sorted_choices
from app.core.units import unit_subtree_ids
from app.core.validation import clean_text
from app.extensions import db
from app.models import Process, Unit, User
from app.web.forms import choice_list


def unit_choices(readable: set[int]) -> list[SelectChoice]:
    units = db.session.scalars(select(Unit).where(Unit.id.in_(readable)))
    return choice_list([(None, "Alla enheter"), *sorted_choices((u.id, u.name) for u in units)])


def process_choices(unit_ids: set[int]) -> list[SelectChoice]:
    processes = db.session.scalars(
        select(Process).where(Process.unit_id.in_(unit_ids), Process.is_archived.is_(False))
    )
    return choice_list([(None, "Alla processer"), *sorted_choices((p.id, p.title) for p in processes)])


def people_choices(person_column, unit_column, unit_ids: set[int]) -> list[SelectChoice]:
    """The people named in person_column (owner, responsible) of the rows in these units."""
    people = db.session.scalars(
        select(User).join(person_column.class_, person_column == User.id).where(unit_column.in_(unit_ids)).distinct()
    )
    return choice_list([(None, "Alla"), *sorted_choices((u.id, u.name) for u in people)])


def filtered_unit_ids(chosen: int | None, readable: set[int]) -> set[int]:
    """?enhet= on every list: the chosen unit and its sub-units, within what the user may read; else all she may."""
    return unit_subtree_ids(chosen) & readable if chosen else readable


def search_text(form) -> str:
    """The ?sok= text without control characters, or nothing if the field refused it."""
    if form.sok.errors:
        return ""
    return clean_text(form.sok.data, "Sök", max_length=200, field="sok")


def creatable_unit(chosen: int | None) -> int | None:
    """The unit a "Ny …" button adds to: the filtered one, else the user's own, if she may add there."""
    for unit_id in (chosen, current_user.unit_id):
        if unit_id is not None and can_contribute_to_unit(current_user, unit_id):
            return unit_id
    return None


def people_of_unit(unit_id: int, *, keep: User | None = None) -> list[SelectChoice]:
    """The unit's active people in Swedish order, plus `keep` (already chosen) even if inactivated since."""
    people = list(db.session.scalars(select(User).where(User.unit_id == unit_id, User.is_active.is_(True))))
    if keep is not None and keep not in people:
        people.append(keep)
    return choice_list(
        sorted_choices((u.id, u.name if u.is_active else f"{u.name} (inaktiverad)") for u in people)
    )
