"""Risks of a process, and their many-to-many links to egenkontroller and åtgärder."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, ref_column, utcnow
from app.models.enums import QualityArea, enum_column_type
from app.models.process import Process

if TYPE_CHECKING:
    from app.models.action import Action
    from app.models.assessment import Assessment
    from app.models.control import Control

risk_controls = Table(
    "risk_controls",
    Base.metadata,
    Column("risk_id", ForeignKey("risks.id", ondelete="CASCADE"), primary_key=True),
    Column("control_id", ForeignKey("controls.id", ondelete="CASCADE"), primary_key=True, index=True),
    # Where the egenkontroll stands among the risk's own (the appendix lists them in this order); new links go last.
    Column("position", Integer, nullable=False, default=0, server_default="0"),
)

risk_actions = Table(
    "risk_actions",
    Base.metadata,
    Column("risk_id", ForeignKey("risks.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("position", Integer, nullable=False, default=0, server_default="0"),  # as risk_controls.position
)


class Risk(Base):
    __tablename__ = "risks"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column("R")
    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    quality_area: Mapped[QualityArea | None] = mapped_column(enum_column_type(QualityArea, "quality_area"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    is_archived: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0, server_default="0")  # its place among its process's risks

    process: Mapped[Process] = relationship(back_populates="risks")
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="risk", order_by="Assessment.year", cascade="all, delete-orphan"
    )
    controls: Mapped[list[Control]] = relationship(
        secondary=risk_controls, back_populates="risks", order_by="(risk_controls.c.position, Control.id)"
    )
    actions: Mapped[list[Action]] = relationship(
        secondary=risk_actions, back_populates="risks", order_by="(risk_actions.c.position, Action.id)"
    )

    def assessment_for(self, year: int) -> Assessment | None:
        """This risk's assessment for one year, from the loaded collection (no query if preloaded)."""
        return next((a for a in self.assessments if a.year == year), None)

    def __repr__(self) -> str:
        return f"<Risk {self.id} {self.title!r}>"
