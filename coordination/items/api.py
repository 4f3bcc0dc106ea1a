"""Action items in the JSON API (API.md, /api/v1/items)."""
from flask import g, jsonify, request
from sqlalchemy.orm import selectinload

from coordination import clock
from coordination.api import api, json_body, query_number, query_page, token_required
from coordination.auth.policy import require
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.items import bulk, detail, queries, schemas, service
from coordination.items.models import ActionItem
from coordination.watchers import service as watchers


def iso(instant):
    return instant.isoformat() if instant is not None else None


def item_json(item: ActionItem, actor, now, *, events: bool = True) -> dict:
    body = {
        "id": item.id,
        "country": item.country_code,
        "title": item.title,
        "description": item.description,
        "state": item.state,
        "version": item.version,
        "ministry_id": item.ministry_id,
        "assignee_id": item.assignee_id,
        "due_date": item.due_date.isoformat(),
        "overdue": item.is_overdue(service.local_today(item, now)),
        "guarantee": item.guarantee,
        "priority": item.priority,
        "supporting_ministry_ids": [m.id for m in item.supporters],
        "regional_item_id": item.regional_item_id,
        "meeting_id": item.meeting_id,
        "created_by": item.created_by_id,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "allowed_triggers": service.allowed_triggers(actor, item),
    }
    if events:
        body["events"] = [
            {
                "trigger": e.trigger,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "from_ministry_id": e.from_ministry_id,
                "to_ministry_id": e.to_ministry_id,
                "from_assignee_id": e.from_assignee_id,
                "to_assignee_id": e.to_assignee_id,
                "actor": e.actor_id,
                "comment": e.comment,
                "at": iso(e.at),
                **({"changes": e.changes} if e.changes is not None else {}),
            }
            for e in item.events
        ]
        body["watchers"] = watchers.watchers_of(db.session, item.id)
        body["watching"] = actor.id in body["watchers"]
    return body


@api.get("/items")
@endpoint("Action items the user may read, overdue and due first", tag="items", query=schemas.ItemQuery,
          replies={200: schemas.ItemList}, errors=(422,),
          description="Regional users read no item content: their list is empty (the summary is theirs).")
@token_required
def list_items():
    actor, now = g.api_user, clock.now()
    page, per_page = query_page(), query_number("per_page", 25, 100)
    if actor.country_code is None:
        # Regional users read no item content; the summary is theirs.
        return jsonify({"items": [], "total": 0, "page": page, "per_page": per_page})
    require(actor, "item.read")
    filters = queries.ItemFilters.from_args(request.args, user_id=actor.id)
    today = clock.local(now, actor.country.timezone).date()
    items, total = queries.item_page(db.session, actor.country_code, filters, today, page, per_page,
                                     selectinload(ActionItem.supporters), selectinload(ActionItem.country))
    return jsonify({
        "items": [item_json(i, actor, now, events=False) for i in items],
        "total": total, "page": page, "per_page": per_page,
    })


@api.post("/items")
@endpoint("Create an action item (coordinator); it starts as a draft", tag="items", body=schemas.ItemCreate,
          replies={201: schemas.Item})
@token_required
def create_item():
    data = json_body()
    item = service.create_item(db.session, g.api_user, data, clock.now())
    return jsonify(item_json(item, g.api_user, clock.now())), 201


@api.post("/items/bulk")
@endpoint("One step on many items (coordinator), each item its own unit of work", tag="items",
          body=schemas.BulkStep, replies={200: schemas.BulkResults},
          description="Each item is changed as if alone (its current version, the same rules): a refused item "
                      "keeps nothing and the others go on; its result names the error code it would answer "
                      "alone. Another country's item, or an id of none, is not_found. No id, more than 500, a "
                      "repeated id, or nothing to do answers 422.")
@token_required
def bulk_step():
    data = json_body()
    return jsonify({"results": bulk.bulk_step(db.session, g.api_user, data, clock.now())})


@api.get("/items/summary")
@endpoint("Counts by country, state and overdue: the only view of items the secretariat has", tag="items",
          replies={200: schemas.ItemSummary})
@token_required
def items_summary():
    require(g.api_user, "items.summary")
    return jsonify({"countries": queries.summary(db.session, g.api_user, clock.now())})


@api.get("/items/<int:item_id>")
@endpoint("One action item with its history and the triggers this user may fire now", tag="items",
          replies={200: schemas.Item})
@token_required
def get_item(item_id: int):
    item = detail.item_detail(db.session, g.api_user, item_id)  # the JSON of plain rows
    return jsonify(item_json(item, g.api_user, clock.now()))


@api.patch("/items/<int:item_id>")
@endpoint("Edit an item's fields (coordinator), or name its officer", tag="items", body=schemas.ItemChanges,
          replies={200: schemas.Item}, errors=(409,),
          description="assignee_id alone may also be sent by staff of the holding ministry (taking the item or "
                      "giving it to a colleague); a user who may not hold it answers 422.")
@token_required
def update_item(item_id: int):
    data = json_body()
    item = service.update_item(db.session, g.api_user, item_id, data, clock.now())
    return jsonify(item_json(item, g.api_user, clock.now()))


@api.post("/items/<int:item_id>/transitions")
@endpoint("Fire a trigger of the workflow", tag="items", body=schemas.ItemTransition, replies={200: schemas.Item},
          errors=(409,),
          description="An unknown trigger answers 422; for a user who may read the item, a trigger not possible "
                      "from its state answers 409 invalid_transition, one possible but not for this user 403; "
                      "a stale version 409 stale_version; a missing comment or ministry 422.")
@token_required
def fire_transition(item_id: int):
    data = json_body()
    item = service.fire_trigger(
        db.session, g.api_user, item_id, data.get("trigger"), data.get("version"), clock.now(),
        comment=data.get("comment"), ministry_id=data.get("ministry_id"),
    )
    return jsonify(item_json(item, g.api_user, clock.now()))


@api.post("/items/<int:item_id>/comments")
@endpoint("Comment on an item (the holding ministry, supporting ministries, the coordinator)", tag="items",
          body=schemas.ItemComment, replies={201: schemas.Item})
@token_required
def add_comment(item_id: int):
    data = json_body()
    event = service.add_comment(db.session, g.api_user, item_id, data.get("comment"), clock.now())
    item = event.item
    return jsonify(item_json(item, g.api_user, clock.now())), 201
