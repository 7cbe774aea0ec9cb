"""Which plan an export writes: a locked year's snapshot, taken at the lock, or the register as it is now."""

from __future__ import annotations

import dataclasses

from app.core.unit_year import find_plan
from app.core.year_diff_loader import diff_plans
from app.core.year_plan import PlanData
from app.core.year_plan_loader import load_plan_data
from app.core.years import local_time
from app.excel.export.snapshot import dump, load
from app.models import Plan, Unit


def plan_for_export(unit: Unit, year: int) -> PlanData:
    """The locked year's frozen plan, so its export has the same cells every time; otherwise today's register.

    A snapshot this version cannot read (written by a newer one, or damaged) is refused with UnreadableSnapshot, a
    DomainError with a Swedish message.
    """
    plan = find_plan(unit.id, year)
    if plan is not None and plan.is_locked and plan.snapshot:
        return load(plan.snapshot)
    return with_changes(load_plan_data(unit, year), unit)


def take_snapshot(plan: Plan, unit: Unit) -> None:
    """Freeze the year's plan as it stands at the lock; "exported at" becomes the moment of locking."""
    assert plan.locked_at is not None, "lock_year sets locked_at before it takes the snapshot"
    data = with_changes(load_plan_data(unit, plan.year), unit)
    plan.snapshot = dump(dataclasses.replace(data, exported_at=local_time(plan.locked_at)))


def with_changes(data: PlanData, unit: Unit) -> PlanData:
    """The plan with its comparison against the year before, for the Förändring sheet."""
    # The year itself is already loaded: only the year before is read again.
    return dataclasses.replace(data, changes=diff_plans(load_plan_data(unit, data.year - 1), data))
