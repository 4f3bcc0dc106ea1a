"""The page shell on every screen: the menu opens without JavaScript on a phone and a tablet
(with the notifications and sign-out in it), stacked table rows and readable text on phones,
and printing shows the content alone."""
import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}


def new_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="en-GB", **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_the_menu_opens_without_javascript(browser, live_server, sign_in, viewport):
    context, page = new_page(browser, viewport, java_script_enabled=False)
    try:
        sign_in(page, live_server, "coordinator.ph@example.org")
        notifications = page.get_by_role("link", name="Notifications")
        sign_out = page.get_by_role("button", name="Sign out")
        # Folded: the menu's entries are hidden behind one visible toggle.
        expect(notifications).to_be_hidden()
        expect(sign_out).to_be_hidden()
        menu = page.locator("summary", has_text="Menu")
        expect(menu).to_be_visible()
        menu.click()
        expect(page.get_by_role("link", name="Action items")).to_be_visible()
        expect(sign_out).to_be_visible()
        expect(notifications).to_be_visible()
        notifications.click()
        expect(page).to_have_url(f"{live_server}/notifications")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # The menu closes again with the same toggle, and signing out works from it.
        menu = page.locator("summary", has_text="Menu")
        menu.click()
        expect(sign_out).to_be_visible()
        menu.click()
        expect(sign_out).to_be_hidden()
        menu.click()
        sign_out.click()
        expect(page).to_have_url(f"{live_server}/login")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    finally:
        context.close()


def test_the_menu_is_one_row_without_javascript_on_a_wide_screen(browser, live_server, sign_in):
    context, page = new_page(browser, {"width": 1280, "height": 800}, java_script_enabled=False)
    try:
        sign_in(page, live_server, "coordinator.ph@example.org")
        expect(page.get_by_role("link", name="Notifications")).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    finally:
        context.close()


def test_with_javascript_the_phone_menu_shows_one_toggle(browser, live_server, sign_in):
    context, page = new_page(browser, PHONE)
    try:
        sign_in(page, live_server, "coordinator.ph@example.org")
        expect(page.locator("summary", has_text="Menu")).to_be_hidden()
        expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
        page.get_by_role("button", name="Show the menu").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        expect(page.get_by_role("link", name="Notifications")).to_be_visible()
    finally:
        context.close()


def test_on_a_phone_stacked_tables_and_readable_text(browser, live_server, sign_in):
    context, page = new_page(browser, PHONE)
    try:
        sign_in(page, live_server, "coordinator.ph@example.org")
        page.locator("main").evaluate("""main => main.insertAdjacentHTML('beforeend',
            '<table class="table table-stack" id="stack"><thead><tr><th>Title</th><th>State</th></tr></thead>'
            + '<tbody><tr><td>An item</td><td data-label="State">Draft</td></tr></tbody></table>'
            + '<p class="small" id="fine">Fine print</p>')""")
        state = page.locator("#stack td[data-label]")
        label = state.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label == '"State"'
        assert state.evaluate("cell => getComputedStyle(cell).display") == "grid"
        expect(page.locator("#stack thead th").first).not_to_be_in_viewport()
        row = page.locator("#stack tbody tr").bounding_box()
        assert row["width"] <= PHONE["width"]
        size = page.locator("#fine").evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
        assert size >= 13
        # The page itself does not scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_printing_shows_the_content_alone(browser, live_server, sign_in):
    context, page = new_page(browser, {"width": 1280, "height": 800})
    try:
        sign_in(page, live_server, "coordinator.ph@example.org")
        page.goto(f"{live_server}/countries")
        page.emulate_media(media="print")
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
        expect(page.locator("body > footer")).to_be_hidden()
        expect(page.get_by_label("Language")).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        main = page.locator("main").bounding_box()
        assert main["width"] >= 1200
        for button in page.locator("main button, main .btn").all():
            expect(button).to_be_hidden()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    finally:
        context.close()
