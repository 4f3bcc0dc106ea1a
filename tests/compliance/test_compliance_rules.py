"""The compliance arithmetic on its own: dates, instants, time zones and a `now`."""
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from coordination.compliance import rules

DEADLINE = date(2027, 3, 31)
MANILA, YANGON = ZoneInfo("Asia/Manila"), ZoneInfo("Asia/Yangon")
LONG_AFTER = datetime(2027, 6, 1, tzinfo=UTC)


def local(zone, *args):
    return datetime(*args, tzinfo=zone)


@pytest.mark.parametrize("zone, offset", [("Asia/Manila", timedelta(hours=8)),
                                          ("Asia/Yangon", timedelta(hours=6, minutes=30))])
def test_the_last_second_of_the_deadline_day_is_on_time_and_midnight_is_late(zone, offset):
    last_second = local(ZoneInfo(zone), 2027, 3, 31, 23, 59, 59)
    midnight = local(ZoneInfo(zone), 2027, 4, 1, 0, 0, 0)
    assert last_second.utcoffset() == offset
    assert rules.status(DEADLINE, zone, last_second, LONG_AFTER) == "on_time"
    assert rules.days_late(DEADLINE, zone, last_second, LONG_AFTER) == 0
    assert rules.status(DEADLINE, zone, midnight, LONG_AFTER) == "late"
    assert rules.days_late(DEADLINE, zone, midnight, LONG_AFTER) == 1
    # The same instants stored in UTC, as the database keeps them.
    assert rules.status(DEADLINE, zone, last_second.astimezone(UTC), LONG_AFTER) == "on_time"
    assert rules.status(DEADLINE, zone, midnight.astimezone(UTC), LONG_AFTER) == "late"


def test_the_boundary_is_the_countrys_own_midnight_not_utc():
    # 31 March 17:00 UTC is 1 April 01:00 in Manila (late) but 31 March 23:30 in Yangon (on time).
    instant = datetime(2027, 3, 31, 17, 0, tzinfo=UTC)
    assert rules.status(DEADLINE, "Asia/Manila", instant, LONG_AFTER) == "late"
    assert rules.status(DEADLINE, "Asia/Yangon", instant, LONG_AFTER) == "on_time"
    assert rules.cutoff(DEADLINE, "Asia/Yangon") == datetime(2027, 3, 31, 17, 30, tzinfo=UTC)
    assert rules.cutoff(DEADLINE, "Asia/Manila") == datetime(2027, 3, 31, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["Asia/Manila", "Asia/Yangon"])
def test_an_extension_moves_the_boundary(zone):
    extended = date(2027, 4, 15)
    midnight_after_original = local(ZoneInfo(zone), 2027, 4, 1, 0, 0, 0)
    assert rules.status(DEADLINE, zone, midnight_after_original, LONG_AFTER) == "late"
    assert rules.status(extended, zone, midnight_after_original, LONG_AFTER) == "on_time"
    assert rules.status(extended, zone, local(ZoneInfo(zone), 2027, 4, 15, 23, 59, 59), LONG_AFTER) == "on_time"
    late = local(ZoneInfo(zone), 2027, 4, 16, 0, 0, 0)
    assert rules.status(extended, zone, late, LONG_AFTER) == "late"
    assert rules.days_late(extended, zone, local(ZoneInfo(zone), 2027, 4, 18, 9, 0), LONG_AFTER) == 3


def test_missing_only_once_the_deadline_has_passed_in_the_countrys_zone():
    # 16:00 UTC: midnight in Manila, 22:30 of the deadline day in Yangon.
    manila_midnight = datetime(2027, 3, 31, 16, 0, tzinfo=UTC)
    assert rules.status(DEADLINE, "Asia/Manila", None, manila_midnight - timedelta(seconds=1)) == "pending"
    assert rules.status(DEADLINE, "Asia/Manila", None, manila_midnight) == "missing"
    assert rules.status(DEADLINE, "Asia/Yangon", None, manila_midnight) == "pending"
    yangon_midnight = datetime(2027, 3, 31, 17, 30, tzinfo=UTC)
    assert rules.status(DEADLINE, "Asia/Yangon", None, yangon_midnight - timedelta(seconds=1)) == "pending"
    assert rules.status(DEADLINE, "Asia/Yangon", None, yangon_midnight) == "missing"


def test_days_late_of_a_missing_report_count_today_in_the_countrys_zone():
    now = datetime(2027, 4, 9, 17, 0, tzinfo=UTC)  # 10 April 01:00 in Manila, 9 April 23:30 in Yangon
    assert rules.days_late(DEADLINE, "Asia/Manila", None, now) == 10
    assert rules.days_late(DEADLINE, "Asia/Yangon", None, now) == 9
    # pending and on time: 0, however early
    assert rules.days_late(DEADLINE, "Asia/Manila", None, datetime(2027, 3, 1, tzinfo=UTC)) == 0
    assert rules.days_late(DEADLINE, "Asia/Manila", datetime(2027, 1, 5, tzinfo=UTC), now) == 0


def test_the_first_submission_decides_whatever_happens_later():
    first = local(MANILA, 2027, 3, 30, 10, 0)
    assert rules.status(DEADLINE, MANILA, first, LONG_AFTER) == "on_time"
    # A submission is judged once; `now` far past the deadline changes nothing.
    assert rules.status(DEADLINE, MANILA, first, datetime(2030, 1, 1, tzinfo=UTC)) == "on_time"


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        rules.status(DEADLINE, "Asia/Manila", datetime(2027, 3, 31, 12, 0), LONG_AFTER)
    with pytest.raises(ValueError):
        rules.status(DEADLINE, "Asia/Manila", None, datetime(2027, 3, 31, 12, 0))


def test_fixed_offset_zones_work_too():
    plus_eight = timezone(timedelta(hours=8))
    assert rules.status(DEADLINE, plus_eight, local(plus_eight, 2027, 3, 31, 23, 59, 59), LONG_AFTER) == "on_time"
    assert rules.status(DEADLINE, plus_eight, local(plus_eight, 2027, 4, 1), LONG_AFTER) == "late"


@pytest.mark.parametrize("answered, required, expected", [
    (0, 9, 0.0), (3, 9, 33.3), (8, 9, 88.9), (9, 9, 100.0), (2, 3, 66.7), (0, 0, 100.0), (12, 9, 100.0)])
def test_completeness(answered, required, expected):
    assert rules.completeness(answered, required) == expected


def test_totals_and_rates_on_a_hand_computed_cycle():
    statuses = ["on_time", "on_time", "late", "missing", "pending", "missing", "on_time", "late"]
    totals = rules.totals(statuses)
    assert (totals.expected, totals.actual, totals.on_time, totals.late, totals.missing, totals.pending) == (
        8, 5, 3, 2, 2, 1)
    assert totals.reporting_rate == 62.5  # 5 of 8
    assert totals.reporting_rate_on_time == 37.5  # 3 of 8
    thirds = rules.totals(["on_time", "late", "missing"])
    assert (thirds.reporting_rate, thirds.reporting_rate_on_time) == (66.7, 33.3)


def test_a_cycle_where_nobody_reported_has_rates_of_zero():
    totals = rules.totals(["missing"] * 10)
    assert (totals.expected, totals.actual, totals.on_time) == (10, 0, 0)
    assert (totals.reporting_rate, totals.reporting_rate_on_time) == (0.0, 0.0)
    nothing = rules.totals([])  # nothing expected: no division error
    assert (nothing.expected, nothing.reporting_rate, nothing.reporting_rate_on_time) == (0, 0.0, 0.0)
    assert rules.percent(0, 0) == 0.0
