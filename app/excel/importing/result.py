"""What an import does, item by item: the outcomes and problems a preview shows and the command line prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.excel.importing.parsed import RowError

CREATE, UPDATE, UNCHANGED, DELETE = "create", "update", "unchanged", "delete"
VERDICTS = {CREATE: "skapas", UPDATE: "ändras", UNCHANGED: "oförändrade", DELETE: "tas bort"}
KINDS = ["Process", "Risk", "Riskbedömning", "Egenkontroll", "Genomförd egenkontroll", "Åtgärd", "Koppling"]
FIELD_LABELS = {
    "title": "namn", "description": "beskrivning", "parent_id": "överordnad process", "owner_id": "processägare",
    "sort_order": "ordning", "quality_area": "kvalitetsområde", "process_id": "process", "likelihood": "sannolikhet",
    "consequence": "konsekvens", "status": "status", "comment": "kommentar", "method": "metod",
    "frequency": "frekvens", "responsible_id": "ansvarig", "start_year": "startår", "due_on": "tidsplan",
    "follow_up": "uppföljning", "completed_on": "genomförd", "is_archived": "arkiverad",
}


@dataclass(frozen=True)
class Outcome:
    """What the import does to one item."""

    kind: str  # one of KINDS
    title: str
    verdict: str  # CREATE, UPDATE, UNCHANGED or DELETE
    fields: tuple[str, ...] = ()  # Swedish labels of what changes
    sheet: str = ""
    row: int | None = None


@dataclass
class ImportResult:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.verdict != UNCHANGED]

    def counts(self) -> list[tuple[str, dict[str, int]]]:
        """Per kind that occurs: how many are created, updated, unchanged, removed."""
        counted: dict[str, Counter] = {kind: Counter() for kind in KINDS}
        for outcome in self.outcomes:
            counted[outcome.kind][outcome.verdict] += 1
        return [(kind, {v: c[v] for v in VERDICTS}) for kind, c in counted.items() if c]

    def summary(self) -> str:
        """One line for a flash message or the terminal: "5 skapas, 2 ändras, 30 oförändrade"."""
        total = Counter(outcome.verdict for outcome in self.outcomes)
        parts = [f"{total[verdict]} {label}" for verdict, label in VERDICTS.items() if total[verdict]]
        return ", ".join(parts) or "inget att importera"
