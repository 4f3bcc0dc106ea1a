"""Monitoring templates: the common monitoring format and the indicators it lists. A template
a cycle uses is read-only; a copy can change. Services flush; the caller commits."""
import json
from importlib import resources

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.auth.policy import require
from coordination.errors import Conflict, NotFound, ValidationError
from coordination.ids import as_id
from coordination.reporting import checks, schemas
from coordination.reporting.models import Indicator, MonitoringTemplate, ReportingCycle


def default_format() -> dict:
    return json.loads(resources.files("coordination.data").joinpath("monitoring_format.json").read_text())


def get_template(session, template_id) -> MonitoringTemplate:
    template = session.get(MonitoringTemplate, as_id(template_id)) if as_id(template_id) else None
    if template is None:
        raise NotFound(gettext("There is no such monitoring template."))
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


def _repeated_codes(indicators) -> dict[str, list[str]]:
    """Each indicator code once per template."""
    errors, seen = {}, set()
    for n, indicator in enumerate(indicators):
        if indicator.code in seen:
            errors[f"indicators[{n}]"] = ["code: " + gettext("%(code)s appears twice.", code=indicator.code)]
        seen.add(indicator.code)
    return errors


def save_template(session, actor, data: dict, template: MonitoringTemplate | None = None) -> MonitoringTemplate:
    require(actor, "templates.manage")
    if template is not None and template_in_use(session, template):
        raise Conflict(gettext("This template is used by a reporting cycle: copy it into a new one to change it."))
    body = schemas.TemplateInput.parse(data)
    errors: dict[str, list[str]] = {}
    if session.scalar(select(MonitoringTemplate.id).where(
            MonitoringTemplate.name == body.name, MonitoringTemplate.id != (template.id if template else -1))):
        errors["name"] = [gettext("Another template has this name.")]
    errors.update(_repeated_codes(body.indicators))
    errors.update(checks.rule_problems(body.rules, {i.code for i in body.indicators}))
    if errors:
        raise ValidationError(errors)
    if template is None:
        template = MonitoringTemplate()
        session.add(template)
    template.name = body.name
    template.description = body.description
    template.rules = list(body.rules or [])
    if template.id is not None:
        # Delete the old rows first: the new ones may reuse their codes (unique per template).
        template.indicators = []
        session.flush()
    template.indicators = [Indicator(**spec.model_dump(), position=n) for n, spec in enumerate(body.indicators)]
    session.flush()
    return template


def copy_template(session, actor, template_id, name: str) -> MonitoringTemplate:
    source = get_template(session, template_id)
    data = {"name": name, "description": source.description, "rules": source.rules or [], "indicators": [
        {"code": i.code, "name": i.name, "guarantee": i.guarantee, "unit": i.unit, "required": i.required,
         "definition": i.definition, "disaggregations": i.disaggregations, "better": i.better}
        for i in source.indicators]}
    copy = save_template(session, actor, data)
    copy.copied_from_id = source.id
    return copy


def ensure_default_template(session) -> MonitoringTemplate:
    """The common monitoring format of the regional network, from the package data."""
    spec = default_format()
    template = default_template(session, spec)
    if template is None:
        template = MonitoringTemplate(name=spec["name"], description=spec["about"], rules=spec.get("rules") or [])
        template.indicators = [
            Indicator(code=i["code"], name=i["name"], guarantee=i["guarantee"], unit=i["unit"],
                      required=i["required"], definition=i.get("definition", ""),
                      disaggregations=i.get("disaggregations") or [], better=i.get("better", "higher"), position=n)
            for n, i in enumerate(spec["indicators"])
        ]
        session.add(template)
        session.flush()
    return template
