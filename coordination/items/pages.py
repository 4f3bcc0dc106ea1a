"""The page of one action item. Its own views render it, and so does a view that takes input
posted from it elsewhere (the value of a data request, entered on the item's page)."""
from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination import clock
from coordination.extensions import db
from coordination.items import service, workflow
from coordination.items.forms import CommentForm
from coordination.items.models import ActionItem, ItemEvent
from coordination.reporting.data_request_panel import data_request_panel


def item_page(item: ActionItem, *, status: int = 200, trigger_errors=None, open_trigger=None,
              comment_form=None, data_request_form=None):
    now = clock.now()
    events = db.session.scalars(
        select(ItemEvent).where(ItemEvent.item_id == item.id).order_by(ItemEvent.id)
        .options(selectinload(ItemEvent.actor), selectinload(ItemEvent.from_ministry),
                 selectinload(ItemEvent.to_ministry))
    ).all()
    allowed = service.allowed_triggers(current_user, item)
    return render_template(
        "items/detail.html", item=item, events=events, allowed=allowed,
        requires={t: workflow.requires(t, item.state) for t in allowed},
        today=service.local_today(item, now), comment_form=comment_form or CommentForm(),
        trigger_errors=trigger_errors or {}, open_trigger=open_trigger,
        ministries=item.country.ministries,
        # When the item asks for a report's figure.
        data_request=data_request_panel(db.session, current_user, item, data_request_form),
    ), status
