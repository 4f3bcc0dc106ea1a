"""The pages of the network's recommendations: the list, one recommendation with its country x
cycle table and chart, the assessment and validation forms, a country's recommendations, and
the exports of the table. Thin: the services check and change; the pages render."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination import clock, database, spreadsheets
from coordination.audit import downloads
from coordination.auth.policy import may, require
from coordination.directory.models import Country
from coordination.errors import ValidationError
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status, refused
from coordination.items.models import GUARANTEE_LABELS, ActionItem
from coordination.paging import MAX_PAGE, requested_page
from coordination.recommendations import charts, schemas, service
from coordination.recommendations.forms import AssessmentForm, RecommendationForm, ValidationForm, guarantee_choices
from coordination.recommendations.models import PROGRESS_LABELS
from coordination.reporting.models import CountryReport

bp = Blueprint("recommendations", __name__)
PER_PAGE = 20
ITEM_CHOICES = 100  # the newest action items of the country offered for linking


@bp.context_processor
def _labels():
    return {"guarantee_labels": GUARANTEE_LABELS}


@bp.app_context_processor
def _progress_labels():
    """The five levels' labels, for these pages and the panels on the country report's pages."""
    return {"recommendation_progress_labels": {code: gettext(label) for code, label in PROGRESS_LABELS.items()}}


@bp.app_template_global("report_recommendations")
def report_recommendations(report: CountryReport) -> list[tuple]:
    """For the country report's page and print view: the member state's recommendations and its
    assessment of each in the report's cycle, as the reader may see them."""
    return service.cycle_assessments(db.session, current_user, report.country_code, report.cycle)


@bp.app_template_global("recommendations_to_assess")
def recommendations_to_assess() -> list[tuple]:
    """For the coordinator's home: the open cycles with recommendations still to assess."""
    return service.to_assess(db.session, current_user)


@bp.get("/recommendations")
@login_required
def list_recommendations():
    require(current_user, "recommendations.read")
    args = request.args.to_dict()
    args["page"] = min(requested_page(request.args), MAX_PAGE)
    try:
        filters = schemas.RecommendationQuery.parse(args)
    except ValidationError:
        filters = schemas.RecommendationQuery.parse({"page": args["page"]})
    rows, total = service.recommendation_page(db.session, filters, PER_PAGE)
    countries = list(db.session.scalars(select(Country).order_by(Country.name)))
    return render_template("recommendations/list.html", rows=rows, total=total, filters=filters,
                           per_page=PER_PAGE, countries=countries, guarantees=guarantee_choices(gettext("Any")))


@bp.route("/recommendations/new", methods=["GET", "POST"])
@login_required
def new_recommendation():
    require(current_user, "recommendations.manage")
    countries = list(db.session.scalars(select(Country).order_by(Country.name)))
    form = RecommendationForm(countries)
    if form.validate_on_submit():
        with errors_on(form):
            recommendation = service.create_recommendation(db.session, current_user, form.service_data(), clock.now())
            return done(gettext("The recommendation is adopted."),
                        url_for("recommendations.show_recommendation", recommendation_id=recommendation.id))
    return render_template("recommendations/form.html", form=form), form_status(form)


@bp.get("/recommendations/<int:recommendation_id>")
@login_required
def show_recommendation(recommendation_id: int):
    table = service.progress_table(db.session, current_user, recommendation_id)
    chart = charts.progress_chart(table, "progress-chart", gettext("Validated progress over the cycles"))
    return render_template("recommendations/detail.html", table=table, recommendation=table.recommendation,
                           chart=chart)


def _items_offered(country_code: str, linked) -> list[ActionItem]:
    newest = list(db.session.scalars(select(ActionItem).where(ActionItem.country_code == country_code)
                                      .order_by(ActionItem.country_code, ActionItem.updated_at.desc(),
                                                ActionItem.id.desc()).limit(ITEM_CHOICES)))
    known = {item.id for item in newest}
    return [*[item for item in linked if item.id not in known], *newest]


@bp.route("/recommendations/<int:recommendation_id>/assessments/<country>/<int:cycle_id>", methods=["GET", "POST"])
@login_required
def assessment_page(recommendation_id: int, country: str, cycle_id: int):
    recommendation, slot, assessment = service.assessment_of(db.session, current_user, recommendation_id, country,
                                                             cycle_id)
    if slot.country_code not in service.addressed_codes(recommendation):
        abort(404)
    may_assess = (may(current_user, "assessment.assess", slot) and slot.cycle.state == "open"
                  and (assessment is None or assessment.state != "validated"))
    form = validation = None
    if may_assess:
        linked = assessment.items if assessment else []
        form = AssessmentForm(_items_offered(slot.country_code, linked), obj=assessment)
        if request.method == "GET" and assessment is not None:
            form.action_item_ids.data = [item.id for item in linked]
        if form.validate_on_submit():
            with errors_on(form):
                service.assess(db.session, current_user, recommendation.id, slot.country_code, slot.cycle.id,
                               form.service_data(), clock.now())
                return done(gettext("The assessment is saved."), request.path)
    elif request.method == "POST":
        require(current_user, "assessment.assess", slot)
        return refused(gettext("This assessment can no longer be changed: it is validated, or the cycle is not "
                               "open."), request.path)
    if assessment is not None and may(current_user, "assessment.validate", slot):
        validation = ValidationForm(prefix="validation", data={"progress": assessment.validated_progress
                                                               or assessment.progress,
                                                               "comment": assessment.validation_comment})
    status = form_status(form) if form is not None else 200
    return render_template("recommendations/assessment.html", recommendation=recommendation, slot=slot,
                           assessment=assessment, form=form, validation=validation,
                           country=db.session.get(Country, slot.country_code)), status


@bp.post("/recommendations/<int:recommendation_id>/assessments/<country>/<int:cycle_id>/validate")
@login_required
def validate_page(recommendation_id: int, country: str, cycle_id: int):
    recommendation, slot, assessment = service.assessment_of(db.session, current_user, recommendation_id, country,
                                                             cycle_id)
    require(current_user, "assessment.validate", slot)
    if assessment is None:
        abort(404)
    validation = ValidationForm(prefix="validation")
    if validation.validate_on_submit():
        with errors_on(validation):
            service.validate(db.session, current_user, recommendation.id, slot.country_code, slot.cycle.id,
                             validation.service_data(), clock.now())
            return done(gettext("The assessment is validated."),
                        url_for("recommendations.show_recommendation", recommendation_id=recommendation.id))
    return render_template("recommendations/assessment.html", recommendation=recommendation, slot=slot,
                           assessment=assessment, form=None, validation=validation,
                           country=db.session.get(Country, slot.country_code)), 422


@bp.get("/countries/<country_code>/recommendations")
@login_required
def country_recommendations(country_code: str):
    country, recommendations, cells = service.country_recommendations(db.session, current_user, country_code)
    return render_template("recommendations/country.html", country=country, recommendations=recommendations,
                           cells=cells, cycles=service.assessed_cycles(db.session))


def _export_rows(table) -> list[list]:
    rows = []
    for country in table.countries:
        for cycle in table.cycles:
            cell = table.cells.get((country.code, cycle.id))
            if cell is None:
                continue
            rows.append([country.code, country.name, cycle.name, gettext(PROGRESS_LABELS[cell.progress]),
                         gettext(PROGRESS_LABELS[cell.validated_progress]) if cell.validated_progress else "",
                         cell.validation_comment, cell.evidence, ", ".join(str(i.id) for i in cell.items)])
    return rows


@bp.get("/recommendations/<int:recommendation_id>.<any(csv, xlsx):extension>")
@login_required
@database.writes
def export_recommendation(recommendation_id: int, extension: str):
    table = service.progress_table(db.session, current_user, recommendation_id)
    columns = [gettext("Country code"), gettext("Member state"), gettext("Cycle"), gettext("Country's rating"),
               gettext("Validated progress"), gettext("Secretariat's comment"), gettext("Evidence"),
               gettext("Action items")]
    rows = _export_rows(table)
    name = table.recommendation.title
    data = (spreadsheets.csv_bytes(columns, rows) if extension == "csv"
            else spreadsheets.xlsx_bytes([(gettext("Progress"), columns, rows)]))
    return downloads.download(db.session, current_user._get_current_object(), clock.now(), data, "recommendation",
                              name, extension)
