"""The notices of a practice's questions, written in the transaction of the question (the
outbox): a question tells the practice's country coordinators; an answer tells the asker."""
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from coordination.auth.models import User
from coordination.i18n import N_
from coordination.reminders import notices

ASKED = N_("New question on a good practice")
ANSWERED = N_("Your question is answered")
PRACTICE_PATH = "/practices/{id}"


def practice_url(practice_id: int) -> str:
    return PRACTICE_PATH.format(id=practice_id)


def _recipients(session, *conditions) -> list[tuple[int, str | None]]:
    return [tuple(row) for row in session.execute(
        select(User.id, User.locale).where(User.active.is_(True), *conditions).order_by(User.id))]


def _texts(heading: str, practice, actor, words: str):
    def texts() -> tuple[str, str]:
        body = gettext("%(what)s by %(who)s.", what=gettext(heading), who=actor.name)
        body += "\n\n" + words.strip()
        return gettext("%(what)s: %(subject)s", what=gettext(heading), subject=practice.title), body
    return texts


def question_asked(session, practice, question, actor, now: datetime):
    """The practice's country coordinators are told of a new question."""
    recipients = _recipients(session, User.role == "coordinator", User.country_code == practice.country_code)
    return notices.notify(session, recipients, actor, now, _texts(ASKED, practice, actor, question.question),
                          subject_type="practice", subject_id=practice.id, event="ask",
                          url=practice_url(practice.id))


def question_answered(session, practice, question, actor, now: datetime):
    """The asker is told of the answer (unless they answered it themselves)."""
    recipients = _recipients(session, User.id == question.author_id)
    return notices.notify(session, recipients, actor, now, _texts(ANSWERED, practice, actor, question.answer),
                          subject_type="practice", subject_id=practice.id, event="answer",
                          url=practice_url(practice.id))
