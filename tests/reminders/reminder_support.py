"""Helpers of the reminder tests: items arranged in the test's own session, sweeps and
deliveries run as the commands run them, a real SMTP server on loopback."""
import contextvars
import socket
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from coordination.auth import passwords
from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.items.models import ActionItem
from coordination.reminders import jobs
from coordination.reminders.models import Notification

CREATED = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)
FLASK = str(Path(sys.executable).parent / "flask")  # the virtualenv's, for commands run as processes


def ministry(session, country, acronym) -> Ministry:
    return session.scalar(select(Ministry).where(Ministry.country_code == country, Ministry.acronym == acronym))


def user(session, email) -> User:
    return session.scalar(select(User).where(User.email == email))


def add_user(session, email, name, role, country=None, ministry_id=None, active=True) -> User:
    found = User(email=email, name=name, role=role, country_code=country, ministry_id=ministry_id,
                 password_hash=passwords.hash_password("irrelevant-password"), active=active,
                 session_counter=0, created_at=CREATED)
    session.add(found)
    session.commit()
    return found


def make_item(session, *, country="PH", acronym="DSWD", state="in_progress", due=date(2027, 3, 31),
              title="Harmonise the social registry") -> ActionItem:
    coordinator = user(session, f"coordinator.{country.lower()}@example.org")
    holder = ministry(session, country, acronym) if acronym else None
    item = ActionItem(country_code=country, title=title, description="", state=state,
                      ministry_id=holder.id if holder else None, due_date=due, priority="normal",
                      created_by_id=coordinator.id, created_at=CREATED, updated_at=CREATED)
    session.add(item)
    session.commit()
    return item


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def as_a_command(func, *args):
    """Run ``func`` as a command would: in a context of its own, so that the test session's
    statement-at-a-time mode (tests/conftest.py) does not leak into the app's transactions."""
    return contextvars.Context().run(func, *args)


def _in_app(app, func, *args):
    with app.app_context():
        return func(*args)


def sweep(app, instant) -> int:
    """One ``reminders sweep --at INSTANT``, as the command runs it."""
    return as_a_command(_in_app, app, jobs.run_sweep, app, at(instant) if isinstance(instant, str) else instant)


def deliver(app, instant):
    """One ``reminders deliver --at INSTANT``."""
    return as_a_command(_in_app, app, jobs.run_delivery, app, at(instant) if isinstance(instant, str) else instant)


def outbox(session, **filters) -> list[Notification]:
    session.expire_all()
    statement = select(Notification).filter_by(**filters).order_by(Notification.id)
    return list(session.scalars(statement))


def queued(session, **filters) -> set[tuple]:
    """The queued reminders as (recipient e-mail, subject id, offset)."""
    emails = dict(session.execute(select(User.id, User.email)).all())
    return {(emails[n.user_id], n.subject_id, n.offset_days) for n in outbox(session, kind="reminder", **filters)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What a loopback SMTP server received: one entry per message, with its envelope."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        import email
        from email import policy

        self.messages.append({
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "message": email.message_from_bytes(envelope.original_content, policy=policy.default),
        })
        return "250 OK"


class SMTPServer:
    """aiosmtpd on a free loopback port; start() and stop() as often as a test needs."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.inbox.messages

    def wait_for(self, count, timeout=10.0):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages
