"""What an import does, item by item: the outcomes and problems a preview shows and the command line prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.excel.importing.parsed import RowError

CREATE, UPDATE, UNCHANGED, DELETE = "create", "update", "unchanged", "delete"
VERDICTS = {CREATE: "skapas", UPDATE: "ändras", UNCHANGED: "oförändrade", DELETE: "tas bort"}
# The outcome kind of each kind of item an import saves (Context.done's keys).
OUTCOME_KINDS = {"process": "Process", "risk": "Risk", "control": "Egenkontroll", "action": "Åtgärd"}
KINDS = ["Process", "Risk", "Riskbedömning", "Egenkontroll", "Genomförd egenkontroll", "Åtgärd", "Koppling"]
FIELD_LABELS = {
    "title": "namn", "description": "beskrivning", "parent_id": "överordnad process", "owner_id": "processägare",
    "sort_order": "ordning", "quality_area": "kvalitetsområde", "process_id": "process", "likelihood": "sannolikhet",
    "consequence": "konsekvens", "status": "status", "comment": "kommentar", "method": "metod",
    "frequency": "frekvens", "responsible_id": "ansvarig", "start_year": "startår", "due_on": "tidsplan",
    "follow_up": "uppföljning", "completed_on": "genomförd", "is_archived": "arkiverad",
    "control_order": "egenkontrollernas ordning", "action_order": "åtgärdernas ordning",
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
    # Decided by the person in the preview (a conflict resolved, an item archived): left out of the comparison of the
    # preview read with the confirmed run, which differ there by design.
    chosen: bool = False


@dataclass(frozen=True)
class Missing:
    """An item of the unit's year that the file no longer has: kept, unless the person ticks it for archiving."""

    kind: str  # Process, Risk, Egenkontroll or Åtgärd
    ref: str
    title: str
    # The sheet it is missing from, when the file still has it elsewhere (a row deleted from the appendix of our
    # export, kept in its Register); "" when the file has it nowhere.
    sheet: str = ""

    @property
    def where(self) -> str:
        return f"i bladet {self.sheet}" if self.sheet else "i filen"


@dataclass(frozen=True)
class Conflict:
    """A field the appendix and the Register both changed, differently: the person chooses which one holds."""

    key: str  # "<ref>:<field>", the name of its choice in the confirm form
    kind: str
    title: str
    field: str  # Swedish label
    appendix: str  # the values as the preview shows them
    register: str
    current: str
    sheet: str
    row: int | None


APPENDIX, REGISTER = "appendix", "register"  # a conflict's two choices


@dataclass(frozen=True)
class Question:
    """A bare ◆ on a risk with several egenkontroller: the person may say which one was carried out."""

    key: str  # the name of its choice in the confirm form; the answer is an option's ref
    title: str  # the risk
    options: tuple[tuple[str, str], ...]  # (ref, title) of the risk's egenkontroller
    sheet: str
    row: int | None


@dataclass(frozen=True)
class ImportChoices:
    """What the person decided in the preview: items to archive (by ref), per conflict which sheet holds, and per
    question the ref of the egenkontroll a bare ◆ stands for."""

    archive: frozenset[str] = frozenset()
    resolutions: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportResult:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.verdict != UNCHANGED]

    def counts(self, *, chosen: bool = True) -> list[tuple[str, dict[str, int]]]:
        """Per kind that occurs: how many are created, updated, unchanged, removed (without what the person chose in
        the preview, when chosen is False)."""
        counted: dict[str, Counter] = {kind: Counter() for kind in KINDS}
        for outcome in self.outcomes:
            if outcome.chosen and not chosen:
                continue
            counted[outcome.kind][outcome.verdict] += 1
        return [(kind, {v: c[v] for v in VERDICTS}) for kind, c in counted.items() if c]

    def summary(self) -> str:
        """One line for a flash message or the terminal: "5 skapas, 2 ändras, 30 oförändrade"."""
        total = Counter(outcome.verdict for outcome in self.outcomes)
        parts = [f"{total[verdict]} {label}" for verdict, label in VERDICTS.items() if total[verdict]]
        return ", ".join(parts) or "inget att importera"
