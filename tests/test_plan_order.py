"""The plan's order: processes, risks within a process and items within a risk keep the order they were added or
imported in, a person can move processes up and down, and the tree, the export and the risk list follow it."""

from __future__ import annotations

import io

import flask_migrate
import openpyxl
import pytest
from sqlalchemy import select, text

from app import create_app
from app.core.errors import ValidationError
from app.core.process_tree import process_tree
from app.core.services.processes import DOWN, UP, create_process, move_process
from app.core.services.risks import create_risk, link_action, link_control, move_risk, update_risk
from app.core.year_plan_loader import load_plan_data
from app.excel.export.workbook import write_workbook
from app.excel.importing.apply import import_file
from app.excel.layout import APPENDIX_COLUMNS, APPENDIX_SHEET, DONE_MARK, PERFORMED_MARK
from app.extensions import db
from app.models import AuditEvent, Process, Risk, Role
from tests.conftest import TEST_YEAR, app_config

# A municipality's flow, deliberately not in alphabetical order; so are the risks and the items below.
FLOW = [
    ("Förhandsbedömning", [
        ("Skyddsbedömning görs inte samma dag", ["Stickprov av skyddsbedömningar"], ["Rutin för skyddsbedömning"]),
        ("Anmälan registreras sent", [], ["Daglig genomgång av inkorgen"]),
    ]),
    ("Utredning", [
        ("Utredningstiden överskrids", ["Uppföljning av utredningstider", "Ärendedragning"],
         ["Veckovis bevakning", "Aktualisera vid behov"]),
        ("Barnets perspektiv saknas", ["Journalgranskning"], []),
    ]),
    ("Insats", [
        ("Vårdplan saknas", ["Journalgranskning", "Ärendedragning"], ["Mall för vårdplan"]),
    ]),
    ("Uppföljning", [
        ("Insatsen följs inte upp", ["Uppföljning av utredningstider"], ["Påminnelser i verksamhetssystemet"]),
    ]),
    ("Avslut", [
        ("Ärendet avslutas utan beslut", [], []),
    ]),
]


def appendix_lines(flow) -> list[tuple[str, str, str, str]]:
    """(process, risk, egenkontroll, åtgärd) per line, as the export pairs a risk's items line by line."""
    lines = []
    for process, risks in flow:
        for risk, controls, actions in risks:
            for index in range(max(len(controls), len(actions), 1)):
                lines.append((process, risk, controls[index] if index < len(controls) else "",
                              actions[index] if index < len(actions) else ""))
    return lines


def appendix_workbook(flow) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = APPENDIX_SHEET
    sheet.append(APPENDIX_COLUMNS)
    previous = (None, None)
    for process, risk, control, action in appendix_lines(flow):
        # A blank Process or Risk cell continues the line above, as in a table with merged cells.
        sheet.append([process if process != previous[0] else None,
                      risk if (process, risk) != previous else None, control or None, action or None])
        previous = (process, risk)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def exported_lines(unit) -> list[tuple[str, str, str, str]]:
    """The appendix sheet of the unit's export, merged cells filled down, marks and follow-ups left out."""
    output = io.BytesIO()
    write_workbook(load_plan_data(unit, TEST_YEAR), output)
    sheet = openpyxl.load_workbook(io.BytesIO(output.getvalue()))[APPENDIX_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(index for index, row in enumerate(rows) if row and row[0] == "Process") + 1
    lines, process, risk = [], "", ""

    def first_line(value) -> str:
        return str(value or "").split("\n")[0].replace(PERFORMED_MARK, "").replace(DONE_MARK, "").strip()

    for row in rows[start:]:
        if not any(row[:4]):
            break
        if row[0]:
            process = first_line(row[0]).removesuffix("(forts.)").strip()
        if row[1] or row[0]:
            risk = first_line(row[1]) if row[1] else risk
        lines.append((process, risk, first_line(row[2]), first_line(row[3])))
    return lines


def run_import(unit, content: bytes):
    result = import_file(None, unit, TEST_YEAR, content, "plan.xlsx", max_rows=20_000)
    assert result.ok, [str(error) for error in result.errors]
    db.session.commit()
    return result


# --- import → export ---------------------------------------------------------------------------------------------------


def test_an_imported_appendix_comes_out_in_exactly_its_own_order(unit):
    run_import(unit, appendix_workbook(FLOW))

    expected = appendix_lines(FLOW)
    assert exported_lines(unit) == expected  # every row keeps its position
    tree = [row.process.title for row in process_tree(list(db.session.scalars(select(Process))))]
    assert tree == [process for process, _ in FLOW]


def test_importing_the_export_again_changes_no_order(unit):
    run_import(unit, appendix_workbook(FLOW))
    output = io.BytesIO()
    write_workbook(load_plan_data(unit, TEST_YEAR), output)
    before = exported_lines(unit)

    run_import(unit, output.getvalue())

    assert exported_lines(unit) == before


def test_an_appendix_adds_to_an_existing_register_after_what_is_there(unit, make_process, make_control):
    make_process(title="Ärendemottagning")
    existing = make_control(title="Journalgranskning")
    flow = [("Utredning", [("Utredningstiden överskrids", ["Ärendedragning", "Journalgranskning"], [])])]

    run_import(unit, appendix_workbook(flow))

    plan = load_plan_data(unit, TEST_YEAR)
    assert [p.title for p in plan.processes] == ["Ärendemottagning", "Utredning"]  # the new process goes last
    risk = plan.processes[1].risks[0]
    # Within the risk, the sheet's order, although the existing egenkontroll is older than the new one.
    assert [c.title for c in risk.controls] == ["Ärendedragning", "Journalgranskning"]
    assert existing.id < db.session.scalar(select(Process.id).where(Process.title == "Utredning"))


# --- services ----------------------------------------------------------------------------------------------------------


def test_new_processes_risks_and_links_go_last(unit, make_control, make_action):
    top = create_process(None, unit, title="Utredning")
    first = create_process(None, unit, title="Ärenden", parent=top)
    second = create_process(None, unit, title="Akuta ärenden", parent=top)
    other_top = create_process(None, unit, title="Avslut")
    assert (top.sort_order, other_top.sort_order) == (0, 1)
    assert (first.sort_order, second.sort_order) == (0, 1)  # numbered per level
    assert [row.process.title for row in process_tree([top, first, second, other_top])] == [
        "Utredning", "Ärenden", "Akuta ärenden", "Avslut"]

    risks = [create_risk(None, first, title=title) for title in ("Ö", "Ä", "A")]
    assert [r.sort_order for r in risks] == [0, 1, 2]
    update_risk(None, risks[0], title="Ö", process=second)  # moved to another process: last there
    assert risks[0].sort_order == 0 and risks[0].process is second
    update_risk(None, risks[2], title="A", process=second)
    assert risks[2].sort_order == 1

    younger, older = make_control(title="Yngre"), make_control(title="Äldre")
    action_b, action_a = make_action(title="B"), make_action(title="A")
    risk = risks[1]
    for control in (older, younger):
        link_control(None, risk, control)
    for action in (action_a, action_b):
        link_action(None, risk, action)
    db.session.commit()
    db.session.expire_all()
    assert [c.title for c in risk.controls] == ["Äldre", "Yngre"]
    assert [a.title for a in risk.actions] == ["A", "B"]
    plan_risk = next(r for p in load_plan_data(unit, TEST_YEAR).processes for r in p.risks if r.id == risk.id)
    assert [c.title for c in plan_risk.controls] == ["Äldre", "Yngre"]
    assert [a.title for a in plan_risk.actions] == ["A", "B"]


def test_moving_a_process_swaps_it_with_its_neighbour_and_is_audited(unit, manager):
    # Three siblings sharing one sort order are shown alphabetically; moving numbers them as shown.
    processes = {title: create_process(None, unit, title=title, sort_order=0)
                 for title in ("Utredning", "Insats", "Avslut")}
    db.session.commit()

    changes = move_process(manager, processes["Utredning"], UP)

    assert changes == {"sort_order": [0, 1]}
    order = [row.process.title for row in process_tree(list(processes.values()))]
    assert order == ["Avslut", "Utredning", "Insats"]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "Process",
                                                         AuditEvent.verb == "update")).all()
    assert {(e.entity_id, e.actor_id): e.changes for e in events} == {
        (processes["Utredning"].id, manager.id): {"sort_order": [0, 1]},
        (processes["Insats"].id, manager.id): {"sort_order": [0, 2]},
    }
    move_process(manager, processes["Avslut"], DOWN)
    assert [row.process.title for row in process_tree(list(processes.values()))] == ["Utredning", "Avslut", "Insats"]


@pytest.mark.parametrize(("title", "direction", "message"), [
    ("Förhandsbedömning", UP, "Processen Förhandsbedömning ligger redan överst på sin nivå och kan inte flyttas."),
    ("Utredning", DOWN, "Processen Utredning ligger redan nederst på sin nivå och kan inte flyttas."),
    ("Utredning", "sidled", "Ange om processen ska flyttas upp eller ned."),
])
def test_a_process_that_cannot_move_is_refused_in_swedish(unit, title, direction, message):
    processes = {t: create_process(None, unit, title=t) for t in ("Förhandsbedömning", "Utredning")}
    with pytest.raises(ValidationError) as refused:
        move_process(None, processes[title], direction)
    assert refused.value.message == message
    assert [p.sort_order for p in processes.values()] == [0, 1]


def test_moving_a_risk_within_its_process(unit, make_process):
    process = make_process(title="Utredning")
    risks = [create_risk(None, process, title=title) for title in ("Första", "Andra", "Tredje")]

    move_risk(None, risks[2], UP)

    db.session.expire_all()
    assert [r.title for r in process.risks] == ["Första", "Tredje", "Andra"]
    with pytest.raises(ValidationError, match="ligger redan först"):
        move_risk(None, risks[0], UP)


# --- the browser -------------------------------------------------------------------------------------------------------


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.MANAGER, name="Maria Chef")


def test_a_manager_moves_a_process_up_in_the_tree_and_the_export_follows(client, login, unit, manager):
    for title in ("Förhandsbedömning", "Utredning", "Insats"):
        create_process(None, unit, title=title)
    db.session.commit()
    login(manager)

    page = client.get("/processer/").text
    assert 'Flytta upp<span class="visually-hidden"> Utredning</span>' in page
    assert 'Flytta upp<span class="visually-hidden"> Förhandsbedömning</span>' not in page  # already at the top
    assert 'Flytta ned<span class="visually-hidden"> Insats</span>' not in page  # already at the bottom
    insats = db.session.scalar(select(Process).where(Process.title == "Insats"))

    response = client.post(f"/processer/{insats.id}/flytta", data={"riktning": "upp", "ar": TEST_YEAR})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/processer/?ar={TEST_YEAR}#process-{insats.id}"
    page = client.get(response.headers["Location"]).text
    assert "Processen Insats är flyttad uppåt." in page
    table = page[page.index("<table"):]
    assert table.index("Förhandsbedömning") < table.index("Insats") < table.index("Utredning")
    assert [p.title for p in load_plan_data(unit, TEST_YEAR).processes] == ["Förhandsbedömning", "Insats", "Utredning"]


def test_a_refused_move_is_flashed_and_changes_nothing(client, login, unit, manager):
    first = create_process(None, unit, title="Förhandsbedömning")
    create_process(None, unit, title="Utredning")
    db.session.commit()
    login(manager)

    response = client.post(f"/processer/{first.id}/flytta", data={"riktning": "upp"}, follow_redirects=True)

    assert "ligger redan överst på sin nivå" in response.text
    assert db.session.scalars(select(Process.sort_order).order_by(Process.id)).all() == [0, 1]
    assert client.post(f"/processer/{first.id}/flytta", data={"riktning": "snett"}).status_code == 400


def test_only_those_who_may_edit_a_process_see_and_use_the_buttons(client, login, unit, make_user):
    owner = make_user(role=Role.OWNER)
    mine = create_process(None, unit, title="Utredning", owner=owner)
    theirs = create_process(None, unit, title="Insats")
    db.session.commit()

    login(make_user(role=Role.READER))
    assert "Flytta upp" not in client.get("/processer/").text
    assert client.post(f"/processer/{mine.id}/flytta", data={"riktning": "ned"}).status_code == 403

    client.post("/logga-ut")
    login(owner)
    page = client.get("/processer/").text
    assert 'Flytta ned<span class="visually-hidden"> Utredning</span>' in page
    assert "Flytta upp<span" not in page  # Insats is not hers
    assert client.post(f"/processer/{theirs.id}/flytta", data={"riktning": "upp"}).status_code == 403
    assert client.post(f"/processer/{mine.id}/flytta", data={"riktning": "ned"}).status_code == 302
    assert [row.process.title for row in process_tree([mine, theirs])] == ["Insats", "Utredning"]


# --- the risk list -----------------------------------------------------------------------------------------------------


def test_the_risk_list_follows_the_plan_unless_sorted_by_riskvarde(client, login, unit, manager, make_assessment):
    intake = create_process(None, unit, title="Förhandsbedömning")
    investigation = create_process(None, unit, title="Utredning")
    low = create_risk(None, intake, title="Låg risk i förhandsbedömningen")
    high = create_risk(None, intake, title="Hög risk i förhandsbedömningen")
    middle = create_risk(None, investigation, title="Medelrisk i utredningen")
    make_assessment(low, likelihood=1, consequence=1)
    make_assessment(high, likelihood=4, consequence=4)
    make_assessment(middle, likelihood=2, consequence=3)
    move_process(None, investigation, UP)
    db.session.commit()
    login(manager)

    default = client.get(f"/risker/?ar={TEST_YEAR}").text
    by_score = client.get(f"/risker/?ar={TEST_YEAR}&sortera=riskvarde").text

    titles = [middle.title, low.title, high.title]
    assert [default.index(t) for t in titles] == sorted(default.index(t) for t in titles)
    titles = [high.title, middle.title, low.title]
    assert [by_score.index(t) for t in titles] == sorted(by_score.index(t) for t in titles)
    assert '<option selected value="riskvarde">Riskvärde, högst först</option>' in by_score


# --- the migration -----------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_existing_risks_and_links_are_numbered_in_the_order_shown_before(fresh_database_url: str):

    app = create_app(app_config(fresh_database_url))
    with app.app_context():
        flask_migrate.upgrade(revision="95e98c7febcf")
        statements = [
            "INSERT INTO units (id, code, name, created_at) VALUES (1, 'bfe', 'BFE', '2026-01-01 00:00:00')",
            "INSERT INTO processes (id, ref, unit_id, title, description, sort_order, is_archived, created_at) "
            "VALUES (1, 'P-1', 1, 'Utredning', '', 0, false, '2026-01-01 00:00:00')",
            *(f"INSERT INTO risks (id, ref, process_id, title, description, is_archived, created_at) "
              f"VALUES ({n}, 'R-{n}', 1, 'Risk {n}', '', false, '2026-01-01 00:00:00')" for n in (3, 1, 2)),
            *(f"INSERT INTO controls (id, ref, unit_id, title, description, method, frequency, is_archived, "
              f"created_at) VALUES ({n}, 'E-{n}', 1, 'Kontroll {n}', '', '', 'annual', false, '2026-01-01 00:00:00')"
              for n in (2, 1)),
            *(f"INSERT INTO risk_controls (risk_id, control_id) VALUES (1, {n})" for n in (2, 1)),
        ]
        with db.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            risks = connection.execute(text("SELECT id, sort_order FROM risks ORDER BY id")).all()
            links = connection.execute(text("SELECT control_id, position FROM risk_controls ORDER BY control_id")).all()
        db.session.remove()
        db.engine.dispose()
    assert [tuple(row) for row in risks] == [(1, 0), (2, 1), (3, 2)]
    assert [tuple(row) for row in links] == [(1, 0), (2, 1)]
