"""A förvaltning's export holds its enheters items: the Register's Enhet column takes them back to their own unit."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from sqlalchemy import func, select

from app.auth.services import create_user
from app.core.services.actions import create_action
from app.core.services.assessments import assess_risk
from app.core.services.controls import create_control, record_check
from app.core.services.processes import create_process
from app.core.services.risks import create_risk, link_action, link_control
from app.core.units import create_unit
from app.excel.importing.apply import import_file
from app.excel.layout import REGISTER_COLUMNS, REGISTER_SHEET
from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    CheckOutcome,
    Control,
    ControlCheck,
    Frequency,
    Process,
    Risk,
    Role,
)
from tests import test_import_roundtrip as roundtrip
from tests.conftest import PASSWORD, TEST_YEAR
from tests.test_import_roundtrip import cells, export, fresh

second_app = roundtrip.second_app  # the fixture: a second, empty database

SUB_PERSON = ("cecilia@exempel.se", "Cecilia Ek")


def tree():
    """bfe with the enhet mott below it (and mott's own enhet kvall), plus an unrelated unit annan."""
    unit, users = fresh()
    sub = create_unit(None, code="mott", name="Mottagningen", parent=unit)
    create_unit(None, code="kvall", name="Kvällsmottagningen", parent=sub)
    create_unit(None, code="annan", name="Annan förvaltning")
    email, name = SUB_PERSON
    users[email] = create_user(None, email=email, name=name, role=Role.OWNER, unit=sub, password=PASSWORD)
    db.session.commit()
    return unit, sub, users


def fill(unit, sub, users) -> None:
    """Items in the förvaltning and in its enhet, linked within the enhet."""
    create_process(None, unit, title="Ledning och styrning", owner=users["anna@exempel.se"])
    process = create_process(None, sub, title="Mottagning", owner=users[SUB_PERSON[0]])
    create_process(None, sub, title="Telefonrådgivning", parent=process, sort_order=1)
    risk = create_risk(None, process, title="Ansökan registreras sent")
    assess_risk(None, risk, year=TEST_YEAR, likelihood=3, consequence=2)
    control = create_control(None, sub, title="Stickprov i diariet", frequency=Frequency.MONTHLY,
                             responsible=users[SUB_PERSON[0]])
    link_control(None, risk, control)
    record_check(None, control, performed_on=date(TEST_YEAR, 2, 1), outcome=CheckOutcome.NO_REMARKS)
    action = create_action(None, sub, title="Checklista för registrering", start_year=TEST_YEAR,
                           status=ActionStatus.PLANNED, responsible=users[SUB_PERSON[0]])
    link_action(None, risk, action)
    create_control(None, unit, title="Genomgång av delegationer", frequency=Frequency.ANNUAL)
    db.session.commit()


def run(unit, content: bytes):
    result = import_file(None, unit, TEST_YEAR, content, "forvaltning.xlsx", max_rows=20_000)
    if result.ok:
        db.session.commit()
    else:
        db.session.rollback()
    return result


def edited(content: bytes, *rows: dict, drop_unit_column: bool = False) -> bytes:
    """The export with Register rows added (by column name), and optionally without its Enhet column."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[REGISTER_SHEET]
    for row in rows:
        sheet.append([row.get(name) for name in REGISTER_COLUMNS])
    if drop_unit_column:
        sheet.delete_cols(REGISTER_COLUMNS.index("Enhet") + 1)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Process, Risk, Control, ControlCheck, Action))


def unit_of(model, title: str) -> str:
    return db.session.scalar(select(model).where(model.title == title)).unit.code


def test_the_register_names_each_items_unit(app):
    unit, sub, users = tree()
    fill(unit, sub, users)
    sheet = openpyxl.load_workbook(io.BytesIO(export(unit)))[REGISTER_SHEET]
    rows = [dict(zip(REGISTER_COLUMNS, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert {(row["Typ"], row["Titel"], row["Enhet"]) for row in rows if row["Typ"] != "Genomförd egenkontroll"} == {
        ("Process", "Ledning och styrning", "bfe"), ("Process", "Mottagning", "mott"),
        ("Process", "Telefonrådgivning", "mott"), ("Risk", "Ansökan registreras sent", None),
        ("Egenkontroll", "Stickprov i diariet", "mott"), ("Egenkontroll", "Genomgång av delegationer", "bfe"),
        ("Åtgärd", "Checklista för registrering", "mott"),
    }


def test_a_forvaltnings_export_reimports_cleanly(app):
    unit, sub, users = tree()
    fill(unit, sub, users)
    content = export(unit)
    before = counts()

    result = run(unit, content)
    assert result.ok, [str(error) for error in result.errors]
    assert result.warnings == [] and result.changes == []
    assert counts() == before
    assert unit_of(Process, "Mottagning") == "mott" and unit_of(Control, "Stickprov i diariet") == "mott"


def test_export_into_a_database_with_the_same_units_gives_the_same_cells(app, second_app):
    unit, sub, users = tree()
    fill(unit, sub, users)
    first = export(unit)

    with second_app.app_context():
        target, _, _ = tree()
        result = run(target, first)
        assert result.ok, [str(error) for error in result.errors]
        assert result.warnings == []
        assert unit_of(Process, "Ledning och styrning") == "bfe"
        assert unit_of(Process, "Telefonrådgivning") == "mott"
        assert unit_of(Control, "Stickprov i diariet") == "mott"
        assert unit_of(Control, "Genomgång av delegationer") == "bfe"
        assert unit_of(Action, "Checklista för registrering") == "mott"
        assert db.session.scalar(select(Risk)).process.unit.code == "mott"
        assert db.session.scalar(select(Action)).responsible.email == SUB_PERSON[0]
        second = export(target)
        again = run(target, second)
        assert again.ok and again.changes == []

    assert cells(second) == cells(first)


def test_a_new_row_is_created_in_the_unit_its_enhet_names(app):
    unit, sub, users = tree()
    fill(unit, sub, users)
    risk_ref = db.session.scalar(select(Risk.ref))
    content = edited(
        export(unit),
        {"Typ": "Process", "ID": "P-AAAAAAAAAAAA", "Titel": "Kvällsjour", "Enhet": "KVALL"},
        {"Typ": "Process", "ID": "P-BBBBBBBBBBBB", "Titel": "Ekonomi"},
        {"Typ": "Egenkontroll", "ID": "E-CCCCCCCCCCCC", "Titel": "Loggkontroll", "Frekvens": "Årligen",
         "Kopplade risker": risk_ref, "Enhet": "mott", "Ansvarig": SUB_PERSON[0]},
        {"Typ": "Åtgärd", "ID": "A-DDDDDDDDDDDD", "Titel": "Ny rutin", "Status": "Planerad", "Startår": TEST_YEAR,
         "Enhet": "mott"},
    )
    result = run(unit, content)
    assert result.ok, [str(error) for error in result.errors]
    assert result.warnings == []
    assert unit_of(Process, "Kvällsjour") == "kvall"
    assert unit_of(Process, "Ekonomi") == "bfe"  # an empty Enhet: the import's unit
    control = db.session.scalar(select(Control).where(Control.title == "Loggkontroll"))
    assert (control.unit.code, control.responsible.email, [r.ref for r in control.risks]) == (
        "mott", SUB_PERSON[0], [risk_ref])
    assert unit_of(Action, "Ny rutin") == "mott"
    assert run(unit, content).changes == []  # and importing it again changes nothing


def test_an_enhet_outside_the_unit_is_an_error_and_nothing_is_written(app):
    unit, sub, users = tree()
    fill(unit, sub, users)
    content = export(unit)
    rows = len(list(openpyxl.load_workbook(io.BytesIO(content))[REGISTER_SHEET].iter_rows()))
    bad = edited(
        content,
        {"Typ": "Process", "ID": "P-AAAAAAAAAAAA", "Titel": "Hos grannen", "Enhet": "annan"},
        {"Typ": "Åtgärd", "ID": "A-DDDDDDDDDDDD", "Titel": "Okänd", "Status": "Planerad", "Startår": TEST_YEAR,
         "Enhet": "finns-ej"},
        {"Typ": "Process", "ID": "P-BBBBBBBBBBBB", "Titel": "Ekonomi"},
    )
    before = counts()
    result = run(unit, bad)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        (REGISTER_SHEET, rows + 1, "Enhet"), (REGISTER_SHEET, rows + 2, "Enhet")]
    assert "annan" in result.errors[0].message and "finns-ej" in result.errors[1].message
    assert counts() == before

    # Importing into the enhet itself: the förvaltning's own items are another unit's.
    result = run(sub, content)
    assert result.errors and {e.column for e in result.errors} == {"ID"}
    assert all("annan enhet" in e.message for e in result.errors)
    assert counts() == before


def test_a_register_without_the_enhet_column_still_imports(app, second_app):
    unit, sub, users = tree()
    fill(unit, sub, users)
    content = edited(export(unit), {"Typ": "Process", "ID": "P-BBBBBBBBBBBB", "Titel": "Ekonomi"},
                     drop_unit_column=True)
    header = next(openpyxl.load_workbook(io.BytesIO(content))[REGISTER_SHEET].iter_rows(values_only=True))
    assert "Enhet" not in header

    # Known refs stay in their own units; the new row lands in the import's unit.
    result = run(unit, content)
    assert result.ok, [str(error) for error in result.errors]
    assert [(o.kind, o.title, o.verdict) for o in result.changes] == [("Process", "Ekonomi", "create")]
    assert unit_of(Process, "Mottagning") == "mott" and unit_of(Process, "Ekonomi") == "bfe"

    # An older file of a single unit, into an empty database.
    with second_app.app_context():
        older = edited(export_of_unit_only(), drop_unit_column=True)
        target, _ = fresh()
        result = run(target, older)
        assert result.ok, [str(error) for error in result.errors]
        assert unit_of(Process, "Mottagning") == "bfe"


def export_of_unit_only() -> bytes:
    unit, _ = fresh()
    process = create_process(None, unit, title="Mottagning")
    create_risk(None, process, title="Ansökan registreras sent")
    db.session.commit()
    return export(unit)
