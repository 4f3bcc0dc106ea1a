"""The action items as a new user meets them, in a real browser: a conflict told in one plain
sentence with the typed comment kept; cancelling behind a confirmation page (no JavaScript) and
reopening a cancelled item; a ministry chosen on the new-item form assigns the item; the list
and the item page on a phone; search that takes % and _ literally; due dates beyond reason
refused; the title focused and the actions before the comment box; GET on a form's address
back to the item; a due date that is no working day of the country pointed out."""
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import browser_support
import pytest
from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.items import service

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.ph@example.org"
DSWD = "staff.ph.dswd@example.org"
PHONE = {"width": 390, "height": 844}


def today() -> date:
    """Today in the Philippines (the demo coordinator's country)."""
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Manila")).date()


@pytest.fixture
def served(tmp_path):
    """(base URL, app) of a live demo server whose data a test arranges itself."""
    with browser_support.live_server_with_app(tmp_path / "live.sqlite") as served:
        yield served


def user(email):
    return db.session.scalar(select(User).where(User.email == email))


def ministry(acronym):
    return db.session.scalar(select(Ministry).where(Ministry.country_code == "PH", Ministry.acronym == acronym))


def make_item(app, title, *, state="draft", due=None, description=""):
    """An item of the Philippines, brought to ``state`` through the workflow; its id."""
    steps = {"draft": [], "assigned": ["assign"], "in_progress": ["assign", "accept"]}[state]
    with app.app_context():
        now = clock.now()
        due = due or (now.date() + timedelta(days=30))
        item = service.create_item(db.session, user(COORDINATOR), {
            "title": title, "description": description, "due_date": due.isoformat()}, now)
        for trigger in steps:
            actor = user(COORDINATOR if trigger == "assign" else DSWD)
            service.fire_trigger(db.session, actor, item.id, trigger, item.version, now,
                                 ministry_id=ministry("DSWD").id if trigger == "assign" else None)
        db.session.commit()
        return item.id


def fire_now(app, item_id, email, trigger, comment=""):
    with app.app_context():
        item = service.get_item(db.session, user(email), item_id)
        service.fire_trigger(db.session, user(email), item_id, trigger, item.version, clock.now(), comment=comment)
        db.session.commit()


def status(page):
    return page.locator("#item-status")


def actions(page):
    return page.get_by_role("region", name="What you can do")


# -- fault 2: a conflict in one plain sentence, the typed comment kept -------------------------------------


def test_a_conflict_says_who_did_what_and_keeps_the_comment(page, served, sign_in):
    base, app = served
    item_id = make_item(app, "Publish the social pension list", state="in_progress")
    sign_in(page, base, DSWD)
    page.goto(f"{base}/items/{item_id}")
    actions(page).locator("summary", has_text="Submit").click()
    typed = "The list is published on the DSWD site.\nThree regions still to confirm."
    actions(page).locator("details[open]").get_by_label("Comment (required)").fill(typed)
    # Meanwhile a colleague blocks it.
    fire_now(app, item_id, DSWD, "block", "The printer is broken.")
    actions(page).locator("details[open]").get_by_role("button", name="Submit", exact=True).click()
    alert = page.locator("#conflict")
    expect(alert).to_contain_text(re.compile(r"DSWD focal person, Philippines \(DSWD\) blocked this item at \d"))
    expect(alert).to_contain_text("Your comment is kept below.")
    body = page.locator("main").inner_text()
    assert "is not possible while the state" not in body and "Possible now" not in body
    expect(status(page)).to_contain_text("Blocked")
    expect(page.get_by_label("Add a comment")).to_have_value(typed)


def test_a_stale_version_keeps_the_comment_in_the_same_step(page, served, sign_in):
    base, app = served
    item_id = make_item(app, "Map the informal workers' schemes", state="in_progress")
    sign_in(page, base, DSWD)
    page.goto(f"{base}/items/{item_id}")
    actions(page).locator("summary", has_text="Mark as blocked").click()
    actions(page).locator("details[open]").get_by_label("Comment (required)").fill("Waiting for the census data.")
    with app.app_context():  # the coordinator edits the details meanwhile
        item = service.get_item(db.session, user(COORDINATOR), item_id)
        service.update_item(db.session, user(COORDINATOR), item_id, {"version": item.version, "title": "Map them"},
                            clock.now())
        db.session.commit()
    actions(page).locator("details[open]").get_by_role("button", name="Mark as blocked", exact=True).click()
    expect(page.locator("#conflict")).to_contain_text(re.compile(r"National Coordinator, Philippines "
                                                                 r"\(coordinator\) edited the details at \d"))
    expect(actions(page).locator("details[open]").get_by_label("Comment (required)")).to_have_value(
        "Waiting for the census data.")
    actions(page).locator("details[open]").get_by_role("button", name="Mark as blocked", exact=True).click()
    expect(status(page)).to_contain_text("Blocked")


# -- fault 3: cancelling behind a confirmation page; reopening -----------------------------------------------


def test_cancel_asks_for_confirmation_without_javascript_and_the_coordinator_reopens(browser, served, sign_in):
    base, app = served
    item_id = make_item(app, "Draft a grievance procedure", state="assigned")
    context = browser.new_context(viewport=browser_support.VIEWPORT, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, base, COORDINATOR)
        page.goto(f"{base}/items/{item_id}")
        cancel = actions(page).get_by_role("link", name="Cancel the item")
        assert "btn-primary" not in (cancel.get_attribute("class") or "")
        cancel.click()
        expect(page).to_have_url(re.compile(rf"/items/{item_id}/cancel$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Cancel")
        confirm = page.get_by_role("button", name="Yes, cancel the item")
        assert "btn-danger" in confirm.get_attribute("class")
        confirm.click()  # without the comment the cancel of an assigned item needs
        expect(page.get_by_role("alert")).to_contain_text("Add a comment")
        page.get_by_label("Why is it cancelled?").fill("Merged into item on the registry.")
        page.get_by_role("button", name="Yes, cancel the item").click()
        expect(status(page)).to_contain_text("Cancelled")
        actions(page).locator("summary", has_text="Reopen").click()
        actions(page).locator("details[open]").get_by_label("Comment (required)").fill(
            "The merge did not happen after all.")
        actions(page).locator("details[open]").get_by_role("button", name="Reopen", exact=True).click()
        expect(status(page)).to_contain_text("Draft")
        expect(page.locator("ol.timeline > li").first).to_contain_text("The merge did not happen after all.")
    finally:
        context.close()


# -- fault 4: the ministry chosen on the new-item form gets the item ------------------------------------------


def test_choosing_a_ministry_on_the_new_item_form_assigns_the_item(page, served, sign_in):
    base, _ = served
    sign_in(page, base, COORDINATOR)
    page.goto(f"{base}/items/new")
    page.get_by_label("Title").fill("Agree the registry's data fields")
    page.get_by_label("Due date").fill((today() + timedelta(days=40)).isoformat())
    page.get_by_label("Ministry to assign it to").select_option(
        label="Department of Social Welfare and Development (DSWD)")
    page.get_by_role("button", name="Save").click()
    expect(status(page)).to_contain_text("Assigned")
    expect(status(page)).to_contain_text("held by Department of Social Welfare and Development")


# -- fault 8: a phone --------------------------------------------------------------------------------------


def test_on_a_phone_the_list_shows_state_and_due_date_and_the_item_its_actions_first(browser, served, sign_in):
    base, app = served
    due = today() + timedelta(days=20)
    item_id = make_item(app, "Train the municipal social welfare officers on the new benefit", state="assigned",
                        due=due)
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True)
    page = context.new_page()
    try:
        sign_in(page, base, COORDINATOR)
        page.goto(f"{base}/items")
        card = page.get_by_role("listitem").filter(has_text="Train the municipal")
        for text in ("Assigned", due.strftime("%d %b %Y")):
            box = card.get_by_text(text, exact=True).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (text, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        card.get_by_role("link").click()
        expect(page).to_have_url(re.compile(rf"/items/{item_id}$"))
        action_top = actions(page).bounding_box()["y"]
        assert action_top < page.locator("#history").bounding_box()["y"]
    finally:
        context.close()


# -- fault 15: search, dates, focus, tab order, a GET where a form posted ------------------------------------------


def test_search_takes_percent_and_underscore_literally(page, served, sign_in):
    base, app = served
    make_item(app, "Reach 50% coverage of older persons")
    make_item(app, "Reach 500 more older persons")
    make_item(app, "Rename field hh_size")
    make_item(app, "Rename field hhXsize")
    sign_in(page, base, COORDINATOR)
    page.goto(f"{base}/items?q=50%25")
    rows = page.locator("[data-item-link]")
    expect(rows).to_have_count(1)
    expect(rows).to_have_text("Reach 50% coverage of older persons")
    page.goto(f"{base}/items?q=hh_size")
    expect(rows).to_have_count(1)
    expect(rows).to_have_text("Rename field hh_size")


@pytest.mark.parametrize("typed, message", [
    ("2020-03-31", "more than a year ago"),
    ("9999-12-31", "Enter a date from 1900-01-01 to 2199-12-31."),
    ((today() + timedelta(days=365 * 11)).isoformat(), "more than 10 years ahead"),
])
def test_a_due_date_beyond_reason_is_refused_with_a_message(page, served, sign_in, typed, message):
    base, _ = served
    sign_in(page, base, COORDINATOR)
    page.goto(f"{base}/items/new")
    page.get_by_label("Title").fill("A date typed wrongly")
    page.get_by_label("Due date").fill(typed)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("Due date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main form")).to_contain_text(message)
    expect(page.get_by_role("alert")).to_contain_text(message)  # the summary at the top
    page.goto(f"{base}/items")
    expect(page.locator("[data-item-link]")).to_have_count(0)


def test_the_title_is_focused_and_the_actions_come_before_the_comment_box(page, served, sign_in):
    base, app = served
    item_id = make_item(app, "Cost the benefit options", state="assigned")
    sign_in(page, base, COORDINATOR)
    page.goto(f"{base}/items/new")
    assert page.evaluate("document.activeElement.id") == "title"
    page.goto(f"{base}/items/{item_id}")
    page.locator("h1").click()
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("(e => e.closest('#actions') ? 'actions' : e.id)(document.activeElement)"))
        if reached[-1] == "comment":
            break
    assert "actions" in reached and "comment" in reached
    assert reached.index("actions") < reached.index("comment")


def test_a_get_where_a_failed_form_left_the_browser_goes_back_to_the_item(page, served, sign_in):
    base, app = served
    item_id = make_item(app, "Agree the indicator list", state="in_progress")
    sign_in(page, base, DSWD)
    page.goto(f"{base}/items/{item_id}")
    actions(page).locator("summary", has_text="Submit").click()
    actions(page).locator("details[open]").get_by_role("button", name="Submit", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/items/{item_id}/transitions$"))
    expect(page.get_by_text("Add a comment: it is required for this step.")).to_be_visible()
    response = page.goto(page.url)  # a reload of the address (a GET)
    assert response.status == 200
    expect(page).to_have_url(re.compile(rf"/items/{item_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Agree the indicator list")


# -- working days ----------------------------------------------------------------------------------------------


def next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def next_holiday_on_a_weekday(country: str) -> tuple[date, str]:
    from coordination import workdays
    now = today()
    for year in (now.year, now.year + 1):
        for day, name in workdays.holidays_of(country, year):
            if day > now + timedelta(days=7) and day.weekday() < 5:
                return day, name
    raise AssertionError("no holiday found")


@pytest.mark.parametrize("kind", ["weekend", "holiday"])
def test_a_due_date_that_is_no_working_day_is_pointed_out(page, served, sign_in, kind):
    base, _ = served
    if kind == "weekend":
        due = next_weekday(today() + timedelta(days=10), 6)
        expected = f"{due.strftime('%d %b %Y')} is a Sunday in Philippines"
    else:
        due, name = next_holiday_on_a_weekday("PH")
        expected = f"{due.strftime('%d %b %Y')} is a public holiday in Philippines: {name}"
    sign_in(page, base, COORDINATOR)
    page.goto(f"{base}/items/new")
    page.get_by_label("Title").fill(f"Due on a {kind}")
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Due on a {kind}")  # saved all the same
    expect(page.locator(".alert-warning")).to_contain_text(expected)
