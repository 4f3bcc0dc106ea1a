"""Benchmark: the reminder sweep costs time in proportion to the reminders due, not to the
action items held.

    .venv/bin/python bench/sweep.py [--quick] [--database-url URL]

Builds a fresh database (SQLite in a temporary folder, or a schema of its own on PostgreSQL),
the demo directory, then action items in bulk ('assigned', held by a ministry, spread over the
ten member states). At the sweep instant D items are due within the week (a rule for the
holding ministry's staff has fallen due: one reminder each) and every other item is due 200 days
out or later. Each sweep is rolled back, so every run sees the same state; best of 3.

Part 1 keeps D fixed and grows the items held; part 2 keeps the items held fixed and grows D.
"again" is a second sweep in the same transaction, once everything due is queued: it queues
nothing, and shows what every 15-minute sweep costs while those reminders stay due.
"""
import argparse
import gc
import sys
from datetime import UTC, date, datetime, timedelta

from common import (
    StatementCounter,
    backend_name,
    bench_app,
    database_url_argument,
    holders,
    insert_items,
    item_row,
    timed,
)
from sqlalchemy import bindparam, func, select, update

from coordination.extensions import db
from coordination.items.models import ActionItem
from coordination.reminders import rules
from coordination.reminders.sweep import sweep

# 10:30 in Manila, 09:00 in Yangon: past the 08:00 rule hour in every member state, whose local
# date is 24 March 2027 everywhere.
NOW = datetime(2027, 3, 24, 2, 30, tzinfo=UTC)
TODAY = date(2027, 3, 24)
FULL = {"held": (1_000, 10_000, 50_000), "due": 200, "vary_due": (50, 200, 1_000, 5_000)}
QUICK = {"held": (500, 2_000, 5_000), "due": 50, "vary_due": (20, 50, 200, 1_000)}


def near(number: int) -> date:
    """Due today to 7 days out: the -7, -1 or 0 rule has fallen due (the holding ministry's staff)."""
    return TODAY + timedelta(days=number % 8)


def far(number: int) -> date:
    """Due 200 to 564 days out: nothing due for months."""
    return TODAY + timedelta(days=200 + number % 365)


class Items:
    """The benchmark's items, all due far out but the ``armed`` ones."""

    def __init__(self, session):
        self.session = session
        self.places = holders(session)
        self.codes = sorted(self.places)
        self.count = 0
        self.armed: list[int] = []

    def grow_to(self, total: int) -> None:
        rows = []
        for number in range(self.count, total):
            code = self.codes[number % len(self.codes)]
            coordinator, ministries = self.places[code]
            ministry = ministries[(number // len(self.codes)) % len(ministries)]
            rows.append(item_row(number, code, coordinator, ministry, far(number)))
        insert_items(self.session, rows)
        self.count = total

    def arm(self, due: int) -> None:
        """Exactly ``due`` items, spread evenly over the ids, due near the instant."""
        table = ActionItem.__table__
        ids = self.session.scalars(select(table.c.id).order_by(table.c.id)).all()
        chosen = [ids[i * len(ids) // due] for i in range(due)]
        change = update(table).where(table.c.id == bindparam("item")).values(due_date=bindparam("due"))
        if self.armed:
            self.session.execute(change, [{"item": i, "due": far(i)} for i in self.armed])
        self.session.execute(change, [{"item": i, "due": near(i)} for i in chosen])
        self.session.commit()
        self.armed = chosen
        held = self.session.scalar(select(func.count()).select_from(table))
        assert held == self.count, (held, self.count)


def measure(session, counter, settings, repeat: int) -> dict:
    """Best of ``repeat`` sweeps, each rolled back; statements of one sweep."""
    runs, again_runs = [], []
    queued = statements = again_queued = again_statements = None
    for _ in range(repeat):
        gc.collect()  # outside the timing: each run starts from the same heap
        session.connection()  # the transaction begins outside the timing
        with counter.counting():
            seconds, queued = timed(lambda: sweep(session, NOW, settings))
        statements = counter.count
        with counter.counting():
            again_seconds, again_queued = timed(lambda: sweep(session, NOW, settings))
        again_statements = counter.count
        session.rollback()
        runs.append(seconds)
        again_runs.append(again_seconds)
    return {"queued": queued, "statements": statements, "seconds": min(runs),
            "again_queued": again_queued, "again_statements": again_statements, "again_seconds": min(again_runs)}


HEADER = (f"{'held items':>10} {'due reminders':>13} {'statements':>10} {'seconds':>8} {'us/reminder':>11}"
          f" | {'again: queued':>13} {'statements':>10} {'seconds':>8}")


def line(held: int, result: dict) -> str:
    per = result["seconds"] / result["queued"] * 1e6 if result["queued"] else float("nan")
    return (f"{held:>10,} {result['queued']:>13,} {result['statements']:>10} {result['seconds']:>8.4f} {per:>11.0f}"
            f" | {result['again_queued']:>13,} {result['again_statements']:>10} {result['again_seconds']:>8.4f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a few seconds in all")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best counts (default 3)")
    database_url_argument(parser)
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    with bench_app(args.database_url) as app, app.app_context():
        session = db.session
        settings = rules.Settings.from_config(app.config)
        counter = StatementCounter(db.engine)
        items = Items(session)
        print(f"Reminder sweep at {NOW.isoformat()} on {backend_name(app)}; best of {args.repeat}, "
              f"each sweep rolled back.")
        problems = []

        print(f"\n1. Items held grow, {sizes['due']} items due (one reminder each)")
        print(HEADER)
        part1 = []
        for held in sizes["held"]:
            items.grow_to(held)
            items.arm(sizes["due"])
            if not part1:
                measure(session, counter, settings, 1)  # warm-up: statement caches, time zones
            result = measure(session, counter, settings, args.repeat)
            part1.append((held, result))
            print(line(held, result), flush=True)
            if result["queued"] != sizes["due"]:
                problems.append(f"{sizes['due']} items armed but {result['queued']} reminders queued")

        held = items.count
        print(f"\n2. {held:,} items held, the items due grow")
        print(HEADER)
        for due in sizes["vary_due"]:
            items.arm(due)
            result = measure(session, counter, settings, args.repeat)
            print(line(held, result), flush=True)
            if result["queued"] != due:
                problems.append(f"{due} items armed but {result['queued']} reminders queued")

        (small, first), (large, last) = part1[0], part1[-1]
        growth = last["seconds"] / first["seconds"]
        print(f"\nItems held x{large / small:.0f} with the reminders due fixed: time x{growth:.2f}, "
              f"statements {first['statements']} -> {last['statements']}.")
        if last["statements"] != first["statements"]:
            problems.append("the statement count grows with the items held")
        if growth > 2:
            problems.append(f"the sweep's time grows x{growth:.1f} with the items held")
        counter.close()
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
