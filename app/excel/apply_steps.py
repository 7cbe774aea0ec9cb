"""The import's steps, in the order items depend on each other: processes, risks, egenkontroller, checks, åtgärder.

Every change goes through the register's services, which validate, flush and write the audit trail; a refusal is
recorded against the row it came from and the import goes on, so that all problems are listed at once.
"""

from __future__ import annotations

from app.core.errors import DomainError
from app.core.services import actions, assessments, controls, processes, risks
from app.excel.apply import CREATE, UNCHANGED, UPDATE, Context
from app.excel.apply_actions import appendix_fields, date_in, given, register_fields
from app.excel.apply_order import parents_first, risk_creation_order
from app.excel.apply_shared import SharedSteps, same_values
from app.excel.columns import PERFORMED_MARK
from app.excel.parse import ParsedItem, ParsedRisk
from app.models import CheckOutcome, Control, Frequency, Process, Risk, RiskStatus

DEFAULT_FREQUENCY = Frequency.ANNUAL


class Steps(SharedSteps):
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.to_archive: list[tuple[object, ParsedItem, object]] = []  # (item, its row, its set_archived)
        self.failed: set[str] = set(ctx.parsed.skipped)  # items refused: what depends on them is skipped quietly
        self.risk_keys = {risk.key for risk in ctx.parsed.risks}

    def run(self) -> None:
        self.processes()
        self.risks()
        self.controls()
        self.checks()
        self.actions()
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
                sort_order=given(item, "sort_order", existing, 0),
            )
            self._save("process", item, existing, lambda: processes.create_process(ctx.actor, unit, **fields),
                       lambda: processes.update_process(ctx.actor, existing, **fields), processes.set_archived, fields)

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
        if wanted is None and current is None:
            ctx.warn(item, f"Statusen importeras inte: risken saknar sannolikhet och konsekvens för {ctx.year}.",
                     "status")
            return
        wanted = wanted or {"likelihood": current.likelihood, "consequence": current.consequence}
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
        """◆ without a title: the risk's one egenkontroll was carried out; a risk without one gets one."""
        ctx, risk = self.ctx, self.ctx.done["risk"].get(item.for_risk)
        if risk is None:
            return
        active = [control for control in risk.controls if not control.is_archived]
        if len(active) > 1:
            names = ", ".join(f"”{control.title}”" for control in active)
            ctx.warn(item, f"{PERFORMED_MARK} importeras inte: risken följs upp av flera egenkontroller ({names}). "
                           f"Skriv egenkontrollens namn före {PERFORMED_MARK}.")
            return
        if active:
            ctx.done["control"][item.key] = active[0]
            ctx.outcome("Egenkontroll", item, active[0].title, UNCHANGED)
            ctx.outcome("Koppling", item, f"{risk.title} – {active[0].title}", UNCHANGED)
            return
        try:
            control = controls.create_control(ctx.actor, ctx.unit, title=f"Egenkontroll: {risk.title}"[:500],
                                              frequency=DEFAULT_FREQUENCY)
            risks.link_control(ctx.actor, risk, control)
        except DomainError as error:
            ctx.refused(item, error)
            return
        ctx.outcome("Egenkontroll", item, control.title, CREATE)
        ctx.outcome("Koppling", item, f"{risk.title} – {control.title}", CREATE)
        ctx.done["control"][item.key] = control

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


def _check_differs(check, control: Control, item: ParsedItem) -> bool:
    values = item.values
    return (check.control_id != control.id or check.performed_on != values.get("performed_on")
            or check.outcome is not values.get("outcome") or check.findings != (values.get("findings") or ""))
