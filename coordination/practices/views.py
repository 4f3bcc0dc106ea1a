"""The good-practice pages: the library, one practice with its questions, the form that writes
one up, publishing and withdrawing (each asks first), a practice's files."""
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination import clock, paging
from coordination.attachments import service as attachments
from coordination.attachments.forms import UploadForm
from coordination.attachments.responses import FORM_ALLOWANCE
from coordination.auth.policy import may, require
from coordination.directory.models import Country
from coordination.errors import InvalidTransition, StaleVersion, ValidationError
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status, refused, show_errors
from coordination.items.models import GUARANTEE_LABELS, GUARANTEES
from coordination.items.queries import ListPage
from coordination.limits import body_limit
from coordination.practices import library, service
from coordination.practices.forms import AnswerForm, PracticeForm, QuestionForm
from coordination.practices.models import STATE_LABELS
from coordination.search.text import MAX_QUERY

bp = Blueprint("practices", __name__)


@bp.app_template_global()
def country_practices(country_code: str):
    """The practices of a member state its page lists (those the user may read)."""
    return library.of_country(db.session, current_user, country_code)


@bp.app_template_global()
def newest_practices():
    """The newest published practices (the secretariat's home)."""
    return library.newest(db.session, current_user)


@bp.app_template_global()
def practice_state_label(state: str) -> str:
    return gettext(STATE_LABELS[state])


@bp.app_template_global()
def practice_guarantee_label(guarantee: str) -> str:
    return GUARANTEE_LABELS[guarantee]


def _url(practice_id: int, anchor: str = "") -> str:
    return url_for("practices.show_practice", practice_id=practice_id) + anchor


@bp.get("/practices", endpoint="library")
@login_required
def library_page():
    args = request.args
    guarantee = args.get("guarantee") if args.get("guarantee") in GUARANTEES else None
    codes = {c.code: c for c in _countries()}
    country = (args.get("country") or "").upper()
    filters = library.Filters(q=args.get("q", "")[:MAX_QUERY].strip(), guarantee=guarantee,
                              country=country if country in codes else None)
    number = paging.requested_page(args)
    found, total = library.practice_page(db.session, current_user, filters, number)
    return render_template("practices/library.html", filters=filters, countries=list(codes.values()),
                           guarantees=GUARANTEE_LABELS, page=ListPage(found, total, number, library.PER_PAGE),
                           may_write=may(current_user, "practice.create"))


def _countries():
    return db.session.scalars(select(Country).order_by(Country.name)).all()


def _show(practice, question_form=None, answer_forms=None, status=200):
    answer_forms = answer_forms or {}
    if may(current_user, "practice.answer", practice):
        for question in practice.questions:
            if not question.answer and question.id not in answer_forms:
                form = AnswerForm(prefix=f"a{question.id}", formdata=None)
                form.reply_to.data = str(question.id)
                answer_forms[question.id] = form
    return render_template(
        "practices/detail.html", practice=practice, files=attachments.of_practice(db.session, practice),
        question_form=question_form or (QuestionForm(formdata=None) if may(current_user, "practice.ask", practice)
                                        else None),
        answer_forms=answer_forms, triggers=service.allowed_triggers(current_user, practice)), status


@bp.get("/practices/<int:practice_id>")
@login_required
def show_practice(practice_id: int):
    return _show(service.get_practice(db.session, current_user, practice_id))


def _form_page(form, practice=None):
    return render_template("practices/form.html", form=form, practice=practice), form_status(form)


@bp.route("/practices/new", methods=["GET", "POST"])
@login_required
def new_practice():
    require(current_user, "practice.create")
    form = PracticeForm()
    form.set_contacts(service.contact_choices(db.session, current_user.country_code))
    if not form.is_submitted():
        form.contact_user_id.data = str(current_user.id)
    if form.validate_on_submit():
        with errors_on(form):
            practice = service.create_practice(db.session, current_user, form.service_data(), clock.now())
            return done(gettext("The draft is saved. Only your member state sees it until you publish it."),
                        _url(practice.id))
    return _form_page(form)


@bp.route("/practices/<int:practice_id>/edit", methods=["GET", "POST"])
@login_required
def edit_practice(practice_id: int):
    practice = service.get_practice(db.session, current_user, practice_id)
    require(current_user, "practice.edit", practice)
    form = PracticeForm(obj=None if request.method == "POST" else practice)
    form.set_contacts(service.contact_choices(db.session, practice.country_code))
    if not form.is_submitted():
        form.contact_user_id.data = str(practice.contact_user_id or "")
        form.guarantee.data = practice.guarantee or ""
        form.version.data = str(practice.version)
    if form.validate_on_submit():
        try:
            with errors_on(form):
                service.update_practice(db.session, current_user, practice.id, form.service_data(), clock.now())
                return done(gettext("The practice is saved."), _url(practice.id))
        except StaleVersion as error:
            return refused(error.message, _url(practice.id))
    return _form_page(form, practice)


def _step(practice_id: int, trigger: str, template: str, message: str):
    practice = service.get_practice(db.session, current_user, practice_id)
    require(current_user, f"practice.{trigger}", practice)
    if request.method == "POST":
        try:
            service.fire(db.session, current_user, practice.id, trigger,
                         {"version": request.form.get("version")}, clock.now())
        except (InvalidTransition, StaleVersion) as error:
            return refused(error.message, _url(practice.id))
        except ValidationError:
            return refused(gettext("Reload the practice and try again."), _url(practice.id))
        return done(message, _url(practice.id))
    return render_template(template, practice=practice)


@bp.route("/practices/<int:practice_id>/publish", methods=["GET", "POST"])
@login_required
def publish_practice(practice_id: int):
    """Publishing asks first, on a page of its own: the whole network then reads the practice."""
    return _step(practice_id, "publish", "practices/publish.html",
                 gettext("The practice is published: every member state, the secretariat and the observers "
                         "read it now."))


@bp.route("/practices/<int:practice_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_practice(practice_id: int):
    return _step(practice_id, "withdraw", "practices/withdraw.html",
                 gettext("The practice is withdrawn: it is a draft of your member state again."))


@bp.post("/practices/<int:practice_id>/questions")
@login_required
def ask_question(practice_id: int):
    practice = service.get_practice(db.session, current_user, practice_id)
    require(current_user, "practice.ask", practice)
    form = QuestionForm()
    if form.validate_on_submit():
        with errors_on(form):
            service.comment(db.session, current_user, practice.id, {"comment": form.comment.data}, clock.now())
            return done(gettext("Your question is posted. You will be told when it is answered."),
                        _url(practice.id, "#questions"))
    return _show(practice, question_form=form, status=form_status(form))


@bp.post("/practices/<int:practice_id>/answers/<int:question_id>")
@login_required
def answer_question(practice_id: int, question_id: int):
    practice = service.get_practice(db.session, current_user, practice_id)
    require(current_user, "practice.answer", practice)
    form = AnswerForm(prefix=f"a{question_id}")
    if form.validate_on_submit():
        with errors_on(form, show=lambda f, error: show_errors(f, _as_comment(error))):
            service.comment(db.session, current_user, practice.id,
                            {"comment": form.comment.data, "reply_to": question_id}, clock.now())
            return done(gettext("Your answer is posted; the asker is told."), _url(practice.id, "#questions"))
    return _show(practice, answer_forms={question_id: form}, status=form_status(form))


def _as_comment(error: ValidationError) -> ValidationError:
    """A refusal of the question answered shown on the answer's box."""
    messages = [m for values in error.fields.values() for m in values]
    return ValidationError({"comment": messages})


def _max_bytes() -> int:
    return current_app.config["MAX_ATTACHMENT_BYTES"]


@bp.route("/practices/<int:practice_id>/attachments", methods=["GET", "POST"])
@body_limit("MAX_ATTACHMENT_BYTES", FORM_ALLOWANCE)
@login_required
def upload_to_practice(practice_id: int):
    practice = service.get_practice(db.session, current_user, practice_id)
    require(current_user, "practice.attach", practice)
    form = UploadForm().with_limit(_max_bytes())
    target = _url(practice.id, "#attachments")
    status = 200
    if form.validate_on_submit():
        part = form.file.data
        upload = attachments.Upload(part.filename, part.stream) if part is not None else attachments.Upload(None, None)
        try:
            attachment = attachments.attach_to_practice(db.session, current_user, practice.id, upload,
                                                        form.service_data(), clock.now(), _max_bytes())
            return done(gettext("The file “%(name)s” is attached.", name=attachment.filename), target)
        except (attachments.TooLarge, attachments.UnsupportedType) as error:
            form.file.errors = [error.message]
            status = error.status
        except ValidationError as error:
            show_errors(form, error)
    if status == 200:
        status = form_status(form)
    return render_template("attachments/upload.html", form=form, item=None, report=None, practice=practice,
                           back=target, action=url_for("practices.upload_to_practice", practice_id=practice.id)), status
