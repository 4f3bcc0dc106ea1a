"""Helpers the tests share."""
from coordination.demo import DEMO_PASSWORD


def sign_in(client, email: str, password: str = DEMO_PASSWORD):
    """Sign ``client`` in through the login form; returns the response."""
    return client.post("/login", data={"email": email, "password": password})


def api_token(client, email: str, password: str = DEMO_PASSWORD) -> dict:
    """Headers carrying a fresh API token for ``email``."""
    response = client.post("/api/v1/tokens", json={"email": email, "password": password})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}
