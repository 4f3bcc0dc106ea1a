"""Action items: create, edit, fire triggers, comment. Services flush; the caller commits."""
from datetime import date, datetime
from functools import lru_cache

from flask_babel import gettext
from sqlalchemy import bindparam, select
from sqlalchemy.orm.exc import StaleDataError

from coordination import clock
from coordination.auth.models import User
from coordination.auth.policy import may, may_see, require
from coordination.directory.models import Ministry
from coordination.errors import Forbidden, InvalidTransition, NotFound, StaleVersion, ValidationError
from coordination.i18n import N_
from coordination.ids import as_id
from coordination.items import officer, schemas, workflow
from coordination.items.models import ActionItem, ItemEvent
from coordination.regional_items import progress as regional
from coordination.reminders import notices
from coordination.schemas import validate_field
from coordination.watchers import mentions
from coordination.watchers import service as watchers

# -- reading -------------------------------------------------------------------------------

@lru_cache(maxsize=32)
def _item_statement(options: tuple, for_update: bool):
    """The statement that loads one item, built once per loading (building a select with
    loader options costs more than running it)."""
    statement = select(ActionItem).where(ActionItem.id == bindparam("item_id")).options(*options)
    if for_update:
        # Serialise concurrent transitions of one item on PostgreSQL: the second waits, then
        # sees the new version and is refused cleanly. (SQLite's BEGIN IMMEDIATE does the same.)
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return statement


def get_item(session, actor, item_id, *, for_update: bool = False, options=()) -> ActionItem:
    """The item, if ``actor`` may read it; otherwise NotFound (never reveal another country's).
    ``options``: loader options for what the caller will read of it (a module constant: the
    statement is kept per options)."""
    item = None
    if as_id(item_id):
        result = session.scalars(_item_statement(tuple(options), for_update), {"item_id": item_id})
        item = result.unique().first()  # unique(): the options may join a collection
    if item is None or not may_see(actor, item) or not may(actor, "item.read", item):
        raise NotFound(gettext("There is no such action item."))
    return item


def allowed_triggers(actor, item: ActionItem) -> list[str]:
    """What ``actor`` may fire on ``item`` now: the same rules fire_trigger enforces."""
    return [t for t in workflow.possible_triggers(item.state) if may(actor, f"item.{t}", item)]


def local_today(item_or_country, now: datetime) -> date:
    country = getattr(item_or_country, "country", item_or_country)
    return clock.local(now, country.timezone).date()


# -- input checks -----------------------------------------------------------------------------
# Types, lengths and ranges are the schemas' (items/schemas.py); what depends on the data (a
# ministry of this member state) is checked here.

def _ministry(session, errors, field, ministry_id, country_code) -> Ministry | None:
    if ministry_id in (None, ""):
        return None
    ministry = session.get(Ministry, as_id(ministry_id)) if as_id(ministry_id) else None
    if ministry is None or ministry.country_code != country_code:
        errors[field] = [gettext("Choose a ministry of this member state.")]
        return None
    return ministry


def _supporters(session, errors, ids, country_code) -> list[Ministry]:
    supporters: list[Ministry] = []
    for ministry_id in ids or []:
        ministry = _ministry(session, errors, "supporter_ids", ministry_id, country_code)
        if ministry is not None and ministry not in supporters:
            supporters.append(ministry)
    return supporters


def _item_fields(session, given: dict, country_code: str) -> tuple[dict, dict]:
    """The columns of the fields given (already checked by their schema), the supporting
    ministries as ``supporters``; and the errors of what depends on the data."""
    errors: dict[str, list[str]] = {}
    fields = {name: value for name, value in given.items() if name not in ("version", "ministry_id")}
    if "supporter_ids" in fields:
        fields["supporters"] = _supporters(session, errors, fields.pop("supporter_ids"), country_code)
    return fields, errors


# -- changes ----------------------------------------------------------------------------------

def _record(session, item: ActionItem, actor, trigger: str, now: datetime, *, from_state=None,
            to_state=None, from_ministry_id=None, to_ministry_id=None, comment="", changes=None,
            from_assignee_id=None, to_assignee_id=None) -> ItemEvent:
    event = ItemEvent(
        item=item, at=now, actor_id=actor.id, trigger=trigger, from_state=from_state,
        to_state=to_state, from_ministry_id=from_ministry_id, to_ministry_id=to_ministry_id,
        comment=comment or "", changes=changes, from_assignee_id=from_assignee_id, to_assignee_id=to_assignee_id,
    )
    session.add(event)
    return event


def create_item(session, actor, data: dict, now: datetime) -> ActionItem:
    """A new item in ``draft``, in the coordinator's country."""
    require(actor, "item.create")
    body = schemas.ItemCreate.parse(data)
    given = body.model_dump(exclude={"supporter_ids"}) | body.given()
    fields, errors = _item_fields(session, given, actor.country_code)
    ministry = _ministry(session, errors, "ministry_id", body.ministry_id, actor.country_code)
    if errors:
        raise ValidationError(errors)
    supporters = fields.pop("supporters", [])
    item = ActionItem(
        country_code=actor.country_code, state="draft", ministry_id=ministry.id if ministry else None,
        created_by_id=actor.id, created_at=now, updated_at=now, **fields,
    )
    item.supporters = supporters
    session.add(item)
    _record(session, item, actor, "create", now, to_state="draft",
            to_ministry_id=item.ministry_id)
    session.flush()
    watchers.watch(session, item, actor, now)  # the creator follows the item by default
    return item


def create_part(session, actor, country_code: str, regional_item_id: int, body, now: datetime) -> ActionItem:
    """A member state's part of a regional item (regional_items/service.py checks who may): a
    draft of that country written by the secretariat, for its coordinator to assign as any item.
    ``body``: the regional item's checked title, description and due date."""
    item = ActionItem(country_code=country_code, state="draft", title=body.title, description=body.description,
                      due_date=body.due_date, regional_item_id=regional_item_id, created_by_id=actor.id,
                      created_at=now, updated_at=now)
    session.add(item)
    _record(session, item, actor, "create", now, to_state="draft")
    session.flush()
    return item


def _check_version(item: ActionItem, version) -> None:
    version = validate_field(schemas.VERSION, version, "version")
    if version != item.version:
        raise StaleVersion(item.version)


def _flush(session, item: ActionItem) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion(item.version + 1) from None


# The fields of an item as the history names a change to them.
FIELD_NAMES = {"title": N_("title"), "description": N_("description"), "due_date": N_("due date"),
               "priority": N_("priority"), "guarantee": N_("guarantee"), "supporters": N_("supporting ministries")}
# The item JSON's name of a field whose column is named otherwise.
CHANGE_FIELDS = {"supporters": "supporting_ministry_ids"}


def _plain(name: str, value):
    """A field's value as the history keeps it: the item JSON's form (ISO dates, ministry ids)."""
    if name == "supporters":
        return sorted(ministry.id for ministry in value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _differs(old, new) -> bool:
    """Whether an edit changes a value: text that differs only in its line ends (a browser
    sends a text area's lines ended by CR LF) is the same text."""
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n") != new.replace("\r\n", "\n")
    return old != new


def update_item(session, actor, item_id, data: dict, now: datetime) -> ActionItem:
    """Change the fields sent: the details (the coordinator), the named officer (the coordinator,
    or staff of the holding ministry)."""
    item = get_item(session, actor, item_id, for_update=True)
    changes = schemas.ItemChanges.parse(data)
    given = changes.given()
    naming = "assignee_id" in given
    if not naming or set(given) - {"version", "assignee_id"}:
        require(actor, "item.edit", item)
    if naming:
        require(actor, "item.officer", item)
    _check_version(item, changes.version)
    fields, errors = _item_fields(session, {k: v for k, v in given.items() if k != "assignee_id"}, item.country_code)
    if errors:
        raise ValidationError(errors)
    if naming:
        chosen = officer.chosen_officer(session, item, given["assignee_id"])
        _name_officer(session, item, actor, chosen.id if chosen is not None else None, now)
    values = [(name, _plain(name, getattr(item, name)), _plain(name, value)) for name, value in fields.items()]
    changed = [(name, old, new) for name, old, new in values if _differs(old, new)]
    for name, _old, _new in changed:
        setattr(item, name, fields[name])
    if changed:
        item.updated_at = now
        _record(session, item, actor, "edit", now, from_state=item.state, to_state=item.state,
                comment=gettext("Changed: %(fields)s", fields=", ".join(
                    gettext(FIELD_NAMES[n]) if n in FIELD_NAMES else n.replace("_", " ") for n, _o, _n in changed)),
                changes=[{"field": CHANGE_FIELDS.get(name, name), "old": old, "new": new}
                         for name, old, new in changed])
        _flush(session, item)
        notices.item_changed(session, item, "edit", actor, now)
    return item


def fire_trigger(session, actor, item_id, trigger, version, now: datetime, *,
                 comment: str | None = None, ministry_id=None) -> ActionItem:
    """Fire ``trigger`` on the item, in the order of refusals API.md promises:
    unknown trigger 422, unseen item 404, impossible now 409, not yours 403,
    stale version 409, missing requirement 422."""
    trigger = validate_field(schemas.TRIGGER, trigger, "trigger")
    item = get_item(session, actor, item_id, for_update=True)
    if trigger not in workflow.possible_triggers(item.state):
        raise InvalidTransition(trigger, item.state, allowed_triggers(actor, item))
    if not may(actor, f"item.{trigger}", item):
        raise Forbidden(gettext("You may not take the step “%(step)s” on this item.",
                                step=workflow.TRIGGER_LABELS[trigger]))
    _check_version(item, version)
    comment = validate_field(schemas.COMMENT, comment, "comment")
    errors: dict[str, list[str]] = {}
    if ministry_id in (None, "") and trigger == "assign":
        ministry_id = item.ministry_id  # the ministry chosen when the draft was written
    ministry = _ministry(session, errors, "ministry_id", ministry_id, item.country_code)
    if errors:
        raise ValidationError(errors)
    arguments = {"actor": actor, "comment": comment, "ministry": ministry}
    unmet = workflow.unmet_requirements(item, trigger, **arguments)
    if unmet:
        raise ValidationError(unmet)
    from_state, from_ministry_id = item.state, item.ministry_id
    if not workflow.fire(item, trigger, **arguments):
        raise ValidationError({"trigger": [gettext("This step's requirements are not met.")]})
    from_assignee_id = item.assignee_id
    if ministry is not None and trigger in ("assign", "hand_over", "transfer"):
        # A hand-over or a transfer clears the named officer; an assignment keeps one of that ministry.
        item.assignee_id = officer.kept_on(item, ministry.id, session) if trigger == "assign" else None
        item.ministry_id = ministry.id
        item.ministry = ministry
    item.updated_at = now
    _record(session, item, actor, trigger, now, from_state=from_state, to_state=item.state,
            from_ministry_id=from_ministry_id, to_ministry_id=item.ministry_id, comment=comment,
            from_assignee_id=from_assignee_id, to_assignee_id=item.assignee_id)
    _flush(session, item)
    if item.regional_item_id is not None:  # a country's part of a regional item: keep that in step
        regional.follow(session, item, actor, now)
    notices.item_changed(session, item, trigger, actor, now, comment=comment,
                         mentioned=_mentioned(session, item, actor, comment, now))
    return item


def _name_officer(session, item: ActionItem, actor, assignee_id, now: datetime) -> None:
    """Make ``assignee_id`` (checked) the item's officer; the history and the new officer are told."""
    if assignee_id == item.assignee_id:
        return
    before = item.assignee_id
    item.assignee_id = assignee_id
    item.updated_at = now
    _record(session, item, actor, "officer", now, from_state=item.state, to_state=item.state,
            from_ministry_id=item.ministry_id, to_ministry_id=item.ministry_id, from_assignee_id=before,
            to_assignee_id=assignee_id)
    _flush(session, item)
    if assignee_id is not None:  # the named officer follows the item, as its creator does
        watchers.watch(session, item, session.get(User, assignee_id), now)
    notices.officer_named(session, item, actor, now)


def _mentioned(session, item: ActionItem, actor, text: str, now: datetime) -> list:
    """The colleagues ``text`` mentions who may read the item: they watch it from now on."""
    mentioned = mentions.mentioned_users(session, item, actor, text)
    for user in mentioned:
        watchers.watch(session, item, user, now)
    return mentioned


def add_comment(session, actor, item_id, comment: str, now: datetime, *, attachment_id=None) -> ItemEvent:
    """A comment; ``attachment_id``: the file it carries (stored by coordination/attachments)."""
    item = get_item(session, actor, item_id)
    require(actor, "item.comment", item)
    text = schemas.ItemComment.parse({"comment": comment}).comment
    event = _record(session, item, actor, "comment", now, from_state=item.state,
                    to_state=item.state, from_ministry_id=item.ministry_id,
                    to_ministry_id=item.ministry_id, comment=text)
    event.attachment_id = attachment_id
    session.flush()
    notices.item_changed(session, item, "comment", actor, now, comment=text,
                         mentioned=_mentioned(session, item, actor, text, now))
    return event

