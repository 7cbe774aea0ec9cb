"""Views of the plans blueprint."""

from app.plans import blueprint  # noqa: F401
