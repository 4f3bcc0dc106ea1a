"""Monitoring templates: the common monitoring format and the indicators it lists. A template
a cycle uses is read-only; a copy can change. Services flush; the caller commits."""
import json
import re
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.auth.policy import require
from coordination.errors import Conflict, NotFound, ValidationError
from coordination.ids import as_id
from coordination.items.models import GUARANTEES
from coordination.reporting.models import DISAGGREGATIONS, UNITS, Indicator, MonitoringTemplate, ReportingCycle

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")


def default_format() -> dict:
    return json.loads(resources.files("coordination.data").joinpath("monitoring_format.json").read_text())


def get_template(session, template_id) -> MonitoringTemplate:
    template = session.get(MonitoringTemplate, as_id(template_id)) if as_id(template_id) else None
    if template is None:
        raise NotFound("There is no such monitoring template.")
    return template


def templates_in_use(session, template_ids) -> set[int]:
    """Which of ``template_ids`` a reporting cycle uses (one query)."""
    return set(session.scalars(select(ReportingCycle.template_id).where(ReportingCycle.template_id.in_(template_ids))))


def template_in_use(session, template: MonitoringTemplate) -> bool:
    return bool(templates_in_use(session, [template.id]))


def default_template(session, spec: dict | None = None) -> MonitoringTemplate | None:
    """The common monitoring format (``spec``, default: the package's), if it is in the database."""
    name = (spec or default_format())["name"]
    return session.scalar(select(MonitoringTemplate).where(MonitoringTemplate.name == name)
                          .options(selectinload(MonitoringTemplate.indicators)))


def _check_indicators(raw) -> tuple[list[dict], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, list) or not raw:
        return [], {"indicators": ["List at least one indicator."]}
    cleaned, seen = [], set()
    for n, entry in enumerate(raw):
        problems = []
        if not isinstance(entry, dict):
            errors[f"indicators[{n}]"] = ["Each indicator is an object."]
            continue
        code = entry.get("code")
        if not isinstance(code, str) or not CODE_PATTERN.match(code):
            problems.append("code: use capital letters, digits and _ (e.g. SPF_CHILDREN).")
        elif code in seen:
            problems.append(f"code: {code} appears twice.")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 300:
            problems.append("name: give a name of at most 300 characters.")
        if entry.get("guarantee") not in GUARANTEES:
            problems.append(f"guarantee: choose one of {', '.join(GUARANTEES)}.")
        if entry.get("unit") not in UNITS:
            problems.append(f"unit: choose one of {', '.join(UNITS)}.")
        required = entry.get("required", False)
        if not isinstance(required, bool):
            problems.append("required: true or false.")
        disaggregations = entry.get("disaggregations") or []
        if not isinstance(disaggregations, list) or any(d not in DISAGGREGATIONS for d in disaggregations):
            problems.append(f"disaggregations: a list of {', '.join(DISAGGREGATIONS)}.")
        definition = entry.get("definition") or ""
        if not isinstance(definition, str):
            problems.append("definition: text.")
        if problems:
            errors[f"indicators[{n}]"] = problems
            continue
        seen.add(code)
        cleaned.append({"code": code, "name": name.strip(), "guarantee": entry["guarantee"],
                        "unit": entry["unit"], "required": required, "definition": definition.strip(),
                        "disaggregations": list(disaggregations), "position": n})
    return cleaned, errors


def save_template(session, actor, data: dict, template: MonitoringTemplate | None = None) -> MonitoringTemplate:
    require(actor, "templates.manage")
    if template is not None and template_in_use(session, template):
        raise Conflict("This template is used by a reporting cycle: copy it into a new one to change it.")
    errors: dict[str, list[str]] = {}
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        errors["name"] = ["Give the template a name of at most 200 characters."]
    elif session.scalar(select(MonitoringTemplate.id).where(
            MonitoringTemplate.name == name.strip(), MonitoringTemplate.id != (template.id if template else -1))):
        errors["name"] = ["Another template has this name."]
    indicators, indicator_errors = _check_indicators(data.get("indicators"))
    errors.update(indicator_errors)
    if errors:
        raise ValidationError(errors)
    if template is None:
        template = MonitoringTemplate()
        session.add(template)
    template.name = name.strip()
    template.description = (data.get("description") or "") if isinstance(data.get("description"), str) else ""
    if template.id is not None:
        # Delete the old rows first: the new ones may reuse their codes (unique per template).
        template.indicators = []
        session.flush()
    template.indicators = [Indicator(**entry) for entry in indicators]
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
    template = default_template(session, spec)
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
