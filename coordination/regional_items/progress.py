"""A regional item kept in step with its parts: each transition of a part (items/service.py)
recomputes the regional item's state in the same transaction, and the secretariat is told when
it completes. The notices of the parts and of the regional item."""
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from coordination import i18n
from coordination.i18n import N_
from coordination.items.models import ActionItem
from coordination.regional_items.models import RegionalItem, state_of
from coordination.reminders import notices

PART_CREATED = N_("New part of a regional item")
COMPLETED = N_("Regional item completed")


def url(regional_item_id: int) -> str:
    return f"/regional-items/{regional_item_id}"


def follow(session, part: ActionItem, actor, now: datetime) -> RegionalItem:
    """After ``part`` changed state: the regional item's state from every part's. The regional
    item's row is locked first, so that two parts completed at once in two countries are
    counted one after the other (the second sees the first) and the item does complete."""
    regional = session.execute(
        select(RegionalItem).where(RegionalItem.id == part.regional_item_id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one()
    states = session.scalars(select(ActionItem.state).where(ActionItem.regional_item_id == regional.id)).all()
    state = state_of(states)
    if state != regional.state:
        regional.state, regional.updated_at = state, now
        regional.completed_at = now if state == "completed" else None
        session.flush()
        if state == "completed":
            completed(session, regional, actor, now)
    return regional


def completed(session, regional: RegionalItem, actor, now: datetime) -> list:
    """The secretariat is told that ``regional`` is completed."""
    def texts() -> tuple[str, str]:
        return (gettext("%(what)s: %(title)s", what=gettext(COMPLETED), title=regional.title),
                gettext("Every member state's part of this regional item is done; the last step was taken by "
                        "%(who)s.", who=getattr(actor, "name", None) or gettext("Someone")))
    return notices.tell_role(session, "secretariat", actor, now, texts, subject_type="regional",
                             subject_id=regional.id, event="completed", url=url(regional.id))


def part_created(session, regional: RegionalItem, part: ActionItem, actor, now: datetime) -> list:
    """The coordinators of the part's country are told of their new part."""
    def texts() -> tuple[str, str]:
        return (gettext("%(what)s: %(title)s", what=gettext(PART_CREATED), title=regional.title),
                gettext("The secretariat raised a regional item for several member states. Your country's part "
                        "is an action item in draft, due on %(due)s: assign it to a ministry.",
                        due=i18n.format_day(part.due_date)))
    return notices.tell_role(session, "coordinator", actor, now, texts, country_code=part.country_code,
                             subject_type="item", subject_id=part.id, due_date=part.due_date, event="create",
                             url=f"/items/{part.id}")
