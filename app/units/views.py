"""Views of the units blueprint."""

from app.units import blueprint  # noqa: F401
