"""The OpenAPI description is generated from the routes and their schemas: it names exactly the
API routes the application serves, it is a valid OpenAPI 3.1 document, and it says what the
workflow and the models say."""
import re

from openapi_spec_validator import validate

from coordination.items import workflow
from coordination.items.models import GUARANTEES, PRIORITIES
from coordination.openapi import document
from coordination.reporting import workflow as reporting_workflow
from coordination.reporting.models import AVAILABILITY, UNITS
from coordination.roles import ROLES


def served_api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((path, method.lower()))
    return routes


def test_description_matches_the_routes(app):
    described = {(path, method) for path, ops in document(app)["paths"].items() for method in ops}
    assert described == served_api_routes(app)


def test_served_as_json_without_signing_in(client):
    body = client.get("/api/openapi.json").get_json()
    assert body["openapi"].startswith("3.1")
    assert "/api/v1/items/{item_id}/transitions" in body["paths"]


def test_every_reference_resolves(app):
    doc = document(app)
    refs = set(re.findall(r"#/components/schemas/(\w+)", str(doc)))
    assert refs <= set(doc["components"]["schemas"])


def test_the_document_is_valid_openapi(app):
    validate(document(app))


def test_required_fields_and_enums_come_from_the_code(app):
    schemas = document(app)["components"]["schemas"]
    assert set(schemas["ItemCreate"]["required"]) == {"title", "due_date"}
    assert schemas["ItemCreate"]["properties"]["priority"]["enum"] == list(PRIORITIES)
    assert schemas["ItemTransition"]["properties"]["trigger"]["enum"] == list(workflow.TRIGGERS)
    assert schemas["Item"]["properties"]["state"]["enum"] == list(workflow.STATES)
    assert schemas["IndicatorSpec"]["properties"]["unit"]["enum"] == list(UNITS)
    assert schemas["Indicator"]["properties"]["guarantee"]["enum"] == list(GUARANTEES)
    assert schemas["Report"]["properties"]["state"]["enum"] == list(reporting_workflow.REPORT_STATES)
    assert schemas["CycleTransition"]["properties"]["trigger"]["enum"] == list(reporting_workflow.CYCLE_TRIGGERS)
    assert schemas["Me"]["properties"]["role"]["enum"] == list(ROLES)
    assert [*AVAILABILITY, None] == schemas["ValueInput"]["properties"]["availability"]["enum"]
    # Every field of an answer is there, and no other.
    assert set(schemas["Item"]["required"]) == set(schemas["Item"]["properties"])
    assert schemas["Item"]["additionalProperties"] is False


def test_every_operation_lists_its_error_statuses(app):
    paths = document(app)["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            public = operation.get("security") == []
            assert public or {"401", "403"} <= statuses, (method, path)
            assert "{" not in path or "404" in statuses, (method, path)
            assert "requestBody" not in operation or {"400", "413", "422"} <= statuses, (method, path)
    assert "429" in paths["/api/v1/tokens"]["post"]["responses"]
    assert "409" in paths["/api/v1/items/{item_id}/transitions"]["post"]["responses"]
