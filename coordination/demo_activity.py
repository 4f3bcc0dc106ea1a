"""Demo action items, so that a new user's board and inbox show work in every state.

Written through the item services, so their history is what real use would leave.
"""
from datetime import datetime, timedelta

from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import Country, Ministry
from coordination.items import service
from coordination.items.models import ActionItem

# (title, guarantee, sector of the holding ministry, due in days, the steps after creation)
ITEMS = (
    ("Map the schemes of the national floor for the review", "coordination", "coordination", 20,
     ["assign", "accept"]),
    ("Extend maternity cash benefits to informal workers", "working_age", "labour", 5, ["assign"]),
    ("Reconcile the beneficiary lists of the social pension", "older_persons", "social_welfare", -3,
     ["assign", "accept", ("block", "Waiting for the civil registry extract.")]),
    ("Cost the options for a universal child benefit", "children", "finance", -1,
     ["assign", "accept", ("submit", "Costing note with three options attached.")]),
    ("Update the health coverage estimate for the SDG 1.3.1 report", "health", "health", -10,
     ["assign", "accept", ("submit", "Estimate updated from the 2025 household survey."), "approve"]),
    ("Draft terms of reference for the inter-ministerial working group", "coordination", None, 30, []),
)
COORDINATOR_STEPS = {"assign", "approve", "transfer", "send_back", "reopen", "cancel", "unblock"}


def _holder(ministries: list[Ministry], sector: str | None, reporting_id: int | None) -> Ministry:
    if sector == "coordination" and reporting_id:
        return next(m for m in ministries if m.id == reporting_id)
    return next((m for m in ministries if m.sector == sector), ministries[0])


def seed_activity(session, now: datetime) -> int:
    """Add the demo items to every country that has none; return how many were added."""
    added = 0
    for country in session.scalars(select(Country).order_by(Country.code)):
        if session.scalar(select(ActionItem.id).where(ActionItem.country_code == country.code).limit(1)):
            continue
        coordinator = session.scalar(select(User).where(
            User.country_code == country.code, User.role == "coordinator").order_by(User.id))
        ministries = list(country.ministries)
        if coordinator is None or not ministries:
            continue
        reporting_id = country.mechanism.reporting_ministry_id if country.mechanism else None
        today = service.local_today(country, now)
        for title, guarantee, sector, due_in, steps in ITEMS:
            holder = _holder(ministries, sector, reporting_id)
            staff = session.scalar(select(User).where(User.ministry_id == holder.id).order_by(User.id))
            item = service.create_item(session, coordinator, {
                "title": title, "due_date": today + timedelta(days=due_in), "guarantee": guarantee,
                "ministry_id": holder.id if sector else None,
                "description": "Demo item: it shows how work moves between ministries.",
            }, now)
            for step in steps:
                trigger, comment = step if isinstance(step, tuple) else (step, None)
                actor = coordinator if trigger in COORDINATOR_STEPS else staff
                if actor is None:
                    break
                service.fire_trigger(session, actor, item.id, trigger, item.version, now, comment=comment)
            added += 1
    session.flush()
    return added
