"""Views of the controls blueprint."""

from app.controls import blueprint  # noqa: F401
