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
from sqlalchemy.dialects import postgresql, sqlite

from coordination.directory.models import Country, Mechanism, mechanism_members
from coordination.health.models import ItemFigures
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
            countries: list[str] | None = None, *, keep: bool = False) -> list[CountryHealth]:
    """One row per country (all, or the given codes), in country-code order. With ``keep``,
    the item figures of a finished period are read from (or written once to)
    health_item_figures (coordination/health/models.py) instead of counted."""
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

    # 3 and 4. the items of the period: counted, or (a finished period, ``keep``) kept
    period_over = now > datetime.combine(cycle.period_end, time.max, tzinfo=UTC)
    items = (_kept(session, cycle, codes, start, end, now) if keep and period_over
             else item_figures(session, codes, start, end))
    for code, (n, n_handed, n_overdue, median_days) in items.items():
        row = rows[code]
        row.items_created = n
        row.handed_over_share = _share(n_handed, n)
        row.overdue_share = _share(n_overdue, n)
        row.median_days_to_accept = median_days

    # 5. the cycle's data requests delivered by their due date (each item's first completion)
    first_done = (select(func.min(ItemEvent.at)).where(ItemEvent.item_id == ActionItem.id,
                                                       ItemEvent.to_state == "completed")
                  .scalar_subquery())
    requests = (select(CountryReport.country_code.label("country"),
                       case((func.date(first_done) <= ActionItem.due_date, 1), else_=0).label("on_time"))
                .join(IndicatorValue, IndicatorValue.report_id == CountryReport.id)
                .join(ActionItem, ActionItem.id == IndicatorValue.item_id)
                .where(CountryReport.cycle_id == cycle.id, CountryReport.country_code.in_(codes))
                .subquery())
    for code, n, on_time in session.execute(
            select(requests.c.country, func.count(), func.sum(requests.c.on_time)).group_by(requests.c.country)):
        rows[code].data_requests_on_time_share = _share(on_time or 0, n)

    return [rows[code] for code in codes]


def item_figures(session, codes: list[str], start: datetime, end: datetime) -> dict[str, list]:
    """Per country with items created in ``start``..``end``: [items, handed over, overdue at
    ``end``, median days to accept or None]; two statements."""
    end_day = end.date()
    found: dict[str, list] = {}
    # Items created in the period: count, handed over, overdue at the cut-off. Each item's
    # events are read through its own key (correlated), never the whole event table.
    created = and_(ActionItem.country_code.in_(codes), ActionItem.created_at >= start,
                   ActionItem.created_at <= end)
    handed = (select(ItemEvent.id).where(ItemEvent.item_id == ActionItem.id, ItemEvent.trigger == "hand_over",
                                         ItemEvent.at <= end).exists())
    last_state = (select(ItemEvent.to_state)
                  .where(ItemEvent.item_id == ActionItem.id, ItemEvent.to_state.is_not(None), ItemEvent.at <= end)
                  .order_by(ItemEvent.id.desc()).limit(1).scalar_subquery())
    items = (select(ActionItem.country_code.label("country"), ActionItem.due_date.label("due"),
                    case((handed, 1), else_=0).label("handed"), last_state.label("last_state"))
             .where(created).subquery())
    open_at_end = func.coalesce(items.c.last_state.in_(CLOSED_STATES), False).is_(False)
    for code, n, n_handed, n_overdue in session.execute(
            select(items.c.country, func.count(), func.sum(items.c.handed),
                   func.sum(case((and_(items.c.due < end_day, open_at_end), 1), else_=0)))
            .group_by(items.c.country)):
        found[code] = [n, n_handed or 0, n_overdue or 0, None]

    # First assignment and first acceptance of each item created in the period.
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
        found[code][3] = round(median(values), 1)
    return found


def _kept(session, cycle: ReportingCycle, codes: list[str], start: datetime, end: datetime,
          now: datetime) -> dict[str, list]:
    """The item figures of a finished period from health_item_figures; those of countries not
    kept yet are counted and kept (two writers at once keep one row: the second does nothing)."""
    period = (ItemFigures.cycle_id == cycle.id, ItemFigures.period_start == cycle.period_start,
              ItemFigures.period_end == cycle.period_end)
    found = {row.country_code: [row.items_created, row.handed_over, row.overdue, row.median_days_to_accept]
             for row in session.execute(select(ItemFigures.country_code, ItemFigures.items_created,
                                               ItemFigures.handed_over, ItemFigures.overdue,
                                               ItemFigures.median_days_to_accept)
                                        .where(*period, ItemFigures.country_code.in_(codes)))}
    missing = [code for code in codes if code not in found]
    if missing:
        counted = item_figures(session, missing, start, end)
        rows = []
        for code in sorted(missing):  # in key order: concurrent writers wait instead of deadlocking
            found[code] = counted.get(code, [0, 0, 0, None])
            n, n_handed, n_overdue, median_days = found[code]
            rows.append({"cycle_id": cycle.id, "country_code": code, "period_start": cycle.period_start,
                         "period_end": cycle.period_end, "items_created": n, "handed_over": n_handed,
                         "overdue": n_overdue, "median_days_to_accept": median_days, "computed_at": now})
        insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
        session.execute(insert(ItemFigures.__table__).on_conflict_do_nothing(), rows)
    return {code: values for code, values in found.items() if values[0]}
