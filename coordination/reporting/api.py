"""Templates, cycles, country reports, values and assignments in the JSON API (API.md)."""
from flask import current_app, g, jsonify, request
from flask_babel import gettext
from sqlalchemy import select

from coordination import clock
from coordination.api import api, json_body, token_required
from coordination.auth.policy import may, may_see, require
from coordination.directory.service import get_country
from coordination.endpoints import endpoint
from coordination.errors import NotFound
from coordination.extensions import db
from coordination.limits import body_limit
from coordination.reporting import (
    checks,
    cycles,
    history,
    importing,
    reports,
    rules,
    schemas,
    targets,
    templates,
    uploads,
    value_schemas,
)
from coordination.reporting.models import MonitoringTemplate, ReportingCycle, value_of


def iso(value):
    return value.isoformat() if value is not None else None


def template_json(session, template: MonitoringTemplate) -> dict:
    return {
        "id": template.id, "name": template.name, "description": template.description,
        "in_use": templates.template_in_use(session, template), "copied_from_id": template.copied_from_id,
        "indicators": [{"code": i.code, "name": i.name, "definition": i.definition, "guarantee": i.guarantee,
                        "unit": i.unit, "required": i.required, "disaggregations": i.disaggregations,
                        "better": i.better}
                       for i in template.indicators],
        "rules": template.rules or [],
    }


def cycle_json(cycle: ReportingCycle) -> dict:
    return {"id": cycle.id, "name": cycle.name, "template_id": cycle.template_id,
            "period_start": iso(cycle.period_start), "period_end": iso(cycle.period_end),
            "deadline": iso(cycle.deadline), "state": cycle.state, "published_at": iso(cycle.published_at)}


def value_json(code: str, row) -> dict:
    if row is None:
        return {"indicator_code": code, "value": None, "availability": None, "reason": "", "ministry_id": None,
                "note": "", "breakdown": None, "data_request_id": None}
    return {"indicator_code": code, "value": row.value, "availability": row.availability, "reason": row.reason,
            "ministry_id": row.holding_ministry_id, "note": row.note, "breakdown": row.breakdown,
            "data_request_id": row.item_id}


def report_json(session, report, actor) -> dict:
    rows = reports.values_by_code(report)
    return {
        "id": report.id, "cycle_id": report.cycle_id, "country": report.country_code, "state": report.state,
        "version": report.version, "submitted_at": iso(report.first_submitted_at),
        "last_submitted_at": iso(report.submitted_at), "accepted_at": iso(report.accepted_at),
        "deadline": iso(rules.effective_deadline(report.cycle, report.country_code)[0]),
        "completeness": reports.completeness(report),
        "allowed_triggers": reports.allowed_report_triggers(actor, report),
        "values": [value_json(code, row) for code, row in rows.items()],
        "missing": reports.missing_required(report),
        "queries": [{"id": q.id, "indicator_code": q.indicator_code, "question": q.question,
                     "answer": q.answer, "answered_at": iso(q.answered_at)} for q in report.queries],
        "narratives": [{
            "guarantee": n.guarantee, "existing_schemes": n.existing_schemes, "policy_gaps": n.policy_gaps,
            "implementation_issues": n.implementation_issues, "recommendations": n.recommendations,
            "self_rating": n.self_rating, "item_ids": [i.id for i in n.items],
        } for n in report.narratives],
        "events": [{"trigger": e.trigger, "from_state": e.from_state, "to_state": e.to_state,
                    "actor": e.actor_id, "comment": e.comment, "at": iso(e.at)} for e in report.events],
    }


@api.get("/templates")
@endpoint("Monitoring templates, by name", tag="reporting", replies={200: list[schemas.Template]})
@token_required
def list_templates():
    require(g.api_user, "cycles.read")
    templates = db.session.scalars(select(MonitoringTemplate).order_by(MonitoringTemplate.name))
    return jsonify([template_json(db.session, t) for t in templates])


@api.post("/templates")
@endpoint("Create a monitoring template (secretariat)", tag="reporting", body=schemas.TemplateInput,
          replies={201: schemas.Template})
@token_required
def create_template():
    template = templates.save_template(db.session, g.api_user, json_body())
    return jsonify(template_json(db.session, template)), 201


@api.get("/templates/<int:template_id>")
@endpoint("One monitoring template", tag="reporting", replies={200: schemas.Template})
@token_required
def get_template(template_id: int):
    require(g.api_user, "cycles.read")
    return jsonify(template_json(db.session, templates.get_template(db.session, template_id)))


@api.put("/templates/<int:template_id>")
@endpoint("Change a template (secretariat); 409 while a cycle uses it", tag="reporting",
          body=schemas.TemplateInput, replies={200: schemas.Template}, errors=(409,))
@token_required
def update_template(template_id: int):
    template = templates.get_template(db.session, template_id)
    templates.save_template(db.session, g.api_user, json_body(), template)
    return jsonify(template_json(db.session, template))


@api.post("/templates/<int:template_id>/copies")
@endpoint("Copy a template into a new one (secretariat)", tag="reporting", body=schemas.TemplateCopy,
          replies={201: schemas.Template})
@token_required
def copy_template(template_id: int):
    data = json_body()
    copy = templates.copy_template(db.session, g.api_user, template_id, data.get("name"))
    return jsonify(template_json(db.session, copy)), 201


@api.get("/cycles")
@endpoint("Reporting cycles, newest deadline first", tag="reporting", replies={200: list[schemas.Cycle]})
@token_required
def list_cycles():
    require(g.api_user, "cycles.read")
    cycles = db.session.scalars(select(ReportingCycle).order_by(ReportingCycle.deadline.desc()))
    return jsonify([cycle_json(c) for c in cycles])


@api.post("/cycles")
@endpoint("Create a reporting cycle (secretariat); it starts planned", tag="reporting",
          body=schemas.CycleInput, replies={201: schemas.Cycle})
@token_required
def create_cycle():
    cycle = cycles.create_cycle(db.session, g.api_user, json_body(), clock.now())
    return jsonify(cycle_json(cycle)), 201


@api.get("/cycles/<int:cycle_id>")
@endpoint("One cycle with the country reports the user may read", tag="reporting",
          replies={200: schemas.CycleWithReports})
@token_required
def get_cycle(cycle_id: int):
    require(g.api_user, "cycles.read")
    cycle = cycles.get_cycle(db.session, cycle_id)
    body = cycle_json(cycle)
    visible = [r for r in cycle.reports if may_see(g.api_user, r)]
    body["reports"] = [{"id": r.id, "country": r.country_code, "state": r.state} for r in visible]
    return jsonify(body)


@api.post("/cycles/<int:cycle_id>/transitions")
@endpoint("Open, close or publish a cycle (secretariat); opening creates one report per member state",
          tag="reporting", body=schemas.CycleTransition, replies={200: schemas.Cycle}, errors=(409,))
@token_required
def fire_cycle(cycle_id: int):
    data = json_body()
    cycle = cycles.fire_cycle(db.session, g.api_user, cycle_id, data.get("trigger"), clock.now())
    return jsonify(cycle_json(cycle))


@api.get("/reports/<int:report_id>")
@endpoint("A country report with its values, missing indicators, queries, narrative and history",
          tag="reporting", replies={200: schemas.Report})
@token_required
def get_report(report_id: int):
    report = reports.get_report(db.session, g.api_user, report_id)
    return jsonify(report_json(db.session, report, g.api_user))


def _checks(report) -> list:
    return checks.report_checks(db.session, report, current_app.config["OUTLIER_POINTS"])


@api.put("/reports/<int:report_id>/values/<code>")
@endpoint("Enter an indicator's value or availability flag (coordinator, or the assigned ministry's staff)",
          tag="reporting", body=schemas.ValueInput, replies={200: value_schemas.ValueSaved}, errors=(409,),
          description="An indicator code that is not the template's answers 422 (indicator_code); a report "
                      "that is submitted or whose cycle is not open answers 409. A value that fails a check "
                      "is saved; `checks` names what it fails.")
@token_required
def put_value(report_id: int, code: str):
    data = json_body()
    row = reports.set_value(db.session, g.api_user, report_id, code, data, clock.now())
    failed = checks.by_code(_checks(row.report)).get(code, [])
    return jsonify({**value_json(code, row), "checks": [c.as_json() for c in failed]})


@api.get("/reports/<int:report_id>/values/<code>/history")
@endpoint("Every saved change of one value, oldest first (whoever may read the report)", tag="reporting",
          replies={200: list[value_schemas.ValueChange]},
          description="An indicator code that is not the template's answers 404; one without a value, [].")
@token_required
def value_history(report_id: int, code: str):
    report = reports.get_report(db.session, g.api_user, report_id)
    indicator = reports.indicator_of(report, code)
    if indicator is None:
        raise NotFound(reports.not_in_template(code))
    unit = indicator.unit
    changes = history.changes_of(db.session, reports.values_by_code(report)[code])
    return jsonify([{
        "at": iso(c.at), "actor": c.actor_id, "actor_name": c.actor.name if c.actor else None,
        "value": value_of(unit, c.number, c.flag, c.text) if c.availability in ("reported", "estimate") else None,
        "availability": c.availability, "reason": c.reason, "note": c.note, "breakdown": c.breakdown,
        "source": c.source, "import_name": c.import_name} for c in changes])


@api.get("/reports/<int:report_id>/checks")
@endpoint("The checks the report's values fail now: errors block submission, warnings need a note",
          tag="reporting", replies={200: list[value_schemas.Check]})
@token_required
def report_checks(report_id: int):
    report = reports.get_report(db.session, g.api_user, report_id)
    return jsonify([c.as_json() for c in _checks(report)])


@api.post("/reports/<int:report_id>/assignments")
@endpoint("Assign an indicator to a ministry (coordinator): creates the data request, an assigned action item",
          tag="reporting", body=schemas.AssignmentInput, replies={201: schemas.Assignment}, errors=(409,))
@token_required
def assign(report_id: int):
    data = json_body()
    row = reports.assign_indicator(db.session, g.api_user, report_id, data, clock.now(),
                                   current_app.config["DATA_REQUEST_LEAD_WORKING_DAYS"])
    return jsonify({"indicator_code": row.indicator.code, "ministry_id": row.holding_ministry_id,
                    "item_id": row.item_id, "due_date": iso(row.item.due_date),
                    "item_state": row.item.state}), 201


@api.post("/reports/<int:report_id>/transitions")
@endpoint("start, submit, revise (coordinator); accept, send_back (secretariat; a comment and optional queries)",
          tag="reporting", body=schemas.ReportTransition, replies={200: schemas.Report}, errors=(409,),
          description="submit with a required indicator unanswered, a value failing an error check or a "
                      "warning without a note answers 422 naming each such code.")
@token_required
def fire_report(report_id: int):
    data = json_body()
    report = reports.fire_report(db.session, g.api_user, report_id, data.get("trigger"), data.get("version"),
                                 clock.now(), comment=data.get("comment"), queries=data.get("queries"),
                                 outlier_points=current_app.config["OUTLIER_POINTS"])
    return jsonify(report_json(db.session, report, g.api_user))


@api.post("/reports/<int:report_id>/queries/<int:query_id>/answer")
@endpoint("Answer a query of the secretariat (coordinator)", tag="reporting", body=schemas.QueryAnswer,
          replies={200: schemas.Query}, errors=(409,))
@token_required
def answer_query(report_id: int, query_id: int):
    data = json_body()
    query = reports.answer_query(db.session, g.api_user, report_id, query_id, data.get("answer"), clock.now())
    return jsonify({"id": query.id, "indicator_code": query.indicator_code, "question": query.question,
                    "answer": query.answer, "answered_at": iso(query.answered_at)})


@api.put("/reports/<int:report_id>/narratives/<guarantee>")
@endpoint("The assessment matrix of one guarantee, its self-rating and linked action items (coordinator)",
          tag="reporting", body=schemas.NarrativeInput, replies={200: schemas.NarrativeSaved}, errors=(409,))
@token_required
def put_narrative(report_id: int, guarantee: str):
    narrative = reports.save_narrative(db.session, g.api_user, report_id, guarantee, json_body())
    return jsonify({"guarantee": narrative.guarantee, "self_rating": narrative.self_rating,
                    "item_ids": [i.id for i in narrative.items]})


@api.get("/countries/<code>/targets")
@endpoint("A member state's national floors and targets (its users and the secretariat; 404 for others)",
          tag="reporting", replies={200: list[schemas.Target]})
@token_required
def list_targets(code: str):
    country = get_country(db.session, code)
    if not may(g.api_user, "targets.read", country):
        raise NotFound(gettext("There is no such member state."))
    return jsonify([{"indicator_code": t.indicator_code, "floor": t.floor, "target": t.target,
                     "target_year": t.target_year}
                    for t in targets.targets_for(db.session, country.code).values()])


@api.put("/countries/<code>/targets/<indicator_code>")
@endpoint("Set the national floor and target of an indicator (the country's coordinator)", tag="reporting",
          body=schemas.TargetInput, replies={200: schemas.Target})
@token_required
def put_target(code: str, indicator_code: str):
    target = targets.set_target(db.session, g.api_user, code.upper(), indicator_code, json_body(), clock.now())
    return jsonify({"indicator_code": target.indicator_code, "floor": target.floor, "target": target.target,
                    "target_year": target.target_year})


IMPORT_FORM_ALLOWANCE = 64 * 1024  # the multipart form around the file


@api.post("/reports/<int:report_id>/import")
@endpoint("Import values from a filled-in template, XLSX or CSV (coordinator, or a ministry for its indicators)",
          tag="reporting", body=value_schemas.ImportUpload, multipart=True, replies={200: value_schemas.ImportResult},
          errors=(409,),
          description="Each row is ok (a change), unchanged or error (with the reason); dry_run=false applies "
                      "every change or, while any row is in error, nothing (422). A file that is not XLSX or CSV, "
                      "an encrypted workbook, an empty file or one over IMPORT_MAX_ROWS rows answers 422 (file).")
@body_limit("MAX_ATTACHMENT_BYTES", IMPORT_FORM_ALLOWANCE)
@token_required
def import_values(report_id: int):
    part = request.files.get("file")
    content = part.stream.read() if part is not None else b""
    dry_run = request.form.get("dry_run", "true").strip().lower() != "false"
    name = uploads.clean_name(part.filename) if part is not None else None
    rows, applied = importing.import_values(db.session, g.api_user, report_id, content, dry_run, clock.now(),
                                            current_app.config["IMPORT_MAX_ROWS"], name)
    return jsonify({"rows": [r.as_json() for r in rows], "applied": applied})
