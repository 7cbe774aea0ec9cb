"""flask plan import."""

from app.plans.commands import plan  # noqa: F401
