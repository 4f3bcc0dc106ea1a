"""Schemas of what comes in and what goes out (pydantic v2), shared by every feature's
``schemas.py``: the base classes, the field types with the messages users read, and the
translation of pydantic's errors into the 422 ``fields`` of API.md.

A request schema checks type, length and range only; the domain rules (a ministry of this
country, a template that no cycle uses) stay in the services. ``Schema.parse(data)`` takes a
dict from any door (a JSON body, a form's data, a test) or an already parsed instance, and
answers the instance or raises ``errors.ValidationError`` whose ``fields`` are
``{field: [message, ...]}``; an error inside a list of objects is keyed ``name[n]`` and its
messages name the inner field (``indicators[0]: ["unit: choose one of ..."]``).

Every field type is a ``check`` function (the value in, the cleaned value out, or
``invalid(message)``) with the JSON Schema the document shows for it: the messages stay the
project's own, and the document says what the check accepts.

A response schema (``Reply``) describes what an endpoint answers, every field present
(``null`` where the type allows it) and no other: the document lists it, and the tests
validate every answer against it.
"""
import math
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, Self

import pydantic
from pydantic import BaseModel, ConfigDict, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from coordination.dates import OUT_OF_RANGE, in_range, parse_date
from coordination.errors import ValidationError
from coordination.i18n import N_
from coordination.ids import MAX_ID, as_id, is_number
from coordination.messages import msg, translated
from coordination.paging import MAX_PAGE

REQUIRED = N_("This field is required.")


def invalid(*messages: str) -> PydanticCustomError:
    """What a field's check raises to refuse a value, with these messages."""
    return PydanticCustomError("invalid", "{message}", {"message": " ".join(messages), "messages": list(messages)})


class Missing:
    """Field metadata: the message when a required field is absent (else ``REQUIRED``)."""

    def __init__(self, message: str):
        self.message = message


def checked(check: Callable[[Any], Any], json_schema: dict, *, missing: str | None = None) -> Any:
    """A field type: ``check`` cleans the value or raises ``invalid(message)``; ``json_schema``
    is what the document says of it."""
    metadata = [PlainValidator(check), WithJsonSchema(json_schema)]
    if missing:
        metadata.append(Missing(missing))
    return Annotated[Any, *metadata]


_adapters: dict[int, pydantic.TypeAdapter] = {}


def validate_field(field_type, value, name: str):
    """One value checked by a field type outside a schema (a service's argument): the cleaned
    value, or ValidationError naming ``name``."""
    adapter = _adapters.get(id(field_type))
    if adapter is None:
        adapter = _adapters[id(field_type)] = pydantic.TypeAdapter(field_type)
    try:
        return adapter.validate_python(value)
    except pydantic.ValidationError as error:
        raise translated(ValidationError({name: _messages(error.errors()[0], None)})) from None


# -- the field types --------------------------------------------------------------------------

def text(label: str = N_("This field"), *, max_length: int | None = None, required: bool = False,
         messages: dict[str, str] | None = None, message: str | None = None) -> Any:
    """Text, stripped; absent or null is the empty string unless ``required``. The messages
    are ``"{label} must be text."``, ``"... is required."``, ``"... may be at most N characters
    long."``, unless ``messages`` (keys ``type``, ``required``, ``long``) says otherwise, or
    ``message`` is the one for all three ("Give it a name of at most N characters."). ``label``
    is marked with N_ by the caller: it is translated with the message."""
    said = {"type": msg(N_("%(label)s must be text."), label=label),
            "required": msg(N_("%(label)s is required."), label=label),
            "long": msg(N_("%(label)s may be at most %(max_length)s characters long."), label=label,
                        max_length=max_length),
            **(messages or {})}
    if message:
        said = dict.fromkeys(said, message)

    def check(value):
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise invalid(said["type"])
        value = value.strip()
        if required and not value:
            raise invalid(said["required"])
        if max_length and len(value) > max_length:
            raise invalid(said["long"])
        return value

    schema: dict = {"type": "string"} if required else {"type": ["string", "null"]}
    if required:
        schema["minLength"] = 1
    if max_length:
        schema["maxLength"] = max_length
    return checked(check, schema, missing=said["required"] if required else None)


def choice(options, message: str | None = None, *, default: str | None = None, nullable: bool = False,
           missing: str | None = None) -> Any:
    """One of ``options`` (a tuple taken from a workflow or models module). An empty value is
    ``default`` (or None when ``nullable``)."""
    options = tuple(options)
    message = message or msg(N_("Choose one of: %(choices)s."), choices=", ".join(options))

    def check(value):
        if not value and (default is not None or nullable):  # null, "", false, 0: the default
            return default
        if not isinstance(value, str) or value not in options:
            raise invalid(message)
        return value

    schema: dict = {"type": "string", "enum": list(options)}
    if nullable:
        schema = {"type": ["string", "null"], "enum": [*options, None]}
    return checked(check, schema, missing=missing or message)


def day(message: str, *, required: bool = True) -> Any:
    """A date (an ISO 8601 string, or a date from a form) from 1900-01-01 to 2199-12-31."""

    def check(value):
        if value in (None, "") and not required:
            return None
        parsed = parse_date(value)
        if parsed is None:
            raise invalid(message)
        if not in_range(parsed):
            raise invalid(OUT_OF_RANGE)
        return parsed

    schema: dict = {"type": "string", "format": "date", "description": "a date from 1900-01-01 to 2199-12-31"}
    if not required:
        schema = {**schema, "type": ["string", "null"]}
    return checked(check, schema, missing=message)


def row_id(message: str, *, required: bool = False) -> Any:
    """A row id (a whole number, or a string of digits from a form); empty is None."""

    def check(value):
        if value in (None, "") and not required:
            return None
        number = as_id(value)
        if number is None:
            raise invalid(message)
        return number

    schema: dict = {"type": "integer" if required else ["integer", "null"], "minimum": 1, "maximum": MAX_ID}
    return checked(check, schema, missing=message)


def row_ids(message: str) -> Any:
    """A list of row ids (repeats kept: the service drops them)."""

    def check(value):
        if value in (None, ""):
            return []
        if not isinstance(value, list):
            raise invalid(message)
        return list(value)

    return checked(check, {"type": ["array", "null"], "items": {"type": "integer", "minimum": 1,
                                                                "maximum": MAX_ID}})


def whole_number(message: str, *, minimum: int | None = None, maximum: int | None = None,
                 required: bool = True, from_text: bool = False) -> Any:
    """A whole number (never true/false); with ``from_text`` also a string of digits (forms)."""

    def check(value):
        if from_text and isinstance(value, str):
            value = value.strip()
            if value == "" and not required:
                return None
            value = int(value) if is_number(value) else value
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid(message)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise invalid(message)
        return value

    schema: dict = {"type": "integer" if required else ["integer", "null"]}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return checked(check, schema)


def number(message: str, *, minimum: float | None = None, required: bool = False, from_text: bool = False) -> Any:
    """A finite number (never true/false); absent or empty is None unless ``required``."""

    def check(value):
        if from_text and isinstance(value, str):
            value = value.strip()
            if not value:
                value = None
            else:
                try:
                    value = float(value)
                except ValueError:
                    raise invalid(N_("Enter a number.")) from None
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise invalid(message)
        if minimum is not None and value < minimum:
            raise invalid(message)
        return value

    schema: dict = {"type": "number" if required else ["number", "null"]}
    if minimum is not None:
        schema["minimum"] = minimum
    return checked(check, schema, missing=message)


def before(check: Callable[[Any], Any]) -> pydantic.BeforeValidator:
    """A check run before the field's own type (a list's shape before its entries)."""
    return pydantic.BeforeValidator(check)


def anything(json_schema: dict) -> Any:
    """A value the service checks itself (its check depends on data, e.g. an indicator's unit)."""
    return checked(lambda value: value, json_schema)


# -- request schemas ----------------------------------------------------------------------------

class Schema(BaseModel):
    """A request body or query string. Fields the schema does not name are ignored."""

    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True, validate_default=False,
                              arbitrary_types_allowed=True)

    @classmethod
    def parse(cls, data) -> Self:
        """``data`` (a dict, or an instance already) as an instance; ValidationError otherwise."""
        if isinstance(data, cls):
            return data
        if not isinstance(data, Mapping):
            raise translated(ValidationError({"body": [N_("Send a JSON object.")]}))
        try:
            return cls.model_validate(dict(data))
        except pydantic.ValidationError as error:
            raise translated(ValidationError(fields_of(error, cls))) from None

    def given(self) -> dict:
        """The fields the sender named, with their cleaned values."""
        return {name: getattr(self, name) for name in self.model_fields_set}


def fields_of(error: pydantic.ValidationError, model: type[BaseModel]) -> dict[str, list[str]]:
    """pydantic's errors as API.md's ``fields``."""
    fields: dict[str, list[str]] = {}
    for problem in error.errors(include_url=False):
        loc = problem["loc"]
        key, inner = _key(loc)
        prefix = f"{inner}: " if inner else ""
        fields.setdefault(key, []).extend(prefix + m for m in _messages(problem, _field_info(model, loc)))
    return fields


def _key(loc: tuple) -> tuple[str, str]:
    """("indicators", 0, "unit") → ("indicators[0]", "unit"); ("title",) → ("title", "")."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        return f"{loc[0]}[{loc[1]}]", ".".join(str(part) for part in loc[2:])
    return ".".join(str(part) for part in loc), ""


def _messages(problem: dict, info) -> list[str]:
    context = problem.get("ctx") or {}
    if "messages" in context:
        return list(context["messages"])
    if problem["type"] == "missing":
        said = next((m.message for m in (info.metadata if info else []) if isinstance(m, Missing)), None)
        return [said or REQUIRED]
    return [problem["msg"]]


def _field_info(model, loc: tuple):
    """The FieldInfo that ``loc`` points to, through nested schemas and lists of them."""
    info, current = None, model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        info = fields[part]
        current = _inner_model(info.annotation)
    return info


def _inner_model(annotation):
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def per_page(default: int, maximum: int):
    """The size of a page from the query string; more than ``maximum`` is ``maximum``."""
    return pydantic.Field(default, ge=1, le=maximum, description=f"at most {maximum} (more counts as {maximum})")


class PageQuery(Schema):
    """A page of a list (api.query_page parses it): beyond the last page the list is empty; 0
    or what is not a whole number answers 422."""

    page: int = pydantic.Field(1, ge=1, le=MAX_PAGE)


# -- response schemas -----------------------------------------------------------------------------

class Reply(BaseModel):
    """What an endpoint answers: every field is present, no other is."""

    model_config = ConfigDict(extra="forbid")


class Problem(Reply):
    """An error answer (API.md): a code, a message, and the code's own fields."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"description": "error, message and, by code, "
                                                                "state and allowed, current_version, "
                                                                "retry_after or reason"})
    error: str
    message: str


class ValidationProblem(Reply):
    error: typing.Literal["validation_error"]
    message: str
    fields: dict[str, list[str]]


class InvalidTransitionProblem(Reply):
    error: typing.Literal["invalid_transition"]
    message: str
    state: str
    allowed: list[str]


class StaleVersionProblem(Reply):
    error: typing.Literal["stale_version"]
    message: str
    current_version: int


class RateLimitedProblem(Reply):
    error: typing.Literal["rate_limited"]
    message: str
    retry_after: int


Instant = datetime
Day = date
# The values an indicator takes: a number, true/false, or text (by its unit); null when none.
IndicatorValue = float | bool | str | None
