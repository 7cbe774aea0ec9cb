"""Views of the processes blueprint."""

from app.processes import blueprint  # noqa: F401
