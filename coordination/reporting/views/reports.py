"""The pages of a country report: the report, and what is posted from it (a value, an
assignment, an answer to a query, a narrative section, a workflow step)."""
from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coordination import clock, i18n
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
from coordination.reporting import checks, history, reports, templates, workflow
from coordination.reporting.forms import (
    AnswerForm,
    AssignForm,
    NarrativeForm,
    ValueForm,
    parse_item_numbers,
    parse_queries,
    posted_queries,
    send_back_form,
)
from coordination.reporting.models import NARRATIVE_GUARANTEES, CountryReport, value_of
from coordination.reporting.views.blueprint import bp, labels, report_url, translated
from coordination.reporting.views.report_page import (
    check_page,
    items_of_report_country,
    load_report,
    report_checks,
    report_page,
    send_back_page,
    subject_labels,
)

STALE_MESSAGE = i18n.N_("Someone else changed this report in the meantime. It is now %(state)s: "
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
                reports.set_value(db.session, current_user, report.id, code, form.service_data(), clock.now(),
                                  source="data_request" if item_id else "page")
                saved = gettext("The value of “%(name)s” is saved.", name=indicator.name)
                failed = checks.by_code(report_checks(db.session, report)).get(code, [])
                if failed:
                    saved += " " + gettext("Check it: %(messages)s", messages=" ".join(c.message for c in failed))
                if item_id:
                    saved += " " + gettext("When it is complete, submit the data request with a comment for "
                                           "the coordinator.")
                return done(saved, here)
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
    indicator = reports.indicator_of(report, code)
    if indicator is None:
        abort(404)
    form = AssignForm(prefix=f"assign-{code}").set_ministries(report.country.ministries)
    here = report_url(report_id, f"indicator-{code}")
    if form.validate_on_submit():
        try:
            with errors_on(form):
                row = reports.assign_indicator(db.session, current_user, report.id,
                                               {"indicator_code": code, "ministry_id": form.ministry_id.data},
                                               clock.now(), current_app.config["DATA_REQUEST_LEAD_WORKING_DAYS"])
                return done(gettext("“%(name)s” is requested from %(ministry)s: a data request is in their "
                                    "inbox, due %(day)s.", name=indicator.name, ministry=row.holding_ministry.acronym,
                                    day=i18n.format_day(row.item.due_date, "long")), here)
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
                label = subject_labels(query_report(query)).get(query.indicator_code, query.indicator_code)
                return done(gettext("Your answer on “%(name)s” is saved.", name=label),
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
                return done(gettext("The section “%(name)s” is saved.", name=translated(GUARANTEE_LABELS[guarantee])),
                            here)
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
        form.add_items.errors = [gettext("%(country)s has no action item %(numbers)s: check the number.",
                                         country=report.country.name, numbers=listed)]
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
        form.find.errors = [gettext("Type words of the title, or an item's number.")]
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
                                     comment=request.form.get("comment"), queries=queries,
                                     outlier_points=current_app.config["OUTLIER_POINTS"])
    except StaleVersion:
        report = reports.get_report(db.session, current_user, report_id)
        return refused(stale_message(report), here)
    except ValidationError as error:
        if trigger not in workflow.REPORT_TRIGGERS:  # not one of our buttons
            return refused(error.fields["trigger"][0], here, "danger")
        return _report_page(report_id, trigger_errors=error.fields, open_trigger=trigger,
                            trigger_message=error.message)
    except (Conflict, InvalidTransition) as error:
        return refused(error.message, here, "danger")
    return done(done_message(trigger, report), report_url(report.id))


def stale_message(report) -> str:
    return gettext(STALE_MESSAGE, state=str(translated(workflow.REPORT_STATE_LABELS[report.state])).lower())


def done_message(trigger: str, report) -> str:
    return gettext("Done: %(step)s. The report is now %(state)s.",
                   step=str(translated(workflow.REPORT_TRIGGER_LABELS[trigger])).lower(),
                   state=str(translated(workflow.REPORT_STATE_LABELS[report.state])).lower())


def query_report(query):
    return db.session.get(CountryReport, query.report_id)


@bp.get("/reports/<int:report_id>/submit")
@login_required
def check_report(report_id: int):
    """Check your answers: the whole report in one summary, with the button that submits it
    (the report page's "Submit to the secretariat…" leads here)."""
    report = load_report(db.session, current_user, report_id)
    if "submit" not in reports.allowed_report_triggers(current_user, report):
        require(current_user, "report.submit", report)
        return refused(gettext("The report cannot be submitted now: it is %(state)s.",
                               state=str(translated(workflow.REPORT_STATE_LABELS[report.state])).lower()),
                       report_url(report_id))
    return check_page(db.session, current_user, report).render()


def _send_back_form(report, formdata=...):
    labels = subject_labels(report)
    return send_back_form(list(labels), labels, formdata)


@bp.route("/reports/<int:report_id>/send-back", methods=["GET", "POST"])
@login_required
def send_back(report_id: int):
    """The secretariat's return of a submitted report: a comment, and a query next to each
    value and narrative section it asks about."""
    report = load_report(db.session, current_user, report_id)
    here = report_url(report_id)
    if "send_back" not in reports.allowed_report_triggers(current_user, report):
        require(current_user, "report.send_back", report)
        return refused(gettext("The report cannot be sent back now: it is %(state)s.",
                               state=str(translated(workflow.REPORT_STATE_LABELS[report.state])).lower()), here)
    form = _send_back_form(report) if request.method == "POST" else _send_back_form(report, None)
    if request.method == "POST" and form.validate_on_submit():
        version = request.form.get("version", "")
        try:
            reports.fire_report(db.session, current_user, report_id, "send_back",
                                int(version) if is_number(version) else version, clock.now(),
                                comment=form.comment.data, queries=posted_queries(form))
        except StaleVersion:
            report = reports.get_report(db.session, current_user, report_id)
            return refused(stale_message(report), here)
        except ValidationError as error:
            for name, messages in error.fields.items():
                target = form.comment if name == "comment" else None
                if target is not None:
                    target.errors = list(target.errors) + list(messages)
                else:
                    form.form_errors.extend(messages)
        except (Conflict, InvalidTransition) as error:
            return refused(error.message, here, "danger")
        else:
            return done(done_message("send_back", report), here)
    status = 422 if request.method == "POST" else 200
    return send_back_page(db.session, current_user, report, form).render(status)


@bp.get("/reports/<int:report_id>/values/<code>/history")
@login_required
def value_history(report_id: int, code: str):
    """Every saved change of one value, oldest first: who, when, and what it held."""
    report = reports.get_report(db.session, current_user, report_id)
    indicator = reports.indicator_of(report, code)
    if indicator is None:
        abort(404)
    row = reports.values_by_code(report)[indicator.code]
    return render_template("reporting/value_history.html", report=report, cycle=report.cycle, indicator=indicator,
                           row=row, changes=history.changes_of(db.session, row), value_of=value_of,
                           source_labels=labels(history.SOURCE_LABELS))
