"""What a value may be, by unit; and how it compares with a country's floor and target."""
import math

from flask_babel import gettext

from coordination import i18n
from coordination.i18n import N_
from coordination.reporting import schemas
from coordination.reporting.models import AVAILABILITY, DISAGGREGATION_KEYS, NUMERIC_UNITS
from coordination.reporting.schemas import TEXT_MAX


def check_value(unit: str, value) -> tuple[dict, list[str]]:
    """The columns for ``value`` in ``unit`` ({"number"|"flag"|"text": ...}) or the problems."""
    if unit in ("percent", "number", "currency"):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return {}, [gettext("Enter a number.")]
        if value < 0:
            return {}, [gettext("The value may not be negative.")]
        if unit == "percent" and value > 100:
            return {}, [gettext("A percentage lies between 0 and 100.")]
        if unit == "number" and value != int(value):
            return {}, [gettext("Enter a whole number: this indicator counts (meetings, agreements, …).")]
        return {"number": float(value)}, []
    if unit == "yes_no":
        if not isinstance(value, bool):
            return {}, [gettext("Answer yes (true) or no (false).")]
        return {"flag": value}, []
    if unit == "text":
        if not isinstance(value, str) or not value.strip():
            return {}, [gettext("Enter the text.")]
        if len(value) > TEXT_MAX:
            return {}, [gettext("The text may be at most %(count)s characters long.", count=TEXT_MAX)]
        return {"text": value.strip()}, []
    return {}, [gettext("Unknown unit %(unit)s.", unit=repr(unit))]


# A yes/no answer or a text is given or not: it is never an estimate.
NO_ESTIMATE_UNITS = ("yes_no",)


def availabilities(indicator) -> tuple[str, ...]:
    """The availability flags an indicator's value may carry: no ``estimate`` for yes/no."""
    if indicator.unit in NO_ESTIMATE_UNITS:
        return tuple(a for a in AVAILABILITY if a != "estimate")
    return AVAILABILITY


def check_entry(indicator, data) -> tuple[dict, dict[str, list[str]]]:
    """Validate a PUT of one indicator's value (a dict, or a ``schemas.ValueInput``): its
    fields' types by the schema (ValidationError), then what depends on the indicator and the
    availability flag; return the columns to store, or errors."""
    entry = schemas.ValueInput.parse(data)
    errors: dict[str, list[str]] = {}
    columns = {"availability": entry.availability, "reason": entry.reason, "note": entry.note,
               "number": None, "flag": None, "text": None, "breakdown": None}
    value = entry.value
    if entry.availability not in availabilities(indicator):
        errors["availability"] = [gettext("A yes or no answer is not an estimate: answer it as reported, or flag "
                                          "it as not available or not applicable.")]
    if entry.availability in ("not_available", "not_applicable"):
        if value is not None:
            errors["value"] = [gettext("Send no value when the figure is not available or not applicable.")]
        if not entry.reason:
            errors["reason"] = [gettext("Say why there is no figure.")]
    elif value is None:
        errors["value"] = [gettext("Enter the value, or flag it as not available or not applicable with a reason.")]
    else:
        stored, problems = check_value(indicator.unit, value)
        if problems:
            errors["value"] = problems
        columns.update(stored)
    if entry.breakdown is not None and entry.availability in ("reported", "estimate"):
        columns["breakdown"], problems = check_breakdown(indicator, entry.breakdown)
        if problems:
            errors["breakdown"] = problems
    return columns, errors


def check_breakdown(indicator, breakdown) -> tuple[dict | None, list[str]]:
    """Values by sex or age group; each within what the indicator's unit allows."""
    allowed = {key for d in indicator.disaggregations or [] for key in DISAGGREGATION_KEYS.get(d, ())}
    if not isinstance(breakdown, dict):
        return None, [gettext("Send the breakdown as an object, e.g. %(example)s.",
                              example='{"female": 40.5, "male": 38.0}')]
    if not allowed and breakdown:
        return None, [gettext("This indicator is not disaggregated.")]
    problems, stored = [], {}
    for key, value in breakdown.items():
        if key not in allowed:
            problems.append(gettext("Unknown group %(group)s; use %(groups)s.", group=repr(key),
                                    groups=", ".join(sorted(allowed))))
            continue
        if value is None:
            continue
        column, value_problems = check_value(indicator.unit, value)
        problems.extend(f"{key}: {p}" for p in value_problems)
        if column:
            stored[key] = next(iter(column.values()))
    return (stored or None), problems


BELOW_FLOOR, AT_FLOOR, AT_TARGET = "below_floor", "at_or_above_floor", "at_or_above_target"
STATUS_LABELS = {BELOW_FLOOR: N_("Below floor"), AT_FLOOR: N_("At or above floor"),
                 AT_TARGET: N_("At or above target")}
# The same three standings of an indicator whose lower figures are better (its floor is the
# most a country accepts): the codes keep their meaning, short of the floor, meeting it, meeting the target.
LOWER_STATUS_LABELS = {BELOW_FLOOR: N_("Above floor (worse)"), AT_FLOOR: N_("At or below floor"),
                       AT_TARGET: N_("At or below target")}


def status_labels(better: str = "higher") -> dict:
    return LOWER_STATUS_LABELS if better == "lower" else STATUS_LABELS


def classify(value, floor: float | None, target: float | None, better: str = "higher") -> str | None:
    """Where a numeric value stands against the national floor and target (None: no basis).
    For an indicator whose ``better`` is ``lower``, meeting the floor or target is lying at or
    below it."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    sign = -1 if better == "lower" else 1
    if target is not None and sign * value >= sign * target:
        return AT_TARGET
    if floor is not None:
        return AT_FLOOR if sign * value >= sign * floor else BELOW_FLOOR
    return None


def standing(indicator, row, target) -> str | None:
    """Where the value entered in ``row`` for ``indicator`` stands against the country's floor and
    target (``target``: its NationalTarget or None); None for what is not a figure."""
    if indicator.unit not in NUMERIC_UNITS or row is None or row.availability not in ("reported", "estimate"):
        return None
    return classify(row.value, target.floor if target else None, target.target if target else None, indicator.better)


def format_value(value, unit: str = "number") -> str:
    """A value as people read it, in the language of the request: 34.9 %, 1,250, Yes/No, the
    text; an em dash when there is none."""
    if value is None:
        return "—"
    if isinstance(value, bool) or unit == "yes_no":
        return gettext("Yes") if value else gettext("No")
    if unit == "text" or not isinstance(value, int | float):
        return str(value)
    return i18n.format_percent(value) if unit == "percent" else i18n.format_number(value)
