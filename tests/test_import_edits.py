"""What the sheet says is what is imported, and edits made in Excel are never ignored (issue 10, points 4 and 5).

A bare ◆ invents nothing; with both sheets of our export, what was changed in the appendix only is applied, what was
changed differently in both is a conflict the person resolves; a row deleted from the file is listed and kept unless
the person ticks it for archiving; a blank process cell outside a merge is warned about.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from app.excel.export.workbook import ExportOptions, write_workbook
from app.core.year_plan_loader import load_plan_data
from app.excel.importing.apply import import_file
from app.excel.importing.appendix import action_readings
from app.excel.importing.parse import parse_upload
from app.excel.importing.reader import read_upload
from app.excel.importing.result import APPENDIX, REGISTER, ImportChoices
from app.excel.layout import APPENDIX_SHEET, REGISTER_SHEET
from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    AuditEvent,
    CheckOutcome,
    Control,
    ControlCheck,
    Process,
    Risk,
    RiskStatus,
    Role,
)
from app.plans.imports import UNRESOLVED
from tests.conftest import TEST_YEAR
from tests.import_files import HEADER, appendix_xlsx, with_appendix_rows

YEAR = TEST_YEAR
MARKED = date(YEAR, 11, 23)  # what ◆ and ✓ stand for in the current year: today (tests/conftest.py pins it)


def run(unit, content: bytes, choices: ImportChoices | None = None, filename: str = "plan.xlsx"):
    return import_file(None, unit, YEAR, content, filename, max_rows=20_000, choices=choices)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def export(unit) -> bytes:
    output = io.BytesIO()
    write_workbook(load_plan_data(unit, YEAR), output, ExportOptions(status=True))
    return output.getvalue()


def edit(content: bytes, appendix: dict[str, str | None] | None = None,
         register: dict[tuple[str, str], str | None] | None = None, drop_register: tuple[str, ...] = ()) -> bytes:
    """The workbook with appendix cells replaced by their text ({old: new}), Register cells set by (ID, column),
    and Register rows deleted by ID."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    replaced = set()
    for row in workbook[APPENDIX_SHEET].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value in (appendix or {}):
                replaced.add(cell.value)
                cell.value = (appendix or {})[cell.value]
    assert len(replaced) == len(appendix or {}), "every appendix edit found its cell"
    sheet = workbook[REGISTER_SHEET]
    header = [cell.value for cell in sheet[1]]
    for ref, column in register or {}:
        (row,) = [row for row in sheet.iter_rows(min_row=2) if row[1].value == ref]
        row[header.index(column)].value = (register or {})[(ref, column)]
    for ref in drop_register:
        (number,) = [row[0].row for row in sheet.iter_rows(min_row=2) if row[1].value == ref]
        sheet.delete_rows(number)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture
def plan(unit, make_process, make_risk, make_assessment, make_control, make_action):
    """One process, two risks: the first with an egenkontroll and an åtgärd, the second with neither."""
    process = make_process(title="Mottagning")
    risk = make_risk(process=process, title="Ansökan registreras sent")
    make_assessment(risk=risk, status=RiskStatus.NEW)
    bare = make_risk(process=process, title="Uppgifter lämnas ut till fel person")
    control = make_control(title="Stickprov i diariet")
    action = make_action(title="Checklista för registrering")
    risk.controls.append(control)
    risk.actions.append(action)
    db.session.commit()
    return {"process": process, "risk": risk, "bare": bare, "control": control, "action": action}


# --- 4. a bare ◆ invents nothing ---------------------------------------------------------------------------------------


def bare_mark_file(risk_title: str = "Ansökan registreras sent") -> bytes:
    rows = [["Mottagning", risk_title, "◆", "", "", "", "", ""]]
    return appendix_xlsx(rows, HEADER, merges=[])


def test_a_bare_mark_records_the_check_of_the_risks_one_egenkontroll(app, unit, plan):
    result = run(unit, bare_mark_file())
    assert result.ok and result.warnings == [], result.warnings
    db.session.commit()
    assert count(Control) == 1
    assert [(c.year, c.performed_on, c.outcome) for c in plan["control"].checks] == [
        (YEAR, MARKED, CheckOutcome.NO_REMARKS)]


def test_a_bare_mark_on_a_risk_without_egenkontroll_invents_none_and_says_so(app, unit, plan):
    result = run(unit, bare_mark_file("Uppgifter lämnas ut till fel person"))
    assert result.ok
    assert [(w.row, w.column) for w in result.warnings] == [(3, "Egenkontroll")]
    assert "har ingen egenkontroll" in result.warnings[0].message
    assert "Skriv egenkontrollens namn" in result.warnings[0].message
    db.session.commit()
    assert count(Control) == 1 and count(ControlCheck) == 0
    assert not db.session.scalars(select(Control).where(Control.title.like("%Egenkontroll:%"))).all()


def test_a_bare_mark_on_a_risk_with_several_egenkontroller_asks_which(app, unit, plan, make_control):
    second = make_control(title="Journalgranskning")
    plan["risk"].controls.append(second)
    db.session.commit()
    result = run(unit, bare_mark_file())
    assert result.ok
    (warning,) = result.warnings
    assert "flera egenkontroller" in warning.message and "Välj i förhandsgranskningen" in warning.message
    assert "”Journalgranskning”" in warning.message and "”Stickprov i diariet”" in warning.message
    key = f"◆:{plan['risk'].ref}"
    assert [(q.key, q.title, q.options, q.row) for q in result.questions] == [
        (key, "Ansökan registreras sent", ((plan["control"].ref, "Stickprov i diariet"),
                                           (second.ref, "Journalgranskning")), 3)]
    # The file refers to both egenkontroller (by ◆), so neither is listed as no longer in it.
    assert [m.kind for m in result.missing] == ["Risk", "Åtgärd"] and count(Control) == 2
    db.session.rollback()
    assert count(ControlCheck) == 0

    answered = run(unit, bare_mark_file(), ImportChoices(resolutions={key: second.ref}))
    assert answered.ok and answered.warnings == result.warnings and answered.questions == result.questions
    db.session.commit()
    assert [(c.control_id, c.year) for c in db.session.scalars(select(ControlCheck))] == [(second.id, YEAR)]
    assert count(Control) == 2


def test_the_preview_asks_which_egenkontroll_a_bare_mark_stands_for(app, client, login, make_user, unit, plan,
                                                                     make_control):
    second = make_control(title="Journalgranskning")
    plan["risk"].controls.append(second)
    db.session.commit()
    login(make_user(role=Role.MANAGER))
    uploaded = client.post(f"/enheter/{unit.id}/ar/{YEAR}/import",
                           data={"file": (io.BytesIO(bare_mark_file()), "plan.xlsx")}, content_type="multipart/form-data")
    preview_url = uploaded.headers["Location"]
    page = client.get(preview_url).text
    key = f"◆:{plan['risk'].ref}"
    assert "Vilken egenkontroll genomfördes? (1)" in page
    assert f'name="fraga-{key}" value="{second.ref}"' in page and "Bekräfta import" in page
    confirmed = client.post(preview_url, data={f"fraga-{key}": second.ref})
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(f"/enheter/{unit.id}/ar/{YEAR}/")
    assert [c.control_id for c in db.session.scalars(select(ControlCheck))] == [second.id]


# --- the appendix as our export now writes it reads back to the same items -----------------------------------------


def test_the_latest_check_and_the_follow_up_are_not_part_of_the_title():
    rows = [
        ["Mottagning", "Ansökan registreras sent", "◆ Stickprov i diariet (2026-10-12, brister funna)",
         "Checklista för registrering\nInförd i maj ✓", "", "", "", ""],
        ["", "", "", "Utbildning. Alla har gått den ✓", "", "", "", ""],
    ]
    parsed = parse_upload(read_upload(appendix_xlsx(rows, HEADER, merges=["A3:A4", "B3:B4"]), "a.xlsx"))
    assert not parsed.errors and not parsed.warnings
    assert [c.title for c in parsed.controls] == ["Stickprov i diariet"]
    assert [c.values for c in parsed.checks] == [{"performed_on": date(2026, 10, 12),
                                                  "outcome": CheckOutcome.DEFICIENCIES}]
    assert [(a.title, a.values.get("follow_up")) for a in parsed.actions] == [
        ("Checklista för registrering", "Införd i maj"), ("Utbildning", "Alla har gått den")]
    # A title the register already has wins over the split at ". ".
    assert action_readings("Inför rutin. Följ upp", True)[:2] == [("Inför rutin", "Följ upp"),
                                                                  ("Inför rutin. Följ upp", "")]
    assert action_readings("Inför rutin. Följ upp", False) == [("Inför rutin. Följ upp", "")]


def test_an_appendix_only_import_keeps_a_known_title_with_a_full_stop(app, unit, plan, make_action):
    known = make_action(title="Inför rutin. Följ upp")
    plan["risk"].actions.append(known)
    db.session.commit()
    rows = [["Mottagning", "Ansökan registreras sent", "", "Inför rutin. Följ upp ✓", "", "", "", ""]]
    result = run(unit, appendix_xlsx(rows, HEADER, merges=[]))
    assert result.ok, result.errors
    db.session.commit()
    assert (known.title, known.status) == ("Inför rutin. Följ upp", ActionStatus.DONE)
    assert count(Action) == 2


# --- 5. edits in the appendix, beside the Register ------------------------------------------------------------------


def test_an_exported_workbook_imports_unchanged(app, unit, plan):
    result = run(unit, export(unit))
    assert result.ok and result.changes == [] and result.warnings == [] and result.conflicts == []
    assert result.missing == []


def test_a_status_changed_in_the_appendix_only_is_applied(app, unit, plan):
    content = edit(export(unit), register={})
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[APPENDIX_SHEET]
    status_column = [cell.value for cell in sheet[2]].index("Status")
    (cell,) = [row[status_column] for row in sheet.iter_rows(min_row=3) if row[status_column].value == "Ny"]
    cell.value = "Pågående"
    output = io.BytesIO()
    workbook.save(output)

    result = run(unit, output.getvalue())
    assert result.ok, result.errors
    assert [(c.kind, c.verdict, c.fields) for c in result.changes] == [("Riskbedömning", "update", ("status",))]
    db.session.commit()
    assert plan["risk"].assessment_for(YEAR).status is RiskStatus.IN_PROGRESS


def test_an_action_renamed_and_marked_done_in_the_appendix_only_is_applied(app, unit, plan):
    content = edit(export(unit), appendix={"Checklista för registrering": "Checklista för registreringen ✓"})
    result = run(unit, content)
    assert result.ok, result.errors
    assert result.conflicts == [] and result.warnings == []
    (change,) = result.changes
    assert (change.kind, change.verdict) == ("Åtgärd", "update")
    assert {"namn", "status", "genomförd", "uppföljning"} <= set(change.fields)
    db.session.commit()
    action = db.session.get(Action, plan["action"].id)
    assert (action.title, action.status, action.completed_on) == (
        "Checklista för registreringen", ActionStatus.DONE, MARKED)
    assert count(Action) == 1


def test_a_mark_added_in_the_appendix_only_records_the_check(app, unit, plan):
    content = edit(export(unit), appendix={"Stickprov i diariet": "◆ Stickprov i diariet"})
    result = run(unit, content)
    assert result.ok and result.warnings == [], result.warnings
    db.session.commit()
    assert [(c.year, c.performed_on) for c in plan["control"].checks] == [(YEAR, MARKED)]


def conflicting(unit, plan) -> bytes:
    """The risk's status changed in both sheets, differently: Pågående in the appendix, Åtgärdad in the Register."""
    content = edit(export(unit), register={(plan["risk"].ref, "Status"): "Åtgärdad"})
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[APPENDIX_SHEET]
    column = [cell.value for cell in sheet[2]].index("Status")
    (cell,) = [row[column] for row in sheet.iter_rows(min_row=3) if row[column].value == "Ny"]
    cell.value = "Pågående"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize("side, expected", [(None, RiskStatus.RESOLVED), (REGISTER, RiskStatus.RESOLVED),
                                            (APPENDIX, RiskStatus.IN_PROGRESS)])
def test_a_field_changed_differently_in_both_sheets_is_a_conflict_resolved_by_the_choice(app, unit, plan, side,
                                                                                         expected):
    content = conflicting(unit, plan)
    key = f"{plan['risk'].ref}:status"
    choices = ImportChoices(resolutions={key: side}) if side else None
    result = run(unit, content, choices)
    assert result.ok, result.errors
    assert [(c.key, c.kind, c.field, c.appendix, c.register, c.current) for c in result.conflicts] == [
        (key, "Risk", "status", "Pågående", "Åtgärdad", "Ny")]
    db.session.commit()
    assert plan["risk"].assessment_for(YEAR).status is expected


def test_the_preview_asks_for_each_conflict_and_the_confirm_applies_the_choice(app, client, login, make_user,
                                                                                unit, plan):
    login(make_user(role=Role.MANAGER))
    content = conflicting(unit, plan)
    uploaded = client.post(f"/enheter/{unit.id}/ar/{YEAR}/import",
                           data={"file": (io.BytesIO(content), "plan.xlsx")}, content_type="multipart/form-data")
    assert uploaded.status_code == 302, uploaded.text
    preview_url = uploaded.headers["Location"]
    page = client.get(preview_url)
    assert page.status_code == 200 and "Konflikter (1)" in page.text
    key = f"{plan['risk'].ref}:status"
    assert f'name="konflikt-{key}" value="appendix"' in page.text and "Bilagan: Pågående" in page.text

    unresolved = client.post(preview_url)
    assert unresolved.status_code == 302 and unresolved.headers["Location"].endswith(preview_url)
    assert UNRESOLVED in client.get(preview_url).text
    assert plan["risk"].assessment_for(YEAR).status is RiskStatus.NEW

    confirmed = client.post(preview_url, data={f"konflikt-{key}": "appendix"})
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(f"/enheter/{unit.id}/ar/{YEAR}/")
    db.session.expire_all()
    assert db.session.get(Risk, plan["risk"].id).assessment_for(YEAR).status is RiskStatus.IN_PROGRESS


# --- 5. rows deleted from the file ------------------------------------------------------------------------------------


def test_a_row_deleted_from_both_sheets_is_listed_and_kept_by_default(app, unit, plan):
    action = plan["action"]
    content = edit(export(unit), appendix={"Checklista för registrering": None}, drop_register=(action.ref,))
    result = run(unit, content)
    assert result.ok, result.errors
    assert [(m.kind, m.ref, m.title) for m in result.missing] == [("Åtgärd", action.ref, action.title)]
    assert result.changes == []
    db.session.commit()
    assert not db.session.get(Action, action.id).is_archived


def test_a_row_deleted_from_the_appendix_is_archived_when_ticked(app, unit, plan):
    rows = [["Mottagning", "Ansökan registreras sent", "Stickprov i diariet", "Checklista för registrering",
             "", "", "", ""]]
    content = appendix_xlsx(rows, HEADER, merges=[])
    bare = plan["bare"]
    result = run(unit, content)
    assert [(m.kind, m.title) for m in result.missing] == [("Risk", "Uppgifter lämnas ut till fel person")]
    db.session.rollback()

    events = count(AuditEvent)
    result = run(unit, content, ImportChoices(archive=frozenset({bare.ref, "R-NOTLISTED000"})))
    assert result.ok, result.errors
    assert [(c.kind, c.title, c.fields) for c in result.changes] == [
        ("Risk", "Uppgifter lämnas ut till fel person", ("arkiverad",))]
    db.session.commit()
    assert db.session.get(Risk, bare.id).is_archived
    assert count(AuditEvent) == events + 1


def test_the_preview_lists_what_the_file_no_longer_has_and_archives_only_what_is_ticked(app, client, login,
                                                                                         make_user, unit, plan):
    login(make_user(role=Role.MANAGER))
    rows = [["Mottagning", "Ansökan registreras sent", "", "", "", "", "", ""]]
    uploaded = client.post(f"/enheter/{unit.id}/ar/{YEAR}/import",
                           data={"file": (io.BytesIO(appendix_xlsx(rows, HEADER, merges=[])), "plan.xlsx")},
                           content_type="multipart/form-data")
    preview_url = uploaded.headers["Location"]
    page = client.get(preview_url).text
    assert "Finns inte längre i filen (3)" in page and "De behålls som de är" in page
    assert page.count("finns inte längre i filen") == 3 and "Bekräfta import" in page
    confirmed = client.post(preview_url, data={"arkivera": [plan["action"].ref]})
    assert confirmed.status_code == 302, confirmed.text
    db.session.expire_all()
    assert db.session.get(Action, plan["action"].id).is_archived
    assert not db.session.get(Control, plan["control"].id).is_archived
    assert not db.session.get(Risk, plan["bare"].id).is_archived


# --- 5. blank process cells --------------------------------------------------------------------------------------------


def test_a_blank_process_cell_outside_a_merge_is_warned_about():
    rows = [
        ["Mottagning", "Ansökan registreras sent", "", "Checklista", "", "", "", ""],
        ["", "Uppgifter lämnas ut", "", "", "", "", "", ""],
        ["Utredning", "Barnets röst hörs inte", "", "", "", "", "", ""],
        ["", "Utredningen drar ut på tiden", "", "", "", "", "", ""],
    ]
    parsed = parse_upload(read_upload(appendix_xlsx(rows, HEADER, merges=["A3:A4"]), "a.xlsx"))
    assert [(w.row, w.column) for w in parsed.warnings] == [(6, "Process")]
    assert "inte sammanfogad" in parsed.warnings[0].message and "”Utredning”" in parsed.warnings[0].message
    # Still read as the process above, as before: the warning asks the person to check it.
    assert [(r.title, r.parent_key) for r in parsed.risks][-1] == ("Utredningen drar ut på tiden", "utredning")


# --- 5. rows added, deleted and moved in the appendix beside the Register ---------------------------------------------


def rows_of(content: bytes) -> list[list]:
    """The appendix table's lines (below the title and header, above the legend), as values."""
    sheet = openpyxl.load_workbook(io.BytesIO(content))[APPENDIX_SHEET]
    lines = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    return [line for line in lines if any(value is not None for value in line) and not
            str(line[0] or "").startswith("Förklaring")]


def test_rows_added_in_the_appendix_beside_the_register_are_created(app, unit, plan):
    content = export(unit)
    rows = rows_of(content)
    width = len(rows[0])
    added = [["Utredning", "Barnets röst saknas i utredningen", "◆ Genomläsning av utredningar",
              "Mall för barnsamtal\nInförd i alla utredningar ✓"] + [None] * (width - 4),
             ["Mottagning", "Uppgifter lämnas ut till fel person", "Stickprov i diariet", "Utbildning i sekretess"]
             + [None] * (width - 4)]
    rows = [row for row in rows if row[1] != "Uppgifter lämnas ut till fel person"]
    result = run(unit, with_appendix_rows(content, rows[:1] + [added[1]] + rows[1:] + [added[0]]))
    assert result.ok and result.warnings == [] and result.conflicts == [], (result.errors, result.warnings)
    created = sorted((c.kind, c.title) for c in result.changes if c.verdict == "create")
    assert created == [("Egenkontroll", "Genomläsning av utredningar"), ("Genomförd egenkontroll",
                       f"Genomläsning av utredningar ({YEAR})"), ("Koppling", "Barnets röst saknas i utredningen – "
                       "Genomläsning av utredningar"), ("Koppling", "Barnets röst saknas i utredningen – Mall för "
                       "barnsamtal"), ("Koppling", "Uppgifter lämnas ut till fel person – Stickprov i diariet"),
                       ("Koppling", "Uppgifter lämnas ut till fel person – Utbildning i sekretess"),
                       ("Process", "Utredning"), ("Risk", "Barnets röst saknas i utredningen"),
                       ("Åtgärd", "Mall för barnsamtal"), ("Åtgärd", "Utbildning i sekretess")]
    db.session.commit()
    again = export(unit)
    assert rows_of(again)[-1][:4] == [
        "Utredning", "Barnets röst saknas i utredningen", f"◆ Genomläsning av utredningar ({MARKED}, utan anmärkning)",
        "Mall för barnsamtal\nInförd i alla utredningar ✓"]
    assert count(Control) == 2 and plan["control"] in plan["bare"].controls
    assert run(unit, again).changes == []


def test_a_row_deleted_from_the_appendix_only_is_listed_and_archived_when_ticked(app, unit, plan):
    content = edit(export(unit), appendix={"Uppgifter lämnas ut till fel person": None})
    bare = plan["bare"]
    result = run(unit, content)
    assert result.ok and result.warnings == [], result.warnings
    assert [(m.kind, m.ref) for m in result.missing] == [("Risk", bare.ref)] and result.changes == []
    db.session.rollback()
    result = run(unit, content, ImportChoices(archive=frozenset({bare.ref})))
    assert [(c.kind, c.fields) for c in result.changes] == [("Risk", ("arkiverad",))]
    db.session.commit()
    assert db.session.get(Risk, bare.id).is_archived


def test_an_egenkontroll_taken_off_one_risks_line_is_unlinked_from_that_risk_only(app, unit, plan):
    plan["bare"].controls.append(plan["control"])
    db.session.commit()
    content = export(unit)
    rows = [row if row[1] != "Uppgifter lämnas ut till fel person" else [*row[:2], None, *row[3:]]
            for row in rows_of(content)]
    result = run(unit, with_appendix_rows(content, rows))
    assert result.ok and result.missing == [], result.missing
    assert [(c.kind, c.verdict, c.title) for c in result.changes] == [
        ("Koppling", "delete", "Uppgifter lämnas ut till fel person – Stickprov i diariet")]
    db.session.commit()
    assert plan["bare"].controls == [] and plan["risk"].controls == [plan["control"]]


def test_processes_risks_and_items_moved_in_the_appendix_are_moved(app, unit, plan, make_process, make_risk,
                                                                     make_control):
    later = make_process(title="Uppföljning")
    make_risk(process=later, title="Uppföljningen uteblir")
    second = make_control(title="Registerkontroll")
    plan["risk"].controls.append(second)
    db.session.commit()
    content = export(unit)
    rows = rows_of(content)
    assert [row[1] for row in rows] == ["Ansökan registreras sent", None, "Uppgifter lämnas ut till fel person",
                                        "Uppföljningen uteblir"]
    moved = [["Uppföljning", "Uppföljningen uteblir", None, None, None],
             ["Mottagning", "Uppgifter lämnas ut till fel person", None, None, None],
             [None, "Ansökan registreras sent", "Registerkontroll", "Checklista för registrering", "Ny"],
             [None, None, "Stickprov i diariet", None, None]]
    events = count(AuditEvent)
    result = run(unit, with_appendix_rows(content, moved))
    assert result.ok and result.missing == [] and result.conflicts == [], (result.errors, result.missing)
    assert sorted((c.kind, c.title, c.fields) for c in result.changes) == [
        ("Process", "Mottagning", ("ordning",)), ("Process", "Uppföljning", ("ordning",)),
        ("Risk", "Ansökan registreras sent", ("ordning", "egenkontrollernas ordning")),
        ("Risk", "Uppgifter lämnas ut till fel person", ("ordning",))]
    db.session.commit()
    assert count(AuditEvent) == events + 5  # two processes, two risks and the risk's egenkontroller
    again = rows_of(export(unit))
    assert [(row[0], row[1], row[2]) for row in again] == [
        ("Uppföljning", "Uppföljningen uteblir", None), ("Mottagning", "Uppgifter lämnas ut till fel person", None),
        (None, "Ansökan registreras sent", "Registerkontroll"), (None, None, "Stickprov i diariet")]
    history = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "Risk",
                                                          AuditEvent.verb == "update")).all()
    assert {tuple(event.changes) for event in history} == {("sort_order",), ("control_order",)}


def test_an_order_changed_differently_in_both_sheets_is_a_conflict(app, unit, plan, make_process):
    make_process(title="Uppföljning")
    make_process(title="Avslut")
    db.session.commit()
    processes = {p.title: p for p in db.session.scalars(select(Process))}
    content = export(unit)
    rows = rows_of(content)
    by_process = {row[0]: row for row in rows if row[0]}
    reordered = [by_process["Avslut"], *[row for row in rows if row[0] not in ("Avslut",) and (
        row[0] or row[1] or row[2])]]
    content = with_appendix_rows(edit(content, register={(processes["Mottagning"].ref, "Ordning"): 5}), reordered)
    result = run(unit, content)
    (conflict,) = result.conflicts
    assert (conflict.field, conflict.appendix, conflict.register, conflict.current) == (
        "ordning", "Avslut, Mottagning, Uppföljning", "Uppföljning, Avslut, Mottagning",
        "Mottagning, Uppföljning, Avslut")
    db.session.rollback()
    result = run(unit, content, ImportChoices(resolutions={conflict.key: APPENDIX}))
    db.session.commit()
    assert [row[0] for row in rows_of(export(unit)) if row[0]] == ["Avslut", "Mottagning", "Uppföljning"]


def test_the_preview_says_which_sheet_a_deleted_row_is_missing_from(app, client, login, make_user, unit, plan):
    login(make_user(role=Role.MANAGER))
    content = edit(export(unit), appendix={"Uppgifter lämnas ut till fel person": None})
    uploaded = client.post(f"/enheter/{unit.id}/ar/{YEAR}/import",
                           data={"file": (io.BytesIO(content), "plan.xlsx")}, content_type="multipart/form-data")
    page = client.get(uploaded.headers["Location"]).text
    assert "Finns inte längre i filen (1)" in page
    assert f"”Uppgifter lämnas ut till fel person” – finns inte längre i bladet {APPENDIX_SHEET}" in page


# --- 3. an appendix alone orders what the register already has ---------------------------------------------------------


def test_an_appendix_alone_puts_existing_processes_and_risks_in_its_order(app, unit, plan, make_process, make_risk):
    later = make_process(title="Uppföljning")
    make_risk(process=later, title="Uppföljningen uteblir")
    db.session.commit()
    rows = [["Uppföljning", "Uppföljningen uteblir", "", "", "", "", "", ""],
            ["Mottagning", "Uppgifter lämnas ut till fel person", "", "", "", "", "", ""],
            ["", "Ansökan registreras sent", "Stickprov i diariet", "Checklista för registrering", "", "", "", ""]]
    result = run(unit, appendix_xlsx(rows, HEADER, merges=[]))
    assert result.ok and result.missing == [], (result.errors, result.missing)
    assert sorted((c.kind, c.title, c.fields) for c in result.changes) == [
        ("Process", "Mottagning", ("ordning",)), ("Process", "Uppföljning", ("ordning",)),
        ("Risk", "Ansökan registreras sent", ("ordning",)), ("Risk", "Uppgifter lämnas ut till fel person",
                                                             ("ordning",))]
    db.session.commit()
    again = rows_of(export(unit))
    assert [(row[0], row[1]) for row in again] == [("Uppföljning", "Uppföljningen uteblir"),
                                                   ("Mottagning", "Uppgifter lämnas ut till fel person"),
                                                   (None, "Ansökan registreras sent")]
    assert run(unit, appendix_xlsx(rows, HEADER, merges=[])).changes == []


def test_a_new_order_of_a_risks_items_is_in_its_history_by_name(app, unit, plan, make_control):
    from app.core.history import events_for
    from app.core.services.risks import order_links

    second = make_control(title="Registerkontroll")
    risk = plan["risk"]
    risk.controls.append(second)
    db.session.commit()
    assert order_links(None, risk, "controls", [second, plan["control"]])
    assert not order_links(None, risk, "controls", [second, plan["control"]])
    (event,) = [e for e in events_for(("Risk", [risk.id])) if "control_order" in e.changes]
    (change,) = event.described_changes
    assert (change.field, change.old, change.new) == (
        "Egenkontrollernas ordning", "Stickprov i diariet, Registerkontroll", "Registerkontroll, Stickprov i diariet")


def test_an_edit_to_an_egenkontroll_named_on_several_lines_is_warned_about(app, unit, plan, make_control):
    from app.core.services.controls import record_check

    several = make_control(title="Genomgång av akter\nmed checklista")
    plan["risk"].controls.append(several)
    # Performed: the appendix writes its latest check after the last line, "med checklista (2026-…, …)".
    record_check(None, several, performed_on=date(YEAR, 3, 1), outcome=CheckOutcome.NO_REMARKS)
    db.session.commit()
    content = export(unit)
    assert run(unit, content).warnings == []
    db.session.rollback()
    exported = f"◆ Genomgång av akter\nmed checklista ({YEAR}-03-01, utan anmärkning)"
    result = run(unit, edit(content, appendix={exported: exported.replace("checklista", "mall")}))
    assert any("namn på flera rader" in warning.message for warning in result.warnings), result.warnings
