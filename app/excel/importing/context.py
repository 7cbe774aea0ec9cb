"""The unit's register as an import finds it, read once, and where the import's outcomes and problems are recorded.

Reads the database and writes nothing; the steps (app.excel.importing.steps) make every change.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.errors import DomainError
from app.core.units import unit_subtree_ids
from app.excel.importing.parsed import ParsedItem, ParsedPlan, title_key
from app.excel.importing.result import (
    FIELD_LABELS,
    OUTCOME_KINDS,
    UNCHANGED,
    UPDATE,
    ImportChoices,
    ImportResult,
    Outcome,
)
from app.extensions import db
from app.models import Action, ActionStatus, Control, ControlCheck, Process, Risk, Unit, User


class Context:
    """What the steps share: the unit's items indexed by ref and by title, people, and the result being built.

    The Register covers the unit and every unit below it (an export of a förvaltning holds its enheters items);
    the appendix covers the unit alone.
    """

    def __init__(self, actor: User | None, unit: Unit, year: int, parsed: ParsedPlan, result: ImportResult,
                 choices: ImportChoices | None = None):
        self.actor, self.unit, self.year, self.parsed, self.result = actor, unit, year, parsed, result
        self.choices = choices or ImportChoices()
        self.chosen: set[str] = set()  # keys of the file's items whose values a choice in the preview decided
        # Refs of items the Register of our export still has but its appendix no longer shows (a deleted row).
        self.not_in_appendix: set[str] = set()
        self._outcome_index: dict[tuple[str, str | None], int] = {}  # (outcome kind, item key) → its place in outcomes
        self._key_of: dict[str, dict[int, str | None]] = {}  # per kind, id of a saved item → its key in the file
        self.by_register = parsed.layout == "register"
        unit_ids = unit_subtree_ids(unit.id) if self.by_register else {unit.id}
        self.units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}
        self.units_by_code = {u.code: u for u in self.units.values()}
        self.processes = list(db.session.scalars(
            select(Process).where(Process.unit_id.in_(unit_ids)).order_by(Process.id)))
        self.risks = list(db.session.scalars(
            select(Risk).join(Risk.process).where(Process.unit_id.in_(unit_ids)).order_by(Risk.id)
            .options(selectinload(Risk.controls), selectinload(Risk.actions), selectinload(Risk.assessments))))
        self.controls = list(db.session.scalars(
            select(Control).where(Control.unit_id.in_(unit_ids)).order_by(Control.id)
            .options(selectinload(Control.checks), selectinload(Control.risks))))
        self.actions = list(db.session.scalars(
            select(Action).where(Action.unit_id.in_(unit_ids)).order_by(Action.id)
            .options(selectinload(Action.risks))))
        self.checks = [check for control in self.controls for check in control.checks]
        self.people = list(db.session.scalars(select(User).where(User.unit_id.in_(unit_ids)).order_by(User.id)))
        # The file's items once applied, by kind and by their key in the file: the Process, Risk, Control or Action.
        # Looked up by a key the file may leave out (None), which finds nothing.
        self.done: dict[str, dict[str | None, Any]] = {kind: {} for kind in ("process", "risk", "control", "action")}
        self._index()
        self.foreign_refs = self._foreign_refs()

    # --- units ---

    def unit_for(self, item: ParsedItem, existing) -> Unit | None:
        """The unit the item belongs to: an existing item's own; a new one's from its Enhet cell (empty: the import's
        unit). None, with an error against the Enhet cell, for a unit that is not the import's or below it."""
        if existing is not None:
            own = self.units[existing.unit_id]
            if item.unit_code and item.unit_code != own.code:
                self.warn(item, f"Posten hör till enheten {own.code} och flyttas inte vid import.", "unit_code")
            return own
        if not item.unit_code:
            return self.unit
        found = self.units_by_code.get(item.unit_code)
        if found is None:
            known = db.session.scalar(select(Unit.id).where(Unit.code == item.unit_code)) is not None
            why = f"ligger inte under {self.unit.code}" if known else "finns inte"
            self.error(item, f"Enheten ”{item.unit_code}” {why}. Ange {self.unit.code} eller en enhet under den.",
                       "unit_code")
        return found

    # --- matching ---

    def match(self, kind: str, item: ParsedItem, *, process: Process | None = None):
        """The existing item the file's item stands for: by ref in the Register, by title in the appendix."""
        if self.by_register:
            return self.refs.get(item.ref)
        # The appendix gives every process, risk and åtgärd a title; only a title-less egenkontroll (◆) is not matched.
        assert item.title is not None, f"an appendix {kind} without a title is not matched"
        if kind == "risk":
            return self.titles["risk"].get((process.id if process else None, title_key(item.title)))
        return self.titles[kind].get(title_key(item.title))

    def read_action(self, item: ParsedItem) -> None:
        """Settle an appendix åtgärd's title: the reading of its text whose title the register has, else the first.

        The rest of the text is the follow-up of a genomförd åtgärd, else the description (see appendix.py).
        """
        if not item.readings:
            return
        title, details = next((reading for reading in item.readings
                               if title_key(reading[0]) in self.titles["action"]), item.readings[0])
        item.title = title
        for name in ("follow_up", "description"):
            item.values.pop(name, None)
        if details:
            item.values["follow_up" if item.values.get("status") is ActionStatus.DONE else "description"] = details

    def _index(self) -> None:
        # By ref, also looked up with the None of a row that gives none.
        self.refs: dict[str | None, Process | Risk | Control | ControlCheck | Action] = {
            item.ref: item
            for items in (self.processes, self.risks, self.controls, self.checks, self.actions)
            for item in items
        }
        self.titles: dict[str, dict] = {"process": {}, "risk": {}, "control": {}, "action": {}}
        # Of two items with the same title, an active one wins over an archived one, then the oldest.
        def preferred(items: list) -> list:
            return sorted(items, key=lambda item: (item.is_archived, item.id))

        for kind, items in (("process", self.processes), ("control", self.controls), ("action", self.actions)):
            for item in preferred(items):
                self.titles[kind].setdefault(title_key(item.title), item)
        for risk in preferred(self.risks):
            self.titles["risk"].setdefault((risk.process_id, title_key(risk.title)), risk)

    def _foreign_refs(self) -> set[str]:
        """Refs in the file that already belong to another unit's items."""
        file_refs = {item.ref for items in (self.parsed.processes, self.parsed.risks, self.parsed.controls,
                                            self.parsed.checks, self.parsed.actions) for item in items if item.ref}
        wanted = sorted(file_refs - self.refs.keys())
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for model in (Process, Risk, Control, ControlCheck, Action):
                found.update(db.session.scalars(select(model.ref).where(model.ref.in_(chunk))))
        return found

    def is_foreign(self, item: ParsedItem) -> bool:
        if item.ref in self.foreign_refs:
            self.error(item, f"ID {item.ref} hör till en annan enhet. Importera registret i den enhet det "
                             "exporterades från, eller i en enhet över den.", "ref")
            return True
        return False

    # --- people ---

    def person(self, item: ParsedItem, field_name: str, current: User | None, unit: Unit | None = None) -> User | None:
        """The person the file names (e-mail or name, within the item's unit), else the current one, with a warning."""
        if field_name not in item.values:
            return current
        text = (item.values[field_name] or "").strip()
        if not text:
            return None
        wanted, unit_id = text.casefold(), (unit or self.unit).id
        people = [p for p in self.people if p.unit_id == unit_id]
        matches = [p for p in people if p.email.casefold() == wanted] or [
            p for p in people if " ".join(p.name.split()).casefold() == " ".join(wanted.split())]
        if len(matches) == 1:
            return matches[0]
        why = "flera personer i enheten heter så" if matches else "personen finns inte bland enhetens användare"
        self.warn(item, f"Ansvarig ”{text}” importeras inte: {why}.", field_name)
        return current

    # --- reporting ---

    def outcome(self, kind: str, item: ParsedItem, title: str, verdict: str, changed=(), *,
                chosen: bool = False) -> None:
        labels = tuple(dict.fromkeys(FIELD_LABELS.get(name, name) for name in changed))
        self._outcome_index[(kind, item.key)] = len(self.result.outcomes)
        self.result.outcomes.append(Outcome(kind, title, verdict, labels, item.origin.sheet, item.origin.row,
                                            chosen or item.key in self.chosen))

    def moved(self, kind: str, obj: Any, field_name: str) -> None:
        """Add a change of order to the outcome of the item the file saved as obj; a new item's order is part of its
        making."""
        done = self.done[kind]
        if len(self._key_of.get(kind, {})) != len(done):  # called once all of a kind are saved: built once
            self._key_of[kind] = {id(saved): key for key, saved in done.items()}
        index = self._outcome_index.get((OUTCOME_KINDS[kind], self._key_of[kind].get(id(obj))))
        if index is None:
            return
        outcome, label = self.result.outcomes[index], FIELD_LABELS[field_name]
        if outcome.verdict in (UNCHANGED, UPDATE) and label not in outcome.fields:
            self.result.outcomes[index] = replace(outcome, verdict=UPDATE, fields=(*outcome.fields, label))

    def error(self, item: ParsedItem, message: str, field_name: str | None = None) -> None:
        self.result.errors.append(item.origin.error(message, _column_field(field_name)))

    def warn(self, item: ParsedItem, message: str, field_name: str | None = None) -> None:
        warning = item.origin.error(message, _column_field(field_name))
        if warning not in self.result.warnings:
            self.result.warnings.append(warning)

    def refused(self, item: ParsedItem, error: DomainError) -> None:
        self.error(item, error.message, error.field)


def _column_field(field_name: str | None) -> str | None:
    """Services name a parent as forms do ("parent", "process"); the origin knows that cell as parent_key."""
    return {"parent": "parent_key", "process": "parent_key"}.get(field_name or "", field_name)
