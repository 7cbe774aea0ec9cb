"""What the browser tests do again and again: sign in, read the riskmatris, take a screenshot."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

DEMO_PASSWORD = "demo1234"
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD, *, press_enter: bool = False) -> None:
    """Sign in through the login form as a person would: by label, then the button (or Enter in the password)."""
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    with page.expect_navigation():
        if press_enter:
            page.get_by_label("Lösenord").press("Enter")
        else:
            page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Mitt arbete"))).to_be_visible()


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Huvudmeny")


def matrix_count(page: Page, likelihood: int, consequence: int) -> int:
    """The number a riskmatris cell shows, read from its accessible description.

    Every cell, empty or not, is described as "Sannolikhet L <label>, konsekvens K <label>: N risk(er), …".
    """
    heat_map = page.get_by_role("table", name=re.compile(r"^Riskmatris"))
    cells = heat_map.locator(f'[title^="Sannolikhet {likelihood} "][title*=", konsekvens {consequence} "]')
    expect(cells).to_have_count(1)
    description = cells.get_attribute("title") or ""
    found = re.search(r": (\d+) risk(er)?, riskvärde", description)
    assert found, f"unexpected cell description: {description!r}"
    shown = int(cells.inner_text().split()[0])
    assert shown == int(found.group(1)), f"the cell shows {shown} but is described as {description!r}"
    return shown


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot under test-artifacts/screenshots/, for people to look at after a CI run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
