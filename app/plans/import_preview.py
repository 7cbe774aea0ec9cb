"""An import's preview as data: what the person reads before confirming, kept with the upload.

The preview page is rendered from this data, so showing it reads one row and writes nothing. It holds everything the
page shows (the counts per kind, every change, every error and warning with its sheet, row and column) and nothing
else, so two previews are equal exactly when the person would read the same page: the confirm runs the import again
and applies it only when it gives the preview the person read. What the person chooses on the page (how a conflict is
resolved, which items no longer in the file are archived) is left out of the comparison: the preview shows the
choices, the confirm makes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.excel.importing.result import Conflict, ImportResult, Missing, Question


@dataclass(frozen=True)
class Change:
    """One line of the preview's list of changes."""

    verdict: str
    kind: str
    title: str
    sheet: str
    row: int | None
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """An error or a warning at its place in the file; row and column are None when it concerns the whole file."""

    sheet: str
    row: int | None
    column: str | None
    message: str


class Preview:
    """What an import will do, readable by the preview page as an ImportResult is (ok, counts(), changes, errors,
    warnings), and storable as JSON."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    def of(cls, result: ImportResult) -> Preview:
        """The preview of an import run; its data holds only JSON types, so it equals its stored copy."""
        return cls({
            "counts": [[kind, dict(counts)] for kind, counts in result.counts(chosen=False)],
            "changes": [[change.verdict, change.kind, change.title, change.sheet, change.row, list(change.fields)]
                        for change in result.changes if not change.chosen],
            "errors": [[error.sheet, error.row, error.column, error.message] for error in result.errors],
            "warnings": [[warning.sheet, warning.row, warning.column, warning.message] for warning in result.warnings],
            "missing": [[item.kind, item.ref, item.title, item.sheet] for item in result.missing],
            "conflicts": [[c.key, c.kind, c.title, c.field, c.appendix, c.register, c.current, c.sheet, c.row]
                          for c in result.conflicts],
            "questions": [[q.key, q.title, [list(option) for option in q.options], q.sheet, q.row]
                          for q in result.questions],
        })

    @property
    def ok(self) -> bool:
        return not self.data["errors"]

    def counts(self) -> list[tuple[str, dict[str, int]]]:
        """Per kind that occurs: how many are created, updated, unchanged, removed (as ImportResult.counts)."""
        return [(kind, counts) for kind, counts in self.data["counts"]]

    @property
    def changes(self) -> list[Change]:
        return [Change(verdict, kind, title, sheet, row, tuple(fields))
                for verdict, kind, title, sheet, row, fields in self.data["changes"]]

    @property
    def errors(self) -> list[Problem]:
        return [Problem(*problem) for problem in self.data["errors"]]

    @property
    def warnings(self) -> list[Problem]:
        return [Problem(*problem) for problem in self.data["warnings"]]

    @property
    def missing(self) -> list[Missing]:
        """The year's items the file no longer has (kept unless the person ticks them for archiving)."""
        return [Missing(*item) for item in self.data.get("missing", [])]

    @property
    def conflicts(self) -> list[Conflict]:
        """Fields the appendix and the Register changed differently; the person chooses which holds."""
        return [Conflict(*conflict) for conflict in self.data.get("conflicts", [])]

    @property
    def questions(self) -> list[Question]:
        """Bare ◆ on risks with several egenkontroller: which one was carried out, if the person says."""
        return [Question(key, title, tuple((ref, name) for ref, name in options), sheet, row)
                for key, title, options, sheet, row in self.data.get("questions", [])]

    @property
    def asks(self) -> bool:
        """Whether confirming would do anything: changes to make, or choices to make."""
        return bool(self.data["changes"] or self.missing or self.conflicts or self.questions)
