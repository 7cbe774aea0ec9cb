"""Edits made in the appendix of our own workbook: compared with the Register, and applied to it or shown as conflicts.

Our export carries the plan twice: the appendix sheet a coordinator reads and edits, and the Register the import
reads losslessly. When both come back, the Register is applied (app.excel.importing.steps), after this module has
brought into it what was changed in the appendix only. The appendix carries no ids, so its rows are matched to the
Register's items by title within their process and risk, and what is left over in order (an edited title).

Per field, the appendix (A), the Register (R) and the register in the database (D) are compared: A = R is nothing to
do; R = D means only the appendix changed it, and A is applied; A = D means only the Register did; otherwise both
changed it differently, and the person chooses in the preview (a Conflict; the Register holds until then). Items
without a counterpart in the other sheet are warnings, never dropped in silence.

The fields compared are those the appendix shows: titles of processes, risks, egenkontroller and åtgärder, ◆ (a check
this year), ✓ and the follow-up text, and the risk's status when the Status column is there. Ansvarig and Riskvärde are
read from the Register only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from app.excel.importing.context import Context
from app.excel.importing.parsed import Origin, ParsedItem, ParsedPlan, ParsedRisk, title_key
from app.excel.importing.result import APPENDIX, Conflict
from app.excel.importing.steps import DEFAULT_FOLLOW_UP, date_in
from app.excel.layout import APPENDIX_SHEET, CHECK_NOTE, DONE_MARK, PERFORMED_MARK, REGISTER_SHEET
from app.models import ActionStatus, CheckOutcome, Control, RiskStatus

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


class _Edits:
    def __init__(self, ctx: Context, appendix: ParsedPlan):
        self.ctx, self.appendix, self.register = ctx, appendix, ctx.parsed
        self.paired: set[str] = set()  # register keys already compared (an item shown on several lines)

    def run(self) -> None:
        register, appendix = self.register, self.appendix
        processes, extra = self._pair(appendix.processes, [p for p in register.processes if _active(p)])
        self._unmatched(extra, "Processen")
        shown_risks: set[str] = set()
        shown_processes: set[str] = set()
        for found, known in processes:
            self._title(found, known, "Process")
            keys = {item.key for item in known}
            shown_processes |= keys
            risks, extra = self._pair([r for r in appendix.risks if r.parent_key == found.key],
                                      [r for r in register.risks if r.parent_key in keys and _active(r)])
            self._unmatched(extra, "Risken")
            for risk, known_risks in risks:
                shown_risks.update(item.key for item in known_risks)
                self._title(risk, known_risks, "Risk")
                self._status(risk, known_risks)
                self._items(risk, {item.key for item in known_risks})
        for kind, items in (("Risk", register.risks), ("Egenkontroll", register.controls),
                            ("Åtgärd", register.actions)):
            for item in items:
                if kind == "Risk":
                    gone = item.parent_key in shown_processes and item.key not in shown_risks
                else:
                    gone = item.key not in self.paired and any(k in shown_risks for k in item.risk_keys)
                # A row new in the Register was never in the appendix; one the register has was exported there.
                if _active(item) and gone and item.ref in self.ctx.refs:
                    self.ctx.warn(item, f"{kind} ”{item.title}” finns i bladet {REGISTER_SHEET} men inte i bladet "
                                        f"{APPENDIX_SHEET}. Den behålls som registret anger; ta bort raden i "
                                        f"{REGISTER_SHEET} också, eller arkivera posten, om den ska bort.")

    # --- matching ---

    def _pair(self, found: list, known: list, titles: Callable[[ParsedItem], Iterable[str]] | None = None):
        """(pairs, appendix items left over): by title, then what is left in order.

        The appendix cannot tell apart two items of the same title in the same place (it reads them as one), so an
        appendix item stands for every register item of its title there.
        """
        titles = titles or (lambda item: [item.title or ""])
        by_title: dict[str, list[ParsedItem]] = {}
        for item in known:
            by_title.setdefault(title_key(item.title or ""), []).append(item)
        pairs: list[tuple[ParsedItem, list[ParsedItem]]] = []
        used: set[str] = set()
        left = []
        for item in found:
            match = next((by_title[key] for key in map(title_key, titles(item))
                          if key in by_title and not any(k.key in used for k in by_title[key])), None)
            if match is None:
                left.append(item)
            else:
                pairs.append((item, match))
                used.update(k.key for k in match)
        rest = [item for item in known if item.key not in used]
        pairs += [(item, [other]) for item, other in zip(left, rest)]
        return pairs, left[len(rest):]

    def _items(self, risk: ParsedItem, known: set[str]) -> None:
        """The egenkontroller and åtgärder on the risk's lines, against those the Register links to it."""
        appendix, register = self.appendix, self.register
        linked = [c for c in register.controls if known & set(c.risk_keys) and _active(c)]
        # The appendix reads each line of the Egenkontroll cell as an egenkontroll: a title of several lines comes
        # back as several, which are its own lines and not new egenkontroller (nor comparable: it is left as it is).
        several = [c for c in linked if len((c.title or "").splitlines()) > 1]
        lines = {title_key(line) for c in several for line in (c.title or "").splitlines() if line.strip()}
        for control in several:
            self._first(control)
        controls = [c for c in appendix.controls if risk.key in c.risk_keys and c.title is not None
                    and title_key(CHECK_NOTE.sub("", c.title)) not in lines]
        pairs, extra = self._pair(controls, [c for c in linked if c not in several])
        self._unmatched(extra, "Egenkontrollen")
        checked = {c.key for c in appendix.checks}
        for control, known_controls in pairs:
            known_controls = [c for c in known_controls if self._first(c)]
            if known_controls:
                self._title(control, known_controls, "Egenkontroll")
                self._performed(control.key in checked, control, known_controls)
        for bare in [c for c in appendix.controls if c.title is None and c.for_risk == risk.key]:
            if len(linked) == 1:
                self._performed(True, bare, linked)
            else:
                self.ctx.warn(bare, f"{PERFORMED_MARK} utan namn importeras inte: risken ”{risk.title}” har "
                                    f"{'flera egenkontroller' if linked else 'ingen egenkontroll'} i registret. Skriv "
                                    f"egenkontrollens namn efter {PERFORMED_MARK}.", "title")
        actions = [a for a in appendix.actions if risk.key in a.risk_keys]
        pairs, extra = self._pair(actions, [a for a in register.actions if known & set(a.risk_keys) and _active(a)],
                                  lambda item: [title for title, _ in item.readings] or [item.title or ""])
        self._unmatched(extra, "Åtgärden")
        for action, known_actions in pairs:
            known_actions = [a for a in known_actions if self._first(a)]
            if known_actions:
                self._read(action, known_actions[0])
                self._title(action, known_actions, "Åtgärd")
                self._done(action, known_actions)

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

    def _unmatched(self, items: list[ParsedItem], what: str) -> None:
        for item in items:
            self.ctx.warn(item, f"{what} ”{item.title}” finns i bladet {APPENDIX_SHEET} men inte i bladet "
                                f"{REGISTER_SHEET}, och importeras inte. Lägg till den i {REGISTER_SHEET} (eller "
                                f"importera bladet {APPENDIX_SHEET} för sig).", "title")

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
