"""The action items a narrative section links: shown as ticked boxes (cleared to unlink),
added by number, or found by title, never offered as a list of every item of the country."""
import re

from helpers import sign_in
from sqlalchemy import func, select

from coordination.reporting.models import Narrative

COORDINATOR = "coordinator.ph@example.org"
PREFIX = "narrative-children"


def text(response) -> str:
    return response.get_data(as_text=True)


def new_item(client, headers, title) -> int:
    response = client.post("/api/v1/items", headers=headers, json={"title": title, "due_date": "2027-03-31"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def section(page: str, guarantee: str = "children") -> str:
    part = page[page.index(f'id="narrative-{guarantee}"'):]
    return part[:part.index("</section>")]


def ticked(page: str) -> list[int]:
    """The item ids whose boxes are ticked in the children section's form."""
    return [int(i) for i in re.findall(rf'name="{PREFIX}-item_ids" value="(\d+)" id="[^"]+" checked', section(page))]


def offered(page: str) -> list[int]:
    return [int(i) for i in re.findall(rf'name="{PREFIX}-item_ids" value="(\d+)"', section(page))]


def linked(session) -> list[int]:
    session.expire_all()
    narrative = session.scalar(select(Narrative).where(Narrative.guarantee == "children"))
    return [item.id for item in narrative.items] if narrative else []


def save(client, report_id, **fields):
    data = {f"{PREFIX}-{key}": value for key, value in fields.items()}
    return client.post(f"/reports/{report_id}/narratives/children", data=data)


def find(client, report_id, words, **fields):
    return save(client, report_id, find=words, find_submit="Find", **fields)


def test_the_form_offers_the_linked_items_only_not_every_item_of_the_country(client, session, tokens, open_cycle):
    report_id = open_cycle["report"]
    titles = [f"Country item number {n}" for n in range(30)]
    for title in titles:
        new_item(client, tokens["coordinator"], title)
    sign_in(client, COORDINATOR)
    page = text(client.get(f"/reports/{report_id}"))
    assert offered(page) == [] and not any(title in page for title in titles)
    assert "None linked yet: add them by number, or find them by title." in section(page)
    assert 'for="narrative-children-add_items">Add action items by number' in page
    assert 'for="narrative-children-find">Find action items by title or number' in page
    assert "Hold Ctrl" not in page  # the multi-select is gone


def test_items_are_added_by_number_and_unlinked_by_clearing_their_box(client, session, tokens, open_cycle):
    report_id = open_cycle["report"]
    first = new_item(client, tokens["coordinator"], "Extend the child grant to all under five")
    second = new_item(client, tokens["coordinator"], "Cost the universal child benefit")
    sign_in(client, COORDINATOR)
    response = save(client, report_id, recommendations="Extend the grant", add_items=f"#{second}, {first}")
    assert response.status_code == 302
    assert linked(session) == sorted([first, second])
    page = text(client.get(f"/reports/{report_id}"))
    assert sorted(ticked(page)) == sorted([first, second])
    form = section(page)
    assert "Extend the child grant to all under five" in form and ">Draft</span>" in form
    assert "Clear a box to unlink its item" in form
    # The box of the first cleared (the browser sends only the ticked one): it is unlinked.
    assert save(client, report_id, recommendations="Extend the grant", item_ids=str(second)).status_code == 302
    assert linked(session) == [second]
    assert ticked(text(client.get(f"/reports/{report_id}"))) == [second]


def test_a_number_that_names_no_item_of_the_country_is_refused_and_nothing_saved(client, session, tokens,
                                                                                   open_cycle):
    report_id = open_cycle["report"]
    thai = new_item(client, tokens["th"], "A Thai item")
    mine = new_item(client, tokens["coordinator"], "A Philippine item")
    sign_in(client, COORDINATOR)
    other_country = save(client, report_id, existing_schemes="4Ps", add_items=f"{mine} {thai}")
    assert other_country.status_code == 422
    assert f"Philippines has no action item #{thai}: check the number." in text(other_country)
    assert "A Thai item" not in text(other_country)
    not_a_number = save(client, report_id, add_items="twelve")
    assert not_a_number.status_code == 422
    assert "“twelve” is not an action item number" in text(not_a_number)
    # A ticked box of another country's item (a forged form) is refused by the service.
    forged = save(client, report_id, item_ids=str(thai))
    assert forged.status_code == 422 and "Link action items of this member state only." in text(forged)
    assert session.scalar(select(func.count(Narrative.id))) == 0


def test_find_lists_the_matching_items_to_tick_and_keeps_what_was_typed(client, session, tokens, open_cycle):
    report_id = open_cycle["report"]
    registry = new_item(client, tokens["coordinator"], "Digitise the social registry")
    other_registry = new_item(client, tokens["coordinator"], "Registry of persons with disabilities")
    unrelated = new_item(client, tokens["coordinator"], "Cost the social pension")
    by_number = new_item(client, tokens["coordinator"], "Pilot the maternity cover")
    new_item(client, tokens["th"], "Thai registry of workers")
    sign_in(client, COORDINATOR)
    response = find(client, report_id, "REGISTRY", existing_schemes="Draft, not saved", add_items=str(by_number))
    assert response.status_code == 200
    page = text(response)
    assert sorted(offered(page)) == sorted([registry, other_registry, by_number])
    assert ticked(page) == [by_number]  # the number typed is ticked with the others
    assert unrelated not in offered(page) and "Thai registry" not in page
    assert "Found: tick the items to link, then save the section." in page
    assert "Draft, not saved</textarea>" in page
    assert session.scalar(select(func.count(Narrative.id))) == 0  # a search saves nothing
    # Ticking one found and saving links it with the one added by number.
    assert save(client, report_id, item_ids=[str(by_number), str(registry)]).status_code == 302
    assert linked(session) == sorted([registry, by_number])
    # A search leaves out what is already ticked, and says when nothing matches.
    page = text(find(client, report_id, "registry", item_ids=[str(registry)]))
    assert offered(page) == [registry, other_registry] and ticked(page) == [registry]
    page = text(find(client, report_id, "nothing like this"))
    assert "No other action item of Philippines matches “nothing like this”." in page
    assert "an older item is found by its number" in page
    assert "Type words of the title, or an item&#39;s number." in text(find(client, report_id, ""))


def test_the_search_answers_the_page_part_the_script_inserts(client, session, tokens, open_cycle):
    report_id = open_cycle["report"]
    registry = new_item(client, tokens["coordinator"], "Digitise the social registry")
    other = new_item(client, tokens["coordinator"], "Registry 100%_done")
    new_item(client, tokens["coordinator"], "Registry 1000 done")
    path = f"/reports/{report_id}/narratives/children/find"
    sign_in(client, COORDINATOR)
    response = client.get(f"{path}?q=registry&selected={other}")
    assert response.status_code == 200
    part = text(response)
    assert "<html" not in part and "<script" not in part
    assert re.findall(rf'name="{PREFIX}-item_ids" value="(\d+)"', part)[-1:] == [str(registry)]
    assert f'value="{other}"' not in part  # already ticked
    # % and _ are the words' own letters, not patterns.
    wild = text(client.get(f"{path}?q=100%25_"))
    assert re.findall(r'value="(\d+)"', wild) == [str(other)]
    assert text(client.get(f"{path}?q=%23{registry}")).count(f'value="{registry}"') == 1
    assert client.get(f"/reports/{report_id}/narratives/nope/find?q=x").status_code == 404
    assert client.get(f"{path}?q=x&selected=abc,,-1").status_code == 200
    for email, status in (("staff.ph.dswd@example.org", 403), ("coordinator.th@example.org", 404),
                          ("secretariat@example.org", 404)):
        client.post("/logout")
        sign_in(client, email)
        assert client.get(f"{path}?q=registry").status_code == status, email


def test_the_page_loads_its_script_from_a_static_file(client, open_cycle):
    sign_in(client, COORDINATOR)
    page = text(client.get(f"/reports/{open_cycle['report']}"))
    assert '<script src="/static/narrative.js" defer></script>' in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []  # no inline script
    assert "onclick" not in page
    script = client.get("/static/narrative.js")
    assert script.status_code == 200 and "javascript" in script.mimetype

