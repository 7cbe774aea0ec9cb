"""A unit's processes, as a tree, each with a processägare."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, ref_column, utcnow
from app.models.unit import Unit
from app.models.user import User

if TYPE_CHECKING:
    from app.models.risk import Risk


class Process(Base):
    __tablename__ = "processes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column("P")
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("processes.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    owner: Mapped[User | None] = relationship()
    parent: Mapped[Process | None] = relationship(back_populates="children", remote_side=[id])
    children: Mapped[list[Process]] = relationship(
        back_populates="parent", order_by="(Process.sort_order, Process.id)"
    )
    risks: Mapped[list[Risk]] = relationship(
        back_populates="process", order_by="(Risk.sort_order, Risk.id)"
    )

    def __repr__(self) -> str:
        return f"<Process {self.id} {self.title!r}>"
