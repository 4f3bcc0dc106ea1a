"""The pages under their content security policy, in a real browser: no violation is
reported on any page visited, and Bootstrap's script (a static file) still runs."""
import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

PAGES = {
    "coordinator.ph@example.org": ["/", "/items", "/items/new", "/countries", "/countries/PH", "/account",
                                   "/notifications", "/help/workflow", "/cycles", "/countries/PH/targets"],
    "secretariat@example.org": ["/", "/compliance", "/compliance/scorecard", "/cycles", "/cycles/new", "/templates"],
}


def watch_violations(page) -> list[str]:
    """Every CSP violation the page reports: the console's messages and the DOM events."""
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    page.add_init_script("""
        document.addEventListener("securitypolicyviolation", (event) => {
            console.error("Content Security Policy violation: " + event.violatedDirective + " " + event.blockedURI);
        });
    """)
    return found


@pytest.mark.parametrize("email", list(PAGES))
def test_no_page_breaks_the_policy(page, live_server, sign_in, email):
    violations = watch_violations(page)
    sign_in(page, live_server, email)
    for path in PAGES[email]:
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        assert violations == [], (path, violations)


def test_bootstrap_script_runs_under_the_policy(page, live_server, sign_in):
    """On a narrow screen the menu folds behind a button; Bootstrap's script opens it."""
    violations = watch_violations(page)
    page.set_viewport_size({"width": 600, "height": 800})
    sign_in(page, live_server, "coordinator.ph@example.org")
    menu = page.locator("#main-nav")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="Show the menu").click()
    expect(menu).to_be_visible()
    expect(page.get_by_role("button", name="Show the menu")).to_have_attribute("aria-expanded", "true")
    assert violations == []
