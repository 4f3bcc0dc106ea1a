"""The named officer of an action item: a user of the holding ministry who has it (None: the
ministry as a whole). The coordinator names one; staff of the holding ministry take it or give
it to a colleague; a hand-over or a transfer clears it (items/service.py)."""
from flask_babel import gettext
from sqlalchemy import select

from coordination.auth.models import User
from coordination.errors import ValidationError
from coordination.ids import as_id


def colleagues(session, ministry_id) -> list[User]:
    """The active staff of ``ministry_id``, by name: whom the item may be given to."""
    if ministry_id is None:
        return []
    return session.scalars(select(User).where(User.ministry_id == ministry_id, User.role == "ministry_staff",
                                              User.active.is_(True)).order_by(User.name, User.id)).all()


def may_hold(item, user) -> bool:
    """Whether ``user`` may be the item's officer: active staff of the ministry holding it."""
    return (user is not None and user.active and user.role == "ministry_staff" and item.ministry_id is not None
            and user.ministry_id == item.ministry_id and user.country_code == item.country_code)


def chosen_officer(session, item, assignee_id) -> User | None:
    """The user ``assignee_id`` names (None clears the officer), if they may hold ``item``;
    a ValidationError otherwise (the same for anyone else: another ministry's, another
    country's, or nobody)."""
    if assignee_id is None:
        return None
    if item.ministry_id is None:
        raise ValidationError({"assignee_id": [gettext(
            "No ministry holds this item yet: assign it to a ministry before naming an officer.")]})
    user = session.get(User, as_id(assignee_id)) if as_id(assignee_id) else None
    if not may_hold(item, user):
        raise ValidationError({"assignee_id": [
            gettext("Choose an active colleague of the ministry holding the item.")]})
    return user


def kept_on(item, ministry_id, session) -> int | None:
    """The officer an item keeps when it goes to ``ministry_id`` by assign: theirs if they are of
    that ministry, else nobody."""
    if item.assignee_id is None:
        return None
    user = session.get(User, item.assignee_id)
    return item.assignee_id if user is not None and user.ministry_id == ministry_id else None
