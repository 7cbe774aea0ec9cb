"""Changing a year's risk matrix: scale, labels and level bands. A locked year keeps its matrix."""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from app.core import audit
from app.core.errors import ValidationError
from app.core.text import swedish_order
from app.core.unit_year import assert_year_open, ensure_matrix
from app.extensions import db
from app.models import Assessment, Process, Risk, RiskMatrix, Unit, User
from app.models.matrix import MAX_SIZE, MIN_SIZE, BandSpec

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def set_matrix(
    actor: User | None,
    unit: Unit,
    year: int,
    *,
    likelihood_labels: list[str],
    consequence_labels: list[str],
    bands: list[dict],
) -> audit.Changes:
    """Replace the year's scale and bands; assessments outside a smaller scale stay as they are, flagged."""
    assert_year_open(unit.id, year)
    likelihood_labels = _labels(likelihood_labels, "Sannolikhetsskalan", "likelihood_labels")
    consequence_labels = _labels(consequence_labels, "Konsekvensskalan", "consequence_labels")
    cleaned_bands = _bands(bands, len(likelihood_labels) * len(consequence_labels))
    matrix = ensure_matrix(actor, unit, year)
    # New list objects: JSON columns only notice replacement, not changes inside the old lists.
    changes = audit.apply_changes(
        matrix,
        likelihood_size=len(likelihood_labels),
        consequence_size=len(consequence_labels),
        likelihood_labels=likelihood_labels,
        consequence_labels=consequence_labels,
        bands=cleaned_bands,
    )
    if changes:
        audit.record(actor, "update", matrix, changes, unit_id=unit.id)
    return changes


def assessments_outside_scale(unit: Unit, year: int) -> list[Assessment]:
    """The year's assessments that a smaller scale no longer fits: to be re-assessed, never silently clamped."""
    matrix = db.session.scalar(select(RiskMatrix).where(RiskMatrix.unit_id == unit.id, RiskMatrix.year == year))
    if matrix is None:
        return []
    return list(
        db.session.scalars(
            select(Assessment)
            .join(Assessment.risk)
            .join(Risk.process)
            .where(
                Process.unit_id == unit.id,
                Assessment.year == year,
                or_(Assessment.likelihood > matrix.likelihood_size, Assessment.consequence > matrix.consequence_size),
            )
            .order_by(swedish_order(Risk.title))
        )
    )


def _labels(labels: list[str], what: str, field: str) -> list[str]:
    cleaned = [label.strip() for label in labels if label.strip()]
    if not MIN_SIZE <= len(cleaned) <= MAX_SIZE:
        raise ValidationError(f"{what} ska ha mellan {MIN_SIZE} och {MAX_SIZE} steg, ett namn per rad.", field=field)
    if any(len(label) > 60 for label in cleaned):
        raise ValidationError(f"{what}: varje steg får vara högst 60 tecken.", field=field)
    return cleaned


def _bands(bands: list[dict], max_score: int) -> list[BandSpec]:
    if not bands:
        raise ValidationError("Ange minst en risknivå.", field="bands")
    cleaned: list[BandSpec] = []
    previous = 0
    for band in bands:
        name, colour, minimum = str(band.get("name", "")).strip(), str(band.get("colour", "")).strip(), band.get("min")
        if not name or len(name) > 40:
            raise ValidationError("Varje risknivå behöver ett namn (högst 40 tecken).", field="bands")
        if not _COLOUR.match(colour):
            raise ValidationError(f"Färgen för {name} ska skrivas som #rrggbb, t.ex. #2e7d32.", field="bands")
        if not isinstance(minimum, int) or minimum <= previous or minimum > max_score:
            raise ValidationError(
                f"Risknivåerna ska börja på riskvärde 1 och öka; {name} börjar på {minimum}.", field="bands"
            )
        cleaned.append({"name": name, "min": minimum, "colour": colour.lower()})
        previous = minimum
    if cleaned[0]["min"] != 1:
        raise ValidationError("Den lägsta risknivån ska börja på riskvärde 1.", field="bands")
    if len({band["name"].casefold() for band in cleaned}) != len(cleaned):
        raise ValidationError("Två risknivåer har samma namn.", field="bands")
    return cleaned
