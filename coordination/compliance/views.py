"""Compliance, scorecard, regional comparison and progress pages, and their exports.
Thin: the queries check visibility and compute; the views render, or stream a file."""
from io import BytesIO

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coordination import clock, database, i18n
from coordination.audit import downloads
from coordination.auth.policy import may, require
from coordination.compliance import charts, exports, figures, queries, rules, sdmx
from coordination.compliance.forms import ExtensionForm
from coordination.extensions import db
from coordination.forms import done, errors_on
from coordination.reporting import cycles
from coordination.reporting.models import UNIT_LABELS
from coordination.reporting.values import LOWER_STATUS_LABELS, STATUS_LABELS, format_value
from coordination.reporting.workflow import CYCLE_STATE_LABELS, REPORT_STATE_LABELS

bp = Blueprint("compliance", __name__)


@bp.app_template_filter("figure")
def _figure(value, unit: str = "number") -> str:
    return format_value(value, unit)


@bp.app_template_filter("translated")
def _translated(label: str) -> str:
    """A label held in a constant (marked with N_ where it is defined), in the language in use."""
    return gettext(label) if label else label


@bp.app_template_filter("local_instant")
def _local_instant(instant) -> str:
    """An aware instant on its own wall clock, with its UTC offset: 31 Mar 2027, 23:59:59 (UTC+08:00)."""
    if instant is None:
        return ""
    offset = instant.strftime("%z")
    return i18n.format_instant(instant, instant.tzinfo, seconds=True) + f" (UTC{offset[:3]}:{offset[3:]})"


@bp.context_processor
def _labels():
    return {"compliance_labels": rules.COMPLIANCE_LABELS, "report_state_labels": REPORT_STATE_LABELS,
            "cycle_state_labels": CYCLE_STATE_LABELS, "unit_labels": UNIT_LABELS,
            "classification_labels": STATUS_LABELS, "lower_classification_labels": LOWER_STATUS_LABELS}


def _download(data: bytes, kind: str, name: str, extension: str):
    return downloads.download(db.session, current_user._get_current_object(), clock.now(), data, kind, name,
                              extension)


# -- index ------------------------------------------------------------------------------------------

@bp.get("/compliance")
@login_required
def index():
    require(current_user, "compliance.overview")
    return render_template("compliance/index.html", cycles=queries.visible_cycles(db.session, current_user))


# -- one cycle ------------------------------------------------------------------------------------

def _cycle_page(result: queries.CycleCompliance, form: ExtensionForm | None = None, status: int = 200):
    if form is None and may(current_user, "cycles.manage"):
        form = ExtensionForm()
    if form is not None:
        form.set_countries(result.rows)
    cycle = result.cycle
    status_chart = charts.compliance_bar(result.totals, "chart-status",
                                        gettext("Reports by compliance: %(cycle)s", cycle=cycle.name))
    completeness_chart = charts.horizontal_bars(
        [(r.country_name, r.completeness) for r in result.rows], "chart-completeness",
        gettext("Completeness by member state: %(cycle)s", cycle=cycle.name),
        empty=gettext("No member state reports in this cycle yet."))
    return render_template("compliance/cycle.html", result=result, cycle=cycle, form=form,
                           status_chart=status_chart, completeness_chart=completeness_chart), status


@bp.get("/cycles/<int:cycle_id>/compliance")
@login_required
def cycle_compliance(cycle_id: int):
    return _cycle_page(queries.cycle_compliance(db.session, current_user, cycle_id, clock.now()))


@bp.post("/cycles/<int:cycle_id>/extensions")
@login_required
def grant_extension(cycle_id: int):
    result = queries.cycle_compliance(db.session, current_user, cycle_id, clock.now())
    require(current_user, "cycles.manage")
    form = ExtensionForm()
    form.set_countries(result.rows)
    if form.validate_on_submit():
        with errors_on(form):
            extension = cycles.grant_extension(db.session, current_user, cycle_id, form.service_data(), clock.now())
            name = next((r.country_name for r in result.rows if r.country == extension.country_code),
                        extension.country_code)
            return done(gettext("%(country)s now reports by %(day)s (extension granted).", country=name,
                                day=i18n.format_day(extension.deadline)),
                        url_for("compliance.cycle_compliance", cycle_id=cycle_id))
    return _cycle_page(result, form, status=422)


@bp.get("/cycles/<int:cycle_id>/compliance.csv")
@login_required
@database.writes
def cycle_compliance_csv(cycle_id: int):
    result = queries.cycle_compliance(db.session, current_user, cycle_id, clock.now())
    return _download(exports.compliance_csv(result.rows), "compliance", result.cycle.name, "csv")


@bp.get("/cycles/<int:cycle_id>/compliance.xlsx")
@login_required
@database.writes
def cycle_compliance_xlsx(cycle_id: int):
    result = queries.cycle_compliance(db.session, current_user, cycle_id, clock.now())
    data = exports.compliance_xlsx(result.cycle.name, result.rows, result.totals)
    return _download(data, "compliance", result.cycle.name, "xlsx")


# -- across cycles --------------------------------------------------------------------------------

@bp.get("/compliance/scorecard")
@login_required
def scorecard():
    if current_user.country_code is not None:  # a member state's users have their own record
        return redirect(url_for("compliance.country_compliance", code=current_user.country_code))
    card = queries.scorecard(db.session, current_user, clock.now())
    chart = charts.horizontal_bars([(c.name, card.totals[c.id].reporting_rate_on_time) for c in card.cycles],
                                   "chart-scorecard", gettext("Reporting rate on time, by cycle"),
                                   empty=gettext("No cycle has been opened yet."))
    return render_template("compliance/scorecard.html", card=card, chart=chart)


@bp.get("/compliance/scorecard.csv")
@login_required
@database.writes
def scorecard_csv():
    card = queries.scorecard(db.session, current_user, clock.now())
    return _download(exports.compliance_csv(card.rows), "scorecard", clock.now().date().isoformat(), "csv")


@bp.get("/compliance/scorecard.xlsx")
@login_required
@database.writes
def scorecard_xlsx():
    card = queries.scorecard(db.session, current_user, clock.now())
    return _download(exports.scorecard_xlsx(card), "scorecard", clock.now().date().isoformat(), "xlsx")


@bp.get("/countries/<code>/compliance")
@login_required
def country_compliance(code: str):
    record = queries.country_record(db.session, current_user, code, clock.now())
    chart = charts.horizontal_bars([(r.cycle_name, r.completeness) for r in record.rows], "chart-country",
                                   gettext("Completeness by cycle: %(country)s", country=record.country.name),
                                   empty=gettext("The member state has not reported in any cycle yet."))
    return render_template("compliance/country.html", record=record, chart=chart)


# -- the regional comparison and progress ---------------------------------------------------------

@bp.get("/cycles/<int:cycle_id>/comparison")
@login_required
def comparison(cycle_id: int):
    result = figures.comparison(db.session, current_user, cycle_id)
    chosen = result.indicator(request.args.get("indicator"))
    chart = None
    if chosen is not None:
        chart = charts.indicator_chart(chosen, "chart-indicator",
                                       gettext("%(indicator)s by member state, %(cycle)s", indicator=chosen.name,
                                               cycle=result.cycle.name))
    return render_template("compliance/comparison.html", result=result, chosen=chosen, chart=chart)


@bp.get("/cycles/<int:cycle_id>/comparison.csv")
@login_required
@database.writes
def comparison_csv(cycle_id: int):
    result = figures.comparison(db.session, current_user, cycle_id)
    return _download(exports.comparison_csv(result), "comparison", result.cycle.name, "csv")


@bp.get("/cycles/<int:cycle_id>/comparison.xlsx")
@login_required
@database.writes
def comparison_xlsx(cycle_id: int):
    result = figures.comparison(db.session, current_user, cycle_id)
    return _download(exports.comparison_xlsx(result), "comparison", result.cycle.name, "xlsx")


@bp.get("/cycles/<int:cycle_id>/sdmx.csv")
@login_required
@database.writes
def comparison_sdmx(cycle_id: int):
    """The API's SDMX-CSV file, for the signed-in page (the API door takes a token)."""
    cycle, rows = sdmx.observations(db.session, current_user, cycle_id)
    downloads.record_export(db.session, current_user._get_current_object(), clock.now(), "sdmx", cycle.name, "csv")
    response = send_file(BytesIO(sdmx.to_csv(rows)), mimetype=sdmx.MEDIA_TYPE, as_attachment=True,
                         download_name=sdmx.filename(cycle))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/countries/<code>/progress")
@login_required
def progress(code: str):
    result = figures.progress(db.session, current_user, code)
    chosen = result.indicator(request.args.get("indicator"))
    chart = None
    if chosen is not None:
        points = [(c.name, chosen.values.get(c.id, (None, None))[0], chosen.status(c.id)) for c in result.cycles]
        chart = charts.series_chart(points, chosen.unit, chosen.floor, chosen.target, "chart-progress",
                                    gettext("%(indicator)s: %(country)s over cycles", indicator=chosen.name,
                                            country=result.country.name), chosen.better)
    return render_template("compliance/progress.html", result=result, chosen=chosen, chart=chart)
