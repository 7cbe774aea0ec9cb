"""Domain errors raised by services, each carrying a Swedish message fit to show a user."""

from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """A rule of the register refused the change; nothing was written."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """The input breaks a rule of the register."""


class PermissionDenied(DomainError):
    """The person may not do this."""


class LockedYearError(DomainError):
    """The year is fastställd and låst."""


class StaleEditError(DomainError):
    """Somebody else saved the same item after this person loaded it."""

    def __init__(self, changed_by: str | None, changed_at: datetime | None):
        """changed_at in the users' time zone, as it will be shown."""
        who = changed_by or "någon annan"
        when = f" {changed_at.strftime('%H:%M')}" if changed_at else ""
        super().__init__(f"Ändrad av {who}{when} efter att du öppnade sidan. Dina uppgifter finns kvar i formuläret.")
        self.changed_by = changed_by
        self.changed_at = changed_at
