"""The reporting pages' usability on the server side (both databases): the error summary of a
refused value, the page before closing a cycle, check your answers before submitting, the
send-back page with a query field per value and section, and the queries listed at the top of
the returned report; each from the side of who may and of who may not."""
import re

from sqlalchemy import select
from test_reporting_pages import as_user, report_row, text

from coordination.reporting.models import ReportingCycle, ReportQuery

COORDINATOR = "coordinator.ph@example.org"
SECRETARIAT = "secretariat@example.org"
DSWD = "staff.ph.dswd@example.org"
COVERAGE = "Population covered by at least one social protection benefit"
CHILDREN = "Children covered by social protection benefits"




def fire(client, session, report_id, trigger, **extra):
    return client.post(f"/reports/{report_id}/transitions",
                       data={"trigger": trigger, "version": report_row(session, report_id).version, **extra})


def submitted(client, session, open_cycle, fill_required) -> int:
    report_id = open_cycle["report"]
    fill_required(report_id)
    as_user(client, COORDINATOR)
    fire(client, session, report_id, "start")
    assert fire(client, session, report_id, "submit").status_code == 302
    return report_id


def tag(page: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    return re.search(rf'<[^>]*\bid="{re.escape(element_id)}"[^>]*>', page).group(0)


# -- fault 1: the error summary -------------------------------------------------------------------------------

def test_a_refused_value_has_a_summary_linking_to_the_field(client, session, open_cycle):
    as_user(client, COORDINATOR)
    response = client.post(f"/reports/{open_cycle['report']}/values/SPF_CHILDREN", data={
        "SPF_CHILDREN-number": "20", "SPF_CHILDREN-availability": "reported", "SPF_CHILDREN-female": "140"})
    assert response.status_code == 422
    page = text(response)
    summary = page[page.index('id="error-summary"') - 80:]
    summary = summary[:summary.index("</div>")]
    assert 'role="alert"' in summary and "autofocus" in summary and "There is a problem" in summary
    assert (f'<a class="alert-link" href="#SPF_CHILDREN-female">{CHILDREN}, female: A percentage lies between 0 '
            'and 100.</a>') in summary
    field = tag(page, "SPF_CHILDREN-female")
    assert 'aria-invalid="true"' in field and 'aria-describedby="SPF_CHILDREN-female-error"' in field
    assert 'id="SPF_CHILDREN-female-error">A percentage lies between 0 and 100.</div>' in page
    assert "female: A percentage" not in page.replace(f"{CHILDREN}, female: A percentage", "")
    assert 'aria-invalid' not in tag(page, "SPF_CHILDREN-male")  # only the field in error
    assert 'aria-invalid' not in tag(page, "SPF_COVERAGE_TOTAL-number")


def test_a_report_page_without_errors_has_no_summary(client, open_cycle):
    as_user(client, COORDINATOR)
    assert 'id="error-summary"' not in text(client.get(f"/reports/{open_cycle['report']}"))


def test_a_refused_submit_lists_the_missing_indicators_by_name(client, session, open_cycle, fill_required):
    report_id = open_cycle["report"]
    fill_required(report_id, skip=("SPF_COVERAGE_TOTAL",))
    as_user(client, COORDINATOR)
    fire(client, session, report_id, "start")
    refused = fire(client, session, report_id, "submit")
    assert refused.status_code == 422
    assert (f'href="#indicator-SPF_COVERAGE_TOTAL">{COVERAGE}: Required: enter a value, or a flag with a '
            'reason.</a>') in text(refused)


# -- fault 3: close the cycle, check your answers -------------------------------------------------------------

def test_closing_a_cycle_has_a_confirmation_page(client, session, open_cycle):
    cycle_id = open_cycle["cycle"]["id"]
    as_user(client, SECRETARIAT)
    cycle_page = text(client.get(f"/cycles/{cycle_id}"))
    assert f'href="/cycles/{cycle_id}/close">Close the cycle…</a>' in cycle_page
    assert 'value="close"' not in cycle_page  # no one-click close
    page = text(client.get(f"/cycles/{cycle_id}/close"))
    assert "Close “2027 self-assessment”?" in page and "no member state can submit or change its report" in page
    assert '<button type="submit" class="btn btn-danger">Close the cycle</button>' in page
    assert "10 member states have not submitted their reports yet." in page
    assert session.get(ReportingCycle, cycle_id).state == "open"  # looking changes nothing
    assert client.post(f"/cycles/{cycle_id}/transitions", data={"trigger": "close"}).status_code == 302
    session.expire_all()
    assert session.get(ReportingCycle, cycle_id).state == "closed"
    again = client.get(f"/cycles/{cycle_id}/close", follow_redirects=True)
    assert "Only an open cycle can be closed." in text(again)


def test_only_the_secretariat_sees_the_close_page(client, open_cycle):
    cycle_id = open_cycle["cycle"]["id"]
    for email in (COORDINATOR, DSWD, "observer@example.org"):
        as_user(client, email)
        assert client.get(f"/cycles/{cycle_id}/close").status_code == 403


def test_check_your_answers_before_submitting(client, session, open_cycle, fill_required):
    report_id = open_cycle["report"]
    fill_required(report_id)
    as_user(client, COORDINATOR)
    not_yet = client.get(f"/reports/{report_id}/submit", follow_redirects=True)
    assert "The report cannot be submitted now: it is not started." in text(not_yet)
    fire(client, session, report_id, "start")
    report_page = text(client.get(f"/reports/{report_id}"))
    assert f'href="/reports/{report_id}/submit">Submit to the secretariat…</a>' in report_page
    assert 'value="submit"' not in report_page  # the button is on the next page
    page = text(client.get(f"/reports/{report_id}/submit"))
    assert "Check your answers before you submit" in page
    assert COVERAGE in page and "34.9 %" in page and "No survey since 2016" in page
    assert "Unemployed persons receiving unemployment cash benefits" in page and "Not entered" in page
    assert f'href="/reports/{report_id}#indicator-SPF_COVERAGE_TOTAL">Change' in page
    assert 'name="trigger" value="submit"' in page and ">Submit the report</button>" in page
    assert report_row(session, report_id).state == "drafting"
    assert fire(client, session, report_id, "submit").status_code == 302
    assert report_row(session, report_id).state == "submitted"


def test_check_your_answers_with_a_value_missing_has_no_submit_button(client, session, open_cycle, fill_required):
    report_id = open_cycle["report"]
    fill_required(report_id, skip=("SPF_COVERAGE_TOTAL",))
    as_user(client, COORDINATOR)
    fire(client, session, report_id, "start")
    page = text(client.get(f"/reports/{report_id}/submit"))
    assert "1 required indicator has neither a value nor a flag with a reason:" in page
    assert ">Submit the report</button>" not in page


def test_the_check_page_is_the_coordinators(client, session, open_cycle, fill_required):
    report_id = open_cycle["report"]
    fill_required(report_id)
    as_user(client, COORDINATOR)
    fire(client, session, report_id, "start")
    as_user(client, DSWD)
    assert client.get(f"/reports/{report_id}/submit").status_code == 403
    as_user(client, "coordinator.th@example.org")
    assert client.get(f"/reports/{report_id}/submit").status_code == 404


# -- fault 6: a query next to each value and section ----------------------------------------------------------

def test_send_back_page_raises_a_query_per_value_and_section(client, session, open_cycle, fill_required):
    report_id = submitted(client, session, open_cycle, fill_required)
    as_user(client, SECRETARIAT)
    report_page = text(client.get(f"/reports/{report_id}"))
    assert f'href="/reports/{report_id}/send-back">Send back…</a>' in report_page
    page = text(client.get(f"/reports/{report_id}/send-back"))
    assert "CODE: question" not in page
    assert f'<label class="form-label" for="query-SPF_COVERAGE_TOTAL">Query on “{COVERAGE}” (optional)</label>' in page
    assert 'for="query-children">Query on “Income security for children” (optional)</label>' in page
    block = page[page.index('id="send-back-SPF_COVERAGE_TOTAL"'):]
    assert "34.9 %" in block[:block.index('id="send-back-SPF_CHILDREN"')]  # the value beside its query

    version = report_row(session, report_id).version
    refused = client.post(f"/reports/{report_id}/send-back", data={
        "version": version, "comment": "", "query-SPF_COVERAGE_TOTAL": "Which year is this?"})
    assert refused.status_code == 422
    assert 'href="#comment">Add a comment: it is required for this step.</a>' in text(refused)
    assert "Which year is this?</textarea>" in text(refused)  # the typing is kept
    assert report_row(session, report_id).state == "submitted"
    assert session.scalars(select(ReportQuery)).all() == []

    sent = client.post(f"/reports/{report_id}/send-back", data={
        "version": version, "comment": "Please check two points.",
        "query-SPF_COVERAGE_TOTAL": "  Which year is this?  ", "query-children": "Name the schemes.",
        "query-SPF_CHILDREN": "   "})
    assert sent.status_code == 302 and sent.headers["Location"] == f"/reports/{report_id}"
    assert report_row(session, report_id).state == "returned"
    queries = session.scalars(select(ReportQuery).order_by(ReportQuery.id)).all()
    assert [(q.indicator_code, q.question) for q in queries] == [
        ("SPF_COVERAGE_TOTAL", "Which year is this?"), ("children", "Name the schemes.")]

    as_user(client, COORDINATOR)
    page = text(client.get(f"/reports/{report_id}"))
    top = page[page.index('id="queries"'):page.index('id="actions-heading"')]
    assert "Queries from the secretariat" in top and "Please check two points." in top
    assert f'<a href="#query-{queries[0].id}">{COVERAGE}</a>' in top and "Which year is this?" in top
    assert f'<a href="#query-{queries[1].id}">Income security for children</a>' in top
    coverage = page[page.index('id="indicator-SPF_COVERAGE_TOTAL"'):]
    assert f'id="query-{queries[0].id}"' in coverage[:coverage.index("</tbody>")]
    children = page[page.index('id="narrative-children"'):]
    assert f'id="query-{queries[1].id}"' in children[:children.index("</section>")]


def test_a_stale_send_back_changes_nothing(client, session, open_cycle, fill_required):
    report_id = submitted(client, session, open_cycle, fill_required)
    as_user(client, SECRETARIAT)
    response = client.post(f"/reports/{report_id}/send-back", data={
        "version": report_row(session, report_id).version - 1, "comment": "Check", "query-children": "Why?"},
        follow_redirects=True)
    assert "Someone else changed this report in the meantime" in text(response)
    assert report_row(session, report_id).state == "submitted"
    assert session.scalars(select(ReportQuery)).all() == []


def test_only_the_secretariat_sends_back(client, session, open_cycle, fill_required):
    report_id = submitted(client, session, open_cycle, fill_required)
    as_user(client, COORDINATOR)
    assert client.get(f"/reports/{report_id}/send-back").status_code == 403
    assert client.post(f"/reports/{report_id}/send-back", data={
        "version": report_row(session, report_id).version, "comment": "Check"}).status_code == 403
    assert report_row(session, report_id).state == "submitted"
    as_user(client, SECRETARIAT)
    fire(client, session, report_id, "accept")
    after = client.get(f"/reports/{report_id}/send-back", follow_redirects=True)
    assert "The report cannot be sent back now: it is accepted." in text(after)


def test_the_json_send_back_keeps_its_contract(client, session, tokens, open_cycle, fill_required):
    report_id = submitted(client, session, open_cycle, fill_required)
    response = client.post(f"/api/v1/reports/{report_id}/transitions", headers=tokens["secretariat"], json={
        "trigger": "send_back", "version": report_row(session, report_id).version, "comment": "Check",
        "queries": [{"indicator_code": "SPF_CHILDREN", "question": "Which survey?"}]})
    assert response.status_code == 200 and response.get_json()["state"] == "returned"
    as_user(client, COORDINATOR)
    page = text(client.get(f"/reports/{report_id}"))
    assert "Queries from the secretariat" in page and f">{CHILDREN}</a>" in page


# -- fault 5 and the languages ---------------------------------------------------------------------------------

def test_answers_and_values_are_named_as_people_say_them(client, session, open_cycle, fill_required):
    report_id = submitted(client, session, open_cycle, fill_required)
    as_user(client, SECRETARIAT)
    client.post(f"/reports/{report_id}/send-back", data={
        "version": report_row(session, report_id).version, "comment": "Check", "query-health": "Which schemes?"})
    as_user(client, COORDINATOR)
    query = session.scalar(select(ReportQuery))
    answered = client.post(f"/reports/{report_id}/queries/{query.id}/answer",
                           data={f"query-{query.id}-answer": "PhilHealth."}, follow_redirects=True)
    assert "Your answer on “Essential health care” is saved." in text(answered)
    fire(client, session, report_id, "revise")
    saved = client.post(f"/reports/{report_id}/values/SPF_COVERAGE_TOTAL", data={
        "SPF_COVERAGE_TOTAL-number": "35", "SPF_COVERAGE_TOTAL-availability": "reported"}, follow_redirects=True)
    assert f"The value of “{COVERAGE}” is saved." in text(saved)
    assert "Enter the value of SPF_" not in text(saved) and f"Enter the value of {COVERAGE}" in text(saved)


def test_the_new_pages_come_in_the_users_language(client, session, open_cycle, fill_required):
    report_id = open_cycle["report"]
    fill_required(report_id)
    as_user(client, COORDINATOR)
    fire(client, session, report_id, "start")
    page = text(client.get(f"/reports/{report_id}/submit", headers={"Accept-Language": "id"}))
    assert "Periksa jawaban Anda sebelum menyampaikan" in page and "Sampaikan laporan" in page
    page = text(client.get(f"/reports/{report_id}", headers={"Accept-Language": "vi"}))
    assert "Nhập giá trị của" in page and "Chăm sóc sức khỏe thiết yếu" in page
    as_user(client, SECRETARIAT)
    page = text(client.get(f"/cycles/{open_cycle['cycle']['id']}/close", headers={"Accept-Language": "th"}))
    assert "ปิดรอบการรายงาน" in page
