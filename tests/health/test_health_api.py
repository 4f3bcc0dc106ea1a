"""Coordination health through the JSON API: a small country history computed by hand, and who
reads which rows."""
from datetime import UTC, date, datetime

from helpers import signed_in_client
from sqlalchemy import select

from coordination.directory.models import Mechanism, Ministry
from coordination.items.models import ActionItem, ItemEvent
from coordination.meetings.models import Meeting
from coordination.reporting.models import CountryReport, Indicator, IndicatorValue

FIELDS = {"country", "member_ministries", "meetings_held", "ministries_attending", "items_created",
          "median_days_to_accept", "handed_over_share", "data_requests_on_time_share", "overdue_share"}
LATER = datetime(2030, 9, 1, 4, 0, tzinfo=UTC)  # the period (to 30 June 2030) is over


def t(month, day, hour=0):
    return datetime(2030, month, day, hour, tzinfo=UTC)


def rows(client, tokens, cycle_id, who="secretariat"):
    response = client.get(f"/api/v1/cycles/{cycle_id}/coordination", headers=tokens[who])
    assert response.status_code == 200, response.get_json()
    return {row["country"]: row for row in response.get_json()["countries"]}


def build_history(session, cycle_id):
    """The Philippines' first half of 2030 (see the figures computed in the test below)."""
    ministries = session.scalars(select(Ministry).where(Ministry.country_code == "PH")
                                 .order_by(Ministry.id)).all()
    m1, m2, m3, m4 = ministries[:4]
    author = session.scalar(select(ItemEvent.actor_id).limit(1)) or 1

    def item(title, created, due, state, events, ministry=m1):
        row = ActionItem(country_code="PH", title=title, state=state, ministry_id=ministry.id,
                         due_date=due, created_by_id=author, created_at=created, updated_at=created)
        session.add(row)
        session.flush()
        session.add(ItemEvent(item_id=row.id, at=created, actor_id=author, trigger="create",
                              to_state="draft"))
        for trigger, at, from_state, to_state in events:
            session.add(ItemEvent(item_id=row.id, at=at, actor_id=author, trigger=trigger,
                                  from_state=from_state, to_state=to_state))
        return row

    a = item("A", t(1, 10, 8), date(2030, 2, 15), "completed", [
        ("assign", t(1, 10, 9), "draft", "assigned"), ("accept", t(1, 12, 9), "assigned", "in_progress"),
        ("submit", t(1, 30), "in_progress", "submitted"), ("approve", t(2, 1), "submitted", "completed")])
    item("B", t(2, 1), date(2030, 3, 1), "in_progress", [
        ("assign", t(2, 1), "draft", "assigned"), ("accept", t(2, 5), "assigned", "in_progress"),
        ("hand_over", t(2, 10), "in_progress", "assigned"), ("accept", t(2, 11), "assigned", "in_progress")])
    item("C", t(3, 1), date(2030, 12, 31), "in_progress", [
        ("assign", t(3, 1, 12), "draft", "assigned"), ("accept", t(3, 2), "assigned", "in_progress")])
    item("D", t(4, 1), date(2030, 5, 1), "draft", [])
    item("E", datetime(2029, 12, 31, 12, tzinfo=UTC), date(2030, 1, 31), "in_progress", [
        ("assign", datetime(2029, 12, 31, 13, tzinfo=UTC), "draft", "assigned"),
        ("accept", t(1, 20), "assigned", "in_progress")])
    f = item("F", t(5, 1), date(2030, 6, 1), "completed", [
        ("assign", t(5, 1), "draft", "assigned"), ("accept", t(5, 11), "assigned", "in_progress"),
        ("submit", t(7, 10), "in_progress", "submitted"), ("approve", t(7, 15), "submitted", "completed")])

    def meeting(country, held_on, attending):
        row = Meeting(country_code=country, title="Mechanism meeting", held_on=held_on, minutes="",
                      created_by_id=author)
        row.ministries = attending
        session.add(row)

    meeting("PH", date(2030, 2, 1), [m1, m2])
    meeting("PH", date(2030, 5, 5), [m2, m3])
    meeting("PH", date(2030, 7, 1), [m4])  # after the period
    meeting(None, date(2030, 3, 1), [])  # the regional network's, not the country's
    meeting("TH", date(2030, 3, 1), [])

    report = session.scalar(select(CountryReport).where(CountryReport.cycle_id == cycle_id,
                                                        CountryReport.country_code == "PH"))
    indicators = session.scalars(select(Indicator).order_by(Indicator.id).limit(2)).all()
    for indicator, request in zip(indicators, (a, f), strict=True):
        value = session.scalar(select(IndicatorValue).where(IndicatorValue.report_id == report.id,
                                                            IndicatorValue.indicator_id == indicator.id))
        if value is None:
            value = IndicatorValue(report_id=report.id, indicator_id=indicator.id)
            session.add(value)
        value.item_id, value.ministry_id = request.id, m1.id
    session.commit()


def test_the_figures_of_a_small_history_computed_by_hand(client, tokens, make_cycle, session, at):
    cycle_id = make_cycle()
    build_history(session, cycle_id)
    at(LATER)
    ph = rows(client, tokens, cycle_id)["PH"]
    members = len(session.scalar(select(Mechanism).where(Mechanism.country_code == "PH")).members)
    assert set(ph) == FIELDS
    # Cut-off: 30 June 2030 (the period is over). Items created in the period: A, B, C, D, F
    # (E was created on 31 December 2029) -> 5.
    # First assignment to first acceptance: A 2 days, B 4 days (the acceptance after its hand-over
    # does not count), C half a day, F 10 days, D never assigned -> median of 0.5, 2, 4, 10 = 3.0.
    # Handed over at least once: B -> 1/5 = 0.2.
    # Open past due at the cut-off: B (due 1 March, in progress), D (due 1 May, a draft), F (due
    # 1 June, approved only on 15 July) -> 3/5 = 0.6; A was completed, C is due in December.
    # Data requests of the report: A (completed 1 Feb, due 15 Feb: on time), F (completed 15 July,
    # due 1 June: late) -> 1/2 = 0.5.
    # Meetings of the mechanism in the period: 1 Feb (m1, m2) and 5 May (m2, m3) -> 2 meetings,
    # 3 ministries; the 1 July one, the regional one and Thailand's do not count.
    assert ph == {"country": "PH", "member_ministries": members, "meetings_held": 2,
                  "ministries_attending": 3, "items_created": 5, "median_days_to_accept": 3.0,
                  "handed_over_share": 0.2, "data_requests_on_time_share": 0.5, "overdue_share": 0.6}


def test_nothing_to_count_is_null(client, tokens, make_cycle, at):
    cycle_id = make_cycle()
    at(LATER)
    vn = rows(client, tokens, cycle_id)["VN"]
    assert vn["items_created"] == 0 and vn["meetings_held"] == 0
    assert (vn["median_days_to_accept"], vn["handed_over_share"], vn["overdue_share"]) == (None, None, None)


def test_who_reads_which_rows(client, tokens, make_cycle, at):
    cycle_id = make_cycle()
    at(LATER)
    assert len(rows(client, tokens, cycle_id)) == 10
    assert set(rows(client, tokens, cycle_id, "ph")) == {"PH"}
    assert set(rows(client, tokens, cycle_id, "dswd")) == {"PH"}
    assert set(rows(client, tokens, cycle_id, "th")) == {"TH"}
    for who in ("observer", "admin"):
        response = client.get(f"/api/v1/cycles/{cycle_id}/coordination", headers=tokens[who])
        assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    published = make_cycle("published", "2030 published review")
    assert len(rows(client, tokens, published, "observer")) == 10
    assert len(rows(client, tokens, published, "th")) == 10


def test_an_unknown_cycle_is_404(client, tokens):
    response = client.get("/api/v1/cycles/999999/coordination", headers=tokens["secretariat"])
    assert response.status_code == 404


def test_the_page_shows_the_table_to_the_secretariat_and_404_to_an_observer_before_publication(
        app, make_cycle, at):
    cycle_id = make_cycle()
    at(LATER)
    page = signed_in_client(app, "secretariat@example.org").get(f"/cycles/{cycle_id}/coordination")
    assert page.status_code == 200 and b"How each figure is computed" in page.data
    assert page.data.count(b'<th scope="row">') == 10
    mine = signed_in_client(app, "coordinator.ph@example.org").get(f"/cycles/{cycle_id}/coordination")
    assert mine.status_code == 200 and mine.data.count(b'<th scope="row">') == 1
    observer = signed_in_client(app, "observer@example.org").get(f"/cycles/{cycle_id}/coordination")
    assert observer.status_code == 404
