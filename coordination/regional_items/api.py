"""Regional (cross-border) items in the JSON API (API.md, /api/v1/regional-items)."""
from flask import g, jsonify, request

from coordination import clock
from coordination.api import api, json_body, query_number, query_page, token_required
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.regional_items import schemas, service
from coordination.regional_items.models import STATES


def iso(instant):
    return instant.isoformat() if instant is not None else None


def regional_json(regional, actor, now, *, parts: bool = True) -> dict:
    body = {
        "id": regional.id, "title": regional.title, "description": regional.description,
        "due_date": regional.due_date.isoformat(), "state": regional.state, "countries": regional.country_codes,
        "created_at": iso(regional.created_at), "completed_at": iso(regional.completed_at),
    }
    if parts:
        body["parts"] = [{
            "country": part.country.code, "item_id": part.item_id, "state": part.state, "overdue": part.overdue,
            "due_date": part.due_date.isoformat() if part.due_date else None,
            "ministry_id": part.ministry.id if part.ministry else None,
            "events": None if part.events is None else [
                {"trigger": e.trigger, "from_state": e.from_state, "to_state": e.to_state,
                 "from_ministry_id": e.from_ministry_id, "to_ministry_id": e.to_ministry_id, "at": iso(e.at)}
                for e in part.events],
        } for part in service.parts_of(db.session, actor, regional, now)]
    return body


@api.get("/regional-items")
@endpoint("Regional (cross-border) items the user may read, due first", tag="regional",
          query=schemas.RegionalItemQuery, replies={200: schemas.RegionalItemList}, errors=(422,),
          description="The secretariat and observers read every one; a member state's users those naming it; "
                      "the admin none (403).")
@token_required
def list_regional_items():
    page, per_page = query_page(), query_number("per_page", 25, 100)
    state = request.args.get("state")
    rows, total = service.page(db.session, g.api_user, state if state in STATES else None, page, per_page)
    now = clock.now()
    return jsonify({"regional_items": [regional_json(r, g.api_user, now, parts=False) for r in rows],
                    "total": total, "page": page, "per_page": per_page})


@api.post("/regional-items")
@endpoint("Raise a regional item for two or more member states (secretariat)", tag="regional",
          body=schemas.RegionalItemCreate, replies={201: schemas.RegionalItem},
          description="Creates, in each member state named, an action item in draft (regional_item_id set) for "
                      "its coordinator to assign, who is told. One member state, or a code of none, answers 422 "
                      "with fields.")
@token_required
def create_regional_item():
    data = json_body()
    now = clock.now()
    regional = service.create(db.session, g.api_user, data, now)
    return jsonify(regional_json(service.get(db.session, g.api_user, regional.id), g.api_user, now)), 201


@api.get("/regional-items/<int:regional_item_id>")
@endpoint("One regional item with each part's state", tag="regional", replies={200: schemas.RegionalItem},
          description="The secretariat reads every part's item, holder and history; a member state named reads "
                      "every part's state and its own part's item; observers the states. Others: 404.")
@token_required
def get_regional_item(regional_item_id: int):
    return jsonify(regional_json(service.get(db.session, g.api_user, regional_item_id), g.api_user, clock.now()))
