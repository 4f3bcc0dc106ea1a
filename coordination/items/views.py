"""Action-item pages: list, item, new and edit forms, transitions, comments, summary, help."""
from io import BytesIO

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coordination import client, clock, database, paging, spreadsheets
from coordination.attachments import files
from coordination.attachments import service as attachments
from coordination.attachments.responses import FORM_ALLOWANCE
from coordination.audit import service as audit
from coordination.auth.policy import require
from coordination.errors import DomainError, Forbidden, InvalidTransition, StaleVersion, ValidationError
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status, refused, show_errors
from coordination.ids import is_number
from coordination.items import diagram, exports, queries, service, workflow
from coordination.items.forms import BULK_STEPS, PRIORITY_LABELS, CommentForm, ItemForm, due_date_warning
from coordination.items.models import GUARANTEE_LABELS
from coordination.items.pages import edit_conflict_sentence, item_page
from coordination.limits import body_limit

bp = Blueprint("items", __name__)


@bp.app_context_processor
def _labels():
    return {"state_labels": workflow.STATE_LABELS, "trigger_labels": workflow.TRIGGER_LABELS,
            "guarantee_labels": GUARANTEE_LABELS, "priority_labels": PRIORITY_LABELS}


@bp.get("/items")
@login_required
def list_items():
    if current_user.country_code is None:
        return redirect(url_for("items.summary"))
    now, filters, today = _list_request()
    number, per_page = paging.requested_page(request.args), queries.per_page_from(request.args)
    items, total = queries.item_page(db.session, current_user.country_code, filters, today, number, per_page)
    return render_template("items/list.html", page=queries.ListPage(items, total, number, per_page), filters=filters,
                           today=today, ministries=current_user.country.ministries, states=workflow.STATES,
                           sorts=queries.SORTS, per_page_choices=queries.PER_PAGE_CHOICES,
                           export_limit=exports.EXPORT_LIMIT, bulk_steps=BULK_STEPS)


def _list_request():
    """(now, the list's filters, the country's today) of a request for the country's list (the
    page or its download), once the user may read items."""
    require(current_user, "item.read")
    now = clock.now()
    filters = queries.ItemFilters.from_args(request.args, user_id=current_user.id)
    return now, filters, clock.local(now, current_user.country.timezone).date()


@bp.get("/items.<any(csv, xlsx):extension>")
@login_required
@database.writes
def export_items(extension: str):
    """The list with its filters and sort, as a file; who took it away is in the audit log."""
    if current_user.country_code is None:
        return redirect(url_for("items.summary"))
    now, filters, today = _list_request()
    records, total = exports.rows(db.session, current_user.country_code, filters, today, current_user.timezone)
    data = exports.items_csv(records) if extension == "csv" else exports.items_xlsx(records)
    audit.record(db.session, "export_downloaded", now, actor=current_user._get_current_object(),
                 address=client.address(), detail={"export": "items", "of": current_user.country_code,
                                                   "format": extension, "path": request.full_path,
                                                   "rows": len(records), "matching": total})
    response = send_file(BytesIO(data), as_attachment=True,
                         mimetype=spreadsheets.CSV_TYPE if extension == "csv" else spreadsheets.XLSX_TYPE,
                         download_name=spreadsheets.filename("action-items", current_user.country_code, extension))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/items/new", methods=["GET", "POST"])
@login_required
def new_item():
    require(current_user, "item.create")
    now = clock.now()
    form = ItemForm()
    form.set_ministries(current_user.country.ministries)
    form.today = service.local_today(current_user.country, now)
    if form.validate_on_submit():
        with errors_on(form):
            data = form.service_data()
            item = service.create_item(db.session, current_user, data, now)
            if item.ministry_id is not None:  # the ministry chosen gets the item at once
                service.fire_trigger(db.session, current_user, item.id, "assign", item.version, now,
                                     ministry_id=item.ministry_id)
                message = gettext("The action item is saved and assigned to %(ministry)s.",
                                  ministry=item.ministry.label)
            else:
                message = gettext("The action item is saved as a draft. Assign it when it is ready.")
            _warn_of_non_working_day(item.country, item.due_date)
            return done(message, url_for("items.show_item", item_id=item.id))
    return render_template("items/form.html", form=form, item=None), form_status(form)


def _warn_of_non_working_day(country, day) -> None:
    warning = due_date_warning(country, day)
    if warning:
        flash(warning, "warning")


@bp.get("/items/<int:item_id>")
@login_required
def show_item(item_id: int):
    return item_page(service.get_item(db.session, current_user, item_id))


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(item_id: int):
    item = service.get_item(db.session, current_user, item_id)
    require(current_user, "item.edit", item)
    form = ItemForm(obj=item)
    form.set_ministries(item.country.ministries)
    form.today, form.kept_due_date = service.local_today(item, clock.now()), item.due_date
    del form.ministry_id  # the holder changes through assign, hand over and transfer only
    if not form.is_submitted():
        form.supporter_ids.data = [m.id for m in item.supporters]
        form.guarantee.data = item.guarantee or ""
    if form.validate_on_submit():
        data = form.service_data() | {"version": _int(request.form.get("version"))}
        target = url_for("items.show_item", item_id=item.id)
        changes_due_date = form.due_date.data != item.due_date
        with errors_on(form):
            try:
                service.update_item(db.session, current_user, item.id, data, clock.now())
            except StaleVersion:
                # The typed changes stay in the form, over the item's current version.
                db.session.rollback()
                item = service.get_item(db.session, current_user, item_id)
                return render_template("items/form.html", form=form, item=item,
                                       conflict=edit_conflict_sentence(item)), 409
            if changes_due_date:
                _warn_of_non_working_day(item.country, item.due_date)
            return done(gettext("The action item is saved."), target)
    return render_template("items/form.html", form=form, item=item), form_status(form)


def _int(value):
    return int(value) if is_number(value) else value


@bp.post("/items/<int:item_id>/transitions")
@login_required
def fire(item_id: int):
    trigger = request.form.get("trigger", "")
    version, comment = _int(request.form.get("version")), request.form.get("comment") or ""
    ministry_id = request.form.get("ministry_id") or None
    target = url_for("items.show_item", item_id=item_id)
    try:
        item = service.fire_trigger(db.session, current_user, item_id, trigger, version, clock.now(),
                                    comment=comment, ministry_id=ministry_id)
    except ValidationError as error:
        db.session.rollback()
        item = service.get_item(db.session, current_user, item_id)
        if trigger == "cancel":
            return _cancel_page(item, error.fields, comment, 422)
        return item_page(item, status=422, trigger_errors=error.fields, open_trigger=trigger,
                         kept_comment=comment, kept_ministry=_int(ministry_id))
    except (StaleVersion, InvalidTransition, Forbidden) as error:
        # Someone changed the item since the page was loaded: say who did what, keep the text.
        db.session.rollback()
        item = service.get_item(db.session, current_user, item_id)
        if isinstance(error, Forbidden) and version == item.version:
            return refused(error.message, target, "danger")
        return item_page(item, status=409, conflict_trigger=trigger, kept_comment=comment.strip(),
                         kept_ministry=_int(ministry_id))
    except DomainError as error:
        if error.status in (403, 409):
            return refused(error.message, target, "danger")
        raise
    return done(gettext("Done: %(step)s. The item is now %(state)s.", step=workflow.TRIGGER_LABELS[trigger].lower(),
                        state=workflow.STATE_LABELS[item.state].lower()), target)


@bp.post("/items/<int:item_id>/officer")
@login_required
def name_officer(item_id: int):
    """Take the item, give it to a colleague, or (the coordinator) name its officer."""
    assignee_id = _int(request.form.get("assignee_id") or None)
    target = url_for("items.show_item", item_id=item_id)
    try:
        item = service.update_item(db.session, current_user, item_id,
                                   {"version": _int(request.form.get("version")), "assignee_id": assignee_id},
                                   clock.now())
    except ValidationError as error:
        return item_page(service.get_item(db.session, current_user, item_id), status=422,
                         officer_errors=error.fields)
    except StaleVersion:
        return refused(gettext("Someone else changed this item in the meantime: check it, then try again."),
                       target)
    except Forbidden as error:
        return refused(error.message, target, "danger")
    if item.assignee_id is None:
        message = gettext("The item has no named officer now: the ministry as a whole holds it.")
    elif item.assignee_id == current_user.id:
        message = gettext("You are the item's officer now.")
    else:
        message = gettext("%(name)s is the item's officer now.", name=item.assignee.name)
    return done(message, target)


@bp.get("/items/<int:item_id>/transitions")
@bp.get("/items/<int:item_id>/comments")
@bp.get("/items/<int:item_id>/officer")
@login_required
def back_to_item(item_id: int):
    """Where a refused form left the browser: a reload (a GET) goes back to the item."""
    service.get_item(db.session, current_user, item_id)
    return redirect(url_for("items.show_item", item_id=item_id))


@bp.get("/items/<int:item_id>/cancel")
@login_required
def confirm_cancel(item_id: int):
    """Cancelling asks first, on a page of its own (no JavaScript needed)."""
    item = service.get_item(db.session, current_user, item_id)
    if "cancel" not in service.allowed_triggers(current_user, item):
        return refused(gettext("This item cannot be cancelled now."), url_for("items.show_item", item_id=item_id))
    return _cancel_page(item, {}, "", 200)


def _cancel_page(item, errors: dict, comment: str, status: int):
    return render_template("items/cancel.html", item=item, errors=errors, comment=comment,
                           needs_comment="comment" in workflow.requires("cancel", item.state)), status


def _show_comment_errors(form, error: ValidationError) -> None:
    """The service names the comment's file ``file``; the form names it ``attachment``."""
    show_errors(form, ValidationError({("attachment" if name == "file" else name): messages
                                       for name, messages in error.fields.items()}))


@bp.post("/items/<int:item_id>/comments")
@body_limit("MAX_ATTACHMENT_BYTES", FORM_ALLOWANCE)  # a comment may carry a file
@login_required
def comment(item_id: int):
    form = CommentForm()
    item = service.get_item(db.session, current_user, item_id)
    status = 422
    if form.validate_on_submit():
        part, now = form.attachment.data, clock.now()
        with errors_on(form, show=_show_comment_errors):
            try:
                if part is not None and part.filename:
                    attachments.comment_with_file(db.session, current_user, item.id, form.comment.data,
                                                  attachments.Upload(part.filename, part.stream), now,
                                                  current_app.config["MAX_ATTACHMENT_BYTES"])
                    message = gettext("Your comment is posted with the file “%(name)s”.",
                                      name=files.safe_filename(part.filename))
                else:
                    service.add_comment(db.session, current_user, item.id, form.comment.data, now)
                    message = gettext("Your comment is posted.")
                return done(message, url_for("items.show_item", item_id=item.id) + "#history")
            except (attachments.TooLarge, attachments.UnsupportedType) as error:
                form.attachment.errors = [error.message]
                status = error.status
    else:
        require(current_user, "item.comment", item)
    return item_page(item, status=status, comment_form=form)


@bp.get("/items/summary")
@login_required
def summary():
    require(current_user, "items.summary")
    rows = queries.summary(db.session, current_user, clock.now())
    return render_template("items/summary.html", rows=rows, states=workflow.STATES)


@bp.get("/help/workflow")
@login_required
def workflow_help():
    return render_template("items/workflow_help.html", svg=diagram.state_diagram_svg(),
                           rows=diagram.transition_rows(), mermaid=diagram.mermaid_source())

