"""Fixtures for real browser tests: the app over real HTTP, driven by Debian's Chromium.

Why a real browser: the test client never parses HTML, runs CSS or follows a form the way a
reader does; axe-core needs a rendered page (colours, focus, the accessibility tree). The app
is the ``app`` fixture of tests/web/conftest.py (the demo source harvested into a catalogue)
served by werkzeug on 127.0.0.1 with an ephemeral port; the socket is bound before the thread
starts, so no test waits for readiness. Chromium is the distribution's package (found through
``ALLMENDE_CHROMIUM`` or ``PATH``), never a browser Playwright downloads: CI installs nothing
but Debian, PyPI and npm packages.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM_ENV = "ALLMENDE_CHROMIUM"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking"]


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    """SQLite only: the browser sees the same pages on PostgreSQL, and each run is slow enough."""
    yield f"sqlite:///{tmp_path / 'catalogue' / 'allmende.db'}"


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The application on a real HTTP server; its base URL without a trailing slash."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_path() -> str | None:
    return os.environ.get(CHROMIUM_ENV) or shutil.which("chromium")


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all browser tests (starting it is the slow part); closed when
    they are done, not held open through the rest of the suite."""
    executable = chromium_path()
    if not executable:
        pytest.skip("Browser tests need Chromium: apt-get install chromium (.ci/run does it), "
                    f"or set {CHROMIUM_ENV} to a Chromium executable.")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Browser tests need Playwright: scripts/bootstrap test")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., object]]:
    """Factory: ``new_page(**context_options)``, a page in a fresh context (no cookies).

    The browser speaks German (``locale="de-DE"``, so ``Accept-Language: de-DE``) like the
    readers the site is for; headless Chromium would otherwise ask for English and get it."""
    contexts = []

    def make(**options):
        options.setdefault("locale", "de-DE")
        contexts.append(browser.new_context(**options))
        page = contexts[-1].new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page as a reader gets it: the app's own CSP applies."""
    return new_page()
