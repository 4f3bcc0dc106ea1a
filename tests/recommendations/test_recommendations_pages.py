"""The recommendation pages from both sides: the list and its filters, one recommendation's table
and chart, the assessment and validation forms, a country's page, the report's panel, the print
view and the exports."""
from helpers import api_token, signed_in_client
from sqlalchemy import select

from coordination.recommendations.models import Assessment, Recommendation
from coordination.reporting.demo import HISTORICAL_CYCLE
from coordination.reporting.models import CountryReport, ReportingCycle


def text(response) -> str:
    return response.get_data(as_text=True)


def demo(session, title_start):
    return session.scalar(select(Recommendation.id).where(Recommendation.title.startswith(title_start)))


def test_the_list_shows_the_demo_recommendations_with_filters(app, client, session):
    client = signed_in_client(app, "observer@example.org")
    page = text(client.get("/recommendations"))
    assert "A standardised social registry in every member state" in page
    assert "Portability of social security benefits for migrant workers" in page
    children = text(client.get("/recommendations?guarantee=children"))
    assert "A universal child benefit" in children and "Portability" not in children
    singapore = text(client.get("/recommendations?country=SG"))
    assert "Portability" in singapore and "A universal child benefit" not in singapore
    assert client.get("/recommendations?page=99999999999999999999&guarantee=nope").status_code == 200


def test_a_published_cycle_s_validated_progress_is_everyone_s_with_a_chart(app, client, session):
    registry = demo(session, "A standardised social registry")
    client = signed_in_client(app, "observer@example.org")
    page = text(client.get(f"/recommendations/{registry}"))
    assert 'role="img"' in page and "progress-chart" in page
    assert "Philippines: " in page  # the chart's description names the series in words
    assert "Country’s rating: Substantial progress" in page  # PH's rating revised to "some"
    csv = client.get(f"/recommendations/{registry}.csv")
    assert csv.status_code == 200 and "Philippines" in text(csv) and "Some progress" in text(csv)
    xlsx = client.get(f"/recommendations/{registry}.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_secretariat_adopts_a_recommendation_through_the_form(app, client, session):
    client = signed_in_client(app, "secretariat@example.org")
    assert client.get("/recommendations/new").status_code == 200
    refused = client.post("/recommendations/new", data={"title": "", "text": "", "adopted_on": "2029-01-01"})
    assert refused.status_code == 422 and "There is a problem" in text(refused)
    made = client.post("/recommendations/new", data={
        "title": "Unemployment insurance for every worker", "text": "Introduce unemployment insurance.",
        "guarantee": "working_age", "countries": ["KH", "LA"], "adopted_on": "2029-01-01", "horizon_year": "2035"})
    assert made.status_code == 302, text(made)
    shown = text(client.get(made.headers["Location"]))
    assert "Unemployment insurance for every worker" in shown and "Cambodia" in shown
    for email in ("coordinator.ph@example.org", "observer@example.org", "staff.ph.dswd@example.org"):
        client = signed_in_client(app, email)
        assert client.get("/recommendations/new").status_code == 403, email


def open_cycle(client, session):
    headers = api_token(client, "secretariat@example.org")
    template_id = session.scalar(select(ReportingCycle.template_id))
    cycle = client.post("/api/v1/cycles", headers=headers, json={
        "name": "2030 review", "template_id": template_id, "period_start": "2030-01-01",
        "period_end": "2030-06-30", "deadline": "2030-08-31"}).get_json()["id"]
    client.post(f"/api/v1/cycles/{cycle}/transitions", headers=headers, json={"trigger": "open"})
    return cycle


def test_the_coordinator_assesses_and_the_secretariat_revises_through_the_forms(app, client, session):
    portability = demo(session, "Portability")
    cycle = open_cycle(client, session)
    path = f"/recommendations/{portability}/assessments/PH/{cycle}"
    client = signed_in_client(app, "coordinator.th@example.org")
    assert client.get(path).status_code == 404  # another country's, unpublished
    client = signed_in_client(app, "coordinator.ph@example.org")
    form = text(client.get(path))
    assert "Assess your progress" in form and 'name="progress"' in form
    missing = client.post(path, data={"evidence": "x"})
    assert missing.status_code == 422 and "Choose the progress." in text(missing)
    saved = client.post(path, data={"progress": "some", "evidence": "Agreement drafted"})
    assert saved.status_code == 302
    client = signed_in_client(app, "staff.ph.dswd@example.org")
    page = text(client.get(path))
    assert "Some progress" in page and "Assess your progress" not in page and "Validate the assessment" not in page
    assert client.post(path, data={"progress": "full"}).status_code == 403
    client = signed_in_client(app, "secretariat@example.org")
    page = text(client.get(path))
    assert "Validate the assessment" in page
    no_comment = client.post(path + "/validate", data={"validation-progress": "limited"})
    assert no_comment.status_code == 422 and "Say why the progress is revised." in text(no_comment)
    revised = client.post(path + "/validate", data={"validation-progress": "limited",
                                                    "validation-comment": "Not signed yet."})
    assert revised.status_code == 302
    assessment = session.scalar(select(Assessment).where(Assessment.cycle_id == cycle))
    assert (assessment.progress, assessment.validated_progress) == ("some", "limited")
    # The Philippines' report shows the panel; Thailand's coordinator sees nothing of it.
    report = session.scalar(select(CountryReport.id).where(CountryReport.cycle_id == cycle,
                                                           CountryReport.country_code == "PH"))
    client = signed_in_client(app, "coordinator.ph@example.org")
    too_late = client.post(path, data={"progress": "full"})  # validated: the rating stays
    assert too_late.status_code == 302 and "can no longer be changed" in text(client.get(path))
    session.expire_all()
    assert session.get(Assessment, assessment.id).progress == "some"
    panel = text(client.get(f"/reports/{report}"))
    assert "Progress on the network’s recommendations" in panel and "Limited progress" in panel
    assert "Limited progress" in text(client.get(f"/reports/{report}/print"))
    country = text(client.get("/countries/PH/recommendations"))
    assert "Limited progress" in country and "Assess" in country
    client = signed_in_client(app, "observer@example.org")
    table = text(client.get(f"/recommendations/{portability}"))
    assert f"/assessments/PH/{cycle}" not in table and "Not signed yet." not in table
    assert client.get(path).status_code == 404


def test_the_country_page_links_to_its_recommendations(app, client, session):
    client = signed_in_client(app, "observer@example.org")
    assert "/countries/KH/recommendations" in text(client.get("/countries/KH"))
    page = text(client.get("/countries/KH/recommendations"))
    assert "A universal child benefit" in page and "Full implementation" in page
    assert client.get("/countries/XX/recommendations").status_code == 404


def test_the_print_view_of_a_published_report_lists_the_assessments(app, client, session):
    report = session.scalar(select(CountryReport.id).join(ReportingCycle).where(
        ReportingCycle.name == HISTORICAL_CYCLE, CountryReport.country_code == "PH"))
    client = signed_in_client(app, "coordinator.ph@example.org")
    page = text(client.get(f"/reports/{report}/print"))
    assert "Progress on the network’s recommendations" in page and "Some progress" in page


def test_the_coordinator_s_home_counts_the_recommendations_still_to_assess(app, client, session):
    cycle = open_cycle(client, session)
    home = signed_in_client(app, "coordinator.ph@example.org")
    assert "4 recommendations of the network await your assessment in “2030 review”." in text(home.get("/"))
    registry = demo(session, "A standardised social registry")
    assert home.post(f"/recommendations/{registry}/assessments/PH/{cycle}", data={"progress": "some"}).status_code \
        == 302
    assert "3 recommendations of the network await your assessment" in text(home.get("/"))
    assert "Recommendations to assess" not in text(signed_in_client(app, "staff.ph.dswd@example.org").get("/"))
    assert "Recommendations to assess" not in text(signed_in_client(app, "secretariat@example.org").get("/"))
