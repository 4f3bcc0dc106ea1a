"""The scheduler process: two interval jobs, run in their own process, stopped by SIGTERM."""
import os
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta

from reminder_support import FLASK, make_item, outbox

from coordination import ROOT, create_app
from coordination.reminders import scheduler


def test_the_jobs_have_ids_intervals_and_safe_options(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
                      "SWEEP_INTERVAL_MINUTES": 10, "DELIVERY_INTERVAL_SECONDS": 30})
    built = scheduler.build(app)
    jobs = {job.id: job for job in built.get_jobs()}
    assert set(jobs) == {"reminders-sweep", "reminders-deliver"}
    assert jobs["reminders-sweep"].trigger.interval == timedelta(minutes=10)
    assert jobs["reminders-deliver"].trigger.interval == timedelta(seconds=30)
    for job in jobs.values():
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 600)
        assert job.args == (app,)  # the application, never ORM objects
    assert str(built.timezone) == "UTC"
    assert not built.running  # building it starts nothing; create_app never does


def test_create_app_starts_no_scheduler(app):
    assert not any(t.name.startswith("APScheduler") for t in threading.enumerate())


def test_the_scheduler_sweeps_delivers_and_stops_cleanly_on_sigterm(app, session, database_url):
    today = datetime.now(UTC).date()
    make_item(session, due=today - timedelta(days=30), title="Long overdue")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "MAIL_"))}
    env.update({"DATABASE_URL": database_url, "DELIVERY_INTERVAL_SECONDS": "1", "SECRET_KEY": "test"})
    process = subprocess.Popen([FLASK, "--app", "wsgi", "scheduler"], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any("delivery: 2 sent" in line for line in lines):
            time.sleep(0.2)
        assert any("sweep: 2 reminders queued" in line for line in lines), "".join(lines)
        assert any("delivery: 2 sent, 0 failed" in line for line in lines), "".join(lines)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=20)
        reader.join(5)
    assert code == 0, "".join(lines)
    assert any("scheduler: stopped" in line for line in lines)
    assert {row.status for row in outbox(session)} == {"sent"}
