"""Regional reporting pages: monitoring templates, reporting cycles, country reports, the
data-request panel of an action item, and national floors and targets.

Thin views: they read the form, call a service, commit once, and redirect; a service's
ValidationError comes back as errors at the field (422); Conflict, InvalidTransition and a
stale version as a flash message on the page the user came from; Forbidden and NotFound as
the error page (403, 404).
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coordination import clock
from coordination.auth.policy import may, may_enter_value, require
from coordination.directory.models import Country
from coordination.directory.service import get_country
from coordination.errors import Conflict, InvalidTransition, NotFound, StaleVersion, ValidationError
from coordination.extensions import db
from coordination.forms import show_errors
from coordination.ids import as_id, is_number
from coordination.items.models import GUARANTEE_LABELS, ActionItem
from coordination.reporting import rules, service, workflow
from coordination.reporting.forms import (
    AnswerForm,
    AssignForm,
    CopyTemplateForm,
    CycleForm,
    NarrativeForm,
    TargetForm,
    TemplateForm,
    ValueForm,
    indicator_errors,
    parse_queries,
)
from coordination.reporting.models import (
    AVAILABILITY_LABELS,
    NARRATIVE_GUARANTEES,
    NUMERIC_UNITS,
    UNIT_LABELS,
    CountryReport,
    CycleEvent,
    IndicatorValue,
    MonitoringTemplate,
    Narrative,
    ReportEvent,
    ReportingCycle,
)
from coordination.reporting.values import STATUS_LABELS, classify, format_value

bp = Blueprint("reporting", __name__)

# The headline figures first, then the four guarantees of the floor, then the mechanism.
GUARANTEE_ORDER = ("overall", "health", "children", "working_age", "older_persons", "coordination")
CYCLE_BUTTONS = {
    "open": "Open the cycle (creates a report for each member state)",
    "close": "Close the cycle (no more submissions)",
    "publish": "Publish the comparison (visible to every member state and observer)",
}
STALE_MESSAGE = ("Someone else changed this report in the meantime. It is now {state}: "
                 "check it before you act again.")


@bp.app_context_processor
def _labels():
    return {"cycle_state_labels": workflow.CYCLE_STATE_LABELS,
            "report_state_labels": workflow.REPORT_STATE_LABELS,
            "report_trigger_labels": workflow.REPORT_TRIGGER_LABELS,
            "availability_labels": AVAILABILITY_LABELS, "unit_labels": UNIT_LABELS,
            "status_labels": STATUS_LABELS}


bp.add_app_template_filter(format_value, "indicator_value")


# -- templates -------------------------------------------------------------------------------------

def _templates_in_use(ids) -> set[int]:
    return set(db.session.scalars(select(ReportingCycle.template_id).where(ReportingCycle.template_id.in_(ids))))


@bp.get("/templates")
@login_required
def list_templates():
    require(current_user, "cycles.read")
    templates = db.session.scalars(select(MonitoringTemplate).order_by(MonitoringTemplate.name)
                                   .options(selectinload(MonitoringTemplate.indicators))).all()
    return render_template("reporting/templates.html", templates=templates,
                           in_use=_templates_in_use([t.id for t in templates]))


@bp.route("/templates/new", methods=["GET", "POST"])
@login_required
def new_template():
    require(current_user, "templates.manage")
    form = TemplateForm()
    if form.validate_on_submit():
        data, lines = form.service_data()
        try:
            template = service.save_template(db.session, current_user, data)
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, ValidationError(indicator_errors(error.fields, lines)[0]))
        else:
            db.session.commit()
            flash(f"The template “{template.name}” is saved.", "success")
            return redirect(url_for("reporting.show_template", template_id=template.id))
    return render_template("reporting/template_form.html", form=form, template=None), 422 if form.errors else 200


@bp.get("/templates/<int:template_id>")
@login_required
def show_template(template_id: int):
    require(current_user, "cycles.read")
    return _template_page(service.get_template(db.session, template_id))


def _template_page(template, *, copy_form=None, status=200):
    copy_form = copy_form or CopyTemplateForm(formdata=None, name=f"{template.name} (copy)")
    cycles = db.session.scalars(select(ReportingCycle).where(ReportingCycle.template_id == template.id)
                                .order_by(ReportingCycle.deadline.desc())).all()
    source = db.session.get(MonitoringTemplate, template.copied_from_id) if template.copied_from_id else None
    return render_template("reporting/template.html", template=template, cycles=cycles, in_use=bool(cycles),
                           copy_form=copy_form, source=source), status


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@login_required
def edit_template(template_id: int):
    require(current_user, "templates.manage")
    template = service.get_template(db.session, template_id)
    if service.template_in_use(db.session, template):
        flash("This template is used by a reporting cycle: copy it into a new one to change it.", "warning")
        return redirect(url_for("reporting.show_template", template_id=template.id))
    form = TemplateForm()
    if not form.is_submitted():
        form.fill_from(template)
    if form.validate_on_submit():
        data, lines = form.service_data()
        try:
            service.save_template(db.session, current_user, data, template)
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, ValidationError(indicator_errors(error.fields, lines)[0]))
        except Conflict as error:
            db.session.rollback()
            flash(error.message, "warning")
            return redirect(url_for("reporting.show_template", template_id=template_id))
        else:
            db.session.commit()
            flash(f"The template “{template.name}” is saved.", "success")
            return redirect(url_for("reporting.show_template", template_id=template.id))
    return render_template("reporting/template_form.html", form=form, template=template), \
        422 if form.errors else 200


@bp.post("/templates/<int:template_id>/copy")
@login_required
def copy_template(template_id: int):
    require(current_user, "templates.manage")
    template = service.get_template(db.session, template_id)
    form = CopyTemplateForm()
    if form.validate_on_submit():
        try:
            copy = service.copy_template(db.session, current_user, template.id, form.name.data)
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            db.session.commit()
            flash(f"“{copy.name}” is a copy of “{template.name}”. Change it as you need before a cycle uses it.",
                  "success")
            return redirect(url_for("reporting.show_template", template_id=copy.id))
    template = service.get_template(db.session, template_id)
    return _template_page(template, copy_form=form, status=422)


# -- cycles -----------------------------------------------------------------------------------------

@bp.get("/cycles")
@login_required
def list_cycles():
    require(current_user, "cycles.read")
    cycles = db.session.scalars(select(ReportingCycle).order_by(ReportingCycle.deadline.desc(), ReportingCycle.id)
                                .options(joinedload(ReportingCycle.template))).all()
    mine = {}
    if current_user.country_code is not None:
        mine = {r.cycle_id: r for r in db.session.scalars(
            select(CountryReport).where(CountryReport.country_code == current_user.country_code))}
    return render_template("reporting/cycles.html", cycles=cycles, mine=mine)


@bp.route("/cycles/new", methods=["GET", "POST"])
@login_required
def new_cycle():
    require(current_user, "cycles.manage")
    form = CycleForm()
    form.set_templates(db.session.scalars(select(MonitoringTemplate).order_by(MonitoringTemplate.name)))
    if form.validate_on_submit():
        try:
            cycle = service.create_cycle(db.session, current_user, form.service_data(), clock.now())
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            db.session.commit()
            flash(f"The cycle “{cycle.name}” is planned. Open it when member states should start reporting.",
                  "success")
            return redirect(url_for("reporting.show_cycle", cycle_id=cycle.id))
    return render_template("reporting/cycle_form.html", form=form), 422 if form.errors else 200


@bp.get("/cycles/<int:cycle_id>")
@login_required
def show_cycle(cycle_id: int):
    require(current_user, "cycles.read")
    cycle = service.get_cycle(db.session, cycle_id)
    reports = sorted(db.session.scalars(
        select(CountryReport).where(CountryReport.cycle_id == cycle.id).options(joinedload(CountryReport.country))),
        key=lambda r: r.country.name)
    if not may(current_user, "cycle.all_reports", cycle):
        reports = [r for r in reports if r.country_code == current_user.country_code]
    events = db.session.scalars(select(CycleEvent).where(CycleEvent.cycle_id == cycle.id).order_by(CycleEvent.id)
                                .options(joinedload(CycleEvent.actor))).all()
    allowed = workflow.possible(workflow.cycle_machine, workflow.CYCLE_TRIGGERS, cycle.state) \
        if may(current_user, "cycles.manage", cycle) else []
    rows = [{"report": r, "deadline": rules.effective_deadline(cycle, r.country_code),
             "link": may(current_user, "report.read", r)} for r in reports]
    by_state = service.report_count_by_state(db.session, cycle)
    counts = [f"{by_state[state]} {label.lower()}" for state, label in workflow.REPORT_STATE_LABELS.items()
              if by_state.get(state)]
    return render_template("reporting/cycle.html", cycle=cycle, rows=rows, events=events, allowed=allowed,
                           buttons=CYCLE_BUTTONS, counts=counts)


@bp.post("/cycles/<int:cycle_id>/transitions")
@login_required
def fire_cycle(cycle_id: int):
    trigger = request.form.get("trigger", "")
    try:
        cycle = service.fire_cycle(db.session, current_user, cycle_id, trigger, clock.now())
    except InvalidTransition as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("reporting.show_cycle", cycle_id=cycle_id))
    except ValidationError as error:  # an unknown trigger: not one of our buttons
        db.session.rollback()
        flash(" ".join(m for ms in error.fields.values() for m in ms), "danger")
        return redirect(url_for("reporting.show_cycle", cycle_id=cycle_id))
    db.session.commit()
    done = {"open": "The cycle is open: every member state has a report to fill in.",
            "close": "The cycle is closed: no more submissions.",
            "publish": "The comparison is published to every member state and observer."}
    flash(done[trigger], "success")
    return redirect(url_for("reporting.show_cycle", cycle_id=cycle.id))


# -- country reports --------------------------------------------------------------------------------

def _load_report(report_id: int) -> CountryReport:
    """The report, if the user may read it, with everything its page shows loaded in a fixed
    number of queries (however many indicators are assigned or answered)."""
    report = service.get_report(db.session, current_user, report_id)
    db.session.scalars(select(CountryReport).where(CountryReport.id == report.id).options(
        joinedload(CountryReport.cycle).selectinload(ReportingCycle.template)
        .selectinload(MonitoringTemplate.indicators),
        joinedload(CountryReport.cycle).selectinload(ReportingCycle.extensions),
        joinedload(CountryReport.country).selectinload(Country.ministries),
        selectinload(CountryReport.values).selectinload(IndicatorValue.ministry),
        selectinload(CountryReport.values).selectinload(IndicatorValue.item).selectinload(ActionItem.ministry),
        selectinload(CountryReport.narratives).selectinload(Narrative.items),
        selectinload(CountryReport.events).selectinload(ReportEvent.actor),
        selectinload(CountryReport.queries),
    )).unique().all()
    return report


def _report_page(report: CountryReport, *, status: int = 200, forms: dict | None = None,
                 trigger_errors: dict | None = None, open_trigger: str | None = None,
                 trigger_message: str | None = None):
    """The report page. ``forms`` replaces the blank or prefilled form of one part, keyed
    ("value", code), ("assign", code), ("answer", query id) or ("narrative", guarantee)."""
    forms = forms or {}
    spec = service.default_format()
    editable = service.is_editable(report)
    targets = service.targets_for(db.session, report.country_code)
    rows = service.values_by_code(report)
    may_assign = editable and may(current_user, "report.assign", report)
    may_edit = may(current_user, "report.edit", report)
    may_answer = may_edit and report.state in ("returned", "drafting")
    ministries = report.country.ministries

    groups: dict[str, list[dict]] = {}
    for indicator in report.cycle.template.indicators:
        row = rows[indicator.code]
        value = row.value if row is not None else None
        target = targets.get(indicator.code)
        status_key = None
        if indicator.unit in NUMERIC_UNITS and row is not None and row.availability in ("reported", "estimate"):
            status_key = classify(value, target.floor if target else None, target.target if target else None)
        may_enter = editable and may_enter_value(current_user, report, row)
        value_form = None
        if may_enter:
            value_form = forms.get(("value", indicator.code))
            if value_form is None:
                value_form = ValueForm(formdata=None, prefix=indicator.code).setup(indicator)
                value_form.fill_from(row)
        assign_form = None
        if may_assign and (row is None or row.item is None or not row.item.is_open):
            assign_form = forms.get(("assign", indicator.code)) or AssignForm(
                formdata=None, prefix=f"assign-{indicator.code}")
            assign_form.set_ministries(ministries)
        groups.setdefault(indicator.guarantee, []).append({
            "indicator": indicator, "row": row, "value": value, "target": target, "status": status_key,
            "value_form": value_form, "assign_form": assign_form,
            "queries": [q for q in report.queries if q.indicator_code == indicator.code],
        })
    ordered = [(g, groups[g]) for g in GUARANTEE_ORDER if g in groups]
    ordered += [(g, rows_) for g, rows_ in groups.items() if g not in GUARANTEE_ORDER]

    answer_forms = {}
    if may_answer:
        for query in report.queries:
            if query.answer is None:
                answer_forms[query.id] = forms.get(("answer", query.id)) or AnswerForm(
                    formdata=None, prefix=f"query-{query.id}")

    narratives = {n.guarantee: n for n in report.narratives}
    narrative_forms = {}
    if editable and may_edit:
        items = db.session.scalars(select(ActionItem).where(ActionItem.country_code == report.country_code)
                                   .order_by(ActionItem.id.desc())).all()
        for guarantee in NARRATIVE_GUARANTEES:
            form = forms.get(("narrative", guarantee))
            if form is None:
                form = NarrativeForm(formdata=None, prefix=f"narrative-{guarantee}")
                form.setup(spec, items)
                form.fill_from(narratives.get(guarantee))
            narrative_forms[guarantee] = form

    missing = service.missing_required(report)
    names = {i.code: i.name for i in report.cycle.template.indicators}
    deadline, extension = rules.effective_deadline(report.cycle, report.country_code)
    return render_template(
        "reporting/report.html", report=report, cycle=report.cycle, groups=ordered, editable=editable,
        guarantee_labels=GUARANTEE_LABELS, narrative_guarantees=NARRATIVE_GUARANTEES, narratives=narratives,
        narrative_forms=narrative_forms, sections=spec["narrative_sections_per_guarantee"],
        rating_labels=spec["self_rating"]["labels"], answer_forms=answer_forms,
        narrative_queries={g: [q for q in report.queries if q.indicator_code == g] for g in NARRATIVE_GUARANTEES},
        allowed=service.allowed_report_triggers(current_user, report), missing=missing, names=names,
        completeness=service.completeness(report),
        required_count=sum(1 for i in report.cycle.template.indicators if i.required),
        deadline=deadline, extension=extension, trigger_errors=trigger_errors or {}, open_trigger=open_trigger,
        trigger_message=trigger_message, query_codes=[i.code for i in report.cycle.template.indicators],
    ), status


def _back_to_report(report_id: int, anchor: str = ""):
    return redirect(url_for("reporting.show_report", report_id=report_id) + (f"#{anchor}" if anchor else ""))


def _refused(error, report_id: int, anchor: str = ""):
    """A Conflict or InvalidTransition: say why on the report page."""
    db.session.rollback()
    flash(error.message, "danger")
    return _back_to_report(report_id, anchor)


@bp.get("/reports/<int:report_id>")
@login_required
def show_report(report_id: int):
    return _report_page(_load_report(report_id))


@bp.post("/reports/<int:report_id>/values/<code>")
@login_required
def set_value(report_id: int, code: str):
    report = service.get_report(db.session, current_user, report_id)
    indicator = next((i for i in report.cycle.template.indicators if i.code == code), None)
    if indicator is None:
        abort(404)
    form = ValueForm(prefix=code).setup(indicator)
    item_id = as_id(form.item_id.data)
    if form.validate_on_submit():
        try:
            service.set_value(db.session, current_user, report.id, code, form.service_data(), clock.now())
        except ValidationError as error:
            db.session.rollback()
            form.show_errors(error.fields)
        except Conflict as error:
            if item_id:
                db.session.rollback()
                flash(error.message, "danger")
                return redirect(url_for("items.show_item", item_id=item_id))
            return _refused(error, report_id, f"indicator-{code}")
        else:
            db.session.commit()
            if item_id:
                flash(f"The value of {code} is saved. When it is complete, submit the data request "
                      "with a comment for the coordinator.", "success")
                return redirect(url_for("items.show_item", item_id=item_id))
            flash(f"The value of {code} is saved.", "success")
            return _back_to_report(report_id, f"indicator-{code}")
    # Nothing was saved: show the form again with its messages, where it was posted from.
    if item_id:
        from coordination.items import service as items_service
        from coordination.items.views import _item_page

        item = items_service.get_item(db.session, current_user, item_id)
        return _item_page(item, status=422, data_request_form=form)
    return _report_page(_load_report(report_id), status=422, forms={("value", code): form})


def data_request_panel(item: ActionItem, form: ValueForm | None = None) -> dict | None:
    """What the item page shows when the item is a data request of a country report."""
    row = service.data_request_for(db.session, item)
    if row is None:
        return None
    report = row.report
    editable = service.is_editable(report)
    may_enter = editable and may_enter_value(current_user, report, row)
    if may_enter and form is None:
        form = ValueForm(formdata=None, prefix=row.indicator.code).setup(row.indicator)
        form.fill_from(row)
        form.item_id.data = str(item.id)
    return {"row": row, "report": report, "indicator": row.indicator, "cycle": report.cycle,
            "editable": editable, "may_enter": may_enter, "form": form if may_enter else None,
            "may_read_report": may(current_user, "report.read", report)}


@bp.post("/reports/<int:report_id>/assignments")
@login_required
def assign(report_id: int):
    report = service.get_report(db.session, current_user, report_id)
    require(current_user, "report.assign", report)
    code = request.form.get("indicator_code", "")
    if not any(i.code == code for i in report.cycle.template.indicators):
        abort(404)
    form = AssignForm(prefix=f"assign-{code}").set_ministries(report.country.ministries)
    if form.validate_on_submit():
        try:
            row = service.assign_indicator(db.session, current_user, report.id,
                                           {"indicator_code": code, "ministry_id": form.ministry_id.data},
                                           clock.now(), current_app.config["DATA_REQUEST_LEAD_DAYS"])
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        except Conflict as error:
            return _refused(error, report_id, f"indicator-{code}")
        else:
            db.session.commit()
            flash(f"{code} is requested from {row.holding_ministry.acronym}: a data request is in their inbox, "
                  f"due {row.item.due_date.strftime('%d %B %Y')}.", "success")
            return _back_to_report(report_id, f"indicator-{code}")
    return _report_page(_load_report(report_id), status=422, forms={("assign", code): form})


@bp.post("/reports/<int:report_id>/queries/<int:query_id>/answer")
@login_required
def answer_query(report_id: int, query_id: int):
    form = AnswerForm(prefix=f"query-{query_id}")
    if form.validate_on_submit():
        try:
            query = service.answer_query(db.session, current_user, report_id, query_id, form.answer.data,
                                         clock.now())
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        except Conflict as error:
            return _refused(error, report_id)
        else:
            db.session.commit()
            flash(f"Your answer on {query.indicator_code} is saved.", "success")
            return _back_to_report(report_id, f"query-{query.id}")
    report = _load_report(report_id)
    require(current_user, "report.edit", report)
    return _report_page(report, status=422, forms={("answer", query_id): form})


@bp.post("/reports/<int:report_id>/narratives/<guarantee>")
@login_required
def save_narrative(report_id: int, guarantee: str):
    report = service.get_report(db.session, current_user, report_id)
    require(current_user, "report.edit", report)
    if guarantee not in NARRATIVE_GUARANTEES:
        abort(404)
    items = db.session.scalars(select(ActionItem).where(ActionItem.country_code == report.country_code)
                               .order_by(ActionItem.id.desc())).all()
    form = NarrativeForm(prefix=f"narrative-{guarantee}").setup(service.default_format(), items)
    if form.validate_on_submit():
        try:
            service.save_narrative(db.session, current_user, report.id, guarantee, form.service_data())
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        except Conflict as error:
            return _refused(error, report_id, f"narrative-{guarantee}")
        else:
            db.session.commit()
            flash(f"The section “{GUARANTEE_LABELS[guarantee]}” is saved.", "success")
            return _back_to_report(report_id, f"narrative-{guarantee}")
    return _report_page(_load_report(report_id), status=422, forms={("narrative", guarantee): form})


@bp.post("/reports/<int:report_id>/transitions")
@login_required
def fire_report(report_id: int):
    trigger = request.form.get("trigger", "")
    version = request.form.get("version", "")
    version = int(version) if is_number(version) else version
    comment = request.form.get("comment")
    queries = parse_queries(request.form.get("queries")) if trigger == "send_back" else None
    try:
        report = service.fire_report(db.session, current_user, report_id, trigger, version, clock.now(),
                                     comment=comment, queries=queries)
    except StaleVersion:
        db.session.rollback()
        report = service.get_report(db.session, current_user, report_id)
        flash(STALE_MESSAGE.format(state=workflow.REPORT_STATE_LABELS[report.state].lower()), "warning")
        return _back_to_report(report_id)
    except ValidationError as error:
        db.session.rollback()
        if trigger not in workflow.REPORT_TRIGGERS:  # not one of our buttons
            flash(error.fields["trigger"][0], "danger")
            return _back_to_report(report_id)
        return _report_page(_load_report(report_id), status=422, trigger_errors=error.fields,
                            open_trigger=trigger, trigger_message=error.message)
    except (Conflict, InvalidTransition) as error:
        return _refused(error, report_id)
    db.session.commit()
    flash(f"Done: {workflow.REPORT_TRIGGER_LABELS[trigger].lower()}. The report is now "
          f"{workflow.REPORT_STATE_LABELS[report.state].lower()}.", "success")
    return _back_to_report(report.id)


# -- national floors and targets -----------------------------------------------------------------

def _default_template() -> MonitoringTemplate | None:
    return db.session.scalar(select(MonitoringTemplate).where(
        MonitoringTemplate.name == service.default_format()["name"]).options(
        selectinload(MonitoringTemplate.indicators)))


def _targets_page(country, *, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    template = _default_template()
    targets = service.targets_for(db.session, country.code)
    editable = may(current_user, "targets.edit", country)
    rows = []
    for indicator in (template.indicators if template else []):
        if indicator.unit not in NUMERIC_UNITS:
            continue
        form = None
        if editable:
            form = forms.get(indicator.code)
            if form is None:
                form = TargetForm(formdata=None, prefix=indicator.code)
                form.fill_from(targets.get(indicator.code))
        rows.append({"indicator": indicator, "target": targets.get(indicator.code), "form": form})
    return render_template("reporting/targets.html", country=country, template=template, rows=rows,
                           editable=editable), status


@bp.get("/countries/<code>/targets")
@login_required
def targets(code: str):
    country = get_country(db.session, code)
    if not may(current_user, "targets.read", country):
        raise NotFound("There is no such member state.")
    return _targets_page(country)


@bp.post("/countries/<code>/targets/<indicator_code>")
@login_required
def set_target(code: str, indicator_code: str):
    country = get_country(db.session, code)
    require(current_user, "targets.edit", country)
    template = _default_template()
    if template is None or not any(i.code == indicator_code for i in template.indicators):
        abort(404)
    form = TargetForm(prefix=indicator_code)
    if form.validate_on_submit():
        try:
            service.set_target(db.session, current_user, country.code, indicator_code, form.service_data(),
                               clock.now())
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            db.session.commit()
            flash(f"The floor and target of {indicator_code} are saved.", "success")
            return redirect(url_for("reporting.targets", code=country.code) + f"#target-{indicator_code}")
    return _targets_page(country, forms={indicator_code: form}, status=422)
