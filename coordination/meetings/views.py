"""The meeting pages: a country's meetings and the regional network's, one meeting with its
attendees, minutes, decisions and (a national one) files, the record/edit form, the "Record a
decision" form and the upload form of a national meeting's files."""
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coordination import clock, paging
from coordination.attachments import service as attachments
from coordination.attachments.forms import UploadForm
from coordination.attachments.responses import FORM_ALLOWANCE
from coordination.auth.policy import may, require
from coordination.directory.models import Country
from coordination.directory.service import get_country
from coordination.errors import NotFound, StaleVersion, ValidationError
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status, refused, show_errors
from coordination.limits import body_limit
from coordination.meetings import service
from coordination.meetings.forms import DecisionForm, MeetingForm

bp = Blueprint("meetings", __name__)
PER_PAGE = 25


def _list(country: Country | None):
    page = paging.requested_page(request.args)
    meetings, total = service.list_meetings(db.session, current_user, country, page, PER_PAGE)
    return render_template("meetings/list.html", country=country, meetings=meetings, total=total, page=page,
                           pages=max(1, -(-total // PER_PAGE)),
                           may_record=may(current_user, "meeting.create", country))


@bp.get("/meetings")
@login_required
def regional_meetings():
    return _list(None)


@bp.get("/countries/<code>/meetings")
@login_required
def country_meetings(code: str):
    return _list(get_country(db.session, code))


def _choices(form: MeetingForm, country: Country | None) -> None:
    if country is not None:
        form.attendee_ministry_ids.choices = [(m.id, f"{m.acronym} — {m.name}") for m in country.ministries]
        del form.attendee_countries
    else:
        countries = db.session.query(Country).order_by(Country.name).all()
        form.attendee_countries.choices = [(c.code, c.name) for c in countries]
        del form.attendee_ministry_ids


def _show(form, error) -> None:
    """The service's field errors next to the form's fields (ids and codes by their field names)."""
    for name, messages in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
        else:
            form.form_errors.extend(messages)


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new_meeting():
    country = current_user.country if current_user.country_code else None
    require(current_user, "meeting.create", country)
    form = MeetingForm()
    _choices(form, country)
    if form.validate_on_submit():
        with errors_on(form, _show):
            meeting = service.create_meeting(db.session, current_user, form.service_data(country is not None),
                                             clock.now())
            return done(gettext("The meeting is recorded."), url_for("meetings.show_meeting", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, country=country, meeting=None), form_status(form)


@bp.get("/meetings/<int:meeting_id>")
@login_required
def show_meeting(meeting_id: int):
    meeting = service.get_meeting(db.session, current_user, meeting_id)
    return _meeting_page(meeting, _decision_form(meeting))


def _decision_form(meeting):
    form = DecisionForm()
    if meeting.country_code is not None:
        form.ministry_id.choices = [("", gettext("— none: a draft for me to assign —"))] + [
            (str(m.id), f"{m.acronym} — {m.name}") for m in meeting.country.ministries]
        del form.country
    else:
        countries = db.session.query(Country).order_by(Country.name).all()
        form.country.choices = [("", gettext("— choose —"))] + [(c.code, c.name) for c in countries]
        del form.ministry_id
    return form


def _meeting_page(meeting, form, status: int = 200):
    decisions = service.decisions(db.session, current_user, meeting, clock.now())
    return render_template("meetings/detail.html", meeting=meeting, decisions=decisions, form=form,
                           files=attachments.of_meeting(db.session, meeting),
                           may_edit=may(current_user, "meeting.edit", meeting),
                           may_attach=may(current_user, "meeting.attach", meeting)), status


@bp.post("/meetings/<int:meeting_id>/decisions")
@login_required
def record_decision(meeting_id: int):
    meeting = service.get_meeting(db.session, current_user, meeting_id)
    require(current_user, "meeting.decide", meeting)
    form = _decision_form(meeting)
    if form.validate_on_submit():
        with errors_on(form, _show):
            service.record_decision(db.session, current_user, meeting.id,
                                    form.service_data(meeting.country_code is not None), clock.now())
            return done(gettext("The decision is recorded as an action item."),
                        url_for("meetings.show_meeting", meeting_id=meeting.id) + "#decisions")
    return _meeting_page(meeting, form, 422)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(meeting_id: int):
    meeting = service.get_meeting(db.session, current_user, meeting_id)
    require(current_user, "meeting.edit", meeting)
    form = MeetingForm(obj=meeting)
    _choices(form, meeting.country)
    if not form.is_submitted():
        form.version.data = str(meeting.version)
        if meeting.country_code is not None:
            form.attendee_ministry_ids.data = [m.id for m in meeting.ministries]
        else:
            form.attendee_countries.data = [c.code for c in meeting.countries]
    if form.validate_on_submit():
        target = url_for("meetings.show_meeting", meeting_id=meeting.id)
        with errors_on(form, _show):
            try:
                service.update_meeting(db.session, current_user, meeting.id,
                                       form.service_data(meeting.country_code is not None), clock.now())
            except StaleVersion:
                return refused(gettext("Someone else changed this meeting in the meantime: nothing was saved. "
                                       "Here it is as it is now."), target)
            return done(gettext("The meeting is saved."), target)
    return render_template("meetings/form.html", form=form, country=meeting.country, meeting=meeting), \
        form_status(form)


@bp.route("/meetings/<int:meeting_id>/attachments", methods=["GET", "POST"])
@body_limit("MAX_ATTACHMENT_BYTES", FORM_ALLOWANCE)
@login_required
def upload_to_meeting(meeting_id: int):
    meeting = service.get_meeting(db.session, current_user, meeting_id)
    if meeting.country_code is None:
        raise NotFound(gettext("Only the meetings of a national coordination mechanism take files: "
                               "this is a meeting of the regional network."))
    require(current_user, "meeting.attach", meeting)
    max_bytes = current_app.config["MAX_ATTACHMENT_BYTES"]
    form = UploadForm().with_limit(max_bytes)
    target = url_for("meetings.show_meeting", meeting_id=meeting.id) + "#attachments"
    status = 200
    if form.validate_on_submit():
        part = form.file.data
        upload = attachments.Upload(part.filename, part.stream) if part is not None else attachments.Upload(None, None)
        try:
            attachment = attachments.attach_to_meeting(db.session, current_user, meeting, upload,
                                                       form.service_data(), clock.now(), max_bytes)
            return done(gettext("The file “%(name)s” is attached.", name=attachment.filename), target)
        except (attachments.TooLarge, attachments.UnsupportedType) as error:
            form.file.errors = [error.message]
            status = error.status
        except ValidationError as error:
            show_errors(form, error)
    if status == 200:
        status = form_status(form)
    return render_template("attachments/upload.html", form=form, item=None, report=None, practice=None,
                           meeting=meeting, back=target,
                           action=url_for("meetings.upload_to_meeting", meeting_id=meeting.id)), status
