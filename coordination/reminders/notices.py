"""Event notices: written as outbox rows in the transaction of the event itself (the
outbox pattern), never sent from a workflow callback. Delivery sends them after commit;
if the transaction rolls back, the notice is gone with it.

- an item assigned, handed over or transferred to a ministry, or sent back to it: the
  active users of that ministry;
- an item submitted to the coordinator, or declined: the country's coordinators;
- a country report sent back or accepted: the country's coordinators.

The actor is never told of their own action.
"""
from datetime import datetime

from sqlalchemy import select

from coordination.auth.models import User
from coordination.reminders.models import NOTICE, Notification
from coordination.reminders.outbox import row as outbox_row

ITEM_NOTICES = {
    # trigger: (who is told, title)
    "assign": ("ministry", "Assigned to your ministry"),
    "hand_over": ("ministry", "Handed over to your ministry"),
    "transfer": ("ministry", "Transferred to your ministry"),
    "send_back": ("ministry", "Sent back to you"),
    "submit": ("coordinators", "Submitted for your approval"),
    "decline": ("coordinators", "Declined"),
}
REPORT_NOTICES = {
    "send_back": "Country report sent back",
    "accept": "Country report accepted",
}
REPORT_PATH = "/reports/{id}"


def report_url(report_id: int) -> str:
    """Where a notice or a reminder about a country report links to."""
    return REPORT_PATH.format(id=report_id)


def _users(session, *conditions) -> list[int]:
    return list(session.scalars(select(User.id).where(User.active.is_(True), *conditions).order_by(User.id)))


def _add(session, user_ids, actor, now: datetime, **fields) -> list[Notification]:
    rows = [Notification(**outbox_row(user_id=user_id, now=now, occurred_at=now, kind=NOTICE, **fields))
            for user_id in user_ids if user_id != getattr(actor, "id", None)]
    session.add_all(rows)
    session.flush()
    return rows


def item_changed(session, item, trigger: str, actor, now: datetime, *, comment: str = "") -> list[Notification]:
    """Queue the notices of ``trigger`` just fired on ``item``; ``comment`` is the one its
    event records."""
    if trigger not in ITEM_NOTICES:
        return []
    audience, heading = ITEM_NOTICES[trigger]
    if audience == "ministry":
        if item.ministry_id is None:
            return []
        recipients = _users(session, User.ministry_id == item.ministry_id)
    else:
        recipients = _users(session, User.role == "coordinator", User.country_code == item.country_code)
    who = getattr(actor, "name", "Someone")
    holder = item.ministry.acronym if item.ministry is not None else "no ministry"
    body = f"{heading} by {who}. The action item is due on {item.due_date:%d %b %Y} and held by {holder}."
    if comment and comment.strip():
        body += f"\n\nComment: {comment.strip()}"
    return _add(session, recipients, actor, now, subject_type="item", subject_id=item.id,
                due_date=item.due_date, event=trigger, title=f"{heading}: {item.title}", body=body,
                url=f"/items/{item.id}")


def report_changed(session, report, trigger: str, actor, now: datetime, *, comment: str = "",
                   deadline=None) -> list[Notification]:
    """Queue the notices of ``trigger`` fired on a country report (for the reporting service:
    one call after the transition is recorded). ``report`` needs ``id`` and ``country_code``."""
    if trigger not in REPORT_NOTICES:
        return []
    heading = REPORT_NOTICES[trigger]
    recipients = _users(session, User.role == "coordinator", User.country_code == report.country_code)
    cycle = getattr(getattr(report, "cycle", None), "name", None)
    subject = f"{report.country_code}, {cycle}" if cycle else f"{report.country_code} report {report.id}"
    body = f"{heading} by {getattr(actor, 'name', 'the secretariat')}."
    if comment.strip():
        body += f"\n\nComment: {comment.strip()}"
    return _add(session, recipients, actor, now, subject_type="report", subject_id=report.id,
                due_date=deadline, event=trigger, title=f"{heading}: {subject}", body=body,
                url=report_url(report.id))
