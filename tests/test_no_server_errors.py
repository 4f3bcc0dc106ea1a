"""No request produces a 500: every route, as every role, with real ids, other countries' ids,
ids that do not exist, and empty or malformed bodies."""
import io
import re

import pytest
from helpers import PDF_BYTES, api_token, seed_attachments, sign_in
from sqlalchemy import select

from coordination import clock
from coordination.attachments import service as attachments
from coordination.attachments.models import Attachment
from coordination.auth.models import User
from coordination.demo_activity import seed_activity
from coordination.directory.models import Ministry
from coordination.items.models import ActionItem
from coordination.meetings.demo import seed_meetings
from coordination.meetings.models import Meeting
from coordination.practices.models import Practice, PracticeQuestion
from coordination.recommendations.models import Recommendation
from coordination.regional_items.demo import seed_regional_items
from coordination.regional_items.models import RegionalItem
from coordination.reporting.models import CountryReport, MonitoringTemplate, ReportingCycle
from coordination.reporting.uploads import PendingImport

# Page numbers and ids of 20 digits (an OFFSET or key no database takes), digits int() refuses.
ODD_QUERY = {"page": "99999999999999999999", "per_page": "99999999999999999999", "ministry_id": "99999999999999999999",
             "state": "²", "indicator": "²", "unread": "²", "q": "%_\\", "assignee": "²",
             "since": "99999999999999999999"}
# The bulk steps' ids: keys no column holds, what is no number, too many, repeated.
ODD_BULK_JSON = [{"ids": [10**30, -1, "x", None], "trigger": "cancel"}, {"ids": list(range(1, 600)), "priority": "low"},
                 {"ids": [1, 1], "due_date": "9999-12-31"}, {"ids": {"a": 1}, "trigger": []}]
ODD_BULK_FORM = {"ids": ["99999999999999999999", "²", "-1", ""], "page_ids": ["x", "99999999999999999999"],
                 "all": "page", "step": "due_date", "due_date": "2027-02-30", "back": "%zz&page=²&sort=\x00",
                 "ministry_id": "99999999999999999999", "priority": "urgent"}
# Dates outside 1900-01-01..2199-12-31 in every date field, a number int() refuses.
ODD_FIELDS = {"due_date": "9999-12-31", "deadline": "9999-12-31", "period_start": "0001-01-01",
              "period_end": "9999-12-31", "version": "²", "self_rating": "²", "target_year": "²", "page": "²",
              "from": "0001-01-01", "until": "9999-12-31", "away_from": "0001-01-01", "away_until": "2027-02-30",
              "assignee_id": "99999999999999999999", "deputy_id": "²"}

# The search's words: ones the demo data holds, syntax of either database's full-text search,
# LIKE wildcards, quotes, Thai, control characters, and more than any query reads.
SEARCHES = ["demo item", "ministries pension", "SDG", '"', "'", "%", "_", "%_\\", "a* OR b NEAR(c) -d ^e",
            '"unclosed', "title:x", "col : val {a b}", "ประกันสังคม", "bảo hiểm xã hội", "\x01\x7f", "ab",
            "x" * 5_000, "word " * 400, "\ue000mark\ue001"]

USERS = ["coordinator.ph@example.org", "staff.ph.dswd@example.org", "coordinator.th@example.org",
         "secretariat@example.org", "observer@example.org", "admin@example.org"]


def values_for(session) -> dict[str, list]:
    """Path parameters to try: PH's and TH's real rows, and ids that exist nowhere."""
    ph_item = session.scalar(select(ActionItem.id).where(ActionItem.country_code == "PH"))
    th_item = session.scalar(select(ActionItem.id).where(ActionItem.country_code == "TH"))
    report = session.scalar(select(CountryReport.id).where(CountryReport.country_code == "PH"))
    return {
        "item_id": [ph_item, th_item, 999999],
        "report_id": [report, 999999],
        # A published cycle and the open one (their figures read differently), and none.
        "cycle_id": [session.scalar(select(ReportingCycle.id)),
                     session.scalar(select(ReportingCycle.id).order_by(ReportingCycle.id.desc())), 999999],
        "template_id": [session.scalar(select(MonitoringTemplate.id)), 999999],
        "ministry_id": [session.scalar(select(Ministry.id).where(Ministry.country_code == "PH")), 999999],
        "user_id": [session.scalar(select(User.id)), 999999],
        "code": ["PH", "TH", "XX", "SPF_COVERAGE_TOTAL"],
        "indicator_code": ["SPF_COVERAGE_TOTAL", "NOPE"],
        "guarantee": ["health", "nope"],
        "token": ["not-a-token"],
        "notification_id": [1, 999999],
        "query_id": [1, 999999],
        "number": [1, 2, 999999],  # a report's submissions
        "upload_id": [*session.scalars(select(PendingImport.id)), 999999],  # an import waiting for its apply
        "regional_item_id": [session.scalar(select(RegionalItem.id)), 999999],  # the demo's (PH and MY)
        # The network's recommendations: one of the demo's, one of nobody; the member state assessed.
        "recommendation_id": [session.scalar(select(Recommendation.id).order_by(Recommendation.id)), 999999],
        "country": ["PH", "MY", "XX"],
        "country_code": ["PH", "XX"],
        "extension": ["csv", "xlsx"],
        # A meeting of the Philippines' mechanism, one of Thailand's, one of the regional network, none.
        "meeting_id": [session.scalar(select(Meeting.id).where(Meeting.country_code == "PH")),
                       session.scalar(select(Meeting.id).where(Meeting.country_code == "TH")),
                       session.scalar(select(Meeting.id).where(Meeting.country_code.is_(None))), 999999],
        # A file of the Philippines (an item's, the open report's, its meeting's), one of Thailand, one of nobody.
        # The demo's practices (the Philippines', Thailand's), their question, ids of none.
        "practice_id": [*session.scalars(select(Practice.id).order_by(Practice.id).limit(3)), 999999],
        "question_id": [*session.scalars(select(PracticeQuestion.id).limit(1)), 999999],
        "attachment_id": [*session.scalars(select(Attachment.id).where(Attachment.country_code == "PH")
                                           .order_by(Attachment.id)),
                          *session.scalars(select(Attachment.id).where(Attachment.country_code == "TH").limit(1)),
                          999999],
    }


def paths(app, session, methods: set[str]):
    values = values_for(session)
    for rule in app.url_map.iter_rules():
        if not (rule.methods & methods) or rule.endpoint in ("static", "bootstrap.static"):
            continue
        combos = [{}]
        for name in rule.arguments:
            options = values.get(name, ["1"])
            combos = [dict(c, **{name: v}) for c in combos for v in options]
        for combo in combos:
            yield rule, re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m, c=combo: str(c[m.group(1)]), rule.rule)


@pytest.fixture
def busy(app, session):
    """The demo data with action items, and an open cycle, so that pages have rows to show."""
    from coordination.extensions import db
    from coordination.reporting import cycles, uploads

    with app.app_context():
        seed_activity(db.session, clock.now())
        seed_regional_items(db.session, clock.now())
        seed_meetings(db.session, clock.now())
        secretariat = db.session.scalar(select(User).where(User.email == "secretariat@example.org"))
        template = db.session.scalar(select(MonitoringTemplate))
        cycle = cycles.create_cycle(db.session, secretariat, {
            "name": "Open cycle", "template_id": template.id, "period_start": "2026-01-01",
            "period_end": "2026-12-31", "deadline": "2027-03-31"}, clock.now())
        cycles.fire_cycle(db.session, secretariat, cycle.id, "open", clock.now())
        seed_attachments(db.session, clock.now())
        open_report = db.session.scalar(select(CountryReport.id).where(
            CountryReport.cycle_id == cycle.id, CountryReport.country_code == "PH"))
        coordinator = db.session.scalar(select(User).where(User.email == "coordinator.ph@example.org"))
        # A file on the Philippines' meeting: its download and removal pages are walked too.
        ph_meeting = db.session.scalar(select(Meeting).where(Meeting.country_code == "PH"))
        attachments.attach_to_meeting(db.session, coordinator, ph_meeting,
                                      attachments.Upload("minutes.pdf", io.BytesIO(PDF_BYTES)), {}, clock.now(),
                                      1_000_000)
        uploads.store(db.session, coordinator, open_report, "figures.csv",
                      b"code,value\nSPF_COVERAGE_TOTAL,41\nNOPE,1\n", clock.now(), 1000)
        db.session.commit()
    return app


def import_paths(session) -> list[str]:
    """The import pages of the open report, and the preview of its waiting upload (the walks'
    report of the Philippines is a published one, whose import pages only say it is closed)."""
    pending = session.scalar(select(PendingImport))
    return [f"/reports/{pending.report_id}/import", f"/reports/{pending.report_id}/import/{pending.id}"]


@pytest.mark.parametrize("email", USERS)
def test_no_page_answers_500(busy, session, email):
    client = busy.test_client()
    sign_in(client, email)
    failures = []
    for rule, path in paths(busy, session, {"GET"}):
        if rule.endpoint == "auth.logout":
            continue
        status = client.get(path).status_code
        if status >= 500:
            failures.append((path, status))
        if not rule.arguments:  # the lists and their filters, with numbers no list or column holds
            odd = client.get(path, query_string=ODD_QUERY).status_code
            if odd >= 500:
                failures.append((path, ODD_QUERY, odd))
        if rule.endpoint == "search.search":
            for words in SEARCHES:
                for page in ("1", "2", "99999999999999999999"):
                    status = client.get(path, query_string={"q": words, "page": page}).status_code
                    if status >= 500:
                        failures.append((path, words, page, status))
    for path in import_paths(session):
        status = client.get(path).status_code
        if status >= 500:
            failures.append((path, status))
    assert failures == []


@pytest.mark.parametrize("email", USERS)
def test_no_post_with_empty_or_odd_input_answers_500(busy, session, email):
    web = busy.test_client()
    sign_in(web, email)
    headers = api_token(busy.test_client(), email)
    failures = []
    for rule, path in paths(busy, session, {"POST", "PUT", "PATCH", "DELETE"}):
        if rule.endpoint in ("auth.logout", "api.revoke_current_token"):
            continue
        method = sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})[0]
        if path.startswith("/api/"):
            attempts = [dict(json={}), dict(json={"version": "x", "trigger": 5, "value": [1], "ministry_id": 10**30}),
                        dict(data="[]", content_type="application/json"), dict(json=ODD_FIELDS),
                        dict(data="[" * 5_000 + "]" * 5_000, content_type="application/json")]
            if "/bulk" in path:
                attempts += [dict(json=body) for body in ODD_BULK_JSON]
            for attempt in attempts:
                status = busy.test_client().open(path, method=method, headers=headers, **attempt).status_code
                if status >= 500:
                    failures.append((method, path, attempt, status))
        else:
            odd = [ODD_BULK_FORM, {**ODD_BULK_FORM, "step": "cancel", "all": ""}] if "/bulk" in path else []
            for data in ({}, {"trigger": "accept", "version": "x", "ministry_id": "99999999999999999999",
                              "comment": "\x00", "due_date": "2027-02-30", "value": "abc",
                              "assignee_id": "²", "deputy_id": "99999999999999999999", "away_from": "2030-01-02",
                              "away_until": "2030-01-01"}, ODD_FIELDS, *odd):
                status = web.open(path, method=method, data=data).status_code
                if status >= 500:
                    failures.append((method, path, data, status))
    for path in import_paths(session):  # the open report's: an upload form, and an apply refused
        for data in ({}, {"shown": "\x00" * 5}, {"file": "not a file"}, ODD_FIELDS):
            status = web.post(path, data=data).status_code
            if status >= 500:
                failures.append(("POST", path, data, status))
    assert failures == []
