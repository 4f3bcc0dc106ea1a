"""The good-practice pages, on SQLite and PostgreSQL: the library with its filters, search box,
pagination and empty state; one practice with its files, contact and questions; writing one up,
publishing (asked first) and withdrawing; the country page and the secretariat's home; from
every role's side."""
import io

import pytest
from helpers import PDF_BYTES, field_errors, row_counts, signed_in_client
from practice_support import PRACTICE
from sqlalchemy import select

from coordination.attachments.models import Attachment
from coordination.extensions import db
from coordination.practices.models import Practice

DEMO_PH = "Listahanan and the Community-Based Monitoring System"
DEMO_TH = "The Universal Coverage Scheme"
ROLES = {"coordinator": "coordinator.ph@example.org", "dswd": "staff.ph.dswd@example.org",
         "th": "coordinator.th@example.org", "secretariat": "secretariat@example.org",
         "observer": "observer@example.org", "admin": "admin@example.org"}


@pytest.fixture
def web(app):
    return {name: signed_in_client(app, email) for name, email in ROLES.items()}


def _draft(web) -> int:
    response = web["coordinator"].post("/practices/new", data={**PRACTICE, "contact_user_id": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


@pytest.mark.parametrize("role", list(ROLES))
def test_every_role_reads_the_library_and_the_demo_practices(web, role, session):
    page = web[role].get("/practices")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert DEMO_PH in text and DEMO_TH in text
    practice_id = session.scalar(select(Practice.id).where(Practice.title.startswith(DEMO_PH)))
    detail = web[role].get(f"/practices/{practice_id}").get_data(as_text=True)
    assert "Republic Act 11315" in detail
    assert "who may correct a household" in detail  # the demo question and its answer
    assert "data-sharing agreement" in detail
    assert ("Write up a practice" in text) == (role in ("coordinator", "th"))


def test_the_library_filters_by_guarantee_and_country_and_finds_words(web):
    client = web["observer"]
    health = client.get("/practices?guarantee=health").get_data(as_text=True)
    assert DEMO_TH in health and DEMO_PH not in health
    ph = client.get("/practices?country=PH").get_data(as_text=True)
    assert DEMO_PH in ph and DEMO_TH not in ph
    found = client.get("/practices?q=capitation").get_data(as_text=True)
    assert DEMO_TH in found and DEMO_PH not in found
    nothing = client.get("/practices?q=nowhere-to-be-found").get_data(as_text=True)
    assert "No practice matches these filters." in nothing
    odd = client.get("/practices?guarantee=nope&country=XX&page=99999999999999999999&q=%25_")
    assert odd.status_code == 200


def test_a_coordinator_writes_up_a_draft_that_only_their_country_sees(web, app):
    practice_id = _draft(web)
    own = web["coordinator"].get(f"/practices/{practice_id}").get_data(as_text=True)
    assert "A draft: only your member state sees it" in own and "Publish" in own
    assert web["dswd"].get(f"/practices/{practice_id}").status_code == 200
    for role in ("th", "secretariat", "observer", "admin"):
        assert web[role].get(f"/practices/{practice_id}").status_code == 404, role
        assert PRACTICE["title"] not in web[role].get("/practices").get_data(as_text=True), role
    assert web["dswd"].get(f"/practices/{practice_id}/edit").status_code == 403
    assert web["th"].get(f"/practices/{practice_id}/edit").status_code == 404


@pytest.mark.parametrize("role", ["dswd", "secretariat", "observer", "admin"])
def test_only_a_coordinator_reaches_the_form(web, role):
    assert web[role].get("/practices/new").status_code == 403
    assert web[role].post("/practices/new", data=PRACTICE).status_code == 403


def test_the_form_shows_each_mistake_next_to_its_field_and_keeps_nothing(web, app):
    before = row_counts(app)
    response = web["coordinator"].post("/practices/new", data={"title": "", "summary": "",
                                                                "contact_name": "Ana", "contact_email": "ana"})
    assert response.status_code == 422
    errors = field_errors(response)
    assert "title" in errors and "summary" in errors
    response = web["coordinator"].post("/practices/new", data={**PRACTICE, "contact_user_id": "",
                                                                "contact_name": "Ana", "contact_email": "ana"})
    assert response.status_code == 422 and "contact_email" in field_errors(response)
    assert row_counts(app) == before


def test_publishing_asks_first_then_everyone_reads_it_and_withdrawing_asks_too(web):
    practice_id = _draft(web)
    confirm = web["coordinator"].get(f"/practices/{practice_id}/publish")
    assert confirm.status_code == 200 and "Yes, publish it" in confirm.get_data(as_text=True)
    assert web["dswd"].get(f"/practices/{practice_id}/publish").status_code == 403
    assert web["th"].post(f"/practices/{practice_id}/publish").status_code == 404
    done = web["coordinator"].post(f"/practices/{practice_id}/publish", follow_redirects=True)
    assert "The practice is published" in done.get_data(as_text=True)
    assert PRACTICE["title"] in web["observer"].get("/practices").get_data(as_text=True)
    again = web["coordinator"].post(f"/practices/{practice_id}/publish", follow_redirects=True)
    assert again.status_code == 200 and "not possible" in again.get_data(as_text=True)
    withdraw = web["coordinator"].get(f"/practices/{practice_id}/withdraw").get_data(as_text=True)
    assert "Yes, withdraw it" in withdraw and 'class="btn btn-danger"' in withdraw
    web["coordinator"].post(f"/practices/{practice_id}/withdraw")
    assert web["observer"].get(f"/practices/{practice_id}").status_code == 404


def test_a_question_and_its_answer_on_the_page(web, session):
    practice_id = session.scalar(select(Practice.id).where(Practice.title.startswith(DEMO_TH)))
    empty = web["observer"].post(f"/practices/{practice_id}/questions", data={"comment": ""})
    assert empty.status_code == 422 and "comment" in field_errors(empty)
    asked = web["observer"].post(f"/practices/{practice_id}/questions",
                                 data={"comment": "How is the capitation rate set?"}, follow_redirects=True)
    assert "How is the capitation rate set?" in asked.get_data(as_text=True)
    page = web["th"].get(f"/practices/{practice_id}").get_data(as_text=True)
    assert "Your answer" in page
    assert "Your answer" not in web["coordinator"].get(f"/practices/{practice_id}").get_data(as_text=True)
    question_id = session.scalar(select(Practice).where(Practice.id == practice_id)).questions[-1].id
    assert web["coordinator"].post(f"/practices/{practice_id}/answers/{question_id}",
                                   data={f"a{question_id}-comment": "x"}).status_code == 403
    answered = web["th"].post(f"/practices/{practice_id}/answers/{question_id}",
                              data={f"a{question_id}-comment": "Yearly, by the NHSO board."}, follow_redirects=True)
    assert "Yearly, by the NHSO board." in answered.get_data(as_text=True)


def test_the_country_page_and_the_secretariats_home_list_the_practices(web):
    country = web["observer"].get("/countries/TH").get_data(as_text=True)
    assert DEMO_TH in country and DEMO_PH not in country
    home = web["secretariat"].get("/").get_data(as_text=True)
    assert "Newest good practices" in home and DEMO_TH in home and DEMO_PH in home
    practice_id = _draft(web)
    assert PRACTICE["title"] in web["dswd"].get("/countries/PH").get_data(as_text=True)
    assert PRACTICE["title"] not in web["th"].get("/countries/PH").get_data(as_text=True)
    assert practice_id


def test_its_coordinator_attaches_a_file_that_the_readers_of_the_practice_download(web, app):
    practice_id = _draft(web)
    assert web["dswd"].get(f"/practices/{practice_id}/attachments").status_code == 403
    assert web["th"].get(f"/practices/{practice_id}/attachments").status_code == 404
    form = web["coordinator"].get(f"/practices/{practice_id}/attachments")
    assert form.status_code == 200 and PRACTICE["title"] in form.get_data(as_text=True)
    empty = web["coordinator"].post(f"/practices/{practice_id}/attachments", data={},
                                    content_type="multipart/form-data")
    assert empty.status_code == 422
    done = web["coordinator"].post(f"/practices/{practice_id}/attachments", follow_redirects=True,
                                   data={"file": (io.BytesIO(PDF_BYTES), "manual.pdf"), "description": "Manual"},
                                   content_type="multipart/form-data")
    page = done.get_data(as_text=True)
    assert "manual.pdf" in page and "Manual" in page
    with app.app_context():
        file_id = db.session.scalar(select(Attachment.id).where(Attachment.practice_id == practice_id))
    assert web["dswd"].get(f"/attachments/{file_id}").data == PDF_BYTES
    assert web["observer"].get(f"/attachments/{file_id}").status_code == 404
    confirm = web["coordinator"].get(f"/attachments/{file_id}/remove")
    assert confirm.status_code == 200 and PRACTICE["title"] in confirm.get_data(as_text=True)
    removed = web["coordinator"].post(f"/attachments/{file_id}/remove")
    assert removed.headers["Location"].endswith(f"/practices/{practice_id}#attachments")
    assert f'id="attachment-{file_id}"' not in web["coordinator"].get(f"/practices/{practice_id}").get_data(
        as_text=True)
    assert web["dswd"].get(f"/attachments/{file_id}").status_code == 404
