"""Demo reporting data: the common monitoring format and two published historical cycles
holding the real SDG 1.3.1 coverage figures of every member state: the 2019 figures, and the
latest published ones (the baseline), so that progress across cycles shows real movement."""
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import Country
from coordination.reporting import history, submissions
from coordination.reporting.models import (
    CountryReport,
    CycleEvent,
    IndicatorValue,
    MonitoringTemplate,
    ReportEvent,
    ReportingCycle,
)
from coordination.reporting.templates import default_format, ensure_default_template

HISTORICAL_CYCLE = "SDG 1.3.1 baseline (latest ILO estimates)"
SUBMITTED_AT = datetime(2025, 3, 20, 3, 0, tzinfo=UTC)
ACCEPTED_AT = datetime(2025, 4, 4, 3, 0, tzinfo=UTC)
NOT_COLLECTED = "Not collected in the baseline: it recorded the SDG 1.3.1 coverage only."

CYCLE_2019 = "SDG 1.3.1 in 2019 (ILO estimates)"
NOT_COLLECTED_2019 = "Not collected in the 2019 round: it recorded the SDG 1.3.1 coverage only."


@dataclass(frozen=True)
class Historical:
    """A published cycle of the demo and which of each member state's figures it holds."""

    name: str
    period_start: date
    period_end: date
    deadline: date
    created_at: datetime
    submitted_at: datetime
    accepted_at: datetime
    not_collected: str
    year: int | None  # the figures of this year; None: each member state's latest


HISTORICAL = (
    Historical(HISTORICAL_CYCLE, date(2015, 1, 1), date(2023, 12, 31), date(2025, 3, 31),
               datetime(2024, 10, 1, tzinfo=UTC), SUBMITTED_AT, ACCEPTED_AT, NOT_COLLECTED, None),
    Historical(CYCLE_2019, date(2019, 1, 1), date(2019, 12, 31), date(2021, 3, 31),
               datetime(2020, 10, 1, tzinfo=UTC), datetime(2021, 3, 19, 3, 0, tzinfo=UTC),
               datetime(2021, 4, 6, 3, 0, tzinfo=UTC), NOT_COLLECTED_2019, 2019),
)


def figure_of(series: list, year: int | None) -> tuple[int, float] | None:
    """(year, value) of a member state's reference series: that year's, or the latest."""
    if year is None:
        return tuple(max(series)) if series else None
    return next(((y, v) for y, v in series if y == year), None)


def seed_reporting(session) -> dict[str, int]:
    spec = default_format()
    had_template = session.scalar(
        select(MonitoringTemplate.id).where(MonitoringTemplate.name == spec["name"])) is not None
    template = ensure_default_template(session)
    added = {"templates": 0 if had_template else 1, "cycles": 0}
    for historical in HISTORICAL:
        if session.scalar(select(ReportingCycle.id).where(ReportingCycle.name == historical.name)) is None:
            _seed_cycle(session, template, spec["reference_values"], historical)
            added["cycles"] += 1
    session.flush()
    return added


def _seed_cycle(session, template: MonitoringTemplate, reference: dict, historical: Historical) -> None:
    secretariat = session.scalar(select(User).where(User.email == "secretariat@example.org"))
    indicator = next(i for i in template.indicators if i.code == reference["indicator"])
    published = historical.accepted_at
    cycle = ReportingCycle(name=historical.name, template_id=template.id, period_start=historical.period_start,
                           period_end=historical.period_end, deadline=historical.deadline, state="published",
                           created_at=historical.created_at, published_at=published)
    session.add(cycle)
    session.flush()
    for trigger, from_state, to_state in (("create", None, "planned"), ("open", "planned", "open"),
                                          ("close", "open", "closed"), ("publish", "closed", "published")):
        session.add(CycleEvent(cycle_id=cycle.id, at=cycle.created_at if trigger == "create" else published,
                               actor_id=secretariat.id, trigger=trigger, from_state=from_state, to_state=to_state))
    submitted = historical.submitted_at
    for country in session.scalars(select(Country).order_by(Country.code)):
        figure = figure_of(reference["values"].get(country.code) or [], historical.year)
        if figure is None:
            continue
        year, value = figure
        email = f"coordinator.{country.code.lower()}@example.org"
        coordinator = session.scalar(select(User).where(User.email == email))
        report = CountryReport(cycle_id=cycle.id, country_code=country.code, state="accepted",
                               first_submitted_at=submitted, submitted_at=submitted, accepted_at=published,
                               updated_at=published)
        session.add(report)
        session.flush()
        entered = [IndicatorValue(
            report_id=report.id, indicator_id=indicator.id, availability="estimate", number=float(value),
            reason="", note=f"ILO estimate for {year}, UN SDG Global Database, series SI_COV_BENFTS.",
            reference_year=year, updated_by_id=coordinator.id, updated_at=submitted)]
        # An accepted report is complete: the cycle recorded only the SDG 1.3.1 figure, and
        # says so of every other required indicator.
        for other in template.indicators:
            if other.required and other.id != indicator.id:
                entered.append(IndicatorValue(
                    report_id=report.id, indicator_id=other.id, availability="not_available",
                    reason=historical.not_collected, note="", updated_by_id=coordinator.id, updated_at=submitted))
        session.add_all(entered)
        session.flush()
        for row in entered:  # each value's history starts with its entry
            history.record_change(session, coordinator, row, submitted, "demo")
        submissions.snapshot(session, coordinator, report, submitted)
        for trigger, from_state, to_state, actor, at in (
                ("start", "not_started", "drafting", coordinator, submitted),
                ("submit", "drafting", "submitted", coordinator, submitted),
                ("accept", "submitted", "accepted", secretariat, published)):
            comment = "Recorded from the published SDG 1.3.1 series." if trigger == "submit" else ""
            session.add(ReportEvent(report_id=report.id, at=at, actor_id=actor.id, trigger=trigger,
                                    from_state=from_state, to_state=to_state, comment=comment))
