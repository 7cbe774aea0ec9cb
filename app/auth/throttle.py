"""Slowing down password guessing: too many recent failures for an account or an address lock it out for a while."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select

from app.extensions import db
from app.models import LoginAttempt, utcnow

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


def is_throttled(email: str, ip_address: str, now: datetime | None = None) -> bool:
    """True while the account or the client address has too many failures in the window."""
    since = (now or utcnow()) - WINDOW
    return (
        _failures(LoginAttempt.email == email, since, reset_by_success=True) >= MAX_FAILURES_PER_ACCOUNT
        # An address is not reset by a success: a guesser with one valid account could otherwise go on forever.
        or _failures(LoginAttempt.ip_address == ip_address, since, reset_by_success=False) >= MAX_FAILURES_PER_ADDRESS
    )


def record_attempt(email: str, ip_address: str, *, succeeded: bool) -> None:
    db.session.add(LoginAttempt(email=email, ip_address=ip_address, is_success=succeeded))


def _failures(condition: ColumnElement[bool], since: datetime, *, reset_by_success: bool) -> int:
    """Failures in the window; for an account, only those after its last successful sign-in."""
    start = since
    if reset_by_success:
        last_success = db.session.scalar(
            select(func.max(LoginAttempt.attempted_at)).where(condition, LoginAttempt.is_success.is_(True))
        )
        start = max(since, last_success) if last_success else since
    return db.session.execute(
        select(func.count())
        .select_from(LoginAttempt)
        .where(condition, LoginAttempt.is_success.is_(False), LoginAttempt.attempted_at > start)
    ).scalar_one()
