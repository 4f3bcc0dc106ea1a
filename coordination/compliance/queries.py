"""Read side of compliance: aggregates in SQL, a fixed number of
queries whatever the number of countries, cycles or indicators; the arithmetic in rules.py.

Member states come in the order of their names (English, as stored), on every page and in
every export. Each public function takes the session, the actor and (where time matters) ``now``; it checks
what the actor may see through the policy and answers 404 for what is out of sight.
"""
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext
from sqlalchemy import and_, func, or_, select

from coordination.auth.policy import may
from coordination.compliance import rules
from coordination.directory.models import Country
from coordination.directory.service import get_country
from coordination.errors import NotFound
from coordination.reporting.cycles import get_cycle
from coordination.reporting.models import (
    NUMERIC_UNITS,
    CountryReport,
    Indicator,
    IndicatorValue,
    ReportingCycle,
)
from coordination.reporting.rules import latest_extensions

# -- one report's compliance --------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One country's compliance in one cycle."""

    cycle_id: int
    cycle_name: str
    cycle_state: str
    cycle_deadline: date
    country: str
    country_name: str
    timezone: str
    report_id: int
    state: str
    deadline: date
    extended: bool
    extension_reason: str | None
    submitted_at: datetime | None  # the first submission, UTC
    compliance: str
    days_late: int
    completeness: float

    # To the policy a row stands for its country (a directory object): may(actor,
    # "compliance.country", row) asks whether the actor may open that country's record.
    shared_directory = True

    @property
    def country_code(self) -> str:
        return self.country

    @property
    def local_submitted_at(self) -> datetime | None:
        return self.submitted_at.astimezone(ZoneInfo(self.timezone)) if self.submitted_at else None

    @property
    def compliance_label(self) -> str:
        """As DESIGN.md words it: "on time", "late", ..., and "on time (extended)" after an extension."""
        label = gettext(rules.COMPLIANCE_LABELS[self.compliance]).lower()
        return gettext("%(compliance)s (extended)", compliance=label) if self.extended else label


def answered_clause():
    """SQL twin of IndicatorValue.answered: a value in its unit's column, or a flag with a reason."""
    has_value = or_(
        and_(Indicator.unit == "yes_no", IndicatorValue.flag.is_not(None)),
        and_(Indicator.unit == "text", IndicatorValue.text.is_not(None)),
        and_(Indicator.unit.in_(NUMERIC_UNITS), IndicatorValue.number.is_not(None)),
    )
    return or_(
        and_(IndicatorValue.availability.in_(("not_available", "not_applicable")),
             func.length(func.trim(IndicatorValue.reason)) > 0),
        and_(IndicatorValue.availability.in_(("reported", "estimate")), has_value),
    )


CLOSED_CYCLE_STATES = ("closed", "published")


def compliance_rows(session, now: datetime, *conditions) -> list[Row]:
    """The compliance of every country report matching ``conditions`` (SQL conditions on
    CountryReport and ReportingCycle), in three queries: the reports with their country,
    cycle and latest extension; the answered required indicators per report; the required
    indicators per template."""
    extension = latest_extensions()
    reports = session.execute(
        select(CountryReport.id, CountryReport.cycle_id, CountryReport.country_code, CountryReport.state,
               CountryReport.first_submitted_at, Country.name, Country.timezone, ReportingCycle.name,
               ReportingCycle.state, ReportingCycle.deadline, ReportingCycle.template_id,
               extension.c.deadline, extension.c.reason)
        .join(Country, Country.code == CountryReport.country_code)
        .join(ReportingCycle, ReportingCycle.id == CountryReport.cycle_id)
        .outerjoin(extension, and_(extension.c.cycle_id == CountryReport.cycle_id,
                                   extension.c.country_code == CountryReport.country_code))
        .where(*conditions)
        .order_by(ReportingCycle.deadline.desc(), ReportingCycle.id.desc(), Country.name, CountryReport.country_code)
    ).all()
    if not reports:
        return []
    answered = dict(session.execute(
        select(IndicatorValue.report_id, func.count())
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(CountryReport, CountryReport.id == IndicatorValue.report_id)
        .join(ReportingCycle, ReportingCycle.id == CountryReport.cycle_id)
        .where(Indicator.required.is_(True), answered_clause(), *conditions)
        .group_by(IndicatorValue.report_id)
    ).all())
    required = dict(session.execute(
        select(Indicator.template_id, func.count()).where(Indicator.required.is_(True))
        .group_by(Indicator.template_id)
    ).all())
    rows = []
    for (report_id, cycle_id, code, state, first, name, timezone, cycle_name, cycle_state, cycle_deadline,
         template_id, extended_to, reason) in reports:
        deadline = extended_to or cycle_deadline
        rows.append(Row(
            cycle_id=cycle_id, cycle_name=cycle_name, cycle_state=cycle_state, cycle_deadline=cycle_deadline,
            country=code, country_name=name, timezone=timezone, report_id=report_id, state=state,
            deadline=deadline, extended=extended_to is not None, extension_reason=reason, submitted_at=first,
            compliance=rules.status(deadline, timezone, first, now, closed=cycle_state in CLOSED_CYCLE_STATES),
            days_late=rules.days_late(deadline, timezone, first, now, closed=cycle_state in CLOSED_CYCLE_STATES),
            completeness=rules.completeness(answered.get(report_id, 0), required.get(template_id, 0)),
        ))
    return rows


# -- per cycle ------------------------------------------------------------------------------------

@dataclass
class CycleCompliance:
    cycle: ReportingCycle
    totals: rules.Totals
    rows: list[Row]  # the rows the actor may see
    all_rows: bool  # True when the actor sees every member state


def cycle_compliance(session, actor, cycle_id, now: datetime) -> CycleCompliance:
    """Totals stay regional; the rows are every member state's for the secretariat (and for
    observers once the cycle is published), the actor's own country's otherwise."""
    cycle = get_cycle(session, cycle_id)
    if not may(actor, "compliance.read", cycle):
        raise NotFound(gettext("There is no such reporting cycle."))
    rows = compliance_rows(session, now, CountryReport.cycle_id == cycle.id)
    totals = rules.totals(r.compliance for r in rows)
    all_rows = may(actor, "compliance.read_all", cycle)
    if not all_rows:
        rows = [r for r in rows if r.country == actor.country_code]
    return CycleCompliance(cycle=cycle, totals=totals, rows=rows, all_rows=all_rows)


# -- across cycles ------------------------------------------------------------------------------

@dataclass
class CountryRecord:
    country: Country
    rows: list[Row]  # newest cycle first

    @property
    def totals(self) -> rules.Totals:
        return rules.totals(r.compliance for r in self.rows)


def country_record(session, actor, code, now: datetime) -> CountryRecord:
    """A member state's compliance in every cycle it reports in, newest first: for its own
    users and the secretariat only (404 for everybody else)."""
    country = get_country(session, code)
    if not may(actor, "compliance.country", country):
        raise NotFound(gettext("There is no such member state."))
    return CountryRecord(country=country,
                         rows=compliance_rows(session, now, CountryReport.country_code == country.code))


@dataclass
class Scorecard:
    cycles: list[ReportingCycle]  # oldest deadline first (columns)
    countries: list[Country]  # rows
    cells: dict[tuple[str, int], Row]
    totals: dict[int, rules.Totals]  # per cycle

    def country_totals(self, code: str) -> rules.Totals:
        return rules.totals(self.cells[code, c.id].compliance for c in self.cycles if (code, c.id) in self.cells)

    @property
    def rows(self) -> list[Row]:
        """Every cell, cycle by cycle (oldest first), country by country."""
        return [self.cells[c.code, cycle.id] for cycle in self.cycles for c in self.countries
                if (c.code, cycle.id) in self.cells]


def scorecard_cycle_conditions(actor) -> list:
    """Cycles with reports; observers see published cycles only."""
    conditions = [ReportingCycle.state != "planned"]
    if not may(actor, "compliance.read_all", None):
        conditions.append(ReportingCycle.state == "published")
    return conditions


def scorecard(session, actor, now: datetime) -> Scorecard:
    """One row per member state, one column per cycle (secretariat: every opened cycle;
    observers: the published ones)."""
    if not may(actor, "compliance.scorecard"):
        raise NotFound(gettext("There is no such page."))
    conditions = scorecard_cycle_conditions(actor)
    cycles = list(session.scalars(select(ReportingCycle).where(*conditions)
                                  .order_by(ReportingCycle.deadline, ReportingCycle.id)))
    countries = list(session.scalars(select(Country).order_by(Country.name, Country.code)))
    rows = compliance_rows(session, now, *conditions) if cycles else []
    cells = {(r.country, r.cycle_id): r for r in rows}
    totals = {c.id: rules.totals(r.compliance for r in rows if r.cycle_id == c.id) for c in cycles}
    return Scorecard(cycles=cycles, countries=countries, cells=cells, totals=totals)


def visible_cycles(session, actor) -> list[tuple[ReportingCycle, bool, bool]]:
    """Every cycle with whether the actor may open its compliance and its comparison."""
    cycles = session.scalars(select(ReportingCycle).order_by(ReportingCycle.deadline.desc(),
                                                             ReportingCycle.id.desc()))
    listed = []
    for cycle in cycles:
        compliance, comparison = may(actor, "compliance.read", cycle), may(actor, "comparison.read", cycle)
        if compliance or comparison:
            listed.append((cycle, compliance, comparison))
    return listed
