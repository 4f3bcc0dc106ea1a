"""Bulk steps on the web item list: the coordinator's check boxes, the step's page (a confirmation
page for cancelling), the result page with what was done and what was refused and why; the list's
filters, sort and page kept; other roles refused."""
import re
from datetime import date

import pytest
from helpers import ROLE_USERS, Statements, api_token, field_errors, signed_in_client
from sqlalchemy import event, func, select
from test_scale import kept, normalised, plans, recount

from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.items.models import ActionItem, ItemEvent

COORDINATOR = ROLE_USERS["coordinator"]


def ministry_id(session, acronym, country="PH"):
    return session.scalar(select(Ministry.id).where(Ministry.country_code == country, Ministry.acronym == acronym))


def new_item(client, headers, title, *, assign_to=None, country_headers=None):
    response = client.post("/api/v1/items", json={"title": title, "due_date": "2027-03-31"},
                           headers=country_headers or headers)
    item = response.get_json()
    if assign_to is not None:
        item = client.post(f"/api/v1/items/{item['id']}/transitions", headers=country_headers or headers,
                           json={"trigger": "assign", "version": item["version"], "ministry_id": assign_to}).get_json()
    return item


@pytest.fixture
def items(app, client, session):
    """Two items held by DSWD and a draft, in the Philippines."""
    headers = api_token(client, COORDINATOR)
    dswd = ministry_id(session, "DSWD")
    return {
        "first": new_item(client, headers, "Register informal workers", assign_to=dswd),
        "second": new_item(client, headers, "Publish the benefit calendar", assign_to=dswd),
        "draft": new_item(client, headers, "Draft the grievance rules"),
        "DSWD": dswd, "DOLE": ministry_id(session, "DOLE"),
    }


def state(session, item_id):
    session.expire_all()
    return session.get(ActionItem, item_id)


def test_the_coordinator_sees_check_boxes_and_other_roles_do_not(app, items):
    page = signed_in_client(app, COORDINATOR).get("/items").get_data(as_text=True)
    assert 'action="/items/bulk"' in page
    assert f'name="ids" value="{items["first"]["id"]}"' in page
    assert 'id="select-all"' in page and "Select all on this page" in page
    assert 'src="/static/bulk-select.js"' in page
    staff = signed_in_client(app, ROLE_USERS["ministry_staff"]).get("/items").get_data(as_text=True)
    assert 'action="/items/bulk"' not in staff and 'name="ids"' not in staff


def test_cancel_two_asks_first_then_shows_what_was_done_and_refused(app, session, items):
    web = signed_in_client(app, COORDINATOR)
    ids = [items["first"]["id"], items["second"]["id"]]
    confirm = web.post("/items/bulk", data={"ids": ids, "step": "cancel", "back": "state=assigned"})
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Cancel 2 action items?" in page and "Register informal workers" in page
    assert "Yes, cancel these items" in page and 'class="btn btn-danger"' in page
    assert state(session, ids[0]).state == "assigned"  # asking changes nothing

    # Meanwhile the second item is cancelled on its own page: the bulk step refuses it.
    headers = api_token(app.test_client(), COORDINATOR)
    second = app.test_client().get(f"/api/v1/items/{ids[1]}", headers=headers).get_json()
    app.test_client().post(f"/api/v1/items/{ids[1]}/transitions", headers=headers,
                           json={"trigger": "cancel", "version": second["version"], "comment": "Done elsewhere."})
    result = web.post("/items/bulk/apply", data={"ids": ids, "step": "cancel", "back": "state=assigned",
                                                 "comment": "The programme is closed."})
    assert result.status_code == 200
    page = result.get_data(as_text=True)
    assert "1 item done." in page and "1 item refused." in page
    done = page.split('id="bulk-done"')[1].split("</ul>")[0]
    refused = page.split('id="bulk-refused"')[1].split("</ul>")[0]
    assert f'href="/items/{ids[0]}"' in done and f'href="/items/{ids[1]}"' in refused
    assert "is not possible while the item is cancelled" in refused
    assert 'href="/items?state=assigned"' in page
    assert state(session, ids[0]).state == "cancelled"
    last = session.scalar(select(ItemEvent).where(ItemEvent.item_id == ids[0]).order_by(ItemEvent.id.desc()))
    assert last.trigger == "cancel" and last.comment == "The programme is closed."


def test_cancel_without_a_comment_is_asked_again_and_changes_nothing(app, session, items):
    web = signed_in_client(app, COORDINATOR)
    response = web.post("/items/bulk/apply", data={"ids": [items["first"]["id"]], "step": "cancel", "comment": " "})
    assert response.status_code == 422
    assert field_errors(response)["comment"] == ["Add a comment: it is required for this step."]
    assert "There is a problem" in response.get_data(as_text=True)
    assert f'name="ids" value="{items["first"]["id"]}"' in response.get_data(as_text=True)
    assert state(session, items["first"]["id"]).state == "assigned"


def test_select_all_on_the_page_works_without_javascript(app, session, items):
    web = signed_in_client(app, COORDINATOR)
    page_ids = [items["first"]["id"], items["second"]["id"], items["draft"]["id"]]
    response = web.post("/items/bulk", data={"all": "page", "page_ids": page_ids, "step": "priority"})
    assert response.status_code == 200
    assert "Change the priority of 3 action items" in response.get_data(as_text=True)
    result = web.post("/items/bulk/apply", data={"ids": page_ids, "step": "priority", "priority": "high"})
    assert result.status_code == 200 and "3 items done." in result.get_data(as_text=True)
    assert {state(session, i).priority for i in page_ids} == {"high"}


def test_transfer_needs_a_ministry_and_a_comment_then_moves_the_held_items(app, session, items):
    web = signed_in_client(app, COORDINATOR)
    ids = [items["first"]["id"], items["draft"]["id"]]
    missing = web.post("/items/bulk/apply", data={"ids": ids, "step": "transfer"})
    assert missing.status_code == 422
    assert set(field_errors(missing)) == {"ministry_id", "comment"}
    result = web.post("/items/bulk/apply", data={"ids": ids, "step": "transfer", "ministry_id": items["DOLE"],
                                                 "comment": "DOLE leads on informal workers."})
    page = result.get_data(as_text=True)
    assert result.status_code == 200 and "1 item done." in page and "1 item refused." in page
    assert "“Transfer” is not possible while the item is draft." in page
    assert state(session, ids[0]).ministry_id == items["DOLE"]


def test_due_date_change_refuses_a_date_beyond_reason_and_takes_a_good_one(app, session, items):
    web = signed_in_client(app, COORDINATOR)
    ids = [items["first"]["id"], items["second"]["id"]]
    far = web.post("/items/bulk/apply", data={"ids": ids, "step": "due_date", "due_date": "2099-01-01"})
    assert far.status_code == 422 and "due_date" in field_errors(far)
    empty = web.post("/items/bulk/apply", data={"ids": ids, "step": "due_date", "due_date": ""})
    assert empty.status_code == 422 and "due_date" in field_errors(empty)
    good = web.post("/items/bulk/apply", data={"ids": ids, "step": "due_date", "due_date": "2027-06-30"})
    assert good.status_code == 200 and "2 items done." in good.get_data(as_text=True)
    assert {state(session, i).due_date for i in ids} == {date(2027, 6, 30)}


def test_assign_takes_the_drafts_and_refuses_the_held_items(app, session, items):
    web = signed_in_client(app, COORDINATOR)
    ids = [items["draft"]["id"], items["first"]["id"]]
    result = web.post("/items/bulk/apply", data={"ids": ids, "step": "assign", "ministry_id": items["DOLE"]})
    page = result.get_data(as_text=True)
    assert "1 item done." in page and "“Assign” is not possible while the item is assigned." in page
    assert state(session, ids[0]).state == "assigned" and state(session, ids[0]).ministry_id == items["DOLE"]


def test_the_lists_filters_sort_and_page_survive_and_nothing_else(app, items):
    web = signed_in_client(app, COORDINATOR)
    back = "state=assigned&sort=priority&page=1&per_page=10&next=https://evil.example&q=registry"
    page = web.post("/items/bulk", data={"ids": [items["first"]["id"]], "step": "priority", "back": back})
    text = page.get_data(as_text=True)
    links = set(re.findall(r'href="(/items\?[^"]*)"', text))
    assert links and all("evil" not in link for link in links)
    link = links.pop().replace("&amp;", "&")
    kept = set(link.split("?")[1].split("&"))
    assert {"state=assigned", "sort=priority", "page=1", "per_page=10", "q=registry"} <= kept
    # The list carries its own query string into the form.
    listed = web.get("/items?state=assigned&sort=priority").get_data(as_text=True)
    assert 'name="back" value="state=assigned&amp;sort=priority"' in listed


def test_nothing_chosen_goes_back_to_the_list_with_a_message(app, items):
    web = signed_in_client(app, COORDINATOR)
    response = web.post("/items/bulk", data={"step": "cancel", "back": "state=assigned"})
    assert response.status_code == 302 and response.headers["Location"] == "/items?state=assigned"
    assert "Choose at least one action item first" in web.get("/items").get_data(as_text=True)
    unknown = web.post("/items/bulk", data={"ids": [items["first"]["id"]], "step": "explode"})
    assert unknown.status_code == 302
    assert web.get("/items/bulk").status_code == 302


def test_more_than_500_ids_are_refused(app, session, items):
    web = signed_in_client(app, COORDINATOR)
    ids = [items["first"]["id"], *range(900_000, 900_500)]
    assert web.post("/items/bulk", data={"ids": ids, "step": "priority"}).status_code == 302
    response = web.post("/items/bulk/apply", data={"ids": ids, "step": "priority", "priority": "low"})
    assert response.status_code == 422
    assert "Choose at most 500 action items at once." in response.get_data(as_text=True)
    assert state(session, items["first"]["id"]).priority == "normal"


@pytest.mark.parametrize("role", ["ministry_staff", "secretariat", "observer", "admin"])
def test_other_roles_are_refused_403(app, session, items, role):
    web = signed_in_client(app, ROLE_USERS[role])
    ids = [items["first"]["id"]]
    assert web.post("/items/bulk", data={"ids": ids, "step": "cancel"}).status_code == 403
    assert web.post("/items/bulk/apply", data={"ids": ids, "step": "cancel", "comment": "x"}).status_code == 403
    assert state(session, ids[0]).state == "assigned"


def test_another_countrys_coordinator_finds_nothing_and_changes_nothing(app, session, items):
    web = signed_in_client(app, ROLE_USERS["coordinator_elsewhere"])
    ids = [items["first"]["id"]]
    ask = web.post("/items/bulk", data={"ids": ids, "step": "cancel"}).get_data(as_text=True)
    assert "Register informal workers" not in ask
    result = web.post("/items/bulk/apply", data={"ids": ids, "step": "cancel", "comment": "Not mine."})
    page = result.get_data(as_text=True)
    assert result.status_code == 200 and "0 items done." in page and "There is no such action item." in page
    assert "Register informal workers" not in page and f'href="/items/{ids[0]}"' not in page
    assert state(session, ids[0]).state == "assigned"


def statements_of_apply(app, web, ids) -> int:
    with app.app_context():
        engine = db.engine
    seen = []

    def count(*args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = web.post("/items/bulk/apply", data={"ids": ids, "step": "priority", "priority": "high"})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200 and f"{len(ids)} items done." in response.get_data(as_text=True)
    return len(seen)


def test_the_statements_of_a_bulk_step_grow_modestly_per_item(app, client, session):
    headers = api_token(client, COORDINATOR)
    dswd = ministry_id(session, "DSWD")
    ids = [new_item(client, headers, f"Item {n}", assign_to=dswd)["id"] for n in range(12)]
    web = signed_in_client(app, COORDINATOR)
    two, six, twelve = (statements_of_apply(app, web, ids[:n]) for n in (2, 6, 12))
    per_item = (twelve - six) / 6
    print("statements of a bulk step of 2, 6, 12 items:", two, six, twelve)
    assert per_item <= 8, (two, six, twelve)
    assert (six - two) / 4 <= per_item + 1  # linear: no item costs more than the ones before
    assert session.scalar(select(func.count()).select_from(ActionItem).where(ActionItem.priority == "high")) == 12


@pytest.mark.parametrize("locale, words", [
    ("id", ("Pilih semua di halaman ini", "Batalkan 2 butir tindakan?", "Ya, batalkan butir-butir ini",
            "1 butir selesai.", "tidak dapat dilakukan selama butir ini berstatus")),
    ("th", ("เลือกทั้งหมดในหน้านี้", "ยกเลิกรายการดำเนินการ 2 รายการหรือไม่", "ใช่ ยกเลิกรายการเหล่านี้",
            "ดำเนินการแล้ว 1 รายการ", "ได้ขณะที่รายการอยู่ในสถานะ")),
    ("vi", ("Chọn tất cả trên trang này", "Hủy 2 hạng mục công việc?", "Có, hủy các hạng mục này",
            "Đã thực hiện 1 hạng mục.", "khi hạng mục đang ở trạng thái")),
])
def test_the_bulk_pages_speak_the_users_language(app, client, session, items, locale, words):
    headers = api_token(client, COORDINATOR)
    assert client.patch("/api/v1/me", json={"locale": locale}, headers=headers).status_code == 200
    web = signed_in_client(app, COORDINATOR)
    listed, ask, button, done, reason = words
    assert listed in web.get("/items").get_data(as_text=True)
    ids = [items["first"]["id"], items["draft"]["id"]]
    page = web.post("/items/bulk", data={"ids": ids, "step": "cancel"}).get_data(as_text=True)
    assert ask in page and button in page
    web.post("/items/bulk/apply", data={"ids": [items["draft"]["id"]], "step": "cancel", "comment": "x"})
    result = web.post("/items/bulk/apply", data={"ids": ids, "step": "cancel", "comment": "x"}).get_data(as_text=True)
    assert done in result and reason in result


def test_the_bulk_steps_read_action_items_by_key_never_by_a_scan(app, client, session, items):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    web = signed_in_client(app, COORDINATOR)
    ids = [items["first"]["id"], items["second"]["id"], items["draft"]["id"], 999999]
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        assert web.post("/items/bulk", data={"ids": ids, "step": "cancel"}).status_code == 200
        done = web.post("/items/bulk/apply", data={"ids": ids, "step": "cancel", "comment": "Closed."})
        assert done.status_code == 200
    checked = plans(app, recorder.seen)
    assert len(checked) >= len(ids)
    assert [(statement, plan) for statement, plan in checked
            if any(line.startswith("SCAN action_items") for line in plan)] == []


def test_the_kept_counts_follow_a_bulk_step_with_a_refusal(app, client, session, items):
    web = signed_in_client(app, COORDINATOR)
    ids = [items["first"]["id"], items["draft"]["id"]]
    response = web.post("/items/bulk/apply", data={"ids": ids, "step": "transfer", "ministry_id": items["DOLE"],
                                                   "comment": "Over to DOLE."})
    assert "1 item refused." in response.get_data(as_text=True)
    session.expire_all()
    assert normalised(kept(session)) == normalised(recount(session))
