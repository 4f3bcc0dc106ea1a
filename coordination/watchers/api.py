"""Watching an action item in the JSON API (API.md, /api/v1/items/ID/watchers/me)."""
from flask import g, jsonify

from coordination import clock
from coordination.api import api, token_required
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.items import service as items
from coordination.watchers import schemas
from coordination.watchers import service as watchers


def _answer(item_id: int):
    ids = watchers.watchers_of(db.session, item_id)
    return jsonify({"item_id": item_id, "watching": g.api_user.id in ids, "watchers": ids})


@api.put("/items/<int:item_id>/watchers/me")
@endpoint("Watch an action item: a notice of each of its events", tag="items", replies={200: schemas.Watching},
          description="Whoever may read the item; watching it already changes nothing. Another country's "
                      "item answers 404.")
@token_required
def watch_item(item_id: int):
    item = items.get_item(db.session, g.api_user, item_id)
    watchers.watch(db.session, item, g.api_user, clock.now())
    return _answer(item.id)


@api.delete("/items/<int:item_id>/watchers/me")
@endpoint("Stop watching an action item", tag="items", replies={200: schemas.Watching},
          description="Not watching it already changes nothing. Another country's item answers 404.")
@token_required
def stop_watching_item(item_id: int):
    item = items.get_item(db.session, g.api_user, item_id)
    watchers.stop_watching(db.session, item, g.api_user)
    return _answer(item.id)
