"""The history of indicator values: every saved change, append-only in the database, whoever
saves it (page, API, data request); read where the report is read, by nobody else."""
import re

import pytest
from helpers import api_token, root_conftest, sign_in
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError
from test_migrations import demo_at_head, differences, down_and_up

from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.reporting.history import change_counts
from coordination.reporting.models import CountryReport, Indicator, IndicatorValue, ValueChange
from coordination.reporting.templates import default_format
from coordination.reporting.views.report_page import load_report

COORDINATOR = "coordinator.ph@example.org"


def put(client, tokens, report_id, code, body, who="coordinator"):
    response = client.put(f"/api/v1/reports/{report_id}/values/{code}", json=body, headers=tokens[who])
    assert response.status_code == 200, response.get_json()
    return response


def history(client, tokens, report_id, code, who="coordinator"):
    return client.get(f"/api/v1/reports/{report_id}/values/{code}/history", headers=tokens[who])


def test_every_saved_change_is_in_the_history_oldest_first(client, tokens, open_cycle, session):
    report_id = open_cycle["report"]
    put(client, tokens, report_id, "SPF_CHILDREN", {"value": 21.5, "note": "Survey 2026"})
    put(client, tokens, report_id, "SPF_CHILDREN", {"value": 21.5, "note": "Survey 2026"})  # nothing changed
    put(client, tokens, report_id, "SPF_CHILDREN", {"value": 23.0, "note": "Survey 2026, revised"})
    put(client, tokens, report_id, "SPF_CHILDREN", {"availability": "not_available", "reason": "Survey withdrawn"})
    response = history(client, tokens, report_id, "SPF_CHILDREN")
    assert response.status_code == 200
    changes = response.get_json()
    coordinator = client.get("/api/v1/me", headers=tokens["coordinator"]).get_json()["id"]
    assert [(c["value"], c["availability"], c["reason"], c["note"], c["actor"], c["source"]) for c in changes] == [
        (21.5, "reported", "", "Survey 2026", coordinator, "api"),
        (23.0, "reported", "", "Survey 2026, revised", coordinator, "api"),
        (None, "not_available", "Survey withdrawn", "", coordinator, "api")]
    assert changes[0]["at"] <= changes[1]["at"] <= changes[2]["at"]
    # A change of the note alone is a change.
    put(client, tokens, report_id, "SPF_CHILDREN", {"availability": "not_available", "reason": "Survey withdrawn",
                                                     "note": "Asked again in May"})
    assert len(history(client, tokens, report_id, "SPF_CHILDREN").get_json()) == 4


def test_an_indicator_without_a_value_has_no_history_and_an_unknown_code_is_not_found(client, tokens, open_cycle):
    report_id = open_cycle["report"]
    assert history(client, tokens, report_id, "SPF_MATERNITY").get_json() == []
    assert history(client, tokens, report_id, "NO_SUCH_CODE").status_code == 404
    assert history(client, tokens, 999999, "SPF_MATERNITY").status_code == 404


def test_the_history_is_read_where_the_report_is_and_nowhere_else(client, tokens, open_cycle):
    report_id = open_cycle["report"]
    put(client, tokens, report_id, "SPF_COVERAGE_TOTAL", {"value": 34.9})
    assert history(client, tokens, report_id, "SPF_COVERAGE_TOTAL", "dswd").status_code == 200  # same country
    for other in ("th", "observer", "admin"):
        assert history(client, tokens, report_id, "SPF_COVERAGE_TOTAL", other).status_code == 404, other
    # The secretariat reads a report once it is submitted; observers read comparisons, not reports.
    assert history(client, tokens, report_id, "SPF_COVERAGE_TOTAL", "secretariat").status_code == 404
    cycles = client.get("/api/v1/cycles", headers=tokens["observer"]).get_json()
    published = next(c for c in cycles if c["state"] == "published")
    reports = client.get(f"/api/v1/cycles/{published['id']}", headers=tokens["secretariat"]).get_json()["reports"]
    ph = next(r["id"] for r in reports if r["country"] == "PH")
    for reader in ("secretariat", "coordinator"):
        seeded = history(client, tokens, ph, "SPF_COVERAGE_TOTAL", reader)
        assert seeded.status_code == 200, reader
        assert [(c["value"], c["source"]) for c in seeded.get_json()] == [(34.9, "demo")]
    for other in ("th", "observer"):
        assert history(client, tokens, ph, "SPF_COVERAGE_TOTAL", other).status_code == 404, other


def test_the_page_and_a_data_request_write_history_too(client, tokens, open_cycle, session):
    report_id = open_cycle["report"]
    dswd = session.scalar(select(Ministry.id).where(Ministry.country_code == "PH", Ministry.acronym == "DSWD"))
    assigned = client.post(f"/api/v1/reports/{report_id}/assignments", headers=tokens["coordinator"],
                           json={"indicator_code": "SPF_CHILDREN", "ministry_id": dswd}).get_json()
    sign_in(client, "staff.ph.dswd@example.org")
    response = client.post(f"/reports/{report_id}/values/SPF_CHILDREN", data={
        "SPF_CHILDREN-number": "20", "SPF_CHILDREN-availability": "reported",
        "SPF_CHILDREN-item_id": str(assigned["item_id"])})
    assert response.status_code == 302
    client.post("/logout")
    sign_in(client, COORDINATOR)
    assert client.post(f"/reports/{report_id}/values/SPF_CHILDREN", data={
        "SPF_CHILDREN-number": "21", "SPF_CHILDREN-availability": "reported"}).status_code == 302
    changes = history(client, tokens, report_id, "SPF_CHILDREN").get_json()
    # The assignment made the row without a value (no history); then the ministry's entry and the coordinator's.
    staff = client.get("/api/v1/me", headers=api_token(client, "staff.ph.dswd@example.org")).get_json()["id"]
    coordinator = client.get("/api/v1/me", headers=tokens["coordinator"]).get_json()["id"]
    assert [(c["value"], c["source"], c["actor"]) for c in changes] == [
        (20.0, "data_request", staff), (21.0, "page", coordinator)]


def test_the_report_page_counts_the_changes_and_links_the_list(client, tokens, open_cycle):
    report_id = open_cycle["report"]
    for value in (10.0, 11.0, 12.0):
        put(client, tokens, report_id, "SPF_OLDER_PERSONS", {"value": value})
    sign_in(client, COORDINATOR)
    page = client.get(f"/reports/{report_id}").get_data(as_text=True)
    link = f"/reports/{report_id}/values/SPF_OLDER_PERSONS/history"
    assert re.search(rf'href="{link}">3 changes', page)
    listed = client.get(link)
    assert listed.status_code == 200
    body = listed.get_data(as_text=True)
    assert body.count("<tr>") == 4 and "The API" in body  # the header and three changes
    assert client.get(f"/reports/{report_id}/values/NOPE/history").status_code == 404
    client.post("/logout")
    sign_in(client, "coordinator.th@example.org")
    assert client.get(link).status_code == 404


def test_the_history_page_is_translated(client, tokens, open_cycle):
    report_id = open_cycle["report"]
    put(client, tokens, report_id, "SPF_OLDER_PERSONS", {"value": 10.0})
    sign_in(client, COORDINATOR)
    client.patch("/api/v1/me", json={"locale": "vi"}, headers=tokens["coordinator"])
    page = client.get(f"/reports/{report_id}/values/SPF_OLDER_PERSONS/history").get_data(as_text=True)
    assert 'lang="vi"' in page and "History of" not in page


def test_the_database_refuses_to_change_or_delete_history(app, client, tokens, open_cycle):
    report_id = open_cycle["report"]
    put(client, tokens, report_id, "SPF_OLDER_PERSONS", {"value": 10.0})
    with app.app_context():
        for statement in ("UPDATE value_changes SET note = 'rewritten'", "DELETE FROM value_changes"):
            with pytest.raises(DatabaseError, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(text(statement))


def test_the_change_counts_are_by_value(app, session, open_cycle, client, tokens):
    report_id = open_cycle["report"]
    put(client, tokens, report_id, "SPF_OLDER_PERSONS", {"value": 10.0})
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.email == COORDINATOR))
        report = load_report(db.session, actor, report_id)
        counts = change_counts(db.session, report)
        row = next(v for v in report.values if v.indicator.code == "SPF_OLDER_PERSONS")
        assert counts == {row.id: 1}


def test_the_migration_gives_every_value_entered_a_first_history_row(make_app, database_url, pytestconfig):
    """Values entered before 0013 start their history with their current state; the monitoring
    format gets its direction and rules."""
    app = make_app()
    try:
        with app.app_context():
            demo_at_head()
            entered = db.session.scalar(select(func.count()).select_from(IndicatorValue)
                                        .where(IndicatorValue.availability.is_not(None)))
            assert entered > 0
            down_and_up("0012")
            rows = db.session.execute(select(ValueChange.value_id, ValueChange.source, ValueChange.number,
                                             IndicatorValue.number)
                                      .join(IndicatorValue, IndicatorValue.id == ValueChange.value_id)).all()
            assert len(rows) == entered and {r.source for r in rows} == {"migration"}
            assert all(r[2] == r[3] for r in rows)
            assert db.session.scalar(select(Indicator.better).where(Indicator.code == "SPF_HEALTH_OOP")) == "lower"
            lower = select(func.count()).select_from(Indicator).where(Indicator.better == "lower")
            assert db.session.scalar(lower) == 1
            report = db.session.scalar(select(CountryReport))
            assert report.cycle.template.rules == default_format()["rules"]  # as the format holds them
            db.session.remove()
            with pytest.raises(DatabaseError, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(text("DELETE FROM value_changes"))
            assert differences() == []
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()


def test_a_token_of_another_country_gets_404_for_a_value_history(client, open_cycle):
    headers = api_token(client, "coordinator.id@example.org")
    response = client.get(f"/api/v1/reports/{open_cycle['report']}/values/SPF_CHILDREN/history", headers=headers)
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
