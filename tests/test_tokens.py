"""API tokens, the signed-in user, the API's error format, and the directory in the API."""
import pytest
from helpers import ROLE_USERS, api_token

from coordination.demo import DEMO_PASSWORD

COORDINATOR = ROLE_USERS["coordinator"]
PH_MINISTRIES = {"DSWD", "DOLE", "DOH", "PhilHealth", "SSS", "GSIS", "NCSC", "DEPDev"}
ASEAN = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"}


def test_a_token_is_created_and_identifies_its_user(client):
    response = client.post("/api/v1/tokens", json={"email": COORDINATOR, "password": DEMO_PASSWORD})
    assert response.status_code == 201
    token = response.get_json()["token"]
    assert len(token) >= 32

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.get_json()
    assert body["email"] == COORDINATOR
    assert body["role"] == "coordinator"
    assert body["country"] == "PH"
    assert body["ministry"] is None
    assert body["name"] == "National Coordinator, Philippines"
    assert isinstance(body["id"], int)


def test_me_names_the_ministry_of_ministry_staff(client):
    body = client.get("/api/v1/me", headers=api_token(client, "staff.id.bpjskesehatan@example.org")).get_json()
    assert body["role"] == "ministry_staff"
    assert body["country"] == "ID"
    assert body["ministry"]["acronym"] == "BPJS Kesehatan"
    assert body["ministry"]["name"] == "Social Security Administering Body for Health"


def test_every_sign_in_gives_a_new_token(client):
    first = api_token(client, COORDINATOR)
    second = api_token(client, COORDINATOR)
    assert first != second
    assert client.get("/api/v1/me", headers=first).status_code == 200
    assert client.get("/api/v1/me", headers=second).status_code == 200


def test_a_revoked_token_answers_401_and_others_keep_working(client):
    revoked = api_token(client, COORDINATOR)
    kept = api_token(client, COORDINATOR)
    assert client.delete("/api/v1/tokens/current", headers=revoked).status_code == 204

    response = client.get("/api/v1/me", headers=revoked)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert client.delete("/api/v1/tokens/current", headers=revoked).status_code == 401
    assert client.get("/api/v1/me", headers=kept).status_code == 200


@pytest.mark.parametrize("header", [
    "Bearer not-a-token-anyone-was-given",
    "Bearer ",
    "Bearer",
    "Basic Y29vcmRpbmF0b3I6ZGVtby1wYXNzd29yZA==",
    "not-even-a-scheme",
])
def test_a_bad_token_answers_401_unauthorized(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    body = response.get_json()
    assert body["error"] == "unauthorized"
    assert body["message"]


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/countries", "/api/v1/countries/PH/ministries"])
def test_a_missing_authorization_header_answers_401(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def test_a_signed_in_web_session_does_not_open_the_api(client):
    # The API authenticates with tokens only, so a cross-site request cannot ride on the cookie.
    client.post("/login", data={"email": COORDINATOR, "password": DEMO_PASSWORD})
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("kwargs", [
    {"data": "{not json", "content_type": "application/json"},
    {"data": "email=a&password=b", "content_type": "application/x-www-form-urlencoded"},
    {"data": "", "content_type": "application/json"},
    {"json": ["coordinator.ph@example.org", "demo-password"]},
    {"json": "coordinator.ph@example.org"},
    {"json": None},
])
def test_a_body_that_is_not_a_json_object_answers_400_bad_request(client, kwargs):
    response = client.post("/api/v1/tokens", **kwargs)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "bad_request"
    assert body["message"]


@pytest.mark.parametrize("body, missing", [
    ({"email": COORDINATOR}, {"password"}),
    ({"password": DEMO_PASSWORD}, {"email"}),
    ({}, {"email", "password"}),
    ({"email": "", "password": ""}, {"email", "password"}),
])
def test_a_missing_field_answers_422_naming_it(client, body, missing):
    response = client.post("/api/v1/tokens", json=body)
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["error"] == "validation_error"
    assert set(payload["fields"]) == missing
    for messages in payload["fields"].values():
        assert messages == ["This field is required."]


# -- the directory in the API ----------------------------------------------------------


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_every_signed_in_role_reads_the_countries(client, role):
    response = client.get("/api/v1/countries", headers=api_token(client, ROLE_USERS[role]))
    assert response.status_code == 200
    countries = response.get_json()
    assert {c["code"] for c in countries} == ASEAN
    assert [c["code"] for c in countries] == sorted(c["code"] for c in countries)
    philippines = next(c for c in countries if c["code"] == "PH")
    assert philippines == {"code": "PH", "name": "Philippines", "timezone": "Asia/Manila"}


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_every_signed_in_role_reads_the_ministries_of_a_country(client, role):
    response = client.get("/api/v1/countries/PH/ministries", headers=api_token(client, ROLE_USERS[role]))
    assert response.status_code == 200
    ministries = response.get_json()
    assert {m["acronym"] for m in ministries} == PH_MINISTRIES
    dswd = next(m for m in ministries if m["acronym"] == "DSWD")
    assert dswd["name"] == "Department of Social Welfare and Development"
    assert dswd["sector"] == "social_welfare"
    assert isinstance(dswd["id"], int)


def test_a_country_code_in_lower_case_is_found(client):
    response = client.get("/api/v1/countries/ph/ministries", headers=api_token(client, COORDINATOR))
    assert response.status_code == 200
    assert {m["acronym"] for m in response.get_json()} == PH_MINISTRIES


@pytest.mark.parametrize("code", ["XX", "X", "PHL", "12"])
def test_an_unknown_country_answers_json_404(client, code):
    response = client.get(f"/api/v1/countries/{code}/ministries", headers=api_token(client, COORDINATOR))
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"] == "not_found"
    assert code in body["message"]
