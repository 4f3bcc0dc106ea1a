"""Every submit of a country report keeps its values as submitted (append-only): the list of
submissions, one submission's values and what changed since, read where the report is read."""
import pytest
from helpers import Statements, root_conftest, sign_in
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError
from test_migrations import demo_at_head, differences, down_and_up

from coordination.extensions import db
from coordination.reporting.models import CountryReport, IndicatorValue, ReportSubmission, SubmittedValue


def step(client, tokens, report_id, trigger, who="coordinator", **extra):
    version = client.get(f"/api/v1/reports/{report_id}", headers=tokens[who]).get_json()["version"]
    response = client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens[who],
                           json={"trigger": trigger, "version": version, **extra})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def put(client, tokens, report_id, code, body):
    response = client.put(f"/api/v1/reports/{report_id}/values/{code}", json=body, headers=tokens["coordinator"])
    assert response.status_code == 200, response.get_json()


@pytest.fixture
def twice_submitted(client, tokens, open_cycle, fill_required):
    """The Philippines' report submitted, sent back, one value changed and submitted again."""
    report_id = open_cycle["report"]
    step(client, tokens, report_id, "start")
    fill_required(report_id)
    put(client, tokens, report_id, "SPF_CHILDREN", {"value": 21.5, "note": "Survey 2026"})
    step(client, tokens, report_id, "submit")
    step(client, tokens, report_id, "send_back", who="secretariat", comment="Check the children's figure")
    step(client, tokens, report_id, "revise")
    put(client, tokens, report_id, "SPF_CHILDREN", {"value": 23.0, "note": "Survey 2026, revised"})
    step(client, tokens, report_id, "submit")
    return report_id


def test_each_submit_is_numbered_with_when_and_who(client, tokens, twice_submitted):
    listed = client.get(f"/api/v1/reports/{twice_submitted}/submissions", headers=tokens["secretariat"])
    assert listed.status_code == 200
    coordinator = client.get("/api/v1/me", headers=tokens["coordinator"]).get_json()["id"]
    body = listed.get_json()
    assert [(s["number"], s["actor"]) for s in body] == [(1, coordinator), (2, coordinator)]
    assert body[0]["submitted_at"] <= body[1]["submitted_at"]


def test_a_submission_holds_the_values_as_submitted(client, tokens, twice_submitted):
    first = client.get(f"/api/v1/reports/{twice_submitted}/submissions/1", headers=tokens["coordinator"])
    second = client.get(f"/api/v1/reports/{twice_submitted}/submissions/2", headers=tokens["coordinator"])
    assert first.status_code == second.status_code == 200
    children = [{v["indicator_code"]: v for v in r.get_json()["values"]}["SPF_CHILDREN"] for r in (first, second)]
    assert [(c["value"], c["note"]) for c in children] == [(21.5, "Survey 2026"), (23.0, "Survey 2026, revised")]
    assert first.get_json()["number"] == 1
    assert client.get(f"/api/v1/reports/{twice_submitted}/submissions/3",
                      headers=tokens["coordinator"]).status_code == 404


def test_changes_since_a_submission_list_only_what_differs(client, tokens, twice_submitted):
    response = client.get(f"/api/v1/reports/{twice_submitted}/changes?since=1", headers=tokens["secretariat"])
    assert response.status_code == 200
    assert [(c["indicator_code"], c["before"]["value"], c["after"]["value"]) for c in response.get_json()] == [
        ("SPF_CHILDREN", 21.5, 23.0)]
    assert client.get(f"/api/v1/reports/{twice_submitted}/changes?since=2",
                      headers=tokens["secretariat"]).get_json() == []


@pytest.mark.parametrize("since", ["x", "0", "-1", "", "1.5"])
def test_a_bad_since_is_refused_with_422(client, tokens, twice_submitted, since):
    response = client.get(f"/api/v1/reports/{twice_submitted}/changes?since={since}", headers=tokens["secretariat"])
    assert response.status_code == 422
    assert response.get_json()["error"] == "validation_error" and "since" in response.get_json()["fields"]


def test_changes_without_since_or_since_an_unknown_submission(client, tokens, twice_submitted):
    assert client.get(f"/api/v1/reports/{twice_submitted}/changes", headers=tokens["secretariat"]).status_code == 422
    assert client.get(f"/api/v1/reports/{twice_submitted}/changes?since=9",
                      headers=tokens["secretariat"]).status_code == 404


PATHS = ("submissions", "submissions/1", "changes?since=1")


@pytest.mark.parametrize("who", ["coordinator", "dswd", "secretariat"])
def test_the_report_s_readers_read_its_submissions(client, tokens, twice_submitted, who):
    for path in PATHS:
        assert client.get(f"/api/v1/reports/{twice_submitted}/{path}", headers=tokens[who]).status_code == 200, path


@pytest.mark.parametrize("who", ["th", "observer", "admin"])
def test_another_country_an_observer_and_the_admin_get_404(client, tokens, twice_submitted, who):
    for path in PATHS:
        assert client.get(f"/api/v1/reports/{twice_submitted}/{path}", headers=tokens[who]).status_code == 404, path
    assert client.get("/api/v1/reports/999999/submissions", headers=tokens["secretariat"]).status_code == 404


def test_observers_do_not_read_the_submissions_even_once_the_cycle_is_published(client, tokens, open_cycle,
                                                                                twice_submitted):
    """Observers never read a country report, so not its submissions either: they see the
    published cycle's comparison and compliance instead."""
    step(client, tokens, twice_submitted, "accept", who="secretariat")
    cycle = open_cycle["cycle"]["id"]
    for trigger in ("close", "publish"):
        response = client.post(f"/api/v1/cycles/{cycle}/transitions", json={"trigger": trigger},
                               headers=tokens["secretariat"])
        assert response.status_code == 200, response.get_json()
    for path in PATHS:
        assert client.get(f"/api/v1/reports/{twice_submitted}/{path}",
                          headers=tokens["observer"]).status_code == 404, path
    assert client.get(f"/api/v1/reports/{twice_submitted}/submissions", headers=tokens["th"]).status_code == 404
    assert client.get(f"/api/v1/reports/{twice_submitted}/submissions",
                      headers=tokens["secretariat"]).status_code == 200


def test_the_secretariat_sees_no_submission_of_a_report_never_submitted(client, tokens, open_cycle):
    report_id = open_cycle["report"]
    assert client.get(f"/api/v1/reports/{report_id}/submissions", headers=tokens["coordinator"]).get_json() == []
    assert client.get(f"/api/v1/reports/{report_id}/submissions", headers=tokens["secretariat"]).status_code == 404


@pytest.mark.parametrize("table", ["report_submissions", "submitted_values"])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_the_database_keeps_the_submissions_append_only(app, twice_submitted, table, statement):
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text(statement.format(table=table)))


# -- the pages ------------------------------------------------------------------------------------

def statements_for(app, client, path) -> list[str]:
    with app.app_context():
        engine = db.engine
    with Statements(engine) as counter:
        assert client.get(path).status_code == 200
    return [statement for statement, _ in counter.seen]


def page(client, email, path):
    client = client.application.test_client()  # signed in as ``email`` alone
    sign_in(client, email)
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def test_the_report_page_lists_the_submissions_and_what_the_second_changed(app, client, twice_submitted):
    status, body = page(client, "secretariat@example.org", f"/reports/{twice_submitted}")
    assert status == 200
    assert "Submissions" in body and f"/reports/{twice_submitted}/submissions/2" in body
    changes = body.split('id="changes"')[1].split("</table>")[0]
    assert "SPF_CHILDREN" in changes and "21.5" in changes and "23" in changes
    assert "SPF_COVERAGE_TOTAL" not in changes  # unchanged values are not listed


def test_a_first_submission_has_no_changes_section_and_an_unchanged_one_says_so(client, tokens, open_cycle,
                                                                                fill_required):
    report_id = open_cycle["report"]
    step(client, tokens, report_id, "start")
    fill_required(report_id)
    step(client, tokens, report_id, "submit")
    status, body = page(client, "secretariat@example.org", f"/reports/{report_id}")
    assert status == 200 and "Submission 1" in body and 'id="changes"' not in body
    step(client, tokens, report_id, "send_back", who="secretariat", comment="Add the sources")
    step(client, tokens, report_id, "revise")
    step(client, tokens, report_id, "submit")
    status, body = page(client, "secretariat@example.org", f"/reports/{report_id}")
    assert 'id="changes"' in body and "No value changed" in body


def test_the_page_of_a_submission_shows_its_values_to_the_report_s_readers_only(client, twice_submitted):
    for email in ("coordinator.ph@example.org", "secretariat@example.org"):
        status, body = page(client, email, f"/reports/{twice_submitted}/submissions/1")
        assert status == 200 and "Submission 1" in body and "21.5" in body and "23.0" not in body
    assert page(client, "secretariat@example.org", f"/reports/{twice_submitted}/submissions/3")[0] == 404
    for email in ("coordinator.th@example.org", "observer@example.org"):
        assert page(client, email, f"/reports/{twice_submitted}/submissions/1")[0] == 404, email


def test_the_report_page_s_statements_do_not_grow_with_the_submissions(app, client, tokens, twice_submitted):
    sign_in(client, "secretariat@example.org")
    two = statements_for(app, client, f"/reports/{twice_submitted}")
    step(client, tokens, twice_submitted, "send_back", who="secretariat", comment="Once more")
    step(client, tokens, twice_submitted, "revise")
    put(client, tokens, twice_submitted, "SPF_CHILDREN", {"value": 24.0, "note": "Final"})
    put(client, tokens, twice_submitted, "SPF_COVERAGE_TOTAL", {"value": 40.0, "note": "Final"})
    step(client, tokens, twice_submitted, "submit")
    three = statements_for(app, client, f"/reports/{twice_submitted}")
    assert len(two) == len(three), "\n".join(three)
    sub = statements_for(app, client, f"/reports/{twice_submitted}/submissions/3")
    assert len(sub) == len(statements_for(app, client, f"/reports/{twice_submitted}/submissions/1"))


def test_the_migration_gives_every_report_already_submitted_one_snapshot(make_app, database_url, pytestconfig):
    """Reports submitted before 0016 get submission 1 holding their values as they are."""
    app = make_app()
    try:
        with app.app_context():
            demo_at_head()
            submitted = db.session.scalar(select(func.count()).select_from(CountryReport).where(
                CountryReport.state.in_(("submitted", "accepted", "returned"))))
            entered = db.session.scalar(select(func.count()).select_from(IndicatorValue).join(CountryReport).where(
                CountryReport.state.in_(("submitted", "accepted", "returned")),
                IndicatorValue.availability.is_not(None)))
            assert submitted > 0 and entered > 0
            down_and_up("0015")
            numbers = db.session.scalars(select(ReportSubmission.number)).all()
            assert len(numbers) == submitted and set(numbers) == {1}
            assert db.session.scalar(select(func.count()).select_from(SubmittedValue)) == entered
            db.session.remove()
            with pytest.raises(DatabaseError, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(text("DELETE FROM submitted_values"))
            assert differences() == []
    finally:
        root_conftest(pytestconfig).mark_postgres_schema_dirty()
