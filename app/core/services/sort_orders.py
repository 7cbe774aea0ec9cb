"""Writing a new order of processes or risks as their sort orders, audited per item whose number changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from app.core import audit
from app.core.ordering import renumbered
from app.models import Process, Risk, User

Ordered = TypeVar("Ordered", Process, Risk)


def write_order(actor: User | None, current: Sequence[Ordered], order: Sequence[Ordered],
                unit_id: int) -> dict[Ordered, audit.Changes]:
    """Give the items of current (as they are ordered now) the sort orders that make them sort as order does."""
    numbers = renumbered(order, [item.sort_order for item in current])
    changed: dict[Ordered, audit.Changes] = {}
    for item in order:
        changes = audit.apply_changes(item, sort_order=numbers[item])
        if changes:
            audit.record(actor, "update", item, changes, unit_id=unit_id)
            changed[item] = changes
    return changed
