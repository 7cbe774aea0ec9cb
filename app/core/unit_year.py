"""A unit's year: its kvalitetsplan, its risk matrix (the matrix-of-a-year rule, once), and whether it is locked."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from app.core import audit
from app.core.errors import LockedYearError
from app.core.units import unit_subtree_ids
from app.core.years import validate_year
from app.extensions import db
from app.models import Plan, PlanStatus, RiskMatrix, Unit, User
from app.models.matrix import (
    DEFAULT_BANDS,
    DEFAULT_CONSEQUENCE_LABELS,
    DEFAULT_LIKELIHOOD_LABELS,
)


def find_plan(unit_id: int, year: int) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.unit_id == unit_id, Plan.year == year))


def ensure_plan(actor: User | None, unit: Unit, year: int) -> Plan:
    """The unit's kvalitetsplan for the year, created as a draft when the year is first used."""
    validate_year(year)
    plan = find_plan(unit.id, year)
    if plan is None:
        plan = Plan(unit=unit, year=year, status=PlanStatus.DRAFT)
        db.session.add(plan)
        db.session.flush()
        audit.record(actor, "create", plan, audit.snapshot(plan, ["year", "status"]), unit_id=unit.id)
    return plan


def assert_year_open(unit_id: int, year: int) -> None:
    """Refuse a change to a locked year."""
    plan = find_plan(unit_id, year)
    if plan is not None and plan.is_locked:
        raise LockedYearError(locked_message(year))


def locked_message(year: int) -> str:
    return f"År {year} är fastställt och låst. Inga ändringar kan göras för det året."


def find_matrix(unit_id: int, year: int) -> RiskMatrix | None:
    return db.session.scalar(select(RiskMatrix).where(RiskMatrix.unit_id == unit_id, RiskMatrix.year == year))


def matrix_for(unit: Unit, year: int) -> RiskMatrix:
    """The year's matrix, or the one the year will get on first use (then not added to the session)."""
    return find_matrix(unit.id, year) or _initial_matrix(unit, year)


def ensure_matrix(actor: User | None, unit: Unit, year: int) -> RiskMatrix:
    """The year's matrix, pinned on first use so later changes to the scale never rewrite it."""
    validate_year(year)
    matrix = find_matrix(unit.id, year)
    if matrix is not None:
        return matrix
    matrix = _initial_matrix(unit, year)
    db.session.add(matrix)
    db.session.flush()
    audit.record(
        actor,
        "create",
        matrix,
        audit.snapshot(matrix, ["year", "likelihood_size", "consequence_size", "bands"]),
        unit_id=unit.id,
    )
    return matrix


def _initial_matrix(unit: Unit, year: int) -> RiskMatrix:
    """The matrix a year without one of its own gets (see _pinned_or_initial)."""
    earlier = db.session.scalar(
        select(RiskMatrix)
        .where(RiskMatrix.unit_id == unit.id, RiskMatrix.year < year)
        .order_by(RiskMatrix.year.desc())
        .limit(1)
    )
    return _pinned_or_initial(earlier, unit, year)


def _pinned_or_initial(latest: RiskMatrix | None, unit: Unit, year: int) -> RiskMatrix:
    """The rule for a year's matrix: the one pinned for the year, else a copy of the latest earlier year's matrix,
    else Socialstyrelsen's 4×4 (latest: the unit's matrix of the latest year up to and including this one)."""
    if latest is None:
        return default_matrix(unit, year)
    return latest if latest.year == year else copy_matrix(latest, unit, year)


def default_matrix(unit: Unit | None, year: int) -> RiskMatrix:
    """Socialstyrelsen's 4×4 matrix, not yet added to the session."""
    return RiskMatrix(
        unit_id=unit.id if unit else None,
        year=year,
        likelihood_size=len(DEFAULT_LIKELIHOOD_LABELS),
        consequence_size=len(DEFAULT_CONSEQUENCE_LABELS),
        likelihood_labels=list(DEFAULT_LIKELIHOOD_LABELS),
        consequence_labels=list(DEFAULT_CONSEQUENCE_LABELS),
        bands=copy.deepcopy(DEFAULT_BANDS),
    )


def copy_matrix(source: RiskMatrix, unit: Unit, year: int) -> RiskMatrix:
    return RiskMatrix(
        unit_id=unit.id,
        year=year,
        likelihood_size=source.likelihood_size,
        consequence_size=source.consequence_size,
        likelihood_labels=list(source.likelihood_labels),
        consequence_labels=list(source.consequence_labels),
        bands=copy.deepcopy(source.bands),
    )


def matrices_for(unit_ids: set[int], year: int) -> dict[int, RiskMatrix]:
    """Each unit's matrix for the year as matrix_for decides it, for many units in one query."""
    latest: dict[int, RiskMatrix] = {}
    for matrix in db.session.scalars(
        select(RiskMatrix).where(RiskMatrix.unit_id.in_(unit_ids), RiskMatrix.year <= year).order_by(RiskMatrix.year)
    ):
        latest[matrix.unit_id] = matrix
    return {unit_id: _pinned_or_initial(latest.get(unit_id), Unit(id=unit_id), year) for unit_id in unit_ids}


@dataclass(frozen=True)
class UnitYear:
    """A unit's year as every feature needs it: the kvalitetsplan, the matrices, the lock and the unit subtree."""

    unit: Unit
    year: int
    plan: Plan | None
    unit_ids: frozenset[int]  # the unit and every unit below it
    matrices: Mapping[int, RiskMatrix]  # each of those units' matrix for the year (matrix_for's rule)

    @property
    def matrix(self) -> RiskMatrix:
        return self.matrices[self.unit.id]

    @property
    def is_locked(self) -> bool:
        return self.plan is not None and self.plan.is_locked

    def assert_open(self) -> None:
        """Refuse a change to the year once it is fastställt and låst."""
        if self.is_locked:
            raise LockedYearError(locked_message(self.year))


def load_unit_year(unit: Unit, year: int) -> UnitYear:
    """The unit's year in three queries, whatever the size of the register: subtree, plan, matrices."""
    unit_ids = unit_subtree_ids(unit.id)
    return UnitYear(unit, year, find_plan(unit.id, year), frozenset(unit_ids), matrices_for(unit_ids, year))
