"""Egenkontroller (planned self-inspections) and the checks performed under them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.assessment import MAX_YEAR, MIN_YEAR
from app.models.base import Base, UTCDateTime, ref_column, utcnow
from app.models.enums import CheckOutcome, Frequency, enum_column_type
from app.models.risk import risk_controls
from app.models.unit import Unit
from app.models.user import User

if TYPE_CHECKING:
    from app.models.risk import Risk


class Control(Base):
    __tablename__ = "controls"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column("E")
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    # How it is done: stickprov, ärendegenomgång, journalgranskning, enkät, statistik …
    method: Mapped[str] = mapped_column(String(300), default="")
    frequency: Mapped[Frequency] = mapped_column(enum_column_type(Frequency, "frequency"))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    responsible: Mapped[User | None] = relationship()
    risks: Mapped[list[Risk]] = relationship(
        secondary=risk_controls, back_populates="controls", order_by="Risk.id"
    )
    checks: Mapped[list[ControlCheck]] = relationship(
        back_populates="control",
        order_by="(ControlCheck.performed_on, ControlCheck.id)",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Control {self.id} {self.title!r}>"


class ControlCheck(Base):
    __tablename__ = "control_checks"
    __table_args__ = (CheckConstraint(f"year BETWEEN {MIN_YEAR} AND {MAX_YEAR}", name="year_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column("G")
    control_id: Mapped[int] = mapped_column(ForeignKey("controls.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    performed_on: Mapped[date]
    outcome: Mapped[CheckOutcome] = mapped_column(enum_column_type(CheckOutcome, "check_outcome"))
    findings: Mapped[str] = mapped_column(Text, default="")
    performed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    control: Mapped[Control] = relationship(back_populates="checks")
    performed_by: Mapped[User | None] = relationship()

    @property
    def counts_as_performed(self) -> bool:
        """A check recorded as "Ej genomförd" documents that the egenkontroll was not carried out."""
        return self.outcome is not CheckOutcome.NOT_PERFORMED

    def __repr__(self) -> str:
        return f"<ControlCheck control={self.control_id} {self.performed_on}>"
