"""The coordination-health figures as the actor may read them: a cycle's table, and one member
state's row in every cycle."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from coordination.auth.policy import may
from coordination.directory.models import Country
from coordination.directory.service import get_country
from coordination.health.figures import CountryHealth, compute
from coordination.reporting.cycles import get_cycle
from coordination.reporting.models import ReportingCycle


@dataclass
class CycleHealth:
    cycle: ReportingCycle
    rows: list[CountryHealth]
    all_rows: bool


def cycle_health(session, actor, cycle_id, now: datetime) -> CycleHealth:
    """Every member state's row for the secretariat (and for everybody once the cycle is
    published); a member state's users their own row; 404 for anybody else."""
    cycle = get_cycle(session, cycle_id)
    if not may(actor, "health.read", cycle):
        raise NotFound(gettext("There is no such reporting cycle."))
    all_rows = may(actor, "health.read_all", cycle)
    if all_rows:
        rows = compute(session, cycle, now, keep=True)
    elif actor.country_code:
        rows = compute(session, cycle, now, [actor.country_code], keep=True)
    else:
        rows = []
    return CycleHealth(cycle=cycle, rows=rows, all_rows=all_rows)


def country_names(session) -> dict[str, str]:
    return {code: name for code, name in session.execute(select(Country.code, Country.name))}


@dataclass
class CountryOverCycles:
    country: Country
    rows: list[tuple[ReportingCycle, CountryHealth]]  # oldest period first


def country_health(session, actor, code, now: datetime) -> CountryOverCycles:
    """One member state's figures in each cycle past planning that the actor may read: its own
    users and the secretariat every such cycle, everybody else the published ones only (an
    unknown code is 404). The figures take a fixed number of statements per cycle."""
    country = get_country(session, code)
    own = may(actor, "health.read_own", country)
    cycles = session.scalars(select(ReportingCycle).where(ReportingCycle.state != "planned")
                             .order_by(ReportingCycle.period_start, ReportingCycle.id))
    rows = []
    for cycle in cycles:
        if own or may(actor, "health.read_all", cycle):
            rows.append((cycle, compute(session, cycle, now, [country.code], keep=True)[0]))
    return CountryOverCycles(country=country, rows=rows)
