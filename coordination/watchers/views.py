"""The item page's Watch and Stop watching buttons (plain forms), and the people its comment
box suggests for a mention (JSON for coordination/static/mentions.js; without JavaScript a
mention is typed in full)."""
from flask import Blueprint, jsonify, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coordination import clock, paging
from coordination.extensions import db
from coordination.forms import done
from coordination.items import service as items
from coordination.watchers import service as watchers

bp = Blueprint("watchers", __name__)


def _item_url(item_id: int) -> str:
    return url_for("items.show_item", item_id=item_id)


@bp.post("/items/<int:item_id>/watch")
@login_required
def watch(item_id: int):
    item = items.get_item(db.session, current_user, item_id)
    watchers.watch(db.session, item, current_user, clock.now())
    return done(gettext("You are watching this item: you will get a notice of each of its events."),
                _item_url(item.id))


@bp.post("/items/<int:item_id>/unwatch")
@login_required
def stop_watching(item_id: int):
    item = items.get_item(db.session, current_user, item_id)
    watchers.stop_watching(db.session, item, current_user)
    return done(gettext("You no longer watch this item."), _item_url(item.id))


@bp.get("/items/<int:item_id>/watch")
@bp.get("/items/<int:item_id>/unwatch")
@login_required
def back_to_item(item_id: int):
    """A reload after pressing the button (a GET) goes back to the item."""
    item = items.get_item(db.session, current_user, item_id)
    return redirect(_item_url(item.id))


def _label(user) -> str:
    if user.ministry is not None:
        return gettext("%(name)s (%(ministry)s)", name=user.name, ministry=user.ministry.acronym)
    return gettext("%(name)s (coordinator)", name=user.name)


@bp.get("/items/<int:item_id>/people.json")
@login_required
def people(item_id: int):
    """Who a comment on the item may mention, for what was typed after the @ (``q``): a page of
    them by name (``page``), and whether more follow."""
    item = items.get_item(db.session, current_user, item_id)
    found, more = watchers.colleagues(db.session, current_user, item, request.args.get("q", ""),
                                      paging.requested_page(request.args))
    return jsonify({"people": [{"email": user.email, "name": user.name, "label": _label(user)} for user in found],
                    "more": more})
