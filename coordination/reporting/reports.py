"""Country reports: their values, the assignment of indicators to ministries (data requests),
the narrative, the secretariat's queries, and the report workflow. Services flush; the
caller commits. A refused change writes nothing: every check comes before the first write."""
from datetime import datetime, timedelta

from sqlalchemy import select

from coordination.auth.policy import may, may_enter_value, require
from coordination.dates import date_field
from coordination.directory.models import Ministry
from coordination.errors import Conflict, Forbidden, InvalidTransition, NotFound, StaleVersion, ValidationError
from coordination.ids import as_id, is_number
from coordination.items import service as items
from coordination.items.models import ActionItem
from coordination.reminders import notices
from coordination.reporting import workflow
from coordination.reporting.models import (
    NARRATIVE_GUARANTEES,
    NARRATIVE_SECTIONS,
    CountryReport,
    Indicator,
    IndicatorValue,
    Narrative,
    ReportEvent,
    ReportQuery,
)
from coordination.reporting.rules import effective_deadline
from coordination.reporting.schemas import NARRATIVE_MAX
from coordination.reporting.values import check_entry


def get_report(session, actor, report_id, *, for_update: bool = False) -> CountryReport:
    statement = select(CountryReport).where(CountryReport.id == report_id)
    if for_update:
        # Refresh what the session may hold already: the version checked must be the locked row's.
        statement = statement.with_for_update().execution_options(populate_existing=True)
    report = session.scalar(statement) if as_id(report_id) else None
    if report is None or not may(actor, "report.read", report):
        raise NotFound("There is no such report.")
    return report


def values_by_code(report: CountryReport) -> dict[str, IndicatorValue | None]:
    """Every indicator of the report's template, in template order, with its value row if any."""
    rows = {v.indicator_id: v for v in report.values}
    return {i.code: rows.get(i.id) for i in report.cycle.template.indicators}


def missing_required(report: CountryReport) -> list[str]:
    answered = {v.indicator_id for v in report.values if v.answered}
    return [i.code for i in report.cycle.template.indicators if i.required and i.id not in answered]


def completeness(report: CountryReport) -> float:
    required = [i for i in report.cycle.template.indicators if i.required]
    if not required:
        return 100.0
    return round(100.0 * (len(required) - len(missing_required(report))) / len(required), 1)


def is_editable(report: CountryReport) -> bool:
    return report.cycle.state == "open" and report.state in ("not_started", "drafting")


def _require_editable(report: CountryReport) -> None:
    if not is_editable(report):
        if report.cycle.state != "open":
            raise Conflict("The reporting cycle is not open: the report can no longer be changed.")
        raise Conflict("The report is submitted and read-only until the secretariat sends it back.")


def allowed_report_triggers(actor, report: CountryReport) -> list[str]:
    possible = workflow.possible(workflow.report_machine, workflow.REPORT_TRIGGERS, report.state)
    return [t for t in possible if may(actor, f"report.{t}", report)]


def _check_version(report, version):
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError({"version": ["Send the version of the report you saw (a whole number)."]})
    if version != report.version:
        raise StaleVersion(report.version)


def fire_report(session, actor, report_id, trigger, version, now: datetime, *, comment=None,
                queries=None) -> CountryReport:
    if trigger not in workflow.REPORT_TRIGGERS:
        raise ValidationError({"trigger": [f"Unknown trigger. Triggers: {', '.join(workflow.REPORT_TRIGGERS)}."]})
    report = get_report(session, actor, report_id, for_update=True)
    possible = workflow.possible(workflow.report_machine, workflow.REPORT_TRIGGERS, report.state)
    if trigger not in possible:
        raise InvalidTransition(trigger, report.state, allowed_report_triggers(actor, report))
    if not may(actor, f"report.{trigger}", report):
        raise Forbidden(f"You may not {workflow.REPORT_TRIGGER_LABELS[trigger].lower()} this report.")
    _check_version(report, version)
    comment = comment if isinstance(comment, str) else ""
    queries_to_add = _check_queries(report, queries) if trigger == "send_back" else []
    missing = missing_required(report) if trigger == "submit" else []
    unmet = workflow.unmet(workflow.report_machine, report, trigger, comment=comment, missing=missing)
    if "missing" in unmet:
        del unmet["missing"]
        unmet.update({code: ["Required: enter a value, or a flag with a reason."] for code in missing})
        raise ValidationError(unmet, message="The report cannot be submitted: required indicators are missing: "
                                             + ", ".join(missing) + ".")
    if unmet:
        if "trigger" in unmet:
            raise Conflict(unmet["trigger"][0])
        raise ValidationError(unmet)
    from_state = report.state
    workflow.fire(workflow.report_machine, report, trigger, comment=comment, missing=missing)
    if trigger == "submit":
        report.submitted_at = now
        if report.first_submitted_at is None:
            report.first_submitted_at = now
    if trigger == "accept":
        report.accepted_at = now
    report.updated_at = now
    event = ReportEvent(report_id=report.id, at=now, actor_id=actor.id, trigger=trigger, from_state=from_state,
                        to_state=report.state, comment=comment.strip())
    session.add(event)
    session.flush()
    for code, question in queries_to_add:
        session.add(ReportQuery(report_id=report.id, event_id=event.id, indicator_code=code, question=question))
    session.flush()
    notices.report_changed(session, report, trigger, actor, now, comment=comment.strip(),
                           deadline=effective_deadline(report.cycle, report.country_code)[0])
    return report


def _check_queries(report, queries) -> list[tuple[str, str]]:
    if queries in (None, []):
        return []
    codes = {i.code for i in report.cycle.template.indicators} | set(NARRATIVE_GUARANTEES)
    if not isinstance(queries, list):
        raise ValidationError({"queries": ["Send a list of {indicator_code, question}."]})
    cleaned, problems = [], []
    for entry in queries:
        code = entry.get("indicator_code") if isinstance(entry, dict) else None
        question = entry.get("question") if isinstance(entry, dict) else None
        if code not in codes:
            problems.append(f"{code!r} is not an indicator of this report's template (nor a narrative guarantee).")
        elif not isinstance(question, str) or not question.strip():
            problems.append(f"{code}: write the question.")
        else:
            cleaned.append((code, question.strip()))
    if problems:
        raise ValidationError({"queries": problems})
    return cleaned


def answer_query(session, actor, report_id, query_id, answer: str, now: datetime) -> ReportQuery:
    report = get_report(session, actor, report_id)
    require(actor, "report.edit", report)
    if report.state not in ("returned", "drafting"):
        raise Conflict("Queries are answered while the report is returned or being revised.")
    query = session.get(ReportQuery, as_id(query_id)) if as_id(query_id) else None
    if query is None or query.report_id != report.id:
        raise NotFound("There is no such query on this report.")
    if not isinstance(answer, str) or not answer.strip():
        raise ValidationError({"answer": ["Write the answer."]})
    query.answer, query.answered_at, query.answered_by_id = answer.strip(), now, actor.id
    session.flush()
    return query


def indicator_of(report: CountryReport, code) -> Indicator | None:
    """The indicator of the report's template with this code, or None."""
    return next((i for i in report.cycle.template.indicators if i.code == code), None)


def _new_value_row(session, report: CountryReport, indicator: Indicator) -> IndicatorValue:
    row = IndicatorValue(report=report, indicator=indicator, reason="", note="")
    session.add(row)
    return row


def set_value(session, actor, report_id, code: str, data: dict, now: datetime) -> IndicatorValue:
    # Locked: a value changes the report's version; two entries at once would otherwise collide.
    report = get_report(session, actor, report_id, for_update=True)
    indicator = indicator_of(report, code)
    if indicator is None:
        raise ValidationError({"indicator_code": [f"{code!r} is not an indicator of this report's template."]})
    row = values_by_code(report)[indicator.code]
    if not may_enter_value(actor, report, row):
        raise Forbidden("Only the coordinator, or staff of the ministry this indicator is assigned to, enter it.")
    _require_editable(report)
    columns, errors = check_entry(indicator, data)
    if errors:
        raise ValidationError(errors)
    row = row or _new_value_row(session, report, indicator)
    for name, value in columns.items():
        setattr(row, name, value)
    row.updated_by_id, row.updated_at = actor.id, now
    report.updated_at = now
    session.flush()
    return row


def assign_indicator(session, actor, report_id, data: dict, now: datetime, lead_days: int = 14) -> IndicatorValue:
    """Give an indicator to a ministry: a data request (an action item) held by it."""
    report = get_report(session, actor, report_id)
    require(actor, "report.assign", report)
    _require_editable(report)
    errors: dict[str, list[str]] = {}
    code = data.get("indicator_code")
    indicator = indicator_of(report, code)
    if indicator is None:
        errors["indicator_code"] = [f"{code!r} is not an indicator of this report's template."]
    ministry_id = as_id(data.get("ministry_id"))
    ministry = session.get(Ministry, ministry_id) if ministry_id else None
    if ministry is None or ministry.country_code != report.country_code:
        errors["ministry_id"] = ["Choose a ministry of this member state."]
    deadline, _ = effective_deadline(report.cycle, report.country_code)
    due = deadline - timedelta(days=lead_days)
    if data.get("due_date") not in (None, ""):
        due = date_field(errors, "due_date", data.get("due_date"), "Enter the due date as a date, e.g. 2027-03-17.")
    if errors:
        raise ValidationError(errors)
    row = values_by_code(report)[indicator.code]
    if row is not None and row.item is not None and row.item.is_open:
        raise Conflict(f"{code} is already requested from {row.holding_ministry.acronym}: transfer that data request "
                       "instead, or cancel it first.")
    item = items.create_item(session, actor, {
        "title": f"Data request: {indicator.code} ({report.cycle.name})"[:200],
        "description": f"Supply the figure for “{indicator.name}” for the {report.cycle.name} report.\n\n"
                       f"{indicator.definition}",
        "due_date": due, "ministry_id": ministry.id, "guarantee": indicator.guarantee,
    }, now)
    items.fire_trigger(session, actor, item.id, "assign", item.version, now)
    row = row or _new_value_row(session, report, indicator)
    row.ministry_id, row.item = ministry.id, item
    session.flush()
    return row


def save_narrative(session, actor, report_id, guarantee: str, data: dict) -> Narrative:
    report = get_report(session, actor, report_id)
    require(actor, "report.edit", report)
    _require_editable(report)
    if guarantee not in NARRATIVE_GUARANTEES:
        raise NotFound("There is no such section.")
    errors: dict[str, list[str]] = {}
    texts = {}
    for section in NARRATIVE_SECTIONS:
        value = data.get(section, "")
        if not isinstance(value, str):
            errors[section] = ["Text, please."]
        elif len(value) > NARRATIVE_MAX:
            errors[section] = [f"At most {NARRATIVE_MAX} characters."]
        else:
            texts[section] = value.strip()
    rating = data.get("self_rating")
    if isinstance(rating, str) and is_number(rating.strip()):
        rating = int(rating)
    if rating in ("", None):
        rating = None
    elif isinstance(rating, bool) or rating not in (1, 2, 3, 4):
        errors["self_rating"] = ["Rate the guarantee from 1 to 4."]
    linked = []
    item_ids = data.get("item_ids") or []
    if not isinstance(item_ids, list):
        errors["item_ids"] = ["Send a list of action item ids."]
    else:
        for item_id in item_ids:
            item = session.get(ActionItem, as_id(item_id)) if as_id(item_id) else None
            if item is None or item.country_code != report.country_code:
                errors["item_ids"] = ["Link action items of this member state only."]
                break
            if item not in linked:
                linked.append(item)
    if errors:
        raise ValidationError(errors)
    narrative = next((n for n in report.narratives if n.guarantee == guarantee), None)
    if narrative is None:
        narrative = Narrative(report=report, guarantee=guarantee)
        session.add(narrative)
    for section, text in texts.items():
        setattr(narrative, section, text)
    narrative.self_rating = rating
    narrative.items = linked
    session.flush()
    return narrative
