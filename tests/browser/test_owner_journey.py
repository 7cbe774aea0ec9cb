"""A processägare's year-end round in a real browser: sign in, reassess a risk, record an egenkontroll, finish an
åtgärd, and see the riskmatris move. Everything goes through the pages, with real CSRF tokens."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    DESKTOP,
    TABLET,
    main_nav,
    matrix_count,
    screenshot,
    sign_in,
)
from tests.conftest import TEST_TODAY, TEST_YEAR

# Demo content (app/demo/content_*.py): Anna Berg owns the process of this risk, is responsible for the
# egenkontroll that follows it up and for the åtgärd still under way that treats it.
OWNER_EMAIL = "agare@exempel.se"
OWNER_NAME = "Anna Berg"
RISK = "Skyddsbedömningen görs inte, eller dokumenteras inte, samma dag som anmälan kommer in"
CONTROL = "Journalgranskning av skydds- och förhandsbedömningar"
ACTION = "Checklista för skyddsbedömning i verksamhetssystemet"


@pytest.mark.browser
def test_login_page_starts_with_the_skip_link_then_the_form(page: Page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/logga-in"))
    expect(page.get_by_role("heading", level=1, name="Logga in")).to_be_visible()
    screenshot(page, "01-logga-in")

    # The e-mail field has autofocus. Backwards from it: the brand link, the skip link, then out of the page.
    email = page.get_by_label("E-postadress")
    expect(email).to_be_focused()
    skip_link = page.get_by_role("link", name="Hoppa till innehållet")
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Riskregistret")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement === document.body || document.activeElement === null"), (
        "the skip link must be the first thing Tab reaches"
    )
    # Forwards again from the top, as a keyboard user arriving at the page.
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Riskregistret")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-postadress")).to_be_focused()
    page.keyboard.type(OWNER_EMAIL)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lösenord")).to_be_focused()
    page.keyboard.type("demo1234")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Logga in")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Mitt arbete"))).to_be_visible()


@pytest.mark.browser
def test_wrong_password_is_refused_on_the_form(page: Page):
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(OWNER_EMAIL)
    page.get_by_label("Lösenord").fill("fel-losenord")
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_have_text("Fel e-postadress eller lösenord.")
    expect(page.get_by_label("E-postadress")).to_have_value(OWNER_EMAIL)
    expect(main_nav(page)).to_have_count(0)


@pytest.mark.browser
def test_owner_reassesses_checks_and_completes_and_the_matrix_follows(page: Page):
    sign_in(page, OWNER_EMAIL)
    expect(page.get_by_text(f"Hej {OWNER_NAME}!")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Mina processer och risker {TEST_YEAR}")).to_be_visible()
    expect(page.get_by_role("link", name=RISK)).to_be_visible()
    screenshot(page, "02-mitt-arbete")
    page.set_viewport_size(TABLET)
    expect(main_nav(page).get_by_role("link", name="Riskmatris")).to_be_visible()
    screenshot(page, "02-mitt-arbete-surfplatta")
    page.set_viewport_size(DESKTOP)

    # The risk list, filtered to her own risks.
    with page.expect_navigation():
        main_nav(page).get_by_role("link", name="Risker").click()
    expect(page.get_by_role("heading", level=1, name=f"Risker {TEST_YEAR}")).to_be_visible()
    page.get_by_label("Processägare").select_option(label=OWNER_NAME)
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile(r"[?&]ansvarig=\d+"))
    risk_table = page.get_by_role("table", name=f"Risker {TEST_YEAR}")
    risk_rows = risk_table.get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(risk_rows.filter(has_text=RISK)).to_have_count(1)
    for row in risk_rows.all():
        expect(row).to_contain_text(OWNER_NAME)
    screenshot(page, "03-risker")
    with page.expect_navigation():
        risk_table.get_by_role("link", name=RISK).click()
    risk_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text(RISK)

    # What the risk is assessed at now, read from the form she is about to change.
    old_likelihood = int(page.get_by_label("Sannolikhet", exact=True).input_value())
    consequence = int(page.get_by_label("Konsekvens", exact=True).input_value())
    new_likelihood = 1 if old_likelihood != 1 else 2
    new_score = new_likelihood * consequence

    # The riskmatris of her unit before the change.
    with page.expect_navigation():
        main_nav(page).get_by_role("link", name="Riskmatris").click()
    expect(page.get_by_role("heading", level=1, name=f"Riskmatris {TEST_YEAR}")).to_be_visible()
    expect(page.get_by_text("Barn- och familjeenheten").first).to_be_visible()
    old_cell_before = matrix_count(page, old_likelihood, consequence)
    new_cell_before = matrix_count(page, new_likelihood, consequence)
    assert old_cell_before >= 1, "the risk's own cell must count it"
    screenshot(page, "04-riskmatris-fore")

    # Back to the risk (the browser's back button) and reassess it.
    page.go_back()
    expect(page).to_have_url(risk_url)
    assessment = page.get_by_role("region", name=f"Bedömning {TEST_YEAR}")
    assessment.get_by_label("Sannolikhet", exact=True).select_option(str(new_likelihood))
    assessment.get_by_label("Konsekvens", exact=True).select_option(str(consequence))
    assessment.get_by_label("Status", exact=True).select_option(label="Åtgärdad")
    comment = assessment.get_by_label("Kommentar")
    comment.fill("")
    comment.press_sequentially("Checklistan används i varje skyddsbedömning sedan hösten.")
    with page.expect_navigation():
        assessment.get_by_role("button", name="Spara bedömningen").click()
    expect(page.get_by_role("status").filter(has_text="Bedömningen")).to_have_text(
        f"Bedömningen för {TEST_YEAR} är sparad."
    )
    assessment = page.get_by_role("region", name=f"Bedömning {TEST_YEAR}")
    expect(assessment).to_contain_text(re.compile(rf"Riskvärde\s*{new_score}\b"))
    expect(assessment).to_contain_text("Åtgärdad")
    expect(assessment.get_by_label("Sannolikhet", exact=True)).to_have_value(str(new_likelihood))
    expect(assessment.get_by_label("Status", exact=True)).to_have_value("resolved")
    this_year = page.get_by_role("region", name="Över åren").get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=str(TEST_YEAR))
    )
    expect(this_year.get_by_role("cell").nth(0)).to_have_text(str(new_likelihood))
    expect(this_year.get_by_role("cell").nth(2)).to_contain_text(str(new_score))
    screenshot(page, "05-risk")

    # An egenkontroll that follows up the risk: record this year's check with its findings.
    with page.expect_navigation():
        page.get_by_role("region", name="Egenkontroller som följer upp risken").get_by_role(
            "link", name=CONTROL
        ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CONTROL)
    performed_on = TEST_TODAY.isoformat()
    findings = "Två av tolv skyddsbedömningar saknade datum för beslutet."
    record = page.get_by_role("region", name=f"Registrera genomförande {TEST_YEAR}")
    record.get_by_label("Datum").fill(performed_on)
    record.get_by_label("Resultat").select_option(label="Brister funna")
    record.get_by_label("Iakttagelser").fill(findings)
    with page.expect_navigation():
        record.get_by_role("button", name="Registrera genomförandet").click()
    expect(page.get_by_role("status")).to_have_text(f"Genomförandet {performed_on} är registrerat för {TEST_YEAR}.")
    check_row = page.get_by_role("region", name="Genomföranden").get_by_role("row").filter(has_text=findings)
    expect(check_row).to_have_count(1)
    expect(check_row).to_contain_text(performed_on)
    expect(check_row).to_contain_text("Brister funna")
    expect(check_row).to_contain_text(OWNER_NAME)
    screenshot(page, "06-egenkontroll")

    # Back to the risk through the egenkontroll's list of risks, then the åtgärd that treats it.
    with page.expect_navigation():
        page.get_by_role("region", name="Risker som följs upp").get_by_role("link", name=RISK).click()
    followed = page.get_by_role("region", name="Egenkontroller som följer upp risken").get_by_role("row").filter(
        has_text=CONTROL
    )
    expect(followed).to_contain_text(f"senast {performed_on} (Brister funna)")
    actions = page.get_by_role("region", name="Åtgärder som hanterar risken")
    with page.expect_navigation():
        actions.get_by_role("link", name=ACTION).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACTION)
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("✓")
    follow_up = "Checklistan finns i verksamhetssystemet och används i alla nya ärenden."
    page.get_by_role("textbox", name="Uppföljning").fill(follow_up)
    with page.expect_navigation():
        page.get_by_role("button", name="Markera som genomförd").click()
    expect(page.get_by_role("status")).to_have_text("Åtgärden är markerad som genomförd ✓")
    expect(page.get_by_role("heading", level=1)).to_contain_text("✓")
    expect(page.get_by_role("button", name="Markera som genomförd")).to_have_count(0)
    expect(page.get_by_role("region", name="Uppföljning")).to_contain_text(follow_up)
    screenshot(page, "07-atgard")

    # The risk page now marks the åtgärd done.
    with page.expect_navigation():
        page.get_by_role("region", name="Risker som åtgärden hanterar").get_by_role("link", name=RISK).click()
    done_row = page.get_by_role("region", name="Åtgärder som hanterar risken").get_by_role("row").filter(
        has_text=ACTION
    )
    expect(done_row).to_contain_text("✓")
    expect(done_row).to_contain_text("Genomförd")

    # The riskmatris again: the risk has moved from its old cell to the new one.
    with page.expect_navigation():
        main_nav(page).get_by_role("link", name="Riskmatris").click()
    expect(page.get_by_role("heading", level=1, name=f"Riskmatris {TEST_YEAR}")).to_be_visible()
    assert matrix_count(page, old_likelihood, consequence) == old_cell_before - 1
    assert matrix_count(page, new_likelihood, consequence) == new_cell_before + 1
    screenshot(page, "08-riskmatris-efter")

    # And the new cell leads to a list that holds the risk.
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(
            rf"^Sannolikhet {new_likelihood} .*, konsekvens {consequence} .*: \d+ risk"
        )).click()
    expect(page.get_by_role("table", name=f"Risker {TEST_YEAR}").get_by_role("link", name=RISK)).to_be_visible()
