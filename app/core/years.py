"""The register's notion of "this year", and the year-range rule shared by every service."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from app.core.errors import ValidationError
from app.models import MAX_YEAR, MIN_YEAR


def current_year() -> int:
    """The year the register works in: configured (demo, tests) or today's."""
    return current_app.config.get("CURRENT_YEAR") or date.today().year


def today() -> date:
    """Today's date, unless pinned (RISKREGISTRET_TODAY) for demos, training and tests."""
    return current_app.config.get("TODAY") or date.today()


def validate_year(year: int) -> int:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"Året måste vara mellan {MIN_YEAR} och {MAX_YEAR}.", field="year")
    return year


def local_time(moment: datetime) -> datetime:
    """A stored (UTC) moment in the users' time zone."""
    return moment.astimezone(ZoneInfo(current_app.config.get("TIMEZONE", "Europe/Stockholm")))
