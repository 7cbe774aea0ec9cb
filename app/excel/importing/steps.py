"""The import's steps, in the order items depend on each other: processes, risks, egenkontroller, checks, åtgärder.

Every change goes through the register's services, which validate, flush and write the audit trail; a refusal is
recorded against the row it came from and the import goes on, so that all problems are listed at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from app.core.audit import Changes
from app.core.errors import DomainError
from app.core.services import actions, assessments, controls, processes, risks
from app.core.years import today
from app.excel.importing.context import Context
from app.excel.importing.order import items_in_sheet_order, parents_first, risk_creation_order
from app.excel.importing.parsed import Origin, ParsedItem, ParsedRisk
from app.excel.importing.result import CREATE, DELETE, OUTCOME_KINDS, UNCHANGED, UPDATE, Missing, Question
from app.excel.layout import APPENDIX_SHEET, PERFORMED_MARK
from app.models import (
    Action,
    ActionStatus,
    CheckOutcome,
    Control,
    Frequency,
    Process,
    Risk,
    RiskStatus,
    Unit,
    User,
)

DEFAULT_FREQUENCY = Frequency.ANNUAL
DEFAULT_FOLLOW_UP = "Markerad som genomförd vid import."
ARCHIVE: dict[str, Callable[[User | None, Any, bool], None]] = {
    "process": processes.set_archived, "risk": risks.set_archived, "control": controls.set_archived,
    "action": actions.set_archived,
}


class Steps:
    """One import run: each kind of item in turn, then archiving, all recorded on the import's Context."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        # (item, its row, its service's set_archived)
        self.to_archive: list[
            tuple[Process | Risk | Control | Action, ParsedItem, Callable[[User | None, Any, bool], None]]
        ] = []
        self.failed: set[str] = set(ctx.parsed.skipped)  # items refused: what depends on them is skipped quietly
        self.risk_keys = {risk.key for risk in ctx.parsed.risks}
        self.mentioned: set[int] = set()  # ids of items the file refers to without naming them

    def run(self) -> None:
        self.processes()
        self.order_processes()
        self.risks()
        self.order_risks()
        self.controls()
        self.checks()
        self.actions()
        for risk, kind, items in items_in_sheet_order(self.ctx.parsed, self.ctx.done):
            if risks.order_links(self.ctx.actor, risk, kind, items):  # the appendix's order of a risk's items
                self.ctx.moved("risk", risk, f"{kind[:-1]}_order")
        self.no_longer_in_file()
        self.archive()

    # --- processes ---

    def processes(self) -> None:
        ctx = self.ctx
        candidates = [item for item in ctx.parsed.processes if not ctx.is_foreign(item)]
        for item in parents_first(candidates, lambda item, message: ctx.error(item, message, "parent_key")):
            existing = ctx.match("process", item)
            unit = ctx.unit_for(item, existing)
            if unit is None:
                self.failed.add(item.key)
                continue
            parent = existing.parent if existing else None
            if ctx.by_register and item.parent_key:
                parent = self._find(item, "process", Process, item.parent_key, "överordnad process")
                if parent is None:
                    continue
            fields = dict(
                title=item.title if ctx.by_register or not existing else existing.title,
                description=given(item, "description", existing, ""),
                parent=parent,
                owner=ctx.person(item, "owner", existing.owner if existing else None, unit),
                sort_order=given(item, "sort_order", existing, None),  # a new process without one goes last
            )
            self._save("process", item, existing, lambda: processes.create_process(ctx.actor, unit, **fields),
                       lambda: processes.update_process(ctx.actor, existing, **fields), processes.set_archived, fields)

    def order_processes(self) -> None:
        """The appendix's order of first appearance, level by level (the Register gives its order as Ordning)."""
        if self.ctx.by_register:
            return
        levels: dict[Process | None, list[Process]] = {}
        for item in self.ctx.parsed.processes:
            process = self.ctx.done["process"].get(item.key)
            if process is not None and process.unit_id == self.ctx.unit.id:
                levels.setdefault(process.parent, []).append(process)
        for parent, listed in levels.items():
            for process in processes.order_processes(self.ctx.actor, self.ctx.unit, parent, listed):
                self.ctx.moved("process", process, "sort_order")

    # --- risks and their assessment for the year ---

    def risks(self) -> None:
        ctx = self.ctx
        for item in (risk_creation_order(ctx.parsed) if ctx.by_register else ctx.parsed.risks):
            if ctx.is_foreign(item):
                continue
            process = self._find(item, "process", Process, item.parent_key, "process")
            if process is None:
                continue
            existing = ctx.match("risk", item, process=process)
            fields = dict(
                title=item.title if ctx.by_register or not existing else existing.title,
                description=given(item, "description", existing, ""),
                quality_area=given(item, "quality_area", existing, None),
            )
            risk = self._save("risk", item, existing, lambda: risks.create_risk(ctx.actor, process, **fields),
                              lambda: risks.update_risk(ctx.actor, existing, process=process, **fields),
                              risks.set_archived, {**fields, "process": process})
            if risk is not None:
                self._assessment(risk, item)

    def _assessment(self, risk: Risk, item: ParsedRisk) -> None:
        ctx, current = self.ctx, risk.assessment_for(self.ctx.year)
        wanted, status = item.assessment, item.values.get("status")
        if wanted is None and status is None:
            return
        if wanted is None:
            if current is None:
                ctx.warn(item, f"Statusen importeras inte: risken saknar sannolikhet och konsekvens för {ctx.year}.",
                         "status")
                return
            wanted = {"likelihood": current.likelihood, "consequence": current.consequence}
        fields = dict(
            likelihood=wanted["likelihood"],
            consequence=wanted["consequence"],
            status=wanted.get("status") or status or (current.status if current else RiskStatus.NEW),
            comment=wanted.get("comment", current.comment if current else ""),
        )
        try:
            if current is None:
                assessments.assess_risk(ctx.actor, risk, year=ctx.year, **fields)
                ctx.outcome("Riskbedömning", item, risk.title, CREATE)
            elif same_values(current, fields):
                ctx.outcome("Riskbedömning", item, risk.title, UNCHANGED)
            else:
                changes = assessments.update_assessment(ctx.actor, current, **fields)
                ctx.outcome("Riskbedömning", item, risk.title, UPDATE if changes else UNCHANGED, changes)
        except DomainError as error:
            ctx.refused(item, error)

    def order_risks(self) -> None:
        """Each process's risks in the file's order: of first appearance in the appendix, of rows in the Register."""
        by_process: dict[Process, list[Risk]] = {}
        for item in self.ctx.parsed.risks:
            risk = self.ctx.done["risk"].get(item.key)
            if risk is not None:
                by_process.setdefault(risk.process, []).append(risk)
        for process, listed in by_process.items():
            for risk in risks.order_risks(self.ctx.actor, process, listed):
                self.ctx.moved("risk", risk, "sort_order")

    # --- egenkontroller and their checks ---

    def controls(self) -> None:
        ctx = self.ctx
        for item in ctx.parsed.controls:
            if item.title is None or ctx.is_foreign(item):
                continue
            existing = ctx.match("control", item)
            unit = ctx.unit_for(item, existing)
            if unit is None:
                self.failed.add(item.key)
                continue
            fields = dict(
                title=item.title if ctx.by_register or not existing else existing.title,
                frequency=given(item, "frequency", existing, DEFAULT_FREQUENCY) or DEFAULT_FREQUENCY,
                description=given(item, "description", existing, ""),
                method=given(item, "method", existing, ""),
                responsible=ctx.person(item, "responsible", existing.responsible if existing else None, unit),
            )
            control = self._save("control", item, existing,
                                 lambda: controls.create_control(ctx.actor, unit, **fields),
                                 lambda: controls.update_control(ctx.actor, existing, **fields), controls.set_archived,
                                 fields)
            if control is not None:
                self._links(item, control, "controls", risks.link_control, risks.unlink_control)
        for item in ctx.parsed.controls:
            if item.title is None:
                self._unnamed_control(item)

    def _unnamed_control(self, item: ParsedItem) -> None:
        """◆ without a title: the risk's one egenkontroll was carried out. Nothing is invented: a risk with no
        egenkontroll, or with several, gets a warning that asks for the egenkontroll's name, and no check."""
        ctx, risk = self.ctx, self.ctx.done["risk"].get(item.for_risk)
        if risk is None:
            return
        active = [control for control in risk.controls if not control.is_archived]
        if len(active) == 1:
            ctx.done["control"][item.key] = active[0]
            ctx.outcome("Egenkontroll", item, active[0].title, UNCHANGED)
            ctx.outcome("Koppling", item, f"{risk.title} – {active[0].title}", UNCHANGED)
            return
        if active:
            names = ", ".join(f"”{control.title}”" for control in active)
            ctx.warn(item, f"{PERFORMED_MARK} utan namn: risken ”{risk.title}” följs upp av flera egenkontroller "
                           f"({names}). Välj i förhandsgranskningen vilken som genomfördes, eller skriv dess namn "
                           f"efter {PERFORMED_MARK} i filen; annars importeras {PERFORMED_MARK} inte.", "title")
            self.mentioned.update(id(control) for control in active)  # named by the ◆, so not "no longer in the file"
            key = f"{PERFORMED_MARK}:{risk.ref}"
            ctx.result.questions.append(Question(key, risk.title, tuple((c.ref, c.title) for c in active),
                                                 item.origin.sheet, item.origin.row))
            picked = next((c for c in active if c.ref == ctx.choices.resolutions.get(key)), None)
            if picked is not None:
                ctx.chosen.add(item.key)  # its check is the person's choice
                ctx.done["control"][item.key] = picked
                return
        else:
            ctx.warn(item, f"{PERFORMED_MARK} utan namn importeras inte: risken ”{risk.title}” har ingen "
                           f"egenkontroll, och importen skapar ingen. Skriv egenkontrollens namn efter "
                           f"{PERFORMED_MARK} i filen och ladda upp den igen, eller registrera den genomförda "
                           "egenkontrollen efter importen.", "title")
        self.failed.add(item.key)  # its check is left out with it, quietly: the warning says why

    def checks(self) -> None:
        ctx = self.ctx
        for item in ctx.parsed.checks:
            if ctx.is_foreign(item):
                continue
            control = self._find(item, "control", Control, item.parent_key, "egenkontroll")
            if control is None:
                continue
            title = f"{control.title} ({ctx.year})"
            existing = ctx.refs.get(item.ref) if ctx.by_register else next(
                (check for check in control.checks if check.year == ctx.year), None)
            if existing is not None:
                if ctx.by_register and _check_differs(existing, control, item):
                    ctx.warn(item, f"Den genomförda egenkontrollen {item.ref} finns redan; den ändras inte vid import.")
                ctx.outcome("Genomförd egenkontroll", item, title, UNCHANGED)
                continue
            values = item.values
            try:
                check = controls.record_check(
                    ctx.actor, control, year=ctx.year,
                    performed_on=values.get("performed_on") or date_in(ctx.year),
                    outcome=values.get("outcome") or CheckOutcome.NO_REMARKS,
                    findings=values.get("findings") or "",
                )
            except DomainError as error:
                ctx.refused(item, error)
                continue
            if item.ref:
                check.ref = item.ref
            # record_check takes the performer to be the actor; an import knows who really did it.
            check.performed_by = ctx.person(item, "performed_by", None, control.unit)
            ctx.outcome("Genomförd egenkontroll", item, title, CREATE)

    # --- åtgärder ---

    def actions(self) -> None:
        ctx = self.ctx
        for item in ctx.parsed.actions:
            if ctx.is_foreign(item):
                continue
            ctx.read_action(item)
            existing = ctx.match("action", item)
            unit = ctx.unit_for(item, existing)
            if unit is None:
                self.failed.add(item.key)
                continue
            fields = (register_fields if ctx.by_register else appendix_fields)(ctx, item, existing, unit)
            completing = fields.pop("_complete", None)

            def update(existing=existing, fields=fields, completing=completing):
                changes = actions.update_action(ctx.actor, existing, **fields)
                if completing:
                    changes |= actions.complete_action(ctx.actor, existing, **completing)
                return changes

            action = self._save("action", item, existing, lambda: actions.create_action(ctx.actor, unit, **fields),
                                update, actions.set_archived, None if completing else fields)
            if action is not None:
                self._links(item, action, "actions", risks.link_action, risks.unlink_action)

    # --- what every step shares: saving through a service, finding what a row points to, linking ---

    def _save(self, kind: str, item: ParsedItem, existing, create, update, set_archived, fields: dict | None):
        """Create or update one item through its service; record the outcome, or the refusal against its row.

        An item the file leaves as it is skips its update service (which would find no change but costs queries).
        """
        ctx, label = self.ctx, OUTCOME_KINDS[kind]
        try:
            changes: Changes
            if existing is None:
                saved, changes = create(), {}
                if item.ref:
                    saved.ref = item.ref  # export → import into another database keeps the ids
            else:
                saved, changes = existing, ({} if fields is not None and same_values(existing, fields) else update())
            archived = item.values.get("is_archived")
            if archived is False and saved.is_archived:
                set_archived(ctx.actor, saved, False)
                changes = {**changes, "is_archived": [True, False]}
            elif archived and not saved.is_archived:
                self.to_archive.append((saved, item, set_archived))
                changes = {**changes, "is_archived": [False, True]}
        except DomainError as error:
            ctx.refused(item, error)
            self.failed.add(item.key)
            return None
        verdict = CREATE if existing is None else (UPDATE if changes else UNCHANGED)
        ctx.outcome(label, item, saved.title, verdict, changes if existing is not None else ())
        ctx.done[kind][item.key] = saved
        return saved

    def _find(self, item: ParsedItem, kind: str, model, key: str | None, what: str):
        """The item a row points to: one from the file, else (in the Register) one already in the unit."""
        found = self.ctx.done[kind].get(key)
        if found is None and self.ctx.by_register:
            candidate = self.ctx.refs.get(key)
            found = candidate if isinstance(candidate, model) else None
        if found is None and key not in self.failed and key is not None:
            self.ctx.error(item, f"Okänd {what} ”{key}”: den finns varken i filen eller i enheten.", "parent_key")
        return found

    def _links(self, item: ParsedItem, target, attribute: str, link, unlink) -> None:
        """Link the item to the risks the row names; in the Register also unlink risks of the file it no longer names."""
        ctx, kind = self.ctx, "Koppling"
        wanted = []
        for key in item.risk_keys:
            risk = self._find(item, "risk", Risk, key, "risk")
            if risk is not None:
                wanted.append(risk)
        try:
            for risk in wanted:
                verdict = UNCHANGED if target in getattr(risk, attribute) else CREATE
                if verdict == CREATE:
                    link(ctx.actor, risk, target)
                ctx.outcome(kind, item, f"{risk.title} – {target.title}", verdict)
            if ctx.by_register:
                for risk in [r for r in target.risks if r.ref in self.risk_keys and r not in wanted]:
                    unlink(ctx.actor, risk, target)
                    ctx.outcome(kind, item, f"{risk.title} – {target.title}", DELETE)
        except DomainError as error:
            ctx.refused(item, error)

    # --- what the file no longer has ---

    def no_longer_in_file(self) -> None:
        """List the year's items that are in the register but not in the file (result.missing), and queue those the
        person ticked for archiving. Nothing is archived unless ticked: a deleted row may be a mistake."""
        ctx = self.ctx
        for kind, label, obj in self._not_in_file():
            sheet = APPENDIX_SHEET if obj.ref in ctx.not_in_appendix else ""
            ctx.result.missing.append(Missing(label, obj.ref, obj.title, sheet))
            if obj.ref in ctx.choices.archive:
                item = ParsedItem(obj.ref, obj.ref, obj.title, Origin(ctx.parsed.sheet, 0))
                self.to_archive.append((obj, item, ARCHIVE[kind]))
                ctx.outcome(label, item, obj.title, UPDATE, ("is_archived",), chosen=True)

    def _not_in_file(self) -> list[tuple[str, str, Any]]:
        """(kind, label, item) of every active item the export of the year shows that the file does not mention.

        The Register shows every item of the unit and the units below it; the appendix the unit's own active
        processes, their risks, and the egenkontroller and åtgärder linked to those risks.
        """
        ctx, parsed = self.ctx, self.ctx.parsed
        in_file = {item.ref for items in (parsed.processes, parsed.risks, parsed.controls, parsed.actions)
                   for item in items if item.ref} | parsed.skipped
        seen = {id(obj) for done in ctx.done.values() for obj in done.values()} | self.mentioned

        def gone(obj) -> bool:
            in_appendix = obj.ref not in ctx.not_in_appendix
            return not obj.is_archived and (obj.ref not in in_file and id(obj) not in seen or not in_appendix)

        active_risks = [risk for risk in ctx.risks if not risk.is_archived and not risk.process.is_archived]
        shown = {id(risk) for risk in active_risks}
        by_register = ctx.by_register
        found: list[tuple[str, str, Any]] = []
        found += [("process", "Process", p) for p in ctx.processes if gone(p)]
        found += [("risk", "Risk", r) for r in active_risks if gone(r)]
        found += [("control", "Egenkontroll", c) for c in ctx.controls
                  if gone(c) and (by_register or any(id(r) in shown for r in c.risks))]
        found += [("action", "Åtgärd", a) for a in ctx.actions
                  if gone(a) and a.is_visible_in(ctx.year) and (by_register or any(id(r) in shown for r in a.risks))]
        return found

    def archive(self) -> None:
        """Archive last, leaves first: åtgärder and egenkontroller, risks, then processes from the deepest up."""
        order: dict[type, int] = {Process: 3, Risk: 2}

        def depth(obj) -> int:
            level = 0
            while isinstance(obj, Process) and obj.parent is not None:
                obj, level = obj.parent, level + 1
            return level

        for obj, item, set_archived in sorted(self.to_archive, key=lambda e: (order.get(type(e[0]), 1), -depth(e[0]))):
            try:
                set_archived(self.ctx.actor, obj, True)
            except DomainError as error:
                self.ctx.refused(item, error)


# --- what an åtgärd row asks of the register: every field in the Register, only additions in the appendix ---


def register_fields(ctx: Context, item: ParsedItem, existing: Action | None, unit: Unit) -> dict:
    values = item.values
    return dict(
        title=item.title, start_year=values["start_year"], status=values["status"],
        description=values["description"], due_on=values["due_on"], follow_up=values["follow_up"],
        completed_on=values["completed_on"],
        responsible=ctx.person(item, "responsible", existing.responsible if existing else None, unit),
    )


def appendix_fields(ctx: Context, item: ParsedItem, existing: Action | None, unit: Unit) -> dict:
    """✓ completes an open åtgärd (under "_complete", for complete_action), a status label sets the status, and
    nothing reopens or clears what the register already says."""
    wanted = item.values.get("status")
    fields = dict(
        title=existing.title if existing else item.title,
        start_year=existing.start_year if existing else ctx.year,
        description=given(item, "description", existing, ""),
        responsible=ctx.person(item, "responsible", existing.responsible if existing else None, unit),
        due_on=existing.due_on if existing else None,
        status=existing.status if existing else (wanted or ActionStatus.PLANNED),
        follow_up=existing.follow_up if existing else "",
        completed_on=existing.completed_on if existing else None,
    )
    done_on = date_in(ctx.year)
    follow_up = item.values.get("follow_up") or (existing.follow_up if existing else "") or DEFAULT_FOLLOW_UP
    if existing is None:
        if wanted is ActionStatus.DONE:
            fields.update(follow_up=follow_up, completed_on=done_on)
    elif wanted is ActionStatus.DONE and existing.status.is_open:
        fields["_complete"] = dict(follow_up=follow_up, completed_on=done_on)
    elif wanted is ActionStatus.DONE and existing.status is not ActionStatus.DONE:
        ctx.warn(item, f"Åtgärden är {existing.status.label.lower()} i registret och markeras inte som genomförd.",
                 "status")
    elif wanted is not None and wanted is not ActionStatus.DONE:
        fields["status"] = wanted
    return fields


def given(item: ParsedItem, name: str, existing, default):
    """The file's value when it gives one, else the register's, else the default for a new item."""
    if name in item.values:
        return item.values[name]
    return getattr(existing, name) if existing is not None else default


def date_in(year: int) -> date:
    """The date an appendix mark (✓, ◆) stands for: the last day of the year, or today in the current year."""
    return min(date(year, 12, 31), today())


def same_values(entity, fields: dict) -> bool:
    """Whether the entity already holds these values (text as the services store it: trimmed)."""
    for name, value in fields.items():
        current = getattr(entity, name)
        if isinstance(value, str):
            value = value.strip()
        if current is not value and current != value:
            return False
    return True


def _check_differs(check, control: Control, item: ParsedItem) -> bool:
    values = item.values
    return (check.control_id != control.id or check.performed_on != values.get("performed_on")
            or check.outcome is not values.get("outcome") or check.findings != (values.get("findings") or ""))
