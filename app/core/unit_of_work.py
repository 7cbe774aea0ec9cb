"""The one transaction of a command or a job: what a request's boundary (app/web/boundary.py) is for a request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from app.extensions import db


@dataclass
class UnitOfWork:
    """Commits when the block ends, unless discarded (a dry run, a refused import)."""

    keep: bool = True

    def discard(self) -> None:
        self.keep = False


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """Commit once at the end of the block; an exception, or a discard, rolls everything back."""
    work = UnitOfWork()
    try:
        yield work
    except BaseException:
        db.session.rollback()
        raise
    if work.keep:
        db.session.commit()
    else:
        db.session.rollback()
