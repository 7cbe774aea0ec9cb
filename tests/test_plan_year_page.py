"""The unit's year page and its Excel download: who may see them, what they count, what the file holds."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from app.core.services.actions import complete_action
from app.core.services.controls import record_check
from app.core.services.risks import link_action
from app.excel.layout import APPENDIX_SHEET, REGISTER_SHEET
from app.extensions import db
from app.models import ActionStatus, CheckOutcome, Role
from app.plans.locking import lock_year
from tests.conftest import TEST_YEAR
from tests.query_counter import count_queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def year_data(make_process, make_risk, make_assessment, make_control, make_action):
    """2 processes; 3 risks, 2 assessed; 3 egenkontroller, 1 carried out; 4 åtgärder: 1 done, 2 open (1 late)."""
    make_process(title="Mottagning")  # first in the plan's order, as a unit's flow would have it
    process = make_process(title="Utredning")
    risk = make_risk(process, title="Sen utredning")
    make_assessment(risk, likelihood=3, consequence=4)
    make_assessment(make_risk(process, title="Bristande delaktighet"), likelihood=1, consequence=1)
    make_risk(process, title="Inte bedömd")
    done_check, not_done, never = (make_control(title=t) for t in ("Journalgranskning", "Enkät", "Stickprov"))
    record_check(None, done_check, performed_on=date(TEST_YEAR, 2, 1), outcome=CheckOutcome.DEFICIENCIES,
                 findings="Saknade underskrifter")
    record_check(None, not_done, performed_on=date(TEST_YEAR, 3, 1), outcome=CheckOutcome.NOT_PERFORMED)
    late = make_action(title="Sen åtgärd", due_on=date(TEST_YEAR, 1, 31))
    make_action(title="I tid", due_on=date(TEST_YEAR, 12, 31), status=ActionStatus.IN_PROGRESS)
    done = make_action(title="Klar åtgärd")
    make_action(title="Avbruten", status=ActionStatus.CANCELLED)
    complete_action(None, done, follow_up="Gjort", completed_on=date(TEST_YEAR, 4, 1))
    link_action(None, risk, late)
    db.session.commit()
    return risk


def page_text(client, unit, year: int = TEST_YEAR):
    return client.get(f"/enheter/{unit.id}/ar/{year}/")


def compact(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_year_page_shows_status_counts_and_links(client, login, make_user, unit, year_data):
    login(make_user(role=Role.READER))
    response = page_text(client, unit)

    assert response.status_code == 200
    html, text = response.text, compact(response.text)
    assert "Kvalitetsplan 2026" in text and "Barn- och familjeenheten" in text
    assert "Kvalitetsplanen för 2026: Utkast" in text
    assert "Processer 2" in text
    assert "2 bedömda 1 ej bedömda" in text
    assert "1 genomförda 2 ej genomförda" in text  # a check recorded as Ej genomförd does not count
    assert "2 öppna, varav 1 försenade 1 genomförda" in text
    assert f'href="/enheter/{unit.id}/riskmatris?ar={TEST_YEAR}"' in html
    assert f'href="/risker/?enhet={unit.id}&amp;ar={TEST_YEAR}"' in html
    assert f'action="/enheter/{unit.id}/ar/{TEST_YEAR}/export.xlsx"' in html
    for flag in ("riskvarde", "status", "ansvarig"):
        assert f'name="{flag}" value="1"' in html
    # A reader may neither lock the year nor carry it over.
    assert "Fastställ och lås" not in text and "För över" not in text


def test_a_manager_is_offered_the_yearly_cycle(client, login, make_user, unit, year_data):
    manager = login(make_user(role=Role.MANAGER))
    text = compact(page_text(client, unit).text)
    assert "Fastställ och lås år 2026" in text and "För över öppna risker till 2027" in text

    lock_year(manager, unit, TEST_YEAR)
    db.session.commit()
    text = compact(page_text(client, unit).text)
    assert "Kvalitetsplanen för 2026: Låst" in text and "Fastställ och lås" not in text


def test_the_page_is_for_readers_of_the_unit_only(client, login, make_user, make_unit, unit):
    other = make_unit(code="annan", name="Annan enhet")
    login(make_user(role=Role.MANAGER, unit=other))

    assert page_text(client, unit).status_code == 403
    assert client.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/export.xlsx").status_code == 403
    assert page_text(client, other).status_code == 200


def test_signing_in_is_needed(client, unit):
    response = client.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/export.xlsx")

    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]


def test_unknown_unit_or_year_is_404(client, login, make_user, unit):
    login(make_user(role=Role.ADMIN))

    assert client.get(f"/enheter/999999/ar/{TEST_YEAR}/").status_code == 404
    assert client.get(f"/enheter/{unit.id}/ar/1999/").status_code == 404


def test_a_reader_downloads_the_workbook(client, login, make_user, unit, year_data):
    login(make_user(role=Role.READER))
    response = client.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/export.xlsx?riskvarde=1&status=1")

    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == f"attachment; filename=Kvalitetsplan-bfe-{TEST_YEAR}.xlsx"
    assert "no-store" in response.headers["Cache-Control"]
    workbook = load_workbook(io.BytesIO(response.data))
    appendix = workbook[APPENDIX_SHEET]
    assert [cell.value for cell in appendix[2]] == ["Process", "Risk", "Egenkontroll", "Åtgärd", "Riskvärde", "Status"]
    # Mottagning (no risks) comes first in the plan's order; then Utredning with its risks.
    assert appendix["A3"].value == "Mottagning" and appendix["A4"].value == "Utredning"
    assert [appendix[f"{column}4"].value for column in "BDEF"] == ["Sen utredning", "Sen åtgärd", 12, "Ny"]
    refs = {row[1] for row in workbook[REGISTER_SHEET].iter_rows(min_row=2, values_only=True)}
    assert year_data.ref in refs


def test_without_options_the_table_has_its_four_columns(client, login, make_user, unit, year_data):
    login(make_user(role=Role.READER))
    response = client.get(f"/enheter/{unit.id}/ar/{TEST_YEAR}/export.xlsx")

    appendix = load_workbook(io.BytesIO(response.data))[APPENDIX_SHEET]
    assert [cell.value for cell in appendix[2]] == ["Process", "Risk", "Egenkontroll", "Åtgärd"]


def test_the_page_and_the_export_need_the_same_queries_however_large(client, login, make_user, unit, make_process,
                                                                    make_risk):
    login(make_user(role=Role.READER))
    process = make_process()
    counts = []
    for total in (5, 60):
        while len(process.risks) < total:
            make_risk(process, title=f"Risk {len(process.risks)}")
        for url in (f"/enheter/{unit.id}/ar/{TEST_YEAR}/", f"/enheter/{unit.id}/ar/{TEST_YEAR}/export.xlsx"):
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]
