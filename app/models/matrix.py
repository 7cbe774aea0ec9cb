"""The risk matrix of one unit and year: axis labels and the level bands with their colours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.unit import Unit

MIN_SIZE, MAX_SIZE = 3, 6


class BandSpec(TypedDict):
    """One level band as stored in RiskMatrix.bands (JSON): it covers the scores from min up to the next band's min."""

    name: str
    min: int
    colour: str


# Socialstyrelsen's 4×4 matrix. A band covers the scores from its "min" up to the next band's min.
DEFAULT_LIKELIHOOD_LABELS = ["Mycket liten", "Liten", "Stor", "Mycket stor"]
DEFAULT_CONSEQUENCE_LABELS = ["Mindre", "Måttlig", "Betydande", "Katastrofal"]
DEFAULT_BANDS: list[BandSpec] = [
    {"name": "Låg", "min": 1, "colour": "#2e7d32"},
    {"name": "Medel", "min": 4, "colour": "#f9a825"},
    {"name": "Hög", "min": 7, "colour": "#ef6c00"},
    {"name": "Mycket hög", "min": 12, "colour": "#c62828"},
]


def band_rank(score: int, lowers: Sequence[int]) -> int:
    """Score → level, the one rule: the highest band whose lower bound the score reaches; below all, the lowest.

    `lowers` are the bands' lower bounds in ascending order. The graph (app/analysis) applies it to its own band
    records; RiskMatrix.level_for to the stored bands; RiskMatrix.in_level is its SQL form.
    """
    rank = 0
    for index, lower in enumerate(lowers):
        if score >= lower:
            rank = index
    return rank


@dataclass(frozen=True)
class Level:
    """A risknivå: the band a riskvärde falls in. rank 0 is the lowest band.

    lower–upper is the whole band; min_score–max_score the scores a cell can actually give (what users are shown).
    """

    name: str
    colour: str
    rank: int
    min_score: int
    max_score: int
    lower: int
    upper: int


class RiskMatrix(Base):
    __tablename__ = "risk_matrices"
    __table_args__ = (
        UniqueConstraint("unit_id", "year"),
        CheckConstraint(f"likelihood_size BETWEEN {MIN_SIZE} AND {MAX_SIZE}", name="likelihood_size_range"),
        CheckConstraint(f"consequence_size BETWEEN {MIN_SIZE} AND {MAX_SIZE}", name="consequence_size_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int]
    likelihood_size: Mapped[int] = mapped_column(default=4)
    consequence_size: Mapped[int] = mapped_column(default=4)
    likelihood_labels: Mapped[list[str]] = mapped_column(JSON)
    consequence_labels: Mapped[list[str]] = mapped_column(JSON)
    bands: Mapped[list[BandSpec]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()

    @property
    def max_score(self) -> int:
        return self.likelihood_size * self.consequence_size

    def reachable_scores(self) -> set[int]:
        """Scores a cell can produce; a 4×4 matrix never yields 7, 10 or 11."""
        return {
            likelihood * consequence
            for likelihood in range(1, self.likelihood_size + 1)
            for consequence in range(1, self.consequence_size + 1)
        }

    def levels(self) -> list[Level]:
        """The bands, lowest first, each with the reachable score range it covers."""
        reachable = self.reachable_scores()
        ordered = sorted(self.bands, key=lambda band: band["min"])
        levels = []
        for rank, band in enumerate(ordered):
            upper = ordered[rank + 1]["min"] - 1 if rank + 1 < len(ordered) else self.max_score
            covered = [score for score in reachable if band["min"] <= score <= upper] or [band["min"]]
            levels.append(
                Level(band["name"], band["colour"], rank, min(covered), max(covered), band["min"], upper)
            )
        return levels

    def level_for(self, score: int) -> Level:
        """The band a riskvärde falls in (7 is Hög in the 4×4 though no cell gives it)."""
        levels = self.levels()
        return levels[band_rank(score, [level.lower for level in levels])]

    def in_level(self, level_name: str, score: ColumnElement[int]) -> ColumnElement[bool] | None:
        """SQL form of level_for: the score lies in the band named level_name (any case); None if there is none."""
        for level in self.levels():
            if level.name.casefold() == level_name.casefold():
                return and_(score >= level.lower, score <= level.upper)
        return None

    def describe_cell(self, likelihood: int, consequence: int) -> str:
        return f"{self.likelihood_labels[likelihood - 1]} × {self.consequence_labels[consequence - 1]}"

    def __repr__(self) -> str:
        return f"<RiskMatrix unit={self.unit_id} year={self.year} {self.likelihood_size}×{self.consequence_size}>"
