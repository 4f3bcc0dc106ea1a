"""The server side of the action items' usability fixes, on both databases: conflicts told in a
sentence with the text kept, cancelling behind a confirmation page and reopening a cancelled
item (web and API), the ministry chosen on the new-item form, search with % and _, due dates
within reason on the forms (any date of the span in the API), GET on a form's address, the
warning for a due date that is no working day, and the pages in another language."""
import re
from datetime import timedelta

import pytest
from helpers import api_token, field_errors, sign_in
from sqlalchemy import func, select

from coordination import clock, workdays
from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.items import service
from coordination.items.models import ActionItem, ItemEvent

COORDINATOR = "coordinator.ph@example.org"
DSWD = "staff.ph.dswd@example.org"


def user(session, email):
    return session.scalar(select(User).where(User.email == email))


def ministry(session, acronym):
    return session.scalar(select(Ministry).where(Ministry.country_code == "PH", Ministry.acronym == acronym))


def today():
    return clock.local(clock.now(), "Asia/Manila").date()


def item_in(session, state, title="An item", due=None):
    now = clock.now()
    item = service.create_item(session, user(session, COORDINATOR), {
        "title": title, "due_date": (due or today() + timedelta(days=30)).isoformat()}, now)
    steps = {"draft": [], "assigned": ["assign"], "in_progress": ["assign", "accept"],
             "cancelled": ["cancel"]}[state]
    for trigger in steps:
        actor = user(session, COORDINATOR if trigger in ("assign", "cancel") else DSWD)
        service.fire_trigger(session, actor, item.id, trigger, item.version, now,
                             ministry_id=ministry(session, "DSWD").id if trigger == "assign" else None)
    session.commit()
    return item


def text(response):
    return response.get_data(as_text=True)


def test_an_impossible_step_is_told_in_a_sentence_and_the_comment_kept(client, session):
    item = item_in(session, "in_progress")
    seen = item.version
    service.fire_trigger(session, user(session, DSWD), item.id, "block", seen, clock.now(), comment="Stuck")
    session.commit()
    sign_in(client, DSWD)
    response = client.post(f"/items/{item.id}/transitions", data={
        "trigger": "submit", "version": seen, "comment": "All done <b>here</b>"})
    assert response.status_code == 409
    page = text(response)
    assert "(DSWD) blocked this item at" in page and "“Submit” is not possible any more." in page
    assert "Your comment is kept below." in page and "All done &lt;b&gt;here&lt;/b&gt;</textarea>" in page
    assert "is not possible while the state" not in page and "Possible now" not in page
    session.expire_all()
    assert session.get(ActionItem, item.id).state == "blocked"


def test_a_stale_edit_keeps_the_changes_typed(client, session):
    item = item_in(session, "assigned")
    seen = item.version
    service.update_item(session, user(session, COORDINATOR), item.id, {"version": seen, "title": "Theirs"},
                        clock.now())
    session.commit()
    sign_in(client, COORDINATOR)
    response = client.post(f"/items/{item.id}/edit", data={
        "title": "Mine", "due_date": item.due_date.isoformat(), "priority": "low", "version": seen})
    assert response.status_code == 409
    page = text(response)
    assert "edited the details at" in page and 'value="Mine"' in page
    assert f'name="version" value="{seen + 1}"' in page
    session.expire_all()
    assert session.get(ActionItem, item.id).title == "Theirs"


def test_cancel_goes_through_a_confirmation_page(client, session):
    item = item_in(session, "assigned")
    sign_in(client, COORDINATOR)
    page = text(client.get(f"/items/{item.id}"))
    assert f'href="/items/{item.id}/cancel"' in page and "btn-outline-danger" in page
    confirm = client.get(f"/items/{item.id}/cancel")
    assert confirm.status_code == 200 and 'class="btn btn-danger">Yes, cancel the item' in text(confirm)
    refused = client.post(f"/items/{item.id}/transitions", data={"trigger": "cancel", "version": item.version})
    assert refused.status_code == 422 and "Add a comment" in text(refused) and "Yes, cancel the item" in text(refused)
    done = client.post(f"/items/{item.id}/transitions", data={
        "trigger": "cancel", "version": item.version, "comment": "No longer needed"})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(ActionItem, item.id).state == "cancelled"
    # Not cancellable any more: the page says so and goes back to the item.
    assert client.get(f"/items/{item.id}/cancel").status_code == 302


def test_ministry_staff_reach_no_cancel_page(client, session):
    item = item_in(session, "assigned")
    sign_in(client, DSWD)
    assert "/cancel" not in text(client.get(f"/items/{item.id}"))
    assert client.get(f"/items/{item.id}/cancel").status_code == 302
    client.post("/logout")
    sign_in(client, "coordinator.th@example.org")
    assert client.get(f"/items/{item.id}/cancel").status_code == 404


def test_the_coordinator_reopens_a_cancelled_item_as_a_draft(client, session):
    item = item_in(session, "cancelled")
    headers = api_token(client, COORDINATOR)
    body = client.get(f"/api/v1/items/{item.id}", headers=headers).get_json()
    assert body["allowed_triggers"] == ["reopen"]
    missing = client.post(f"/api/v1/items/{item.id}/transitions", headers=headers,
                          json={"trigger": "reopen", "version": body["version"]})
    assert missing.status_code == 422 and "comment" in missing.get_json()["fields"]
    staff = client.post(f"/api/v1/items/{item.id}/transitions", headers=api_token(client, DSWD),
                        json={"trigger": "reopen", "version": body["version"], "comment": "Again"})
    assert staff.status_code == 403
    reopened = client.post(f"/api/v1/items/{item.id}/transitions", headers=headers,
                           json={"trigger": "reopen", "version": body["version"], "comment": "Needed after all"})
    assert reopened.status_code == 200
    assert reopened.get_json()["state"] == "draft" and reopened.get_json()["allowed_triggers"] == ["assign", "cancel"]
    assert reopened.get_json()["events"][-1] | {"at": None} == {
        "trigger": "reopen", "from_state": "cancelled", "to_state": "draft", "from_ministry_id": None,
        "to_ministry_id": None, "actor": user(session, COORDINATOR).id, "comment": "Needed after all", "at": None,
        "from_assignee_id": None, "to_assignee_id": None}


def test_search_takes_percent_and_underscore_literally(client, session):
    for title in ("50% coverage", "500 coverage", "hh_size", "hhxsize", "back\\slash"):
        item_in(session, "draft", title=title)
    sign_in(client, COORDINATOR)
    for query, found in (("50%", 1), ("0%", 1), ("hh_size", 1), ("_", 1), ("%", 1), ("\\", 1), ("coverage", 2)):
        assert text(client.get("/items", query_string={"q": query})).count("data-item-link") == found, query
    headers = api_token(client, COORDINATOR)
    assert client.get("/api/v1/items?q=50%25", headers=headers).get_json()["total"] == 1


@pytest.mark.parametrize("days, message", [(-366, "more than a year ago"), (365 * 10 + 5, "more than 10 years ahead")])
def test_the_forms_refuse_a_due_date_beyond_reason(client, session, days, message):
    sign_in(client, COORDINATOR)
    due = today() + timedelta(days=days)
    response = client.post("/items/new", data={"title": "Typo", "due_date": due.isoformat(), "priority": "normal"})
    assert response.status_code == 422 and message in field_errors(response)["due_date"][0]
    assert 'aria-invalid="true"' in text(response) and 'href="#due_date"' in text(response)
    assert session.scalar(select(func.count(ActionItem.id))) == 0
    # Within reason, it is taken; an old item keeps its old due date when other fields change.
    assert client.post("/items/new", data={"title": "Fine", "due_date": (today() - timedelta(days=300)).isoformat(),
                                           "priority": "normal"}).status_code == 302
    old = item_in(session, "assigned", due=today() - timedelta(days=800))
    assert client.post(f"/items/{old.id}/edit", data={"title": "Renamed", "due_date": old.due_date.isoformat(),
                                                      "priority": "normal", "version": old.version}).status_code == 302
    assert client.post(f"/items/{old.id}/edit", data={"title": "Renamed", "due_date": due.isoformat(),
                                                      "priority": "normal", "version": old.version + 1}
                       ).status_code == 422


def test_the_api_still_takes_any_due_date_of_the_span(client):
    headers = api_token(client, COORDINATOR)
    for due in ("2020-01-31", "2199-12-31"):
        assert client.post("/api/v1/items", headers=headers, json={"title": "Old", "due_date": due}).status_code == 201


def test_the_new_item_form_focuses_the_title_and_assigns_to_the_ministry_chosen(client, session):
    sign_in(client, COORDINATOR)
    title = re.search(r'<input[^>]*id="title"[^>]*>', text(client.get("/items/new"))).group(0)
    assert "autofocus" in title
    dswd = ministry(session, "DSWD")
    response = client.post("/items/new", data={"title": "For DSWD", "priority": "normal", "ministry_id": dswd.id,
                                               "due_date": (today() + timedelta(days=20)).isoformat()})
    item = session.scalar(select(ActionItem))
    assert (item.state, item.ministry_id) == ("assigned", dswd.id)
    assert session.scalars(select(ItemEvent.trigger).order_by(ItemEvent.id)).all() == ["create", "assign"]
    assert "saved and assigned to" in text(client.get(response.headers["Location"]))


def test_get_on_a_forms_address_goes_back_to_the_item(client, session):
    item = item_in(session, "assigned")
    sign_in(client, DSWD)
    for path in ("transitions", "comments"):
        response = client.get(f"/items/{item.id}/{path}")
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/items/{item.id}")
    client.post("/logout")
    sign_in(client, "coordinator.th@example.org")
    assert client.get(f"/items/{item.id}/transitions").status_code == 404


def test_the_actions_come_before_the_history_and_the_comment_box(client, session):
    item = item_in(session, "assigned")
    sign_in(client, COORDINATOR)
    page = text(client.get(f"/items/{item.id}"))
    assert page.index('id="actions"') < page.index('id="history"') < page.index('id="comment"')


def _first(kind):
    day = today() + timedelta(days=10)
    while True:
        day += timedelta(days=1)
        holiday = workdays.holiday_name("PH", day)
        if kind == "weekend" and day.weekday() == 6 and not holiday:
            return day, None
        if kind == "holiday" and holiday and day.weekday() < 5:
            return day, holiday


@pytest.mark.parametrize("kind", ["weekend", "holiday"])
def test_a_due_date_that_is_no_working_day_is_saved_with_a_warning(client, session, kind):
    day, holiday = _first(kind)
    sign_in(client, COORDINATOR)
    response = client.post("/items/new", data={"title": "On a day off", "due_date": day.isoformat(),
                                               "priority": "normal"}, follow_redirects=True)
    page = text(response)
    assert response.status_code == 200 and session.scalar(select(func.count(ActionItem.id))) == 1
    said = "is a Sunday in Philippines, not a working day there." if kind == "weekend" else \
        f"is a public holiday in Philippines: {holiday}."
    assert said.replace("'", "&#39;") in page and "alert-warning" in page
    # A working day says nothing.
    working = workdays.on_or_before("PH", day - timedelta(days=1))
    page = text(client.post("/items/new", data={"title": "Working", "due_date": working.isoformat(),
                                                "priority": "normal"}, follow_redirects=True))
    assert "not a working day" not in page and "public holiday" not in page


def test_the_item_pages_in_thai(client, session):
    item = item_in(session, "assigned")
    sign_in(client, COORDINATOR)
    headers = {"Accept-Language": "th"}
    page = text(client.get(f"/items/{item.id}", headers=headers))
    assert "สิ่งที่ท่านทำได้" in page and "ยกเลิกรายการ" in page
    assert "รายการดำเนินการ" in text(client.get("/items", headers=headers))
    assert "ใช่ ยกเลิกรายการ" in text(client.get(f"/items/{item.id}/cancel", headers=headers))
    assert "<svg" in text(client.get("/help/workflow", headers=headers))
    response = client.post("/items/new", headers=headers, data={"title": "", "due_date": "2027-01-01"})
    assert "ต้องระบุชื่อเรื่อง" in text(response)
