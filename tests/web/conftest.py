"""Fixtures of the web tests that need a real server or a real browser.

* ``web_server`` — one real uvicorn per xdist worker (session scope) serving
  ``ssblab.web.app:create_app`` on 127.0.0.1 with no workspace (an in-memory session), started
  by ``benchmarks/web_server.py`` in a subprocess with a ``TMPDIR`` of its own, stopped at the end.
* pytest-playwright's ``browser`` / ``page`` fixtures, pointed at Debian's Chromium
  (``executable_path``): Playwright's own browser download is not available on this project's
  machines. One browser per xdist worker and test module (see ``playwright`` below), a fresh
  context (and profile: Playwright launches it on a temporary user-data dir) per test.
  Without a ``chromium`` binary — ``make test`` and ``.ci/run`` install Debian's package when they
  run as root — the browser tests are skipped with the reason, and the suite's skip summary
  (``tests/conftest.py``) counts them.
* ``page_watch`` — records a page's console errors, uncaught exceptions and every request URL,
  so a test can assert that the app works offline (no request leaves the server's origin).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from web_server import LiveServer, start_server  # noqa: E402

# These flags matter here: without the background-networking ones Chromium keeps dialling
# Google's services, whose connections the closed network refuses (console noise, slow start).
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = (
    "chromium not installed (Debian package `chromium`; make test and .ci/run install it when "
    "run as root with apt-get)"
)


def chromium_executable() -> str | None:
    """Debian's Chromium (``SSBLAB_CHROMIUM`` overrides the ``chromium`` on PATH)."""
    return os.environ.get("SSBLAB_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def web_server(tmp_path_factory) -> LiveServer:
    server = start_server(tmp_path_factory.mktemp("web-server"))
    yield server
    server.stop()


# --------------------------------------------------------------------- pytest-playwright set-up


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = chromium_executable()
    if executable is None:
        pytest.skip(NO_CHROMIUM)
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


# Playwright, its browser type and the browser live for one test module, not the session (as in
# pytest-playwright): while a sync Playwright is alive, the thread that started it looks as if
# it ran an asyncio loop, and asyncio.run() — in any later test of the same xdist worker — fails
# with "cannot be called from a running event loop". The browser tests are one module, so this
# is still one browser per xdist worker, stopped when the worker moves on to other tests.
@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    started = sync_playwright().start()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser):
    from playwright.sync_api import Error as PlaywrightError

    try:
        launched = launch_browser()
    except PlaywrightError as exc:
        pytest.skip(f"chromium could not start: {str(exc).strip().splitlines()[0]}")
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def browser_context_args(web_server):
    # not pytest-playwright's (its base_url fixture warns under pytest 9): the live server's
    return {
        "base_url": web_server.url,
        "accept_downloads": True,
        "viewport": {"width": 1280, "height": 900},
    }


@dataclass
class PageWatch:
    """What a page did: console errors, uncaught exceptions, every request's URL."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # responses >= 400: "status URL"

    def foreign_requests(self) -> list[str]:
        local = (self.origin + "/", "data:", "blob:", "about:")
        return [url for url in self.requests if url != self.origin and not url.startswith(local)]

    def assert_clean(self) -> None:
        assert self.requests, "the page made no request at all"
        assert not self.foreign_requests(), (
            f"requests outside {self.origin} (the app must work offline): {self.foreign_requests()}"
        )
        assert not self.page_errors, f"uncaught exceptions in the page: {self.page_errors}"
        hint = ""
        if not self.failed and any("404" in e for e in self.console_errors):
            # the browser's own requests (the favicon) are not the page's: no response event
            hint = "; a 404 outside the page's requests: Chromium's GET /favicon.ico"
        assert not self.console_errors, (
            f"console errors: {self.console_errors} (responses >= 400: {self.failed}{hint})"
        )


@pytest.fixture
def page_watch(page, web_server) -> PageWatch:
    from playwright.sync_api import expect

    watch = PageWatch(web_server.url)
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    page.on("request", lambda r: watch.requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and watch.failed.append(f"{r.status} {r.url}"))
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)  # an analysis can take seconds on 2 busy cores
    return watch
