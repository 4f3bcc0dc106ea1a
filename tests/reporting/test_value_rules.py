"""What a value may be beyond its type: counts are whole, yes/no is never an estimate; the
demo's accepted reports are complete; people read names, not codes, in the notices."""
import pytest
from sqlalchemy import select

from coordination.reminders.models import Notification
from coordination.reporting.models import IndicatorValue


def put(client, tokens, report_id, code, body, who="coordinator"):
    return client.put(f"/api/v1/reports/{report_id}/values/{code}", json=body, headers=tokens[who])


@pytest.mark.parametrize("value, ok", [(4, True), (4.0, True), (0, True), (4.5, False), (0.1, False)])
def test_a_count_is_a_whole_number(client, tokens, session, open_cycle, value, ok):
    response = put(client, tokens, open_cycle["report"], "COORD_MEETINGS", {"value": value})
    assert response.status_code == (200 if ok else 422)
    if not ok:
        assert response.get_json()["fields"]["value"] == [
            "Enter a whole number: this indicator counts (meetings, agreements, …)."]
        assert session.scalar(select(IndicatorValue).where(IndicatorValue.report_id == open_cycle["report"])) is None


def test_a_yes_no_answer_is_never_an_estimate(client, tokens, session, open_cycle):
    report_id = open_cycle["report"]
    refused = put(client, tokens, report_id, "COORD_FOCAL_POINT", {"value": True, "availability": "estimate"})
    assert refused.status_code == 422
    assert refused.get_json()["fields"]["availability"] == [
        "A yes or no answer is not an estimate: answer it as reported, or flag it as not available or not "
        "applicable."]
    assert session.scalar(select(IndicatorValue).where(IndicatorValue.report_id == report_id)) is None
    assert put(client, tokens, report_id, "COORD_FOCAL_POINT", {"value": True}).status_code == 200
    assert put(client, tokens, report_id, "SPF_MATERNITY", {"value": 11, "availability": "estimate"}).status_code == 200


def test_the_flags_offered_for_an_indicator(app):
    from types import SimpleNamespace

    from coordination.reporting.values import availabilities

    assert "estimate" not in availabilities(SimpleNamespace(unit="yes_no"))
    assert availabilities(SimpleNamespace(unit="percent")) == ("reported", "estimate", "not_available",
                                                               "not_applicable")


def test_the_demo_baseline_reports_are_accepted_and_complete(client, tokens):
    cycles = client.get("/api/v1/cycles", headers=tokens["secretariat"]).get_json()
    baseline = next(c for c in cycles if c["name"] == "SDG 1.3.1 baseline (latest ILO estimates)")
    body = client.get(f"/api/v1/cycles/{baseline['id']}/compliance", headers=tokens["secretariat"]).get_json()
    assert body["countries"]
    for row in body["countries"]:
        assert row["state"] == "accepted" and row["completeness"] == 100.0, row
    report = client.get(f"/api/v1/reports/{body['countries'][0]['report_id']}", headers=tokens["secretariat"])
    assert report.get_json()["missing"] == []


def test_the_report_notices_name_the_member_state(client, tokens, session, open_cycle, fill_required):
    from coordination.auth.models import User

    report_id = open_cycle["report"]

    def fire(trigger, who="coordinator", **extra):
        version = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()["version"]
        return client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens[who],
                           json={"trigger": trigger, "version": version, **extra})

    fire("start")
    fill_required(report_id)
    fire("submit")
    fire("send_back", who="secretariat", comment="Check the coverage figure")
    coordinator = session.scalar(select(User).where(User.email == "coordinator.ph@example.org"))
    notice = session.scalar(select(Notification).where(Notification.user_id == coordinator.id,
                                                       Notification.subject_type == "report"))
    assert notice.title == "Country report sent back: Philippines, 2027 self-assessment"


def test_the_data_request_notice_names_the_indicator(client, tokens, ids, session, open_cycle):
    from coordination.auth.models import User

    item_id = client.post(f"/api/v1/reports/{open_cycle['report']}/assignments", headers=tokens["coordinator"],
                          json={"indicator_code": "SPF_HEALTH_PROTECTION", "ministry_id": ids["DOH"]}
                          ).get_json()["item_id"]
    staff = session.scalar(select(User).where(User.ministry_id == ids["DOH"]))
    notice = session.scalar(select(Notification).where(Notification.user_id == staff.id,
                                                       Notification.subject_id == item_id))
    assert notice.title == ("Assigned to your ministry: Data request: Population protected by a health protection "
                            "scheme, 2027 self-assessment (SPF_HEALTH_PROTECTION)")


def test_refusals_come_in_the_language_of_the_request(client, tokens, open_cycle):
    report_id = open_cycle["report"]
    thai = tokens["coordinator"] | {"Accept-Language": "th"}
    response = client.put(f"/api/v1/reports/{report_id}/values/COORD_MEETINGS", json={"value": 4.5}, headers=thai)
    assert response.status_code == 422
    assert response.get_json()["fields"]["value"] == ["กรุณาระบุจำนวนเต็ม ตัวชี้วัดนี้เป็นการนับ (การประชุม ข้อตกลง …)"]
    indonesian = tokens["coordinator"] | {"Accept-Language": "id"}
    bad = client.post(f"/api/v1/reports/{report_id}/transitions", headers=indonesian,
                      json={"trigger": "fly", "version": 1})
    assert bad.status_code == 422 and bad.get_json()["error"] == "validation_error"  # codes stay as they are
    assert bad.get_json()["fields"]["trigger"] == [
        "Langkah tidak dikenal. Langkah yang ada: start, submit, accept, send_back, revise."]
    template = client.post("/api/v1/templates", headers=tokens["secretariat"] | {"Accept-Language": "vi"},
                           json={"name": "X", "indicators": [{"code": "bad code", "name": "N", "guarantee": "overall",
                                                              "unit": "percent"}]})
    assert template.status_code == 422
    assert template.get_json()["fields"]["indicators[0]"] == [
        "code: dùng chữ in hoa, chữ số và _ (ví dụ SPF_CHILDREN)."]


def test_the_value_form_offers_what_the_indicator_takes(client, open_cycle):
    """A yes/no answer offers no "estimate"; a count asks for whole numbers."""
    import re

    from helpers import sign_in

    sign_in(client, "coordinator.ph@example.org")
    page = client.get(f"/reports/{open_cycle['report']}").get_data(as_text=True)
    yes_no = re.search(r'<select[^>]*name="COORD_FOCAL_POINT-availability".*?</select>', page, re.S).group(0)
    assert 'value="not_available"' in yes_no and 'value="estimate"' not in yes_no
    share = re.search(r'<select[^>]*name="SPF_MATERNITY-availability".*?</select>', page, re.S).group(0)
    assert 'value="estimate"' in share
    count = re.search(r'<input[^>]*name="COORD_MEETINGS-number"[^>]*>', page).group(0)
    assert 'step="1"' in count


def test_a_report_never_submitted_in_a_closed_cycle_reads_missing(client, tokens, open_cycle):
    from helpers import sign_in

    missing = 'state-badge text-bg-danger">Missing</span>'
    sign_in(client, "coordinator.ph@example.org")
    assert missing not in client.get(f"/reports/{open_cycle['report']}").get_data(as_text=True)
    closed = client.post(f"/api/v1/cycles/{open_cycle['cycle']['id']}/transitions", json={"trigger": "close"},
                         headers=tokens["secretariat"])
    assert closed.status_code == 200
    for path in (f"/reports/{open_cycle['report']}", f"/cycles/{open_cycle['cycle']['id']}", "/cycles"):
        page = client.get(path).get_data(as_text=True)
        assert missing in page, path
        assert 'state-badge text-bg-secondary">Not started' not in page, path


def test_the_secretariat_is_told_of_a_submission_and_a_resubmission(client, tokens, session, open_cycle,
                                                                     fill_required):
    from coordination.auth.models import User

    report_id = open_cycle["report"]

    def fire(trigger, who="coordinator", **extra):
        version = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()["version"]
        return client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens[who],
                           json={"trigger": trigger, "version": version, **extra})

    def titles(email):
        user = session.scalar(select(User).where(User.email == email))
        return list(session.scalars(select(Notification.title).where(
            Notification.user_id == user.id, Notification.subject_type == "report").order_by(Notification.id)))

    fire("start")
    fill_required(report_id)
    assert fire("submit").status_code == 200
    assert titles("secretariat@example.org") == ["Country report submitted: Philippines, 2027 self-assessment"]
    assert titles("coordinator.th@example.org") == []  # another country's coordinator hears nothing
    fire("send_back", who="secretariat", comment="Check the coverage figure")
    fire("revise")
    assert fire("submit").status_code == 200
    assert titles("secretariat@example.org")[-1] == "Country report resubmitted: Philippines, 2027 self-assessment"
    assert "Country report submitted: Philippines, 2027 self-assessment" not in titles("coordinator.ph@example.org")
