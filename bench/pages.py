"""Benchmark: the pages that read many action items, as the number of items in a country grows.

    .venv/bin/python bench/pages.py [--quick] [--database-url URL]

Builds a fresh database (as bench/sweep.py does) with the demo directory, then action items in
bulk in the Philippines (every state, spread over its ministries, due from 60 days ago to 120
days ahead), and times, through Flask's test client signed in with POST /login:

  - the coordinator's item list (GET /items, coordinator.ph),
  - the coordinator's country board (GET /, coordinator.ph),
  - the secretariat's summary by member state (GET /items/summary, secretariat),
  - the ministry inbox (GET /, staff of a Philippine ministry): not paginated, so shown too.

Each figure: the median of 20 requests after 2 warm-up requests, and the SQL statements of one
request (transaction control left out).
"""
import argparse
import statistics
import sys
from datetime import timedelta

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
from sqlalchemy import select

from coordination import clock
from coordination.demo import DEMO_PASSWORD, staff_email
from coordination.directory.models import Country, Ministry
from coordination.extensions import db
from coordination.items.workflow import STATES

COUNTRY = "PH"
FULL = (100, 1_000, 10_000)
QUICK = (100, 1_000)
REQUESTS, WARM_UP = 20, 2


def grow_to(session, have: int, total: int) -> None:
    coordinator, ministries = holders(session, [COUNTRY])[COUNTRY]
    timezone = session.get(Country, COUNTRY).timezone
    today = clock.local_today(timezone)
    rows = []
    for number in range(have, total):
        state = STATES[number % len(STATES)]
        ministry = None if state == "draft" else ministries[(number // len(STATES)) % len(ministries)]
        due = today + timedelta(days=(number * 37) % 181 - 60)
        rows.append(item_row(number, COUNTRY, coordinator, ministry, due, state=state))
    insert_items(session, rows)


def signed_in(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"sign-in of {email} failed: HTTP {response.status_code}")
    return client


def measure(client, counter, path: str) -> dict:
    for _ in range(WARM_UP):
        client.get(path)
    times, counts = [], set()
    size = 0
    for _ in range(REQUESTS):
        with counter.counting():
            seconds, response = timed(lambda: client.get(path))
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: HTTP {response.status_code}")
        counts.add(counter.count)
        times.append(seconds)
        size = len(response.data)
    return {"ms": statistics.median(times) * 1000, "statements": counts, "kb": size / 1024,
            "body": response.get_data(as_text=True)}


def check(name: str, path: str, total: int, body: str) -> None:
    """The page is the one meant, showing what the items say."""
    expected = {"item list": f"{total} action items", "country board": "country board",
                "summary": "Action items by member state"}.get(name, "data-item-link")
    if expected not in body:
        raise SystemExit(f"{name} (GET {path}) at {total} items does not show {expected!r}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1 000 items only")
    database_url_argument(parser)
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    with bench_app(args.database_url) as app:
        # No application context stays pushed while the requests run: each request gets its
        # own, hence its own session, identity map and ``g``, as in production.
        with app.app_context():
            counter = StatementCounter(db.engine)
            inbox_ministry = db.session.scalars(
                select(Ministry.acronym).where(Ministry.country_code == COUNTRY).order_by(Ministry.id)).first()
        clients = {
            "coordinator": signed_in(app, f"coordinator.{COUNTRY.lower()}@example.org"),
            "secretariat": signed_in(app, "secretariat@example.org"),
            "staff": signed_in(app, staff_email(COUNTRY, inbox_ministry)),
        }
        pages = [
            ("item list", "coordinator", "/items"),
            ("country board", "coordinator", "/"),
            ("summary", "secretariat", "/items/summary"),
            (f"inbox {inbox_ministry}", "staff", "/"),
        ]
        print(f"Pages on {backend_name(app)}, items in {COUNTRY}; median of {REQUESTS} requests "
              f"after {WARM_UP} warm-up; statements per request.")
        print(f"{'items':>7} {'page':<20} {'path':<15} {'median ms':>9} {'statements':>10} {'KiB':>7}")
        have = 0
        results: dict[str, list] = {}
        for total in sizes:
            with app.app_context():
                grow_to(db.session, have, total)
            have = total
            for name, who, path in pages:
                result = measure(clients[who], counter, path)
                check(name, path, total, result["body"])
                results.setdefault(name, []).append((total, result))
                statements = "/".join(str(n) for n in sorted(result["statements"]))
                print(f"{total:>7,} {name:<20} {path:<15} {result['ms']:>9.1f} {statements:>10} "
                      f"{result['kb']:>7.0f}", flush=True)
        counter.close()

    print(f"\nFrom {sizes[0]:,} to {sizes[-1]:,} items:")
    problems = []
    for name, series in results.items():
        (small, first), (large, last) = series[0], series[-1]
        before, after = max(first["statements"]), max(last["statements"])
        print(f"  {name:<20} time x{last['ms'] / first['ms']:.1f}, statements {before} -> {after}, "
              f"page {first['kb']:.0f} -> {last['kb']:.0f} KiB")
        if after > before:
            problems.append(f"{name}: the statements per request grow with the items ({before} at {small:,}, "
                            f"{after} at {large:,})")
        # A paged page may grow until its lists are full, then stops: compare the two largest sizes.
        middle_size, middle = series[-2] if len(series) > 1 else series[-1]
        if last["kb"] > 1.5 * middle["kb"]:
            problems.append(f"{name}: the page keeps growing with the items ({middle['kb']:.0f} KiB at "
                            f"{middle_size:,}; {last['kb']:.0f} KiB, {last['ms']:.1f} ms at {large:,}): "
                            "it is not paged")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
