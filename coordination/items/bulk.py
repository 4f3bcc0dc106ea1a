"""Bulk steps: one step (a trigger, a new due date or priority) on many action items.

Each item is its own unit of work inside the request's transaction: a SAVEPOINT per item
(``session.begin_nested()``). The item is changed by the same services as when it is changed
alone (``service.update_item``, ``service.fire_trigger``), with the same rules and the item's
current version; what they refuse is rolled back to the savepoint (the item, its history, its
notices), and the next item goes on. The request still commits once (unit_of_work.py): what
succeeded is kept, a refused item leaves nothing.

An id of another country's item, or of none, is answered ``not_found`` exactly as alone: nothing
about it is revealed."""
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.auth.policy import require
from coordination.errors import DomainError, ValidationError
from coordination.i18n import N_
from coordination.items import schemas, service
from coordination.items.models import ActionItem

NOTHING_TO_DO = N_("Choose what to do: a step (trigger), a due date or a priority.")
MINISTRY_WITHOUT_STEP = N_("A ministry goes with a step that names one (assign, transfer).")


def bulk_step(session, actor, data, now: datetime) -> list[dict]:
    """``data`` (schemas.BulkStep) done to each item of ``data["ids"]`` in turn: a result per
    id, in their order, ``{id, status, error, message}``."""
    require(actor, "items.bulk")
    body = schemas.BulkStep.parse(data)
    changes = {name: value for name, value in (("due_date", body.due_date), ("priority", body.priority))
               if value is not None}
    if body.trigger is None and not changes:
        raise ValidationError({"trigger": [gettext(NOTHING_TO_DO)]})
    if body.trigger is None and body.ministry_id is not None:
        raise ValidationError({"ministry_id": [gettext(MINISTRY_WITHOUT_STEP)]})
    return [_one(session, actor, item_id, body, changes, now) for item_id in body.ids]


def _one(session, actor, item_id: int, body: schemas.BulkStep, changes: dict, now: datetime) -> dict:
    savepoint = session.begin_nested()
    try:
        item = service.get_item(session, actor, item_id, for_update=True)
        before = item.version
        if changes:
            service.update_item(session, actor, item.id, {"version": item.version, **changes}, now)
        if body.trigger is not None:
            service.fire_trigger(session, actor, item.id, body.trigger, item.version, now,
                                 comment=body.comment, ministry_id=body.ministry_id)
        changed = item.version != before
    except DomainError as error:
        savepoint.rollback()
        return {"id": item_id, "status": "refused", "error": error.code, "message": why(error)}
    savepoint.commit()
    return {"id": item_id, "status": "done" if changed else "unchanged", "error": None, "message": None}


def why(error: DomainError) -> str:
    """The refusal in a sentence: a validation error says what is missing, not only that
    something is."""
    if isinstance(error, ValidationError) and error.fields:
        return " ".join(message for messages in error.fields.values() for message in messages)
    return error.message


def items_of(session, actor, ids: list[int]) -> list[ActionItem]:
    """The items of ``ids`` that ``actor`` may read (of their country), in the order of ``ids``;
    one statement (the primary key), with their ministries."""
    if not ids or actor.country_code is None:
        return []
    found = {item.id: item for item in session.scalars(
        select(ActionItem).where(ActionItem.country_code == actor.country_code, ActionItem.id.in_(ids))
        .options(selectinload(ActionItem.ministry)))}
    return [found[i] for i in ids if i in found]
