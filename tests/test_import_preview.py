"""The import preview reads and never writes; confirming applies exactly what the preview showed, in one transaction.

The upload rehearses the import and keeps its preview with the pending upload, so the preview page reads one row:
no INSERT, UPDATE or DELETE, and on SQLite no BEGIN IMMEDIATE (nobody holds the write lock while the person reads).
A register that changed between preview and confirm so that the import would do something else is caught.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

import pytest
from sqlalchemy import event, func, select

from app.excel.importing.apply import import_file
from app.excel.importing.result import VERDICTS
from app.extensions import db
from app.models import Action, AuditEvent, PendingImport, Plan, PlanStatus, Process, RiskMatrix, Role
from app.models.matrix import DEFAULT_BANDS
from app.plans.imports import OUTCOME_CHANGED
from tests.import_files import appendix_xlsx

YEAR = 2025
WRITING = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@contextmanager
def recorded() -> Iterator[dict[str, list]]:
    """Every statement sent to the database, and every commit, while the block runs."""
    seen: dict[str, list] = {"statements": [], "commits": []}

    def on_execute(_conn, _cursor, statement, *_args) -> None:
        seen["statements"].append(" ".join(statement.split()).upper())

    def on_commit(connection) -> None:
        seen["commits"].append(connection)

    db.session.commit()  # the test's own transaction ends before the request starts
    event.listen(db.engine, "before_cursor_execute", on_execute)
    event.listen(db.engine, "commit", on_commit)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        event.remove(db.engine, "commit", on_commit)


class Tables(HTMLParser):
    """The text of every table on a page: {caption or "": [[cell, ...], ...]} (header rows included)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._rows: list[list[str]] | None = None
        self._caption_text = ""
        self._caption: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "table":
            self._rows, self._caption_text = [], ""
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag) -> None:
        if tag == "caption" and self._caption is not None:
            self._caption_text, self._caption = "".join(self._caption).strip(), None
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption_text] = self._rows
            self._rows = None

    def handle_data(self, data) -> None:
        for part in (self._caption, self._cell):
            if part is not None:
                part.append(data)


def expected_tables(result) -> dict[str, list[list[str]]]:
    """The tables the preview page showed when it re-ran the import itself (before the preview was kept)."""
    labels = [label.capitalize() for label in VERDICTS.values()]

    def problems(items):
        return [["Blad", "Rad", "Kolumn", "Problem"]] + [
            [p.sheet or "–", str(p.row or "–"), p.column or "–", p.message] for p in items]

    counted = [[kind, *(str(counts[verdict]) for verdict in VERDICTS)] for kind, counts in result.counts()]
    tables = {"Sammanfattning": [["Typ", *labels]] + (counted or [["Filen innehåller inget att importera."]])}
    if result.errors:
        tables["Fel"] = problems(result.errors)
    if result.warnings:
        tables["Varningar – importen kan genomföras, men läs dem först"] = problems(result.warnings)
    if result.changes:
        tables[""] = [["Ändring", "Typ", "Namn", "Rad", "Vad"]] + [
            [VERDICTS[c.verdict].capitalize(), c.kind, c.title, str(c.row or "–"), ", ".join(c.fields)]
            for c in result.changes]
    return tables


def rehearse(actor, unit, content: bytes):
    """What the import would do now, with nothing kept: the old preview's own computation."""
    try:
        return import_file(actor, unit, YEAR, content, "plan.xlsx", max_rows=20_000)
    finally:
        db.session.rollback()


def upload(client, unit, content: bytes) -> str:
    response = client.post(f"/enheter/{unit.id}/ar/{YEAR}/import",
                           data={"file": (io.BytesIO(content), "plan.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    return response.headers["Location"]


@pytest.fixture
def manager(login, make_user):
    return login(make_user(role=Role.MANAGER))


@pytest.fixture
def register(make_process, make_risk, make_action, make_control):
    """Part of the file already in the register: the import creates some items, updates others, keeps the rest."""
    process = make_process(title="MOTTAGNING")
    make_risk(process=process, title="ansökan registreras inte samma dag")
    make_action(title="Ta fram en checklista för registrering", start_year=YEAR, due_on=None)
    make_control(title="stickprov i DIARIET", method="Stickprov")


def test_the_preview_page_reads_and_never_writes(app, client, manager, unit, register):
    preview_url = upload(client, unit, appendix_xlsx())
    with recorded() as seen:
        page = client.get(preview_url)
    assert page.status_code == 200 and "Bekräfta import" in page.text
    writing = [s for s in seen["statements"] if s.startswith(WRITING)]
    assert writing == []
    assert any(s.startswith("SELECT") and "PENDING_IMPORTS" in s for s in seen["statements"])
    if db.engine.dialect.name == "sqlite":
        # The listener sees transactions begin: the page reads under a plain BEGIN, which blocks no writer.
        assert "BEGIN" in seen["statements"]


def test_the_preview_shows_what_the_import_will_do(app, client, manager, unit, register):
    content = appendix_xlsx()
    expected = rehearse(manager, unit, content)
    assert expected.ok and {c.verdict for c in expected.changes} == {"create", "update"}
    assert expected.warnings  # anna@exempel.se and Bertil Berg are nobody in this unit

    page = client.get(upload(client, unit, content))
    tables = Tables(page.text).tables
    assert tables == expected_tables(expected)
    assert tables["Varningar – importen kan genomföras, men läs dem först"][1:] == [
        ["Bilaga 7", "3", "Ansvarig", "Ansvarig ”anna@exempel.se” importeras inte: personen finns inte bland enhetens "
                                      "användare."],
        ["Bilaga 7", "6", "Ansvarig", "Ansvarig ”Bertil Berg” importeras inte: personen finns inte bland enhetens "
                                      "användare."],
    ]
    assert count(Process) == 1 and count(PendingImport) == 1


def test_confirming_applies_the_preview_in_one_transaction(app, client, manager, unit, register, make_unit,
                                                           make_process):
    preview_url = upload(client, unit, appendix_xlsx())
    # A change elsewhere in the register does not change what this import does.
    make_process(unit=make_unit(code="annan", name="Annan enhet"), title="Mottagning")
    with recorded() as seen:
        confirmed = client.post(preview_url)
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith(f"/enheter/{unit.id}/ar/{YEAR}/")
    assert len(seen["commits"]) == 1
    assert count(Process) == 1 + 3 and count(Action) == 6 and count(PendingImport) == 0
    assert "Importen av plan.xlsx är klar" in client.get(confirmed.headers["Location"]).text


def test_an_error_found_at_confirm_keeps_nothing(app, client, manager, unit, register):
    """The year's scale shrank after the preview: the confirm fails half-way through and nothing of it lands."""
    preview_url = upload(client, unit, appendix_xlsx())
    db.session.add(RiskMatrix(unit=unit, year=YEAR, likelihood_size=3, consequence_size=3,
                              likelihood_labels=list("ABC"), consequence_labels=list("ABC"), bands=DEFAULT_BANDS))
    db.session.commit()
    tables, events = {model: count(model) for model in (Process, Action, PendingImport)}, count(AuditEvent)
    expected = rehearse(manager, unit, appendix_xlsx())
    assert not expected.ok and expected.changes  # processes and risks were created before the error

    confirmed = client.post(preview_url)
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(preview_url)
    assert {model: count(model) for model in tables} == tables and count(AuditEvent) == events

    page = client.get(preview_url)
    assert page.status_code == 400
    assert OUTCOME_CHANGED in page.text and "Bekräfta import" not in page.text
    shown = Tables(page.text).tables
    assert shown["Fel"] == expected_tables(expected)["Fel"]
    assert ["Bilaga 7", "5", "Konsekvens"] in [row[:3] for row in shown["Fel"]]
    # Confirming what the page now shows (errors) still keeps nothing, and says why without a second warning.
    again = client.post(preview_url)
    assert again.status_code == 400 and "Importen kan inte genomföras" in again.text
    assert OUTCOME_CHANGED not in again.text
    assert {model: count(model) for model in tables} == tables and count(AuditEvent) == events


def create_mottagning(make_process, **_):
    make_process(title="Mottagning")


def anna_joins(make_user, **_):
    make_user(role=Role.OWNER, email="anna@exempel.se", name="Anna Andersson")


def lock_the_year(unit, **_):
    db.session.add(Plan(unit=unit, year=YEAR, status=PlanStatus.LOCKED))
    db.session.commit()


@pytest.mark.parametrize("change", [create_mottagning, anna_joins, lock_the_year],
                         ids=["the process now exists", "a named person now exists", "the year was locked"])
def test_a_change_between_preview_and_confirm_that_changes_the_outcome_is_caught(app, client, manager, unit,
                                                                                   make_process, make_user, change):
    preview_url = upload(client, unit, appendix_xlsx())
    before = client.get(preview_url).text
    change(unit=unit, make_process=make_process, make_user=make_user)
    processes, events = count(Process), count(AuditEvent)

    confirmed = client.post(preview_url)
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(preview_url)
    assert count(Process) == processes and count(AuditEvent) == events and count(PendingImport) == 1

    with recorded() as seen:
        page = client.get(preview_url)
    assert [s for s in seen["statements"] if s.startswith(WRITING)] == []
    assert OUTCOME_CHANGED in page.text
    now = rehearse(manager, unit, appendix_xlsx())
    assert Tables(page.text).tables == expected_tables(now) != Tables(before).tables
    if now.ok:
        # The person has now seen what the import does: confirming applies it.
        assert client.post(preview_url).status_code == 302
        assert count(Process) == 3 and count(PendingImport) == 0
    else:
        assert page.status_code == 400 and "låst" in page.text
        assert count(Process) == processes
