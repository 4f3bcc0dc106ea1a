"""Action items in the JSON API (API.md, /api/v1/items)."""
from flask import g, jsonify, request
from sqlalchemy.orm import joinedload, selectinload

from coordination import clock
from coordination.api import api, json_body, query_number, query_page, token_required
from coordination.auth.policy import require
from coordination.extensions import db
from coordination.items import queries, service
from coordination.items.models import ActionItem


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
        "due_date": item.due_date.isoformat(),
        "overdue": item.is_overdue(service.local_today(item, now)),
        "guarantee": item.guarantee,
        "priority": item.priority,
        "supporting_ministry_ids": [m.id for m in item.supporters],
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
                "actor": e.actor_id,
                "comment": e.comment,
                "at": iso(e.at),
            }
            for e in item.events
        ]
    return body


@api.get("/items")
@token_required
def list_items():
    actor, now = g.api_user, clock.now()
    page, per_page = query_page(), query_number("per_page", 25, 100)
    if actor.country_code is None:
        # Regional users read no item content; the summary is theirs.
        return jsonify({"items": [], "total": 0, "page": page, "per_page": per_page})
    require(actor, "item.read")
    filters = queries.ItemFilters.from_args(request.args)
    today = clock.local(now, actor.country.timezone).date()
    items, total = queries.item_page(db.session, actor.country_code, filters, today, page, per_page,
                                     selectinload(ActionItem.supporters), selectinload(ActionItem.country))
    return jsonify({
        "items": [item_json(i, actor, now, events=False) for i in items],
        "total": total, "page": page, "per_page": per_page,
    })


@api.post("/items")
@token_required
def create_item():
    data = json_body()
    item = service.create_item(db.session, g.api_user, data, clock.now())
    db.session.commit()
    return jsonify(item_json(item, g.api_user, clock.now())), 201


@api.get("/items/summary")
@token_required
def items_summary():
    require(g.api_user, "items.summary")
    return jsonify({"countries": queries.summary(db.session, g.api_user, clock.now())})


# What item_json reads of one item, loaded with it: its country in the same statement.
ITEM_JSON_LOADING = (joinedload(ActionItem.country), selectinload(ActionItem.supporters),
                     selectinload(ActionItem.events))


@api.get("/items/<int:item_id>")
@token_required
def get_item(item_id: int):
    item = service.get_item(db.session, g.api_user, item_id, options=ITEM_JSON_LOADING)
    return jsonify(item_json(item, g.api_user, clock.now()))


@api.patch("/items/<int:item_id>")
@token_required
def update_item(item_id: int):
    data = json_body()
    item = service.update_item(db.session, g.api_user, item_id, data, clock.now())
    db.session.commit()
    return jsonify(item_json(item, g.api_user, clock.now()))


@api.post("/items/<int:item_id>/transitions")
@token_required
def fire_transition(item_id: int):
    data = json_body()
    item = service.fire_trigger(
        db.session, g.api_user, item_id, data.get("trigger"), data.get("version"), clock.now(),
        comment=data.get("comment"), ministry_id=data.get("ministry_id"),
    )
    db.session.commit()
    return jsonify(item_json(item, g.api_user, clock.now()))


@api.post("/items/<int:item_id>/comments")
@token_required
def add_comment(item_id: int):
    data = json_body()
    service.add_comment(db.session, g.api_user, item_id, data.get("comment"), clock.now())
    db.session.commit()
    item = service.get_item(db.session, g.api_user, item_id)
    return jsonify(item_json(item, g.api_user, clock.now())), 201


