"""The page of one action item. Its own views render it, and so does a view that takes input
posted from it elsewhere (the value of a data request, entered on the item's page).

A conflict (someone changed the item since the page was loaded) is told in one plain sentence
saying who did what and when (``conflict_sentence``); the text the user typed comes back in
the form: in the step's own form when the step is still theirs, else in the comment box."""
from datetime import date

from flask import current_app, render_template
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination import clock
from coordination.attachments import service as attachments
from coordination.attachments.forms import UploadForm
from coordination.auth.models import User
from coordination.auth.policy import may
from coordination.extensions import db
from coordination.i18n import N_, format_day, format_instant, format_time
from coordination.items import officer, service, workflow
from coordination.items.forms import PRIORITY_LABELS, CommentForm
from coordination.items.models import GUARANTEE_LABELS, ActionItem, ItemEvent
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
    "officer": N_("%(who)s changed the named officer at %(time)s"),
}
# Events that change nothing of the item itself: comments, and files attached or removed.
NOT_CHANGES = ("comment", "attach", "detach")
GONE = N_("%(what)s; “%(step)s” is not possible any more.")
STILL_POSSIBLE = N_("Someone else changed this item in the meantime: %(what)s. Check it, then act again.")
EDITED = N_("Someone else changed this item while you were editing it. %(what)s. "
            "Your changes are kept below: check them and save again.")
KEPT = N_("Your comment is kept below.")


# The fields of an edit's changes as the history names them.
CHANGE_LABELS = {"title": N_("Title"), "description": N_("Description"), "due_date": N_("Due date"),
                 "priority": N_("Priority"), "guarantee": N_("Guarantee"),
                 "supporting_ministry_ids": N_("Supporting ministries")}


def _shown(field: str, value, acronyms: dict) -> str:
    """One value of a change as the reader reads it: dates and labels in their language."""
    if value in (None, "", []):
        return gettext("none")
    if field == "due_date":
        return format_day(date.fromisoformat(value))
    if field == "priority":
        return str(PRIORITY_LABELS.get(value, value))
    if field == "guarantee":
        return GUARANTEE_LABELS.get(value, value)
    if field == "supporting_ministry_ids":
        return ", ".join(sorted(acronyms.get(i, str(i)) for i in value))
    return str(value)


def changes_shown(event, ministries) -> list[dict]:
    """What an edit changed, one line per field: its label, ``old`` and ``new`` as shown, and
    ``kind``: ``quoted`` (a title, between quotes), ``long`` (a description: said to have
    changed, the old text kept for a <details>) or ``plain``. Empty for an event without changes."""
    acronyms = {m.id: m.acronym for m in ministries}
    lines = []
    for change in event.changes or []:
        field, old, new = change.get("field"), change.get("old"), change.get("new")
        label = gettext(CHANGE_LABELS[field]) if field in CHANGE_LABELS else str(field).replace("_", " ")
        if field == "description":
            lines.append({"label": label, "kind": "long", "old": old or "", "new": new or ""})
        elif field == "title":
            lines.append({"label": label, "kind": "quoted", "old": old or "", "new": new or ""})
        else:
            lines.append({"label": label, "kind": "plain", "old": _shown(field, old, acronyms),
                          "new": _shown(field, new, acronyms)})
    return lines


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
            select(ItemEvent).where(ItemEvent.item_id == item.id, ItemEvent.trigger.not_in(NOT_CHANGES))
            .order_by(ItemEvent.id.desc()).limit(1)
            .options(selectinload(ItemEvent.actor), selectinload(ItemEvent.to_ministry)))
    else:
        event = next((e for e in reversed(events) if e.trigger not in NOT_CHANGES), None)
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


def _officers(events) -> dict[int, User]:
    """The users the history names as officers, by id (one statement, when it names any)."""
    ids = {i for e in events for i in (e.from_assignee_id, e.to_assignee_id) if i is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(sorted(ids))))}


def item_page(item: ActionItem, *, status: int = 200, trigger_errors=None, open_trigger=None,
              comment_form=None, data_request_form=None, conflict_trigger=None, kept_comment="",
              kept_ministry=None, upload_form=None, officer_errors=None):
    now = clock.now()
    events = db.session.scalars(
        select(ItemEvent).where(ItemEvent.item_id == item.id).order_by(ItemEvent.id)
        .options(selectinload(ItemEvent.actor), selectinload(ItemEvent.from_ministry),
                 selectinload(ItemEvent.to_ministry))
    ).all()
    allowed = service.allowed_triggers(current_user, item)
    watcher_ids = watchers.watchers_of(db.session, item.id)
    comment_form = comment_form or CommentForm()
    files = attachments.every_file_of_item(db.session, item.id)
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
        changes={event.id: changes_shown(event, item.country.ministries) for event in events if event.changes},
        requires={t: workflow.requires(t, item.state) for t in allowed},
        today=service.local_today(item, now), comment_form=comment_form,
        trigger_errors=trigger_errors or {}, open_trigger=open_trigger, conflict=conflict,
        kept_comment=kept_comment, kept_ministry=kept_ministry, kept_below=kept_below,
        ministries=item.country.ministries, officers=_officers(events), officer_errors=officer_errors or {},
        colleagues=(officer.colleagues(db.session, item.ministry_id)
                    if item.ministry_id is not None and may(current_user, "item.officer", item) else []),
        # Its files: those listed, every one the history names, the upload form for who may attach.
        attachments=[a for a in files if not a.removed], attachments_by_id={a.id: a for a in files},
        upload_form=(upload_form or UploadForm(formdata=None).with_limit(current_app.config["MAX_ATTACHMENT_BYTES"])
                     if may(current_user, "item.attach", item) else None),
        watching=current_user.id in watcher_ids, watcher_count=len(watcher_ids),
        # When the item asks for a report's figure.
        data_request=data_request_panel(db.session, current_user, item, data_request_form),
    ), status
