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


def test_the_working_day_on_or_after_skips_weekends_and_holidays():
    assert workdays.on_or_after("PH", date(2027, 3, 20)) == date(2027, 3, 22)    # Saturday -> Monday
    assert workdays.on_or_after("BN", date(2027, 3, 19)) == date(2027, 3, 20)    # Friday -> Saturday
    assert workdays.on_or_after("ID", date(2027, 8, 17)) == date(2027, 8, 18)    # holiday -> Wednesday
    assert workdays.on_or_after("PH", date(2027, 3, 17)) == date(2027, 3, 17)


# -- GET /api/v1/countries/CC/holidays ------------------------------------------------------------

@pytest.mark.parametrize("email", ["coordinator.id@example.org", "staff.ph.dswd@example.org",
                                   "secretariat@example.org", "observer@example.org", "admin@example.org"])
def test_every_signed_in_user_reads_a_countrys_holidays(client, email):
    from helpers import api_token

    response = client.get("/api/v1/countries/id/holidays?year=2027", headers=api_token(client, email))
    assert response.status_code == 200
    found = response.get_json()
    assert {"date": "2027-08-17", "name": "Independence Day"} in found
    assert [h["date"] for h in found] == sorted(h["date"] for h in found)
    assert all(h["date"].startswith("2027-") for h in found)


def test_holiday_names_come_in_the_language_of_the_request(client):
    from helpers import api_token

    headers = api_token(client, "observer@example.org") | {"Accept-Language": "vi"}
    found = client.get("/api/v1/countries/VN/holidays?year=2027", headers=headers).get_json()
    assert {"date": "2027-09-02", "name": "Quốc khánh"} in found


def test_holidays_without_a_year_are_this_years(client):
    from helpers import api_token

    from coordination import clock

    found = client.get("/api/v1/countries/TH/holidays", headers=api_token(client, "observer@example.org")).get_json()
    assert found and all(h["date"].startswith(f"{clock.now().year}-") for h in found)


def test_holidays_need_a_signed_in_user_a_member_state_and_a_good_year(client):
    from helpers import api_token

    assert client.get("/api/v1/countries/PH/holidays?year=2027").status_code == 401
    headers = api_token(client, "coordinator.ph@example.org")
    unknown = client.get("/api/v1/countries/XX/holidays?year=2027", headers=headers)
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "not_found"
    for year in ("1066", "20x7", "2027.5", "99999", "", "true"):
        response = client.get(f"/api/v1/countries/PH/holidays?year={year}", headers=headers)
        if year == "":
            assert response.status_code == 200  # no year: this year's
            continue
        assert response.status_code == 422, year
        body = response.get_json()
        assert body["error"] == "validation_error" and body["fields"]["year"] == [
            "Enter a year from 1900 to 2199, e.g. 2027."]


def test_the_openapi_document_carries_the_holidays(client):
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/v1/countries/{code}/holidays"]["get"]
    assert any(p["name"] == "year" for p in operation["parameters"])
    assert "200" in operation["responses"] and "422" in operation["responses"]
