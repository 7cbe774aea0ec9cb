"""A unit's processes as depth-first rows: the one order every page and export shows them in."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.text import swedish_key
from app.models import Assessment, Level, Process, Risk


@dataclass
class RiskRow:
    risk: Risk
    assessment: Assessment | None
    level: Level | None


@dataclass
class ProcessRow:
    process: Process
    depth: int
    risks: list[RiskRow] = field(default_factory=list)


def process_tree(processes: list[Process]) -> list[ProcessRow]:
    """Depth-first rows of a unit's processes, siblings by sort order (the plan's order), then Swedish name."""
    ids = {p.id for p in processes}
    children: dict[int | None, list[Process]] = {}
    for process in processes:
        parent = process.parent_id if process.parent_id in ids else None
        children.setdefault(parent, []).append(process)
    rows: list[ProcessRow] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for process in sorted(children.get(parent_id, []), key=lambda p: (p.sort_order, swedish_key(p.title), p.id)):
            rows.append(ProcessRow(process, depth))
            visit(process.id, depth + 1)

    visit(None, 0)
    return rows


def plan_ranks(processes: list[Process]) -> dict[int, int]:
    """Each process's place in the plan's order across units: units by Swedish name, then each unit's tree order.

    The processes' units must be loaded (selectinload) so that this runs no query.
    """
    by_unit: dict[int, list[Process]] = {}
    for process in processes:
        by_unit.setdefault(process.unit_id, []).append(process)
    units = sorted(by_unit.values(), key=lambda group: (swedish_key(group[0].unit.name), group[0].unit_id))
    ordered = [row.process.id for group in units for row in process_tree(group)]
    return {process_id: rank for rank, process_id in enumerate(ordered)}
