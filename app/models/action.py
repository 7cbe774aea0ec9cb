"""Åtgärder: corrective actions with a responsible person, a tidsplan and a status."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    String,
    Text,
    and_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.assessment import MAX_YEAR, MIN_YEAR
from app.models.base import Base, UTCDateTime, ref_column, utcnow
from app.models.enums import ActionStatus, enum_column_type
from app.models.risk import risk_actions
from app.models.unit import Unit
from app.models.user import User

if TYPE_CHECKING:
    from app.models.risk import Risk


class Action(Base):
    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint(f"start_year BETWEEN {MIN_YEAR} AND {MAX_YEAR}", name="start_year_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column("A")
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(1000))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    start_year: Mapped[int] = mapped_column(index=True)
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(enum_column_type(ActionStatus, "action_status"))
    follow_up: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None]
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit] = relationship()
    responsible: Mapped[User | None] = relationship()
    risks: Mapped[list[Risk]] = relationship(
        secondary=risk_actions, back_populates="actions", order_by="Risk.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, today: date) -> bool:
        """Past its tidsplan and still open."""
        return self.status.is_open and self.due_on is not None and self.due_on < today

    @hybrid_method
    def is_visible_in(self, year: int) -> bool:
        """Shown in every year from its start until the year it was completed (DESIGN: Years)."""
        if year < self.start_year:
            return False
        return self.completed_on is None or year <= self.completed_on.year

    # hybrid_method.expression already changes the hybrid in place (its .inplace only returns it, and mypy
    # mis-types that property), so the SQL side is attached directly.
    @is_visible_in.expression
    @classmethod
    def _is_visible_in_expression(cls, year: int) -> ColumnElement[bool]:
        """The same rule in SQL, for lists that filter in the database."""
        return and_(cls.start_year <= year, or_(cls.completed_on.is_(None), cls.completed_on >= date(year, 1, 1)))

    def __repr__(self) -> str:
        return f"<Action {self.id} {self.title!r}>"
