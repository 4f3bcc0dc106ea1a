"""The sweep: queue every reminder due at an instant (DESIGN.md, "The sweep at instant t").

For each open subject and each recipient, the due rule is the latest offset that has
fallen due by t. It is queued unless already queued; earlier offsets that were never
queued are skipped, so a late sweep sends one reminder, not a burst. The outbox's unique
key (recipient, subject, offset, due date) makes concurrent sweeps harmless, and a new
due date re-arms the rules.
"""
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, tuple_

from coordination import i18n
from coordination.auth import away
from coordination.auth.service import locales_of
from coordination.reminders import outbox, rules
from coordination.reminders.models import REMINDER, Notification
from coordination.reminders.recommendations import AssessmentSource
from coordination.reminders.reports import ReportSource
from coordination.reminders.sources import Due, ItemSource

LOOKUP_CHUNK = 300


def _queued(session, dues: list[Due]) -> set[tuple]:
    """The keys among ``dues`` that are in the outbox already (one query per chunk)."""
    found: set[tuple] = set()
    by_type: dict[str, list[tuple]] = {}
    for due in dues:
        by_type.setdefault(due.subject_type, []).append((due.subject_id, due.offset, due.due_date))
    for subject_type, keys in by_type.items():
        keys = sorted(set(keys))
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start:start + LOOKUP_CHUNK]
            found.update(tuple(row) for row in session.execute(
                select(Notification.subject_type, Notification.subject_id, Notification.offset_days,
                       Notification.due_date, Notification.user_id)
                .where(Notification.subject_type == subject_type,
                       tuple_(Notification.subject_id, Notification.offset_days, Notification.due_date)
                       .in_(chunk))
            ).all())
    return found


def written_for_recipients(session, dues: list[Due]) -> dict[Due, tuple[str, str]]:
    """Each reminder's (title, body) in its recipient's language: the outbox row keeps the text,
    so it is written now, once per subject and language."""
    locales = locales_of(session, {due.user_id for due in dues})
    by_language: dict[str, list[Due]] = {}
    for due in dues:
        by_language.setdefault(i18n.recipient_locale(locales.get(due.user_id)), []).append(due)
    written: dict[Due, tuple[str, str]] = {}
    for code, group in sorted(by_language.items()):
        texts: dict = {}
        with i18n.in_language(code):
            for due in group:
                if due.texts not in texts:
                    texts[due.texts] = due.texts()
                written[due] = texts[due.texts]
    return written


def active_sources() -> list:
    """The sources the sweep asks: action items, country reports, and the assessments of the
    network's recommendations due with the reports."""
    return [ItemSource(), ReportSource(), AssessmentSource()]


def due_reminders(session, now: datetime, settings: rules.Settings, sources=None) -> list[Due]:
    """Every reminder due at ``now``, queued or not: the recipients' own, and the copies for the
    deputies of those away."""
    dues = [due for source in (active_sources() if sources is None else sources)
            for due in source.due(session, now, settings)]
    return dues + deputy_copies(session, dues, now)


@dataclass(frozen=True)
class CopyTexts:
    """A reminder's texts as its copy for a deputy: the line saying on whose behalf, then the
    reminder (equal for equal copies, so that each is written once per language)."""

    texts: object
    names: tuple[str, ...]

    def __call__(self) -> tuple[str, str]:
        title, body = self.texts()
        return title, f"{away.copy_line(list(self.names))}\n\n{body}"


def deputy_copies(session, dues: list[Due], now: datetime) -> list[Due]:
    """For each reminder of a recipient away now (auth/away.py), a copy for their deputy: one
    per (subject, offset, due date, deputy), naming everyone it stands in for, and none where the
    deputy has that reminder in their own right. The copy's key is the deputy's, so that the
    outbox's unique key keeps it once however many sweeps run."""
    stand_ins = away.deputies(session, {due.user_id for due in dues}, now) if dues else {}
    if not stand_ins:
        return []
    own = {due.key for due in dues}
    copies: dict[tuple, tuple[Due, list[str]]] = {}
    for due in dues:
        stand_in = stand_ins.get(due.user_id)
        if stand_in is None:
            continue
        copy = replace(due, user_id=stand_in.deputy_id)
        if copy.key in own:
            continue
        copies.setdefault(copy.key, (copy, []))[1].append(stand_in.name)
    return [replace(copy, texts=CopyTexts(copy.texts, tuple(names))) for copy, names in copies.values()]


def sweep(session, now: datetime, settings: rules.Settings, sources=None) -> int:
    """Queue the reminders due at ``now`` that are not queued yet; flush, never commit.
    Returns the number of outbox rows written (one per recipient)."""
    dues = due_reminders(session, now, settings, sources)
    queued = _queued(session, dues) if dues else set()
    fresh = sorted((due for due in dues if due.key not in queued), key=lambda due: due.key)
    texts = written_for_recipients(session, fresh)
    rows = [outbox.row(user_id=due.user_id, kind=REMINDER, subject_type=due.subject_type,
                       subject_id=due.subject_id, offset_days=due.offset, due_date=due.due_date,
                       title=texts[due][0], body=texts[due][1], url=due.url, occurred_at=due.occurred_at, now=now)
            for due in fresh]
    inserted = outbox.insert_new(session, rows)
    session.flush()
    return len(inserted)
