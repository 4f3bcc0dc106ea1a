"""Checks of a report's values, run as values are saved and before submission.

The rules are the template's data (``MonitoringTemplate.rules``, from ``rules`` in
monitoring_format.json), one entry per rule, of a kind this module knows:

- ``total_within_parts``: for each of ``indicators``, the total lies between its parts
  (``parts``, breakdown keys, default female and male), give or take ``tolerance``;
- ``implies``: when ``if.indicator`` is answered ``if.equals``, ``then.indicator`` may not be
  answered other than ``then.equals`` (``message`` says what is wrong).

Besides them, one rule of the regional network: a percentage that moved more than
``outlier_points`` from the country's previous accepted value of the same indicator (in an
earlier cycle) is a warning, which a note on the value answers. Errors block submission; so
do warnings without a note. Every check of a report costs one query (the previous values),
whatever the number of indicators.
"""
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select

from coordination import i18n
from coordination.i18n import N_
from coordination.reporting.models import CountryReport, Indicator, IndicatorValue, ReportingCycle
from coordination.reporting.schemas import CODE_PATTERN
from coordination.reporting.values import format_value

RULE_KINDS = ("total_within_parts", "implies")
SEVERITIES = ("error", "warning")
OUTLIER_RULE = "outlier"
DEFAULT_OUTLIER_POINTS = 15.0
PART_LABELS = {"female": N_("female"), "male": N_("male")}
# The messages of the monitoring format's rules: the format is data, the catalogue learns them here.
FORMAT_MESSAGES = (
    N_("A common registration system is reported as in use (yes), but the coordination mechanism as not "
       "established (no): check both answers."),
)
RULE_ID_MAX, MESSAGE_MAX, RULES_MAX = 60, 500, 100


@dataclass(frozen=True)
class Check:
    rule: str
    severity: str  # error or warning
    indicator_codes: tuple[str, ...]
    message: str
    blocks_submission: bool  # an error; a warning until its value carries a note

    def as_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "indicator_codes": list(self.indicator_codes),
                "message": self.message, "blocks_submission": self.blocks_submission}


def _answer(row: IndicatorValue | None):
    """The value a row holds as a figure or answer (None: no value, or flagged without one)."""
    if row is None or row.availability not in ("reported", "estimate"):
        return None
    return row.value


def report_checks(session, report: CountryReport, outlier_points: float = DEFAULT_OUTLIER_POINTS) -> list[Check]:
    """Every check the report's values fail now, in template order: the template's rules, then
    the changes from the previous accepted values."""
    indicators = report.cycle.template.indicators
    by_id = {v.indicator_id: v for v in report.values}
    rows = {i.code: (i, by_id.get(i.id)) for i in indicators}
    found = []
    for rule in report.cycle.template.rules or []:
        if rule.get("kind") == "total_within_parts":
            found.extend(_within_parts(rule, rows))
        elif rule.get("kind") == "implies":
            found.extend(_implies(rule, rows))
    found.extend(_outliers(session, report, rows, outlier_points))
    return found


def _severity(rule: dict) -> str:
    return rule.get("severity") if rule.get("severity") in SEVERITIES else "error"


def _within_parts(rule: dict, rows: dict) -> list[Check]:
    parts = rule.get("parts") or ["female", "male"]
    tolerance = float(rule.get("tolerance") or 0)
    severity = _severity(rule)
    found = []
    for code in rule.get("indicators") or []:
        indicator, row = rows.get(code, (None, None))
        total = _answer(row)
        if indicator is None or not isinstance(total, int | float) or isinstance(total, bool):
            continue
        values = [(row.breakdown or {}).get(part) for part in parts]
        if any(not isinstance(v, int | float) or isinstance(v, bool) for v in values):
            continue  # a part not given: nothing to compare
        if min(values) - tolerance <= total <= max(values) + tolerance:
            continue
        shown = ", ".join(gettext("%(group)s %(value)s", group=gettext(PART_LABELS[p]) if p in PART_LABELS else p,
                                  value=format_value(v, indicator.unit)) for p, v in zip(parts, values, strict=True))
        found.append(Check(rule=str(rule.get("id") or "total_within_parts"), severity=severity,
                           indicator_codes=(code,), blocks_submission=severity == "error",
                           message=gettext("The total, %(total)s, lies outside its parts (%(parts)s): a total of "
                                           "both lies between them. Check the total and the breakdown.",
                                           total=format_value(total, indicator.unit), parts=shown)))
    return found


def _implies(rule: dict, rows: dict) -> list[Check]:
    given, then = rule.get("if") or {}, rule.get("then") or {}
    first, second = rows.get(given.get("indicator"), (None, None)), rows.get(then.get("indicator"), (None, None))
    if first[0] is None or second[0] is None:
        return []
    answer, other = _answer(first[1]), _answer(second[1])
    if answer is None or other is None or answer != given.get("equals") or other == then.get("equals"):
        return []
    severity = _severity(rule)
    message = rule.get("message") or gettext("%(first)s and %(second)s contradict each other: check both answers.",
                                             first=first[0].name, second=second[0].name)
    return [Check(rule=str(rule.get("id") or "implies"), severity=severity,
                  indicator_codes=(first[0].code, second[0].code), message=gettext(message),
                  blocks_submission=severity == "error")]


def previous_values(session, report: CountryReport, codes) -> dict[str, tuple[float, str]]:
    """The country's latest accepted figure of each code in a cycle before the report's (by
    deadline), with that cycle's name: one query over the country's reports."""
    if not codes:
        return {}
    found: dict[str, tuple[float, str]] = {}
    for code, number, name in session.execute(
            select(Indicator.code, IndicatorValue.number, ReportingCycle.name)
            .join(CountryReport, CountryReport.id == IndicatorValue.report_id)
            .join(ReportingCycle, ReportingCycle.id == CountryReport.cycle_id)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(CountryReport.country_code == report.country_code, CountryReport.state == "accepted",
                   CountryReport.id != report.id, ReportingCycle.deadline < report.cycle.deadline,
                   IndicatorValue.availability.in_(("reported", "estimate")), IndicatorValue.number.is_not(None),
                   Indicator.code.in_(list(codes)))
            .order_by(ReportingCycle.deadline.desc(), ReportingCycle.id.desc())):
        found.setdefault(code, (number, name))
    return found


def _outliers(session, report: CountryReport, rows: dict, points: float) -> list[Check]:
    current = {code: (indicator, row) for code, (indicator, row) in rows.items()
               if indicator.unit == "percent" and isinstance(_answer(row), int | float)}
    previous = previous_values(session, report, list(current))
    found = []
    for code, (_, row) in current.items():
        if code not in previous:
            continue
        before, cycle = previous[code]
        change = row.number - before
        if abs(change) <= points:
            continue
        found.append(Check(rule=OUTLIER_RULE, severity="warning", indicator_codes=(code,),
                           blocks_submission=not (row.note or "").strip(),
                           message=gettext("%(value)s is %(change)s points from %(previous)s in %(cycle)s (more "
                                           "than %(limit)s): a note on the value says why.",
                                           value=format_value(row.number, "percent"),
                                           change=i18n.format_number(round(abs(change), 1)),
                                           previous=format_value(before, "percent"), cycle=cycle,
                                           limit=i18n.format_number(points))))
    return found


def by_code(checks: list[Check]) -> dict[str, list[Check]]:
    """The checks concerning each indicator code."""
    found: dict[str, list[Check]] = {}
    for check in checks:
        for code in check.indicator_codes:
            found.setdefault(code, []).append(check)
    return found


def blocking_fields(checks: list[Check]) -> dict[str, list[str]]:
    """The 422 ``fields`` of the checks that block submission, by indicator code."""
    fields: dict[str, list[str]] = {}
    for check in checks:
        if not check.blocks_submission:
            continue
        message = check.message if check.severity == "error" else gettext(
            "Add a note to this value before you submit: %(message)s", message=check.message)
        for code in check.indicator_codes:
            fields.setdefault(code, []).append(message)
    return fields


# -- the rules as a template holds them --------------------------------------------------------

def rule_problems(rules, codes: set[str]) -> dict[str, list[str]]:
    """What is wrong with a template's ``rules`` (None or a list), by ``rules[n]``; ``codes``:
    the template's indicator codes."""
    if rules is None:
        return {}
    if not isinstance(rules, list) or len(rules) > RULES_MAX:
        return {"rules": [gettext("Send the checks as a list of at most %(count)s rules.", count=RULES_MAX)]}
    errors: dict[str, list[str]] = {}
    seen = set()
    for n, rule in enumerate(rules):
        problems = _problems(rule, codes)
        if not problems and rule["id"] in seen:
            problems = [gettext("%(rule)s appears twice.", rule=rule["id"])]
        if problems:
            errors[f"rules[{n}]"] = problems
        else:
            seen.add(rule["id"])
    return errors


def _code_problem(code, codes: set[str]) -> str | None:
    if not isinstance(code, str) or not CODE_PATTERN.match(code) or code not in codes:
        return gettext("%(code)s is not an indicator of this template.", code=repr(code))
    return None


def _problems(rule, codes: set[str]) -> list[str]:
    if not isinstance(rule, dict):
        return [gettext("Each rule is an object.")]
    problems = []
    rule_id = rule.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip() or len(rule_id) > RULE_ID_MAX:
        problems.append(gettext("id: name the rule (at most %(count)s characters).", count=RULE_ID_MAX))
    if rule.get("kind") not in RULE_KINDS:
        return [*problems, gettext("kind: one of %(choices)s.", choices=", ".join(RULE_KINDS))]
    if rule.get("severity", "error") not in SEVERITIES:
        problems.append(gettext("severity: one of %(choices)s.", choices=", ".join(SEVERITIES)))
    if rule["kind"] == "total_within_parts":
        listed = rule.get("indicators")
        if not isinstance(listed, list) or not listed:
            problems.append(gettext("indicators: list the codes of the totals."))
        else:
            problems.extend(p for p in (_code_problem(c, codes) for c in listed) if p)
        parts = rule.get("parts", ["female", "male"])
        if not isinstance(parts, list) or len(parts) < 2 or not all(isinstance(p, str) for p in parts):
            problems.append(gettext("parts: list two or more groups of the breakdown, e.g. female and male."))
        tolerance = rule.get("tolerance", 0)
        if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or not 0 <= tolerance <= 100:
            problems.append(gettext("tolerance: a number from 0 to 100."))
    else:
        for key in ("if", "then"):
            part = rule.get(key)
            if not isinstance(part, dict) or "equals" not in part or isinstance(part.get("equals"), list | dict):
                problems.append(gettext("%(key)s: an object with indicator and equals.", key=key))
            elif problem := _code_problem(part.get("indicator"), codes):
                problems.append(f"{key}: {problem}")
        message = rule.get("message", "")
        if not isinstance(message, str) or len(message) > MESSAGE_MAX:
            problems.append(gettext("message: text of at most %(count)s characters.", count=MESSAGE_MAX))
    return problems
