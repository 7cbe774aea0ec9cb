"""Edits made in Excel, as properties (issue 10, point 6): export → edit the appendix (a status, a text, a row added,
a row deleted, an order changed) → import → export. The appendix comes back exactly as edited, and nothing the edits
did not touch moves in the Register.

The appendix is edited as a coordinator edits it in Excel: the merged cells undone and the table retyped line by
line, beside the Register that came with it. Titles are drawn unique, as the appendix cannot tell two items of one
title apart (that case is a warning, tested in test_import_edits).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.services.actions import create_action
from app.core.services.assessments import assess_risk
from app.core.services.controls import create_control, record_check
from app.core.services.processes import create_process
from app.core.services.risks import create_risk, link_action, link_control
from app.core.units import create_unit
from app.core.year_plan_loader import load_plan_data
from app.excel.export.workbook import ExportOptions, write_workbook
from app.excel.importing.apply import import_file
from app.excel.importing.parsed import title_key
from app.excel.importing.result import ImportChoices
from app.excel.layout import APPENDIX_SHEET, CHECK_NOTE, DONE_MARK, LEGEND_PREFIX, PERFORMED_MARK, REGISTER_SHEET
from app.extensions import db
from app.models import ActionStatus, CheckOutcome, Frequency, RiskStatus
from tests.conftest import TEST_TODAY, TEST_YEAR, empty_all_tables
from tests.import_files import with_appendix_rows

OPTIONS = ExportOptions(status=True)
COLUMNS = 5  # Process, Risk, Egenkontroll, Åtgärd, Status
MARKED = f" ({TEST_TODAY.isoformat()}, {CheckOutcome.NO_REMARKS.label.lower()})"  # what ◆ stands for, as exported

names = st.text("abcdefghijklmnopqrstuvwxyzåäöÅÄÖ -,0123456789", min_size=1, max_size=24).map(
    lambda text: " ".join(text.split())).filter(lambda text: any(char.isalpha() for char in text))
OPEN = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]


@st.composite
def plans(draw) -> dict:
    """A unit's plan: processes, risks (some assessed), egenkontroller (some performed) and åtgärder (some done),
    linked to one or more risks; every title unique."""
    pool = iter(draw(st.lists(names, min_size=30, max_size=30, unique_by=title_key)))
    processes = [next(pool) for _ in range(draw(st.integers(1, 3)))]
    risks = [dict(title=next(pool), process=draw(st.integers(0, len(processes) - 1)),
                  status=draw(st.one_of(st.none(), st.sampled_from(list(RiskStatus)))))
             for _ in range(draw(st.integers(1, 5)))]
    linked = st.lists(st.integers(0, len(risks) - 1), min_size=1, max_size=2, unique=True)
    controls = [dict(title=next(pool), risks=draw(linked), performed=draw(st.booleans()))
                for _ in range(draw(st.integers(0, 3)))]
    actions = [dict(title=next(pool), risks=draw(linked), done=draw(st.booleans()),
                    follow_up=draw(st.one_of(st.just(""), names)))
               for _ in range(draw(st.integers(0, 3)))]
    return dict(processes=processes, risks=risks, controls=controls, actions=actions, spare=list(pool))


def build(plan: dict) -> object:
    empty_all_tables()
    unit = create_unit(None, code="bfe", name="Barn- och familjeenheten")
    processes = [create_process(None, unit, title=title) for title in plan["processes"]]
    risks = []
    for spec in plan["risks"]:
        risk = create_risk(None, processes[spec["process"]], title=spec["title"])
        if spec["status"] is not None:
            assess_risk(None, risk, year=TEST_YEAR, likelihood=2, consequence=3, status=spec["status"])
        risks.append(risk)
    for spec in plan["controls"]:
        control = create_control(None, unit, title=spec["title"], frequency=Frequency.QUARTERLY)
        for index in spec["risks"]:
            link_control(None, risks[index], control)
        if spec["performed"]:
            record_check(None, control, performed_on=date(TEST_YEAR, 3, 1), outcome=CheckOutcome.NO_REMARKS)
    for spec in plan["actions"]:
        done = spec["done"]
        action = create_action(None, unit, title=spec["title"], start_year=TEST_YEAR,
                               status=ActionStatus.DONE if done else ActionStatus.PLANNED,
                               follow_up=spec["follow_up"] if done else "",
                               completed_on=date(TEST_YEAR, 4, 1) if done else None)
        for index in spec["risks"]:
            link_action(None, risks[index], action)
    db.session.commit()
    return unit


def export(unit) -> bytes:
    output = io.BytesIO()
    write_workbook(load_plan_data(unit, TEST_YEAR), output, OPTIONS)
    return output.getvalue()


# --- the appendix as a person reads it: processes, their risks, each risk's egenkontroller and åtgärder ------------


@dataclass(eq=False)
class Item:
    """An egenkontroll or åtgärd: one object however many risks' lines show it."""

    title: str
    before: str = ""  # "◆ " of a performed egenkontroll
    after: str = ""  # its latest check; an åtgärd's follow-up and ✓

    @property
    def text(self) -> str:
        return f"{self.before}{self.title}{self.after}"


@dataclass(eq=False)
class RiskLines:
    title: str
    status: str | None
    controls: list[Item] = field(default_factory=list)
    actions: list[Item] = field(default_factory=list)


@dataclass(eq=False)
class ProcessLines:
    title: str
    risks: list[RiskLines] = field(default_factory=list)


def read(content: bytes) -> list[ProcessLines]:
    """The appendix table of a workbook, its merged cells read as the lines above."""
    sheet = openpyxl.load_workbook(io.BytesIO(content))[APPENDIX_SHEET]
    items: dict[str, Item] = {}
    processes: list[ProcessLines] = []
    for row in sheet.iter_rows(min_row=3, values_only=True):
        process, risk, control, action, status = (list(row) + [None] * COLUMNS)[:COLUMNS]
        if process is None and risk is None and control is None and action is None:
            continue
        if isinstance(process, str) and process.startswith(LEGEND_PREFIX):
            continue
        if process is not None:
            processes.append(ProcessLines(process))
        if risk is not None:
            processes[-1].risks.append(RiskLines(risk, status))
        if control is not None:
            processes[-1].risks[-1].controls.append(items.setdefault(control, _control(control)))
        if action is not None:
            processes[-1].risks[-1].actions.append(items.setdefault(action, _action(action)))
    return processes


def _control(text: str) -> Item:
    if not text.startswith(PERFORMED_MARK):
        return Item(text)
    note = CHECK_NOTE.search(text)
    end = note.start() if note else len(text)
    return Item(text[2:end], f"{PERFORMED_MARK} ", text[end:])


def _action(text: str) -> Item:
    if not text.endswith(DONE_MARK):
        return Item(text)
    title, newline, rest = text.partition("\n")
    if newline:
        return Item(title, "", f"\n{rest}")
    return Item(title[: -len(DONE_MARK) - 1], "", f" {DONE_MARK}")


def shape(plan: list[ProcessLines]) -> list:
    """What a reader compares: every text, in order."""
    return [(p.title, [(r.title, r.status, [c.text for c in r.controls], [a.text for a in r.actions])
                       for r in p.risks]) for p in plan]


def rows(plan: list[ProcessLines]) -> list[list[str | None]]:
    """The table retyped: one line per egenkontroll and åtgärd side by side, process and risk on their first line."""
    lines: list[list[str | None]] = []
    for process in plan:
        if not process.risks:
            lines.append([process.title, None, None, None, None])
        for number, risk in enumerate(process.risks):
            count = max(len(risk.controls), len(risk.actions), 1)
            for index in range(count):
                control = risk.controls[index].text if index < len(risk.controls) else None
                action = risk.actions[index].text if index < len(risk.actions) else None
                lines.append([process.title if number == 0 and index == 0 else None,
                              risk.title if index == 0 else None, control, action,
                              risk.status if index == 0 else None])
    return lines


def register(content: bytes) -> dict[str, dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))[REGISTER_SHEET]
    header = [cell.value for cell in sheet[1]]
    return {row[1]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}


# --- the edits ---------------------------------------------------------------------------------------------------------


class Editor:
    """Edits drawn one by one on the appendix as read, remembering what each may change in the Register."""

    def __init__(self, plan: list[ProcessLines], data, spare: list[str]):
        self.plan, self.data, self.spare = plan, data, spare
        self.touched: dict[str, set[str]] = {}  # title as exported → Register columns the edit may change
        self.deleted: list[RiskLines] = []
        self.renamed: dict[int, str] = {}  # id of a renamed object → its title as exported
        self.added: set[int] = set()  # ids of the risks, egenkontroller and åtgärder the edits added
        self.risks_in = {id(p): list(p.risks) for p in plan}  # each process's risks as exported
        self.status_of = {id(r): r.status for p in plan for r in p.risks}  # each risk's status as exported
        # Per process, its risks as exported that have neither a status nor items: known only by their place.
        self.bare_in = {id(p): [r for r in p.risks if not r.status and not r.controls and not r.actions]
                        for p in plan}

    def risks(self) -> list[RiskLines]:
        return [risk for process in self.plan for risk in process.risks]

    def items(self) -> list[Item]:
        found: dict[int, Item] = {}
        for risk in self.risks():
            for item in risk.controls + risk.actions:
                found.setdefault(id(item), item)
        return list(found.values())

    def touch(self, obj, *columns: str) -> None:
        self.touched.setdefault(self.renamed.get(id(obj), obj.title), set()).update(columns)

    def pick(self, options: list):
        return self.data.draw(st.sampled_from(options))

    def status(self) -> None:
        risks = [risk for risk in self.risks() if risk.status and (id(risk) not in self.renamed or any(
            id(item) not in self.renamed and id(item) not in self.added for item in risk.controls + risk.actions))]
        if risks:
            risk = self.pick(risks)
            risk.status = self.pick([s.label for s in RiskStatus if s.label != risk.status])
            self.touch(risk, "Status")

    def done(self) -> None:
        actions = [item for risk in self.risks() for item in risk.actions if not item.after]
        if actions:
            action = self.pick(actions)
            action.after = f"\n{self.spare.pop()} {DONE_MARK}"
            self.touch(action, "Status", "Genomförd", "Uppföljning")

    def rename(self) -> None:
        """A title retyped. The appendix has no ids: a renamed row is known by what stays around it (a risk by its
        status or an egenkontroll or åtgärd kept, a process by any title kept inside it), and a row that keeps
        nothing is known by its place, which holds while it is the one such row of its process. A row that keeps
        nothing at all is a row replaced, not renamed (test_import_edits), so such edits are not drawn."""
        candidates = [thing for thing in self.plan + self.risks() + self.items() if self.known(renamed=thing)]
        if candidates:
            thing = self.pick(candidates)
            self.renamed.setdefault(id(thing), thing.title)
            thing.title = self.spare.pop()
            self.touch(thing, "Titel")

    @staticmethod
    def same(one: RiskLines, other: RiskLines, kept) -> bool:
        def keeps(risk: RiskLines) -> set[int]:
            return {id(item) for item in risk.controls + risk.actions if kept(item)}

        return keeps(one) == keeps(other)

    def known(self, renamed=None, deleted=None) -> bool:
        """Whether every renamed row can still be told by what stays around it, or by its place."""
        changed = set(self.renamed) | ({id(renamed)} if renamed is not None else set())
        gone = self.deleted + ([deleted] if deleted is not None else [])

        def kept(thing) -> bool:
            return id(thing) not in changed

        unknown_processes = 0
        for process in self.plan:
            bare = self.bare_in.get(id(process), [])
            bare_changed = [risk for risk in bare if not kept(risk) or risk in gone]
            inside = [thing for risk in process.risks for thing in [risk, *risk.controls, *risk.actions]]
            if not kept(process) and not any(kept(thing) for thing in inside if id(thing) not in self.added):
                unknown_processes += 1
            for risk in process.risks:
                if kept(risk) or id(risk) in self.added:
                    continue
                if risk.status and risk.status == self.status_of.get(id(risk)):
                    continue
                if any(kept(item) and id(item) not in self.added for item in risk.controls + risk.actions) and \
                        not any(twin is not risk and (not kept(twin) or twin in gone) and self.same(twin, risk, kept)
                                for twin in self.risks_in[id(process)]):
                    continue  # unless another changed risk keeps just the same: then the two cannot be told apart
                if risk in bare and len(bare_changed) == 1:
                    continue
                return False
        return unknown_processes <= 1

    def add(self) -> None:
        process = self.pick(self.plan)
        risk = RiskLines(self.spare.pop(), None)
        if self.data.draw(st.booleans()):
            performed = self.data.draw(st.booleans())
            risk.controls.append(Item(self.spare.pop(), *((f"{PERFORMED_MARK} ", MARKED) if performed else ())))
        follow_up = self.data.draw(st.one_of(st.none(), st.just(self.spare.pop())))
        risk.actions.append(Item(self.spare.pop(), "", f"\n{follow_up} {DONE_MARK}" if follow_up else ""))
        process.risks.insert(self.data.draw(st.integers(0, len(process.risks))), risk)
        self.added.update(id(obj) for obj in [risk, *risk.controls, *risk.actions])

    def delete(self) -> None:
        risks = [risk for risk in self.risks() if self.known(deleted=risk)]
        if len(self.risks()) > 1 and risks:
            risk = self.pick(risks)
            for process in self.plan:
                if risk in process.risks:
                    process.risks.remove(risk)
            self.deleted.append(risk)

    def reorder(self) -> None:
        if len(self.plan) > 1 and self.data.draw(st.booleans()):
            first, second = self.data.draw(st.lists(st.integers(0, len(self.plan) - 1), min_size=2, max_size=2,
                                                    unique=True))
            self.plan[first], self.plan[second] = self.plan[second], self.plan[first]
            self.touch(self.plan[first], "Ordning")
            self.touch(self.plan[second], "Ordning")
            return
        process = self.pick(self.plan)
        if len(process.risks) > 1:
            moved = process.risks.pop(self.data.draw(st.integers(0, len(process.risks) - 1)))
            process.risks.insert(self.data.draw(st.integers(0, len(process.risks))), moved)


EDITS = ["status", "done", "rename", "add", "delete", "reorder"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans(), data=st.data())
def test_the_appendix_comes_back_exactly_as_edited(app, plan, data):
    unit = build(plan)
    first = export(unit)
    table = read(first)
    editor = Editor(table, data, plan["spare"])
    for name in data.draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=4)):
        getattr(editor, name)()
    content = with_appendix_rows(first, rows(table))
    before = register(first)
    ids = {row["Titel"]: ref for ref, row in before.items() if row["Titel"]}

    # What the appendix no longer shows is listed, not archived unless ticked: tick all of it.
    preview = import_file(None, unit, TEST_YEAR, content, "plan.xlsx", max_rows=20_000)
    assert preview.ok and preview.warnings == [] and preview.conflicts == [], (preview.errors, preview.warnings)
    db.session.rollback()
    shown = {id(item) for item in editor.items()}
    gone = [editor.renamed.get(id(obj), obj.title) for obj in
            editor.deleted + [i for r in editor.deleted for i in r.controls + r.actions if id(i) not in shown]
            if id(obj) not in editor.added]
    assert sorted(m.title for m in preview.missing) == sorted(set(gone))
    result = import_file(None, unit, TEST_YEAR, content, "plan.xlsx", max_rows=20_000,
                         choices=ImportChoices(archive=frozenset(m.ref for m in preview.missing)))
    assert result.ok, result.errors
    db.session.commit()
    second = export(unit)

    assert shape(read(second)) == shape(table)
    after = register(second)
    for title in gone:
        editor.touched.setdefault(title, set()).add("Arkiverad")
    allowed = {ids[title]: columns for title, columns in editor.touched.items() if title in ids}
    for ref, row in before.items():
        changed = {name for name in row if row[name] != after[ref][name]}
        assert changed <= allowed.get(ref, set()), (row["Titel"], changed)
    assert import_file(None, unit, TEST_YEAR, second, "plan.xlsx", max_rows=20_000).changes == []
    db.session.rollback()
