"""Importing a kvalitetsplan: the appendix layout in xlsx, csv and tsv, idempotence, the CLI and the browser flow."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.excel.importing.apply import import_file
from app.excel.importing.parse import parse_upload
from app.excel.importing.parsed import cell_scale
from app.excel.importing.reader import read_upload
from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    Assessment,
    AuditEvent,
    CheckOutcome,
    Control,
    ControlCheck,
    PendingImport,
    Plan,
    PlanStatus,
    Process,
    Risk,
    RiskStatus,
    Role,
    Unit,
)
from tests.import_files import ROWS, appendix_text, appendix_xlsx

YEAR = 2025  # a closed year: ✓ and ◆ stand for its last day

FORMATS = {
    "xlsx with merged cells": ("plan.xlsx", appendix_xlsx),
    "csv with ; and BOM": ("plan.csv", lambda: appendix_text(delimiter=";", bom=True)),
    "tsv, process and risk repeated": ("plan.tsv", lambda: appendix_text(delimiter="\t", bom=False, repeat=True)),
    "csv with , without BOM": ("plan.csv", lambda: appendix_text(delimiter=",", bom=False, title=False)),
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def run(unit, content: bytes, filename: str = "plan.xlsx", year: int = YEAR, actor=None):
    """Import and commit when it succeeded, as the CLI and the confirm view do."""
    result = import_file(actor, unit, year, content, filename, max_rows=20_000)
    if result.ok:
        db.session.commit()
    else:
        db.session.rollback()
    return result


@pytest.fixture
def people(make_user):
    return {
        "anna": make_user(role=Role.OWNER, email="anna@exempel.se", name="Anna Andersson"),
        "bertil": make_user(role=Role.OWNER, email="bertil@exempel.se", name="Bertil Berg"),
    }


def by_title(model, title: str):
    return db.session.scalar(select(model).where(model.title == title))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_appendix_layout_imports_in_every_format(app, unit, people, fmt):
    filename, build = FORMATS[fmt]
    result = run(unit, build(), filename)
    assert result.ok, result.errors

    processes = {p.title: p for p in db.session.scalars(select(Process))}
    assert set(processes) == {"Mottagning", "Utredning av barn", "Klagomål och synpunkter"}
    assert all(p.unit_id == unit.id for p in processes.values())
    risks = {r.title: r for r in db.session.scalars(select(Risk))}
    assert len(risks) == 4
    # Blank Process cells continued the process above.
    assert risks["Uppgifter lämnas ut till fel person"].process is processes["Mottagning"]
    assert risks["Klagomål besvaras inte inom två veckor"].process is processes["Klagomål och synpunkter"]

    # A blank Risk cell continued the risk above: both åtgärder treat the same risk.
    registration = risks["Ansökan registreras inte samma dag"]
    assert {a.title for a in registration.actions} == {
        "Ta fram en checklista för registrering", "Utbilda nya handläggare i diariet"}

    # ✓ at the end: genomförd on a date in the year, with a follow-up; the mark is not part of the title.
    done = by_title(Action, "Ta fram en checklista för registrering")
    assert (done.status, done.completed_on, done.start_year) == (ActionStatus.DONE, date(YEAR, 12, 31), YEAR)
    assert done.follow_up == "Markerad som genomförd vid import."
    assert done.responsible == people["anna"]  # Ansvarig by e-mail
    assert by_title(Action, "Inför en samtalsmall för barnsamtal").responsible == people["bertil"]  # by name
    still_open = by_title(Action, "Utbilda nya handläggare i diariet")
    assert (still_open.status, still_open.completed_on) == (ActionStatus.PLANNED, None)
    assert count(Action) == 6 and not any("✓" in a.title for a in db.session.scalars(select(Action)))

    # ◆ with a title: that egenkontroll was carried out in the year.
    sampling = by_title(Control, "Stickprov i diariet")
    assert sampling.risks == [registration]
    assert [(c.year, c.performed_on, c.outcome) for c in sampling.checks] == [
        (YEAR, date(YEAR, 12, 31), CheckOutcome.NO_REMARKS)]
    # ◆ before a name: that egenkontroll was created, linked and carried out (a bare ◆ invents nothing:
    # tests/test_import_edits.py).
    disclosure = risks["Uppgifter lämnas ut till fel person"]
    assert len(disclosure.controls) == 1 and len(disclosure.controls[0].checks) == 1
    # No ◆: planned, not carried out.
    assert by_title(Control, "Journalgranskning").checks == []
    assert count(ControlCheck) == 2

    # Optional columns: "3 - Stor" read as 3, "2 – Måttlig" as 2, status by its Swedish label.
    assessment = registration.assessment_for(YEAR)
    assert (assessment.likelihood, assessment.consequence, assessment.status) == (3, 2, RiskStatus.IN_PROGRESS)
    assert risks["Barnets röst hörs inte i utredningen"].assessment_for(YEAR).status is RiskStatus.NEW
    assert risks["Klagomål besvaras inte inom två veckor"].assessment_for(YEAR) is None
    assert result.warnings == []


def test_importing_the_same_file_twice_changes_nothing_the_second_time(app, unit, people):
    content = appendix_xlsx()
    assert run(unit, content).ok
    tables = {model: count(model) for model in (Process, Risk, Assessment, Control, ControlCheck, Action, Plan)}
    events = count(AuditEvent)

    second = run(unit, content)
    assert second.ok and second.changes == []
    assert {model: count(model) for model in tables} == tables
    assert count(AuditEvent) == events
    assert "oförändrade" in second.summary()


def test_an_appendix_completes_open_actions_and_adds_to_what_exists(app, unit, people, make_process, make_risk,
                                                                     make_action, make_control):
    process = make_process(title="MOTTAGNING")
    risk = make_risk(process=process, title="ansökan registreras inte samma dag", description="Kvar")
    open_action = make_action(title="Ta fram en checklista för registrering", start_year=YEAR, due_on=None)
    make_control(title="stickprov i DIARIET", method="Stickprov")

    result = run(unit, appendix_xlsx())
    assert result.ok, result.errors
    # Matched by title, ignoring case: nothing duplicated, nothing the file does not mention cleared.
    assert count(Process) == 3 and db.session.get(Risk, risk.id).description == "Kvar"
    assert db.session.get(Process, process.id).title == "MOTTAGNING"
    control = by_title(Control, "stickprov i DIARIET")
    assert control.method == "Stickprov" and control.risks == [risk] and len(control.checks) == 1
    action = db.session.get(Action, open_action.id)
    assert (action.status, action.completed_on) == (ActionStatus.DONE, date(YEAR, 12, 31))
    verdicts = {(o.kind, o.title): o.verdict for o in result.outcomes}
    assert verdicts[("Process", "MOTTAGNING")] == "unchanged"
    assert verdicts[("Åtgärd", "Ta fram en checklista för registrering")] == "update"


def test_unknown_people_are_left_empty_with_a_warning(app, unit):
    result = run(unit, appendix_xlsx())
    assert result.ok
    assert by_title(Action, "Ta fram en checklista för registrering").responsible is None
    places = {(w.row, w.column) for w in result.warnings}
    assert places == {(3, "Ansvarig"), (6, "Ansvarig")}
    assert all("anna@exempel.se" in w.message or "Bertil Berg" in w.message for w in result.warnings)


def test_a_locked_year_refuses_the_import(app, unit):
    db.session.add(Plan(unit=unit, year=YEAR, status=PlanStatus.LOCKED))
    db.session.commit()
    result = run(unit, appendix_xlsx())
    assert not result.ok and "låst" in result.errors[0].message
    assert count(Process) == 0


def test_scale_cells_and_headers_are_read_leniently():
    assert [cell_scale(v) for v in (3, 3.0, "3", " 3 - Möjlig", "3 – Stor", "4: Mycket stor", None, "")] == [
        3, 3, 3, 3, 3, 4, None, None]
    header = ["  PROCESS ", "risk", "EgenKontroll", "atgärd"]
    rows = [["Mottagning", "Lång väntetid", "", "Rutin för ärendeutdelning"]]
    parsed = parse_upload(read_upload(appendix_xlsx(rows, header, merges=[]), "plan.xlsx"))
    assert parsed.errors == []
    assert [(a.title, a.risk_keys) for a in parsed.actions] == [("Rutin för ärendeutdelning",
                                                                ["mottagning\nlång väntetid"])]


def test_further_lines_of_a_done_action_are_its_follow_up():
    rows = [["Mottagning", "Lång väntetid", "", "Ny rutin för ärendeutdelning\nInförd i mars, väntetiden halverad. ✓"]]
    parsed = parse_upload(read_upload(appendix_xlsx(rows, merges=[]), "plan.xlsx"))
    (action,) = parsed.actions
    assert action.title == "Ny rutin för ärendeutdelning"
    assert action.values == {"status": ActionStatus.DONE, "follow_up": "Införd i mars, väntetiden halverad."}


# --- the command line ---------------------------------------------------------------------------------------------


def cli(app, tmp_path, *args, content: bytes | None = None, name: str = "plan.xlsx"):
    path = tmp_path / name
    path.write_bytes(content if content is not None else appendix_xlsx())
    return app.test_cli_runner().invoke(args=["plan", "import", str(path), *args])


def test_cli_imports_and_dry_run_writes_nothing(app, unit, people, tmp_path):
    events = count(AuditEvent)
    dry = cli(app, tmp_path, "--unit", "bfe", "--year", str(YEAR), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Process: 3 skapas" in dry.output and "ingenting har sparats" in dry.output
    assert count(Process) == 0 and count(AuditEvent) == events

    real = cli(app, tmp_path, "--unit", "Barn- och familjeenheten", "--year", str(YEAR))
    assert real.exit_code == 0, real.output
    assert "Importen är klar" in real.output and count(Process) == 3


def test_cli_refuses_an_unknown_unit_unless_asked_to_create_it(app, tmp_path):
    refused = cli(app, tmp_path, "--unit", "Socialtjänsten Öst", "--year", str(YEAR))
    assert refused.exit_code != 0
    assert "Okänd enhet: Socialtjänsten Öst" in refused.output and "--create-unit" in refused.output
    assert count(Unit) == 0

    created = cli(app, tmp_path, "--unit", "Socialtjänsten Öst", "--year", str(YEAR), "--create-unit")
    assert created.exit_code == 0, created.output
    unit = db.session.scalar(select(Unit))
    assert (unit.code, unit.name) == ("socialtjansten-ost", "Socialtjänsten Öst")
    assert count(Process) == 3


def test_cli_with_errors_exits_non_zero_lists_them_and_writes_nothing(app, unit, tmp_path):
    rows = [list(row) for row in ROWS]
    rows[0][4], rows[3][5] = "7", "femma"
    result = cli(app, tmp_path, "--unit", "bfe", "--year", str(YEAR), content=appendix_xlsx(rows))
    assert result.exit_code == 1
    assert "blad Bilaga 7, rad 6, kolumn Konsekvens" in result.output
    assert "blad Bilaga 7, rad 3, kolumn Sannolikhet" in result.output
    assert "Ingenting har sparats" in result.output
    assert count(Process) == 0


# --- the browser ----------------------------------------------------------------------------------------------------


def upload(client, unit, content: bytes, filename: str = "plan.xlsx", year: int = YEAR):
    import io

    return client.post(f"/enheter/{unit.id}/ar/{year}/import",
                       data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


def test_upload_preview_and_confirm_as_enhetschef(app, client, login, unit, make_user, people):
    login(make_user(role=Role.MANAGER))
    page = client.get(f"/enheter/{unit.id}/ar/{YEAR}/import")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text

    response = upload(client, unit, appendix_xlsx())
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    assert count(Process) == 0 and count(PendingImport) == 1

    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert "Bekräfta import" in preview.text and "Mottagning" in preview.text
    assert "Skapas" in preview.text and count(Process) == 0  # the preview keeps nothing

    confirmed = client.post(preview_url)
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith(f"/enheter/{unit.id}/ar/{YEAR}/")
    assert count(Process) == 3 and count(Action) == 6 and count(PendingImport) == 0
    year_page = client.get(confirmed.headers["Location"])
    assert "Importen av plan.xlsx är klar: 30 skapas" in year_page.text
    assert client.post(preview_url).status_code == 404  # a second submit finds nothing to import


@pytest.mark.parametrize("role", [Role.READER, Role.OWNER])
def test_only_managers_may_import(app, client, login, unit, make_user, role):
    login(make_user(role=role))
    assert client.get(f"/enheter/{unit.id}/ar/{YEAR}/import").status_code == 403
    assert upload(client, unit, appendix_xlsx()).status_code == 403
    assert count(PendingImport) == 0 and count(Process) == 0


def test_an_invalid_file_re_renders_the_upload_page_listing_every_error(app, client, login, unit, make_user):
    login(make_user(role=Role.MANAGER))
    rows = [list(row) for row in ROWS]
    rows[0][4], rows[2][5], rows[3][4] = "9", "<script>alert(1)</script>", "0"
    response = upload(client, unit, appendix_xlsx(rows))
    assert response.status_code == 400
    assert "Filen kan inte importeras" in response.text
    assert response.text.count("<tr>") >= 4  # header plus the three problems
    assert "&lt;script&gt;" in response.text and "<script>alert" not in response.text
    assert count(PendingImport) == 0 and count(Process) == 0


def test_a_pending_import_belongs_to_its_uploader(app, client, login, unit, make_user):
    first, second = make_user(role=Role.MANAGER), make_user(role=Role.ADMIN)
    login(first)
    preview_url = upload(client, unit, appendix_xlsx()).headers["Location"]
    client.post("/logga-ut")
    login(second)
    assert client.get(preview_url).status_code == 403
    assert client.post(preview_url).status_code == 403
    assert count(Process) == 0 and count(PendingImport) == 1


def test_bad_tokens_are_not_found(app, client, login, unit, make_user, make_unit):
    login(make_user(role=Role.ADMIN))
    preview_url = upload(client, unit, appendix_xlsx()).headers["Location"]
    token = preview_url.rsplit("/", 1)[1]
    other = make_unit(code="annan", name="Annan enhet")
    for url in (f"/enheter/{unit.id}/ar/{YEAR}/import/felaktig", f"/enheter/{unit.id}/ar/{YEAR}/import/{'x' * 500}",
                f"/enheter/{other.id}/ar/{YEAR}/import/{token}", f"/enheter/{unit.id}/ar/{YEAR + 1}/import/{token}"):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert count(Process) == 0


def test_the_import_button_shows_only_for_those_who_may_import(app, unit, make_user):
    from flask import render_template_string

    template = '{% include "plans/_import_button.html" %}'
    with app.test_request_context():
        from flask_login import login_user

        login_user(make_user(role=Role.OWNER))
        assert "Importera" not in render_template_string(template, unit=unit, year=YEAR)
        login_user(make_user(role=Role.MANAGER))
        html = render_template_string(template, unit=unit, year=YEAR)
        assert f'href="/enheter/{unit.id}/ar/{YEAR}/import"' in html


def test_the_upload_page_of_a_locked_year_says_so_and_takes_nothing(app, client, login, unit, make_user):
    db.session.add(Plan(unit=unit, year=YEAR, status=PlanStatus.LOCKED))
    db.session.commit()
    login(make_user(role=Role.MANAGER))
    page = client.get(f"/enheter/{unit.id}/ar/{YEAR}/import")
    assert page.status_code == 200 and "låst" in page.text and 'type="file"' not in page.text
    assert upload(client, unit, appendix_xlsx()).status_code == 409
    assert count(PendingImport) == 0 and count(Process) == 0
