"""The reminder rules as arithmetic: when a rule falls due, which offset is due."""
from datetime import date, datetime

import pytest

from coordination.config import ConfigError, from_environment
from coordination.reminders import rules

ITEM = (-7, -1, 0, 1)
DUE = date(2027, 3, 31)


@pytest.mark.parametrize("days_after_due, offset", [
    (-30, None), (-8, None), (-7, -7), (-6, -7), (-2, -7), (-1, -1), (0, 0), (1, 1), (7, 1), (8, 8),
    (14, 8), (15, 15), (400, 400 - (400 - 1) % 7),
])
def test_the_due_offset_is_the_latest_that_has_fallen_due(days_after_due, offset):
    assert rules.due_offset(days_after_due, ITEM, 7) == offset


def test_without_repeat_the_last_offset_stays_the_due_one():
    assert rules.due_offset(30, ITEM, 0) == 1


@pytest.mark.parametrize("instant, offset", [
    ("2027-03-24T07:59:59+08:00", None),  # Manila: before 08:00 on day -7
    ("2027-03-24T08:00:00+08:00", -7),
    ("2027-03-24T00:00:00+00:00", -7),  # the same instant, in UTC
    ("2027-03-30T23:59:00+08:00", -1),
    ("2027-03-31T07:00:00+08:00", -1),
    ("2027-03-31T08:00:00+08:00", 0),
])
def test_manila_rules_fall_due_at_eight_local_time(instant, offset):
    assert rules.due_rule(DUE, datetime.fromisoformat(instant), "Asia/Manila", ITEM, 7, 8) == offset


@pytest.mark.parametrize("instant, offset", [
    ("2027-03-24T08:00:00+08:00", None),  # 06:30 in Yangon
    ("2027-03-24T07:59:00+06:30", None),
    ("2027-03-24T08:00:00+06:30", -7),
    ("2027-03-24T01:30:00+00:00", -7),  # 08:00 in Yangon
])
def test_yangon_rules_fall_due_at_eight_yangon_time(instant, offset):
    assert rules.due_rule(DUE, datetime.fromisoformat(instant), "Asia/Yangon", ITEM, 7, 8) == offset


def test_the_hour_is_configurable():
    instant = datetime.fromisoformat("2027-03-24T06:00:00+08:00")
    assert rules.due_rule(DUE, instant, "Asia/Manila", ITEM, 7, 8) is None
    assert rules.due_rule(DUE, instant, "Asia/Manila", ITEM, 7, 6) == -7


def test_the_horizon_covers_the_easternmost_time_zone():
    # 2027-03-24T00:30Z: 08:30 in Manila (day -7 of 31 March fell due), 07:00 in Yangon (not yet).
    instant = datetime.fromisoformat("2027-03-24T00:30:00+00:00")
    assert rules.horizon(instant, ["Asia/Yangon", "Asia/Manila"], ITEM, 8) == date(2027, 3, 31)
    assert rules.horizon(instant, ["Asia/Yangon"], ITEM, 8) == date(2027, 3, 30)


def test_fell_due_at_is_eight_local_time():
    assert rules.fell_due_at(DUE, -7, "Asia/Yangon", 8).isoformat() == "2027-03-24T08:00:00+06:30"


@pytest.mark.parametrize("offset, text", [
    (-7, "due in 7 days"), (-1, "due tomorrow"), (0, "due today"), (1, "1 day overdue"), (8, "8 days overdue"),
])
def test_offsets_read_as_people_say_them(offset, text):
    assert rules.describe(offset) == text


def test_settings_come_from_the_environment(tmp_path):
    settings = from_environment(str(tmp_path), env={
        "REMINDER_HOUR": "7", "ITEM_REMINDER_OFFSETS": "1, -3,0", "REMINDER_REPEAT_DAYS": "3",
        "SWEEP_INTERVAL_MINUTES": "5", "DELIVERY_MAX_ATTEMPTS": "4"})
    assert settings["REMINDER_HOUR"] == 7
    assert settings["ITEM_REMINDER_OFFSETS"] == (-3, 0, 1)
    assert settings["REPORT_REMINDER_OFFSETS"] == (-30, -14, -7, -1, 1)
    assert (settings["REMINDER_REPEAT_DAYS"], settings["SWEEP_INTERVAL_MINUTES"]) == (3, 5)
    assert settings["DELIVERY_MAX_ATTEMPTS"] == 4
    defaults = from_environment(str(tmp_path), env={})
    assert (defaults["REMINDER_HOUR"], defaults["ITEM_REMINDER_OFFSETS"], defaults["DELIVERY_MAX_ATTEMPTS"],
            defaults["SWEEP_INTERVAL_MINUTES"], defaults["DELIVERY_INTERVAL_SECONDS"]) == (
        8, (-7, -1, 0, 1), 10, 15, 60)


@pytest.mark.parametrize("env", [{"REMINDER_HOUR": "24"}, {"ITEM_REMINDER_OFFSETS": "soon"},
                                 {"REPORT_REMINDER_OFFSETS": ","}])
def test_bad_reminder_settings_are_refused(tmp_path, env):
    with pytest.raises(ConfigError):
        from_environment(str(tmp_path), env=env)
