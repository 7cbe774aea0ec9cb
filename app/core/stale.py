"""Optimistic locking: turning a lost race into a StaleEditError that names who won it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from app.core import audit
from app.core.errors import StaleEditError
from app.core.years import local_time
from app.extensions import db


def check_version(entity: Any, expected_version: int | None) -> None:
    """Refuse the edit if the entity changed since the form showed version expected_version."""
    if expected_version is not None and expected_version != entity.version:
        raise stale_error(type(entity).__name__, entity.id)


@contextmanager
def guarded_flush(entity: Any) -> Iterator[None]:
    """Flush; if a concurrent writer bumped the version first, roll back and say who it was."""
    entity_type, entity_id = type(entity).__name__, entity.id
    try:
        yield
        db.session.flush()
    except StaleDataError:
        # The transaction is unusable after a failed flush; nothing of it may land anyway.
        db.session.rollback()
        raise stale_error(entity_type, entity_id) from None


def stale_error(entity_type: str, entity_id: int) -> StaleEditError:
    event = audit.latest_event(entity_type, entity_id)
    if event is None:
        return StaleEditError(None, None)
    return StaleEditError(event.actor.name if event.actor else "systemet", local_time(event.occurred_at))
