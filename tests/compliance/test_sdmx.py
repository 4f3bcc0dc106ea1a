"""The SDG 1.3.1 figures of a published cycle in SDMX-CSV 2.0.0 (GET /api/v1/cycles/ID/sdmx.csv
and the comparison page's download): read back by an SDMX parser (sdmx1) against the columns of
the structure, and row by row against the reference values of monitoring_format.json for the
demo's two published cycles; the breakdown by sex; who may download it."""
import csv
import io
import json
from datetime import UTC, datetime

import pytest
from helpers import Statements, sign_in
from sqlalchemy import select

from coordination.audit.models import AuditEvent
from coordination.compliance import sdmx
from coordination.extensions import db
from coordination.reporting.demo import CYCLE_2019, HISTORICAL_CYCLE
from coordination.reporting.models import ReportingCycle
from coordination.reporting.templates import default_format

from .compliance_support import report_of

COLUMNS = ["STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX",
           "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS"]
# UN M49 (unstats.un.org/unsd/methodology/m49), written here once more by hand.
M49 = {"BN": 96, "KH": 116, "ID": 360, "LA": 418, "MY": 458, "MM": 104, "PH": 608, "SG": 702, "TH": 764,
       "VN": 704}
SDG_SERIES = {"SI_COV_BENFTS", "SI_COV_CHLD", "SI_COV_MATNL", "SI_COV_DISAB", "SI_COV_UEMP", "SI_COV_WKINJRY",
              "SI_COV_VULN", "SI_COV_PENSN"}


def cycle_named(session, name) -> int:
    return session.scalar(select(ReportingCycle.id).where(ReportingCycle.name == name))


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert not text.startswith("\ufeff")  # SDMX-CSV: plain UTF-8
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def parsed(data: bytes):
    """The file read by sdmx1's SDMX-CSV 2.0.0 reader, against a structure with the dimensions,
    measure and attributes of the SDG dataflow that the file carries."""
    from sdmx.model import common, v30
    from sdmx.reader.csv import Reader

    dsd = v30.DataStructureDefinition(id="SDG", maintainer=common.Agency(id="IAEG-SDGs"), version="1.20")
    for dimension in ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX"):
        dsd.dimensions.getdefault(dimension)
    dsd.dimensions.getdefault("TIME_PERIOD", cls=common.TimeDimension)
    dsd.measures.getdefault("OBS_VALUE")
    for attribute in ("UNIT_MEASURE", "OBS_STATUS"):
        dsd.attributes.getdefault(attribute)
    message = Reader().convert(io.BytesIO(data), structure=dsd)
    return [obs for data_set in message.data for obs in data_set.obs]


def expected_rows(year: int | None) -> list[tuple]:
    """(SERIES, REF_AREA, SEX, TIME_PERIOD, OBS_VALUE) of monitoring_format.json's reference values:
    each member state's figure of ``year``, or its latest."""
    spec = default_format()
    reference = spec["reference_values"]
    series = next(i["sdg_series"] for i in spec["indicators"] if i["code"] == reference["indicator"])
    assert series == "SDG 1.3.1 (SI_COV_BENFTS)"
    rows = []
    for country, values in reference["values"].items():
        figure = max(values) if year is None else next((v for v in values if v[0] == year), None)
        if figure is not None:
            rows.append(("SI_COV_BENFTS", str(M49[country]), "_T", str(figure[0]), float(figure[1])))
    return sorted(rows, key=lambda r: int(r[1]))


@pytest.mark.parametrize("name, year", [(HISTORICAL_CYCLE, None), (CYCLE_2019, 2019)])
def test_the_demo_cycles_file_holds_the_reference_values_row_by_row(client, session, tokens, name, year):
    cycle = cycle_named(session, name)
    response = client.get(f"/api/v1/cycles/{cycle}/sdmx.csv", headers=tokens["observer"])
    rows = rows_of(response)
    assert [(r["SERIES"], r["REF_AREA"], r["SEX"], r["TIME_PERIOD"], float(r["OBS_VALUE"])) for r in rows] \
        == expected_rows(year)
    assert len(rows) == 10  # every member state has a figure of 2019 and a latest one
    for row in rows:
        assert (row["STRUCTURE"], row["STRUCTURE_ID"], row["ACTION"]) == ("dataflow", "IAEG-SDGs:DF_SDG_GLH(1.20)",
                                                                         "I")
        assert (row["FREQ"], row["REPORTING_TYPE"], row["UNIT_MEASURE"], row["OBS_STATUS"]) == ("A", "N", "PT", "E")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=sdmx-")
    # An SDMX parser reads the same observations.
    observations = parsed(response.get_data())
    assert sorted((o.dimension["SERIES"].value, o.dimension["REF_AREA"].value, o.dimension["SEX"].value,
                   o.dimension["TIME_PERIOD"].value, float(o.value)) for o in observations) \
        == sorted(expected_rows(year))
    assert {o.attached_attribute["UNIT_MEASURE"].value for o in observations} == {"PT"}


def test_the_latest_and_the_2019_figures_differ_where_the_series_moved(client, session, tokens):
    """The two demo cycles show real movement: Indonesia from 27.83 (2019) to 54.3 (2021)."""
    by_cycle = {}
    for name in (CYCLE_2019, HISTORICAL_CYCLE):
        rows = rows_of(client.get(f"/api/v1/cycles/{cycle_named(session, name)}/sdmx.csv",
                                  headers=tokens["secretariat"]))
        by_cycle[name] = {r["REF_AREA"]: (r["TIME_PERIOD"], r["OBS_VALUE"]) for r in rows}
    assert by_cycle[CYCLE_2019]["360"] == ("2019", "27.83")
    assert by_cycle[HISTORICAL_CYCLE]["360"] == ("2021", "54.3")
    assert by_cycle[CYCLE_2019]["104"] == by_cycle[HISTORICAL_CYCLE]["104"] == ("2019", "6.32")  # Myanmar: 2019 only


def test_one_row_per_country_series_and_sex_from_accepted_reports_only(client, session, tokens, make_cycle, answer,
                                                                       submit_at):
    cycle = make_cycle(state="published")
    answer(cycle, "PH", {
        "SPF_CHILDREN": {"availability": "reported", "number": 30.0, "breakdown": {"female": 28.5, "male": 31.5}},
        "SPF_OLDER_PERSONS": {"availability": "estimate", "number": 40.0, "breakdown": {"female": 44.0}},
        "SPF_DISABILITY": {"availability": "not_available", "reason": "No survey since 2016"},
        "SPF_HEALTH_PROTECTION": {"availability": "reported", "number": 100.0},  # no SDG series
        "SPF_COVERAGE_TOTAL": {"availability": "reported", "number": 36.1, "reference_year": 2025},
    })
    submit_at(cycle, "PH", datetime(2027, 3, 20, 4, 0, tzinfo=UTC), state="accepted")
    answer(cycle, "TH", {"SPF_CHILDREN": {"availability": "reported", "number": 50.0}})
    submit_at(cycle, "TH", datetime(2027, 3, 20, 4, 0, tzinfo=UTC))  # submitted, never accepted
    rows = rows_of(client.get(f"/api/v1/cycles/{cycle}/sdmx.csv", headers=tokens["ph"]))
    assert [(r["SERIES"], r["REF_AREA"], r["SEX"], r["TIME_PERIOD"], r["OBS_VALUE"], r["OBS_STATUS"])
            for r in rows] == [
        ("SI_COV_BENFTS", "608", "_T", "2025", "36.1", "A"),  # the value's own year
        ("SI_COV_CHLD", "608", "_T", "2026", "30", "A"),  # else the year the cycle's period ends
        ("SI_COV_CHLD", "608", "F", "2026", "28.5", "A"),
        ("SI_COV_CHLD", "608", "M", "2026", "31.5", "A"),
        ("SI_COV_PENSN", "608", "_T", "2026", "40", "E"),
        ("SI_COV_PENSN", "608", "F", "2026", "44", "E"),
    ]
    assert {o.dimension["SEX"].value for o in parsed(
        client.get(f"/api/v1/cycles/{cycle}/sdmx.csv", headers=tokens["ph"]).get_data())} == {"_T", "F", "M"}
    assert report_of(session, cycle, "TH").state == "submitted"


def test_the_series_come_from_the_monitoring_format_and_the_areas_from_the_data_file():
    assert set(sdmx.series_by_indicator().values()) == SDG_SERIES
    assert sdmx.series_by_indicator({"indicators": [
        {"code": "X", "sdg_series": "SDG 1.3.1 (SI_COV_CHLD)"}, {"code": "Y", "sdg_series": None}, {"code": "Z"},
    ]}) == {"X": "SI_COV_CHLD"}
    directory = json.loads((sdmx.resources.files("coordination.data") / "asean_directory.json").read_text())
    codes = sdmx.spec()["ref_area"]["codes"]
    assert set(codes) == {c["code"] for c in directory["countries"]}
    assert {country: int(code) for country, code in codes.items()} == M49
    assert all(len(code) == 3 for code in codes.values())
    assert "M49" in sdmx.spec()["ref_area"]["source"]


def test_who_may_download_a_published_cycles_file(client, session, tokens):
    cycle = cycle_named(session, HISTORICAL_CYCLE)
    for who in ("secretariat", "observer", "ph", "dswd", "th"):
        assert client.get(f"/api/v1/cycles/{cycle}/sdmx.csv", headers=tokens[who]).status_code == 200, who
    refused = client.get(f"/api/v1/cycles/{cycle}/sdmx.csv", headers=tokens["admin"])
    assert refused.status_code == 404 and refused.get_json()["error"] == "not_found"
    assert client.get(f"/api/v1/cycles/{cycle}/sdmx.csv").status_code == 401
    assert client.get("/api/v1/cycles/999999/sdmx.csv", headers=tokens["secretariat"]).status_code == 404


@pytest.mark.parametrize("state", ["open", "closed"])
def test_an_unpublished_cycle_has_no_file(client, tokens, make_cycle, state):
    cycle = make_cycle(state=state)
    conflict = client.get(f"/api/v1/cycles/{cycle}/sdmx.csv", headers=tokens["secretariat"])
    assert conflict.status_code == 409 and conflict.get_json()["error"] == "conflict"
    assert "published" in conflict.get_json()["message"]
    for who in ("observer", "ph", "dswd", "th", "admin"):
        response = client.get(f"/api/v1/cycles/{cycle}/sdmx.csv", headers=tokens[who])
        assert response.status_code == 404 and response.get_json()["error"] == "not_found", who


def test_the_comparison_page_links_the_file_of_a_published_cycle(client, session, make_cycle):
    published = cycle_named(session, HISTORICAL_CYCLE)
    closed = make_cycle(state="closed")
    for email in ("coordinator.ph@example.org", "observer@example.org", "secretariat@example.org"):
        sign_in(client, email)
        html = client.get(f"/cycles/{published}/comparison").get_data(as_text=True)
        assert f'href="/cycles/{published}/sdmx.csv"' in html and "SDMX-CSV" in html
        download = client.get(f"/cycles/{published}/sdmx.csv")
        assert rows_of(download)[0]["REF_AREA"] == "96"
        assert download.headers["Cache-Control"] == "private, no-store"
        client.post("/logout")
    sign_in(client, "secretariat@example.org")
    html = client.get(f"/cycles/{closed}/comparison").get_data(as_text=True)
    assert "sdmx.csv" not in html
    assert client.get(f"/cycles/{closed}/sdmx.csv").status_code == 409
    client.post("/logout")
    for email in ("coordinator.th@example.org", "observer@example.org", "admin@example.org"):
        sign_in(client, email)
        assert client.get(f"/cycles/{closed}/sdmx.csv").status_code == 404, email
        client.post("/logout")
    sign_in(client, "admin@example.org")
    assert client.get(f"/cycles/{published}/sdmx.csv").status_code == 404
    # The download is in the audit log, as the other exports are.
    event = session.scalars(select(AuditEvent).where(AuditEvent.type == "export_downloaded")
                            .order_by(AuditEvent.id.desc())).first()
    assert event.detail["export"] == "sdmx" and event.detail["path"] == f"/cycles/{published}/sdmx.csv"


def test_the_file_is_read_through_indexes_in_a_fixed_number_of_statements(app, client, session, tokens,
                                                                          count_queries, make_cycle, answer,
                                                                          submit_at):
    """The cycle's reports by their cycle, their values by report: no table is scanned, and the
    number of statements does not grow with the member states answering (SQLite's plan)."""
    cycle = cycle_named(session, HISTORICAL_CYCLE)
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        rows_of(client.get(f"/api/v1/cycles/{cycle}/sdmx.csv", headers=tokens["secretariat"]))
    reads = [(s, p) for s, p in recorder.seen if s.lstrip().upper().startswith("SELECT") and "indicator_values" in s]
    assert len(reads) == 1
    if session.get_bind().dialect.name == "sqlite":
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            plan = [row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {reads[0][0]}", reads[0][1]).fetchall()]
        assert not [line for line in plan if line.startswith(("SCAN indicator_values", "SCAN country_reports"))], plan
    small = make_cycle(state="published")  # one accepted report, against the baseline's ten
    answer(small, "PH", {"SPF_CHILDREN": {"availability": "reported", "number": 30.0}})
    submit_at(small, "PH", datetime(2027, 3, 20, 4, 0, tzinfo=UTC), state="accepted")
    sign_in(client, "observer@example.org")
    assert count_queries(f"/cycles/{small}/sdmx.csv") == count_queries(f"/cycles/{cycle}/sdmx.csv")
