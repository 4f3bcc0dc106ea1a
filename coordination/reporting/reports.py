"""Country reports: their values, the assignment of indicators to ministries (data requests),
the narrative, the secretariat's queries, and the report workflow. Services flush; the
caller commits. A refused change writes nothing: every check comes before the first write."""
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import select

from coordination import clock, workdays
from coordination.auth.policy import holds, may, may_enter_value, require
from coordination.directory.models import Ministry
from coordination.errors import Conflict, Forbidden, InvalidTransition, NotFound, StaleVersion, ValidationError
from coordination.i18n import N_
from coordination.ids import as_id
from coordination.items import service as items
from coordination.items import workflow as item_workflow
from coordination.items.models import ActionItem, ItemEvent
from coordination.reminders import notices
from coordination.reporting import checks, history, schemas, submissions, workflow
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
from coordination.reporting.values import check_entry, format_value
from coordination.schemas import validate_field


def get_report(session, actor, report_id, *, for_update: bool = False) -> CountryReport:
    statement = select(CountryReport).where(CountryReport.id == report_id)
    if for_update:
        # Refresh what the session may hold already: the version checked must be the locked row's.
        statement = statement.with_for_update().execution_options(populate_existing=True)
    report = session.scalar(statement) if as_id(report_id) else None
    if report is None or not may(actor, "report.read", report):
        raise NotFound(gettext("There is no such report."))
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


def require_editable(report: CountryReport) -> None:
    """Conflict unless the report takes changes now (its cycle open, the report not submitted)."""
    _require_editable(report)


def _require_editable(report: CountryReport) -> None:
    if not is_editable(report):
        if report.cycle.state != "open":
            raise Conflict(gettext("The reporting cycle is not open: the report can no longer be changed."))
        raise Conflict(gettext("The report is submitted and read-only until the secretariat sends it back."))


def allowed_report_triggers(actor, report: CountryReport) -> list[str]:
    possible = workflow.possible(workflow.report_machine, workflow.REPORT_TRIGGERS, report.state)
    return [t for t in possible if may(actor, f"report.{t}", report)]


def _check_version(report, version):
    version = validate_field(schemas.REPORT_VERSION, version, "version")
    if version != report.version:
        raise StaleVersion(report.version)


def fire_report(session, actor, report_id, trigger, version, now: datetime, *, comment=None,
                queries=None, outlier_points: float = checks.DEFAULT_OUTLIER_POINTS) -> CountryReport:
    """Fire ``trigger`` on the report, in the order of refusals of an item's steps: unknown
    trigger 422, unseen report 404, impossible now 409, not yours 403, stale version 409, bad
    input, a missing requirement or a failed check (reporting/checks.py) 422."""
    trigger = validate_field(schemas.REPORT_TRIGGER, trigger, "trigger")
    report = get_report(session, actor, report_id, for_update=True)
    possible = workflow.possible(workflow.report_machine, workflow.REPORT_TRIGGERS, report.state)
    if trigger not in possible:
        raise InvalidTransition(trigger, report.state, allowed_report_triggers(actor, report))
    if not may(actor, f"report.{trigger}", report):
        raise Forbidden(gettext("You may not do this to this report: %(step)s.",
                                step=gettext(workflow.REPORT_TRIGGER_LABELS[trigger])))
    _check_version(report, version)
    comment = validate_field(schemas.REPORT_COMMENT, comment, "comment")
    queries_to_add = _check_queries(report, queries) if trigger == "send_back" else []
    missing = missing_required(report) if trigger == "submit" else []
    failed = checks.blocking_fields(checks.report_checks(session, report, outlier_points)) \
        if trigger == "submit" else {}
    unmet = workflow.unmet(workflow.report_machine, report, trigger, comment=comment, missing=missing)
    if "missing" in unmet:
        del unmet["missing"]
        unmet.update({code: [gettext("Required: enter a value, or a flag with a reason.")] for code in missing})
        for code, messages in failed.items():
            unmet.setdefault(code, []).extend(messages)
        raise ValidationError(unmet, message=gettext(
            "The report cannot be submitted: required indicators are missing: %(codes)s.", codes=", ".join(missing)))
    if failed and not unmet:
        raise ValidationError(failed, message=gettext(
            "The report cannot be submitted: check these values first: %(codes)s.", codes=", ".join(failed)))
    if unmet:
        if "trigger" in unmet:
            raise Conflict(gettext(unmet["trigger"][0]))
        raise ValidationError({field: [gettext(m) for m in messages] for field, messages in unmet.items()})
    from_state = report.state
    workflow.fire(workflow.report_machine, report, trigger, comment=comment, missing=missing)
    if trigger == "submit":
        report.submitted_at = now
        if report.first_submitted_at is None:
            report.first_submitted_at = now
        submissions.snapshot(session, actor, report, now)
    if trigger == "accept":
        report.accepted_at = now
        close_data_requests(session, actor, report, now)
    report.updated_at = now
    event = ReportEvent(report_id=report.id, at=now, actor_id=actor.id, trigger=trigger, from_state=from_state,
                        to_state=report.state, comment=comment)
    session.add(event)
    session.flush()
    for code, question in queries_to_add:
        session.add(ReportQuery(report_id=report.id, event_id=event.id, indicator_code=code, question=question))
    session.flush()
    notices.report_changed(session, report, trigger, actor, now, comment=comment,
                           deadline=effective_deadline(report.cycle, report.country_code)[0])
    return report


QUERIES = N_("Send a list of {indicator_code, question}.")


def _check_queries(report, queries) -> list[tuple[str, str]]:
    """The (code, question) of each query of a send_back. Every problem is the field
    ``queries``'s (the page shows them beside it), a question's read after its code."""
    if queries in (None, []):
        return []
    if not isinstance(queries, list) or not all(isinstance(entry, dict) for entry in queries):
        raise ValidationError({"queries": [gettext(QUERIES)]})
    codes = {i.code for i in report.cycle.template.indicators} | set(NARRATIVE_GUARANTEES)
    cleaned, problems = [], []
    for entry in queries:
        try:
            query = schemas.QueryInput.parse(entry)
        except ValidationError as error:
            if "indicator_code" in error.fields:
                problems.extend(error.fields["indicator_code"])
            else:
                problems.extend(f"{entry['indicator_code'].strip()}: {m}" for m in error.fields["question"])
            continue
        if query.indicator_code not in codes:
            problems.append(gettext("%(code)s is not an indicator of this report's template (nor a narrative "
                                    "guarantee).", code=repr(query.indicator_code)))
        else:
            cleaned.append((query.indicator_code, query.question))
    if problems:
        raise ValidationError({"queries": problems})
    return cleaned


def answer_query(session, actor, report_id, query_id, answer: str, now: datetime) -> ReportQuery:
    report = get_report(session, actor, report_id)
    require(actor, "report.edit", report)
    if report.state not in ("returned", "drafting"):
        raise Conflict(gettext("Queries are answered while the report is returned or being revised."))
    query = session.get(ReportQuery, as_id(query_id)) if as_id(query_id) else None
    if query is None or query.report_id != report.id:
        raise NotFound(gettext("There is no such query on this report."))
    answer = schemas.QueryAnswer.parse({"answer": answer}).answer
    query.answer, query.answered_at, query.answered_by_id = answer, now, actor.id
    session.flush()
    return query


def not_in_template(code) -> str:
    return gettext("%(code)s is not an indicator of this report's template.", code=repr(code))


def indicator_of(report: CountryReport, code) -> Indicator | None:
    """The indicator of the report's template with this code, or None."""
    return next((i for i in report.cycle.template.indicators if i.code == code), None)


def _new_value_row(session, report: CountryReport, indicator: Indicator) -> IndicatorValue:
    row = IndicatorValue(report=report, indicator=indicator, reason="", note="")
    session.add(row)
    return row


def set_value(session, actor, report_id, code: str, data: dict, now: datetime, source: str = "api",
              import_name: str | None = None) -> IndicatorValue:
    """Save one indicator's value; each change is a row of its history (``source``: where it
    was entered, reporting/history.py; ``import_name``: the file of an import). A value that
    fails a check is saved all the same."""
    # Locked: a value changes the report's version; two entries at once would otherwise collide.
    report = get_report(session, actor, report_id, for_update=True)
    indicator = indicator_of(report, code)
    if indicator is None:
        raise ValidationError({"indicator_code": [not_in_template(code)]})
    row = values_by_code(report)[indicator.code]
    if not may_enter_value(actor, report, row):
        raise Forbidden(gettext("Only the coordinator, or staff of the ministry this indicator is assigned to, "
                                "enter it."))
    _require_editable(report)
    columns, errors = check_entry(indicator, data)
    if errors:
        raise ValidationError(errors)
    before = history.state_of(row) if row is not None and row.availability is not None else None
    row = row or _new_value_row(session, report, indicator)
    for name, value in columns.items():
        setattr(row, name, value)
    row.updated_by_id, row.updated_at = actor.id, now
    report.updated_at = now
    session.flush()
    history.record_change(session, actor, row, now, source, before, import_name)
    _move_data_request_on(session, actor, indicator, row, now)
    return row


def _value_comment(indicator: Indicator, row: IndicatorValue) -> str:
    if row.availability in ("not_available", "not_applicable"):
        flag = gettext("Not available") if row.availability == "not_available" else gettext("Not applicable")
        return gettext("Entered on the report: %(flag)s (%(reason)s).", flag=flag, reason=row.reason)
    return gettext("Entered on the report: %(value)s.", value=format_value(row.value, indicator.unit))


def _move_data_request_on(session, actor, indicator: Indicator, row: IndicatorValue, now: datetime) -> None:
    """The holding ministry's staff entered the value of its data request: the request moves on
    through the item workflow (accepted if it was only assigned, unblocked if it was blocked)
    to ``submitted``, waiting for the coordinator, with the value as the submission's comment.
    A value the coordinator enters moves nothing: the request stays with whoever holds it."""
    item = row.item
    if item is None or not holds(actor, item) or item.state not in item_workflow.HELD_BY_MINISTRY:
        return
    steps = {"assigned": ("accept", "submit"), "in_progress": ("submit",), "blocked": ("unblock", "submit")}
    comment = _value_comment(indicator, row)
    for trigger in steps[item.state]:
        items.fire_trigger(session, actor, item.id, trigger, item.version, now,
                           comment=comment if trigger == "submit" else None)


DEFAULT_LEAD_WORKING_DAYS = 10


def default_due_date(report: CountryReport, now: datetime, lead_working_days: int = DEFAULT_LEAD_WORKING_DAYS
                     ) -> date:
    """A data request's due date: ``lead_working_days`` working days of the country before the
    report's (effective) deadline; never in the past: when that day has gone by, the country's
    today if it is a working day, else its next working day."""
    code = report.country_code
    due = workdays.working_days_before(code, effective_deadline(report.cycle, code)[0], max(lead_working_days, 0))
    today = clock.local_today(report.country.timezone, now)
    return due if due >= today else workdays.on_or_after(code, today)


def data_request_title(indicator: Indicator, report: CountryReport) -> str:
    """The data request's title: the indicator by its name, its code last (the title is
    stored once, in the language of the coordinator who asks)."""
    return gettext("Data request: %(indicator)s, %(cycle)s (%(code)s)", indicator=indicator.name,
                   cycle=report.cycle.name, code=indicator.code)


def assign_indicator(session, actor, report_id, data: dict, now: datetime,
                     lead_working_days: int = DEFAULT_LEAD_WORKING_DAYS) -> IndicatorValue:
    """Give an indicator to a ministry: a data request (an action item) held by it, due
    ``lead_working_days`` working days before the report's deadline unless a due date is given."""
    report = get_report(session, actor, report_id)
    require(actor, "report.assign", report)
    _require_editable(report)
    body = schemas.AssignmentInput.parse(data)
    errors: dict[str, list[str]] = {}
    code = body.indicator_code
    indicator = indicator_of(report, code)
    if indicator is None:
        errors["indicator_code"] = [not_in_template(code)]
    ministry = session.get(Ministry, body.ministry_id)
    if ministry is None or ministry.country_code != report.country_code:
        errors["ministry_id"] = [gettext("Choose a ministry of this member state.")]
    if errors:
        raise ValidationError(errors)
    due = body.due_date or default_due_date(report, now, lead_working_days)
    row = values_by_code(report)[indicator.code]
    if row is not None and row.item is not None and row.item.is_open:
        raise Conflict(gettext("%(code)s is already requested from %(ministry)s: transfer that data request "
                               "instead, or cancel it first.", code=code, ministry=row.holding_ministry.acronym))
    item = items.create_item(session, actor, {
        "title": data_request_title(indicator, report)[:200],
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
        raise NotFound(gettext("There is no such section."))
    body = schemas.NarrativeInput.parse(data)
    linked = []
    for item_id in body.item_ids or []:
        item = session.get(ActionItem, as_id(item_id)) if as_id(item_id) else None
        if item is None or item.country_code != report.country_code:
            raise ValidationError({"item_ids": [gettext("Link action items of this member state only.")]})
        if item not in linked:
            linked.append(item)
    narrative = next((n for n in report.narratives if n.guarantee == guarantee), None)
    if narrative is None:
        narrative = Narrative(report=report, guarantee=guarantee)
        session.add(narrative)
    for section in NARRATIVE_SECTIONS:
        setattr(narrative, section, getattr(body, section))
    narrative.self_rating = body.self_rating
    narrative.items = linked
    session.flush()
    return narrative


def close_data_requests(session, actor, report: CountryReport, now: datetime) -> list[ActionItem]:
    """Once the report is accepted (or its cycle closed) its data requests are done with: one
    submitted to the coordinator is completed, one still open elsewhere is cancelled; either
    way none waits for anyone or falls overdue. Each step is in the item's history, by
    ``actor``, with the reason as its comment."""
    closed = []
    for row in report.values:
        item = row.item
        if item is None or item.state not in item_workflow.OPEN_STATES:
            continue
        trigger = "approve" if item.state == "submitted" else "cancel"
        if report.state == "accepted":
            comment = gettext("The country report was accepted: this data request is closed.")
        else:
            comment = gettext("The reporting cycle is closed: this data request is closed.")
        from_state = item.state
        item_workflow.fire(item, trigger, actor=actor, comment=comment, ministry=None)
        item.updated_at = now
        session.add(ItemEvent(item=item, at=now, actor_id=actor.id, trigger=trigger, from_state=from_state,
                              to_state=item.state, from_ministry_id=item.ministry_id,
                              to_ministry_id=item.ministry_id, comment=comment))
        closed.append(item)
    session.flush()
    return closed
