"""Languages in a real browser: the header's switcher works without JavaScript, on a phone as on
a desktop, and the browser's own language is the default."""
import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_the_sign_in_page_switches_to_thai_without_javascript(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/login")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

        switcher = page.get_by_label("Language")
        expect(switcher).to_be_visible()
        switcher.select_option("th")
        page.get_by_role("button", name="Change", exact=True).click()

        expect(page).to_have_url(f"{live_server}/login")
        expect(page.locator("html")).to_have_attribute("lang", "th")
        expect(page.get_by_role("heading", level=1)).to_have_text("เข้าสู่ระบบ")
        expect(page.get_by_label("รหัสผ่าน")).to_be_visible()
        expect(page.get_by_role("link", name="ลืมรหัสผ่านใช่ไหม")).to_be_visible()
        expect(page.get_by_label("ภาษา")).to_have_value("th")

        # The choice lasts while signing in, and the switcher goes back to where it was used.
        page.get_by_label("อีเมล").fill("coordinator.ph@example.org")
        page.get_by_label("รหัสผ่าน").fill("demo-password")
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        expect(page.locator("html")).to_have_attribute("lang", "th")
        expect(page).to_have_url(f"{live_server}/")
        # (below 1 200 px the menu is collapsed: its sign-out button is there, not shown)
        expect(page.locator("form[action='/logout'] button")).to_have_text("ออกจากระบบ")
        page.goto(f"{live_server}/countries")
        page.get_by_label("ภาษา").select_option("vi")
        page.get_by_role("button", name="เปลี่ยน", exact=True).click()  # "Change", in Thai
        expect(page).to_have_url(f"{live_server}/countries")
        expect(page.locator("html")).to_have_attribute("lang", "vi")
    finally:
        context.close()


def test_a_vietnamese_browser_gets_the_sign_in_page_in_vietnamese(browser, live_server):
    context = browser.new_context(locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(f"{live_server}/login")
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
        expect(page.get_by_label("Mật khẩu")).to_be_visible()
    finally:
        context.close()
