"""Reminders and notices: rules, the sweep, the outbox and its delivery, the scheduler,
the in-app notifications and the personal calendar feed (DESIGN.md, Reminders).

One row of ``notifications`` per recipient is both the outbox entry (e-mail delivery
state) and the in-app notification (read state):

- ``rules``      pure arithmetic: when a rule falls due, which offset is due at an instant
- ``sources``    the kinds of subject (action items; country reports once reporting exists)
- ``sweep``      queues the due rules, de-duplicated by the outbox's unique key
- ``notices``    event notices, written in the transaction of the event (outbox pattern)
- ``delivery``   claims pending rows, sends them by SMTP, retries with backoff; digests
- ``mail``       the messages (plain text and HTML, injection-safe headers)
- ``calendar``   the personal iCalendar feed
"""
