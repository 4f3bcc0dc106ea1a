"""Action items: create, edit, fire triggers, comment. Services flush; the caller commits."""
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from coordination import clock
from coordination.auth.policy import may, may_see, require
from coordination.dates import date_field
from coordination.directory.models import Ministry
from coordination.errors import Forbidden, InvalidTransition, NotFound, StaleVersion, ValidationError
from coordination.ids import as_id
from coordination.items import workflow
from coordination.items.models import GUARANTEES, PRIORITIES, ActionItem, ItemEvent
from coordination.reminders import notices

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
COMMENT_MAX = 5_000


# -- reading -------------------------------------------------------------------------------

def get_item(session, actor, item_id, *, for_update: bool = False) -> ActionItem:
    """The item, if ``actor`` may read it; otherwise NotFound (never reveal another country's)."""
    statement = select(ActionItem).where(ActionItem.id == item_id)
    if for_update:
        # Serialise concurrent transitions of one item on PostgreSQL: the second waits, then
        # sees the new version and is refused cleanly. (SQLite's BEGIN IMMEDIATE does the same.)
        statement = statement.with_for_update().execution_options(populate_existing=True)
    item = session.scalar(statement) if as_id(item_id) else None
    if item is None or not may_see(actor, item) or not may(actor, "item.read", item):
        raise NotFound("There is no such action item.")
    return item


def allowed_triggers(actor, item: ActionItem) -> list[str]:
    """What ``actor`` may fire on ``item`` now: the same rules fire_trigger enforces."""
    return [t for t in workflow.possible_triggers(item.state) if may(actor, f"item.{t}", item)]


def local_today(item_or_country, now: datetime) -> date:
    country = getattr(item_or_country, "country", item_or_country)
    return clock.local(now, country.timezone).date()


# -- input checks -----------------------------------------------------------------------------

def _text(errors, data, name, *, required=False, maximum=None, label="This field"):
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = [f"{label} must be text."]
        return None
    value = value.strip()
    if required and not value:
        errors[name] = [f"{label} is required."]
    elif maximum and len(value) > maximum:
        errors[name] = [f"{label} may be at most {maximum} characters long."]
    return value


def _ministry(session, errors, field, ministry_id, country_code) -> Ministry | None:
    if ministry_id in (None, ""):
        return None
    ministry = session.get(Ministry, as_id(ministry_id)) if as_id(ministry_id) else None
    if ministry is None or ministry.country_code != country_code:
        errors[field] = ["Choose a ministry of this member state."]
        return None
    return ministry


def _item_fields(session, data: dict, country_code: str, *, partial: bool) -> tuple[dict, dict]:
    """Validated item fields from ``data``; with ``partial`` only those present."""
    errors: dict[str, list[str]] = {}
    fields: dict = {}
    if not partial or "title" in data:
        fields["title"] = _text(errors, data, "title", required=True, maximum=TITLE_MAX, label="The title")
    if not partial or "description" in data:
        fields["description"] = _text(errors, data, "description", maximum=DESCRIPTION_MAX,
                                      label="The description")
    if not partial or "due_date" in data:
        fields["due_date"] = date_field(errors, "due_date", data.get("due_date"),
                                        "Enter the due date as a date, e.g. 2027-03-31.")
    if not partial or "priority" in data:
        priority = data.get("priority") or "normal"
        if priority not in PRIORITIES:
            errors["priority"] = [f"Choose one of: {', '.join(PRIORITIES)}."]
        fields["priority"] = priority
    if not partial or "guarantee" in data:
        guarantee = data.get("guarantee") or None
        if guarantee is not None and guarantee not in GUARANTEES:
            errors["guarantee"] = [f"Choose one of: {', '.join(GUARANTEES)}."]
        fields["guarantee"] = guarantee
    if "supporter_ids" in data:
        ids = data.get("supporter_ids") or []
        supporters = []
        if not isinstance(ids, list):
            errors["supporter_ids"] = ["Send a list of ministry ids."]
        else:
            for ministry_id in ids:
                ministry = _ministry(session, errors, "supporter_ids", ministry_id, country_code)
                if ministry is not None and ministry not in supporters:
                    supporters.append(ministry)
        fields["supporters"] = supporters
    return fields, errors


# -- changes ----------------------------------------------------------------------------------

def _record(session, item: ActionItem, actor, trigger: str, now: datetime, *, from_state=None,
            to_state=None, from_ministry_id=None, to_ministry_id=None, comment="") -> ItemEvent:
    event = ItemEvent(
        item=item, at=now, actor_id=actor.id, trigger=trigger, from_state=from_state,
        to_state=to_state, from_ministry_id=from_ministry_id, to_ministry_id=to_ministry_id,
        comment=comment or "",
    )
    session.add(event)
    return event


def create_item(session, actor, data: dict, now: datetime) -> ActionItem:
    """A new item in ``draft``, in the coordinator's country."""
    require(actor, "item.create")
    fields, errors = _item_fields(session, data, actor.country_code, partial=False)
    ministry = _ministry(session, errors, "ministry_id", data.get("ministry_id"), actor.country_code)
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
    return item


def _check_version(item: ActionItem, version) -> None:
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError({"version": ["Send the version of the item you saw (a whole number)."]})
    if version != item.version:
        raise StaleVersion(item.version)


def _flush(session, item: ActionItem) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion(item.version + 1) from None


def update_item(session, actor, item_id, data: dict, now: datetime) -> ActionItem:
    item = get_item(session, actor, item_id, for_update=True)
    require(actor, "item.edit", item)
    if "version" not in data:
        raise ValidationError({"version": ["This field is required."]})
    _check_version(item, data.get("version"))
    fields, errors = _item_fields(session, data, item.country_code, partial=True)
    if errors:
        raise ValidationError(errors)
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, fields[name])
    if changed:
        item.updated_at = now
        _record(session, item, actor, "edit", now, from_state=item.state, to_state=item.state,
                comment="Changed: " + ", ".join(n.replace("_", " ") for n in changed))
        _flush(session, item)
    return item


def fire_trigger(session, actor, item_id, trigger, version, now: datetime, *,
                 comment: str | None = None, ministry_id=None) -> ActionItem:
    """Fire ``trigger`` on the item, in the order of refusals API.md promises:
    unknown trigger 422, unseen item 404, impossible now 409, not yours 403,
    stale version 409, missing requirement 422."""
    if trigger not in workflow.TRIGGERS:
        raise ValidationError({"trigger": [f"Unknown trigger. Triggers: {', '.join(workflow.TRIGGERS)}."]})
    item = get_item(session, actor, item_id, for_update=True)
    if trigger not in workflow.possible_triggers(item.state):
        raise InvalidTransition(trigger, item.state, allowed_triggers(actor, item))
    if not may(actor, f"item.{trigger}", item):
        raise Forbidden(f"You may not {workflow.TRIGGER_LABELS[trigger].lower()} this item.")
    _check_version(item, version)
    errors: dict[str, list[str]] = {}
    comment = _text(errors, {"comment": comment}, "comment", maximum=COMMENT_MAX, label="The comment")
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
        raise ValidationError({"trigger": ["This step's requirements are not met."]})
    if ministry is not None and trigger in ("assign", "hand_over", "transfer"):
        item.ministry_id = ministry.id
        item.ministry = ministry
    item.updated_at = now
    _record(session, item, actor, trigger, now, from_state=from_state, to_state=item.state,
            from_ministry_id=from_ministry_id, to_ministry_id=item.ministry_id, comment=comment)
    _flush(session, item)
    notices.item_changed(session, item, trigger, actor, now, comment=comment)
    return item


def add_comment(session, actor, item_id, comment: str, now: datetime) -> ItemEvent:
    item = get_item(session, actor, item_id)
    require(actor, "item.comment", item)
    errors: dict[str, list[str]] = {}
    text = _text(errors, {"comment": comment}, "comment", required=True, maximum=COMMENT_MAX,
                 label="The comment")
    if errors:
        raise ValidationError(errors)
    event = _record(session, item, actor, "comment", now, from_state=item.state,
                    to_state=item.state, from_ministry_id=item.ministry_id,
                    to_ministry_id=item.ministry_id, comment=text)
    session.flush()
    return event

