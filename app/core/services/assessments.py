"""A risk's yearly assessment: sannolikhet, konsekvens and status, checked against the year's matrix."""

from __future__ import annotations

from sqlalchemy import select

from app.core import audit
from app.core.errors import ValidationError
from app.core.stale import check_version, guarded_flush
from app.core.unit_year import assert_year_open, ensure_matrix, ensure_plan, matrix_for
from app.core.validation import clean_text
from app.core.years import validate_year
from app.extensions import db
from app.models import Assessment, Risk, RiskMatrix, RiskStatus, User, utcnow

AUDITED_FIELDS = ["year", "likelihood", "consequence", "status", "comment"]


def assess_risk(
    actor: User | None,
    risk: Risk,
    *,
    year: int,
    likelihood: int,
    consequence: int,
    status: RiskStatus = RiskStatus.NEW,
    comment: str = "",
) -> Assessment:
    """The risk's first assessment for a year."""
    validate_year(year)
    unit = risk.process.unit
    assert_year_open(unit.id, year)
    validate_scores(matrix_for(unit, year), likelihood, consequence)
    existing = db.session.scalar(select(Assessment.id).where(Assessment.risk_id == risk.id, Assessment.year == year))
    if existing is not None:
        raise ValidationError(f"Risken har redan en bedömning för {year}.", field="year")
    comment = clean_text(comment, "Kommentar", max_length=10_000, field="comment")
    status = _status(status)
    ensure_plan(actor, unit, year)
    ensure_matrix(actor, unit, year)
    assessment = Assessment(
        risk=risk,
        year=year,
        likelihood=likelihood,
        consequence=consequence,
        status=status,
        comment=comment,
        assessed_by=actor,
        assessed_at=utcnow(),
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(actor, "create", assessment, audit.snapshot(assessment, AUDITED_FIELDS), unit_id=unit.id)
    return assessment


def update_assessment(
    actor: User | None,
    assessment: Assessment,
    *,
    likelihood: int,
    consequence: int,
    status: RiskStatus,
    comment: str = "",
    expected_version: int | None = None,
) -> audit.Changes:
    """Change a year's assessment; refused if someone saved it after expected_version was read."""
    unit = assessment.risk.process.unit
    assert_year_open(unit.id, assessment.year)
    check_version(assessment, expected_version)
    validate_scores(matrix_for(unit, assessment.year), likelihood, consequence)
    with guarded_flush(assessment):
        changes = audit.apply_changes(
            assessment,
            likelihood=likelihood,
            consequence=consequence,
            status=_status(status),
            comment=clean_text(comment, "Kommentar", max_length=10_000, field="comment"),
        )
        if changes:
            assessment.assessed_by = actor
            assessment.assessed_at = utcnow()
    if changes:
        audit.record(actor, "update", assessment, changes, unit_id=unit.id)
    return changes


def validate_scores(matrix: RiskMatrix, likelihood: int, consequence: int) -> None:
    """Both axes must lie on the year's scale (a 5×5 year accepts 5, a 4×4 year does not)."""
    for value, size, label, field in (
        (likelihood, matrix.likelihood_size, "Sannolikheten", "likelihood"),
        (consequence, matrix.consequence_size, "Konsekvensen", "consequence"),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= size:
            raise ValidationError(
                f"{label} måste vara ett heltal mellan 1 och {size} enligt riskmatrisen för {matrix.year}.",
                field=field,
            )


def _status(status: RiskStatus) -> RiskStatus:
    if not isinstance(status, RiskStatus):
        raise ValidationError("Okänd status för risken.", field="status")
    return status
