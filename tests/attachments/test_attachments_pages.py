"""Attachment pages, on SQLite and PostgreSQL: the upload form of an item (and a comment carrying
a file), its messages for a refused file, the download, the removal with its confirmation page,
the report's files on their indicator; and the same rules as the API for each side."""
import io

import pytest
from attachment_support import EXE_BYTES, MIB, new_item, upload
from helpers import PDF_BYTES, field_errors, form_errors, row_counts, sign_in
from test_attachments_reports import report_id  # noqa: F401 - the fixture

COORDINATOR, DSWD, DOLE, TH = ("coordinator.ph@example.org", "staff.ph.dswd@example.org",
                               "staff.ph.dole@example.org", "coordinator.th@example.org")


def web(app, email):
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def post_file(client, path, name="evidence.pdf", data=PDF_BYTES, **fields):
    return client.post(path, content_type="multipart/form-data", data={"file": (io.BytesIO(data), name), **fields})


def test_the_holding_ministry_uploads_on_the_item_page_and_everyone_of_the_country_sees_it(app, item_id):
    staff = web(app, DSWD)
    page = staff.get(f"/items/{item_id}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page

    response = post_file(staff, f"/items/{item_id}/attachments", description="Signed note")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/items/{item_id}#attachments")
    for email in (COORDINATOR, DSWD, DOLE):
        shown = web(app, email).get(f"/items/{item_id}").get_data(as_text=True)
        assert "evidence.pdf" in shown and "Signed note" in shown and "Attached a file" in shown
    assert "evidence.pdf" not in web(app, TH).get(f"/items/{item_id}").get_data(as_text=True)


def test_a_ministry_that_may_not_comment_sees_no_upload_form_and_is_refused(app, item_id):
    other = web(app, DOLE)
    assert 'type="file"' not in other.get(f"/items/{item_id}").get_data(as_text=True)
    assert post_file(other, f"/items/{item_id}/attachments").status_code == 403
    assert post_file(web(app, TH), f"/items/{item_id}/attachments").status_code == 404


@pytest.mark.parametrize("name, data, status, words", [
    ("setup.pdf", EXE_BYTES, 415, "Accepted: PDF"),
    ("empty.pdf", b"", 422, "The file is empty"),
    ("big.txt", b"a" * (20 * MIB + 1), 413, "larger than 20"),
])
def test_a_refused_file_shows_the_form_again_with_its_message(app, item_id, name, data, status, words):
    staff = web(app, DSWD)
    before = row_counts(app)
    response = post_file(staff, f"/items/{item_id}/attachments", name, data)
    assert response.status_code == status
    assert any(words in message for message in field_errors(response)["file"])
    assert any(words in message for message in form_errors(response))  # the error summary
    assert row_counts(app) == before


def test_no_file_chosen_is_a_form_message(app, item_id):
    response = web(app, DSWD).post(f"/items/{item_id}/attachments", data={"description": "forgot it"})
    assert response.status_code == 422
    assert field_errors(response)["file"] == ["Choose a file to upload."]


def test_a_comment_carries_a_file(app, item_id):
    staff = web(app, DSWD)
    response = staff.post(f"/items/{item_id}/comments", content_type="multipart/form-data", data={
        "comment": "Figures attached", "attachment": (io.BytesIO(b"region,value\nNCR,12\n"), "figures.csv")})
    assert response.status_code == 302
    page = staff.get(f"/items/{item_id}").get_data(as_text=True)
    assert "Figures attached" in page and "figures.csv" in page
    refused = staff.post(f"/items/{item_id}/comments", content_type="multipart/form-data", data={
        "comment": "And this", "attachment": (io.BytesIO(EXE_BYTES), "tool.pdf")})
    assert refused.status_code == 415
    assert any("Accepted: PDF" in m for m in field_errors(refused)["attachment"])
    assert "And this" in refused.get_data(as_text=True)  # the comment typed comes back


def test_a_strange_name_is_shown_escaped(app, item_id):
    staff = web(app, DSWD)
    post_file(staff, f"/items/{item_id}/attachments", "<img src=x onerror=alert(1)>.txt", b"text\n")
    page = staff.get(f"/items/{item_id}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.txt" in page


def test_the_web_download_streams_the_file_as_an_attachment(app, item_id, session):
    from sqlalchemy import select

    from coordination.attachments.models import Attachment

    staff = web(app, DSWD)
    post_file(staff, f"/items/{item_id}/attachments", "Báo cáo.pdf")
    attachment_id = session.scalar(select(Attachment.id).where(Attachment.item_id == item_id))
    response = web(app, DOLE).get(f"/attachments/{attachment_id}")
    assert response.status_code == 200 and response.is_streamed and response.data == PDF_BYTES
    assert response.headers["Content-Disposition"] == \
        "attachment; filename=\"Bao cao.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    for outsider in (TH, "secretariat@example.org", "observer@example.org", "admin@example.org"):
        assert web(app, outsider).get(f"/attachments/{attachment_id}").status_code == 404


def test_removal_asks_first_then_hides_the_file(app, item_id, session):
    from sqlalchemy import select

    from coordination.attachments.models import Attachment

    staff = web(app, DSWD)
    post_file(staff, f"/items/{item_id}/attachments", "draft-note.pdf")
    attachment_id = session.scalar(select(Attachment.id).where(Attachment.item_id == item_id))
    assert f"/attachments/{attachment_id}/remove" not in web(app, DOLE).get(f"/items/{item_id}").get_data(as_text=True)
    assert web(app, DOLE).post(f"/attachments/{attachment_id}/remove").status_code == 403
    assert web(app, TH).get(f"/attachments/{attachment_id}/remove").status_code == 404

    confirm = staff.get(f"/attachments/{attachment_id}/remove")
    assert confirm.status_code == 200
    text = confirm.get_data(as_text=True)
    assert "Yes, remove the file" in text and 'class="btn btn-danger"' in text
    assert staff.post(f"/attachments/{attachment_id}/remove").status_code == 302
    page = web(app, COORDINATOR).get(f"/items/{item_id}").get_data(as_text=True)
    assert "Removed a file" in page
    assert f'href="/attachments/{attachment_id}"' not in page
    assert staff.get(f"/attachments/{attachment_id}").status_code == 404


def test_the_item_page_sends_as_many_statements_with_one_file_as_with_five(app, client, tokens, ministries):
    from sqlalchemy import event

    from coordination.extensions import db

    item = new_item(client, tokens["coordinator"], ministries["DSWD"])
    staff = web(app, DSWD)

    def statements():
        seen = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert staff.get(f"/items/{item}").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return seen

    upload(client, f"/api/v1/items/{item}/attachments", tokens["dswd"], "one.pdf", PDF_BYTES)
    one = statements()
    for n in range(4):
        upload(client, f"/api/v1/items/{item}/attachments", tokens["coordinator"], f"more-{n}.pdf", PDF_BYTES)
    assert len(statements()) == len(one)
    assert not any("attachment_chunks" in s for s in one)  # a page never reads the bytes


def test_the_report_page_lists_a_data_requests_file_on_its_indicator(app, client, tokens, ministries,
                                                                     report_id):  # noqa: F811 - the fixture
    request = client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                          json={"indicator_code": "SPF_CHILDREN", "ministry_id": ministries["DSWD"]}).get_json()
    staff = web(app, DSWD)
    assert post_file(staff, f"/items/{request['item_id']}/attachments", "register.csv",
                     b"region,children\nNCR,1200\n").status_code == 302
    coordinator = web(app, COORDINATOR)
    page = coordinator.get(f"/reports/{report_id}").get_data(as_text=True)
    children = page[page.index('id="indicator-SPF_CHILDREN"'):]
    assert "register.csv" in children[:children.index("</tbody>")]

    uploaded = post_file(coordinator, f"/reports/{report_id}/attachments", "strategy.pdf",
                         indicator_code="", description="National strategy")
    assert uploaded.status_code == 302
    page = coordinator.get(f"/reports/{report_id}").get_data(as_text=True)
    files = page[page.index('id="attachments"'):]
    assert "strategy.pdf" in files[:files.index("</section>")]
    assert 'type="file"' not in staff.get(f"/reports/{report_id}").get_data(as_text=True)
    assert post_file(staff, f"/reports/{report_id}/attachments").status_code == 403
    assert post_file(web(app, TH), f"/reports/{report_id}/attachments").status_code == 404
