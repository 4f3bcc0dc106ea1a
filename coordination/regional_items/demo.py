"""The demo's cross-border item: a portability agreement for pension rights between the
Philippines and Malaysia, raised by the secretariat; the Philippine part is under way at the
Social Security System, the Malaysian part assigned to the Social Security Organisation."""
from datetime import datetime, timedelta

from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.items import service as items
from coordination.regional_items import service
from coordination.regional_items.models import RegionalItem

TITLE = "A portability agreement for pension rights between the Philippines and Malaysia"
DESCRIPTION = ("Filipino workers in Sabah and Sarawak lose the contributions they paid when they go home. Agree how "
               "periods of contribution to SSS and PERKESO count towards each other's old-age and invalidity "
               "pensions, and how benefits are paid across the border.")
# Each part's steps: (country, the holding ministry's acronym, how far it goes).
PARTS = (("PH", "SSS", ("assign", "accept")), ("MY", "PERKESO", ("assign",)))


def seed_regional_items(session, now: datetime) -> int:
    """The demo's regional item, unless it is there already; how many were added."""
    secretariat = session.scalar(select(User).where(User.role == "secretariat").order_by(User.id))
    if secretariat is None or session.scalar(select(RegionalItem.id).where(RegionalItem.title == TITLE)):
        return 0
    regional = service.create(session, secretariat, {
        "title": TITLE, "description": DESCRIPTION, "due_date": (now + timedelta(days=180)).date(),
        "countries": [code for code, _, _ in PARTS]}, now)
    parts = {part.country_code: part for part in regional.parts}
    for code, acronym, steps in PARTS:
        holder = session.scalar(select(Ministry).where(Ministry.country_code == code, Ministry.acronym == acronym))
        coordinator = session.scalar(select(User).where(User.country_code == code, User.role == "coordinator")
                                     .order_by(User.id))
        staff = session.scalar(select(User).where(User.ministry_id == holder.id).order_by(User.id)) if holder else None
        part = parts.get(code)
        for trigger in steps:
            actor = coordinator if trigger == "assign" else staff
            if part is None or actor is None or holder is None:
                break
            items.fire_trigger(session, actor, part.id, trigger, part.version, now,
                               ministry_id=holder.id if trigger == "assign" else None)
    session.flush()
    return 1
