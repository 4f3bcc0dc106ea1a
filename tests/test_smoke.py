from helpers import api_token, sign_in


def test_login_page(client):
    assert client.get("/login").status_code == 200


def test_me(client):
    headers = api_token(client, "coordinator.ph@example.org")
    body = client.get("/api/v1/me", headers=headers).get_json()
    assert body["role"] == "coordinator" and body["country"] == "PH"


def test_home(client):
    sign_in(client, "coordinator.ph@example.org")
    r = client.get("/")
    assert r.status_code == 200 and b"Philippines" in r.data
