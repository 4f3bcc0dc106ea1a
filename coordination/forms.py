"""Helpers shared by the web forms."""
from coordination.errors import ValidationError


def show_errors(form, error: ValidationError) -> None:
    """Put a service's field errors next to the form's fields; the rest above the form."""
    for name, messages in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
        else:
            form.form_errors.extend(messages)
