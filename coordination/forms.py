"""Helpers shared by the web forms, and the answers of a page that changes something.

Every form page has one shape: the request commits once when the page answers below 400
(unit_of_work.py), so a view validates the form and calls the service inside
``errors_on(form)``; on success it answers ``done(message, target)``; a ValidationError of the
service lands at the form's fields, and the view shows the form again with
``form_status(form)`` (422: nothing is kept)::

    if form.validate_on_submit():
        with errors_on(form):
            item = service.create_item(db.session, current_user, form.service_data(), clock.now())
            return done("The action item is saved.", url_for("items.show_item", item_id=item.id))
    return render_template("items/form.html", form=form), form_status(form)
"""
from collections.abc import Iterator
from contextlib import contextmanager

from flask import flash, redirect
from wtforms.validators import ValidationError as FieldError

from coordination import dates, unit_of_work
from coordination.errors import ValidationError
from coordination.messages import translate


def show_errors(form, error: ValidationError) -> None:
    """Put a service's field errors next to the form's fields; the rest above the form."""
    for name, messages in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
        else:
            form.form_errors.extend(messages)


@contextmanager
def errors_on(form, show=show_errors) -> Iterator[None]:
    """A ValidationError raised inside the block ends it, and ``show`` puts its messages on
    ``form`` (a form whose fields are not named as the service's input has its own ``show``)."""
    try:
        yield
    except ValidationError as error:
        show(form, error)


def form_status(form) -> int:
    """The status of a page that shows ``form``: 422 when it shows errors (the request then
    keeps nothing), else 200."""
    return 422 if form.errors else 200


def done(message: str, target: str):
    """The answer of a change that succeeded: a redirect to ``target``, which shows ``message``."""
    flash(message, "success")
    return redirect(target)


def refused(message: str, target: str, category: str = "warning"):
    """A refusal answered with a redirect and a message (someone else changed the item in the
    meantime, the step is not possible any more): nothing this request wrote is kept."""
    unit_of_work.discard_changes()
    flash(message, category)
    return redirect(target)


class DateInRange:
    """The validator of every DateField: the date lies within the span the application
    takes (coordination/dates.py). The input also gets ``min`` and ``max``, so that the
    browser's date picker keeps to it."""

    def __init__(self, message: str = dates.OUT_OF_RANGE):
        self.message = message
        self.field_flags = {"min": dates.EARLIEST.isoformat(), "max": dates.LATEST.isoformat()}

    def __call__(self, form, field) -> None:
        if field.data is not None and not dates.in_range(field.data):
            raise FieldError(translate(self.message))
