"""A läsare reads the register in a real browser but is offered no way to change it, and a hand-made POST with
her own session and a valid CSRF token is refused with 403 and changes nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.helpers import main_nav, screenshot, sign_in
from tests.conftest import TEST_YEAR

READER_EMAIL = "lasare@exempel.se"
READER_NAME = "Maja Lind"
# Demo content: a risk of her own unit, the egenkontroll that follows it up and an åtgärd still under way.
# The processägare's journey changes other items, so this one holds still whatever order the tests run in.
RISK = "Barnets egen berättelse och synpunkter framgår inte av utredningen"
CONTROL = "Ärendegenomgång om barnets delaktighet"
ACTION = "Krav på dokumenterat barnsamtal innan utredningen avslutas"
EDITING = re.compile(
    r"^(Spara bedömningen|Redigera|Arkivera|Återställ|Ta bort|Markera som genomförd|Registrera genomförandet|"
    r"Koppla|Ny egenkontroll|Ny åtgärd)"
)


def expect_nothing_to_edit(page: Page) -> None:
    content = page.get_by_role("main")
    expect(content.get_by_role("button", name=EDITING)).to_have_count(0)
    expect(content.get_by_role("link", name=EDITING)).to_have_count(0)
    expect(content.get_by_role("combobox")).to_have_count(0)
    expect(content.get_by_role("textbox")).to_have_count(0)


def assessment_snapshot(live_server, risk_id: int) -> tuple:
    """This year's assessment of the risk as stored, read with the app's own models beside the running server."""
    from app.extensions import db
    from app.models import Assessment, AuditEvent

    with live_server.app.app_context():
        assessment = db.session.scalar(
            select(Assessment).where(Assessment.risk_id == risk_id, Assessment.year == TEST_YEAR)
        )
        events = db.session.scalars(select(AuditEvent.id)).all()
        state = (
            assessment.likelihood,
            assessment.consequence,
            assessment.status.value,
            assessment.comment,
            assessment.version,
            len(events),
        )
        db.session.remove()
    return state


@pytest.mark.browser
def test_reader_sees_no_edit_controls_and_a_forged_post_is_refused(page: Page, live_server):
    sign_in(page, READER_EMAIL, press_enter=True)
    expect(page.get_by_text(f"Hej {READER_NAME}!")).to_be_visible()

    with page.expect_navigation():
        main_nav(page).get_by_role("link", name="Risker").click()
    with page.expect_navigation():
        page.get_by_role("table", name=f"Risker {TEST_YEAR}").get_by_role("link", name=RISK).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(RISK)
    risk_id = int(re.search(r"/risker/(\d+)", page.url).group(1))
    assessment = page.get_by_role("region", name=f"Bedömning {TEST_YEAR}")
    expect(assessment).to_contain_text(re.compile(r"Riskvärde\s*\d+"))
    score_before = assessment.inner_text()
    expect_nothing_to_edit(page)
    screenshot(page, "09-lasare-risk")

    with page.expect_navigation():
        page.get_by_role("region", name="Egenkontroller som följer upp risken").get_by_role(
            "link", name=CONTROL
        ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CONTROL)
    expect(page.get_by_text("Du kan inte registrera genomföranden för den här egenkontrollen.")).to_be_visible()
    expect_nothing_to_edit(page)

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_contain_text(RISK)
    with page.expect_navigation():
        page.get_by_role("region", name="Åtgärder som hanterar risken").get_by_role("link", name=ACTION).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACTION)
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("✓")
    expect_nothing_to_edit(page)

    # A forged assessment, sent with her own cookies and the CSRF token of the logout form every page carries.
    stored_before = assessment_snapshot(live_server, risk_id)
    token = page.locator('form[action$="/logga-ut"] input[name="csrf_token"]').input_value()
    assert token
    forged = {
        "csrf_token": token,
        "ar": str(TEST_YEAR),
        "year": str(TEST_YEAR),
        "version": str(stored_before[4]),
        "likelihood": "1",
        "consequence": "1",
        "status": "closed",
        "comment": "Ändrad av en läsare",
    }
    url = f"{live_server.url}/risker/{risk_id}/bedomning"
    without_token = page.request.post(url, form={**forged, "csrf_token": "fel"}, max_redirects=0)
    assert without_token.status == 400, "CSRF protection is on: a wrong token is refused before anything else"
    refused = page.request.post(url, form=forged, max_redirects=0)
    assert refused.status == 403, refused.text()[:500]
    assert "Åtkomst nekad" in refused.text()

    assert assessment_snapshot(live_server, risk_id) == stored_before
    page.goto(f"/risker/{risk_id}")
    expect(page.get_by_role("region", name=f"Bedömning {TEST_YEAR}")).to_have_text(score_before)
    expect(page.get_by_text("Ändrad av en läsare")).to_have_count(0)
    # Still signed in as herself: the refusal did not end the session.
    expect(page.get_by_text(READER_NAME).first).to_be_visible()
