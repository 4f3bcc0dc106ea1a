"""Reminders and notices: rules, the sweep, the outbox and its delivery, the scheduler,
the in-app notifications and the personal calendar feed (DESIGN.md, Reminders).

One row of ``notifications`` per recipient is both the outbox entry (e-mail delivery
state) and the in-app notification (read state):

- ``models``     the notifications table and the users' preferences
- ``outbox``     writing outbox rows, de-duplicated by their unique key
- ``notices``    event notices, written in the transaction of the event (outbox pattern)
- ``rules``      pure arithmetic: when a rule falls due, which offset is due at an instant
- ``sources``    action items as a reminder subject; ``reports`` country reports
- ``sweep``      queues the due rules, de-duplicated by the outbox's unique key
- ``delivery``   claims pending rows, sends them by SMTP, retries with backoff; digests
- ``mail``       the messages (plain text and HTML, injection-safe headers)
- ``calendar``   the personal calendar feed; ``ical`` its iCalendar text
- ``jobs``       one sweep and one delivery run, each its own unit of work, for the
                 ``reminders`` commands (``cli``) and the scheduler process (``scheduler``)

``models``, ``outbox`` and ``notices`` lie below the features that write into the outbox
(accounts, items, reporting); the rest builds on those features (setup.cfg, importlinter).
"""
