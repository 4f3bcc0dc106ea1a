"""The messages of the schemas in the language of the request.

They are plain English (marked with N_ where they are written), so that a schema is built once;
they are translated where a refusal is raised (coordination.schemas: Schema.parse and
validate_field). A message built from values (``msg()``) is remembered with them, so that it is
translated as a whole.
"""
from flask_babel import gettext

from coordination.errors import ValidationError

_FORMATTED: dict[str, tuple[str, dict]] = {}


def msg(message: str, **values) -> str:
    """A marked message with its values, in English; translated as a whole when it is shown."""
    text_ = message % values if values else message
    _FORMATTED[text_] = (message, values)
    return text_


def translate(message: str) -> str:
    """A schema's message in the language of the request (a nested schema's message keeps the
    field name it starts with, "code: ...")."""
    if not message:
        return message
    if message in _FORMATTED:
        original, values = _FORMATTED[message]
        # A value that is itself a marked text (a field's label, "The reason") is translated too.
        # (never gettext(""): it answers the catalogue's header)
        return gettext(original, **{name: gettext(value) if isinstance(value, str) and value else value
                                    for name, value in values.items()})
    translated_ = gettext(message)
    if translated_ == message and ": " in message:
        prefix, rest = message.split(": ", 1)
        inner = translate(rest)
        if inner != rest:
            return f"{prefix}: {inner}"
    return translated_


def translated(error: ValidationError) -> ValidationError:
    """``error`` with its messages in the language of the request."""
    return ValidationError({name: [translate(m) for m in messages] for name, messages in error.fields.items()},
                           message=translate(error.message))
