"""The units of work of the reminders: one sweep, one delivery run. The ``reminders``
commands run them once; the scheduler's jobs run them on intervals, each in an application
context of its own, logging a failure and leaving the next run to try again."""
import logging
from datetime import datetime

from coordination import clock
from coordination.extensions import db
from coordination.reminders import delivery, rules, sweep
from coordination.reminders.mail import MailSettings

logger = logging.getLogger("coordination.reminders")


def run_sweep(app, now: datetime) -> int:
    """One sweep as its own unit of work: queue, commit."""
    try:
        count = sweep.sweep(db.session, now, rules.Settings.from_config(app.config))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return count


def run_delivery(app, now: datetime) -> delivery.Outcome:
    """One delivery run; it commits after each of its steps (delivery.py)."""
    try:
        return delivery.run(db.session, now, delivery.DeliverySettings.from_config(app.config),
                            MailSettings.from_config(app.config))
    except Exception:
        db.session.rollback()
        raise


def sweep_job(app) -> None:
    with app.app_context():
        try:
            count = run_sweep(app, clock.now())
            logger.info("sweep: %s reminders queued", count)
        except Exception:  # noqa: BLE001 - log and let the next run try again
            logger.exception("sweep failed")
        finally:
            db.session.remove()


def delivery_job(app) -> None:
    with app.app_context():
        try:
            outcome = run_delivery(app, clock.now())
            logger.info("delivery: %s sent, %s failed%s", outcome.sent, outcome.failed,
                        f", {outcome.digests} digests" if outcome.digests else "")
        except Exception:  # noqa: BLE001
            logger.exception("delivery failed")
        finally:
            db.session.remove()
