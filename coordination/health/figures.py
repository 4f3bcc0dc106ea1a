"""The coordination-health figures of a reporting cycle, per country, computed from the records.

Definitions (the cycle's period is ``period_start``..``period_end``; the *cut-off* is the end of
``period_end``, or ``now`` while the period runs):

- ``member_ministries``: ministries in the country's coordination mechanism.
- ``meetings_held``: national meetings of the country held in the period.
- ``ministries_attending``: distinct ministries attending those meetings.
- ``items_created``: action items of the country created in the period.
- ``median_days_to_accept``: over those items that were assigned and then accepted, the median of
  days from the first ``assign`` event to the first ``accept`` event; None when no such item.
- ``handed_over_share``: share of those items with at least one ``hand_over`` event.
- ``data_requests_on_time_share``: of the cycle's data requests (indicator values of the country's
  report with an action item), the share whose item first reached ``completed`` on or before its
  due date.
- ``overdue_share``: of the items created in the period, the share due before the cut-off and not
  in a closed state at the cut-off (the last state change up to the cut-off).

A share is None when there is nothing to count. The computation issues a fixed number of
statements, grouped by country, whatever the number of countries and items.
"""
from dataclasses import dataclass
from datetime import UTC, datetime, time
from statistics import median

from sqlalchemy import and_, case, func, select

from coordination.directory.models import Country, Mechanism, mechanism_members
from coordination.items.models import ActionItem, ItemEvent
from coordination.items.workflow import CLOSED_STATES
from coordination.meetings.models import Meeting, meeting_ministries
from coordination.reporting.models import CountryReport, IndicatorValue, ReportingCycle


@dataclass
class CountryHealth:
    country: str
    member_ministries: int = 0
    meetings_held: int = 0
    ministries_attending: int = 0
    items_created: int = 0
    median_days_to_accept: float | None = None
    handed_over_share: float | None = None
    data_requests_on_time_share: float | None = None
    overdue_share: float | None = None


def _share(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


def cutoff(cycle: ReportingCycle, now: datetime) -> datetime:
    end = datetime.combine(cycle.period_end, time.max, tzinfo=UTC)
    return min(end, now)


def compute(session, cycle: ReportingCycle, now: datetime,
            countries: list[str] | None = None) -> list[CountryHealth]:
    """One row per country (all, or the given codes), in country-code order."""
    codes = countries if countries is not None else list(
        session.scalars(select(Country.code).order_by(Country.code)))
    rows = {code: CountryHealth(code) for code in codes}
    if not rows:
        return []
    start = datetime.combine(cycle.period_start, time.min, tzinfo=UTC)
    end = cutoff(cycle, now)
    end_day = end.date()

    # 1. members of each mechanism
    for code, n in session.execute(
            select(Mechanism.country_code, func.count(mechanism_members.c.ministry_id))
            .join(mechanism_members, mechanism_members.c.mechanism_id == Mechanism.id)
            .where(Mechanism.country_code.in_(codes)).group_by(Mechanism.country_code)):
        rows[code].member_ministries = n

    # 2. national meetings held in the period, and the distinct ministries attending them
    in_period = and_(Meeting.country_code.in_(codes), Meeting.held_on >= cycle.period_start,
                     Meeting.held_on <= min(cycle.period_end, end_day))
    for code, held, attending in session.execute(
            select(Meeting.country_code, func.count(func.distinct(Meeting.id)),
                   func.count(func.distinct(meeting_ministries.c.ministry_id)))
            .outerjoin(meeting_ministries, meeting_ministries.c.meeting_id == Meeting.id)
            .where(in_period).group_by(Meeting.country_code)):
        rows[code].meetings_held, rows[code].ministries_attending = held, attending

    # 3. items created in the period: count, handed over, overdue at the cut-off
    created = and_(ActionItem.country_code.in_(codes), ActionItem.created_at >= start,
                   ActionItem.created_at <= end)
    handed = (select(ItemEvent.item_id).where(ItemEvent.trigger == "hand_over",
                                              ItemEvent.at <= end).distinct().subquery())
    last_change = (select(ItemEvent.item_id, func.max(ItemEvent.id).label("event_id"))
                   .where(ItemEvent.to_state.is_not(None), ItemEvent.at <= end)
                   .group_by(ItemEvent.item_id).subquery())
    last_event = ItemEvent.__table__.alias("last_event")
    closed = last_event.c.to_state.in_(CLOSED_STATES)
    for code, n, n_handed, n_overdue in session.execute(
            select(ActionItem.country_code, func.count(ActionItem.id),
                   func.count(handed.c.item_id),
                   func.sum(case((and_(ActionItem.due_date < end_day,
                                       func.coalesce(closed, False).is_(False)), 1), else_=0)))
            .outerjoin(handed, handed.c.item_id == ActionItem.id)
            .outerjoin(last_change, last_change.c.item_id == ActionItem.id)
            .outerjoin(last_event, last_event.c.id == last_change.c.event_id)
            .where(created).group_by(ActionItem.country_code)):
        row = rows[code]
        row.items_created = n
        row.handed_over_share = _share(n_handed, n)
        row.overdue_share = _share(n_overdue or 0, n)

    # 4. first assignment and first acceptance of each item created in the period
    first_assign = func.min(case((ItemEvent.trigger == "assign", ItemEvent.at)))
    first_accept = func.min(case((ItemEvent.trigger == "accept", ItemEvent.at)))
    durations: dict[str, list[float]] = {}
    for code, assigned, accepted in session.execute(
            select(ActionItem.country_code, first_assign, first_accept)
            .join(ItemEvent, ItemEvent.item_id == ActionItem.id)
            .where(created, ItemEvent.at <= end, ItemEvent.trigger.in_(("assign", "accept")))
            .group_by(ActionItem.country_code, ActionItem.id)):
        if assigned is not None and accepted is not None and accepted >= assigned:
            durations.setdefault(code, []).append((accepted - assigned).total_seconds() / 86400)
    for code, values in durations.items():
        rows[code].median_days_to_accept = round(median(values), 1)

    # 5. the cycle's data requests delivered by their due date
    first_done = (select(ItemEvent.item_id, func.min(ItemEvent.at).label("at"))
                  .where(ItemEvent.to_state == "completed").group_by(ItemEvent.item_id)
                  .subquery())
    for code, n, on_time in session.execute(
            select(CountryReport.country_code, func.count(IndicatorValue.id),
                   func.sum(case((and_(first_done.c.at.is_not(None),
                                       func.date(first_done.c.at) <= ActionItem.due_date), 1),
                                 else_=0)))
            .join(IndicatorValue, IndicatorValue.report_id == CountryReport.id)
            .join(ActionItem, ActionItem.id == IndicatorValue.item_id)
            .outerjoin(first_done, first_done.c.item_id == ActionItem.id)
            .where(CountryReport.cycle_id == cycle.id, CountryReport.country_code.in_(codes))
            .group_by(CountryReport.country_code)):
        rows[code].data_requests_on_time_share = _share(on_time or 0, n)

    return [rows[code] for code in codes]
