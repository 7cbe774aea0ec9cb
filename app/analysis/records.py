"""Plain records of one unit subtree and year: what load.py reads from the database and graph.py builds from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.models.enums import ActionStatus, RiskStatus


@dataclass(frozen=True, slots=True)
class Band:
    """One level band of a unit's matrix: scores from lower up to the next band's lower."""

    name: str
    colour: str
    lower: int


@dataclass(frozen=True, slots=True)
class ProcessRecord:
    id: int
    ref: str
    title: str
    unit_id: int
    parent_id: int | None = None
    is_archived: bool = False
    sort_order: int = 0


@dataclass(frozen=True, slots=True)
class RiskRecord:
    """A risk with its assessment of the year, if any (score None when not assessed that year)."""

    id: int
    ref: str
    title: str
    process_id: int
    is_archived: bool = False
    score: int | None = None
    status: RiskStatus | None = None


@dataclass(frozen=True, slots=True)
class ControlRecord:
    id: int
    ref: str
    title: str
    unit_id: int
    is_archived: bool = False


@dataclass(frozen=True, slots=True)
class ActionRecord:
    id: int
    ref: str
    title: str
    unit_id: int
    status: ActionStatus = ActionStatus.PLANNED
    due_on: date | None = None
    is_archived: bool = False


@dataclass(slots=True)
class Register:
    """Everything the graph of one unit subtree and year is built from; links are (risk id, other id) pairs."""

    year: int
    unit_id: int
    unit_names: dict[int, str] = field(default_factory=dict)
    processes: list[ProcessRecord] = field(default_factory=list)
    risks: list[RiskRecord] = field(default_factory=list)
    controls: list[ControlRecord] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)
    control_links: list[tuple[int, int]] = field(default_factory=list)
    action_links: list[tuple[int, int]] = field(default_factory=list)
    # Each unit's level bands for the year; a unit without any gets DEFAULT_BANDS.
    bands: dict[int, list[Band]] = field(default_factory=dict)
