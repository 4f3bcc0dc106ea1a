"""Meetings and their decisions in the JSON API (API.md, "Second round: the regional network")."""
from flask import g, jsonify, request

from coordination import clock
from coordination.api import api, json_body, query_number, query_page, token_required
from coordination.directory.service import get_country
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.meetings import schemas, service
from coordination.meetings.models import Meeting


def iso(instant):
    return instant.isoformat() if instant is not None else None


def meeting_json(meeting: Meeting, *, decisions=None) -> dict:
    body = {
        "id": meeting.id,
        "country": meeting.country_code,
        "title": meeting.title,
        "held_on": meeting.held_on.isoformat(),
        "version": meeting.version,
        "attendee_ministry_ids": [m.id for m in meeting.ministries],
        "attendee_countries": [c.code for c in meeting.countries],
        "created_by": meeting.created_by_id,
        "created_at": iso(meeting.created_at),
        "updated_at": iso(meeting.updated_at),
    }
    if decisions is not None:
        body["minutes"] = meeting.minutes
        body["decisions"] = [{
            "item_id": row.item.id, "text": row.item.title, "country": row.item.country_code,
            "ministry_id": row.item.ministry_id if row.state is not None else None,
            "due_date": row.item.due_date.isoformat(), "state": row.state, "overdue": row.overdue,
        } for row in decisions]
    return body


def _one(meeting: Meeting, now) -> dict:
    return meeting_json(meeting, decisions=service.decisions(db.session, g.api_user, meeting, now))


@api.get("/meetings")
@endpoint("Meetings of a member state's mechanism (country=CC) or of the regional network, newest first",
          tag="meetings", query=schemas.MeetingQuery, replies={200: schemas.MeetingList}, errors=(404, 422),
          description="A national meeting is read by its country's users and the secretariat; a regional "
                      "one by every member state's users and the secretariat. Another country's list "
                      "answers 404, as does any list for observers and the admin.")
@token_required
def list_meetings():
    page, per_page = query_page(), query_number("per_page", 25, 100)
    code = request.args.get("country") or None
    country = get_country(db.session, code) if code else None
    meetings, total = service.list_meetings(db.session, g.api_user, country, page, per_page)
    return jsonify({"meetings": [meeting_json(m) for m in meetings], "total": total, "page": page,
                    "per_page": per_page})


@api.post("/meetings")
@endpoint("Record a meeting: a coordinator of their national mechanism, the secretariat of the regional network",
          tag="meetings", body=schemas.MeetingCreate, replies={201: schemas.Meeting})
@token_required
def create_meeting():
    now = clock.now()
    meeting = service.create_meeting(db.session, g.api_user, json_body(), now)
    return jsonify(_one(meeting, now)), 201


@api.get("/meetings/<meeting_id>")
@endpoint("One meeting with its attendees, minutes and decisions (their items' states)", tag="meetings",
          replies={200: schemas.Meeting})
@token_required
def get_meeting(meeting_id):
    meeting = service.get_meeting(db.session, g.api_user, meeting_id)
    return jsonify(_one(meeting, clock.now()))


@api.patch("/meetings/<meeting_id>")
@endpoint("Change a meeting (its creator's side); only the fields sent change", tag="meetings",
          body=schemas.MeetingChanges, replies={200: schemas.Meeting}, errors=(409,))
@token_required
def update_meeting(meeting_id):
    now = clock.now()
    meeting = service.update_meeting(db.session, g.api_user, meeting_id, json_body(), now)
    return jsonify(_one(meeting, now))


@api.post("/meetings/<meeting_id>/decisions")
@endpoint("Record a decision of the meeting: a new action item linked back to it", tag="meetings",
          body=schemas.DecisionCreate, replies={201: schemas.Meeting},
          description="A national meeting: an item of that country, assigned at once to ministry_id (of that "
                      "country, else 422), or a draft for the coordinator. A regional meeting (the "
                      "secretariat): country is required, and the item is a draft for that member state's "
                      "coordinator to assign; ministry_id answers 422 there.")
@token_required
def record_decision(meeting_id):
    now = clock.now()
    service.record_decision(db.session, g.api_user, meeting_id, json_body(), now)
    meeting = service.get_meeting(db.session, g.api_user, meeting_id)
    return jsonify(_one(meeting, now)), 201
