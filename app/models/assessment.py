"""One risk's scoring and status for one year."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.enums import RiskStatus, enum_column_type
from app.models.user import User

if TYPE_CHECKING:
    from app.models.risk import Risk

MIN_YEAR, MAX_YEAR = 2000, 2100


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("risk_id", "year"),
        CheckConstraint(f"year BETWEEN {MIN_YEAR} AND {MAX_YEAR}", name="year_in_range"),
        CheckConstraint("likelihood >= 1", name="likelihood_positive"),
        CheckConstraint("consequence >= 1", name="consequence_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(index=True)
    likelihood: Mapped[int]
    consequence: Mapped[int]
    status: Mapped[RiskStatus] = mapped_column(enum_column_type(RiskStatus, "risk_status"))
    comment: Mapped[str] = mapped_column(Text, default="")
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic locking: an UPDATE only lands if nobody bumped the version since it was read.
    version: Mapped[int] = mapped_column(default=1)

    risk: Mapped[Risk] = relationship(back_populates="assessments")
    assessed_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def score(self) -> int:
        """Riskvärde: derived from the two axes, never stored."""
        return self.likelihood * self.consequence

    def __repr__(self) -> str:
        return f"<Assessment risk={self.risk_id} year={self.year} score={self.score}>"
