"""The OpenAPI 3 description of /api/v1, kept beside the code; a test checks that it
names exactly the routes the application serves."""
from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(_ref("Error"), "The body is not a JSON object, or nests deeper than 64 levels (bad_request)"),
    "401": _json(_ref("Error"), "No token, or a bad one (unauthorized)"),
    "403": _json(_ref("Error"), "The user may see the resource but not do this (forbidden)"),
    "404": _json(_ref("Error"), "No such resource, or another country's (not_found)"),
    "409": _json(_ref("Error"), "invalid_transition (with state, allowed) or stale_version (with current_version)"),
    "413": _json(_ref("Error"), "The body is larger than MAX_BODY_BYTES, 1 MiB (payload_too_large)"),
    "422": _json(_ref("Error"), "validation_error, with fields"),
}


def _errors(*codes: str) -> dict:
    return {code: ERRORS[code] for code in codes}


def _op(summary: str, responses: dict, *, body: dict | None = None, params: list | None = None,
        public: bool = False, tag: str = "") -> dict:
    operation = {"summary": summary, "responses": responses, "tags": [tag] if tag else []}
    if body is not None:
        operation["requestBody"] = _body(body)
        responses.setdefault("413", ERRORS["413"])
    if params:
        operation["parameters"] = params
    if public:
        operation["security"] = []
    return operation


def _path_param(name: str, kind: str = "integer") -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _query(name: str, kind: str = "string", **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind, **extra}}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
# A date sent in: outside this span it answers 422 (coordination/dates.py).
DATE_INPUT = {**DATE, "description": "a date from 1900-01-01 to 2199-12-31"}
INSTANT = {"type": "string", "format": "date-time"}
NULLABLE_INT = {"type": ["integer", "null"]}
STATES = ["draft", "assigned", "in_progress", "blocked", "submitted", "completed", "declined", "cancelled"]
TRIGGERS = ["assign", "accept", "decline", "hand_over", "transfer", "block", "unblock", "submit",
            "approve", "send_back", "reopen", "cancel"]
GUARANTEES = ["health", "children", "working_age", "older_persons", "overall", "coordination"]

SCHEMAS = {
    "Error": {"type": "object", "required": ["error", "message"], "properties": {
        "error": STRING, "message": STRING,
        "fields": {"type": "object", "additionalProperties": {"type": "array", "items": STRING}},
        "state": STRING, "allowed": {"type": "array", "items": STRING}, "current_version": INTEGER}},
    "Me": {"type": "object", "properties": {
        "id": INTEGER, "email": STRING, "name": STRING,
        "role": {"type": "string", "enum": ["coordinator", "ministry_staff", "secretariat", "observer", "admin"]},
        "country": {"type": ["string", "null"]}, "ministry": {"type": ["object", "null"]},
        "mfa": {"type": "boolean", "description": "Two-step sign-in is on"}}},
    "Country": {"type": "object", "properties": {"code": STRING, "name": STRING, "timezone": STRING}},
    "Ministry": {"type": "object", "properties": {"id": INTEGER, "name": STRING, "acronym": STRING,
                                                  "sector": STRING}},
    "ItemEvent": {"type": "object", "properties": {
        "trigger": STRING, "from_state": {"type": ["string", "null"]}, "to_state": {"type": ["string", "null"]},
        "from_ministry_id": NULLABLE_INT, "to_ministry_id": NULLABLE_INT, "actor": INTEGER,
        "comment": STRING, "at": INSTANT}},
    "Item": {"type": "object", "properties": {
        "id": INTEGER, "country": STRING, "title": STRING, "description": STRING,
        "state": {"type": "string", "enum": STATES}, "version": INTEGER, "ministry_id": NULLABLE_INT,
        "due_date": DATE, "overdue": BOOLEAN, "guarantee": {"type": ["string", "null"], "enum": GUARANTEES + [None]},
        "priority": {"type": "string", "enum": ["low", "normal", "high"]},
        "supporting_ministry_ids": {"type": "array", "items": INTEGER},
        "created_by": INTEGER, "created_at": INSTANT, "updated_at": INSTANT,
        "allowed_triggers": {"type": "array", "items": {"type": "string", "enum": TRIGGERS}},
        "events": {"type": "array", "items": _ref("ItemEvent")}}},
    "ItemInput": {"type": "object", "required": ["title", "due_date"], "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 200}, "description": STRING,
        "due_date": DATE_INPUT, "ministry_id": INTEGER, "guarantee": {"type": "string", "enum": GUARANTEES},
        "priority": {"type": "string", "enum": ["low", "normal", "high"]},
        "supporter_ids": {"type": "array", "items": INTEGER}}},
    "ItemPatch": {"type": "object", "required": ["version"], "properties": {
        "version": INTEGER, "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": STRING, "due_date": DATE_INPUT, "guarantee": {"type": "string", "enum": GUARANTEES},
        "priority": {"type": "string", "enum": ["low", "normal", "high"]},
        "supporter_ids": {"type": "array", "items": INTEGER}}},
    "Transition": {"type": "object", "required": ["trigger", "version"], "properties": {
        "trigger": {"type": "string", "enum": TRIGGERS}, "version": INTEGER, "comment": STRING,
        "ministry_id": INTEGER}},
}

PATHS: dict = {
    "/api/v1/tokens": {"post": _op(
        "Sign in: exchange an e-mail and password for a bearer token",
        {"201": _json({"type": "object", "properties": {"token": STRING}}, "Created"),
         **_errors("400", "422"),
         "401": _json(_ref("Error"), "Wrong credentials or code (unauthorized, counted as a failed sign-in); "
                                     "mfa_required: two-step sign-in is on and no otp was sent"),
         "403": _json(_ref("Error"), "mfa_enrolment_required: the role needs two-step sign-in (MFA_REQUIRED_ROLES)"),
         "429": _json(_ref("Error"), "Too many failed sign-ins (rate_limited)")},
        body={"type": "object", "required": ["email", "password"],
              "properties": {"email": STRING, "password": STRING,
                             "otp": {"type": "string", "description": "The TOTP code, or a recovery code, "
                                                                      "when two-step sign-in is on"}}},
        public=True, tag="auth")},
    "/api/v1/tokens/current": {"delete": _op("Revoke the token of this request",
                                             {"204": {"description": "Revoked"}, **_errors("401")}, tag="auth")},
    "/api/v1/me": {"get": _op("The signed-in user", {"200": _json(_ref("Me")), **_errors("401")}, tag="auth")},
    "/api/v1/me/mfa": {
        "post": _op("Start two-step sign-in: a new TOTP secret, pending until confirmed",
                    {"200": _json({"type": "object", "properties": {"secret": STRING, "otpauth_uri": STRING}}),
                     **_errors("401"), "409": _json(_ref("Error"), "Two-step sign-in is on already (conflict)")},
                    tag="auth"),
        "delete": _op("Turn two-step sign-in off, with a current code or a recovery code",
                      {"204": {"description": "Off"}, **_errors("400", "401", "422"),
                       "409": _json(_ref("Error"), "Two-step sign-in is not on (conflict)")},
                      body={"type": "object", "required": ["otp"], "properties": {"otp": STRING}}, tag="auth"),
    },
    "/api/v1/me/mfa/confirm": {"post": _op(
        "Turn two-step sign-in on with a code of the pending secret; answers the ten recovery codes, once",
        {"200": _json({"type": "object", "properties": {"recovery_codes": {
            "type": "array", "items": STRING, "minItems": 10, "maxItems": 10}}}),
         **_errors("400", "401", "422"),
         "409": _json(_ref("Error"), "Nothing pending, or on already (conflict)")},
        body={"type": "object", "required": ["otp"], "properties": {"otp": STRING}}, tag="auth")},
    "/api/v1/countries": {"get": _op("The member states", {
        "200": _json({"type": "array", "items": _ref("Country")}), **_errors("401")}, tag="directory")},
    "/api/v1/countries/{code}/ministries": {"get": _op(
        "A member state's ministries and agencies",
        {"200": _json({"type": "array", "items": _ref("Ministry")}), **_errors("401", "404")},
        params=[_path_param("code", "string")], tag="directory")},
    "/api/v1/items": {
        "get": _op("Action items the user may read", {"200": _json({"type": "object", "properties": {
            "items": {"type": "array", "items": _ref("Item")}, "total": INTEGER, "page": INTEGER,
            "per_page": INTEGER}}), **_errors("401", "422")},
            params=[_query("state", enum=STATES), _query("ministry_id", "integer"),
                    _query("guarantee", enum=GUARANTEES), _query("overdue", "boolean"), _query("q"),
                    _query("page", "integer", minimum=1), _query("per_page", "integer", minimum=1, maximum=100)],
            tag="items"),
        "post": _op("Create an action item (coordinator); it starts as a draft",
                    {"201": _json(_ref("Item"), "Created"), **_errors("400", "401", "403", "422")},
                    body=_ref("ItemInput"), tag="items"),
    },
    "/api/v1/items/summary": {"get": _op(
        "Counts of action items by country, state and overdue",
        {"200": _json({"type": "object", "properties": {"countries": {"type": "array", "items": {
            "type": "object", "properties": {
                "country": STRING, "name": STRING, "total": INTEGER, "overdue": INTEGER,
                "by_state": {"type": "object", "additionalProperties": INTEGER}}}}}}),
         **_errors("401", "403")}, tag="items")},
    "/api/v1/items/{item_id}": {
        "get": _op("One action item with its history", {"200": _json(_ref("Item")), **_errors("401", "404")},
                   params=[_path_param("item_id")], tag="items"),
        "patch": _op("Edit an action item's fields (coordinator); a changed due date re-arms reminders",
                     {"200": _json(_ref("Item")), **_errors("400", "401", "403", "404", "409", "422")},
                     body=_ref("ItemPatch"), params=[_path_param("item_id")], tag="items"),
    },
    "/api/v1/items/{item_id}/transitions": {"post": _op(
        "Fire a trigger of the workflow",
        {"200": _json(_ref("Item")), **_errors("400", "401", "403", "404", "409", "422")},
        body=_ref("Transition"), params=[_path_param("item_id")], tag="items")},
    "/api/v1/items/{item_id}/comments": {"post": _op(
        "Comment on an action item (coordinator, holding or supporting ministry)",
        {"201": _json(_ref("Item"), "Created"), **_errors("400", "401", "403", "404", "422")},
        body={"type": "object", "required": ["comment"], "properties": {"comment": STRING}},
        params=[_path_param("item_id")], tag="items")},
}


REPORT_STATES = ["not_started", "drafting", "submitted", "accepted", "returned"]
UNITS = ["percent", "number", "currency", "yes_no", "text"]
AVAILABILITY = ["reported", "estimate", "not_available", "not_applicable"]
VALUE = {"type": ["number", "boolean", "string", "null"]}

SCHEMAS.update({
    "IndicatorSpec": {"type": "object", "required": ["code", "name", "guarantee", "unit"], "properties": {
        "code": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]{0,39}$"}, "name": STRING, "definition": STRING,
        "guarantee": {"type": "string", "enum": GUARANTEES}, "unit": {"type": "string", "enum": UNITS},
        "required": BOOLEAN,
        "disaggregations": {"type": "array", "items": {"type": "string", "enum": ["sex", "age_group"]}}}},
    "Template": {"type": "object", "properties": {
        "id": INTEGER, "name": STRING, "description": STRING, "in_use": BOOLEAN, "copied_from_id": NULLABLE_INT,
        "indicators": {"type": "array", "items": _ref("IndicatorSpec")}}},
    "TemplateInput": {"type": "object", "required": ["name", "indicators"], "properties": {
        "name": STRING, "description": STRING, "indicators": {"type": "array", "items": _ref("IndicatorSpec")}}},
    "Cycle": {"type": "object", "properties": {
        "id": INTEGER, "name": STRING, "template_id": INTEGER, "period_start": DATE, "period_end": DATE,
        "deadline": DATE, "state": {"type": "string", "enum": ["planned", "open", "closed", "published"]},
        "published_at": {"type": ["string", "null"], "format": "date-time"},
        "reports": {"type": "array", "items": {"type": "object", "properties": {
            "id": INTEGER, "country": STRING, "state": {"type": "string", "enum": REPORT_STATES}}}}}},
    "CycleInput": {"type": "object", "required": ["name", "template_id", "period_start", "period_end", "deadline"],
                   "properties": {"name": STRING, "template_id": INTEGER, "period_start": DATE_INPUT,
                                  "period_end": DATE_INPUT, "deadline": DATE_INPUT}},
    "Value": {"type": "object", "properties": {
        "indicator_code": STRING, "value": VALUE,
        "availability": {"type": ["string", "null"], "enum": AVAILABILITY + [None]},
        "reason": STRING, "ministry_id": NULLABLE_INT, "note": STRING,
        "breakdown": {"type": ["object", "null"], "additionalProperties": VALUE}, "data_request_id": NULLABLE_INT}},
    "ValueInput": {"type": "object", "properties": {
        "value": VALUE, "availability": {"type": "string", "enum": AVAILABILITY}, "reason": STRING, "note": STRING,
        "breakdown": {"type": "object", "additionalProperties": VALUE}}},
    "Report": {"type": "object", "properties": {
        "id": INTEGER, "cycle_id": INTEGER, "country": STRING, "state": {"type": "string", "enum": REPORT_STATES},
        "version": INTEGER, "submitted_at": {"type": ["string", "null"], "format": "date-time"},
        "last_submitted_at": {"type": ["string", "null"], "format": "date-time"},
        "accepted_at": {"type": ["string", "null"], "format": "date-time"}, "deadline": DATE,
        "completeness": {"type": "number"}, "allowed_triggers": {"type": "array", "items": STRING},
        "values": {"type": "array", "items": _ref("Value")}, "missing": {"type": "array", "items": STRING},
        "queries": {"type": "array", "items": {"type": "object"}},
        "narratives": {"type": "array", "items": {"type": "object"}},
        "events": {"type": "array", "items": {"type": "object"}}}},
    "Target": {"type": "object", "properties": {
        "indicator_code": STRING, "floor": {"type": ["number", "null"]}, "target": {"type": ["number", "null"]},
        "target_year": NULLABLE_INT}},
})

_TEMPLATE_ID, _CYCLE_ID, _REPORT_ID = _path_param("template_id"), _path_param("cycle_id"), _path_param("report_id")
PATHS.update({
    "/api/v1/templates": {
        "get": _op("Monitoring templates", {"200": _json({"type": "array", "items": _ref("Template")}),
                                            **_errors("401", "403")}, tag="reporting"),
        "post": _op("Create a monitoring template (secretariat)", {
            "201": _json(_ref("Template"), "Created"), **_errors("400", "401", "403", "422")},
            body=_ref("TemplateInput"), tag="reporting"),
    },
    "/api/v1/templates/{template_id}": {
        "get": _op("One monitoring template", {"200": _json(_ref("Template")), **_errors("401", "403", "404")},
                   params=[_TEMPLATE_ID], tag="reporting"),
        "put": _op("Change a template (secretariat); 409 while a cycle uses it", {
            "200": _json(_ref("Template")), **_errors("400", "401", "403", "404", "409", "422")},
            body=_ref("TemplateInput"), params=[_TEMPLATE_ID], tag="reporting"),
    },
    "/api/v1/templates/{template_id}/copies": {"post": _op(
        "Copy a template into a new one (secretariat)",
        {"201": _json(_ref("Template"), "Created"), **_errors("400", "401", "403", "404", "422")},
        body={"type": "object", "required": ["name"], "properties": {"name": STRING}},
        params=[_TEMPLATE_ID], tag="reporting")},
    "/api/v1/cycles": {
        "get": _op("Reporting cycles, newest deadline first", {
            "200": _json({"type": "array", "items": _ref("Cycle")}), **_errors("401", "403")}, tag="reporting"),
        "post": _op("Create a reporting cycle (secretariat); it starts planned", {
            "201": _json(_ref("Cycle"), "Created"), **_errors("400", "401", "403", "422")},
            body=_ref("CycleInput"), tag="reporting"),
    },
    "/api/v1/cycles/{cycle_id}": {"get": _op(
        "One cycle with the country reports the user may read",
        {"200": _json(_ref("Cycle")), **_errors("401", "403", "404")}, params=[_CYCLE_ID], tag="reporting")},
    "/api/v1/cycles/{cycle_id}/transitions": {"post": _op(
        "Open, close or publish a cycle (secretariat); opening creates one report per member state",
        {"200": _json(_ref("Cycle")), **_errors("400", "401", "403", "404", "409", "422")},
        body={"type": "object", "required": ["trigger"],
              "properties": {"trigger": {"type": "string", "enum": ["open", "close", "publish"]}}},
        params=[_CYCLE_ID], tag="reporting")},
    "/api/v1/reports/{report_id}": {"get": _op(
        "A country report with its values, missing indicators, queries, narrative and history",
        {"200": _json(_ref("Report")), **_errors("401", "404")}, params=[_REPORT_ID], tag="reporting")},
    "/api/v1/reports/{report_id}/values/{code}": {"put": _op(
        "Enter an indicator's value or availability flag (coordinator, or the assigned ministry's staff)",
        {"200": _json(_ref("Value")), **_errors("400", "401", "403", "404", "409", "422")},
        body=_ref("ValueInput"), params=[_REPORT_ID, _path_param("code", "string")], tag="reporting")},
    "/api/v1/reports/{report_id}/assignments": {"post": _op(
        "Assign an indicator to a ministry (coordinator): creates the data request, an assigned action item",
        {"201": _json({"type": "object", "properties": {
            "indicator_code": STRING, "ministry_id": INTEGER, "item_id": INTEGER, "due_date": DATE,
            "item_state": STRING}}, "Created"), **_errors("400", "401", "403", "404", "409", "422")},
        body={"type": "object", "required": ["indicator_code", "ministry_id"], "properties": {
            "indicator_code": STRING, "ministry_id": INTEGER, "due_date": DATE_INPUT}},
        params=[_REPORT_ID], tag="reporting")},
    "/api/v1/reports/{report_id}/transitions": {"post": _op(
        "start, submit, revise (coordinator); accept, send_back (secretariat; a comment and optional queries)",
        {"200": _json(_ref("Report")), **_errors("400", "401", "403", "404", "409", "422")},
        body={"type": "object", "required": ["trigger", "version"], "properties": {
            "trigger": {"type": "string", "enum": ["start", "submit", "accept", "send_back", "revise"]},
            "version": INTEGER, "comment": STRING, "queries": {"type": "array", "items": {
                "type": "object", "properties": {"indicator_code": STRING, "question": STRING}}}}},
        params=[_REPORT_ID], tag="reporting")},
    "/api/v1/reports/{report_id}/queries/{query_id}/answer": {"post": _op(
        "Answer a query of the secretariat (coordinator)",
        {"200": _json({"type": "object"}), **_errors("400", "401", "403", "404", "409", "422")},
        body={"type": "object", "required": ["answer"], "properties": {"answer": STRING}},
        params=[_REPORT_ID, _path_param("query_id")], tag="reporting")},
    "/api/v1/reports/{report_id}/narratives/{guarantee}": {"put": _op(
        "The assessment matrix of one guarantee, its self-rating and linked action items (coordinator)",
        {"200": _json({"type": "object"}), **_errors("400", "401", "403", "404", "409", "422")},
        body={"type": "object", "properties": {
            "existing_schemes": STRING, "policy_gaps": STRING, "implementation_issues": STRING,
            "recommendations": STRING, "self_rating": {"type": "integer", "minimum": 1, "maximum": 4},
            "item_ids": {"type": "array", "items": INTEGER}}},
        params=[_REPORT_ID, _path_param("guarantee", "string")], tag="reporting")},
    "/api/v1/countries/{code}/targets": {"get": _op(
        "A member state's national floors and targets", {
            "200": _json({"type": "array", "items": _ref("Target")}), **_errors("401", "404")},
        params=[_path_param("code", "string")], tag="reporting")},
    "/api/v1/countries/{code}/targets/{indicator_code}": {"put": _op(
        "Set the national floor and target of an indicator (the country's coordinator)",
        {"200": _json(_ref("Target")), **_errors("400", "401", "403", "404", "422")},
        body={"type": "object", "properties": {"floor": {"type": ["number", "null"]},
                                               "target": {"type": ["number", "null"]}, "target_year": INTEGER}},
        params=[_path_param("code", "string"), _path_param("indicator_code", "string")], tag="reporting")},
})

# -- reminders and notifications ------------------------------------------------------------
SCHEMAS["Notification"] = {"type": "object", "properties": {
    "id": INTEGER, "kind": {"type": "string", "enum": ["reminder", "notice"]},
    "event": {"type": ["string", "null"], "description": "for a notice, the trigger that happened"},
    "subject_type": {"type": "string", "enum": ["item", "report"]}, "subject_id": INTEGER,
    "offset": {"type": ["integer", "null"], "description": "days from the due date (reminders)"},
    "due_date": {"type": ["string", "null"], "format": "date"}, "title": STRING, "body": STRING,
    "occurred_at": INSTANT, "created_at": INSTANT, "read_at": {"type": ["string", "null"], "format": "date-time"},
    "url": STRING}}
PATHS["/api/v1/notifications"] = {"get": _op(
    "The user's reminders and notices, newest first",
    {"200": _json({"type": "object", "properties": {
        "notifications": {"type": "array", "items": _ref("Notification")}, "total": INTEGER,
        "unread": INTEGER, "page": INTEGER, "per_page": INTEGER}}), **_errors("401", "422")},
    params=[_query("unread", "boolean"), _query("page", "integer", minimum=1),
            _query("per_page", "integer", minimum=1, maximum=200)], tag="notifications")}

# -- password reset -------------------------------------------------------------------------------
PATHS.update({
    "/api/v1/password-reset": {"post": _op(
        "Ask for a password-reset link: mailed to the account of this address if it exists and is active "
        "(at most PASSWORD_RESET_MAX_PER_HOUR links an hour); the answer is the same either way",
        {"202": _json({"type": "object"}, "Accepted (whether or not the account exists)"),
         **_errors("400", "422")},
        body={"type": "object", "required": ["email"], "properties": {"email": STRING}}, public=True, tag="auth")},
    "/api/v1/password-reset/confirm": {"post": _op(
        "Set a new password with the token of a reset link; ends every session and API token of the account",
        {"204": {"description": "The password is set"},
         "400": _json(_ref("Error"), "The link is unknown, used or expired (bad_request, with reason "
                                     "unknown, used or expired)"),
         **_errors("422")},
        body={"type": "object", "required": ["token", "password"],
              "properties": {"token": STRING, "password": STRING}}, public=True, tag="auth")},
    "/api/v1/users/{user_id}/password-reset": {"post": _op(
        "Mail a user a password-reset link (admin); queued is false when the account was sent too many "
        "links in the last hour",
        {"202": _json({"type": "object", "properties": {"queued": BOOLEAN}}, "Accepted"),
         **_errors("401", "403", "404"), "409": _json(_ref("Error"), "The account is disabled (conflict)")},
        params=[_path_param("user_id")], tag="auth")},
})


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "SPF Coordination API", "version": "1",
                 "description": "Action items, the directory and regional reporting of the ASEAN "
                                "Social Protection Floor coordination network."},
        "servers": [{"url": "/"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }


@bp.get("/api/openapi.json")
def openapi_json():
    return jsonify(document())


# -- compliance, extensions and the regional comparison --------------------------------------------
COMPLIANCE = ["pending", "on_time", "late", "missing"]
NULLABLE_INSTANT = {"type": ["string", "null"], "format": "date-time"}
PERCENT = {"type": "number", "minimum": 0, "maximum": 100}
SCHEMAS.update({
    "CycleRef": {"type": "object", "properties": {
        "id": INTEGER, "name": STRING, "state": {"type": "string", "enum": ["planned", "open", "closed", "published"]},
        "deadline": DATE}},
    "ComplianceRow": {"type": "object", "properties": {
        "country": STRING, "country_name": STRING, "report_id": INTEGER,
        "state": {"type": "string", "enum": REPORT_STATES}, "compliance": {"type": "string", "enum": COMPLIANCE},
        "deadline": {**DATE, "description": "the effective deadline: the extended one where an extension exists"},
        "extended": BOOLEAN,
        "submitted_at": {**NULLABLE_INSTANT, "description": "the first submission, in the country's local time"},
        "days_late": INTEGER, "completeness": PERCENT}},
    "CycleCompliance": {"type": "object", "properties": {
        "cycle": _ref("CycleRef"), "expected": INTEGER, "actual": INTEGER, "on_time": INTEGER, "late": INTEGER,
        "missing": INTEGER, "pending": INTEGER, "reporting_rate": PERCENT, "reporting_rate_on_time": PERCENT,
        "countries": {"type": "array", "items": _ref("ComplianceRow"),
                      "description": "every member state for the secretariat (and observers once the cycle "
                                     "is published); the user's own country otherwise"}}},
    "CountryComplianceRow": {"allOf": [_ref("ComplianceRow"), {"type": "object", "properties": {
        "cycle_id": INTEGER, "cycle": STRING,
        "cycle_state": {"type": "string", "enum": ["planned", "open", "closed", "published"]}}}]},
    "Extension": {"type": "object", "properties": {
        "id": INTEGER, "cycle_id": INTEGER, "country": STRING, "deadline": DATE, "reason": STRING,
        "granted_by": INTEGER, "granted_at": INSTANT}},
    "ComparisonCell": {"type": "object", "properties": {
        "country": STRING, "country_name": STRING, "submitted": BOOLEAN, "value": VALUE,
        "availability": {"type": ["string", "null"], "enum": AVAILABILITY + [None]}, "reason": STRING,
        "floor": {"type": ["number", "null"]}, "target": {"type": ["number", "null"]}, "target_year": NULLABLE_INT,
        "status": {"type": ["string", "null"],
                   "enum": ["below_floor", "at_or_above_floor", "at_or_above_target", None]}}},
    "Comparison": {"type": "object", "properties": {
        "cycle": _ref("CycleRef"), "indicators": {"type": "array", "items": {"type": "object", "properties": {
            "code": STRING, "name": STRING, "unit": {"type": "string", "enum": UNITS},
            "guarantee": {"type": "string", "enum": GUARANTEES}, "required": BOOLEAN,
            "countries": {"type": "array", "items": _ref("ComparisonCell")}}}}}},
})
PATHS.update({
    "/api/v1/cycles/{cycle_id}/compliance": {"get": _op(
        "Compliance of a cycle: regional totals, and the rows the user may see (secretariat: every member "
        "state; coordinator and ministry staff: their own; observers: every member state once published, 404 "
        "before)", {"200": _json(_ref("CycleCompliance")), **_errors("401", "404")},
        params=[_CYCLE_ID], tag="compliance")},
    "/api/v1/cycles/{cycle_id}/extensions": {"post": _op(
        "Grant a member state a later deadline in this cycle (secretariat); recorded in the cycle's history",
        {"201": _json(_ref("Extension"), "Created"), **_errors("400", "401", "403", "404", "422")},
        body={"type": "object", "required": ["country", "deadline", "reason"], "properties": {
            "country": STRING, "deadline": DATE_INPUT, "reason": STRING}},
        params=[_CYCLE_ID], tag="compliance")},
    "/api/v1/cycles/{cycle_id}/comparison": {"get": _op(
        "Each indicator across member states with their national floors, targets and classification; "
        "the secretariat always, everybody else once the cycle is published (404 before)",
        {"200": _json(_ref("Comparison")), **_errors("401", "404")}, params=[_CYCLE_ID], tag="compliance")},
    "/api/v1/countries/{code}/compliance": {"get": _op(
        "A member state's compliance in every cycle it reports in, newest first (its own users and the "
        "secretariat; 404 for everybody else)",
        {"200": _json({"type": "array", "items": _ref("CountryComplianceRow")}), **_errors("401", "404")},
        params=[_path_param("code", "string")], tag="compliance")},
})

# -- the audit log -------------------------------------------------------------------------------------
SCHEMAS["AuditEvent"] = {"type": "object", "properties": {
    "id": INTEGER, "at": INSTANT, "type": STRING, "actor_id": NULLABLE_INT, "email": STRING, "address": STRING,
    "detail": {"type": "object"}}}
PATHS["/api/v1/audit-events"] = {"get": _op(
    "The audit log, newest first (admin only; others 403)",
    {"200": _json({"type": "object", "properties": {
        "events": {"type": "array", "items": _ref("AuditEvent")}, "total": INTEGER, "page": INTEGER,
        "per_page": INTEGER}}), **_errors("401", "403", "422")},
    params=[_query("type"), _query("email"), _query("since"), _query("page", "integer", minimum=1),
            _query("per_page", "integer", minimum=1, maximum=200)], tag="audit")}
