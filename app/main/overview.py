"""The register at a glance: each unit's process tree with this year's riskvärde per risk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.process_tree import ProcessRow, RiskRow, process_tree
from app.core.text import swedish_key
from app.core.unit_year import matrices_for
from app.extensions import db
from app.models import Process, Risk, RiskMatrix, Unit


@dataclass
class UnitOverview:
    unit: Unit
    matrix: RiskMatrix
    processes: list[ProcessRow]

    @property
    def risk_count(self) -> int:
        return sum(len(row.risks) for row in self.processes)


def unit_overviews(year: int, unit_ids: set[int], owner_id: int | None = None) -> list[UnitOverview]:
    """The units' process trees with risks, in Swedish name order; a fixed number of queries.

    With owner_id, only the processes that person owns and those below them.
    """
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).options(selectinload(Unit.parent))))
    matrices = matrices_for(unit_ids, year)
    processes = db.session.scalars(
        select(Process)
        .where(Process.is_archived.is_(False), Process.unit_id.in_(unit_ids))
        .options(
            selectinload(Process.owner),
            selectinload(Process.risks).selectinload(Risk.assessments),
        )
    ).all()
    if owner_id is not None:
        processes = owned_subtrees(processes, owner_id)
    by_unit: dict[int, list[Process]] = {}
    for process in processes:
        by_unit.setdefault(process.unit_id, []).append(process)
    overviews = []
    for unit in sorted(units, key=lambda u: swedish_key(u.name)):
        if unit.id not in by_unit:
            continue
        matrix = matrices[unit.id]
        rows = [_risk_rows(row, matrix, year) for row in process_tree(by_unit[unit.id])]
        overviews.append(UnitOverview(unit, matrix, rows))
    return overviews


def owned_subtrees(processes: Sequence[Process], owner_id: int) -> list[Process]:
    """The processes owned by owner_id and every process below one of them (parents looked up in memory)."""
    by_id = {p.id: p for p in processes}

    def owned(process: Process | None) -> bool:
        while process is not None:
            if process.owner_id == owner_id:
                return True
            process = by_id.get(process.parent_id) if process.parent_id is not None else None
        return False

    return [p for p in processes if owned(p)]


def _risk_rows(row: ProcessRow, matrix: RiskMatrix, year: int) -> ProcessRow:
    for risk in row.process.risks:
        if risk.is_archived:
            continue
        assessment = risk.assessment_for(year)
        level = matrix.level_for(assessment.score) if assessment else None
        row.risks.append(RiskRow(risk, assessment, level))
    return row
