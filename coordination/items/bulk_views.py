"""Bulk steps on the item list, for the coordinator: the list's check boxes and a step (POST
/items/bulk), the step's own form on a page of its own (a confirmation page for cancelling),
then POST /items/bulk/apply does it (items/bulk.py) and shows what was done and what was
refused, and why. The list's filters, sort and page travel along (``back``) and the pages link
back to the list as it was. Everything works without JavaScript."""
from urllib.parse import parse_qsl

from flask import redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coordination import clock
from coordination.auth.policy import require
from coordination.extensions import db
from coordination.forms import errors_on, refused
from coordination.ids import as_id
from coordination.items import bulk, service, workflow
from coordination.items.forms import BULK_COMMENT_LABELS, BULK_STEPS, BULK_TRIGGERS, BulkStepForm
from coordination.items.schemas import BULK_MAX
from coordination.items.views import bp

# What of the list's query string comes back with the list.
LIST_KEYS = ("q", "state", "ministry_id", "guarantee", "sort", "per_page", "page", "overdue", "assignee")


def list_url(back: str | None) -> str:
    """The item list with the filters, sort and page of ``back`` (a query string); anything
    else in it is dropped."""
    kept = {}
    for key, value in parse_qsl((back or "")[:2000], keep_blank_values=False):
        if key in LIST_KEYS and key not in kept:
            kept[key] = value
    return url_for("items.list_items", **kept)


def _ids(values) -> list[int]:
    """The ids posted, each once, in their order; what is no id is dropped (as the list's own
    check boxes never send it)."""
    ids: list[int] = []
    for value in values:
        number = as_id(value)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


@bp.post("/items/bulk")
@login_required
def bulk_choose():
    """From the list: the items checked (or all on its page) and the step chosen."""
    require(current_user, "items.bulk")
    back = request.form.get("back", "")
    ids = _ids(request.form.getlist("page_ids") if request.form.get("all") else request.form.getlist("ids"))
    step = request.form.get("step", "")
    if not ids:
        return refused(gettext("Choose at least one action item first: tick its box in the list."), list_url(back))
    if step not in BULK_STEPS:
        return refused(gettext("Choose what to do with the items chosen."), list_url(back))
    if len(ids) > BULK_MAX:
        return refused(gettext("Choose at most 500 action items at once."), list_url(back))
    form = BulkStepForm(formdata=None, step=step, back=back)
    return _step_page(form, ids, 200)


@bp.get("/items/bulk")
@bp.get("/items/bulk/apply")
@login_required
def bulk_back():
    """Where a reload of a bulk page lands: the list."""
    return redirect(url_for("items.list_items"))


@bp.post("/items/bulk/apply")
@login_required
def bulk_apply():
    require(current_user, "items.bulk")
    now = clock.now()
    form = BulkStepForm()
    form.set_ministries(current_user.country.ministries)
    ids = _ids(request.form.getlist("ids"))
    if form.step.data not in BULK_STEPS or not ids:
        return refused(gettext("Choose at least one action item first: tick its box in the list."),
                       list_url(form.back.data))
    if form.validate_on_submit() and form.check_step(service.local_today(current_user.country, now)):
        with errors_on(form):
            results = bulk.bulk_step(db.session, current_user, form.service_data(ids), now)
            return _results_page(results, form.step.data, form.back.data)
    return _step_page(form, ids, 422)


def _step_page(form: BulkStepForm, ids: list[int], status: int):
    form.set_ministries(current_user.country.ministries)
    if form.step.data in BULK_COMMENT_LABELS:
        form.comment.label.text = BULK_COMMENT_LABELS[form.step.data]
    items = bulk.items_of(db.session, current_user, ids)
    return render_template("items/bulk_step.html", form=form, step=form.step.data, ids=ids, items=items,
                           unseen=len(ids) - len(items), back_url=list_url(form.back.data),
                           bulk_steps=BULK_STEPS), status


def _results_page(results: list[dict], step: str, back: str):
    items = {item.id: item for item in bulk.items_of(db.session, current_user, [r["id"] for r in results])}
    done, refusals = [], []
    for result in results:
        item = items.get(result["id"])
        if result["status"] == "refused":
            refusals.append((result["id"], item, _reason(result, step, item)))
        else:
            done.append((item, result["status"]))
    return render_template("items/bulk_done.html", step=step, done=done, refusals=refusals,
                           back_url=list_url(back), bulk_steps=BULK_STEPS)


def _reason(result: dict, step: str, item) -> str:
    """Why an item was refused, in a sentence of the page (not the API's codes)."""
    if result["error"] == "invalid_transition" and item is not None and step in BULK_TRIGGERS:
        return gettext("“%(step)s” is not possible while the item is %(state)s.",
                       step=workflow.TRIGGER_LABELS[BULK_TRIGGERS[step]],
                       state=workflow.STATE_LABELS[item.state].lower())
    return result["message"]
