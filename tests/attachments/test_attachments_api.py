"""Attachments in the JSON API, on SQLite and PostgreSQL: upload, list, download, removal; the
size limit, the type allow-list judged by content, safe names; and who may do what (the user
who may, another ministry, another country, another role), by id enumeration too."""
import hashlib
from urllib.parse import quote

import pytest
from attachment_support import ACCEPTED, EXE_BYTES, MIB, REFUSED, upload
from helpers import PDF_BYTES, row_counts
from sqlalchemy import func, select

from coordination.attachments import files
from coordination.attachments.models import Attachment, AttachmentChunk

ITEM_FIELDS = {"id", "filename", "size", "content_type", "sha256", "description", "uploaded_by", "uploaded_at"}


def attach(client, item_id, headers, name="evidence.pdf", data=PDF_BYTES, **fields):
    return upload(client, f"/api/v1/items/{item_id}/attachments", headers, name, data, **fields)


def test_a_file_attached_to_an_item_is_listed_and_downloads_as_sent(client, tokens, item_id):
    response = attach(client, item_id, tokens["dswd"], description="Signed note from DSWD")

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == ITEM_FIELDS
    assert (body["filename"], body["size"], body["content_type"], body["description"]) == (
        "evidence.pdf", len(PDF_BYTES), "application/pdf", "Signed note from DSWD")
    assert body["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    listed = client.get(f"/api/v1/items/{item_id}/attachments", headers=tokens["coordinator"]).get_json()
    assert listed == {"attachments": [body]}

    download = client.get(f"/api/v1/attachments/{body['id']}", headers=tokens["coordinator"])
    assert download.status_code == 200
    assert download.data == PDF_BYTES
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == \
        "attachment; filename=\"evidence.pdf\"; filename*=UTF-8''evidence.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Length"] == str(len(PDF_BYTES))
    events = client.get(f"/api/v1/items/{item_id}", headers=tokens["coordinator"]).get_json()["events"]
    assert (events[-1]["trigger"], events[-1]["comment"]) == ("attach", "evidence.pdf")


@pytest.mark.parametrize("name, data, content_type", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_each_accepted_kind_is_stored_with_the_type_its_content_shows(client, tokens, item_id, name, data,
                                                                      content_type):
    response = attach(client, item_id, tokens["coordinator"], name, data)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["content_type"] == content_type
    download = client.get(f"/api/v1/attachments/{response.get_json()['id']}", headers=tokens["coordinator"])
    assert (download.data, download.headers["Content-Type"]) == (data, content_type)


@pytest.mark.parametrize("name, data", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_type_outside_the_list_is_refused_by_its_content_whatever_its_name(app, client, tokens, item_id, name,
                                                                            data):
    before = row_counts(app)
    response = attach(client, item_id, tokens["coordinator"], name, data)
    assert response.status_code == 415
    body = response.get_json()
    assert body["error"] == "unsupported_media_type"
    for accepted in ("PDF", "docx", "xlsx", "OpenDocument", "CSV", "plain text", "PNG", "JPEG"):
        assert accepted in body["message"]
    assert row_counts(app) == before


def test_an_exe_renamed_pdf_is_refused(client, tokens, item_id):
    response = attach(client, item_id, tokens["dswd"], "budget-2027.pdf", EXE_BYTES)
    assert (response.status_code, response.get_json()["error"]) == (415, "unsupported_media_type")
    assert client.get(f"/api/v1/items/{item_id}/attachments", headers=tokens["dswd"]).get_json() == \
        {"attachments": []}


def test_a_file_of_20_mib_and_1_byte_is_refused_and_nothing_is_kept(app, client, tokens, item_id):
    assert app.config["MAX_ATTACHMENT_BYTES"] == 20 * MIB
    before = row_counts(app)
    response = attach(client, item_id, tokens["coordinator"], "big.txt", b"a" * (20 * MIB + 1))
    assert response.status_code == 413
    assert response.get_json()["error"] == "payload_too_large"
    assert "20" in response.get_json()["message"]
    assert row_counts(app) == before


def test_the_upload_routes_alone_take_more_than_max_body_bytes(client, tokens, item_id):
    """A file of 3 MiB (over MAX_BODY_BYTES, 1 MiB) goes in, in 1 MiB chunks; a JSON body of the
    same size to a comment still answers 413."""
    data = b"0123456789abcdef\n" * (3 * MIB // 17)
    response = attach(client, item_id, tokens["coordinator"], "long.txt", data)
    assert response.status_code == 201, response.get_json()
    assert client.get(f"/api/v1/attachments/{response.get_json()['id']}", headers=tokens["coordinator"]).data == data
    comment = client.post(f"/api/v1/items/{item_id}/comments", headers=tokens["coordinator"],
                          json={"comment": "x" * (3 * MIB)})
    assert comment.status_code == 413


def test_a_body_far_over_the_attachment_limit_is_refused_before_it_is_read(make_app, item_id, tokens):
    app = make_app(MAX_ATTACHMENT_BYTES=1000)
    client = app.test_client()
    response = attach(client, item_id, tokens["coordinator"], "big.txt", b"a" * 200_000)
    assert (response.status_code, response.get_json()["error"]) == (413, "payload_too_large")


def test_the_bytes_are_kept_in_chunks_of_1_mib(client, tokens, item_id, session):
    data = bytes(range(256)) * (4096 * 2 + 512)  # 2.5 MiB, not text
    data = b"%PDF-1.7\n" + data
    response = attach(client, item_id, tokens["coordinator"], "scan.pdf", data)
    assert response.status_code == 201
    attachment_id = response.get_json()["id"]
    sizes = [len(c) for c in session.scalars(select(AttachmentChunk.data).where(
        AttachmentChunk.attachment_id == attachment_id).order_by(AttachmentChunk.number))]
    assert sizes == [MIB, MIB, len(data) - 2 * MIB]
    download = client.get(f"/api/v1/attachments/{attachment_id}", headers=tokens["coordinator"])
    assert download.is_streamed
    assert hashlib.sha256(download.data).hexdigest() == response.get_json()["sha256"] == \
        hashlib.sha256(data).hexdigest()


def test_an_empty_file_or_none_answers_422_and_keeps_nothing(app, client, tokens, item_id):
    before = row_counts(app)
    empty = attach(client, item_id, tokens["coordinator"], "empty.pdf", b"")
    assert empty.status_code == 422
    assert "empty" in empty.get_json()["fields"]["file"][0]
    missing = client.post(f"/api/v1/items/{item_id}/attachments", headers=tokens["coordinator"],
                          data={"description": "no file"}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.get_json()["fields"]
    as_json = client.post(f"/api/v1/items/{item_id}/attachments", headers=tokens["coordinator"], json={})
    assert as_json.status_code == 422 and "file" in as_json.get_json()["fields"]
    long_description = attach(client, item_id, tokens["coordinator"], description="x" * 1001)
    assert long_description.status_code == 422 and "description" in long_description.get_json()["fields"]
    assert row_counts(app) == before


@pytest.mark.parametrize("sent, stored", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("bad\x07\x1b[31mname\u202e.txt", "bad[31mname.txt"),
    ("..hidden.txt", "hidden.txt"),
    ("/", "attachment"),
    ("Báo cáo năm 2026.txt", "Báo cáo năm 2026.txt"),
])
def test_a_name_with_path_parts_or_control_characters_is_stored_safe(client, tokens, item_id, sent, stored):
    response = attach(client, item_id, tokens["coordinator"], sent, b"plain text\n")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["filename"] == stored
    download = client.get(f"/api/v1/attachments/{response.get_json()['id']}", headers=tokens["coordinator"])
    assert download.headers["Content-Disposition"].endswith("filename*=UTF-8''" + quote(stored, safe=""))
    assert "\n" not in download.headers["Content-Disposition"]


def test_safe_names_drop_windows_folders_too():
    assert files.safe_filename("C:\\Users\\ana\\Desktop\\note.txt") == "note.txt"
    assert files.safe_filename(None) == files.safe_filename("  ") == "attachment"
    assert files.safe_filename("x" * 300) == "x" * 200


def test_a_name_of_300_characters_keeps_200_with_its_extension(client, tokens, item_id):
    response = attach(client, item_id, tokens["coordinator"], "a" * 296 + ".pdf", PDF_BYTES)
    name = response.get_json()["filename"]
    assert len(name) == 200 and name.endswith(".pdf")


# -- who may ----------------------------------------------------------------------------------------

def test_who_may_attach_to_an_item(client, tokens, item_id):
    """The coordinator and the holding ministry's staff (who may comment); not another ministry
    (403), another country, the secretariat, an observer or the admin (404)."""
    assert attach(client, item_id, tokens["coordinator"]).status_code == 201
    assert attach(client, item_id, tokens["dswd"]).status_code == 201
    assert attach(client, item_id, tokens["dole"]).status_code == 403
    for other in ("th", "secretariat", "observer", "admin"):
        assert attach(client, item_id, tokens[other]).status_code == 404, other


def test_a_supporting_ministry_may_attach(client, tokens, item_id, ministries):
    version = client.get(f"/api/v1/items/{item_id}", headers=tokens["coordinator"]).get_json()["version"]
    client.patch(f"/api/v1/items/{item_id}", headers=tokens["coordinator"],
                 json={"version": version, "supporter_ids": [ministries["DOLE"]]})
    assert attach(client, item_id, tokens["dole"]).status_code == 201


def test_another_country_gets_404_for_every_file_by_id_enumeration(client, tokens, item_id, session):
    ids = [attach(client, item_id, tokens["coordinator"]).get_json()["id"] for _ in range(3)]
    last = session.scalar(select(func.max(Attachment.id)))
    for attachment_id in range(1, last + 3):
        for other in ("th", "secretariat", "observer", "admin"):
            download = client.get(f"/api/v1/attachments/{attachment_id}", headers=tokens[other])
            assert download.status_code == 404, (other, attachment_id)
            assert download.get_json()["error"] == "not_found"
            assert client.delete(f"/api/v1/attachments/{attachment_id}", headers=tokens[other]).status_code == 404
    for other in ("th", "secretariat"):
        assert client.get(f"/api/v1/items/{item_id}/attachments", headers=tokens[other]).status_code == 404
    # Everyone of the country reads them: another ministry too, as it reads the item.
    for reader in ("coordinator", "dswd", "dole"):
        assert all(client.get(f"/api/v1/attachments/{i}", headers=tokens[reader]).status_code == 200 for i in ids)


def test_removal_by_the_uploader_or_the_coordinator_hides_and_keeps_the_bytes(client, tokens, item_id, session):
    mine = attach(client, item_id, tokens["dswd"], "mine.pdf").get_json()["id"]
    other = attach(client, item_id, tokens["dswd"], "other.pdf").get_json()["id"]
    coordinators = attach(client, item_id, tokens["coordinator"], "coordinator.pdf").get_json()["id"]

    assert client.delete(f"/api/v1/attachments/{coordinators}", headers=tokens["dswd"]).status_code == 403
    assert client.delete(f"/api/v1/attachments/{mine}", headers=tokens["dole"]).status_code == 403
    assert client.delete(f"/api/v1/attachments/{mine}", headers=tokens["dswd"]).status_code == 204
    assert client.delete(f"/api/v1/attachments/{other}", headers=tokens["coordinator"]).status_code == 204

    listed = client.get(f"/api/v1/items/{item_id}/attachments", headers=tokens["dswd"]).get_json()["attachments"]
    assert [a["id"] for a in listed] == [coordinators]
    for gone in (mine, other):
        assert client.get(f"/api/v1/attachments/{gone}", headers=tokens["coordinator"]).status_code == 404
        assert client.delete(f"/api/v1/attachments/{gone}", headers=tokens["coordinator"]).status_code == 404
    kept = session.get(Attachment, other)
    assert kept.removed_at is not None and kept.removed_by_id is not None
    assert session.scalar(select(func.count()).select_from(AttachmentChunk)
                          .where(AttachmentChunk.attachment_id == other)) == 1
    events = client.get(f"/api/v1/items/{item_id}", headers=tokens["coordinator"]).get_json()["events"]
    removals = [(e["trigger"], e["comment"]) for e in events if e["trigger"] == "detach"]
    assert removals == [("detach", "mine.pdf"), ("detach", "other.pdf")]
