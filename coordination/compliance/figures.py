"""The regional comparison of one cycle and one country's progress across cycles: each
indicator's values, floors, targets and classification per member state, in a fixed number of
queries. Member states come in the order of their names; what the actor may not see answers 404.
"""
from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import select

from coordination.auth.policy import may
from coordination.directory.models import Country
from coordination.directory.service import get_country
from coordination.errors import NotFound
from coordination.reporting.cycles import get_cycle
from coordination.reporting.models import (
    DISAGGREGATION_KEYS,
    NUMERIC_UNITS,
    CountryReport,
    Indicator,
    IndicatorValue,
    ReportingCycle,
    value_of,
)
from coordination.reporting.targets import targets_by_country
from coordination.reporting.values import classify

# -- the regional comparison --------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One indicator of one member state: its value against its national floor and target."""

    country: str
    country_name: str
    submitted: bool
    value: object = None  # number, True/False, text, or None
    availability: str | None = None
    reason: str = ""
    floor: float | None = None
    target: float | None = None
    target_year: int | None = None
    status: str | None = None  # values.classify: below_floor, at_or_above_floor, at_or_above_target
    breakdown: dict | None = None  # the value's parts by sex: {"female": ..., "male": ...}


@dataclass
class IndicatorRow:
    code: str
    name: str
    unit: str
    guarantee: str
    required: bool
    better: str = "higher"
    cells: list[Cell] = field(default_factory=list)

    @property
    def numeric(self) -> bool:
        return self.unit in NUMERIC_UNITS


class ChoosesIndicator:
    """A page of several indicators that charts one: ``indicators`` in order, each ``numeric`` or not."""

    indicators: list

    def indicator(self, code: str | None):
        """The indicator asked for by its code; else the first numeric one; else the first."""
        numeric = [i for i in self.indicators if i.numeric]
        chosen = next((i for i in self.indicators if i.code == code), None)
        return chosen or (numeric[0] if numeric else (self.indicators[0] if self.indicators else None))


@dataclass
class Comparison(ChoosesIndicator):
    cycle: ReportingCycle
    countries: list[tuple[str, str]]  # (code, name) of every member state reporting in the cycle
    indicators: list[IndicatorRow]


def comparison(session, actor, cycle_id) -> Comparison:
    """Each indicator across member states, with their floors, targets and classification.
    Values of reports submitted at least once only. The secretariat always; member states and
    observers once the cycle is published (404 before)."""
    cycle = get_cycle(session, cycle_id)
    if not may(actor, "comparison.read", cycle):
        raise NotFound(gettext("There is no such comparison: the cycle is not published yet."))
    indicators = list(session.scalars(select(Indicator).where(Indicator.template_id == cycle.template_id)
                                      .order_by(Indicator.position, Indicator.id)))
    reports = session.execute(
        select(CountryReport.id, CountryReport.country_code, Country.name, CountryReport.first_submitted_at)
        .join(Country, Country.code == CountryReport.country_code)
        .where(CountryReport.cycle_id == cycle.id).order_by(Country.name, CountryReport.country_code)).all()
    values = {(report_id, indicator_id): (availability, number, flag, text, reason, breakdown)
              for report_id, indicator_id, availability, number, flag, text, reason, breakdown in session.execute(
                  select(IndicatorValue.report_id, IndicatorValue.indicator_id, IndicatorValue.availability,
                         IndicatorValue.number, IndicatorValue.flag, IndicatorValue.text, IndicatorValue.reason,
                         IndicatorValue.breakdown)
                  .join(CountryReport, CountryReport.id == IndicatorValue.report_id)
                  .where(CountryReport.cycle_id == cycle.id, CountryReport.first_submitted_at.is_not(None)))}
    targets = targets_by_country(session, {code for _, code, _, _ in reports})
    rows = []
    for indicator in indicators:
        row = IndicatorRow(code=indicator.code, name=indicator.name, unit=indicator.unit,
                           guarantee=indicator.guarantee, required=indicator.required, better=indicator.better)
        for report_id, code, name, first in reports:
            target = targets.get((code, indicator.code))
            floor_, goal = (target.floor, target.target) if target else (None, None)
            entry = values.get((report_id, indicator.id)) if first is not None else None
            if entry is None:
                row.cells.append(Cell(country=code, country_name=name, submitted=first is not None,
                                      floor=floor_, target=goal, target_year=target.target_year if target else None))
                continue
            availability, number, flag, text, reason, breakdown = entry
            reported = availability in ("reported", "estimate")
            value = value_of(indicator.unit, number, flag, text) if reported else None
            row.cells.append(Cell(
                country=code, country_name=name, submitted=True, value=value, availability=availability,
                reason=reason or "", floor=floor_, target=goal, target_year=target.target_year if target else None,
                status=classify(value, floor_, goal, indicator.better) if indicator.unit in NUMERIC_UNITS else None,
                breakdown=_sex_parts(breakdown) if reported else None))
        rows.append(row)
    return Comparison(cycle=cycle, countries=[(code, name) for _, code, name, _ in reports], indicators=rows)


def _sex_parts(breakdown) -> dict | None:
    """The female and male parts of a stored breakdown, or None when it has neither."""
    if not isinstance(breakdown, dict):
        return None
    parts = {key: breakdown.get(key) for key in DISAGGREGATION_KEYS["sex"]}
    return parts if any(v is not None for v in parts.values()) else None


# -- one country's progress across cycles ------------------------------------------------------

@dataclass
class ProgressRow:
    code: str
    name: str
    unit: str
    floor: float | None
    target: float | None
    target_year: int | None
    values: dict[int, tuple[object, str | None]] = field(default_factory=dict)  # cycle id: (value, availability)
    better: str = "higher"

    @property
    def numeric(self) -> bool:
        return self.unit in NUMERIC_UNITS

    def status(self, cycle_id: int) -> str | None:
        value = self.values.get(cycle_id, (None, None))[0]
        return classify(value, self.floor, self.target, self.better) if self.numeric else None


@dataclass
class Progress(ChoosesIndicator):
    country: Country
    cycles: list[ReportingCycle]  # oldest first
    indicators: list[ProgressRow]


def progress(session, actor, code) -> Progress:
    """A member state's submitted values, indicator by indicator, across the cycles the actor
    may compare: published ones for everybody who may read the comparison; every cycle for
    the country's own users and the secretariat."""
    country = get_country(session, code)
    if not may(actor, "progress.read", country):
        raise NotFound(gettext("There is no such member state."))
    conditions = [CountryReport.country_code == country.code, CountryReport.first_submitted_at.is_not(None)]
    if not may(actor, "progress.read_unpublished", country):
        conditions.append(ReportingCycle.state == "published")
    cycles = list(session.scalars(
        select(ReportingCycle).join(CountryReport, CountryReport.cycle_id == ReportingCycle.id)
        .where(*conditions).order_by(ReportingCycle.deadline, ReportingCycle.id)))
    found = session.execute(
        select(ReportingCycle.id, Indicator.code, Indicator.name, Indicator.unit, Indicator.position,
               IndicatorValue.availability, IndicatorValue.number, IndicatorValue.flag, IndicatorValue.text,
               Indicator.better)
        .join(CountryReport, CountryReport.id == IndicatorValue.report_id)
        .join(ReportingCycle, ReportingCycle.id == CountryReport.cycle_id)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(*conditions)
        .order_by(ReportingCycle.deadline, ReportingCycle.id, Indicator.position)).all()
    # Floors and targets are the country's own: shown to those who may read them.
    targets = targets_by_country(session, [country.code]) if may(actor, "targets.read", country) else {}
    rows: dict[str, ProgressRow] = {}
    for cycle_id, code_, name, unit, _, availability, number, flag, text, better in found:
        target = targets.get((country.code, code_))
        row = rows.get(code_)
        if row is None:
            row = rows[code_] = ProgressRow(code=code_, name=name, unit=unit, floor=target.floor if target else None,
                                            target=target.target if target else None,
                                            target_year=target.target_year if target else None)
        else:  # the newest cycle names the indicator
            row.name, row.unit = name, unit
        row.better = better
        value = value_of(unit, number, flag, text) if availability in ("reported", "estimate") else None
        row.values[cycle_id] = (value, availability)
    return Progress(country=country, cycles=cycles, indicators=list(rows.values()))
