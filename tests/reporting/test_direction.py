"""Which way is better: an indicator is ``higher`` (the default) or ``lower`` is better
(out-of-pocket health spending); floors, targets and their classification read the other way."""
import pytest
from helpers import sign_in
from sqlalchemy import select

from coordination.compliance.charts import indicator_chart, series_chart
from coordination.compliance.figures import Cell, IndicatorRow
from coordination.reporting.models import MonitoringTemplate
from coordination.reporting.values import classify

OOP = "SPF_HEALTH_OOP"


@pytest.mark.parametrize(("value", "floor", "target", "expected"), [
    (40.01, 40, 20, "below_floor"),
    (40, 40, 20, "at_or_above_floor"),
    (20.01, 40, 20, "at_or_above_floor"),
    (20, 40, 20, "at_or_above_target"),
    (5, None, 20, "at_or_above_target"),
    (25, None, 20, None),
    (41, 40, None, "below_floor"),
])
def test_lower_is_better_reads_the_floor_and_target_the_other_way(value, floor, target, expected):
    assert classify(value, floor, target, "lower") == expected


def test_higher_is_still_the_default():
    assert classify(45, 40, 60) == classify(45, 40, 60, "higher") == "at_or_above_floor"
    assert classify(45, 40, 30, "lower") == "below_floor"


def test_the_monitoring_format_marks_out_of_pocket_spending_lower(client, tokens, ids):
    template = client.get(f"/api/v1/templates/{ids['template']}", headers=tokens["coordinator"]).get_json()
    directions = {i["code"]: i["better"] for i in template["indicators"]}
    assert directions.pop(OOP) == "lower"
    assert set(directions.values()) == {"higher"}


def test_a_target_of_a_lower_indicator_lies_at_or_below_its_floor(client, tokens):
    url = f"/api/v1/countries/PH/targets/{OOP}"
    refused = client.put(url, headers=tokens["coordinator"], json={"floor": 40, "target": 50})
    assert refused.status_code == 422
    assert "at or below the floor" in refused.get_json()["fields"]["target"][0]
    assert client.put(url, headers=tokens["coordinator"], json={"floor": 40, "target": 20,
                                                                 "target_year": 2030}).status_code == 200
    assert client.put(url, headers=tokens["coordinator"], json={"floor": 40, "target": 40}).status_code == 200
    # A higher-is-better indicator keeps its rule: a target at or above the floor.
    higher = "/api/v1/countries/PH/targets/SPF_COVERAGE_TOTAL"
    assert client.put(higher, headers=tokens["coordinator"], json={"floor": 40, "target": 20}).status_code == 422
    assert client.put(higher, headers=tokens["coordinator"], json={"floor": 20, "target": 40}).status_code == 200
    # Another country's coordinator sets nothing here.
    assert client.put(url, headers=tokens["th"], json={"floor": 40, "target": 20}).status_code in (403, 404)


def test_the_targets_page_says_which_way_is_better(client, tokens):
    sign_in(client, "coordinator.ph@example.org")
    page = client.get("/countries/PH/targets").get_data(as_text=True)
    row = page[page.index(f'id="target-{OOP}"'):]
    assert "Lower is better" in row[:row.index("</tr>")]
    coverage = page[page.index('id="target-SPF_COVERAGE_TOTAL"'):]
    assert "Lower is better" not in coverage[:coverage.index("</tr>")]


INDICATOR = {"code": "SPF_X", "name": "Spending", "guarantee": "health", "unit": "percent"}


def test_the_template_api_carries_the_direction(client, tokens):
    bad = client.post("/api/v1/templates", headers=tokens["secretariat"],
                      json={"name": "Sideways", "indicators": [INDICATOR | {"better": "sideways"}]})
    assert bad.status_code == 422 and list(bad.get_json()["fields"]) == ["indicators[0]"]
    created = client.post("/api/v1/templates", headers=tokens["secretariat"],
                          json={"name": "Lower", "indicators": [INDICATOR | {"better": "lower"}, INDICATOR | {
                              "code": "SPF_Y"}]})
    assert created.status_code == 201
    assert [i["better"] for i in created.get_json()["indicators"]] == ["lower", "higher"]
    copy = client.post(f"/api/v1/templates/{created.get_json()['id']}/copies", headers=tokens["secretariat"],
                       json={"name": "Lower, copied"}).get_json()
    assert [i["better"] for i in copy["indicators"]] == ["lower", "higher"]


def test_the_template_editor_carries_the_direction(client, session):
    sign_in(client, "secretariat@example.org")
    lines = ("SPF_X | Spending | health | percent | no | lower | sex | Out of pocket\n"
             "SPF_Y | Coverage | health | percent | yes | sex | Covered")
    assert client.post("/templates/new", data={"name": "Edited", "indicators": lines}).status_code == 302
    template = session.scalar(select(MonitoringTemplate).where(MonitoringTemplate.name == "Edited"))
    assert [(i.code, i.better, i.disaggregations, i.definition) for i in template.indicators] == [
        ("SPF_X", "lower", ["sex"], "Out of pocket"), ("SPF_Y", "higher", ["sex"], "Covered")]
    form = client.get(f"/templates/{template.id}/edit").get_data(as_text=True)
    assert "SPF_X | Spending | health | percent | no | lower | sex | Out of pocket" in form
    shown = client.get(f"/templates/{template.id}").get_data(as_text=True)
    assert "<td>Lower</td>" in shown and "<td>Higher</td>" in shown


@pytest.fixture
def submitted_with_oop(client, tokens, open_cycle, fill_required):
    def submit(value):
        report_id = open_cycle["report"]
        version = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()["version"]
        client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens["coordinator"],
                    json={"trigger": "start", "version": version})
        fill_required(report_id)
        assert client.put(f"/api/v1/reports/{report_id}/values/{OOP}", json={"value": value},
                          headers=tokens["coordinator"]).status_code == 200
        assert client.put(f"/api/v1/countries/PH/targets/{OOP}", headers=tokens["coordinator"],
                          json={"floor": 40, "target": 20}).status_code == 200
        return report_id
    return submit


@pytest.mark.parametrize(("value", "status", "label"), [
    (15.0, "at_or_above_target", "At or below target"), (30.0, "at_or_above_floor", "At or below floor"),
    (45.0, "below_floor", "Above floor (worse)")])
def test_the_report_page_and_the_comparison_classify_a_lower_indicator(client, tokens, open_cycle,
                                                                       submitted_with_oop, value, status, label):
    report_id = submitted_with_oop(value)
    sign_in(client, "coordinator.ph@example.org")
    page = client.get(f"/reports/{report_id}").get_data(as_text=True)
    block = page[page.index(f'id="indicator-{OOP}"'):]
    assert label in block[:block.index("</tbody>")] and "lower is better" in block[:block.index("</tbody>")]
    printed = client.get(f"/reports/{report_id}/print").get_data(as_text=True)
    row = printed[printed.index(f"<code class=\"small\">{OOP}</code>"):]
    assert label in row[:row.index("</tr>")]  # the printable report reads it the same way
    version = client.get(f"/api/v1/reports/{report_id}", headers=tokens["coordinator"]).get_json()["version"]
    assert client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens["coordinator"],
                       json={"trigger": "submit", "version": version}).status_code == 200
    cycle = open_cycle["cycle"]["id"]
    body = client.get(f"/api/v1/cycles/{cycle}/comparison", headers=tokens["secretariat"]).get_json()
    cells = {c["country"]: c for c in next(i for i in body["indicators"] if i["code"] == OOP)["countries"]}
    assert (cells["PH"]["value"], cells["PH"]["status"]) == (value, status)
    client.post("/logout")
    sign_in(client, "secretariat@example.org")
    shown = client.get(f"/cycles/{cycle}/comparison?indicator={OOP}").get_data(as_text=True)
    assert label in shown


def test_the_charts_of_a_lower_indicator_say_which_way_is_better(app):
    with app.test_request_context():
        row = IndicatorRow(code=OOP, name="Out of pocket", unit="percent", guarantee="health", required=False,
                           better="lower", cells=[Cell(country="PH", country_name="Philippines", submitted=True,
                                                       value=45.0, availability="reported", floor=40.0, target=20.0,
                                                       status=classify(45.0, 40.0, 20.0, "lower"))])
        chart = str(indicator_chart(row, "c", "Out of pocket"))
        assert "above floor (worse)" in chart and "at or below target" in chart and "at or above" not in chart
        series = str(series_chart([("2027", 15.0, classify(15.0, 40.0, 20.0, "lower"))], "percent", 40.0, 20.0,
                                  "s", "Out of pocket", "lower"))
        assert "15 %, at or below target" in series.replace("\xa0", " ")
