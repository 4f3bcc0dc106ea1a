"""Working days per member state: weekends and public holidays."""
from datetime import date

import pytest

from coordination import workdays


@pytest.mark.parametrize("country, day, working", [
    ("PH", date(2027, 3, 19), True),    # a Friday
    ("PH", date(2027, 3, 20), False),   # Saturday
    ("BN", date(2027, 3, 19), False),   # Brunei rests on Friday ...
    ("BN", date(2027, 3, 20), True),    # ... and works on Saturday
    ("BN", date(2027, 3, 21), False),   # Sunday
    ("ID", date(2027, 8, 17), False),   # Independence Day, a Tuesday
    ("PH", date(2027, 8, 17), True),
    ("VN", date(2027, 9, 2), False),    # National Day
])
def test_weekends_and_public_holidays(country, day, working):
    assert workdays.is_working_day(country, day) is working


def test_the_working_day_on_or_before_skips_weekends_and_holidays():
    assert workdays.on_or_before("PH", date(2027, 3, 21)) == date(2027, 3, 19)   # Sunday -> Friday
    assert workdays.on_or_before("BN", date(2027, 3, 19)) == date(2027, 3, 18)   # Friday -> Thursday
    assert workdays.on_or_before("ID", date(2027, 8, 17)) == date(2027, 8, 16)   # holiday -> Monday
    assert workdays.on_or_before("PH", date(2027, 3, 17)) == date(2027, 3, 17)


def test_working_days_before_counts_only_working_days():
    # Ten working days before Wednesday 31 March 2027 in Thailand: two weekends in between.
    assert workdays.working_days_before("TH", date(2027, 3, 31), 10) == date(2027, 3, 17)
    assert workdays.working_days_before("TH", date(2027, 3, 31), 0) == date(2027, 3, 31)


def test_holidays_have_names_in_date_order():
    found = workdays.holidays_of("ID", 2027)
    assert found == sorted(found)
    assert (date(2027, 8, 17), "Independence Day") in found
    assert workdays.holiday_name("ID", date(2027, 8, 17)) == "Independence Day"
    assert workdays.holiday_name("ID", date(2027, 8, 18)) is None
