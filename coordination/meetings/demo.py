"""Demo meetings: in every member state one meeting of its national mechanism (the demo's
ministries attending) with two decisions as action items, and one meeting of the regional
network. Written through the meeting services, so that they are what real use would leave."""
from datetime import datetime, timedelta

from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import Country
from coordination.items.service import local_today
from coordination.meetings import service
from coordination.meetings.models import Meeting

NATIONAL_MINUTES = (
    "1. The secretariat of the mechanism presented the status of the action items.\n"
    "2. The ministries reviewed the data requests for the regional self-assessment.\n"
    "3. The meeting agreed the decisions recorded below."
)
REGIONAL_MINUTES = (
    "1. Member states shared progress on their national social protection floors.\n"
    "2. The network discussed the portability of social security benefits for migrant workers.\n"
    "3. The secretariat presented the timetable of the next reporting cycle."
)


def seed_meetings(session, now: datetime) -> int:
    """Add the demo meetings where none is recorded yet; return how many were added."""
    added = 0
    for country in session.scalars(select(Country).order_by(Country.code)):
        if session.scalar(select(Meeting.id).where(Meeting.country_code == country.code).limit(1)):
            continue
        coordinator = session.scalar(select(User).where(
            User.country_code == country.code, User.role == "coordinator").order_by(User.id))
        ministries = list(country.ministries)
        if coordinator is None or len(ministries) < 2:
            continue
        today = local_today(country, now)
        name = country.mechanism.name if country.mechanism else "the national coordination mechanism"
        meeting = service.create_meeting(session, coordinator, {
            "title": f"Quarterly meeting of {name}", "held_on": today - timedelta(days=14),
            "attendee_ministry_ids": [m.id for m in ministries[:4]], "minutes": NATIONAL_MINUTES,
        }, now)
        service.record_decision(session, coordinator, meeting.id, {
            "text": "Share the beneficiary registry extract with the reporting ministry",
            "due_date": today + timedelta(days=21), "ministry_id": ministries[1].id,
        }, now)
        service.record_decision(session, coordinator, meeting.id, {
            "text": "Prepare the agenda of the next meeting of the mechanism",
            "due_date": today + timedelta(days=45),
        }, now)
        added += 1
    secretariat = session.scalar(select(User).where(User.role == "secretariat").order_by(User.id))
    regional = session.scalar(select(Meeting.id).where(Meeting.country_code.is_(None)).limit(1))
    if secretariat is not None and regional is None:
        codes = [c for c in session.scalars(select(Country.code).order_by(Country.code))]
        if codes:
            today = now.date()
            meeting = service.create_meeting(session, secretariat, {
                "title": "Annual meeting of the regional network on social protection",
                "held_on": today - timedelta(days=30), "attendee_countries": codes, "minutes": REGIONAL_MINUTES,
            }, now)
            if "PH" in codes:
                service.record_decision(session, secretariat, meeting.id, {
                    "text": "Prepare a note on the portability of pension rights for migrant workers",
                    "due_date": today + timedelta(days=60), "country": "PH",
                }, now)
            added += 1
    return added
