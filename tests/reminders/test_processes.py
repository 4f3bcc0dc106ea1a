"""Reliability across processes: the commands run as separate processes at the same time,
against the test's database (the SQLite file or the PostgreSQL database) and a real SMTP
server on loopback."""
import os
import re
import subprocess
from datetime import date

from reminder_support import CREATED, FLASK, ministry, outbox, user
from sqlalchemy import func, select

from coordination import ROOT
from coordination.items.models import ActionItem
from coordination.reminders.models import Notification

ACRONYMS = ("DSWD", "DOLE", "DOH", "SSS", "GSIS")


def many_items(session, count, due=date(2027, 3, 31)):
    coordinator = user(session, "coordinator.ph@example.org")
    holders = [ministry(session, "PH", acronym) for acronym in ACRONYMS]
    session.add_all([
        ActionItem(country_code="PH", title=f"Item {n}", description="", state="in_progress",
                   ministry_id=holders[n % len(holders)].id, due_date=due, priority="normal",
                   created_by_id=coordinator.id, created_at=CREATED, updated_at=CREATED)
        for n in range(count)])
    session.commit()


def run_at_once(database_url, *commands, **settings):
    """Start every command at once; wait for all; their (exit code, stdout, stderr)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "MAIL_"))}
    env.update({"DATABASE_URL": database_url, "APP_ENV": "development", "SECRET_KEY": "test",
                **{key: str(value) for key, value in settings.items()}})
    processes = [subprocess.Popen([FLASK, "--app", "wsgi", *command], cwd=ROOT, env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for command in commands]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        results.append((process.returncode, out, err))
    return results


def counts(results, pattern):
    found = []
    for code, out, err in results:
        assert code == 0, err
        match = re.search(pattern, out)
        assert match, out
        found.append(tuple(int(g) for g in match.groups()))
    return found


def test_three_sweeps_at_the_same_instant_queue_each_reminder_once(app, session, database_url):
    many_items(session, 150)
    instant = "2027-04-01T08:30:00+08:00"  # day +1: every ministry officer and the coordinator
    results = run_at_once(database_url, *[["reminders", "sweep", "--at", instant]] * 3)
    printed = counts(results, r"^(\d+) reminders queued$")
    rows = session.scalar(select(func.count(Notification.id)))
    assert rows == 150 * 2
    assert sum(n for (n,) in printed) == rows
    distinct = session.execute(select(Notification.user_id, Notification.subject_id).distinct()).all()
    assert len(distinct) == rows
    # And once more, later: nothing new until the next rule.
    again = run_at_once(database_url, ["reminders", "sweep", "--at", "2027-04-02T08:30:00+08:00"])
    assert counts(again, r"^(\d+) reminders queued$") == [(0,)]


def test_two_deliveries_at_once_send_each_message_once(app, session, database_url, smtp):
    many_items(session, 60)
    run_at_once(database_url, ["reminders", "sweep", "--at", "2027-03-30T08:30:00+08:00"])
    assert len(outbox(session)) == 60
    smtp.start()
    results = run_at_once(database_url, *[["reminders", "deliver", "--at", "2027-03-30T08:31:00+08:00"]] * 2,
                          MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, DELIVERY_BATCH_SIZE=7)
    printed = counts(results, r"^(\d+) sent, (\d+) failed$")
    assert sum(sent for sent, _ in printed) == 60 and sum(failed for _, failed in printed) == 0
    messages = smtp.wait_for(60)
    assert len(messages) == 60
    assert len({m["message"]["Message-ID"] for m in messages}) == 60
    assert {row.status for row in outbox(session)} == {"sent"}


def test_with_the_server_down_delivery_fails_without_losing_anything(app, session, database_url, smtp):
    many_items(session, 12)
    run_at_once(database_url, ["reminders", "sweep", "--at", "2027-03-30T08:30:00+08:00"])
    mail = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port}
    down = run_at_once(database_url, ["reminders", "deliver", "--at", "2027-03-30T08:31:00+08:00"], **mail)
    assert counts(down, r"^(\d+) sent, (\d+) failed$") == [(0, 12)]
    rows = outbox(session)
    assert len(rows) == 12 and {(r.status, r.attempts) for r in rows} == {("pending", 1)}
    smtp.start()
    # Before the retry is due nothing is sent; after it, each message once, by two processes.
    early = run_at_once(database_url, ["reminders", "deliver", "--at", "2027-03-30T08:35:00+08:00"], **mail)
    assert counts(early, r"^(\d+) sent, (\d+) failed$") == [(0, 0)]
    up = run_at_once(database_url, *[["reminders", "deliver", "--at", "2027-03-30T08:36:00+08:00"]] * 2, **mail)
    assert sum(sent for sent, _ in counts(up, r"^(\d+) sent, (\d+) failed$")) == 12
    messages = smtp.wait_for(12)
    assert len(messages) == 12 and len({m["message"]["Message-ID"] for m in messages}) == 12
    assert {r.status for r in outbox(session)} == {"sent"}
