"""Putting some of a list's items in a given order: the one rule behind reordering processes, risks, and a risk's
egenkontroller and åtgärder, whether a person moves them or an imported plan lists them.

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def placed(current: Sequence[T], wanted: Sequence[T]) -> list[T]:
    """current with the items of wanted in wanted's order, in the places they hold; the others keep their places.

    Items of wanted that current does not hold are ignored: a plan that lists three of a process's five risks
    reorders those three among the places they have, and leaves the two it does not list where they are.
    """
    members = set(current)
    listed = [item for item in dict.fromkeys(wanted) if item in members]
    chosen = set(listed)
    queue = iter(listed)
    return [next(queue) if item in chosen else item for item in current]


def renumbered(order: Sequence[T], numbers: Sequence[int]) -> dict[T, int]:
    """The sort order each item gets so that sorting by it gives `order`; numbers are the items' present ones.

    The present numbers are handed out again in ascending order, so that an item that did not move keeps its number
    and nothing outside the list moves. Numbers that repeat cannot order the items they share, and are replaced by
    0, 1, 2 …
    """
    ascending = sorted(numbers)
    if len(set(ascending)) < len(ascending):
        ascending = list(range(len(order)))
    return dict(zip(order, ascending))
