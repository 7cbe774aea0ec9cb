"""What every import step shares: saving one item through its service, finding what a row points to, linking.

Steps (apply_steps.py) inherits these; they record outcomes and refusals on the import's Context.
"""

from __future__ import annotations

from app.core.errors import DomainError
from app.excel.apply import CREATE, DELETE, UNCHANGED, UPDATE, Context
from app.excel.parse import ParsedItem
from app.models import Process, Risk


class SharedSteps:
    ctx: Context
    to_archive: list[tuple[object, ParsedItem, object]]
    failed: set[str]
    risk_keys: set[str]

    def _save(self, kind: str, item: ParsedItem, existing, create, update, set_archived, fields: dict | None):
        """Create or update one item through its service; record the outcome, or the refusal against its row.

        An item the file leaves as it is skips its update service (which would find no change but costs queries).
        """
        ctx, label = self.ctx, {"process": "Process", "risk": "Risk", "control": "Egenkontroll",
                                "action": "Åtgärd"}[kind]
        try:
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

    def archive(self) -> None:
        """Archive last, leaves first: åtgärder and egenkontroller, risks, then processes from the deepest up."""
        order = {Process: 3, Risk: 2}

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




def same_values(entity, fields: dict) -> bool:
    """Whether the entity already holds these values (text as the services store it: trimmed)."""
    for name, value in fields.items():
        current = getattr(entity, name)
        if isinstance(value, str):
            value = value.strip()
        if current is not value and current != value:
            return False
    return True
