"""What needs a person's attention on a Monday morning: her risks, her åtgärder due, her egenkontroller not yet done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from app.analysis.load import coverage_for
from app.analysis.records import GAPS, Coverage
from app.core.permissions import readable_unit_ids
from app.core.text import swedish_order
from app.extensions import db
from app.main.overview import UnitOverview, unit_overviews
from app.models import (
    Action,
    ActionStatus,
    CheckOutcome,
    Control,
    ControlCheck,
    Role,
    User,
)

DUE_SOON = timedelta(days=30)
OPEN_ACTION = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


@dataclass
class MyWork:
    year: int
    today: date
    overviews: list[UnitOverview]
    my_actions: list[Action]
    my_controls: list[Control]
    unit_overdue_actions: list[Action] | None
    coverage: Coverage | None = None

    @property
    def coverage_gaps(self) -> list[tuple[str, int]]:
        """(heading, count) of each kind of gap, for the manager's Täckning card."""
        if self.coverage is None:
            return []
        return [(GAPS[key][0], len(items)) for key, items in self.coverage.gap_lists().items()]

    @property
    def unassessed_count(self) -> int:
        return sum(1 for o in self.overviews for row in o.processes for item in row.risks if item.assessment is None)


def load_my_work(user: User, year: int, today: date) -> MyWork:
    units = readable_unit_ids(user)
    owner_id = user.id if user.role is Role.OWNER else None
    manages = user.role in (Role.MANAGER, Role.ADMIN)
    return MyWork(
        year=year,
        today=today,
        overviews=unit_overviews(year, units, owner_id=owner_id),
        my_actions=_actions(Action.responsible_id == user.id, Action.due_on <= today + DUE_SOON),
        my_controls=_controls_not_performed(user, year),
        unit_overdue_actions=(
            _actions(Action.unit_id.in_(units), Action.due_on < today)
            if manages
            else None
        ),
        # The same analysis as the graph page and the year-end review, not queries of its own.
        coverage=coverage_for(user.unit, year) if manages else None,
    )


def _actions(*conditions) -> list[Action]:
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.status.in_(OPEN_ACTION), Action.is_archived.is_(False), Action.due_on.is_not(None), *conditions)
            .options(selectinload(Action.responsible), selectinload(Action.risks))
            .order_by(Action.due_on, Action.id)
        )
    )


def _controls_not_performed(user: User, year: int) -> list[Control]:
    performed = exists().where(
        ControlCheck.control_id == Control.id,
        ControlCheck.year == year,
        ControlCheck.outcome != CheckOutcome.NOT_PERFORMED,
    )
    return list(
        db.session.scalars(
            select(Control)
            .where(Control.responsible_id == user.id, Control.is_archived.is_(False), ~performed)
            .options(selectinload(Control.risks))
            .order_by(swedish_order(Control.title))
        )
    )
