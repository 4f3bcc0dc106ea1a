"""The compliance, scorecard, comparison, record and progress pages: what each user sees,
the extension form, the charts beside their tables, and query counts that do not grow."""
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from helpers import sign_in
from sqlalchemy import select

from coordination.directory.models import Country
from coordination.reporting.models import CountryReport, CycleEvent, Extension

from .compliance_support import AFTER_DEADLINE, BEFORE_DEADLINE

SVG = re.compile(r'<svg [^>]*id="(?P<id>[\w-]+)".*?</svg>', re.S)


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def chart(html, chart_id):
    """The chart's SVG, parsed (so it is well-formed), with its text alternative."""
    match = next(m for m in SVG.finditer(html) if m.group("id") == chart_id)
    svg = ET.fromstring(match.group(0))  # noqa: S314 - our own page, not untrusted input
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    return svg, svg.find(f"{ns}title").text, svg.find(f"{ns}desc").text


def table_rows(html, table_id):
    """Each body row of the table as a list of its cells' text."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return rows


@pytest.fixture
def arranged(make_cycle, submit_at, at):
    """PH on time, TH late (2 days), MM missing: seen on 5 April 2027."""
    cycle = make_cycle()
    submit_at(cycle, "PH", datetime(2027, 3, 31, 15, 59, 59, tzinfo=UTC))
    submit_at(cycle, "TH", datetime(2027, 4, 2, 3, 0, tzinfo=UTC))
    at(AFTER_DEADLINE)
    return cycle


def test_secretariat_sees_every_status_the_chart_and_its_table(client, arranged):
    sign_in(client, "secretariat@example.org")
    html = page(client, f"/cycles/{arranged}/compliance")
    rows = {r[0]: r for r in table_rows(html, "compliance-table")}
    assert len(rows) == 10
    assert rows["Philippines"][1:] == ["Submitted", "on time", "31 Mar 2027", "31 Mar 2027, 23:59:59 (UTC+08:00)",
                                       "0", "0 %"]
    assert rows["Thailand"][2] == "late" and rows["Thailand"][5] == "2 days"
    assert rows["Myanmar"][2] == "missing" and rows["Myanmar"][4] == "—" and rows["Myanmar"][5] == "5 days"
    svg, title, desc = chart(html, "chart-status")
    assert title == "Reports by compliance: 2027 self-assessment"
    assert desc.startswith("Of 10 expected reports: 1 on time, 1 late, 8 missing, 0 pending.")
    assert "Reporting rate 20 %, on time 10 %." in desc
    # each status carries its own pattern and a written label: not colour alone
    legend = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert {"On time: 1", "Late: 1", "Missing: 8", "Pending: 0"} <= set(legend)
    totals = dict(table_rows(html, "totals"))
    assert totals["Expected reports"] == "10" and totals["Reporting rate on time"] == "10 %"
    _, _, desc = chart(html, "chart-completeness")
    assert desc.startswith("Brunei Darussalam: 0 %;")
    assert f'href="/cycles/{arranged}/compliance.csv"' in html and "Download Excel (XLSX)" in html
    assert "Grant an extension" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]


def test_coordinator_sees_their_own_row_and_regional_totals_without_the_form(client, arranged):
    sign_in(client, "coordinator.th@example.org")
    html = page(client, f"/cycles/{arranged}/compliance")
    rows = table_rows(html, "compliance-table")
    assert [r[0] for r in rows] == ["Thailand"] and rows[0][2] == "late"
    assert dict(table_rows(html, "totals"))["Expected reports"] == "10"
    assert "Grant an extension" not in html
    assert client.post(f"/cycles/{arranged}/extensions", data={
        "country": "TH", "deadline": "2027-04-30", "reason": "Please"}).status_code == 403


def test_the_extension_form_grants_and_the_page_shows_on_time_extended(client, session, arranged):
    sign_in(client, "secretariat@example.org")
    response = client.post(f"/cycles/{arranged}/extensions", data={
        "country": "TH", "deadline": "2027-04-03", "reason": "Floods in the north"})
    assert response.status_code == 302
    html = page(client, response.headers["Location"])
    assert "Thailand now reports by 03 Apr 2027 (extension granted)." in html
    thailand = next(r for r in table_rows(html, "compliance-table") if r[0] == "Thailand")
    assert thailand[2] == "on time (extended)" and thailand[5] == "0"
    assert "extended from 31 Mar 2027: Floods in the north" in thailand[3]
    assert session.scalar(select(CycleEvent.comment).where(CycleEvent.trigger == "extension")) == (
        "Deadline extended to 2027-04-03: Floods in the north")


@pytest.mark.parametrize("data, message", [
    ({"country": "TH", "deadline": "2027-03-31", "reason": "Same day"}, "An extension ends after the cycle"),
    ({"country": "TH", "deadline": "2027-04-30", "reason": ""}, "Record why the extension is granted."),
    ({"country": "TH", "deadline": "", "reason": "Typhoon"}, "Enter the new deadline as a date"),
    ({"country": "", "deadline": "2027-04-30", "reason": "Typhoon"}, "Choose a member state."),
    ({"country": "XX", "deadline": "2027-04-30", "reason": "Typhoon"}, "Not a valid choice"),
])
def test_a_bad_extension_is_shown_at_the_field(client, session, arranged, data, message):
    sign_in(client, "secretariat@example.org")
    response = client.post(f"/cycles/{arranged}/extensions", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(Extension.id)) is None


def test_observers_and_other_member_states_before_and_after_publication(client, make_cycle, at, tokens):
    cycle = make_cycle(state="closed")
    at(AFTER_DEADLINE)
    sign_in(client, "observer@example.org")
    page(client, f"/cycles/{cycle}/compliance", 404)
    page(client, f"/cycles/{cycle}/comparison", 404)
    page(client, f"/cycles/{cycle}/compliance.csv", 404)
    page(client, f"/cycles/{cycle}/comparison.xlsx", 404)
    assert "2027 self-assessment" not in page(client, "/compliance/scorecard")
    client.post("/logout")
    sign_in(client, "coordinator.th@example.org")
    page(client, f"/cycles/{cycle}/comparison", 404)
    page(client, f"/cycles/{cycle}/comparison.csv", 404)
    client.post("/logout")
    sign_in(client, "secretariat@example.org")
    page(client, f"/cycles/{cycle}/comparison")
    assert "only the secretariat sees this comparison" in page(client, f"/cycles/{cycle}/comparison")
    client.post("/logout")
    assert client.post(f"/api/v1/cycles/{cycle}/transitions", json={"trigger": "publish"},
                       headers=tokens["secretariat"]).status_code == 200
    sign_in(client, "observer@example.org")
    assert len(table_rows(page(client, f"/cycles/{cycle}/compliance"), "compliance-table")) == 10
    page(client, f"/cycles/{cycle}/comparison")
    assert "2027 self-assessment" in page(client, "/compliance/scorecard")
    client.post("/logout")
    sign_in(client, "coordinator.th@example.org")
    page(client, f"/cycles/{cycle}/comparison")


def test_comparison_page_shows_floors_targets_and_status_beside_the_chart(client, make_cycle, answer, submit_at,
                                                                         tokens):
    cycle = make_cycle(state="published")
    answer(cycle, "PH", {"SPF_COVERAGE_TOTAL": {"availability": "reported", "number": 34.9}})
    answer(cycle, "TH", {"SPF_COVERAGE_TOTAL": {"availability": "reported", "number": 68.0}})
    submit_at(cycle, "PH", BEFORE_DEADLINE)
    submit_at(cycle, "TH", BEFORE_DEADLINE)
    client.put("/api/v1/countries/PH/targets/SPF_COVERAGE_TOTAL", headers=tokens["ph"],
               json={"floor": 40, "target": 60, "target_year": 2030})
    sign_in(client, "observer@example.org")
    html = page(client, f"/cycles/{cycle}/comparison?indicator=SPF_COVERAGE_TOTAL")
    assert '<label class="form-label" for="indicator">Indicator</label>' in html
    assert '<option value="SPF_COVERAGE_TOTAL" selected>' in html
    rows = {r[0]: r for r in table_rows(html, "indicator-table")}
    assert rows["Philippines"][1:] == ["34.9 %", "40 %", "60 % by 2030", "▼ Below floor"]
    assert rows["Thailand"][1:] == ["68 %", "—", "—", ""]
    assert rows["Viet Nam"][1] == "not submitted"
    _, title, desc = chart(html, "chart-indicator")
    assert title.startswith("Population covered by at least one social protection benefit by member state")
    assert "Philippines: 34.9 % · below floor (floor 40 %, target 60 %)" in desc
    assert "Viet Nam: not submitted" in desc
    # an unknown indicator falls back to the first one; no error
    page(client, f"/cycles/{cycle}/comparison?indicator=<script>")


def test_progress_shows_unpublished_cycles_to_the_country_only(client, make_cycle, answer, submit_at):
    published = make_cycle("2026 self-assessment", deadline="2026-03-31", state="published")
    current = make_cycle("2027 self-assessment", state="closed")
    for cycle, value in ((published, 30.0), (current, 36.0)):
        answer(cycle, "PH", {"SPF_COVERAGE_TOTAL": {"availability": "reported", "number": value}})
        submit_at(cycle, "PH", BEFORE_DEADLINE)
    sign_in(client, "coordinator.ph@example.org")
    html = page(client, "/countries/PH/progress?indicator=SPF_COVERAGE_TOTAL")
    assert [r[:2] for r in table_rows(html, "progress-table")] == [
        ["SDG 1.3.1 in 2019 (ILO estimates)", "36.75 % (estimate)"],
        ["SDG 1.3.1 baseline (latest ILO estimates)", "34.9 % (estimate)"],
        ["2026 self-assessment", "30 %"], ["2027 self-assessment", "36 %"]]
    _, _, desc = chart(html, "chart-progress")
    assert "2027 self-assessment: 36 %" in desc
    client.post("/logout")
    sign_in(client, "coordinator.th@example.org")
    html = page(client, "/countries/PH/progress?indicator=SPF_COVERAGE_TOTAL")
    assert [r[0] for r in table_rows(html, "progress-table")] == [
        "SDG 1.3.1 in 2019 (ILO estimates)", "SDG 1.3.1 baseline (latest ILO estimates)", "2026 self-assessment"]
    client.post("/logout")
    sign_in(client, "admin@example.org")
    page(client, "/countries/PH/progress", 404)


def test_progress_shows_a_countrys_floor_and_target_to_its_own_users_and_the_secretariat_only(app, client):
    from helpers import api_token

    headers = api_token(app.test_client(), "coordinator.ph@example.org")
    assert app.test_client().put("/api/v1/countries/PH/targets/SPF_COVERAGE_TOTAL", headers=headers, json={
        "floor": 40, "target": 60, "target_year": 2030}).status_code == 200
    for email, shown in (("coordinator.ph@example.org", True), ("staff.ph.dswd@example.org", True),
                         ("secretariat@example.org", True), ("coordinator.th@example.org", False),
                         ("observer@example.org", False)):
        sign_in(client, email)
        html = page(client, "/countries/PH/progress?indicator=SPF_COVERAGE_TOTAL")
        assert ("National floor: 40 %" in html) is shown, email
        assert ("National floor: not set" in html) is not shown, email
        client.post("/logout")


def test_country_record_page_for_its_own_users_and_the_secretariat(client, arranged):
    for email in ("coordinator.ph@example.org", "staff.ph.dswd@example.org", "secretariat@example.org"):
        sign_in(client, email)
        html = page(client, "/countries/PH/compliance")
        rows = table_rows(html, "record-table")
        assert [r[0] for r in rows] == ["2027 self-assessment", "SDG 1.3.1 baseline (latest ILO estimates)",
                                        "SDG 1.3.1 in 2019 (ILO estimates)"]
        assert rows[0][2] == "on time" and rows[1][2] == "on time" and rows[2][2] == "on time"
        assert "3 of 3 reports on time" in html
        client.post("/logout")
    for email in ("coordinator.th@example.org", "observer@example.org", "admin@example.org"):
        sign_in(client, email)
        page(client, "/countries/PH/compliance", 404)
        client.post("/logout")
    sign_in(client, "secretariat@example.org")
    page(client, "/countries/XX/compliance", 404)
    page(client, "/countries/toolong/compliance", 404)


def test_scorecard_has_a_row_per_country_and_a_column_per_cycle(client, make_cycle, submit_at, at):
    old = make_cycle("2026 self-assessment", deadline="2026-03-31", state="published")
    new = make_cycle("2027 self-assessment")
    submit_at(old, "PH", datetime(2026, 4, 3, 1, 0, tzinfo=UTC))
    at(AFTER_DEADLINE)
    sign_in(client, "secretariat@example.org")
    html = page(client, "/compliance/scorecard")
    rows = {r[0]: r for r in table_rows(html, "scorecard")}
    assert len(rows) == 10
    assert rows["Philippines"][1].startswith("on time") and rows["Philippines"][2].startswith("on time")
    assert rows["Philippines"][3] == "late 3 days late · 0 % complete"
    assert rows["Philippines"][4] == "missing 5 days late · 0 % complete"
    assert rows["Philippines"][5] == "2 of 4"
    assert f'href="/cycles/{new}/compliance"' in html
    _, title, desc = chart(html, "chart-scorecard")
    assert "2027 self-assessment: 0 %" in desc
    client.post("/logout")
    sign_in(client, "observer@example.org")
    html = page(client, "/compliance/scorecard")
    assert "2026 self-assessment" in html and "2027 self-assessment" not in html
    client.post("/logout")
    sign_in(client, "coordinator.ph@example.org")
    response = client.get("/compliance/scorecard")
    assert response.status_code == 302 and response.headers["Location"].endswith("/countries/PH/compliance")


def test_compliance_menu_and_index(client, make_cycle):
    cycle = make_cycle(state="closed")
    for email, sees_menu, sees_comparison in (("secretariat@example.org", True, True),
                                              ("observer@example.org", True, False),
                                              ("coordinator.ph@example.org", True, False),
                                              ("admin@example.org", False, False)):
        sign_in(client, email)
        home = page(client, "/")
        assert ('href="/compliance"' in home) is sees_menu, email
        if sees_menu:
            index = page(client, "/compliance")
            assert (f'href="/cycles/{cycle}/comparison"' in index) is sees_comparison, email
            assert 'href="/cycles/1/comparison"' in index  # the published demo cycle
        else:
            page(client, "/compliance", 403)
        client.post("/logout")


def test_a_planned_cycle_has_an_empty_page_not_an_error(client, make_cycle):
    cycle = make_cycle(state="planned")
    sign_in(client, "secretariat@example.org")
    html = page(client, f"/cycles/{cycle}/compliance")
    assert "No country report in this cycle yet" in html
    assert chart(html, "chart-status")[2] == "No reports are expected in this cycle yet."
    page(client, f"/cycles/{cycle}/comparison")
    page(client, "/cycles/9999/compliance", 404)
    page(client, f"/cycles/{10**20}/compliance", 404)
    page(client, f"/cycles/{10**20}/comparison.csv", 404)
    assert client.post(f"/cycles/{10**20}/extensions", data={}).status_code == 404


# -- query counts ----------------------------------------------------------------------------------

def add_countries(session, cycle_id, count):
    for n in range(count):
        code = f"Z{chr(ord('A') + n)}"
        session.add(Country(code=code, name=f"Testland {n}", timezone="Asia/Manila"))
        session.flush()
        session.add(CountryReport(cycle_id=cycle_id, country_code=code, state="submitted",
                                  first_submitted_at=BEFORE_DEADLINE, submitted_at=BEFORE_DEADLINE,
                                  updated_at=BEFORE_DEADLINE))
    session.commit()


def test_compliance_page_queries_do_not_grow_with_countries_or_answers(client, session, make_cycle, answer,
                                                                       count_queries, at):
    cycle = make_cycle()
    at(AFTER_DEADLINE)
    sign_in(client, "secretariat@example.org")
    answer(cycle, "PH", {"SPF_COVERAGE_TOTAL": {"availability": "reported", "number": 1.0},
                         "SPF_CHILDREN": {"availability": "reported", "number": 1.0}})
    few = count_queries(f"/cycles/{cycle}/compliance")
    answer(cycle, "TH", {code: {"availability": "reported", "number": 1.0} for code in (
        "SPF_COVERAGE_TOTAL", "SPF_CHILDREN", "SPF_MATERNITY", "SPF_DISABILITY", "SPF_OLDER_PERSONS",
        "SPF_HEALTH_PROTECTION", "SPF_UNEMPLOYED", "SPF_VULNERABLE")})
    client.post(f"/cycles/{cycle}/extensions", data={"country": "VN", "deadline": "2027-04-10", "reason": "Flood"})
    add_countries(session, cycle, 5)
    many = count_queries(f"/cycles/{cycle}/compliance")
    assert few == many
    assert count_queries(f"/cycles/{cycle}/compliance.csv") == count_queries(f"/cycles/{cycle}/compliance.xlsx")


def test_scorecard_and_record_queries_do_not_grow_with_cycles(client, make_cycle, submit_at, count_queries, at):
    at(AFTER_DEADLINE)
    first = make_cycle("Cycle 1", deadline="2025-06-30")
    submit_at(first, "PH", BEFORE_DEADLINE)
    sign_in(client, "secretariat@example.org")
    paths = ("/compliance/scorecard", "/compliance/scorecard.csv", "/countries/PH/compliance", "/compliance")
    few = [count_queries(p) for p in paths]
    for n in (2, 3):
        cycle = make_cycle(f"Cycle {n}", deadline=f"2026-0{n}-28")
        submit_at(cycle, "TH", BEFORE_DEADLINE)
    many = [count_queries(p) for p in paths]
    assert few == many


def test_comparison_and_progress_queries_do_not_grow_with_indicators(client, make_cycle, answer, submit_at,
                                                                     count_queries):
    cycle = make_cycle(state="published")
    two = {"SPF_COVERAGE_TOTAL": {"availability": "reported", "number": 30.0},
           "SPF_CHILDREN": {"availability": "reported", "number": 20.0}}
    answer(cycle, "PH", two)
    submit_at(cycle, "PH", BEFORE_DEADLINE)
    sign_in(client, "coordinator.ph@example.org")
    paths = (f"/cycles/{cycle}/comparison", f"/cycles/{cycle}/comparison.csv", "/countries/PH/progress")
    few = [count_queries(p) for p in paths]
    eight = {code: {"availability": "reported", "number": 10.0} for code in (
        "SPF_COVERAGE_TOTAL", "SPF_CHILDREN", "SPF_MATERNITY", "SPF_DISABILITY", "SPF_OLDER_PERSONS",
        "SPF_HEALTH_PROTECTION", "SPF_UNEMPLOYED", "SPF_VULNERABLE")}
    for country in ("TH", "VN", "MM"):
        answer(cycle, country, eight)
        submit_at(cycle, country, BEFORE_DEADLINE)
    later = make_cycle("Later", deadline="2028-03-31", state="published")
    answer(later, "PH", eight)
    submit_at(later, "PH", BEFORE_DEADLINE)
    many = [count_queries(p) for p in paths]
    assert few == many


def test_on_time_counts_no_report_whose_deadline_is_still_ahead(client, make_cycle, submit_at, at):
    old = make_cycle("2026 self-assessment", deadline="2026-03-31", state="published")
    new = make_cycle("2027 self-assessment")  # open; its deadline four weeks away
    submit_at(old, "PH", datetime(2026, 3, 30, 1, 0, tzinfo=UTC))
    submit_at(new, "TH", datetime(2027, 3, 1, 1, 0, tzinfo=UTC))
    at(datetime(2027, 3, 3, 4, 0, tzinfo=UTC))
    sign_in(client, "secretariat@example.org")
    rows = {r[0]: r for r in table_rows(page(client, "/compliance/scorecard"), "scorecard")}
    # The demo's 2019 cycle and baseline (on time everywhere), 2026, 2027: a pending report
    # counts for nobody.
    assert rows["Philippines"][5] == "3 of 3 1 not yet due"
    assert rows["Myanmar"][5] == "2 of 3 1 not yet due"  # missed 2026: counted
    assert rows["Thailand"][5] == "3 of 4"  # submitted early in 2027: on time, counted
    client.post("/logout")
    sign_in(client, "coordinator.ph@example.org")
    assert "3 of 3 reports on time, 0 late, 0 missing; 1 not yet due." in page(client, "/countries/PH/compliance")
