"""Event notices: written as outbox rows in the transaction of the event itself (the
outbox pattern), never sent from a workflow callback. Delivery sends them after commit;
if the transaction rolls back, the notice is gone with it.

- an item assigned, handed over or transferred to a ministry, or sent back to it: the
  active users of that ministry;
- an item submitted to the coordinator, or declined: the country's coordinators;
- an item given to a named officer (by the coordinator or a colleague): that officer;
- a country report sent back or accepted: the country's coordinators;
- a country report submitted or resubmitted: the secretariat;
- every event of an item (each step, an edit, a comment): its watchers;
- a comment mentioning a colleague who may read the item: that colleague ("... mentioned you").

The actor is never told of their own action, and nobody gets two notices of one event: whom
the step concerns gets the step's notice (with its comment), else a colleague mentioned the
mention, else a watcher the watcher's. A notice is written in each recipient's language (their
choice, else English): rendered once per language among the recipients. A recipient away today
with a deputy (auth/away.py) has a copy written for the deputy too, saying on whose behalf,
unless the deputy is told anyway.
"""
from collections.abc import Callable
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from coordination import i18n
from coordination.auth import away
from coordination.auth.models import User
from coordination.i18n import N_
from coordination.reminders.models import NOTICE, Notification
from coordination.reminders.outbox import row as outbox_row
from coordination.watchers import service as watchers

ITEM_NOTICES = {
    # trigger: (who is told, heading: translated as each recipient reads it)
    "assign": ("ministry", N_("Assigned to your ministry")),
    "hand_over": ("ministry", N_("Handed over to your ministry")),
    "transfer": ("ministry", N_("Transferred to your ministry")),
    "send_back": ("ministry", N_("Sent back to you")),
    "submit": ("coordinators", N_("Submitted for your approval")),
    "decline": ("coordinators", N_("Declined")),
    # A decision of a regional network meeting, a draft item for the member state's coordinators.
    "decided": ("coordinators", N_("Decided at a meeting of the regional network")),
}
# What a watcher is told, by event: every one of the item's.
WATCHED = {
    "edit": N_("Details edited"),
    "comment": N_("New comment"),
    "assign": N_("Assigned"),
    "accept": N_("Accepted"),
    "decline": N_("Declined"),
    "hand_over": N_("Handed over"),
    "transfer": N_("Transferred"),
    "block": N_("Blocked"),
    "unblock": N_("Unblocked"),
    "submit": N_("Submitted"),
    "approve": N_("Approved"),
    "send_back": N_("Sent back"),
    "reopen": N_("Reopened"),
    "cancel": N_("Cancelled"),
}
MENTION = "mention"  # the event of a mention's notice
REPORT_NOTICES = {
    "submit": N_("Country report submitted"),
    "send_back": N_("Country report sent back"),
    "accept": N_("Country report accepted"),
}
RESUBMITTED = N_("Country report resubmitted")
GIVEN_TO_YOU = N_("Given to you")
REPORT_PATH = "/reports/{id}"


def report_url(report_id: int) -> str:
    """Where a notice or a reminder about a country report links to."""
    return REPORT_PATH.format(id=report_id)


def _users(session, *conditions) -> list[tuple[int, str | None]]:
    """(id, chosen language) of the active users who match."""
    return [tuple(row) for row in session.execute(
        select(User.id, User.locale).where(User.active.is_(True), *conditions).order_by(User.id))]


def _add(session, recipients, actor, now: datetime, texts: Callable[[], tuple[str, str]], told: set | None = None,
         **fields) -> list[Notification]:
    """A notice for each recipient but the actor and those in ``told`` (who have a notice of this
    event already; updated), and a copy for the deputies of those away; ``texts()`` gives its
    (title, body) in the language in use, and is called once per language among them."""
    told = set() if told is None else told
    told.add(getattr(actor, "id", None))
    written: dict[str, tuple[str, str]] = {}
    rows = []
    recipients = [(user_id, locale) for user_id, locale in recipients if user_id not in told]
    for user_id, locale in recipients:
        title, body = _written(written, locale, texts)
        rows.append(Notification(**outbox_row(user_id=user_id, now=now, occurred_at=now, kind=NOTICE, title=title,
                                              body=body, **fields)))
    told.update(user_id for user_id, _ in recipients)
    for deputy_id, (locale, names) in _deputies(session, [user_id for user_id, _ in recipients], told, now).items():
        title, body = _written(written, locale, texts)
        with i18n.in_language(i18n.recipient_locale(locale)):
            body = f"{away.copy_line(names)}\n\n{body}"
        rows.append(Notification(**outbox_row(user_id=deputy_id, now=now, occurred_at=now, kind=NOTICE, title=title,
                                              body=body, **fields)))
        told.add(deputy_id)
    session.add_all(rows)
    session.flush()
    return rows


def notify(session, recipients, actor, now: datetime, texts: Callable[[], tuple[str, str]],
           **fields) -> list[Notification]:
    """A notice of a feature's own event (a question on a good practice) for ``recipients``
    ((id, language) pairs), as those above: never to the actor, a copy for deputies."""
    return _add(session, recipients, actor, now, texts, **fields)


def _written(written: dict, locale, texts) -> tuple[str, str]:
    """``texts()`` in the language of ``locale``, rendered once per language."""
    code = i18n.recipient_locale(locale)
    if code not in written:
        with i18n.in_language(code):
            written[code] = texts()
    return written[code]


def _deputies(session, user_ids, told: set, now: datetime) -> dict[int, tuple[str | None, list[str]]]:
    """The deputies of those among ``user_ids`` who are away now, each once, with their language
    and the names of whom they stand in for; none already in ``told``."""
    if not user_ids:
        return {}
    found: dict[int, tuple[str | None, list[str]]] = {}
    for stand_in in away.deputies(session, user_ids, now).values():
        if stand_in.deputy_id not in told:
            found.setdefault(stand_in.deputy_id, (stand_in.deputy_locale, []))[1].append(stand_in.name)
    return found


def item_changed(session, item, trigger: str, actor, now: datetime, *, comment: str = "",
                 mentioned=()) -> list[Notification]:
    """Queue the notices of ``trigger`` just fired on ``item`` (or ``edit``, ``comment``);
    ``comment`` is the one its event records, ``mentioned`` the users it mentions who may
    read the item. One notice per user for the event, none for the actor."""
    told: set = set()
    fields = dict(subject_type="item", subject_id=item.id, due_date=item.due_date, url=f"/items/{item.id}")
    rows = []

    def who() -> str:
        return getattr(actor, "name", None) or gettext("Someone")

    def with_comment(body: str) -> str:
        if comment and comment.strip():
            body += "\n\n" + gettext("Comment: %(comment)s", comment=comment.strip())
        return body

    def texts_of(heading: str):
        def texts() -> tuple[str, str]:
            holder = item.ministry.acronym if item.ministry is not None else gettext("no ministry")
            body = gettext("%(what)s by %(who)s. The action item is due on %(due)s and held by %(holder)s.",
                           what=gettext(heading), who=who(), due=i18n.format_day(item.due_date), holder=holder)
            return gettext("%(what)s: %(title)s", what=gettext(heading), title=item.title), with_comment(body)
        return texts

    def mention_texts() -> tuple[str, str]:
        title = gettext("%(who)s mentioned you on “%(title)s”", who=who(), title=item.title)
        return title, with_comment(gettext("%(who)s mentioned you in a comment on this action item.", who=who()))

    if trigger in ITEM_NOTICES:
        audience, heading = ITEM_NOTICES[trigger]
        recipients = []
        if audience == "coordinators":
            recipients = _users(session, User.role == "coordinator", User.country_code == item.country_code)
        elif item.ministry_id is not None:
            recipients = _users(session, User.ministry_id == item.ministry_id)
        rows += _add(session, recipients, actor, now, texts_of(heading), told, event=trigger, **fields)
    if mentioned:
        rows += _add(session, [(user.id, user.locale) for user in mentioned], actor, now, mention_texts,
                     told, event=MENTION, **fields)
    if trigger in WATCHED:
        watching = [(user.id, user.locale) for user in watchers.watching_readers(session, item)]
        rows += _add(session, watching, actor, now, texts_of(WATCHED[trigger]), told,
                     event=trigger, **fields)
    return rows


def officer_named(session, item, actor, now: datetime) -> list[Notification]:
    """Queue the notice of ``item`` given to its (new) named officer, unless they took it themselves."""
    if item.assignee_id is None:
        return []
    recipients = _users(session, User.id == item.assignee_id)

    def texts() -> tuple[str, str]:
        who = getattr(actor, "name", None) or gettext("Someone")
        body = gettext("%(what)s by %(who)s. The action item is due on %(due)s.", what=gettext(GIVEN_TO_YOU),
                       who=who, due=i18n.format_day(item.due_date))
        return gettext("%(what)s: %(title)s", what=gettext(GIVEN_TO_YOU), title=item.title), body

    return _add(session, recipients, actor, now, texts, subject_type="item", subject_id=item.id,
                due_date=item.due_date, event="officer", url=f"/items/{item.id}")


def report_changed(session, report, trigger: str, actor, now: datetime, *, comment: str = "",
                   deadline=None) -> list[Notification]:
    """Queue the notices of ``trigger`` fired on a country report (for the reporting service:
    one call after the transition is recorded). ``report`` needs ``id`` and ``country_code``."""
    if trigger not in REPORT_NOTICES:
        return []
    heading = REPORT_NOTICES[trigger]
    if trigger == "submit":
        recipients = _users(session, User.role == "secretariat")
        if getattr(report, "first_submitted_at", None) != getattr(report, "submitted_at", None):
            heading = RESUBMITTED  # submitted before, sent back, and now again
    else:
        recipients = _users(session, User.role == "coordinator", User.country_code == report.country_code)
    cycle = getattr(getattr(report, "cycle", None), "name", None)
    country = getattr(getattr(report, "country", None), "name", None) or report.country_code

    def texts() -> tuple[str, str]:
        if cycle:
            subject = gettext("%(country)s, %(cycle)s", country=country, cycle=cycle)
        else:
            subject = gettext("%(country)s report %(id)s", country=country, id=report.id)
        body = gettext("%(what)s by %(who)s.", what=gettext(heading),
                       who=getattr(actor, "name", None) or gettext("the secretariat"))
        if comment.strip():
            body += "\n\n" + gettext("Comment: %(comment)s", comment=comment.strip())
        return gettext("%(what)s: %(subject)s", what=gettext(heading), subject=subject), body

    return _add(session, recipients, actor, now, texts, subject_type="report", subject_id=report.id,
                due_date=deadline, event=trigger, url=report_url(report.id))


def tell_role(session, role: str, actor, now: datetime, texts: Callable[[], tuple[str, str]], *,
              country_code: str | None = None, **fields) -> list[Notification]:
    """A notice of another feature's event (a regional item's part created, the item completed)
    to the active users of ``role``, of ``country_code`` when given; ``texts()`` gives its
    (title, body) in the language in use. The actor is not told; deputies of those away are."""
    conditions = [User.role == role, *([User.country_code == country_code] if country_code else [])]
    return _add(session, _users(session, *conditions), actor, now, texts, **fields)
RECOMMENDATION_PATH = "/recommendations/{id}"


def recommendation_adopted(session, recommendation, country_codes, actor, now: datetime) -> list[Notification]:
    """A new recommendation of the network: the coordinators of the member states it addresses."""
    recipients = _users(session, User.role == "coordinator", User.country_code.in_(sorted(country_codes)))

    def texts() -> tuple[str, str]:
        return (gettext("New recommendation: %(title)s", title=recommendation.title),
                gettext("The regional network adopted a recommendation that addresses your country: "
                        "\u201c%(title)s\u201d. Assess your progress on it in each reporting cycle.",
                        title=recommendation.title))

    return _add(session, recipients, actor, now, texts, subject_type="recommendation", subject_id=recommendation.id,
                event="adopt", url=RECOMMENDATION_PATH.format(id=recommendation.id))


def assessment_validated(session, assessment, recommendation, actor, now: datetime) -> list[Notification]:
    """The secretariat validated a country's assessment: the country's coordinators."""
    recipients = _users(session, User.role == "coordinator", User.country_code == assessment.country_code)
    revised = assessment.validated_progress != assessment.progress
    comment = assessment.validation_comment or ""

    def texts() -> tuple[str, str]:
        heading = gettext("Assessment revised") if revised else gettext("Assessment validated")
        if revised:
            body = gettext("The secretariat revised your assessment of \u201c%(title)s\u201d.",
                           title=recommendation.title)
        else:
            body = gettext("The secretariat agreed with your assessment of \u201c%(title)s\u201d.",
                           title=recommendation.title)
        if comment.strip():
            body += "\n\n" + gettext("Comment: %(comment)s", comment=comment.strip())
        return gettext("%(what)s: %(subject)s", what=heading, subject=recommendation.title), body

    return _add(session, recipients, actor, now, texts, subject_type="recommendation", subject_id=recommendation.id,
                event="validate", url=RECOMMENDATION_PATH.format(id=recommendation.id))
