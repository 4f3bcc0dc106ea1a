"""The pages of a country report: the report, and what is posted from it (a value, an
assignment, an answer to a query, a narrative section, a workflow step)."""
from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required

from coordination import clock
from coordination.auth.policy import require
from coordination.errors import Conflict, InvalidTransition, StaleVersion, ValidationError
from coordination.extensions import db
from coordination.forms import done, errors_on, refused
from coordination.ids import as_id, is_number
from coordination.items import queries as item_queries
from coordination.items import service as items
from coordination.items.models import GUARANTEE_LABELS
from coordination.items.pages import item_page
from coordination.items.queries import FIND_SCAN
from coordination.reporting import reports, templates, workflow
from coordination.reporting.forms import (
    AnswerForm,
    AssignForm,
    NarrativeForm,
    ValueForm,
    parse_item_numbers,
    parse_queries,
)
from coordination.reporting.models import NARRATIVE_GUARANTEES
from coordination.reporting.views.blueprint import bp, report_url
from coordination.reporting.views.report_page import items_of_report_country, load_report, report_page

STALE_MESSAGE = ("Someone else changed this report in the meantime. It is now {state}: "
                 "check it before you act again.")


def _report_page(report_id: int, **parts):
    """The report page again, with the refused input and its messages (422)."""
    return report_page(db.session, current_user, load_report(db.session, current_user, report_id), **parts).render(422)


@bp.get("/reports/<int:report_id>")
@login_required
def show_report(report_id: int):
    return report_page(db.session, current_user, load_report(db.session, current_user, report_id)).render()


@bp.post("/reports/<int:report_id>/values/<code>")
@login_required
def set_value(report_id: int, code: str):
    """A value, posted from the report page or from the page of its data request (``item_id``):
    the answer goes back to where it came from."""
    report = reports.get_report(db.session, current_user, report_id)
    indicator = reports.indicator_of(report, code)
    if indicator is None:
        abort(404)
    form = ValueForm(prefix=code).setup(indicator)
    item_id = as_id(form.item_id.data)
    here = url_for("items.show_item", item_id=item_id) if item_id else report_url(report_id, f"indicator-{code}")
    if form.validate_on_submit():
        try:
            with errors_on(form, show=ValueForm.show_errors):
                reports.set_value(db.session, current_user, report.id, code, form.service_data(), clock.now())
                after = " When it is complete, submit the data request with a comment for the coordinator."
                return done(f"The value of {code} is saved." + (after if item_id else ""), here)
        except Conflict as error:
            return refused(error.message, here, "danger")
    # Nothing was saved: show the form again with its messages, where it was posted from.
    if item_id:
        return item_page(items.get_item(db.session, current_user, item_id), status=422, data_request_form=form)
    return _report_page(report_id, forms={("value", code): form})


@bp.post("/reports/<int:report_id>/assignments")
@login_required
def assign(report_id: int):
    report = reports.get_report(db.session, current_user, report_id)
    require(current_user, "report.assign", report)
    code = request.form.get("indicator_code", "")
    if reports.indicator_of(report, code) is None:
        abort(404)
    form = AssignForm(prefix=f"assign-{code}").set_ministries(report.country.ministries)
    here = report_url(report_id, f"indicator-{code}")
    if form.validate_on_submit():
        try:
            with errors_on(form):
                row = reports.assign_indicator(db.session, current_user, report.id,
                                               {"indicator_code": code, "ministry_id": form.ministry_id.data},
                                               clock.now(), current_app.config["DATA_REQUEST_LEAD_WORKING_DAYS"])
                return done(f"{code} is requested from {row.holding_ministry.acronym}: a data request is in their "
                            f"inbox, due {row.item.due_date.strftime('%d %B %Y')}.", here)
        except Conflict as error:
            return refused(error.message, here, "danger")
    return _report_page(report_id, forms={("assign", code): form})


@bp.post("/reports/<int:report_id>/queries/<int:query_id>/answer")
@login_required
def answer_query(report_id: int, query_id: int):
    form = AnswerForm(prefix=f"query-{query_id}")
    if form.validate_on_submit():
        try:
            with errors_on(form):
                query = reports.answer_query(db.session, current_user, report_id, query_id, form.answer.data,
                                             clock.now())
                return done(f"Your answer on {query.indicator_code} is saved.",
                            report_url(report_id, f"query-{query.id}"))
        except Conflict as error:
            return refused(error.message, report_url(report_id), "danger")
    report = load_report(db.session, current_user, report_id)
    require(current_user, "report.edit", report)
    return report_page(db.session, current_user, report, forms={("answer", query_id): form}).render(422)


def _narrative_form(report, guarantee: str) -> NarrativeForm:
    """The posted form of a narrative section the actor may edit (404 for another section)."""
    require(current_user, "report.edit", report)
    if guarantee not in NARRATIVE_GUARANTEES:
        abort(404)
    return NarrativeForm(prefix=f"narrative-{guarantee}").setup(templates.default_format())


@bp.post("/reports/<int:report_id>/narratives/<guarantee>")
@login_required
def save_narrative(report_id: int, guarantee: str):
    """Save a narrative section; or, when its Find button was pressed, show the page again
    with the items found to tick, and the input kept (nothing saved)."""
    report = reports.get_report(db.session, current_user, report_id)
    form = _narrative_form(report, guarantee)
    here = report_url(report_id, f"narrative-{guarantee}")
    if form.is_submitted() and form.finding:
        return _find_in_narrative(report_id, guarantee, form)
    if form.validate_on_submit() and _numbers_of_the_country(report, form):
        try:
            with errors_on(form):
                reports.save_narrative(db.session, current_user, report.id, guarantee, form.service_data())
                return done(f"The section “{GUARANTEE_LABELS[guarantee]}” is saved.", here)
        except Conflict as error:
            return refused(error.message, here, "danger")
    return _report_page(report_id, forms={("narrative", guarantee): form})


def _numbers_of_the_country(report, form: NarrativeForm) -> bool:
    """The numbers typed in "add by number" name items of the member state; a message on
    the field for those that do not."""
    typed = parse_item_numbers(form.add_items.data)
    known = {item.id for item in items_of_report_country(db.session, report, typed)}
    unknown = [number for number in typed if number not in known]
    if unknown:
        listed = ", ".join(f"#{number}" for number in unknown[:10])
        form.add_items.errors = [f"{report.country.name} has no action item {listed}: check the number."]
    return not unknown


def _find_in_narrative(report_id: int, guarantee: str, form: NarrativeForm):
    """The report page with a narrative form's search done: the items found listed to tick,
    the numbers typed to add ticked with the others."""
    report = load_report(db.session, current_user, report_id)
    if not form.add_items.errors:
        try:
            typed = parse_item_numbers(form.add_items.data)
        except ValueError as error:
            form.add_items.errors = [str(error)]
        else:
            if _numbers_of_the_country(report, form):
                form.item_ids.data = list(dict.fromkeys([*(form.item_ids.data or []), *typed]))
                form.add_items.data = ""
    text = (form.find.data or "").strip()[:200]
    found = item_queries.find_items(db.session, report.country_code, text) if text else []
    if not text:
        form.find.errors = ["Type words of the title, or an item's number."]
    status = 422 if form.add_items.errors else 200
    return report_page(db.session, current_user, report, forms={("narrative", guarantee): form},
                       found={guarantee: found}).render(status)


@bp.get("/reports/<int:report_id>/narratives/<guarantee>/find")
@login_required
def find_for_narrative(report_id: int, guarantee: str):
    """The items found for a narrative form's search, as the part of the page that lists
    them to tick (what static/narrative.js puts in the form without reloading the page).
    ``q``: the words or numbers; ``selected``: ids already ticked, left out."""
    report = reports.get_report(db.session, current_user, report_id)
    require(current_user, "report.edit", report)
    if guarantee not in NARRATIVE_GUARANTEES or not reports.is_editable(report):
        abort(404)
    text = request.args.get("q", "").strip()[:200]
    selected = {as_id(part) for part in request.args.get("selected", "").split(",")[:500]}
    found = [item for item in item_queries.find_items(db.session, report.country_code, text)
             if item.id not in selected]
    return render_template("reporting/_narrative_found.html", prefix=f"narrative-{guarantee}", found=found,
                           query=text, find_scan=FIND_SCAN, country=report.country)


@bp.post("/reports/<int:report_id>/transitions")
@login_required
def fire_report(report_id: int):
    trigger = request.form.get("trigger", "")
    version = request.form.get("version", "")
    version = int(version) if is_number(version) else version
    queries = parse_queries(request.form.get("queries")) if trigger == "send_back" else None
    here = report_url(report_id)
    try:
        report = reports.fire_report(db.session, current_user, report_id, trigger, version, clock.now(),
                                     comment=request.form.get("comment"), queries=queries)
    except StaleVersion:
        report = reports.get_report(db.session, current_user, report_id)
        return refused(STALE_MESSAGE.format(state=workflow.REPORT_STATE_LABELS[report.state].lower()), here)
    except ValidationError as error:
        if trigger not in workflow.REPORT_TRIGGERS:  # not one of our buttons
            return refused(error.fields["trigger"][0], here, "danger")
        return _report_page(report_id, trigger_errors=error.fields, open_trigger=trigger,
                            trigger_message=error.message)
    except (Conflict, InvalidTransition) as error:
        return refused(error.message, here, "danger")
    return done(f"Done: {workflow.REPORT_TRIGGER_LABELS[trigger].lower()}. The report is now "
                f"{workflow.REPORT_STATE_LABELS[report.state].lower()}.", report_url(report.id))
