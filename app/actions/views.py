"""Views of the actions blueprint."""

from app.actions import blueprint  # noqa: F401
