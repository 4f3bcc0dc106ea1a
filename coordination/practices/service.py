"""Good practices: write one up (a coordinator, for their country), edit it, publish or
withdraw it, ask a question below a published one and answer it. Services flush; the caller
commits. Who may do what is auth/policy.py's ("practice.*")."""
import re
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from coordination.attachments.models import Attachment
from coordination.auth.models import User
from coordination.auth.policy import may, may_see, require
from coordination.errors import InvalidTransition, NotFound, StaleVersion, ValidationError
from coordination.ids import as_id
from coordination.practices import notices, schemas
from coordination.practices.models import TRIGGERS, Practice, PracticeQuestion

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _detail():
    """What a practice's page and JSON read of it, in three statements."""
    return (selectinload(Practice.questions).selectinload(PracticeQuestion.author),
            selectinload(Practice.questions).selectinload(PracticeQuestion.answered_by),
            selectinload(Practice.contact_user), selectinload(Practice.country))


def get_practice(session, actor, practice_id) -> Practice:
    """The practice, if ``actor`` may read it: a draft of another country is absent (404)."""
    practice = None
    if as_id(practice_id):
        practice = session.scalar(select(Practice).where(Practice.id == int(practice_id)).options(*_detail()))
    if practice is None or not may_see(actor, practice) or not may(actor, "practice.read", practice):
        raise NotFound(gettext("There is no such practice."))
    return practice


def _contact(session, country_code: str, body) -> dict:
    """The contact's columns: a user of the country, or a name with an e-mail address."""
    if body.contact_user_id is not None:
        user = session.get(User, body.contact_user_id)
        if user is None or not user.active or user.country_code != country_code:
            raise ValidationError({"contact_user_id": [
                gettext("Choose a colleague of your member state as the contact.")]})
        return {"contact_user_id": user.id, "contact_name": "", "contact_email": ""}
    if not body.contact_name and not body.contact_email:
        return {}
    errors = {}
    if not body.contact_name:
        errors["contact_name"] = [gettext("Enter the contact's name, or choose a colleague.")]
    if not EMAIL_PATTERN.match(body.contact_email):
        errors["contact_email"] = [gettext("Enter the contact's e-mail address, e.g. name@example.org.")]
    if errors:
        raise ValidationError(errors)
    return {"contact_user_id": None, "contact_name": body.contact_name, "contact_email": body.contact_email}


def create_practice(session, actor, data, now: datetime) -> Practice:
    """A draft practice of the coordinator's country; without a contact, its author is it."""
    require(actor, "practice.create")
    body = schemas.PracticeCreate.parse(data)
    contact = _contact(session, actor.country_code, body) or {"contact_user_id": actor.id}
    practice = Practice(country_code=actor.country_code, title=body.title, summary=body.summary, body=body.body,
                        guarantee=body.guarantee, state="draft", created_by_id=actor.id, created_at=now,
                        updated_at=now, **{"contact_name": "", "contact_email": "", **contact})
    session.add(practice)
    session.flush()
    return practice


def _check_version(practice: Practice, version) -> None:
    if version is not None and version != practice.version:
        raise StaleVersion(practice.version)


def _flush(session, practice: Practice) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion(practice.version + 1) from None


def update_practice(session, actor, practice_id, data, now: datetime) -> Practice:
    """The practice written anew by its country's coordinator (draft or published)."""
    practice = get_practice(session, actor, practice_id)
    require(actor, "practice.edit", practice)
    body = schemas.PracticeChanges.parse(data)
    _check_version(practice, body.version)
    contact = _contact(session, practice.country_code, body)  # none given: the contact stays
    for name, value in {"title": body.title, "summary": body.summary, "body": body.body,
                        "guarantee": body.guarantee, **contact}.items():
        setattr(practice, name, value)
    practice.updated_at = now
    _flush(session, practice)
    return practice


def allowed_triggers(actor, practice: Practice) -> list[str]:
    return [trigger for trigger, (source, _) in TRIGGERS.items()
            if practice.state == source and may(actor, f"practice.{trigger}", practice)]


def fire(session, actor, practice_id, trigger: str, data, now: datetime) -> Practice:
    """Publish a draft to the whole network, or withdraw a published practice to a draft."""
    practice = get_practice(session, actor, practice_id)
    require(actor, f"practice.{trigger}", practice)
    body = schemas.PracticeStep.parse(data or {})
    _check_version(practice, body.version)
    source, target = TRIGGERS[trigger]
    if practice.state != source:
        raise InvalidTransition(trigger, practice.state, allowed_triggers(actor, practice))
    practice.state = target
    practice.updated_at = now
    if trigger == "publish":
        practice.published_at = now
    _flush(session, practice)
    return practice


def comment(session, actor, practice_id, data, now: datetime) -> PracticeQuestion:
    """A question below a published practice (any signed-in user; its country coordinators are
    told), or with ``reply_to`` the answer of the practice's coordinator (the asker is told)."""
    practice = get_practice(session, actor, practice_id)
    body = schemas.PracticeComment.parse(data)
    if body.reply_to is None:
        require(actor, "practice.ask", practice)
        question = PracticeQuestion(practice_id=practice.id, author_id=actor.id, question=body.comment,
                                    asked_at=now, answer="")
        session.add(question)
        session.flush()
        notices.question_asked(session, practice, question, actor, now)
        return question
    require(actor, "practice.answer", practice)
    question = session.get(PracticeQuestion, body.reply_to)
    if question is None or question.practice_id != practice.id:
        raise ValidationError({"reply_to": [gettext("Answer a question asked below this practice.")]})
    question.answer, question.answered_by_id, question.answered_at = body.comment, actor.id, now
    session.flush()
    notices.question_answered(session, practice, question, actor, now)
    return question


def contact_choices(session, country_code: str) -> list[User]:
    """The active users of the country, who may be named as a practice's contact."""
    return list(session.scalars(select(User).where(User.country_code == country_code, User.active.is_(True))
                                .order_by(User.name)))



def attachment_ids(session, practice: Practice) -> list[int]:
    """The ids of the practice's files (hidden ones left out), oldest first."""
    return list(session.scalars(select(Attachment.id).where(Attachment.practice_id == practice.id,
                                                            Attachment.removed_at.is_(None)).order_by(Attachment.id)))
