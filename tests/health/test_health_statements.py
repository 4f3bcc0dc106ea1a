"""The figures take a fixed number of statements, whatever the number of countries and items."""
from datetime import UTC, datetime

from helpers import Statements, signed_in_client
from sqlalchemy import event, func, select

from coordination.extensions import db
from coordination.health.figures import compute
from coordination.health.models import ItemFigures
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


def page_statements(app, path, email="coordinator.ph@example.org"):
    client = signed_in_client(app, email)
    with app.app_context():
        engine = db.engine
    with Statements(engine) as recorder:
        assert client.get(path).status_code == 200
    return len(recorder.seen)


def test_the_pages_and_exports_take_as_many_statements_with_the_records_as_without(app, make_cycle, session, at):
    """A finished period: the first read counts the items and keeps their figures, later reads
    take them from health_item_figures; either way as many statements for an empty history as
    for a full one."""
    empty, full = make_cycle(), make_cycle(name="2030 second review")
    build_history(session, full)
    at(LATER)

    def reads(cycle_id):
        paths = [f"/cycles/{cycle_id}/coordination", f"/cycles/{cycle_id}/coordination.csv",
                 f"/cycles/{cycle_id}/coordination.xlsx"]
        return [page_statements(app, path) for path in paths] + [page_statements(app, paths[0])]
    first, kept = reads(empty), reads(full)
    assert first == kept
    assert first[3] < first[0]  # read again: the kept figures, two counting statements fewer, no write


def test_kept_figures_are_the_counted_ones_and_a_running_period_is_counted_live(client, tokens, make_cycle,
                                                                              session, at):
    cycle_id = make_cycle()
    build_history(session, cycle_id)
    at(datetime(2030, 4, 15, tzinfo=UTC))  # the period runs: nothing is kept
    path = f"/api/v1/cycles/{cycle_id}/coordination"
    running = client.get(path, headers=tokens["secretariat"]).get_json()["countries"]
    assert session.scalar(select(func.count()).select_from(ItemFigures)) == 0
    assert next(r for r in running if r["country"] == "PH")["items_created"] == 4  # A to D; F is created on 1 May
    at(LATER)
    counted = client.get(path, headers=tokens["secretariat"]).get_json()["countries"]
    assert session.scalar(select(func.count()).select_from(ItemFigures)) == 10
    assert client.get(path, headers=tokens["secretariat"]).get_json()["countries"] == counted
    cycle = session.get(ReportingCycle, cycle_id)
    assert compute(session, cycle, LATER) == compute(session, cycle, LATER, keep=True)


def test_a_member_state_over_cycles_takes_a_fixed_number_of_statements_per_cycle(app, make_cycle, at):
    at(LATER)

    def warm():  # read twice: the second read takes every finished period's figures as kept
        page_statements(app, "/countries/PH/coordination")
        return page_statements(app, "/countries/PH/coordination")
    make_cycle()
    one = warm()
    make_cycle(name="2030 second review")
    two = warm()
    make_cycle(name="2030 third review")
    assert warm() - two == two - one == 4  # members, meetings, the kept figures, data requests
