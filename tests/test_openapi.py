"""The OpenAPI description names exactly the API routes the application serves."""
import re

from coordination.openapi import document


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
    described = {(path, method) for path, ops in document()["paths"].items() for method in ops}
    assert described == served_api_routes(app)


def test_served_as_json_without_signing_in(client):
    body = client.get("/api/openapi.json").get_json()
    assert body["openapi"].startswith("3.")
    assert "/api/v1/items/{item_id}/transitions" in body["paths"]


def test_every_reference_resolves():
    doc = document()
    refs = set(re.findall(r"#/components/schemas/(\w+)", str(doc)))
    assert refs <= set(doc["components"]["schemas"])
