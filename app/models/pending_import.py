"""An uploaded import waiting for its uploader to confirm the preview; kept in the database because the app runs as
several stateless servers. The preview is kept with it, so that showing it reads one row and writes nothing."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.unit import Unit
from app.models.user import User


def new_token() -> str:
    """An unguessable handle for the preview URL."""
    return secrets.token_urlsafe(32)


class PendingImport(Base):
    __tablename__ = "pending_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    # What the import will do, as the preview page shows it (app/plans/import_preview.py); the confirm applies the
    # import only while it still gives this preview.
    preview: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    unit: Mapped[Unit] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PendingImport {self.filename!r} unit={self.unit_id} year={self.year}>"
