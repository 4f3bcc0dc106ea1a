"""``flask reminders sweep``, ``flask reminders deliver`` and ``flask scheduler``."""
import logging
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from coordination import clock
from coordination.reminders import scheduler
from coordination.reminders.jobs import run_delivery, run_sweep

reminders_cli = AppGroup("reminders", help="Queue due reminders and deliver the outbox.")


def parse_instant(ctx, param, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter("give an ISO 8601 instant with its offset, e.g. 2027-03-24T08:00:00+08:00") from None
    if instant.tzinfo is None:
        raise click.BadParameter("the instant needs an offset (e.g. +08:00 or Z) to mean one moment")
    return instant


def log_to_stderr() -> logging.Logger:
    """The reminders' log at INFO, through the application's handler (stderr)."""
    current_app.logger  # noqa: B018 - creating it attaches Flask's handler to "coordination"
    logger = logging.getLogger("coordination.reminders")
    logger.setLevel(logging.INFO)
    return logger


@reminders_cli.command("sweep")
@click.option("--at", "at", callback=parse_instant, metavar="INSTANT",
              help="Sweep as at this instant (ISO 8601 with offset); default: now.")
def sweep_command(at):
    """Queue every reminder due at INSTANT that is not queued yet."""
    log_to_stderr()
    count = run_sweep(current_app, at or clock.now())
    click.echo(f"{count} reminders queued")


@reminders_cli.command("deliver")
@click.option("--at", "at", callback=parse_instant, metavar="INSTANT",
              help="Deliver as at this instant (ISO 8601 with offset); default: now.")
def deliver_command(at):
    """Send the pending outbox rows that are due for an attempt."""
    log_to_stderr()
    outcome = run_delivery(current_app, at or clock.now())
    click.echo(f"{outcome.sent} sent, {outcome.failed} failed")


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the sweep and the delivery on intervals until stopped (SIGTERM or Ctrl-C)."""
    log_to_stderr()
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler.run(current_app._get_current_object())
