"""Builds the demo register through the services, so every row carries its audit trail."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from sqlalchemy import select

from app.auth.services import create_user
from app.core.services.actions import complete_action, create_action, update_action
from app.core.services.assessments import assess_risk, update_assessment
from app.core.services.controls import create_control, record_check
from app.core.services.processes import create_process
from app.core.services.risks import create_risk, link_action, link_control
from app.core.units import create_unit
from app.core.years import today
from app.demo.content import (
    LOGINS,
    PASSWORD,
    PROCESSES,
    ROOT_CODE,
    UNITS,
    USERS,
    YEARS,
    ActionSpec,
    ControlSpec,
    Day,
    RiskSpec,
)
from app.demo.content_actions import ACTIONS
from app.demo.content_controls import CONTROLS
from app.demo.content_risks import RISKS
from app.extensions import db
from app.models import ActionStatus, Assessment, Process, Risk, Role, Unit, User


@dataclass(frozen=True)
class Login:
    email: str
    name: str
    role: Role
    unit: str


class _ActionFields(TypedDict):
    """What every service call for one demo åtgärd repeats, whichever step of its story it tells."""

    title: str
    start_year: int
    description: str
    responsible: User
    due_on: date | None


@dataclass(frozen=True)
class DemoSummary:
    """What the demo created, for the command to report."""

    municipality: str
    first_year: int
    last_year: int
    counts: Counter[str]
    logins: tuple[Login, ...]
    password: str = PASSWORD


def load_demo(current_year: int) -> DemoSummary | None:
    """Load the demo register for the three years up to current_year; None if it is already there."""
    if db.session.scalar(select(Unit.id).where(Unit.code == ROOT_CODE)) is not None:
        return None
    return _DemoBuilder(current_year).build()


class _DemoBuilder:
    """Holds the entities created so far, so later content can refer to them by key."""

    def __init__(self, current_year: int) -> None:
        self.first_year = current_year - (YEARS - 1)
        self.last_year = current_year
        self.units: dict[str, Unit] = {}
        self.users: dict[str, User] = {}
        self.processes: dict[str, Process] = {}
        self.risks: dict[str, Risk] = {}
        self.counts: Counter[str] = Counter()

    def build(self) -> DemoSummary:
        """Organisation first, then risks, egenkontroller and åtgärder, which refer back to it by key."""
        self.create_organisation()
        for risk_spec in RISKS:
            self.create_risk(risk_spec)
        for control_spec in CONTROLS:
            self.create_control(control_spec)
        for action_spec in ACTIONS:
            self.create_action(action_spec)
        logins = tuple(
            Login(user.email, user.name, user.role, user.unit.name)
            for user in (self.users[email] for email in LOGINS)
        )
        return DemoSummary(self.units[ROOT_CODE].name, self.first_year, self.last_year, self.counts, logins)

    def create_organisation(self) -> None:
        """Units and people are set up by the system; each enhetschef then maps the unit's processes."""
        for unit_spec in UNITS:
            parent = self.units[unit_spec.parent] if unit_spec.parent else None
            self.units[unit_spec.code] = create_unit(None, code=unit_spec.code, name=unit_spec.name, parent=parent)
        for user_spec in USERS:
            self.users[user_spec.email] = create_user(
                None,
                email=user_spec.email,
                name=user_spec.name,
                role=user_spec.role,
                unit=self.units[user_spec.unit],
                password=PASSWORD,
            )
        for order, process_spec in enumerate(PROCESSES):
            unit = self.units[process_spec.unit]
            self.processes[process_spec.key] = create_process(
                self.manager_of(unit),
                unit,
                title=process_spec.title,
                description=process_spec.description,
                parent=self.processes[process_spec.parent] if process_spec.parent else None,
                owner=self.users[process_spec.owner],
                sort_order=order,
            )
        self.counts.update(units=len(UNITS), users=len(USERS), processes=len(PROCESSES))

    def create_risk(self, spec: RiskSpec) -> None:
        """The risk as its processägare identified it, then each year's assessment in order."""
        process = self.processes[spec.process]
        owner = process.owner
        risk = create_risk(owner, process, title=spec.title, description=spec.description, quality_area=spec.area)
        self.risks[spec.key] = risk
        self.counts["risks"] += 1
        assessment: Assessment | None = None
        for rating in spec.ratings:
            year = self.year(rating.year)
            scores = {"likelihood": rating.likelihood, "consequence": rating.consequence}
            if assessment is not None and assessment.year == year:
                update_assessment(owner, assessment, status=rating.status, comment=rating.comment, **scores)
            else:
                assessment = assess_risk(
                    owner, risk, year=year, status=rating.status, comment=rating.comment, **scores
                )
                self.counts["assessments"] += 1

    def create_control(self, spec: ControlSpec) -> None:
        """Planned by the enhetschef; linked to its risks and checked by the person responsible for it."""
        unit = self.units[spec.unit]
        responsible = self.users[spec.responsible]
        control = create_control(
            self.manager_of(unit),
            unit,
            title=spec.title,
            frequency=spec.frequency,
            description=spec.description,
            method=spec.method,
            responsible=responsible,
        )
        for key in spec.risks:
            link_control(responsible, self.risks[key], control)
        for check in spec.checks:
            record_check(
                responsible, control, performed_on=self.past_day(check.on), outcome=check.outcome, findings=check.findings
            )
        self.counts.update(controls=1, checks=len(spec.checks))

    def create_action(self, spec: ActionSpec) -> None:
        """Planned first, then moved along as the responsible person would have done it."""
        unit = self.units[spec.unit]
        responsible = self.users[spec.responsible]
        fields: _ActionFields = {
            "title": spec.title,
            "start_year": self.year(spec.start),
            "description": spec.description,
            "responsible": responsible,
            "due_on": self.day(spec.due) if spec.due else None,
        }
        action = create_action(self.manager_of(unit), unit, status=ActionStatus.PLANNED, **fields)
        for key in spec.risks:
            link_action(responsible, self.risks[key], action)
        if spec.status is ActionStatus.IN_PROGRESS or spec.progress:
            update_action(responsible, action, status=ActionStatus.IN_PROGRESS, follow_up=spec.progress, **fields)
        if spec.status is ActionStatus.DONE:
            assert spec.completed is not None, f"the demo's genomförd åtgärd {spec.title!r} needs a completed day"
            complete_action(responsible, action, follow_up=spec.follow_up, completed_on=self.past_day(spec.completed))
        elif spec.status is ActionStatus.CANCELLED:
            update_action(responsible, action, status=ActionStatus.CANCELLED, follow_up=spec.follow_up, **fields)
        self.counts["actions"] += 1

    def manager_of(self, unit: Unit) -> User:
        """The unit's enhetschef, who sets up its processes, egenkontroller and åtgärder."""
        return next(user for user in self.users.values() if user.unit is unit and user.role is Role.MANAGER)

    def year(self, offset: int) -> int:
        """The calendar year of a content year offset."""
        return self.first_year + offset

    def day(self, day: Day) -> date:
        """The calendar date of a content (offset, month, day)."""
        offset, month, day_of_month = day
        return date(self.year(offset), month, day_of_month)

    def past_day(self, day: Day) -> date:
        """A date something was done: the story's date, or today if the story's date has not come yet.

        The story is told as of late November; loaded earlier in the year, nothing may be done in the future.
        """
        return min(self.day(day), today())
