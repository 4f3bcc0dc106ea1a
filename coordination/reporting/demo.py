"""Demo reporting data: the common monitoring format and one published historical cycle
holding the real SDG 1.3.1 coverage figures of every member state."""
from datetime import UTC, date, datetime

from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import Country
from coordination.reporting import history
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


def seed_reporting(session) -> dict[str, int]:
    spec = default_format()
    had_template = session.scalar(
        select(MonitoringTemplate.id).where(MonitoringTemplate.name == spec["name"])) is not None
    template = ensure_default_template(session)
    added = {"templates": 0 if had_template else 1, "cycles": 0}
    if session.scalar(select(ReportingCycle.id).where(ReportingCycle.name == HISTORICAL_CYCLE)) is not None:
        return added
    secretariat = session.scalar(select(User).where(User.email == "secretariat@example.org"))
    reference = spec["reference_values"]
    indicator = next(i for i in template.indicators if i.code == reference["indicator"])
    cycle = ReportingCycle(name=HISTORICAL_CYCLE, template_id=template.id, period_start=date(2015, 1, 1),
                           period_end=date(2023, 12, 31), deadline=date(2025, 3, 31), state="published",
                           created_at=datetime(2024, 10, 1, tzinfo=UTC), published_at=ACCEPTED_AT)
    session.add(cycle)
    session.flush()
    for trigger, from_state, to_state in (("create", None, "planned"), ("open", "planned", "open"),
                                          ("close", "open", "closed"), ("publish", "closed", "published")):
        session.add(CycleEvent(cycle_id=cycle.id, at=cycle.created_at if trigger == "create" else ACCEPTED_AT,
                               actor_id=secretariat.id, trigger=trigger, from_state=from_state, to_state=to_state))
    for country in session.scalars(select(Country).order_by(Country.code)):
        series = reference["values"].get(country.code)
        if not series:
            continue
        year, value = max(series)
        email = f"coordinator.{country.code.lower()}@example.org"
        coordinator = session.scalar(select(User).where(User.email == email))
        report = CountryReport(cycle_id=cycle.id, country_code=country.code, state="accepted",
                               first_submitted_at=SUBMITTED_AT, submitted_at=SUBMITTED_AT, accepted_at=ACCEPTED_AT,
                               updated_at=ACCEPTED_AT)
        session.add(report)
        session.flush()
        entered = [IndicatorValue(
            report_id=report.id, indicator_id=indicator.id, availability="estimate", number=float(value),
            reason="", note=f"ILO estimate for {year}, UN SDG Global Database, series SI_COV_BENFTS.",
            updated_by_id=coordinator.id, updated_at=SUBMITTED_AT)]
        # An accepted report is complete: the baseline recorded only the SDG 1.3.1 figure, and
        # says so of every other required indicator.
        for other in template.indicators:
            if other.required and other.id != indicator.id:
                entered.append(IndicatorValue(
                    report_id=report.id, indicator_id=other.id, availability="not_available", reason=NOT_COLLECTED,
                    note="", updated_by_id=coordinator.id, updated_at=SUBMITTED_AT))
        session.add_all(entered)
        session.flush()
        for row in entered:  # each value's history starts with its entry
            history.record_change(session, coordinator, row, SUBMITTED_AT, "demo")
        for trigger, from_state, to_state, actor, at in (
                ("start", "not_started", "drafting", coordinator, SUBMITTED_AT),
                ("submit", "drafting", "submitted", coordinator, SUBMITTED_AT),
                ("accept", "submitted", "accepted", secretariat, ACCEPTED_AT)):
            comment = "Recorded from the published SDG 1.3.1 series." if trigger == "submit" else ""
            session.add(ReportEvent(report_id=report.id, at=at, actor_id=actor.id, trigger=trigger,
                                    from_state=from_state, to_state=to_state, comment=comment))
    added["cycles"] += 1
    session.flush()
    return added
