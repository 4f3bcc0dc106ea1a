"""Monitoring templates, reporting cycles, country reports. Services flush; the caller commits."""
import json
import math
from datetime import date, datetime, timedelta
from importlib import resources

from sqlalchemy import exists, func, select

from coordination.auth.policy import may, may_see, require
from coordination.dates import date_field
from coordination.directory.models import Country, Ministry
from coordination.errors import Conflict, Forbidden, InvalidTransition, NotFound, StaleVersion, ValidationError
from coordination.ids import as_id, is_number
from coordination.items import service as items
from coordination.items.models import ActionItem
from coordination.reminders import notices
from coordination.reporting import schemas, workflow
from coordination.reporting.models import (
    NARRATIVE_GUARANTEES,
    NARRATIVE_SECTIONS,
    CountryReport,
    CycleEvent,
    Extension,
    Indicator,
    IndicatorValue,
    MonitoringTemplate,
    Narrative,
    NationalTarget,
    ReportEvent,
    ReportingCycle,
    ReportQuery,
)
from coordination.reporting.schemas import CODE_PATTERN, NARRATIVE_MAX
from coordination.reporting.values import check_entry


def default_format() -> dict:
    return json.loads(resources.files("coordination.data").joinpath("monitoring_format.json").read_text())


# -- templates --------------------------------------------------------------------------------

def get_template(session, template_id) -> MonitoringTemplate:
    template = session.get(MonitoringTemplate, as_id(template_id)) if as_id(template_id) else None
    if template is None:
        raise NotFound("There is no such monitoring template.")
    return template


def template_in_use(session, template: MonitoringTemplate) -> bool:
    return session.scalar(select(exists().where(ReportingCycle.template_id == template.id)))


def _repeated_codes(indicators) -> dict[str, list[str]]:
    """Each indicator code once per template."""
    errors, seen = {}, set()
    for n, indicator in enumerate(indicators):
        if indicator.code in seen:
            errors[f"indicators[{n}]"] = [f"code: {indicator.code} appears twice."]
        seen.add(indicator.code)
    return errors


def save_template(session, actor, data: dict, template: MonitoringTemplate | None = None) -> MonitoringTemplate:
    require(actor, "templates.manage")
    if template is not None and template_in_use(session, template):
        raise Conflict("This template is used by a reporting cycle: copy it into a new one to change it.")
    body = schemas.TemplateInput.parse(data)
    errors: dict[str, list[str]] = {}
    if session.scalar(select(MonitoringTemplate.id).where(
            MonitoringTemplate.name == body.name, MonitoringTemplate.id != (template.id if template else -1))):
        errors["name"] = ["Another template has this name."]
    errors.update(_repeated_codes(body.indicators))
    if errors:
        raise ValidationError(errors)
    if template is None:
        template = MonitoringTemplate()
        session.add(template)
    template.name = body.name
    template.description = body.description
    if template.id is not None:
        # Delete the old rows first: the new ones may reuse their codes (unique per template).
        template.indicators = []
        session.flush()
    template.indicators = [Indicator(**spec.model_dump(), position=n) for n, spec in enumerate(body.indicators)]
    session.flush()
    return template


def copy_template(session, actor, template_id, name: str) -> MonitoringTemplate:
    source = get_template(session, template_id)
    data = {"name": name, "description": source.description, "indicators": [
        {"code": i.code, "name": i.name, "guarantee": i.guarantee, "unit": i.unit, "required": i.required,
         "definition": i.definition, "disaggregations": i.disaggregations} for i in source.indicators]}
    copy = save_template(session, actor, data)
    copy.copied_from_id = source.id
    return copy


def ensure_default_template(session) -> MonitoringTemplate:
    """The common monitoring format of the regional network, from the package data."""
    spec = default_format()
    template = session.scalar(select(MonitoringTemplate).where(MonitoringTemplate.name == spec["name"]))
    if template is None:
        template = MonitoringTemplate(name=spec["name"], description=spec["about"])
        template.indicators = [
            Indicator(code=i["code"], name=i["name"], guarantee=i["guarantee"], unit=i["unit"],
                      required=i["required"], definition=i.get("definition", ""),
                      disaggregations=i.get("disaggregations") or [], position=n)
            for n, i in enumerate(spec["indicators"])
        ]
        session.add(template)
        session.flush()
    return template


# -- cycles ------------------------------------------------------------------------------------

def get_cycle(session, cycle_id) -> ReportingCycle:
    cycle = session.get(ReportingCycle, as_id(cycle_id)) if as_id(cycle_id) else None
    if cycle is None:
        raise NotFound("There is no such reporting cycle.")
    return cycle


def create_cycle(session, actor, data: dict, now: datetime) -> ReportingCycle:
    require(actor, "cycles.manage")
    errors: dict[str, list[str]] = {}
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        errors["name"] = ["Give the cycle a name of at most 200 characters."]
    elif session.scalar(select(ReportingCycle.id).where(ReportingCycle.name == name.strip())):
        errors["name"] = ["Another cycle has this name."]
    template_id = as_id(data.get("template_id"))
    template = session.get(MonitoringTemplate, template_id) if template_id else None
    if template is None:
        errors["template_id"] = ["Choose a monitoring template."]
    dates = {}
    for field in ("period_start", "period_end", "deadline"):
        dates[field] = date_field(errors, field, data.get(field), "Enter a date, e.g. 2027-03-31.")
    if dates["period_start"] and dates["period_end"] and dates["period_start"] > dates["period_end"]:
        errors["period_end"] = ["The period ends before it starts."]
    if errors:
        raise ValidationError(errors)
    cycle = ReportingCycle(name=name.strip(), template_id=template.id, state="planned", created_at=now, **dates)
    session.add(cycle)
    session.flush()
    session.add(CycleEvent(cycle_id=cycle.id, at=now, actor_id=actor.id, trigger="create", to_state="planned"))
    session.flush()
    return cycle


def fire_cycle(session, actor, cycle_id, trigger, now: datetime) -> ReportingCycle:
    if trigger not in workflow.CYCLE_TRIGGERS:
        raise ValidationError({"trigger": [f"Unknown trigger. Triggers: {', '.join(workflow.CYCLE_TRIGGERS)}."]})
    cycle = get_cycle(session, cycle_id)
    possible = workflow.possible(workflow.cycle_machine, workflow.CYCLE_TRIGGERS, cycle.state)
    if trigger not in possible:
        raise InvalidTransition(trigger, cycle.state, possible if may(actor, "cycles.manage") else [])
    require(actor, "cycles.manage")
    from_state = cycle.state
    workflow.fire(workflow.cycle_machine, cycle, trigger)
    if trigger == "open":
        existing = set(session.scalars(select(CountryReport.country_code).where(CountryReport.cycle_id == cycle.id)))
        for code in session.scalars(select(Country.code).order_by(Country.code)):
            if code not in existing:
                session.add(CountryReport(cycle_id=cycle.id, country_code=code, state="not_started", updated_at=now))
    if trigger == "publish":
        cycle.published_at = now
    session.add(CycleEvent(cycle_id=cycle.id, at=now, actor_id=actor.id, trigger=trigger,
                           from_state=from_state, to_state=cycle.state))
    session.flush()
    return cycle


def effective_deadline(cycle: ReportingCycle, country_code: str) -> tuple[date, Extension | None]:
    """The deadline that applies to a country: the latest extension granted, else the cycle's."""
    granted = [e for e in cycle.extensions if e.country_code == country_code]
    if granted:
        return granted[-1].deadline, granted[-1]
    return cycle.deadline, None


def grant_extension(session, actor, cycle_id, data: dict, now: datetime) -> Extension:
    cycle = get_cycle(session, cycle_id)
    require(actor, "cycles.manage")
    errors: dict[str, list[str]] = {}
    country = data.get("country")
    in_cycle = isinstance(country, str) and session.scalar(select(CountryReport.id).where(
        CountryReport.cycle_id == cycle.id, CountryReport.country_code == country.upper()))
    if not in_cycle:
        errors["country"] = ["Choose a member state that reports in this cycle (open the cycle first)."]
    deadline = date_field(errors, "deadline", data.get("deadline"),
                          "Enter the new deadline as a date, e.g. 2027-04-15.")
    if deadline is not None and deadline <= cycle.deadline:
        errors["deadline"] = [f"An extension ends after the cycle's deadline ({cycle.deadline.isoformat()})."]
    reason = data.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = ["Record why the extension is granted."]
    if errors:
        raise ValidationError(errors)
    extension = Extension(cycle_id=cycle.id, country_code=country.upper(), deadline=deadline,
                          reason=reason.strip(), granted_by_id=actor.id, granted_at=now)
    session.add(extension)
    cycle.extensions.append(extension)
    session.add(CycleEvent(cycle_id=cycle.id, at=now, actor_id=actor.id, trigger="extension",
                           from_state=cycle.state, to_state=cycle.state, country_code=country.upper(),
                           comment=f"Deadline extended to {deadline.isoformat()}: {reason.strip()}"))
    session.flush()
    return extension


# -- reports -----------------------------------------------------------------------------------

def get_report(session, actor, report_id, *, for_update: bool = False) -> CountryReport:
    statement = select(CountryReport).where(CountryReport.id == report_id)
    if for_update:
        # Refresh what the session may hold already: the version checked must be the locked row's.
        statement = statement.with_for_update().execution_options(populate_existing=True)
    report = session.scalar(statement) if as_id(report_id) else None
    if report is None or not may_see(actor, report) or not may(actor, "report.read", report):
        raise NotFound("There is no such report.")
    return report


def values_by_code(report: CountryReport) -> dict[str, IndicatorValue | None]:
    """Every indicator of the report's template, in template order, with its value row if any."""
    rows = {v.indicator_id: v for v in report.values}
    return {i.code: rows.get(i.id) for i in report.cycle.template.indicators}


def _value_row(session, report: CountryReport, indicator: Indicator) -> IndicatorValue:
    """The value row of ``indicator`` in ``report``, created when it does not exist yet."""
    row = values_by_code(report)[indicator.code]
    if row is None:
        row = IndicatorValue(report=report, indicator=indicator, reason="", note="")
        session.add(row)
    return row


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


def _indicator(report, code) -> Indicator:
    for indicator in report.cycle.template.indicators:
        if indicator.code == code:
            return indicator
    raise ValidationError({"indicator_code": [f"{code!r} is not an indicator of this report's template."]})


def set_value(session, actor, report_id, code: str, data: dict, now: datetime) -> IndicatorValue:
    # Locked: a value changes the report's version; two entries at once would otherwise collide.
    report = get_report(session, actor, report_id, for_update=True)
    indicator = _indicator(report, code)
    row = _value_row(session, report, indicator)
    if not may(actor, "report.value", row):
        raise Forbidden("Only the coordinator, or staff of the ministry this indicator is assigned to, enter it.")
    _require_editable(report)
    columns, errors = check_entry(indicator, data)
    if errors:
        raise ValidationError(errors)
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
    indicator = next((i for i in report.cycle.template.indicators if i.code == code), None)
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
    row = _value_row(session, report, indicator)
    if row.item is not None and row.item.is_open:
        raise Conflict(f"{code} is already requested from {row.holding_ministry.acronym}: transfer that data request "
                       "instead, or cancel it first.")
    item = items.create_item(session, actor, {
        "title": f"Data request: {indicator.code} ({report.cycle.name})"[:200],
        "description": f"Supply the figure for “{indicator.name}” for the {report.cycle.name} report.\n\n"
                       f"{indicator.definition}",
        "due_date": due, "ministry_id": ministry.id, "guarantee": indicator.guarantee,
    }, now)
    items.fire_trigger(session, actor, item.id, "assign", item.version, now)
    row.ministry_id, row.item = ministry.id, item
    session.flush()
    return row


def data_request_for(session, item: ActionItem) -> IndicatorValue | None:
    return session.scalar(select(IndicatorValue).where(IndicatorValue.item_id == item.id))


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


# -- floors and targets --------------------------------------------------------------------------

def targets_for(session, country_code: str) -> dict[str, NationalTarget]:
    return {t.indicator_code: t for t in session.scalars(
        select(NationalTarget).where(NationalTarget.country_code == country_code))}


def set_target(session, actor, country_code: str, code: str, data: dict, now: datetime) -> NationalTarget:
    country = session.get(Country, country_code)
    if country is None:
        raise NotFound("There is no such member state.")
    require(actor, "targets.edit", country)
    errors: dict[str, list[str]] = {}
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        errors["indicator_code"] = ["Name an indicator code."]
    numbers = {}
    for field in ("floor", "target"):
        value = data.get(field)
        if isinstance(value, str):
            value = value.strip()
            try:
                value = float(value) if value else None
            except ValueError:
                errors[field] = ["Enter a number."]
                continue
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not math.isfinite(value) or value < 0):
            errors[field] = ["Enter a number that is not negative."]
        numbers[field] = value
    year = data.get("target_year")
    if isinstance(year, str):
        year = int(year) if is_number(year.strip()) else (None if not year.strip() else "bad")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100):
        errors["target_year"] = ["Enter a year between 2000 and 2100."]
    if not errors and numbers.get("floor") is not None and numbers.get("target") is not None \
            and numbers["target"] < numbers["floor"]:
        errors["target"] = ["The target lies at or above the floor."]
    if errors:
        raise ValidationError(errors)
    target = session.scalar(select(NationalTarget).where(
        NationalTarget.country_code == country.code, NationalTarget.indicator_code == code))
    if target is None:
        target = NationalTarget(country_code=country.code, indicator_code=code)
        session.add(target)
    target.floor, target.target, target.target_year = numbers.get("floor"), numbers.get("target"), year
    target.updated_by_id, target.updated_at = actor.id, now
    session.flush()
    return target


def report_count_by_state(session, cycle: ReportingCycle) -> dict[str, int]:
    return dict(session.execute(select(CountryReport.state, func.count()).where(
        CountryReport.cycle_id == cycle.id).group_by(CountryReport.state)).all())
