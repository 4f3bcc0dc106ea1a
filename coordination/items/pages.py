"""The page of one action item. Its own views render it, and so does a view that takes input
posted from it elsewhere (the value of a data request, entered on the item's page).

A conflict (someone changed the item since the page was loaded) is told in one plain sentence
saying who did what and when (``conflict_sentence``); the text the user typed comes back in
the form: in the step's own form when the step is still theirs, else in the comment box."""
from flask import render_template
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination import clock
from coordination.auth.policy import may
from coordination.extensions import db
from coordination.i18n import N_, format_instant, format_time
from coordination.items import service, workflow
from coordination.items.forms import CommentForm
from coordination.items.models import ActionItem, ItemEvent
from coordination.reporting.data_request_panel import data_request_panel
from coordination.watchers import service as watchers

# What an event did, as a clause: "Ana Cruz (DSWD) blocked this item at 14:02".
DONE = {
    "create": N_("%(who)s created this item at %(time)s"),
    "edit": N_("%(who)s edited the details at %(time)s"),
    "assign": N_("%(who)s assigned this item to %(ministry)s at %(time)s"),
    "accept": N_("%(who)s accepted this item at %(time)s"),
    "decline": N_("%(who)s declined this item at %(time)s"),
    "hand_over": N_("%(who)s handed this item over to %(ministry)s at %(time)s"),
    "transfer": N_("%(who)s transferred this item to %(ministry)s at %(time)s"),
    "block": N_("%(who)s blocked this item at %(time)s"),
    "unblock": N_("%(who)s unblocked this item at %(time)s"),
    "submit": N_("%(who)s submitted this item at %(time)s"),
    "approve": N_("%(who)s approved this item at %(time)s"),
    "send_back": N_("%(who)s sent this item back at %(time)s"),
    "reopen": N_("%(who)s reopened this item at %(time)s"),
    "cancel": N_("%(who)s cancelled this item at %(time)s"),
}
GONE = N_("%(what)s; “%(step)s” is not possible any more.")
STILL_POSSIBLE = N_("Someone else changed this item in the meantime: %(what)s. Check it, then act again.")
EDITED = N_("Someone else changed this item while you were editing it. %(what)s. "
            "Your changes are kept below: check them and save again.")
KEPT = N_("Your comment is kept below.")


def _who(user) -> str:
    if user.ministry is not None:
        return f"{user.name} ({user.ministry.acronym})"
    return gettext("%(name)s (coordinator)", name=user.name) if user.role == "coordinator" else user.name


def _when(instant, timezone: str) -> str:
    now = clock.now()
    if clock.local(instant, timezone).date() == clock.local(now, timezone).date():
        return format_time(instant, timezone)
    return format_instant(instant, timezone)


def last_change(item: ActionItem, events: list | None = None) -> str:
    """The latest change of ``item`` (not a comment) as a clause, or an empty string; from
    ``events`` (its history, oldest first) when given."""
    if events is None:
        event = db.session.scalar(
            select(ItemEvent).where(ItemEvent.item_id == item.id, ItemEvent.trigger != "comment")
            .order_by(ItemEvent.id.desc()).limit(1)
            .options(selectinload(ItemEvent.actor), selectinload(ItemEvent.to_ministry)))
    else:
        event = next((e for e in reversed(events) if e.trigger != "comment"), None)
    if event is None or event.trigger not in DONE:
        return ""
    ministry = event.to_ministry.acronym if event.to_ministry is not None else ""
    return gettext(DONE[event.trigger], who=_who(event.actor), ministry=ministry,
                   time=_when(event.at, current_user.timezone))


def conflict_sentence(item: ActionItem, trigger: str, allowed: list[str], events: list, typed: bool) -> str:
    what = last_change(item, events)
    if trigger in allowed:
        sentence = gettext(STILL_POSSIBLE, what=what)
    else:
        sentence = gettext(GONE, what=what, step=workflow.TRIGGER_LABELS.get(trigger, trigger))
    return f"{sentence} {gettext(KEPT)}" if typed else sentence


def edit_conflict_sentence(item: ActionItem) -> str:
    return gettext(EDITED, what=last_change(item))


def item_page(item: ActionItem, *, status: int = 200, trigger_errors=None, open_trigger=None,
              comment_form=None, data_request_form=None, conflict_trigger=None, kept_comment="",
              kept_ministry=None):
    now = clock.now()
    events = db.session.scalars(
        select(ItemEvent).where(ItemEvent.item_id == item.id).order_by(ItemEvent.id)
        .options(selectinload(ItemEvent.actor), selectinload(ItemEvent.from_ministry),
                 selectinload(ItemEvent.to_ministry))
    ).all()
    allowed = service.allowed_triggers(current_user, item)
    watcher_ids = watchers.watchers_of(db.session, item.id)
    comment_form = comment_form or CommentForm()
    conflict, kept_below = None, ""
    if conflict_trigger is not None:
        conflict = conflict_sentence(item, conflict_trigger, allowed, events, bool(kept_comment))
        if conflict_trigger in allowed and workflow.requires(conflict_trigger, item.state):
            open_trigger = conflict_trigger
        elif kept_comment and may(current_user, "item.comment", item):
            comment_form.comment.data = kept_comment
            kept_comment = ""
        else:
            kept_below, kept_comment = kept_comment, ""
    return render_template(
        "items/detail.html", item=item, events=events, allowed=allowed,
        requires={t: workflow.requires(t, item.state) for t in allowed},
        today=service.local_today(item, now), comment_form=comment_form,
        trigger_errors=trigger_errors or {}, open_trigger=open_trigger, conflict=conflict,
        kept_comment=kept_comment, kept_ministry=kept_ministry, kept_below=kept_below,
        ministries=item.country.ministries, watching=current_user.id in watcher_ids, watcher_count=len(watcher_ids),
        # When the item asks for a report's figure.
        data_request=data_request_panel(db.session, current_user, item, data_request_form),
    ), status
