"""The recommendations' statements are served by indexes: SQLite's plans for every statement
reading the recommendation tables on the paths of the list and its filters, one recommendation's
table and its progress, the assessment form, a country's page, the report's panel and the sweep
search an index (or walk the primary key in order, for the newest-first list), never scan; only
the unfiltered list's total counts the recommendations (a covering index: the network adopts
tens, not millions)."""
import pytest
from helpers import Statements, api_token, signed_in_client
from sqlalchemy import select

from coordination.extensions import db
from coordination.recommendations.models import Recommendation
from coordination.reporting.models import CountryReport, ReportingCycle

TABLES = ("recommendation_countries", "recommendation_assessments", "assessment_items", "assessment_events",
          "FROM recommendations")


def sqlite_plans(app, seen) -> list[tuple[str, list[str]]]:
    found = []
    with app.app_context():
        with db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            # The plans for tables of any size: the statistics of the demo's few rows set aside
            # (with them SQLite rightly reads forty rows rather than an index).
            if raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
                raw.execute("DELETE FROM sqlite_stat1 WHERE tbl LIKE 'recommendation%' OR tbl LIKE 'assessment%'")
                raw.execute("ANALYZE sqlite_schema")
            for statement, parameters in seen:
                if statement.lstrip().upper().startswith("SELECT") and any(t in statement for t in TABLES):
                    rows = raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                    found.append((statement, [row[-1] for row in rows]))
    return found


def test_the_recommendation_paths_read_indexes(app, client, session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    registry = session.scalar(select(Recommendation.id).order_by(Recommendation.id))
    published = session.scalar(select(ReportingCycle.id).where(ReportingCycle.state == "published"))
    report = session.scalar(select(CountryReport.id).where(CountryReport.cycle_id == published,
                                                           CountryReport.country_code == "PH"))
    headers = api_token(client, "coordinator.ph@example.org")
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        web = signed_in_client(app, "coordinator.ph@example.org")
        for path in ("/recommendations", "/recommendations?guarantee=children", "/recommendations?country=PH",
                     f"/recommendations/{registry}", f"/recommendations/{registry}/assessments/PH/{published}",
                     "/countries/PH/recommendations", f"/reports/{report}", f"/reports/{report}/print",
                     f"/recommendations/{registry}.csv"):
            assert web.get(path).status_code == 200, path
        for path in ("/api/v1/recommendations?country=TH&guarantee=working_age",
                     f"/api/v1/recommendations/{registry}", f"/api/v1/recommendations/{registry}/progress"):
            assert client.get(path, headers=headers).status_code == 200, path
    checked = sqlite_plans(app, recorder.seen)
    assert len(checked) >= 15
    bad = [(statement, plan) for statement, plan in checked
           if any(line.startswith(("SCAN recommendation_countries", "SCAN recommendation_assessments",
                                   "SCAN assessment_items", "SCAN assessment_events")) for line in plan)
           or any(line.startswith("SCAN recommendations") and "ORDER BY" not in statement
                  and not statement.startswith("SELECT count(*)") for line in plan)]
    assert bad == [], "\n\n".join(f"{s}\n{p}" for s, p in bad)
