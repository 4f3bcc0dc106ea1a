"""Load test: concurrent users against gunicorn on loopback at the database of bench/scale.py.

    .venv/bin/python bench/load.py [--items N] [--database-url URL] [--cache DIR] [--users 100]
                                   [--seconds 60] [--max-requests 100000] [--think 0.5]
                                   [--workers 2] [--threads 1]

Uses (or builds) the database of N items (default 1 000 000) that bench/scale.py keeps, serves
it with gunicorn (``--workers`` sync workers, or gthread with ``--threads``), and runs
``--users`` users at once, each a thread with its own sign-in and API token, for ``--seconds``
or until ``--max-requests`` requests in all, whichever comes first:

  - coordinators (one user in five) read the item list (with a filter and a page), the board,
    items (page and JSON), and fire transitions: approve or send back what was submitted,
    assign drafts;
  - ministry staff (most users) read their inbox, their ministry's items and single items, and
    accept what was assigned to them, or submit what they have in progress;
  - the secretariat (one user in ten) reads the summary, the regional overview and compliance.

Each user waits a random 0 to 2 x ``--think`` seconds between requests (0: none). The script
prints requests per second, p50/p95/p99 of all requests and of transitions, and the error
count: responses of 500 and above, responses no user should get (401, 403, 404), and failed
connections. Refusals a user can meet when another was quicker (409 stale version or a step no
longer possible) are counted apart. The transitions change items of the kept database.
"""
import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from scale import DEFAULT_CACHE, Client, Target, api_client, browser, ensure, gunicorn
from sqlalchemy import select

from coordination import create_app
from coordination.auth.models import User
from coordination.extensions import db


def accounts(target: Target) -> dict:
    app = create_app(target.config())
    with app.app_context():
        users = db.session.execute(select(User.email, User.role, User.country_code, User.ministry_id)
                                   .where(User.role.in_(("coordinator", "ministry_staff", "secretariat")))
                                   .order_by(User.id)).all()
        cycle = db.session.scalar(select(db.text("max(id)")).select_from(db.text("reporting_cycles")))
        db.session.remove()
        db.engine.dispose()
    by_role: dict[str, list] = {}
    for email, role, country, ministry in users:
        by_role.setdefault(role, []).append({"email": email, "country": country, "ministry": ministry})
    return {"roles": by_role, "cycle": cycle}


def cast(users: int, found: dict) -> list[dict]:
    """Who the ``users`` threads are: 1 in 5 a coordinator, 1 in 10 the secretariat, the rest staff."""
    roles = found["roles"]
    cast_list = []
    for number in range(users):
        if number % 10 == 0:
            role = "secretariat"
        elif number % 5 == 1:
            role = "coordinator"
        else:
            role = "ministry_staff"
        pool = roles[role]
        cast_list.append({"role": role, **pool[number % len(pool)]})
    return cast_list


class Run:
    def __init__(self, seconds: float, max_requests: int):
        self.deadline = time.monotonic() + seconds
        self.left = max_requests
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.transition_latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()
        self.refused = 0
        self.transitions = 0

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True

    def record(self, seconds: float, status: int | None, what: str, *, transition: bool = False) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1
            if transition:
                self.transition_latencies.append(seconds)
                if status == 200:
                    self.transitions += 1
            if status is None or status >= 500 or status in (401, 403, 404):
                self.errors[f"{what}: {status or 'no response'}"] += 1
            elif status in (409, 422) and transition:
                self.refused += 1


class LoadUser:
    def __init__(self, run: Run, port: int, who: dict, cycle: int, think: float, seed: int):
        self.run, self.port, self.who, self.cycle, self.think = run, port, who, cycle, think
        self.random = random.Random(seed)
        self.web = browser(port, who["email"])
        self.api = api_client(port, who["email"])

    def call(self, client: Client, method: str, path: str, what: str, *, body=None, transition=False):
        if not self.run.take():
            raise StopIteration
        start = time.perf_counter()
        try:
            status, _, payload = client.request(method, path, body=body, timeout=60)
        except OSError:
            status, payload = None, b""
        self.run.record(time.perf_counter() - start, status, what, transition=transition)
        if self.think:
            time.sleep(self.random.uniform(0, 2 * self.think))
        return status, payload

    def items(self, query: str) -> list[dict]:
        status, payload = self.call(self.api, "GET", f"/api/v1/items?per_page=50&{query}", "item list JSON")
        return json.loads(payload)["items"] if status == 200 else []

    def fire(self, candidates: list[dict], choose) -> None:
        if not candidates:
            return
        item = self.random.choice(candidates)
        trigger, extra = choose(item)
        self.call(self.api, "POST", f"/api/v1/items/{item['id']}/transitions", f"transition {trigger}",
                  body={"trigger": trigger, "version": item["version"], "comment": "Load test.", **extra},
                  transition=True)

    def open_one(self, candidates: list[dict]) -> None:
        if candidates:
            item = self.random.choice(candidates)
            if self.random.random() < 0.5:
                self.call(self.web, "GET", f"/items/{item['id']}", "item page")
            else:
                self.call(self.api, "GET", f"/api/v1/items/{item['id']}", "item JSON")

    def coordinator(self) -> None:
        pick = self.random.random()
        if pick < 0.30:
            query = self.random.choice(["", "state=in_progress", "overdue=true", "state=submitted",
                                        "guarantee=health"])
            self.call(self.web, "GET", f"/items?per_page=50&page={self.random.randint(1, 3)}&{query}",
                      "item list")
        elif pick < 0.45:
            self.call(self.web, "GET", "/", "board")
        elif pick < 0.70:
            self.open_one(self.items(""))
        elif pick < 0.85:
            self.fire(self.items("state=submitted"),
                      lambda item: (self.random.choice(["approve", "send_back"]), {}))
        else:
            self.fire(self.items("state=draft"),
                      lambda item: ("assign", {} if item["ministry_id"] else {"ministry_id": self.ministry_of()}))

    def ministry_of(self):
        status, payload = self.call(self.api, "GET", f"/api/v1/countries/{self.who['country']}/ministries",
                                    "ministries JSON")
        return json.loads(payload)[0]["id"] if status == 200 else None

    def staff(self) -> None:
        pick = self.random.random()
        ministry = self.who["ministry"]
        if pick < 0.30:
            self.call(self.web, "GET", "/", "inbox")
        elif pick < 0.45:
            self.call(self.web, "GET", f"/items?ministry_id={ministry}&page={self.random.randint(1, 2)}",
                      "item list")
        elif pick < 0.70:
            self.open_one(self.items(f"ministry_id={ministry}"))
        elif pick < 0.85:
            self.fire(self.items(f"ministry_id={ministry}&state=assigned"), lambda item: ("accept", {}))
        else:
            self.fire(self.items(f"ministry_id={ministry}&state=in_progress"), lambda item: ("submit", {}))

    def secretariat(self) -> None:
        path, what = self.random.choice([("/items/summary", "summary"), ("/", "regional overview"),
                                         ("/compliance", "compliance"),
                                         (f"/cycles/{self.cycle}/compliance", "cycle compliance")])
        self.call(self.web, "GET", path, what)

    def loop(self) -> None:
        step = {"coordinator": self.coordinator, "ministry_staff": self.staff,
                "secretariat": self.secretariat}[self.who["role"]]
        try:
            while True:
                step()
        except StopIteration:
            pass


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL (default: the SQLite file)")
    parser.add_argument("--cache", type=Path, default=None, help="as bench/scale.py's --cache")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds a user waits between requests")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    if args.users < 1 or args.users > 1000 or args.seconds <= 0 or args.seconds > 3600:
        raise SystemExit("--users 1 to 1000 and --seconds up to 3600, please")

    target = Target(args.items, args.database_url, args.cache or DEFAULT_CACHE)
    ensure(target, rebuild=False)
    found = accounts(target)
    with gunicorn(target, workers=args.workers, threads=args.threads) as port:
        users = [LoadUser(None, port, who, found["cycle"], args.think, seed) for seed, who in
                 enumerate(cast(args.users, found))]
        run = Run(args.seconds, args.max_requests)
        for user in users:
            user.run = run
        started = time.monotonic()
        threads = [threading.Thread(target=user.loop, daemon=True) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
        stuck = sum(thread.is_alive() for thread in threads)

    done = len(run.latencies)
    kind = f"{args.workers} sync workers" if args.threads == 1 else f"{args.workers} workers x {args.threads} threads"
    roles = Counter(u.who["role"] for u in users)
    print(f"Load on {target.describe()} ({args.items:,} items), gunicorn {kind}, {args.users} users "
          f"({roles['coordinator']} coordinators, {roles['ministry_staff']} ministry staff, "
          f"{roles['secretariat']} secretariat), think time 0-{2 * args.think:g} s, {elapsed:.0f} s:")
    print(f"  requests {done:,} ({done / elapsed:,.1f}/s); p50 {percentile(run.latencies, .5) * 1000:,.0f} ms, "
          f"p95 {percentile(run.latencies, .95) * 1000:,.0f} ms, p99 {percentile(run.latencies, .99) * 1000:,.0f} ms, "
          f"max {max(run.latencies, default=0) * 1000:,.0f} ms")
    print(f"  transitions {run.transitions:,} done, {run.refused:,} refused (409/422: another user was quicker); "
          f"p50 {percentile(run.transition_latencies, .5) * 1000:,.0f} ms, "
          f"p99 {percentile(run.transition_latencies, .99) * 1000:,.0f} ms")
    print(f"  errors {sum(run.errors.values())}" + (f": {dict(run.errors)}" if run.errors else ""))
    print(f"  statuses {dict(sorted(run.statuses.items(), key=lambda kv: str(kv[0])))}")
    if stuck:
        print(f"PROBLEM: {stuck} users did not stop in time")
    if run.errors:
        print(f"PROBLEM: {sum(run.errors.values())} errors")
    if percentile(run.latencies, .99) > 1.0:
        print(f"PROBLEM: p99 {percentile(run.latencies, .99) * 1000:,.0f} ms is over 1 s")
    if done == 0:
        print("PROBLEM: no request was made")
    return 0


if __name__ == "__main__":
    sys.exit(main())
