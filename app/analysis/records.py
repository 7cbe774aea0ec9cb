"""Plain records: what load.py reads for one unit subtree and year, and what the analyses of graph.py answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.models.enums import ActionStatus, RiskStatus

Node = tuple[str, int]  # (kind, id): ("process", 3), ("risk", 7), ("control", 2), ("action", 5)

# Each gap list of Coverage: its heading, and the reason shown beside one of its items.
GAPS = {
    "uncovered_risks": ("Risker utan egenkontroll och åtgärd", "saknar egenkontroll och åtgärd"),
    "high_risks_without_control": ("Höga risker utan egenkontroll", "hög risk utan egenkontroll"),
    "orphan_controls": ("Egenkontroller som inte följer upp någon risk", "följer inte upp någon risk"),
    "orphan_actions": ("Åtgärder som inte hanterar någon risk", "hanterar ingen risk"),
    "processes_without_risks": ("Processer utan riskanalys", "ingen riskanalys"),
}


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


@dataclass(frozen=True)
class RiskLevel:
    name: str
    rank: int
    colour: str


@dataclass(frozen=True)
class Item:
    """One node as pages and reports show it."""

    kind: str
    id: int
    ref: str
    title: str
    unit_id: int
    score: int | None = None
    level: RiskLevel | None = None
    status: RiskStatus | ActionStatus | None = None
    due_on: date | None = None

    @property
    def node(self) -> Node:
        return (self.kind, self.id)


@dataclass(frozen=True)
class KeyControl:
    """An egenkontroll and how much depends on it: active risks followed up, processes those risks belong to."""

    item: Item
    risks: int
    processes: int


@dataclass(frozen=True)
class Exposure:
    """A process subtree's open, assessed risks: the highest riskvärde and the sum (0 when there are none)."""

    item: Item
    max: int
    sum: int
    risks: int


@dataclass(frozen=True)
class Coverage:
    """What is not protected in a unit and its sub-units one year, plus what protects the most (see graph.py)."""

    year: int
    unit_id: int
    uncovered_risks: list[Item]
    high_risks_without_control: list[Item]
    orphan_controls: list[Item]
    orphan_actions: list[Item]
    processes_without_risks: list[Item]
    key_controls: list[KeyControl]
    exposure: list[Exposure]

    @property
    def gap_count(self) -> int:
        """Gaps in all five lists; a high risk with nothing at all counts in two of them."""
        return sum(len(found) for found in self.gap_lists().values())

    def gap_lists(self) -> dict[str, list[Item]]:
        return {
            "uncovered_risks": self.uncovered_risks,
            "high_risks_without_control": self.high_risks_without_control,
            "orphan_controls": self.orphan_controls,
            "orphan_actions": self.orphan_actions,
            "processes_without_risks": self.processes_without_risks,
        }

    def gap_reasons(self) -> dict[Node, str]:
        """Every node that is a gap, with why, for highlighting it in a drawing or a table."""
        reasons: dict[Node, list[str]] = {}
        for key, found in self.gap_lists().items():
            for gap in found:
                reasons.setdefault(gap.node, []).append(GAPS[key][1])
        return {node: "; ".join(why) for node, why in reasons.items()}
