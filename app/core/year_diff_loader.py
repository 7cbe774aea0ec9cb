"""Loading the year-over-year diff of a unit and its sub-units (the comparison is in year_diff.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.unit_year import matrices_for
from app.core.units import unit_subtree_ids
from app.core.year_diff import RiskYear, YearDiff, diff_years
from app.extensions import db
from app.models import Assessment, Process, Risk, Unit


def load_diff(unit: Unit, before_year: int, after_year: int) -> YearDiff:
    """The unit's (and its sub-units') diff between two years, in a fixed number of queries."""
    unit_ids = unit_subtree_ids(unit.id)
    years = (before_year, after_year)
    matrices = {year: matrices_for(unit_ids, year) for year in years}
    risks = db.session.scalars(
        select(Risk)
        .join(Risk.process)
        .where(Process.unit_id.in_(unit_ids), Risk.is_archived.is_(False))
        .options(
            selectinload(Risk.process),
            selectinload(Risk.assessments.and_(Assessment.year.in_(years))),
        )
    ).all()
    states: dict[int, dict[int, RiskYear]] = {year: {} for year in years}
    for risk in risks:
        for assessment in risk.assessments:
            level = matrices[assessment.year][risk.process.unit_id].level_for(assessment.score)
            states[assessment.year][risk.id] = RiskYear(
                risk.id, risk.ref, risk.title, risk.process.title, assessment.score, level.name, assessment.status
            )
    return diff_years(states[before_year], states[after_year], before_year, after_year)
