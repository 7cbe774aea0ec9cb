"""Edits made in the appendix of our own workbook: compared with the Register, and applied to it or shown as conflicts.

Our export carries the plan twice: the appendix sheet a coordinator reads and edits, and the Register the import
reads losslessly. When both come back, the Register is applied (app.excel.importing.steps), after this module has
brought into it what was changed in the appendix only. The appendix carries no ids, so its rows are matched to the
Register's items within their process and risk by app.excel.importing.matching.

Per field, the appendix (A), the Register (R) and the register in the database (D) are compared: A = R is nothing to
do; R = D means only the appendix changed it, and A is applied; A = D means only the Register did; otherwise both
changed it differently, and the person chooses in the preview (a Conflict; the Register holds until then). The order
of processes, of a process's risks and of a risk's items is compared the same way. A row only the appendix has is
created (or linked, when the Register has an item of its title); an item only the Register still has is listed as no
longer in the file, for the person to archive or keep. Nothing is dropped in silence.

The fields compared are those the appendix shows: titles of processes, risks, egenkontroller and åtgärder, ◆ (a check
this year), ✓ and the follow-up text, and the risk's status when the Status column is there. Ansvarig and Riskvärde are
read from the Register only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.core.ordering import placed, renumbered
from app.core.text import swedish_key
from app.excel.importing.context import Context
from app.excel.importing.matching import pair_rows
from app.excel.importing.parsed import Origin, ParsedItem, ParsedPlan, ParsedRisk, title_key
from app.excel.importing.result import APPENDIX, Conflict
from app.excel.importing.steps import DEFAULT_FOLLOW_UP, date_in
from app.excel.layout import APPENDIX_SHEET, CHECK_NOTE, DONE_MARK, PERFORMED_MARK, REGISTER_SHEET
from app.models import Action, ActionStatus, CheckOutcome, Control, Process, Risk, RiskStatus

def apply_appendix_edits(ctx: Context) -> None:
    """Bring the appendix's own edits into the Register's items (ctx.parsed) before the Register is applied."""
    appendix = ctx.parsed.appendix
    if appendix is not None:
        _Edits(ctx, appendix).run()


_MARKS = {PERFORMED_MARK, DONE_MARK, "✔", "☑"}


def _plain(text: str | None) -> str:
    return " ".join((text or "").split())


def _unmarked(text: str | None) -> str:
    """A title as the appendix can give it back: ◆ and ✓ are marks there, never part of a title."""
    return _plain("".join(" " if char in _MARKS else char for char in text or ""))


def _has_mark(text: str | None) -> bool:
    """A title with ◆ or ✓ in it: in the appendix its marks cannot be told from the title's own."""
    return any(char in _MARKS for char in text or "")


def _active(item: ParsedItem) -> bool:
    return not item.values.get("is_archived")


def _status_key(status: RiskStatus | None) -> set[str]:
    """A risk's status among the titles it is known by (the NUL keeps it from meeting any title)."""
    return {f"\0{status.value}"} if status is not None else set()


class _AppendixScope:
    """Whether an item of the database is one the appendix of the unit's year shows: the active processes of the
    unit and the units below it, their active risks, and the active egenkontroller and åtgärder of the year linked to
    those."""

    def __init__(self, ctx: Context):
        self.unit_ids, self.year = set(ctx.units), ctx.year

    def __call__(self, item: object) -> bool:
        if isinstance(item, Process):
            return not item.is_archived and item.unit_id in self.unit_ids
        if isinstance(item, Risk):
            return not item.is_archived and self(item.process)
        if isinstance(item, Action) and not item.is_visible_in(self.year):
            return False
        if isinstance(item, (Control, Action)):
            return not item.is_archived and any(self(risk) for risk in item.risks)
        return False


class _Edits:
    def __init__(self, ctx: Context, appendix: ParsedPlan):
        self.ctx, self.appendix, self.register = ctx, appendix, ctx.parsed
        self.paired: set[str] = set()  # register keys already compared (an item shown on several lines)
        self.shown: set[str] = set()  # register keys of the items the appendix shows, on any line
        self.counterpart: dict[str, str] = {}  # appendix key → the key of the one register item it stands for
        self.new: set[str] = set()  # register keys of items made for rows added in the appendix
        # (register egenkontroll or åtgärd, keys of risks whose lines in the appendix no longer show it)
        self.lines_left: list[tuple[ParsedItem, set[str]]] = []

    def run(self) -> None:
        register, appendix = self.register, self.appendix
        # A process's contents are its risks and their items: a renamed process whose risks were renamed too is
        # still known by the egenkontroller and åtgärder on its lines (a status is too common to know it by).
        contents = (lambda process: {key for r in appendix.risks if r.parent_key == process.key
                                     for key in [title_key(r.title or ""), *self._found_items(r)] if key[:1] != "\0"},
                    lambda process: {key for r in register.risks if r.parent_key == process.key
                                     for key in [title_key(r.title or ""), *self._known_items(r)] if key[:1] != "\0"})
        processes = self._with_added(
            appendix.processes,
            *pair_rows(appendix.processes, [p for p in register.processes if _active(p)], contents=contents,
                        renamed_in_order=True),
            self._add_process)
        for found, known in processes:
            if known[0].key not in self.new:
                self._title(found, known, "Process")
            keys = {item.key for item in known}
            self.shown |= keys
            found_risks = [r for r in appendix.risks if r.parent_key == found.key]
            process_key = known[0].key

            def add_risk(risk: ParsedRisk, process_key: str = process_key) -> ParsedItem:
                return self._add_risk(risk, process_key)

            risks = self._with_added(
                found_risks,
                *pair_rows(found_risks, [r for r in register.risks if r.parent_key in keys and _active(r)],
                            contents=(self._found_items, self._known_items)),
                add_risk)
            for risk, known_risks in risks:
                self.shown.update(item.key for item in known_risks)
                if known_risks[0].key not in self.new:
                    self._title(risk, known_risks, "Risk")
                    self._status(risk, known_risks)
                self._items(risk, known_risks)
            if len(known) == 1 and known[0].key not in self.new:
                self._order_risks(known[0], [known_risks for _, known_risks in risks])
        self._order_processes([known for _, known in processes])
        self._left_out()

    def _found_items(self, risk: ParsedRisk) -> set[str]:
        """What an appendix risk is known by besides its title: the egenkontroller and åtgärder on its lines, and
        its status."""
        items = [i for i in self.appendix.controls + self.appendix.actions if risk.key in i.risk_keys and i.title]
        return {title_key(title) for item in items for title in [item.title or ""] + [t for t, _ in item.readings]
                } | _status_key((risk.assessment or {}).get("status") or risk.values.get("status"))

    def _known_items(self, risk: ParsedRisk) -> set[str]:
        """As _found_items, for a risk of the Register: what it links to, and its status for the year."""
        items = [i for i in self.register.controls + self.register.actions if risk.key in i.risk_keys]
        return {title_key(item.title or "") for item in items} | _status_key((risk.assessment or {}).get("status"))

    def _unit_code(self, item: ParsedItem) -> str:
        """The code of the unit a Register item belongs to (an empty Enhet is the import's unit)."""
        return item.unit_code or self.ctx.unit.code

    def _with_added(self, found: list, pairs: list, extra: list, add: Callable[[Any], ParsedItem]) -> list:
        """The pairs, with a new register item for each appendix item the Register lacks, in the appendix's order."""
        pairs = pairs + [(item, [add(item)]) for item in extra]
        position = {id(item): index for index, item in enumerate(found)}
        pairs.sort(key=lambda pair: position[id(pair[0])])
        for item, known in pairs:
            if len(known) == 1:
                self.counterpart[item.key] = known[0].key
        return pairs

    def _items(self, risk: ParsedRisk, known_risks: list[ParsedRisk]) -> None:
        """The egenkontroller and åtgärder on the risk's lines, against those the Register links to it."""
        appendix, register = self.appendix, self.register
        known = {item.key for item in known_risks}
        linked = [c for c in register.controls if known & set(c.risk_keys) and _active(c)]
        # The appendix reads each line of the Egenkontroll cell as an egenkontroll: a title of several lines comes
        # back as several, which are its own lines and not new egenkontroller (nor comparable: it is left as it is).
        several = [c for c in linked if len((c.title or "").splitlines()) > 1]
        lines = {title_key(line) for c in several for line in (c.title or "").splitlines() if line.strip()}
        on_lines = [c for c in appendix.controls if risk.key in c.risk_keys and c.title is not None]
        for control in several:
            self.shown.add(control.key)
            if self._first(control) and not {title_key(line) for line in (control.title or "").splitlines()
                                             if line.strip()} <= {title_key(CHECK_NOTE.sub("", c.title or ""))
                                                                  for c in on_lines}:
                self.ctx.warn(risk, f"Egenkontrollen ”{_plain(control.title)}” har ett namn på flera rader, och i "
                                    f"bladet {APPENDIX_SHEET} läses varje rad för sig: ändringar av namnet där "
                                    f"importeras inte. Ändra namnet i bladet {REGISTER_SHEET}.", "title")
        controls = [c for c in on_lines if title_key(CHECK_NOTE.sub("", c.title or "")) not in lines]
        pairs, extra = pair_rows(controls, [c for c in linked if c not in several])
        checked = {c.key for c in appendix.checks}
        for control, known_controls in pairs:
            self._showing(control, known_controls)
            known_controls = [c for c in known_controls if self._first(c)]
            if known_controls:
                self._title(control, known_controls, "Egenkontroll")
                self._performed(control.key in checked, control, known_controls)
        for control in extra:
            self._add_control(control, known_risks, control.key in checked)
        for bare in [c for c in appendix.controls if c.title is None and c.for_risk == risk.key]:
            if len(linked) == 1:
                self.shown.add(linked[0].key)
                self._performed(True, bare, linked)
            else:
                self.ctx.warn(bare, f"{PERFORMED_MARK} utan namn importeras inte: risken ”{risk.title}” har "
                                    f"{'flera egenkontroller' if linked else 'ingen egenkontroll'} i registret. Skriv "
                                    f"egenkontrollens namn efter {PERFORMED_MARK}.", "title")
        self._lines_left(known, linked, pairs, several)
        actions = [a for a in appendix.actions if risk.key in a.risk_keys]
        linked = [a for a in register.actions if known & set(a.risk_keys) and _active(a)]
        pairs, extra = pair_rows(actions, linked, lambda item: [title for title, _ in item.readings] or [item.title or ""])
        for action, known_actions in pairs:
            self._showing(action, known_actions)
            known_actions = [a for a in known_actions if self._first(a)]
            if known_actions:
                self._read(action, known_actions[0])
                self._title(action, known_actions, "Åtgärd")
                self._done(action, known_actions)
        for action in extra:
            self._add_action(action, known_risks)
        self._lines_left(known, linked, pairs, [])
        if len(known_risks) == 1:  # the Register has no order of a risk's items: the appendix's is the one there is
            known_risks[0].control_keys = [self.counterpart[key] for key in risk.control_keys
                                           if key in self.counterpart]
            known_risks[0].action_keys = [self.counterpart[key] for key in risk.action_keys if key in self.counterpart]

    def _showing(self, found: ParsedItem, known: list[ParsedItem]) -> None:
        self.shown.update(item.key for item in known)
        if len(known) == 1:
            self.counterpart[found.key] = known[0].key

    def _lines_left(self, risks: set[str], linked: list[ParsedItem], pairs: list, kept: list[ParsedItem]) -> None:
        """The risk's items whose line the appendix no longer has (see _left_out)."""
        on_lines = {item.key for _, known in pairs for item in known} | {item.key for item in kept}
        for item in linked:
            if item.key not in on_lines:
                self.lines_left.append((item, risks))

    # --- rows added in the appendix ---

    def _add_process(self, found: ParsedItem) -> ParsedItem:
        """A process row the Register lacks becomes a new process of the unit (placed by _order_processes)."""
        item = ParsedItem(f"+{found.key}", None, found.title, found.origin)
        self.register.processes.append(item)
        self.new.add(item.key)
        return item

    def _add_risk(self, found: ParsedRisk, process_key: str) -> ParsedRisk:
        """A risk row the Register lacks: a new risk of the process, with what the appendix says of it (scores it
        rarely has: a status alone is not an assessment, and the steps say so)."""
        item = ParsedRisk(f"+{found.key}", None, found.title, found.origin, dict(found.values), parent_key=process_key,
                          assessment=dict(found.assessment) if found.assessment is not None else None)
        self.register.risks.append(item)
        self.new.add(item.key)
        return item

    def _add_control(self, found: ParsedItem, risks: list[ParsedRisk], performed: bool) -> None:
        """An egenkontroll on a risk's line that the Register does not link to the risk: the egenkontroll of that
        title linked to it, or a new one (once, however many lines name it)."""
        target = self._linkable(found, self.register.controls, [found.title or ""])
        if target is None:
            target = ParsedItem(f"+{found.key}", None, found.title, found.origin, values=dict(found.values))
            self.register.controls.append(target)
            self.new.add(target.key)
            if performed:
                self._performed(True, found, [target])
        self._link(found, target, risks)

    def _add_action(self, found: ParsedItem, risks: list[ParsedRisk]) -> None:
        """An åtgärd on a risk's line that the Register does not link to the risk: the åtgärd of that title linked
        to it, or a new one with what the appendix says (✓ and the follow-up, or its status)."""
        titles = [title for title, _ in found.readings] or [found.title or ""]
        target = self._linkable(found, self.register.actions, titles)
        if target is None:
            title, details = found.readings[0] if found.readings else (found.title or "", "")
            status = found.values.get("status") or ActionStatus.PLANNED
            done = status is ActionStatus.DONE
            values: dict[str, Any] = dict(
                start_year=self.ctx.year, status=status, description="" if done else details, due_on=None,
                follow_up=(details or DEFAULT_FOLLOW_UP) if done else "", completed_on=date_in(self.ctx.year) if done
                else None)
            if "responsible" in found.values:
                values["responsible"] = found.values["responsible"]
            target = ParsedItem(f"+{found.key}", None, title, found.origin, values=values)
            self.register.actions.append(target)
            self.new.add(target.key)
        self._link(found, target, risks)

    def _linkable(self, found: ParsedItem, items: list[ParsedItem], titles: list[str]) -> ParsedItem | None:
        """The register item the appendix item was already made or linked as, else the unit's active one of its
        title."""
        if found.key in self.counterpart:
            return next(item for item in items if item.key == self.counterpart[found.key])
        keys = {title_key(title) for title in titles}
        return next((item for item in items if _active(item) and title_key(item.title or "") in keys), None)

    def _link(self, found: ParsedItem, target: ParsedItem, risks: list[ParsedRisk]) -> None:
        self.counterpart[found.key] = target.key
        self.shown.add(target.key)
        for risk in risks:
            if risk.key not in target.risk_keys:
                target.risk_keys.append(risk.key)

    # --- order ---

    def _order_processes(self, shown: list[list[ParsedItem]]) -> None:
        """The appendix's order of the processes, per unit and level, written as their Ordning."""
        levels: dict[tuple[str, str | None], list[ParsedItem]] = {}
        for known in shown:
            if len(known) == 1:
                levels.setdefault((self._unit_code(known[0]), known[0].parent_key), []).append(known[0])
        for (code, parent_key), listed in levels.items():
            siblings = [p for p in self.register.processes if p.parent_key == parent_key and p.key not in self.new
                        and self._unit_code(p) == code]
            siblings.sort(key=lambda p: (p.values.get("sort_order") or 0, swedish_key(p.title or "")))
            parent = self.ctx.refs.get(parent_key)
            parent_id = parent.id if isinstance(parent, Process) else None
            unit = self.ctx.units_by_code.get(code)
            database = sorted((p for p in self.ctx.processes if unit is not None and p.unit_id == unit.id
                               and p.parent_id == parent_id), key=lambda p: (p.sort_order, swedish_key(p.title), p.id))

            def apply(order: list[ParsedItem], siblings: list[ParsedItem] = siblings) -> None:
                numbers = [p.values.get("sort_order") or 0 for p in siblings]
                numbers += [max(numbers, default=-1) + 1 + index for index in range(len(order) - len(numbers))]
                for key, number in renumbered([p.key for p in order], numbers).items():
                    next(p for p in order if p.key == key).values["sort_order"] = number

            where = parent.title if isinstance(parent, Process) else unit.name if unit else code
            self._order("Process", where, f"ordning:{parent_key or code}", siblings, listed,
                        [p.ref for p in database], apply)

    def _order_risks(self, process: ParsedItem, shown: list[list[ParsedRisk]]) -> None:
        """The appendix's order of the process's risks, written as the order of the Register's rows."""
        listed = [known[0] for known in shown if len(known) == 1]
        siblings = [r for r in self.register.risks if r.parent_key == process.key and r.key not in self.new]
        current = self.ctx.refs.get(process.ref)
        database = [risk.ref for risk in current.risks] if isinstance(current, Process) else []

        def apply(order: list[ParsedItem]) -> None:
            places = [index for index, risk in enumerate(self.register.risks) if risk.parent_key == process.key]
            for index, risk in zip(places, order):
                self.register.risks[index] = risk  # type: ignore[call-overload]

        self._order("Risk", process.title or "", f"ordning:{process.key}", siblings, listed, database, apply)

    def _order(self, kind: str, where: str, key: str, register: Sequence[ParsedItem], listed: Sequence[ParsedItem],
               database: Sequence[str | None], apply: Callable[[list[ParsedItem]], None]) -> None:
        """Apply the appendix's order of a group (listed; rows added there included) over the Register's (register),
        as the fields are: the appendix's where only it moved something, a conflict where both did, differently."""
        by_key = {item.key: item for item in [*register, *listed]}
        base = [item.key for item in register] + [item.key for item in listed if item.key in self.new]
        wanted = [item.key for item in listed]
        common = {item.ref for item in listed} & {item.ref for item in register} & set(database)

        def among(refs: Sequence[str | None]) -> list[str | None]:
            return [ref for ref in refs if ref in common]

        in_appendix = among([item.ref for item in listed])
        in_register = among([item.ref for item in register])
        in_database = among(database)
        register_order = [item.key for item in register]
        if in_appendix == in_database:
            wanted = placed(wanted, register_order)  # the appendix moved nothing: new rows go where it put them
        elif in_register != in_database and in_register != in_appendix:
            names = {item.ref: item.title or "" for item in register}
            conflict = Conflict(key, kind, where, "ordning", ", ".join(names[ref] for ref in in_appendix),
                                ", ".join(names[ref] for ref in in_register),
                                ", ".join(names[ref] for ref in in_database), listed[0].origin.sheet,
                                listed[0].origin.row)
            self.ctx.result.conflicts.append(conflict)
            if self.ctx.choices.resolutions.get(key) != APPENDIX:
                wanted = placed(wanted, register_order)
        order = placed(base, wanted)
        if order != base:
            apply([by_key[item_key] for item_key in order])

    # --- what the appendix no longer shows ---

    def _left_out(self) -> None:
        """Items of the unit's year that the appendix no longer shows, though the Register still has them, are
        listed as no longer in the file (the person may archive them); an egenkontroll or åtgärd gone from one risk's
        lines but shown on another's is unlinked from that risk."""
        ctx, register = self.ctx, self.register
        in_scope = _AppendixScope(ctx)
        for items in (register.processes, register.risks, register.controls, register.actions):
            for item in items:
                current = ctx.refs.get(item.ref)
                if _active(item) and item.key not in self.shown and in_scope(current):
                    ctx.not_in_appendix.add(item.ref)  # type: ignore[arg-type]
        for item, risks in self.lines_left:
            current = ctx.refs.get(item.ref)
            if item.key in self.shown and isinstance(current, (Control, Action)):
                linked = {risk.ref for risk in current.risks}
                item.risk_keys = [key for key in item.risk_keys if key not in risks or key not in linked]

    def _first(self, known: ParsedItem) -> bool:
        """Whether the register item is met for the first time (an item linked to two risks is on two lines)."""
        if known.key in self.paired:
            return False
        self.paired.add(known.key)
        return True

    def _read(self, action: ParsedItem, known: ParsedItem) -> None:
        """The reading of the appendix text whose title the Register has (else the first)."""
        title, details = next((r for r in action.readings if title_key(r[0]) == title_key(known.title or "")),
                              action.readings[0] if action.readings else (action.title or "", ""))
        action.title = title
        action.values["_details"] = details

    # --- fields ---

    def _title(self, found: ParsedItem, known: list[ParsedItem], kind: str) -> None:
        if len(known) > 1:
            return  # matched by this very title

        def apply(value: str) -> None:
            known[0].title = value

        if _unmarked(found.title) == _unmarked(known[0].title):
            return
        self._compare(found, known, kind, "title", "namn", _plain(found.title), lambda item: _plain(item.title),
                      lambda current: _plain(current.title), apply)

    def _status(self, found: ParsedRisk, known: list[ParsedRisk]) -> None:
        wanted = (found.assessment or {}).get("status") or found.values.get("status")
        if wanted is None:
            return
        if any((risk.assessment or risk.values).get("status") is wanted for risk in known):
            return
        unassessed = [risk for risk in known if risk.assessment is None]
        if unassessed:
            if len(known) > 1:
                self._ambiguous(found, "status")
            else:
                self.ctx.warn(found, f"Statusen {wanted.label} importeras inte: risken saknar sannolikhet och "
                                     f"konsekvens för {self.ctx.year} i bladet {REGISTER_SHEET}.", "status")
            return

        def current_status(risk) -> str:
            current = risk.assessment_for(self.ctx.year)
            return current.status.label if current else ""

        def apply(value: str) -> None:
            known[0].assessment["status"] = RiskStatus.parse(value)  # type: ignore[index]

        self._compare(found, known, "Risk", "status", "status", wanted.label,
                      lambda risk: risk.assessment["status"].label, current_status, apply)

    def _done(self, found: ParsedItem, known: list[ParsedItem]) -> None:
        year = self.ctx.year
        details = found.values.pop("_details", "")
        done = found.values.get("status") is ActionStatus.DONE
        if any(_has_mark(item.title) for item in known):
            return  # "Titel ✓" cannot be told from a genomförd "Titel"

        def apply_done(value: str) -> None:
            values = known[0].values
            if value == "genomförd":
                values.update(status=ActionStatus.DONE, completed_on=values.get("completed_on") or date_in(year),
                              follow_up=values.get("follow_up") or details or DEFAULT_FOLLOW_UP)
            else:  # ✓ taken away: open again
                values.update(status=ActionStatus.IN_PROGRESS, completed_on=None)

        def label(is_done: bool) -> str:
            return "genomförd" if is_done else "inte genomförd"

        self._compare(found, known, "Åtgärd", "status", "genomförd (✓)", label(done),
                      lambda item: label(item.values.get("status") is ActionStatus.DONE),
                      lambda current: label(current.status is ActionStatus.DONE), apply_done)
        if done and details and all(item.values.get("status") is ActionStatus.DONE for item in known):
            def apply_follow_up(value: str) -> None:
                known[0].values["follow_up"] = value

            self._compare(found, known, "Åtgärd", "follow_up", "uppföljning", _plain(details),
                          lambda item: _plain(item.values.get("follow_up")), lambda current: _plain(current.follow_up),
                          apply_follow_up)

    def _performed(self, performed: bool, found: ParsedItem, known: list[ParsedItem]) -> None:
        """◆ added in the appendix records the check; ◆ taken away is a warning (a check is never deleted here)."""
        checked = {check.parent_key for check in self.register.checks}
        if any((item.key in checked) == performed or _has_mark(item.title) for item in known):
            return
        if len(known) > 1:
            self._ambiguous(found, "◆")
            return
        target = known[0]
        current = self.ctx.refs.get(target.ref)
        in_database = isinstance(current, Control) and any(c.year == self.ctx.year for c in current.checks)
        if not performed:
            if in_database:
                self.ctx.warn(found, f"{PERFORMED_MARK} saknas i bladet {APPENDIX_SHEET}, men egenkontrollen "
                                     f"”{target.title}” är genomförd {self.ctx.year}. Den genomförda egenkontrollen "
                                     "tas inte bort vid import.", "title")
            return
        if in_database:
            return  # the Register left out a check the register has: it is kept either way
        check = next((c for c in self.appendix.checks if c.parent_key == found.key), None)
        values: dict[str, Any] = dict(check.values) if check else {}
        values.setdefault("performed_on", date_in(self.ctx.year))
        values.setdefault("outcome", CheckOutcome.NO_REMARKS)
        values.setdefault("findings", "")
        self.register.checks.append(ParsedItem(f"{PERFORMED_MARK}\n{target.key}", None, None,
                                               Origin(found.origin.sheet, found.origin.row, dict(found.origin.cells)),
                                               values, parent_key=target.key))

    def _ambiguous(self, found: ParsedItem, what: str) -> None:
        self.ctx.warn(found, f"Ändringen av {what} i bladet {APPENDIX_SHEET} importeras inte: flera poster på samma "
                             f"plats heter ”{found.title}”, och bilagan visar inte vilken som menas. Ändra i bladet "
                             f"{REGISTER_SHEET} i stället.", "title")

    def _compare(self, found: ParsedItem, known: Sequence[ParsedItem], kind: str, field: str, label: str, wanted: str,
                 given: Callable[[Any], str], in_database: Callable[[Any], str],
                 apply: Callable[[str], None]) -> None:
        """Apply the appendix's value, keep the Register's, or record a conflict the person resolves."""
        if any(given(item) == wanted for item in known):
            return
        if len(known) > 1:
            self._ambiguous(found, label)
            return
        target = known[0]
        current_item = self.ctx.refs.get(target.ref)
        current = in_database(current_item) if current_item is not None else None
        if current is not None and wanted == current:
            return  # only the Register changed it
        if current is not None and given(target) == current:
            apply(wanted)  # only the appendix changed it
            return
        key = f"{target.ref or target.key}:{field}"
        self.ctx.result.conflicts.append(Conflict(key, kind, target.title or found.title or "", label, wanted,
                                                  given(target), current or "", found.origin.sheet, found.origin.row))
        self.ctx.chosen.add(target.key)
        if self.ctx.choices.resolutions.get(key) == APPENDIX:
            apply(wanted)
