"""A unit's kvalitetsplan for one year, and whether that year is locked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.assessment import MAX_YEAR, MIN_YEAR
from app.models.base import Base, UTCDateTime, utcnow
from app.models.enums import PlanStatus, enum_column_type
from app.models.unit import Unit
from app.models.user import User


class Plan(Base):
    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("unit_id", "year"),
        CheckConstraint(f"year BETWEEN {MIN_YEAR} AND {MAX_YEAR}", name="year_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(enum_column_type(PlanStatus, "plan_status"))
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The year's plan as it stood when locked (app/excel/export/snapshot.py): its export never changes afterwards.
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    locked_by: Mapped[User | None] = relationship()

    @property
    def is_locked(self) -> bool:
        return self.status is PlanStatus.LOCKED

    def __repr__(self) -> str:
        return f"<Plan unit={self.unit_id} year={self.year} {self.status}>"
