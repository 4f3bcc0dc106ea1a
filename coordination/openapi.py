"""The OpenAPI 3.1 document of /api/v1, made from the routes the application serves and the
declaration of each (coordination/endpoints.py) with its schemas: nothing is written twice."""
import re
import typing
from functools import cache

import pydantic
from flask import Blueprint, Flask, current_app, jsonify
from werkzeug.routing import IntegerConverter

from coordination import schemas
from coordination.endpoints import File
from coordination.ids import MAX_ID

bp = Blueprint("openapi", __name__)

PREFIX = "/api/v1/"
REF = "#/components/schemas/{model}"

ERRORS = {
    400: ("A NUL character in the request, or a body that is not a JSON object or nests deeper than "
          "64 levels (bad_request)", schemas.Problem),
    401: ("No token, or a bad one (unauthorized)", schemas.Problem),
    403: ("The user may see the resource but not do this (forbidden), or their role must set up "
          "two-step sign-in first (mfa_enrolment_required)", schemas.Problem),
    404: ("No such resource, or another country's (not_found)", schemas.Problem),
    409: ("The state does not allow this: invalid_transition (with state and allowed), stale_version "
          "(with current_version) or conflict",
          schemas.InvalidTransitionProblem | schemas.StaleVersionProblem | schemas.Problem),
    413: ("The body is larger than MAX_BODY_BYTES, 1 MiB (payload_too_large)", schemas.Problem),
    415: ("A file of a type the attachments do not take, judged by its content (unsupported_media_type)",
          schemas.Problem),
    422: ("validation_error: fields names each field refused, with its messages", schemas.ValidationProblem),
    429: ("Too many failed sign-ins for the account from this address, or from this address "
          "(rate_limited; Retry-After says when to try again)", schemas.RateLimitedProblem),
}
SUCCESS = {200: "OK", 201: "Created", 202: "Accepted", 204: "Done, nothing to answer"}


class Components:
    """The schemas the document refers to, by model name (one class per name)."""

    def __init__(self):
        self.schemas: dict[str, dict] = {}
        self._classes: dict[str, type] = {}

    def schema_of(self, kind) -> dict:
        """The JSON Schema of ``kind`` (a model, a list of models, a union …), its models referred to."""
        if isinstance(kind, type) and issubclass(kind, pydantic.BaseModel):
            self._add(kind)
            return {"$ref": REF.format(model=kind.__name__)}
        schema = pydantic.TypeAdapter(kind).json_schema(ref_template=REF)
        for name, definition in schema.pop("$defs", {}).items():
            self._put(name, definition, None)
        for model in _models_in(kind):
            self._add(model)
        return schema

    def _add(self, model: type[pydantic.BaseModel]) -> None:
        if model.__name__ in self._classes:
            if self._classes[model.__name__] is not model:
                raise LookupError(f"Two schemas are named {model.__name__}: rename one.")
            return
        schema = model.model_json_schema(ref_template=REF)
        for name, definition in schema.pop("$defs", {}).items():
            self._put(name, definition, None)
        self._put(model.__name__, schema, model)

    def _put(self, name: str, schema: dict, model) -> None:
        if model is not None:
            self._classes[name] = model
        self.schemas[name] = _untitled(schema)


def _models_in(kind):
    for candidate in typing.get_args(kind):
        if isinstance(candidate, type) and issubclass(candidate, pydantic.BaseModel):
            yield candidate
        else:
            yield from _models_in(candidate)


def _untitled(schema):
    """pydantic's schemas without the titles it derives from attribute names (noise for a reader),
    and without ``default: null`` where null is no value of the field (a field left out of a
    change stays as it is)."""
    if isinstance(schema, dict):
        types = schema.get("type", [])
        drop_default = schema.get("default", ...) is None and "null" not in (types if isinstance(types, list)
                                                                               else [types])
        return {k: _untitled(v) for k, v in schema.items()
                if not (k == "title" and isinstance(v, str)) and not (k == "default" and drop_default)}
    if isinstance(schema, list):
        return [_untitled(v) for v in schema]
    return schema


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _path(rule) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)


def _path_parameters(rule) -> list[dict]:
    parameters = []
    for name in re.findall(r"<(?:\w+:)?(\w+)>", rule.rule):
        converter = rule._converters[name]
        schema = ({"type": "integer", "minimum": 1, "maximum": MAX_ID} if isinstance(converter, IntegerConverter)
                  else {"type": "string"})
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return parameters


def _query_parameters(query, components: Components) -> list[dict]:
    if query is None:
        return []
    properties = query.model_json_schema(ref_template=REF).get("properties", {})
    return [{"name": name, "in": "query", "required": info.is_required(),
             "schema": _untitled(properties[name]),
             **({"description": info.description} if info.description else {})}
            for name, info in query.model_fields.items()]


def operation(rule, op, components: Components) -> dict:
    parameters = _path_parameters(rule) + _query_parameters(op.query, components)
    statuses = set(op.errors) | {400}
    if not op.public:
        statuses |= {401, 403}
    if parameters and any(p["in"] == "path" for p in parameters):
        statuses.add(404)
    if op.body is not None:
        statuses |= {413, 422}
    responses = {}
    for status, reply in sorted(op.replies.items()):
        if isinstance(reply, File):
            responses[str(status)] = {"description": reply.description or SUCCESS.get(status, "OK"),
                                      "content": {reply.media_type: {"schema": {"type": "string", "format": "binary"}}}}
            continue
        responses[str(status)] = ({"description": SUCCESS.get(status, "OK")} if reply is None
                                  else _json(components.schema_of(reply), SUCCESS.get(status, "OK")))
    for status in sorted(statuses):
        description, problem = ERRORS[status]
        responses[str(status)] = _json(components.schema_of(problem), description)
    result = {"operationId": rule.endpoint.removeprefix("api."), "summary": op.summary, "tags": [op.tag],
              "responses": responses}
    if op.description:
        result["description"] = op.description
    if parameters:
        result["parameters"] = parameters
    if op.body is not None:
        media = "multipart/form-data" if op.multipart else "application/json"
        result["requestBody"] = {"required": True, "content": {media: {"schema": components.schema_of(op.body)}}}
    if op.public:
        result["security"] = []
    return result


def api_rules(app: Flask):
    """The routes of /api/v1, with the methods each serves."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith(PREFIX):
            yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def build(app: Flask) -> dict:
    components = Components()
    paths: dict[str, dict] = {}
    for rule, methods in api_rules(app):
        op = getattr(app.view_functions[rule.endpoint], "operation", None)
        if op is None:
            raise LookupError(f"{rule.endpoint} ({rule.rule}) declares no operation: add @endpoint(...).")
        for method in methods:
            paths.setdefault(_path(rule), {})[method.lower()] = operation(rule, op, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "SPF Coordination API", "version": "1",
                 "description": "Action items, the directory and regional reporting of the ASEAN "
                                "Social Protection Floor coordination network. Errors are JSON "
                                "{error, message, ...}; see each status."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": dict(sorted(components.schemas.items())),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }


@cache
def _built(app: Flask) -> dict:
    return build(app)


def document(app: Flask | None = None) -> dict:
    """The document of ``app`` (the current one by default), made once per application."""
    return _built(app or current_app._get_current_object())


@bp.get("/api/openapi.json")
def openapi_json():
    return jsonify(document())
