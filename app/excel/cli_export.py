"""flask plan export."""

from app.plans.commands import plan  # noqa: F401
