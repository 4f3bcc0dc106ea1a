"""Browser tests: the demo app served for real, driven by headless Chromium through Playwright.

They build their own app on SQLite (not the ``app`` fixture, so they are not run twice
over PostgreSQL) and keep CSRF protection on. Without Playwright or Chromium they are
skipped, unless ``REQUIRE_BROWSER=1`` (as in CI), which makes them fail.
"""
import os
from pathlib import Path

import browser_support
import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser carries the ``browser`` marker."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"REQUIRE_BROWSER is set but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    executable = browser_support.chromium_path()
    if not os.access(executable, os.X_OK):
        _unavailable(f"no Chromium at {executable} (install chromium or set CHROMIUM_PATH)")
    playwright = sync_playwright().start()
    try:
        try:
            browser = browser_support.launch_chromium(playwright)
        except PlaywrightError as error:
            _unavailable(f"Chromium at {executable} did not start: {error.message.splitlines()[0]}")
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def live_server(tmp_path):
    """The base URL of the demo app, served on a free port for this one test."""
    with browser_support.live_server(tmp_path / "live.sqlite") as base_url:
        yield base_url


@pytest.fixture
def page(browser):
    """A page in a fresh browser context (no cookies shared between tests)."""
    context = browser.new_context(viewport=browser_support.VIEWPORT, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_page(browser):
    """A page as ``page``, whose CSP lets the test add axe-core (as the accessibility test's pages do)."""
    context = browser.new_context(viewport=browser_support.VIEWPORT, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture(name="sign_in")
def sign_in_fixture():
    """``sign_in(page, base_url, email, password="demo-password")``: signs in through the form."""
    return browser_support.sign_in
