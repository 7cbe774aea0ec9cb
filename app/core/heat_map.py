"""A unit's riskmatris for one year: how many risks sit in each cell, counted in SQL in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, exists, func, select

from app.core.text import swedish_key
from app.core.unit_year import matrix_for
from app.core.units import unit_subtree_ids
from app.extensions import db
from app.models import Assessment, Level, Process, Risk, RiskMatrix, Unit

Counts = dict[tuple[int, int], int]


@dataclass(frozen=True)
class Cell:
    likelihood: int
    consequence: int
    count: int
    level: Level

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence


@dataclass(frozen=True)
class LevelTotal:
    level: Level
    count: int


@dataclass(frozen=True)
class Grid:
    """The matrix laid out for display: rows from the highest likelihood down, totals from the highest level down."""

    rows: list[list[Cell]]
    totals: list[LevelTotal]
    off_scale: int  # assessed risks whose scores lie outside this matrix (a sub-unit with a larger scale)

    @property
    def assessed(self) -> int:
        return sum(total.count for total in self.totals)


@dataclass(frozen=True)
class HeatMap:
    unit: Unit
    year: int
    matrix: RiskMatrix
    grid: Grid
    not_assessed: int
    years: list[int]
    sub_units: list[Unit]


def build_grid(matrix: RiskMatrix, counts: Counts) -> Grid:
    """Pure: place counts per (likelihood, consequence) on the matrix and total them per level."""
    rows = [
        [
            Cell(
                likelihood,
                consequence,
                counts.get((likelihood, consequence), 0),
                matrix.level_for(likelihood * consequence),
            )
            for consequence in range(1, matrix.consequence_size + 1)
        ]
        for likelihood in range(matrix.likelihood_size, 0, -1)
    ]
    per_level = {level.rank: 0 for level in matrix.levels()}
    for cell in (cell for row in rows for cell in row):
        per_level[cell.level.rank] += cell.count
    totals = [LevelTotal(level, per_level[level.rank]) for level in reversed(matrix.levels())]
    on_scale = sum(cell.count for row in rows for cell in row)
    return Grid(rows, totals, sum(counts.values()) - on_scale)


def heat_map(unit: Unit, year: int) -> HeatMap:
    """The unit's heat map, its sub-units' processes included; the number of queries does not grow with risks."""
    unit_ids = unit_subtree_ids(unit.id)
    matrix = matrix_for(unit, year)
    sub_units = db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids - {unit.id})))
    return HeatMap(
        unit=unit,
        year=year,
        matrix=matrix,
        grid=build_grid(matrix, cell_counts(unit_ids, year)),
        not_assessed=count_not_assessed(unit_ids, year),
        years=sorted(set(assessed_years(unit_ids)) | {year}),
        sub_units=sorted(sub_units, key=lambda u: swedish_key(u.name)),
    )


def cell_counts(unit_ids: set[int], year: int) -> Counts:
    """Active risks per (likelihood, consequence) of the year's assessments; one grouped query."""
    rows = db.session.execute(
        select(Assessment.likelihood, Assessment.consequence, func.count(Assessment.id))
        .join(Risk, Assessment.risk_id == Risk.id)
        .join(Process, Risk.process_id == Process.id)
        .where(Process.unit_id.in_(unit_ids), Assessment.year == year, *_active())
        .group_by(Assessment.likelihood, Assessment.consequence)
    )
    return {(likelihood, consequence): count for likelihood, consequence, count in rows}


def count_not_assessed(unit_ids: set[int], year: int) -> int:
    """Active risks with no assessment for the year: what the risk list shows under "Ej bedömd i år"."""
    assessed = exists().where(Assessment.risk_id == Risk.id, Assessment.year == year)
    return db.session.scalar(
        select(func.count(Risk.id))
        .join(Process, Risk.process_id == Process.id)
        .where(Process.unit_id.in_(unit_ids), ~assessed, *_active())
    ) or 0


def assessed_years(unit_ids: set[int]) -> list[int]:
    return list(
        db.session.scalars(
            select(distinct(Assessment.year))
            .join(Risk, Assessment.risk_id == Risk.id)
            .join(Process, Risk.process_id == Process.id)
            .where(Process.unit_id.in_(unit_ids))
        )
    )


def _active() -> list:
    # The same rule as the risk list: archived risks, and risks of archived processes, are not counted.
    return [Risk.is_archived.is_(False), Process.is_archived.is_(False)]
