"""Action-item pages: list, item, new and edit forms, transitions, comments, summary, help."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from coordination import clock, paging
from coordination.auth.policy import require
from coordination.errors import DomainError, StaleVersion, ValidationError
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status, refused
from coordination.ids import is_number
from coordination.items import diagram, queries, service, workflow
from coordination.items.forms import CommentForm, ItemForm
from coordination.items.models import GUARANTEE_LABELS
from coordination.items.pages import item_page

bp = Blueprint("items", __name__)


@bp.app_context_processor
def _labels():
    return {"state_labels": workflow.STATE_LABELS, "trigger_labels": workflow.TRIGGER_LABELS,
            "guarantee_labels": GUARANTEE_LABELS}


@bp.get("/items")
@login_required
def list_items():
    if current_user.country_code is None:
        return redirect(url_for("items.summary"))
    require(current_user, "item.read")
    now = clock.now()
    filters = queries.ItemFilters.from_args(request.args)
    today = clock.local(now, current_user.country.timezone).date()
    number, per_page = paging.requested_page(request.args), queries.per_page_from(request.args)
    items, total = queries.item_page(db.session, current_user.country_code, filters, today, number, per_page)
    return render_template("items/list.html", page=queries.ListPage(items, total, number, per_page), filters=filters,
                           today=today, ministries=current_user.country.ministries, states=workflow.STATES,
                           sorts=queries.SORTS, per_page_choices=queries.PER_PAGE_CHOICES)


@bp.route("/items/new", methods=["GET", "POST"])
@login_required
def new_item():
    require(current_user, "item.create")
    form = ItemForm()
    form.set_ministries(current_user.country.ministries)
    if form.validate_on_submit():
        with errors_on(form):
            item = service.create_item(db.session, current_user, form.service_data(), clock.now())
            return done("The action item is saved as a draft. Assign it when it is ready.",
                        url_for("items.show_item", item_id=item.id))
    return render_template("items/form.html", form=form, item=None), form_status(form)


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
    del form.ministry_id  # the holder changes through assign, hand over and transfer only
    if not form.is_submitted():
        form.supporter_ids.data = [m.id for m in item.supporters]
        form.guarantee.data = item.guarantee or ""
    if form.validate_on_submit():
        data = form.service_data() | {"version": _int(request.form.get("version"))}
        target = url_for("items.show_item", item_id=item.id)
        with errors_on(form):
            try:
                service.update_item(db.session, current_user, item.id, data, clock.now())
            except StaleVersion:
                return refused("Someone else changed this item while you were editing it. "
                               "Here is its current state; make your change again.", target)
            return done("The action item is saved.", target)
    return render_template("items/form.html", form=form, item=item), form_status(form)


def _int(value):
    return int(value) if is_number(value) else value


@bp.post("/items/<int:item_id>/transitions")
@login_required
def fire(item_id: int):
    trigger = request.form.get("trigger", "")
    target = url_for("items.show_item", item_id=item_id)
    try:
        item = service.fire_trigger(
            db.session, current_user, item_id, trigger, _int(request.form.get("version")), clock.now(),
            comment=request.form.get("comment"), ministry_id=request.form.get("ministry_id") or None,
        )
    except StaleVersion:
        return refused("Someone else changed this item in the meantime. Here is its current state; "
                       "check it before you act again.", target)
    except ValidationError as error:
        item = service.get_item(db.session, current_user, item_id)
        return item_page(item, status=422, trigger_errors=error.fields, open_trigger=trigger)
    except DomainError as error:
        if error.status in (403, 409):
            return refused(error.message, target, "danger")
        raise
    return done(f"Done: {workflow.TRIGGER_LABELS[trigger].lower()}. "
                f"The item is now {workflow.STATE_LABELS[item.state].lower()}.", target)


@bp.post("/items/<int:item_id>/comments")
@login_required
def comment(item_id: int):
    form = CommentForm()
    item = service.get_item(db.session, current_user, item_id)
    if form.validate_on_submit():
        with errors_on(form):
            service.add_comment(db.session, current_user, item.id, form.comment.data, clock.now())
            return done("Your comment is posted.", url_for("items.show_item", item_id=item.id) + "#history")
    else:
        require(current_user, "item.comment", item)
    return item_page(item, status=422, comment_form=form)


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

