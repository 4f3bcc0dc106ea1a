"""Files of a national meeting, on SQLite and PostgreSQL: its coordinator attaches and removes
them (asked first), its country's ministry staff and the secretariat download them, another
country, the observer and the admin find neither the files nor the meeting (404); a regional
meeting takes none. The meeting page reads its files in one statement however many there are."""
import io

import pytest
from helpers import PDF_BYTES, Statements, api_token, field_errors, signed_in_client
from sqlalchemy import select

from coordination import clock
from coordination.attachments.models import Attachment
from coordination.extensions import db
from coordination.meetings.demo import seed_meetings
from coordination.meetings.models import Meeting

ROLES = {"coordinator": "coordinator.ph@example.org", "dswd": "staff.ph.dswd@example.org",
         "th": "coordinator.th@example.org", "secretariat": "secretariat@example.org",
         "observer": "observer@example.org", "admin": "admin@example.org"}
READERS = ("coordinator", "dswd", "secretariat")
OUTSIDERS = ("th", "observer", "admin")


@pytest.fixture
def meetings(app):
    """The demo's meetings: the Philippines' national one and a regional one (ids)."""
    with app.app_context():
        seed_meetings(db.session, clock.now())
        db.session.commit()
        national = db.session.scalar(select(Meeting.id).where(Meeting.country_code == "PH"))
        regional = db.session.scalar(select(Meeting.id).where(Meeting.country_code.is_(None)))
    return {"national": national, "regional": regional}


@pytest.fixture
def web(app, meetings):
    return {name: signed_in_client(app, email) for name, email in ROLES.items()}


@pytest.fixture
def tokens(client, meetings):
    return {name: api_token(client, email) for name, email in ROLES.items()}


def _pdf(name="minutes.pdf", **extra):
    return {"file": (io.BytesIO(PDF_BYTES), name), **extra}


# -- the API -------------------------------------------------------------------------------------

def test_the_coordinator_attaches_through_the_api_and_the_readers_download(client, tokens, meetings):
    path = f"/api/v1/meetings/{meetings['national']}/attachments"
    response = client.post(path, headers=tokens["coordinator"], data=_pdf(description="Signed minutes"),
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["filename"] == "minutes.pdf" and body["description"] == "Signed minutes"
    for name in READERS:
        listed = client.get(path, headers=tokens[name])
        assert listed.status_code == 200 and [a["id"] for a in listed.get_json()["attachments"]] == [body["id"]]
        assert client.get(f"/api/v1/attachments/{body['id']}", headers=tokens[name]).data == PDF_BYTES
    for name in OUTSIDERS:
        assert client.get(path, headers=tokens[name]).status_code == 404, name
        download = client.get(f"/api/v1/attachments/{body['id']}", headers=tokens[name])
        assert download.status_code == 404 and download.get_json()["error"] == "not_found", name
    with client.application.app_context():
        stored = db.session.get(Attachment, body["id"])
        assert stored.meeting_id == meetings["national"] and stored.country_code == "PH"


def test_only_the_coordinator_of_the_country_attaches_and_removes(client, tokens, meetings):
    path = f"/api/v1/meetings/{meetings['national']}/attachments"
    for name in ("dswd", "secretariat"):
        refused = client.post(path, headers=tokens[name], data=_pdf(), content_type="multipart/form-data")
        assert refused.status_code == 403, name
    for name in OUTSIDERS:
        refused = client.post(path, headers=tokens[name], data=_pdf(), content_type="multipart/form-data")
        assert refused.status_code == 404, name
    file_id = client.post(path, headers=tokens["coordinator"], data=_pdf(),
                          content_type="multipart/form-data").get_json()["id"]
    assert client.delete(f"/api/v1/attachments/{file_id}", headers=tokens["dswd"]).status_code == 403
    assert client.delete(f"/api/v1/attachments/{file_id}", headers=tokens["secretariat"]).status_code == 403
    assert client.delete(f"/api/v1/attachments/{file_id}", headers=tokens["th"]).status_code == 404
    assert client.delete(f"/api/v1/attachments/{file_id}", headers=tokens["coordinator"]).status_code == 204
    assert client.get(path, headers=tokens["dswd"]).get_json() == {"attachments": []}
    assert client.get(f"/api/v1/attachments/{file_id}", headers=tokens["dswd"]).status_code == 404


def test_a_regional_meeting_takes_no_file(client, tokens, meetings):
    path = f"/api/v1/meetings/{meetings['regional']}/attachments"
    for name in ("secretariat", "coordinator"):
        response = client.post(path, headers=tokens[name], data=_pdf(), content_type="multipart/form-data")
        assert response.status_code == 422, name
        body = response.get_json()
        assert body["error"] == "validation_error"
        assert "national coordination mechanism" in " ".join(body["fields"]["file"])
    assert client.get(path, headers=tokens["secretariat"]).get_json() == {"attachments": []}
    with client.application.app_context():
        assert db.session.scalar(select(Attachment.id).where(Attachment.meeting_id.is_not(None))) is None


def test_bad_uploads_change_nothing(client, tokens, meetings):
    path = f"/api/v1/meetings/{meetings['national']}/attachments"
    empty = client.post(path, headers=tokens["coordinator"], data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "file" in empty.get_json()["fields"]
    odd = client.post(path, headers=tokens["coordinator"], data={"file": (io.BytesIO(b"MZ\x90\x00"), "tool.exe")},
                      content_type="multipart/form-data")
    assert odd.status_code == 415
    assert client.post("/api/v1/meetings/999999/attachments", headers=tokens["coordinator"], data=_pdf(),
                       content_type="multipart/form-data").status_code == 404
    assert client.get(path, headers=tokens["coordinator"]).get_json() == {"attachments": []}


# -- the pages -----------------------------------------------------------------------------------

def test_the_coordinator_attaches_and_removes_a_file_on_the_meeting_page(web, meetings):
    meeting_id = meetings["national"]
    page = web["coordinator"].get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert 'id="attachments"' in page and "No file is attached." in page
    assert f'href="/meetings/{meeting_id}/attachments"' in page
    form = web["coordinator"].get(f"/meetings/{meeting_id}/attachments")
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert 'for="file"' in text and 'enctype="multipart/form-data"' in text and 'for="description"' in text
    empty = web["coordinator"].post(f"/meetings/{meeting_id}/attachments", data={},
                                    content_type="multipart/form-data")
    assert empty.status_code == 422 and "file" in field_errors(empty)
    done = web["coordinator"].post(f"/meetings/{meeting_id}/attachments", follow_redirects=True,
                                   data=_pdf(description="Signed minutes"), content_type="multipart/form-data")
    shown = done.get_data(as_text=True)
    assert "The file “minutes.pdf” is attached." in shown and "Signed minutes" in shown
    assert "National Coordinator, Philippines" in shown  # who attached it
    file_id = int(shown.split('id="attachment-', 1)[1].split('"', 1)[0])
    confirm = web["coordinator"].get(f"/attachments/{file_id}/remove")
    assert confirm.status_code == 200 and "btn-danger" in confirm.get_data(as_text=True)
    removed = web["coordinator"].post(f"/attachments/{file_id}/remove")
    assert removed.headers["Location"].endswith(f"/meetings/{meeting_id}#attachments")
    assert f'id="attachment-{file_id}"' not in web["coordinator"].get(f"/meetings/{meeting_id}").get_data(
        as_text=True)


def test_who_sees_the_files_on_the_pages(web, client, tokens, meetings):
    meeting_id = meetings["national"]
    file_id = client.post(f"/api/v1/meetings/{meeting_id}/attachments", headers=tokens["coordinator"],
                          data=_pdf(), content_type="multipart/form-data").get_json()["id"]
    for name in ("dswd", "secretariat"):
        page = web[name].get(f"/meetings/{meeting_id}").get_data(as_text=True)
        assert f'id="attachment-{file_id}"' in page and "minutes.pdf" in page, name
        assert f'href="/meetings/{meeting_id}/attachments"' not in page, name
        assert f"/attachments/{file_id}/remove" not in page, name
        assert web[name].get(f"/attachments/{file_id}").data == PDF_BYTES, name
        assert web[name].get(f"/meetings/{meeting_id}/attachments").status_code == 403, name
        assert web[name].post(f"/attachments/{file_id}/remove").status_code == 403, name
    for name in OUTSIDERS:
        assert web[name].get(f"/meetings/{meeting_id}").status_code == 404, name
        assert web[name].get(f"/attachments/{file_id}").status_code == 404, name
        assert web[name].get(f"/meetings/{meeting_id}/attachments").status_code == 404, name
        assert web[name].get(f"/attachments/{file_id}/remove").status_code == 404, name


def test_a_regional_meeting_page_offers_no_upload(web, meetings):
    meeting_id = meetings["regional"]
    page = web["secretariat"].get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert 'id="attachments"' not in page and f"/meetings/{meeting_id}/attachments" not in page
    refused = web["secretariat"].post(f"/meetings/{meeting_id}/attachments", data=_pdf(),
                                      content_type="multipart/form-data")
    assert refused.status_code == 404
    assert "national coordination mechanism" in refused.get_data(as_text=True)


def test_the_meeting_page_reads_its_files_in_one_statement(app, web, client, tokens, meetings):
    meeting_id = meetings["national"]
    with app.app_context():
        engine = db.engine

    def statements():
        with Statements(engine) as recorder:
            assert web["coordinator"].get(f"/meetings/{meeting_id}").status_code == 200
        return recorder.seen

    client.post(f"/api/v1/meetings/{meeting_id}/attachments", headers=tokens["coordinator"],
                data=_pdf("one.pdf"), content_type="multipart/form-data")
    one = statements()
    for n in range(4):
        client.post(f"/api/v1/meetings/{meeting_id}/attachments", headers=tokens["coordinator"],
                    data=_pdf(f"more-{n}.pdf"), content_type="multipart/form-data")
    five = statements()
    assert len(five) == len(one)
    assert len([s for s, _ in five if "FROM attachments" in s]) == 1


def test_the_files_of_a_meeting_are_read_through_their_index(app, web, client, tokens, meetings):
    """SQLite's plan for the page's and the API's statement on attachments searches
    ix_attachments_meeting_id_id, never scans the table."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    meeting_id = meetings["national"]
    client.post(f"/api/v1/meetings/{meeting_id}/attachments", headers=tokens["coordinator"], data=_pdf(),
                content_type="multipart/form-data")
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        assert web["coordinator"].get(f"/meetings/{meeting_id}").status_code == 200
        assert client.get(f"/api/v1/meetings/{meeting_id}/attachments", headers=tokens["dswd"]).status_code == 200
    plans = []
    with app.app_context(), db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in recorder.seen:
            if statement.lstrip().upper().startswith("SELECT") and "FROM attachments" in statement \
                    and "meeting_id = " in statement:
                plans.append([row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)])
    assert len(plans) == 2
    for plan in plans:
        assert any("ix_attachments_meeting_id_id" in line for line in plan), plan
        assert not any(line.startswith("SCAN attachments") for line in plan), plan
