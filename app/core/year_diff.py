"""Förändring mot föregående år: how a unit's risks moved between two years. Pure: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models.enums import RiskStatus


@dataclass(frozen=True)
class RiskYear:
    """One risk as it stood in one year."""

    risk_id: int
    ref: str
    title: str
    process: str
    score: int
    level: str
    status: RiskStatus


@dataclass(frozen=True)
class Change:
    before: RiskYear | None
    after: RiskYear | None

    @property
    def current(self) -> RiskYear:
        current = self.after or self.before
        assert current is not None, "diff_years builds each Change from a risk found in one year or both"
        return current


@dataclass
class YearDiff:
    before_year: int
    after_year: int
    new_risks: list[Change] = field(default_factory=list)
    closed_risks: list[Change] = field(default_factory=list)
    score_up: list[Change] = field(default_factory=list)
    score_down: list[Change] = field(default_factory=list)
    status_changed: list[Change] = field(default_factory=list)
    not_assessed: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def sections(self) -> list[tuple[str, list[Change]]]:
        """The lists in the order a reader wants them, with Swedish headings."""
        return [
            ("Nya risker", self.new_risks),
            ("Avslutade risker", self.closed_risks),
            ("Högre riskvärde", self.score_up),
            ("Lägre riskvärde", self.score_down),
            ("Ändrad status", self.status_changed),
            (f"Bedömda {self.before_year} men inte {self.after_year}", self.not_assessed),
        ]


def diff_years(before: dict[int, RiskYear], after: dict[int, RiskYear], before_year: int, after_year: int) -> YearDiff:
    """Compare two years' assessments, risk by risk."""
    diff = YearDiff(before_year, after_year)
    for risk_id in sorted(before.keys() | after.keys(), key=lambda i: (after.get(i) or before[i]).title):
        old, new = before.get(risk_id), after.get(risk_id)
        change = Change(old, new)
        if old is None:
            diff.new_risks.append(change)
            continue
        if new is None:
            if old.status.is_open:
                diff.not_assessed.append(change)
            continue
        if old.status.is_open and not new.status.is_open:
            diff.closed_risks.append(change)
        if new.score > old.score:
            diff.score_up.append(change)
        elif new.score < old.score:
            diff.score_down.append(change)
        if new.status is not old.status:
            diff.status_changed.append(change)
        if new.score == old.score and new.status is old.status:
            diff.unchanged += 1
    return diff
