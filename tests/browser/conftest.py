"""Browser fixtures: the demo register served on a real port, driven by Debian's Chromium through Playwright.

One live server and one browser serve the whole session; every test gets a fresh browser context, so it starts
signed out with no cookies. The server runs with real CSRF protection, as in production.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.browser.helpers import DESKTOP
from tests.conftest import TEST_YEAR, app_config

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright waits this long for an element or a navigation before failing the test.
TIMEOUT_MS = 10_000


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr for every request the browser makes."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class LiveServer:
    """The running demo app: its base URL, and the Flask app for checking the database directly."""

    def __init__(self, app, url: str) -> None:
        self.app = app
        self.url = url
        self.server_errors: list[str] = []

    def __str__(self) -> str:
        return self.url


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The demo municipality, migrated and loaded through the CLI, served by werkzeug in a daemon thread."""
    import flask_migrate
    from flask import got_request_exception

    from app import create_app
    from app.extensions import db

    directory = Path(tempfile.mkdtemp(prefix="riskregistret-browser-"))
    database_url = f"sqlite:///{directory / 'browser.sqlite3'}"
    # The demo's story is told relative to the year it is loaded for; the server pages use that same year.
    # DATABASE_URL only while the app is built and loaded, so nothing that reads the environment looks elsewhere
    # (and other tests never see it).
    with mock.patch.dict(os.environ, {"DATABASE_URL": database_url}):
        app = create_app(app_config(database_url, WTF_CSRF_ENABLED=True, CURRENT_YEAR=TEST_YEAR))
        with app.app_context():
            flask_migrate.upgrade()
        result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "agare@exempel.se" in result.output

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    live = LiveServer(app, f"http://127.0.0.1:{server.server_port}")

    def remember_error(sender, exception, **extra) -> None:
        live.server_errors.append(repr(exception))

    got_request_exception.connect(remember_error, app)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        got_request_exception.disconnect(remember_error, app)
        with app.app_context():
            db.engine.dispose()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (CHROMIUM_PATH overrides); skipped where it is not installed."""
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.skip("Chromium not installed (CI installs Debian's chromium)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def context(browser, live_server: LiveServer):
    """A fresh browser context per test: new cookies, desktop viewport, Swedish locale."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context, live_server: LiveServer):
    """A page that fails the test if any response was a server error (5xx) or the app raised."""
    page = context.new_page()
    failures: list[str] = []
    page.on("response", lambda response: failures.append(f"{response.status} {response.url}")
            if response.status >= 500 else None)
    errors_before = len(live_server.server_errors)
    yield page
    assert not failures, f"server errors while the test ran: {failures}"
    assert live_server.server_errors[errors_before:] == [], "the app raised while the test ran"
