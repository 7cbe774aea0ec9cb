"""Declarative base, constraint naming and the column types every model shares."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, mapped_column

# Alembic's batch mode on SQLite recreates tables and needs every constraint to have a name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def new_ref(prefix: str) -> str:
    """A stable id for exports ("R-3F9A1C0B2D4E"): survives re-import into another database, unlike the row id."""
    return f"{prefix}-{uuid.uuid4().hex[:12].upper()}"


def ref_column(prefix: str):
    """The ref column of an exportable entity, filled on insert."""
    return mapped_column(String(20), unique=True, default=lambda: new_ref(prefix))


def utcnow() -> datetime:
    """Timezone-aware now, used as a column default callable (never a value fixed at import)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores UTC and always returns aware datetimes, also on SQLite which keeps no zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
