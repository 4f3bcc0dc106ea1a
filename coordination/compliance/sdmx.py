"""A published cycle's SDG 1.3.1 figures in SDMX-CSV, as the UN SDG Global Database takes them.

The layout is SDMX-CSV 2.0.0 (SDMX 3.0 technical standards, section 3A, "SDMX-CSV Data Format",
https://github.com/sdmx-twg/sdmx-csv/tree/master/data-message): ``STRUCTURE``,
``STRUCTURE_ID`` (``agency:id(version)`` of the dataflow) and ``ACTION`` first, then the
dimensions (``FREQ``, ``REPORTING_TYPE``, ``SERIES``, ``REF_AREA``, ``SEX``, ``TIME_PERIOD``),
the measure ``OBS_VALUE``, and the attributes ``UNIT_MEASURE`` and ``OBS_STATUS``; one
observation per row, in UTF-8 without a byte order mark.

Everything the file says that is not a figure is data, not code: the dataflow, the fixed
dimensions, the unit and the UN M49 area codes are in ``data/sdmx.json``; which indicator of the
template is which SDG series is the ``sdg_series`` of ``data/monitoring_format.json`` (an
indicator without one is not exported). Rows: one per member state, series and sex (``_T`` the
value, ``F`` and ``M`` its breakdown by sex), from the cycle's accepted reports only (the figures
the secretariat has accepted), values reported or estimated only (``OBS_STATUS`` ``A`` or ``E``).
``TIME_PERIOD`` is the year the figure describes: the value's reference year, else the year the
cycle's period ends.
"""
import csv
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from flask_babel import gettext
from sqlalchemy import select

from coordination.auth.policy import may
from coordination.errors import Conflict, NotFound
from coordination.reporting.cycles import get_cycle
from coordination.reporting.models import NUMERIC_UNITS, CountryReport, Indicator, IndicatorValue, ReportingCycle
from coordination.reporting.templates import default_format

COLUMNS = ("STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX",
           "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS")
MEDIA_TYPE = "text/csv"
SEXES = (("_T", None), ("F", "female"), ("M", "male"))  # SDMX code, key of the value's breakdown
SERIES_CODE = re.compile(r"\(([A-Z][A-Z0-9_]*)\)")


@cache
def spec() -> dict:
    return json.loads(resources.files("coordination.data").joinpath("sdmx.json").read_text())


def series_by_indicator(monitoring_format: dict | None = None) -> dict[str, str]:
    """The SDG series of each indicator code that has one: ``"SDG 1.3.1 (SI_COV_CHLD)"`` gives
    ``SI_COV_CHLD``."""
    found = {}
    for indicator in (monitoring_format or default_format())["indicators"]:
        match = SERIES_CODE.search(indicator.get("sdg_series") or "")
        if match:
            found[indicator["code"]] = match.group(1)
    return found


def area_code(country_code: str) -> str | None:
    """The country's UN M49 code as the SDG area code list writes it (no leading zeros)."""
    code = spec()["ref_area"]["codes"].get(country_code)
    return str(int(code)) if code else None


def number(value: float) -> str:
    return f"{value:.15g}"


@dataclass(frozen=True)
class Observation:
    series: str
    country: str  # ISO 3166-1 alpha-2, as the application names member states
    ref_area: str
    sex: str
    year: int
    value: float
    status: str


def observations(session, actor, cycle_id) -> tuple[ReportingCycle, list[Observation]]:
    """The cycle and its SDG observations. Whoever may read the cycle's comparison; 404 for
    the others (and for the cycle of another id), 409 while the cycle is not published."""
    cycle = get_cycle(session, cycle_id)
    if not may(actor, "comparison.read", cycle):
        raise NotFound(gettext("There is no such comparison: the cycle is not published yet."))
    if cycle.state != "published":
        raise Conflict(gettext("The SDMX file holds the figures of a published cycle only: publish the cycle "
                               "first."))
    series = series_by_indicator()
    statuses = spec()["obs_status"]
    found = session.execute(
        select(Indicator.code, CountryReport.country_code, IndicatorValue.availability, IndicatorValue.number,
               IndicatorValue.breakdown, IndicatorValue.reference_year)
        .join(CountryReport, CountryReport.id == IndicatorValue.report_id)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(CountryReport.cycle_id == cycle.id, CountryReport.state == "accepted",
               Indicator.code.in_(list(series)), Indicator.unit.in_(NUMERIC_UNITS),
               IndicatorValue.availability.in_(list(statuses)))).all()
    rows = []
    for code, country, availability, value, breakdown, reference_year in found:
        ref_area = area_code(country)
        if ref_area is None:
            continue
        parts = breakdown if isinstance(breakdown, dict) else {}
        for sex, key in SEXES:
            figure = value if key is None else parts.get(key)
            if isinstance(figure, int | float) and not isinstance(figure, bool):
                rows.append(Observation(series=series[code], country=country, ref_area=ref_area, sex=sex,
                                        year=reference_year or cycle.period_end.year, value=float(figure),
                                        status=statuses[availability]))
    order = {s: n for n, s in enumerate(series.values())}
    sexes = {code: n for n, (code, _) in enumerate(SEXES)}
    rows.sort(key=lambda o: (order[o.series], int(o.ref_area), sexes[o.sex]))
    return cycle, rows


def to_csv(rows: list[Observation]) -> bytes:
    """The SDMX-CSV 2.0.0 file of ``rows``."""
    layout = spec()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    dimensions = layout["dimensions"]
    for o in rows:
        writer.writerow([layout["structure"], layout["structure_id"], layout["action"], dimensions["FREQ"],
                         dimensions["REPORTING_TYPE"], o.series, o.ref_area, o.sex, o.year, number(o.value),
                         layout["unit_measure"], o.status])
    return out.getvalue().encode("utf-8")


def filename(cycle: ReportingCycle) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", cycle.name).strip("-").lower()[:60] or "cycle"
    return f"sdmx-{slug}.csv"
