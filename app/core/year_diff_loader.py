"""The year-over-year diff of a unit and its sub-units, read from the two years' PlanData (the comparison is in
year_diff.py), so a risk's level in the diff is the one the year page, the export and the graph show."""

from __future__ import annotations

from app.core.year_diff import RiskYear, YearDiff, diff_years
from app.core.year_plan import PlanData
from app.core.year_plan_loader import load_plan_data
from app.models import Unit


def load_diff(unit: Unit, before_year: int, after_year: int) -> YearDiff:
    """The unit's (and its sub-units') diff between two years, in the read model's fixed number of queries."""
    return diff_plans(load_plan_data(unit, before_year), load_plan_data(unit, after_year))


def diff_plans(before: PlanData, after: PlanData) -> YearDiff:
    """Compare two loaded years of the same unit."""
    return diff_years(risk_years(before), risk_years(after), before.year, after.year)


def risk_years(plan: PlanData) -> dict[int, RiskYear]:
    """Each risk assessed in the year, archived risks left out, by risk id."""
    return {
        risk.id: RiskYear(
            risk.id, risk.ref, risk.title, process.title, risk.assessment.score, risk.assessment.level.name,
            risk.assessment.status,
        )
        for process in plan.processes
        for risk in process.risks
        if risk.assessment is not None and not risk.is_archived
    }
