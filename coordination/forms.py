"""Helpers shared by the web forms."""
from wtforms.validators import ValidationError as FieldError

from coordination import dates
from coordination.errors import ValidationError


def show_errors(form, error: ValidationError) -> None:
    """Put a service's field errors next to the form's fields; the rest above the form."""
    for name, messages in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
        else:
            form.form_errors.extend(messages)


class DateInRange:
    """The validator of every DateField: the date lies within the span the application
    takes (coordination/dates.py). The input also gets ``min`` and ``max``, so that the
    browser's date picker keeps to it."""

    def __init__(self, message: str = dates.OUT_OF_RANGE):
        self.message = message
        self.field_flags = {"min": dates.EARLIEST.isoformat(), "max": dates.LATEST.isoformat()}

    def __call__(self, form, field) -> None:
        if field.data is not None and not dates.in_range(field.data):
            raise FieldError(self.message)
