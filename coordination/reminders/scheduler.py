"""The scheduler process (``flask scheduler``): APScheduler 3.x, one process, in UTC.

Never started by ``create_app``. Two interval jobs (reminders/jobs.py) with explicit ids;
``coalesce`` and ``max_instances=1`` so that a slow run is never stacked, a generous misfire
grace time so that a busy moment does not drop a run. Jobs receive the application, never ORM objects:
each opens its own application context and commits its own unit of work. SIGTERM (and
Ctrl-C) shut it down cleanly; a job that is running finishes first.
"""
import logging
import signal
from datetime import UTC

from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler

from coordination import clock
from coordination.reminders.jobs import delivery_job, sweep_job

logger = logging.getLogger("coordination.reminders")
SWEEP_JOB, DELIVERY_JOB = "reminders-sweep", "reminders-deliver"


def build(app) -> BlockingScheduler:
    config = app.config
    grace = config["SCHEDULER_MISFIRE_GRACE_SECONDS"]
    scheduler = BlockingScheduler(timezone=UTC)
    options = {"replace_existing": True, "coalesce": True, "max_instances": 1, "misfire_grace_time": grace,
               "args": [app], "next_run_time": clock.now()}
    scheduler.add_job(sweep_job, "interval", minutes=config["SWEEP_INTERVAL_MINUTES"], id=SWEEP_JOB,
                      name="Queue due reminders", **options)
    scheduler.add_job(delivery_job, "interval", seconds=config["DELIVERY_INTERVAL_SECONDS"], id=DELIVERY_JOB,
                      name="Deliver the outbox", **options)
    return scheduler


def run(app) -> None:
    scheduler = build(app)

    def stop(signum, frame):
        logger.info("scheduler: %s received, stopping", signal.Signals(signum).name)
        try:
            # Not wait=True here: a job thread may need a lock this interrupted thread holds.
            # start() returns once stopped, and the interpreter joins the job threads.
            scheduler.shutdown(wait=False)
        except SchedulerNotRunningError:
            pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logger.info("scheduler: sweep every %s min, delivery every %s s",
                app.config["SWEEP_INTERVAL_MINUTES"], app.config["DELIVERY_INTERVAL_SECONDS"])
    scheduler.start()
    logger.info("scheduler: stopped")
