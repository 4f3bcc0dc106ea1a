"""The audit log: what is written, who reads it (the admin only), its filters, and that the
database keeps it append-only."""
import pytest
from helpers import ROLE_USERS, api_token, sign_in, signed_in_client
from sqlalchemy import select, text

from coordination.audit.models import AuditEvent
from coordination.demo import DEMO_PASSWORD
from coordination.extensions import db

ADMIN = ROLE_USERS["admin"]
COORDINATOR = ROLE_USERS["coordinator"]


def events(app, **filters) -> list[dict]:
    headers = api_token(app.test_client(), ADMIN)
    response = app.test_client().get("/api/v1/audit-events", query_string=filters, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["events"]


def test_signing_in_and_out_changing_the_password_and_tokens_are_recorded(app):
    client = signed_in_client(app, COORDINATOR)
    client.post("/account", data={"current_password": DEMO_PASSWORD, "new_password": "another-password-1",
                                  "confirm_password": "another-password-1"})
    client.post("/logout")
    headers = api_token(app.test_client(), COORDINATOR, "another-password-1")
    app.test_client().delete("/api/v1/tokens/current", headers=headers)

    rows = events(app, email=COORDINATOR)
    assert [r["type"] for r in rows] == [
        "token_revoked", "token_created", "logout", "password_changed", "login_succeeded"]
    assert all(r["address"] == "127.0.0.1" for r in rows)
    with app.app_context():
        from coordination.auth.models import User

        coordinator_id = db.session.scalar(select(User.id).where(User.email == COORDINATOR))
    assert {r["actor_id"] for r in rows} == {coordinator_id}


def test_a_user_created_on_the_web_and_on_the_command_line_is_recorded(app, runner):
    admin = signed_in_client(app, ADMIN)
    response = admin.post("/admin/users/new", data={
        "email": "new.staff@example.org", "name": "New Staff", "role": "ministry_staff",
        "country": "PH", "ministry": "DOH", "password": "long-enough-password"})
    assert response.status_code == 302
    result = runner.invoke(args=["create-user", "cli.observer@example.org", "--role", "observer",
                                 "--password-stdin"], input="long-enough-password\n")
    assert result.exit_code == 0, result.output

    web, cli = events(app, type="user_created", email="new.staff@example.org"), \
        events(app, type="user_created", email="cli.observer@example.org")
    assert web[0]["detail"] == {"role": "ministry_staff", "country": "PH", "ministry": "DOH", "active": True,
                                "by": "admin"}
    assert web[0]["actor_id"] is not None
    assert cli[0]["detail"]["by"] == "command line"
    assert cli[0]["actor_id"] is None


def test_an_export_is_recorded(app):
    from coordination.reporting.models import ReportingCycle

    with app.app_context():
        cycle_id = db.session.scalar(select(ReportingCycle.id))
    client = signed_in_client(app, ROLE_USERS["secretariat"])
    response = client.get(f"/cycles/{cycle_id}/compliance.csv")
    assert response.status_code == 200
    rows = events(app, type="export_downloaded")
    assert len(rows) == 1
    assert rows[0]["email"] == ROLE_USERS["secretariat"]
    assert rows[0]["detail"]["path"] == f"/cycles/{cycle_id}/compliance.csv"
    assert rows[0]["detail"]["format"] == "csv"


def test_the_filters_and_paging(app):
    for _ in range(3):
        assert app.test_client().post("/api/v1/tokens", json={"email": COORDINATOR, "password": "nope"}
                                      ).status_code == 401
    headers = api_token(app.test_client(), ADMIN)
    client = app.test_client()
    page = client.get("/api/v1/audit-events?type=login_failed&per_page=2", headers=headers).get_json()
    assert (page["total"], page["page"], page["per_page"], len(page["events"])) == (3, 1, 2, 2)
    assert page["events"][0]["id"] > page["events"][1]["id"]  # newest first
    second = client.get("/api/v1/audit-events?type=login_failed&per_page=2&page=2", headers=headers).get_json()
    assert len(second["events"]) == 1
    beyond = client.get("/api/v1/audit-events?page=99999999999999999999", headers=headers)
    assert beyond.status_code == 200
    assert beyond.get_json()["events"] == []
    assert client.get("/api/v1/audit-events?since=2199-12-31", headers=headers).get_json()["total"] == 0
    assert client.get("/api/v1/audit-events?since=2000-01-01&type=login_failed",
                      headers=headers).get_json()["total"] == 3


@pytest.mark.parametrize("query, field", [
    ("type=nonsense", "type"), ("since=yesterday", "since"), ("since=9999-12-31", "since"),
    ("since=2027-03-31T08:00:00", "since"),
])
def test_bad_filters_answer_422_naming_the_field(app, query, field):
    headers = api_token(app.test_client(), ADMIN)
    response = app.test_client().get(f"/api/v1/audit-events?{query}", headers=headers)
    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == [field]
    page = signed_in_client(app, ADMIN).get(f"/admin/audit?{query}")
    assert page.status_code == 422


def test_the_admins_audit_page_lists_and_filters(app):
    app.test_client().post("/api/v1/tokens", json={"email": "stranger@example.org", "password": "x"})
    admin = signed_in_client(app, ADMIN)
    page = admin.get("/admin/audit?type=login_failed")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "stranger@example.org" in body
    assert "login failed" in body
    assert "1 event." in body
    assert "Audit log" in admin.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["coordinator", "ministry_staff", "secretariat", "observer"])
def test_only_the_admin_reads_the_audit_log(app, role):
    email = ROLE_USERS[role]
    headers = api_token(app.test_client(), email)
    response = app.test_client().get("/api/v1/audit-events", headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"
    client = app.test_client()
    sign_in(client, email)
    assert client.get("/admin/audit").status_code == 403
    assert "Audit log" not in client.get("/").get_data(as_text=True)


def test_the_audit_log_needs_a_token(app):
    assert app.test_client().get("/api/v1/audit-events").status_code == 401


def test_the_database_refuses_to_change_or_remove_an_audit_event(app):
    sign_in(app.test_client(), COORDINATOR)
    with app.app_context():
        event_id = db.session.scalar(select(AuditEvent.id))
        db.session.commit()
        for statement in ("UPDATE audit_events SET type = 'logout' WHERE id = :id",
                          "DELETE FROM audit_events WHERE id = :id"):
            with pytest.raises(Exception, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(text(statement), {"id": event_id})
