"""The regional network's records the page benchmark reads (scale.py): one recommendation
addressed to the country measured, one cross-border item with a part there, one meeting of its
mechanism with a decision, and one published good practice of the country. They are made once,
through the API as the secretariat and the coordinator make them, in a database built before
they existed or by a build that has none."""
from sqlalchemy import select

from coordination.demo import DEMO_PASSWORD
from coordination.directory.models import Ministry
from coordination.extensions import db
from coordination.items.models import ActionItem
from coordination.meetings.models import Meeting
from coordination.practices.models import Practice
from coordination.recommendations.models import Recommendation
from coordination.regional_items.models import RegionalItem

TITLE = "Bench: a portability agreement for pension rights"


def _token(client, email: str) -> dict:
    response = client.post("/api/v1/tokens", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 201, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def _made(response) -> dict:
    if response.status_code not in (200, 201):
        raise SystemExit(f"the network's bench records: HTTP {response.status_code} {response.get_data(as_text=True)}")
    return response.get_json()


def network_records(app, country: str, ministry_id: int) -> dict:
    """{recommendation, regional_item, part, meeting, practice}: the ids of the records, made if missing."""
    client = app.test_client()
    secretariat = _token(client, "secretariat@example.org")
    coordinator = _token(client, f"coordinator.{country.lower()}@example.org")
    with app.app_context():
        recommendation = db.session.scalar(select(Recommendation.id).order_by(Recommendation.id).limit(1))
        regional = db.session.scalar(select(RegionalItem.id).where(RegionalItem.title == TITLE))
        meeting = db.session.scalar(select(Meeting.id).where(Meeting.country_code == country).limit(1))
        practice = db.session.scalar(select(Practice.id).where(Practice.country_code == country,
                                                               Practice.state == "published").limit(1))
        other = db.session.scalar(select(Ministry.country_code).where(Ministry.country_code != country).limit(1))
        db.session.remove()
    if recommendation is None:
        recommendation = _made(client.post("/api/v1/recommendations", headers=secretariat, json={
            "title": "A standardised social registry", "text": "Each member state keeps one social registry.",
            "countries": "all", "adopted_on": "2026-01-15", "horizon_year": 2030}))["id"]
    if regional is None:
        regional = _made(client.post("/api/v1/regional-items", headers=secretariat, json={
            "title": TITLE, "description": "Between two member states.", "due_date": "2031-06-30",
            "countries": [country, other]}))["id"]
    if meeting is None:
        meeting = _made(client.post("/api/v1/meetings", headers=coordinator, json={
            "title": "Quarterly meeting of the mechanism", "held_on": "2026-11-16",
            "attendee_ministry_ids": [ministry_id], "minutes": "Agreed on the next steps."}))["id"]
        _made(client.post(f"/api/v1/meetings/{meeting}/decisions", headers=coordinator, json={
            "text": "Share the registry's data dictionary", "due_date": "2027-03-31", "ministry_id": ministry_id}))
    if practice is None:
        practice = _made(client.post("/api/v1/practices", headers=coordinator, json={
            "title": "One social registry for every programme", "guarantee": "overall",
            "summary": "Households are registered once and every programme draws on the registry.",
            "body": "How the registry was built, what it holds, who keeps it up to date."}))["id"]
        _made(client.post(f"/api/v1/practices/{practice}/publish", headers=coordinator, json={}))
    with app.app_context():
        part = db.session.scalar(select(ActionItem.id).where(ActionItem.regional_item_id == regional,
                                                             ActionItem.country_code == country))
        db.session.remove()
    return {"recommendation": recommendation, "regional_item": regional, "part": part, "meeting": meeting,
            "practice": practice}
