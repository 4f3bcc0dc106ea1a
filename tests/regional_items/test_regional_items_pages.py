"""Regional-item pages: the form that raises one, the list, one regional item, the link on a
part's item page and the panels of the homes and the country page, from every side."""
import pytest
from helpers import field_errors, row_counts, signed_in_client
from sqlalchemy import select

from coordination.regional_items.models import RegionalItem

from .conftest import PORTABILITY, USERS


@pytest.fixture
def pages(app):
    return {name: signed_in_client(app, email) for name, email in USERS.items()}


def test_the_form_labels_every_member_state_and_raises_the_item(app, pages, session):
    form = pages["secretariat"].get("/regional-items/new")
    html = form.get_data(as_text=True)
    assert form.status_code == 200
    assert '<label class="form-check-label" for="countries-' in html and "Philippines" in html and "Malaysia" in html
    assert '<legend class="form-label fs-6">Member states (two or more)</legend>' in html
    response = pages["secretariat"].post("/regional-items/new", data={
        "title": PORTABILITY["title"], "description": "Pensions", "due_date": "2031-06-30", "countries": ["PH", "MY"]})
    assert response.status_code == 302
    regional = session.scalar(select(RegionalItem))
    assert response.headers["Location"] == f"/regional-items/{regional.id}"
    page = pages["secretariat"].get(response.headers["Location"]).get_data(as_text=True)
    assert "The regional item is raised" in page and "Malaysia" in page and "History of the parts" in page


@pytest.mark.parametrize("countries", [["PH"], [], ["PH", "XX"]])
def test_the_form_refuses_fewer_than_two_or_an_unknown_member_state(app, pages, countries):
    before = row_counts(app)
    response = pages["secretariat"].post("/regional-items/new", data={
        "title": "One country", "due_date": "2031-06-30", "countries": countries})
    assert response.status_code == 422
    assert "There is a problem" in response.get_data(as_text=True) and field_errors(response)
    assert row_counts(app) == before


@pytest.mark.parametrize("role", ["ph", "dswd", "observer", "admin"])
def test_only_the_secretariat_sees_the_form(pages, role):
    assert pages[role].get("/regional-items/new").status_code == 403


def test_the_list_filters_by_state_and_pages(pages, client, tokens, regional):
    page = pages["secretariat"].get("/regional-items").get_data(as_text=True)
    assert PORTABILITY["title"] in page and "MY, PH" in page and "0 of 2" in page
    assert '<label class="form-label" for="state">State</label>' in page
    for query in ("state=completed", "page=2"):
        assert PORTABILITY["title"] not in pages["secretariat"].get(f"/regional-items?{query}").get_data(as_text=True)
    assert pages["secretariat"].get("/regional-items?state=²&page=99999999999999999999").status_code == 200
    assert PORTABILITY["title"] in pages["ph"].get("/regional-items").get_data(as_text=True)
    assert PORTABILITY["title"] not in pages["th"].get("/regional-items").get_data(as_text=True)
    assert pages["admin"].get("/regional-items").status_code == 403


def test_a_member_state_named_sees_its_part_linked_and_the_others_states(pages, regional):
    parts = {part["country"]: part["item_id"] for part in regional["parts"]}
    page = pages["ph"].get(f"/regional-items/{regional['id']}").get_data(as_text=True)
    assert f'href="/items/{parts["PH"]}"' in page and f'href="/items/{parts["MY"]}"' not in page
    assert "Malaysia" in page and "History of the parts" not in page
    observer = pages["observer"].get(f"/regional-items/{regional['id']}").get_data(as_text=True)
    assert "/items/" not in observer.split("parts-heading")[1] and "Draft" in observer
    for role in ("th", "admin"):
        assert pages[role].get(f"/regional-items/{regional['id']}").status_code == 404


def test_a_part_s_item_page_links_the_regional_item_and_names_the_other_countries(pages, regional):
    parts = {part["country"]: part["item_id"] for part in regional["parts"]}
    page = pages["ph"].get(f"/items/{parts['PH']}").get_data(as_text=True)
    assert f'href="/regional-items/{regional["id"]}"' in page
    assert "Part of the regional item “A portability agreement" in page and "Malaysia (Draft)" in page
    assert pages["my"].get(f"/items/{parts['PH']}").status_code == 404


def test_the_homes_and_the_country_page_show_the_panels(pages, client, tokens, ministry, regional):
    home = pages["secretariat"].get("/").get_data(as_text=True)
    assert "Open regional items" in home and PORTABILITY["title"] in home
    board = pages["ph"].get("/").get_data(as_text=True)
    assert "Parts of regional items" in board and PORTABILITY["title"] in board
    assert "Parts of regional items" not in pages["th"].get("/").get_data(as_text=True)
    assert "Parts of regional items" in pages["secretariat"].get("/countries/MY").get_data(as_text=True)
    assert "Parts of regional items" not in pages["observer"].get("/countries/MY").get_data(as_text=True)
    assert "Parts of regional items" not in pages["th"].get("/countries/MY").get_data(as_text=True)


def test_the_secretariat_s_home_lists_overdue_parts(pages, client, tokens):
    client.post("/api/v1/regional-items", json={**PORTABILITY, "due_date": "2020-01-31"},
                headers=tokens["secretariat"])
    home = pages["secretariat"].get("/").get_data(as_text=True)
    assert "Overdue parts" in home and "Philippines: " in home
