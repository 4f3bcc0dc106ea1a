"""The figures take a fixed number of statements, whatever the number of countries and items."""
from datetime import UTC, datetime

from sqlalchemy import event

from coordination.health.figures import compute
from coordination.reporting.models import ReportingCycle

from .test_health_api import LATER, build_history


def statements(session, cycle_id):
    issued = []

    def count(*_args):
        issued.append(1)
    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        cycle = session.get(ReportingCycle, cycle_id)
        session.expire_all()
        cycle = session.get(ReportingCycle, cycle_id)
        issued.clear()
        compute(session, cycle, LATER)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(issued)


def test_the_number_of_statements_does_not_grow_with_the_records(make_cycle, session):
    cycle_id = make_cycle()
    before = statements(session, cycle_id)
    build_history(session, cycle_id)
    assert statements(session, cycle_id) == before == 6  # countries, then one per figure group
    assert datetime(2030, 6, 30, tzinfo=UTC) < LATER
