"""Fixtures of the compliance tests: tokens, cycles opened through the API, and submissions
arranged directly in the database (first_submitted_at set by hand) at chosen instants."""
from datetime import datetime

import pytest
from helpers import api_token
from sqlalchemy import event, select

from coordination import clock
from coordination.reporting.models import Indicator, IndicatorValue, MonitoringTemplate

from .compliance_support import DEADLINE, USERS, report_of


@pytest.fixture
def tokens(client):
    return {name: api_token(client, email) for name, email in USERS.items()}


@pytest.fixture
def at(monkeypatch):
    """``at(instant)``: from now on, clock.now() answers ``instant``."""
    def move(instant: datetime):
        monkeypatch.setattr(clock, "now", lambda: instant)
    return move


@pytest.fixture
def template_id(session):
    return session.scalar(select(MonitoringTemplate.id).where(MonitoringTemplate.name == "ASEAN SPF self-assessment"))


@pytest.fixture
def make_cycle(client, tokens, template_id):
    """``make_cycle(name, deadline=DEADLINE, state="open")``: a cycle created and moved through
    the API (open creates a report per member state); returns its id."""
    def make(name="2027 self-assessment", deadline=DEADLINE, state="open"):
        created = client.post("/api/v1/cycles", headers=tokens["secretariat"], json={
            "name": name, "template_id": template_id, "period_start": "2026-01-01", "period_end": "2026-12-31",
            "deadline": deadline})
        assert created.status_code == 201, created.get_json()
        cycle_id = created.get_json()["id"]
        steps = {"planned": [], "open": ["open"], "closed": ["open", "close"],
                 "published": ["open", "close", "publish"]}[state]
        for trigger in steps:
            moved = client.post(f"/api/v1/cycles/{cycle_id}/transitions", json={"trigger": trigger},
                                headers=tokens["secretariat"])
            assert moved.status_code == 200, moved.get_json()
        return cycle_id
    return make


@pytest.fixture
def submit_at(session):
    """``submit_at(cycle_id, country, instant, state="submitted")``: the report's first
    submission happened at ``instant`` (set directly in the database)."""
    def arrange(cycle_id, country, instant, state="submitted"):
        report = report_of(session, cycle_id, country)
        report.state, report.first_submitted_at, report.submitted_at = state, instant, instant
        session.commit()
        return report.id
    return arrange


@pytest.fixture
def answer(session):
    """``answer(cycle_id, country, {code: columns})``: value rows written directly."""
    def write(cycle_id, country, values: dict):
        report = report_of(session, cycle_id, country)
        indicators = {i.code: i for i in session.scalars(select(Indicator).where(
            Indicator.template_id == report.cycle.template_id))}
        for code, columns in values.items():
            session.add(IndicatorValue(report_id=report.id, indicator_id=indicators[code].id,
                                       **{"reason": "", "note": "", **columns}))
        session.commit()
        return report.id
    return write


class QueryCounter:
    """Counts the SQL statements sent to ``engine`` inside the block."""

    def __init__(self, engine):
        self.engine, self.count, self.statements = engine, 0, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args):
        self.count += 1
        self.statements.append(statement)


@pytest.fixture
def count_queries(app, client):
    """``count_queries(path)``: the number of SQL statements a GET of ``path`` issues (200 expected)."""
    from coordination.extensions import db

    with app.app_context():
        engine = db.engine

    def count(path):
        with QueryCounter(engine) as counter:
            response = client.get(path)
            assert response.status_code == 200, path
        return counter.count
    return count
