"""Meetings and their decisions: record, edit, read; a decision becomes an action item linked
back to its meeting. Services flush; the caller commits.

- A national meeting (``country_code`` set) is recorded by that country's coordinator, with
  ministries of that country attending; a regional one by the secretariat, with member states
  attending.
- A decision of a national meeting is an item of that country: assigned at once to the ministry
  named (of that country), else a draft for the coordinator. A decision of a regional meeting
  names a member state (``country``): a draft item for that country's coordinator to assign.
"""
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from coordination import clock
from coordination.auth.policy import may, may_see, may_see_decision_state, require
from coordination.directory.models import Country, Ministry
from coordination.errors import NotFound, StaleVersion, ValidationError
from coordination.ids import as_id
from coordination.items import service as items
from coordination.items.models import ActionItem
from coordination.meetings import schemas
from coordination.meetings.models import Meeting
from coordination.reminders import notices
from coordination.schemas import validate_field

LOADED = (selectinload(Meeting.ministries), selectinload(Meeting.countries), selectinload(Meeting.country))


def get_meeting(session, actor, meeting_id) -> Meeting:
    """The meeting with its attendees, if ``actor`` may read it; NotFound otherwise."""
    meeting = None
    if as_id(meeting_id):
        meeting = session.scalars(select(Meeting).where(Meeting.id == as_id(meeting_id)).options(*LOADED)).first()
    if meeting is None or not may_see(actor, meeting) or not may(actor, "meeting.read", meeting):
        raise NotFound(gettext("There is no such meeting."))
    return meeting


def list_meetings(session, actor, country: Country | None, page: int, per_page: int) -> tuple[list[Meeting], int]:
    """A country's national meetings (or, None, the regional network's), newest first."""
    if not may(actor, "meetings.list", country):
        raise NotFound(gettext("There is no such page."))
    code = country.code if country is not None else None
    where = Meeting.country_code == code if code else Meeting.country_code.is_(None)
    total = session.scalar(select(func.count()).select_from(Meeting).where(where))
    rows = session.scalars(
        select(Meeting).where(where).order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(per_page).offset((page - 1) * per_page).options(*LOADED)
    ).all()
    return list(rows), total


@dataclass
class Panel:
    """A country's last meeting held and its next one planned (held on a later day)."""

    last: Meeting | None
    next: Meeting | None


def panel(session, country: Country, today: date) -> Panel:
    base = select(Meeting).where(Meeting.country_code == country.code)
    last = session.scalars(base.where(Meeting.held_on <= today)
                           .order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(1)).first()
    upcoming = session.scalars(base.where(Meeting.held_on > today)
                               .order_by(Meeting.held_on, Meeting.id).limit(1)).first()
    return Panel(last=last, next=upcoming)


# -- input checks -----------------------------------------------------------------------------

def _ministries(session, errors, ids, country_code) -> list[Ministry]:
    wanted = list(dict.fromkeys(as_id(i) for i in ids or []))
    found = {m.id: m for m in session.scalars(select(Ministry).where(Ministry.id.in_([i for i in wanted if i])))}
    if any(i is None or i not in found or found[i].country_code != country_code for i in wanted):
        errors["attendee_ministry_ids"] = [gettext("Choose ministries of this member state.")]
        return []
    return sorted(found.values(), key=lambda m: m.acronym)


def _countries(session, errors, codes) -> list[Country]:
    wanted = list(dict.fromkeys(codes or []))
    found = {c.code: c for c in session.scalars(select(Country).where(Country.code.in_(wanted)))}
    if any(code not in found for code in wanted):
        errors["attendee_countries"] = [gettext("Choose member states of the network.")]
        return []
    return [found[code] for code in sorted(wanted)]


def _attendees(session, meeting_country, given: dict, errors) -> dict:
    """The attendees named in ``given``, checked against the meeting's kind."""
    changes = {}
    if "attendee_ministry_ids" in given:
        if meeting_country is None and given["attendee_ministry_ids"]:
            errors["attendee_ministry_ids"] = [gettext(
                "A meeting of the regional network has member states attending, not ministries.")]
        else:
            changes["ministries"] = _ministries(session, errors, given["attendee_ministry_ids"], meeting_country)
    if "attendee_countries" in given:
        if meeting_country is not None and given["attendee_countries"]:
            errors["attendee_countries"] = [gettext(
                "A meeting of a national mechanism has ministries attending, not member states.")]
        else:
            changes["countries"] = _countries(session, errors, given["attendee_countries"])
    return changes


# -- changes ----------------------------------------------------------------------------------

def create_meeting(session, actor, data: dict, now: datetime) -> Meeting:
    body = schemas.MeetingCreate.parse(data)
    if actor.role == "secretariat":
        if body.country is not None:
            raise ValidationError({"country": [gettext(
                "The secretariat records the meetings of the regional network: send no country.")]})
        country = None
    else:
        country = actor.country if actor.country_code else None
        require(actor, "meeting.create", country)
        if body.country is not None and body.country != actor.country_code:
            raise ValidationError({"country": [gettext("Record the meetings of your own country's mechanism.")]})
    code = country.code if country is not None else None
    require(actor, "meeting.create", country)
    errors: dict[str, list[str]] = {}
    attendees = _attendees(session, code, body.given() | {"attendee_ministry_ids": body.attendee_ministry_ids,
                                                           "attendee_countries": body.attendee_countries}, errors)
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(country_code=code, title=body.title, held_on=body.held_on, minutes=body.minutes or "",
                      created_by_id=actor.id, created_at=now, updated_at=now)
    meeting.ministries = attendees.get("ministries", [])
    meeting.countries = attendees.get("countries", [])
    session.add(meeting)
    session.flush()
    return meeting


def update_meeting(session, actor, meeting_id, data: dict, now: datetime) -> Meeting:
    meeting = get_meeting(session, actor, meeting_id)
    require(actor, "meeting.edit", meeting)
    body = schemas.MeetingChanges.parse(data)
    if body.version != meeting.version:
        raise StaleVersion(meeting.version)
    given = body.given()
    errors: dict[str, list[str]] = {}
    attendees = _attendees(session, meeting.country_code, given, errors)
    if errors:
        raise ValidationError(errors)
    for name in ("title", "held_on", "minutes"):
        if given.get(name) is not None:
            setattr(meeting, name, given[name])
    if "ministries" in attendees:
        meeting.ministries = attendees["ministries"]
    if "countries" in attendees:
        meeting.countries = attendees["countries"]
    meeting.updated_at = now
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion(meeting.version + 1) from None
    return meeting


def record_decision(session, actor, meeting_id, data: dict, now: datetime) -> ActionItem:
    """A decision of the meeting as a new action item (``meeting_id`` set)."""
    meeting = get_meeting(session, actor, meeting_id)
    require(actor, "meeting.decide", meeting)
    body = schemas.DecisionCreate.parse(data)
    if meeting.country_code is not None:
        return _national_decision(session, actor, meeting, body, now)
    return _regional_decision(session, actor, meeting, body, now)


def _national_decision(session, actor, meeting: Meeting, body, now: datetime) -> ActionItem:
    if body.country not in (None, meeting.country_code):
        raise ValidationError({"country": [gettext("A decision of a national meeting is for its own country.")]})
    item = items.create_item(session, actor, {"title": body.text, "description": body.description,
                                              "due_date": body.due_date, "ministry_id": body.ministry_id}, now)
    item.meeting_id = meeting.id
    session.flush()  # the link first: the assignment then works on the item's new version
    if item.ministry_id is not None:
        item = items.fire_trigger(session, actor, item.id, "assign", item.version, now)
    session.flush()
    return item


def _regional_decision(session, actor, meeting: Meeting, body, now: datetime) -> ActionItem:
    errors: dict[str, list[str]] = {}
    country = session.get(Country, body.country) if body.country else None
    if country is None:
        errors["country"] = [gettext("Choose the member state whose coordinator carries the decision out.")]
    if body.ministry_id is not None:
        errors["ministry_id"] = [gettext(
            "A decision of the regional network goes to the member state's coordinator, who assigns it.")]
    if errors:
        raise ValidationError(errors)
    item = ActionItem(country_code=country.code, state="draft", title=body.text, description=body.description,
                      due_date=body.due_date, meeting_id=meeting.id, created_by_id=actor.id,
                      created_at=now, updated_at=now)
    session.add(item)
    items._record(session, item, actor, "create", now, to_state="draft")
    session.flush()
    notices.item_changed(session, item, "decided", actor, now)  # the coordinators of that member state
    return item


# -- a meeting's decisions --------------------------------------------------------------------

@dataclass
class DecisionRow:
    item: ActionItem
    state: str | None  # None: the reader may not see this item's state
    overdue: bool | None
    readable: bool  # the reader may open the item itself


def decisions(session, actor, meeting: Meeting, now: datetime) -> list[DecisionRow]:
    """The meeting's decisions in the order recorded, with their items' states (one query)."""
    rows = session.scalars(
        select(ActionItem).where(ActionItem.meeting_id == meeting.id).order_by(ActionItem.id)
        .options(selectinload(ActionItem.ministry), selectinload(ActionItem.country))
    ).all()
    result = []
    for item in rows:
        sees = may_see_decision_state(actor, item)
        overdue = item.is_overdue(clock.local(now, item.country.timezone).date()) if sees else None
        result.append(DecisionRow(item=item, state=item.state if sees else None, overdue=overdue,
                                  readable=may(actor, "item.read", item)))
    return result


def check_version(value) -> int:
    return validate_field(schemas.VERSION, value, "version")
