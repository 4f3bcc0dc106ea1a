"""The coordination-health table of a cycle as the actor may read it."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from werkzeug.exceptions import NotFound

from coordination.auth.policy import may
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
        rows = compute(session, cycle, now)
    elif actor.country_code:
        rows = compute(session, cycle, now, [actor.country_code])
    else:
        rows = []
    return CycleHealth(cycle=cycle, rows=rows, all_rows=all_rows)
