"""Organisational units: creating them, finding them, and the unit-subtree rule (SQL and Python side by side)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import Select, select

from app.core import audit
from app.core.errors import ValidationError
from app.core.validation import clean_text
from app.extensions import db
from app.models import Unit, User

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def create_unit(actor: User | None, *, code: str, name: str, parent: Unit | None = None) -> Unit:
    """A new unit, optionally under a parent (nämnd → förvaltning → enhet)."""
    code = (code or "").strip().lower()
    if not _CODE.match(code):
        raise ValidationError(
            "Kortnamnet får bara innehålla a–z, 0–9 och bindestreck (högst 40 tecken).", field="code"
        )
    if db.session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise ValidationError(f"Det finns redan en enhet med kortnamnet {code}.", field="code")
    unit = Unit(code=code, name=clean_text(name, "Namn", max_length=200, required=True, field="name"), parent=parent)
    db.session.add(unit)
    db.session.flush()
    audit.record(actor, "create", unit, audit.snapshot(unit, ["code", "name", "parent_id"]), unit_id=unit.id)
    return unit


def find_unit(code_or_name: str) -> Unit | None:
    """A unit by its code, or else by its exact name ignoring case: what people type on the command line."""
    wanted = code_or_name.strip()
    unit = db.session.scalar(select(Unit).where(Unit.code == wanted.lower()))
    if unit is None:
        matches = [u for u in db.session.scalars(select(Unit)) if u.name.casefold() == wanted.casefold()]
        unit = matches[0] if len(matches) == 1 else None
    return unit


def subtree_select(unit_id: int) -> Select[tuple[int]]:
    """SQL form of the unit-subtree rule: the ids of the unit and every unit below it, as one recursive query."""
    tree = select(Unit.id).where(Unit.id == unit_id).cte("unit_subtree", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
    return select(tree.c.id)


def unit_subtree_ids(unit_id: int) -> set[int]:
    """The unit and every unit below it (nämnd → förvaltning → enhet), in one query."""
    return set(db.session.scalars(subtree_select(unit_id)))


def subtree_in(unit_id: int, parent_of: Mapping[int, int | None]) -> set[int]:
    """Python form of the same rule over units already loaded as {id: parent_id}, for pure code (the graph)."""
    children: dict[int | None, list[int]] = {}
    for child, parent in parent_of.items():
        children.setdefault(parent, []).append(child)
    found, frontier = {unit_id}, [unit_id]
    while frontier:
        frontier = [child for parent in frontier for child in children.get(parent, []) if child not in found]
        found.update(frontier)
    return found
