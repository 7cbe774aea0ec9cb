"""Paging any SELECT: one count query and one page query, whatever the size of the register."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db

PER_PAGE = 50


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(statement: Select, page: int, per_page: int = PER_PAGE, *, rows: bool = False) -> Page:
    """A page of the statement's results: entities (scalars), or whole rows when rows=True."""
    total = db.session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()
    number = min(max(page, 1), max(1, math.ceil(total / per_page)))
    limited = statement.limit(per_page).offset((number - 1) * per_page)
    result = db.session.execute(limited)
    items = list(result.all()) if rows else list(result.scalars().unique())
    return Page(items, number, per_page, total)
