"""Schemas of good practices: what the doors send in and what the API answers."""
from datetime import datetime
from typing import Literal

import pydantic

from coordination.i18n import N_
from coordination.items.models import GUARANTEES
from coordination.practices.models import STATES, TRIGGERS
from coordination.schemas import PageQuery, Reply, Schema, checked, choice, per_page, row_id, text, whole_number

TITLE_MAX = 200
SUMMARY_MAX = 1_000
BODY_MAX = 50_000
NAME_MAX = 200
EMAIL_MAX = 254
COMMENT_MAX = 5_000
Q_KEPT = 200

TITLE = text(required=True, max_length=TITLE_MAX, messages={
    "type": N_("The title must be text."), "required": N_("The title is required."),
    "long": N_("The title may be at most 200 characters long.")})
SUMMARY = text(required=True, max_length=SUMMARY_MAX, messages={
    "type": N_("The summary must be text."), "required": N_("The summary is required."),
    "long": N_("The summary may be at most 1000 characters long.")})
BODY = text(max_length=BODY_MAX, messages={
    "type": N_("The description must be text."),
    "long": N_("The description may be at most 50000 characters long.")})
GUARANTEE = choice(GUARANTEES, N_("Choose a guarantee of the floor, or none."), nullable=True)
CONTACT_USER = row_id(N_("Choose a colleague of your member state as the contact."))
CONTACT_NAME = text(max_length=NAME_MAX, messages={
    "type": N_("The contact's name must be text."),
    "long": N_("The contact's name may be at most 200 characters long.")})
CONTACT_EMAIL = text(max_length=EMAIL_MAX, messages={
    "type": N_("Enter the contact's e-mail address, e.g. name@example.org."),
    "long": N_("Enter the contact's e-mail address, e.g. name@example.org.")})
VERSION = whole_number(N_("Send the version of the practice you saw (a whole number)."), from_text=True)
OPTIONAL_VERSION = whole_number(N_("Send the version of the practice you saw (a whole number)."),
                                required=False, from_text=True)
QUESTION = text(required=True, max_length=COMMENT_MAX, messages={
    "type": N_("The question must be text."), "required": N_("Write your question."),
    "long": N_("The question may be at most 5000 characters long.")})
ANSWER = text(required=True, max_length=COMMENT_MAX, messages={
    "type": N_("The answer must be text."), "required": N_("Write the answer."),
    "long": N_("The answer may be at most 5000 characters long.")})
REPLY_TO = row_id(N_("Answer a question asked below this practice."))


class PracticeFields(Schema):
    title: TITLE
    summary: SUMMARY
    body: BODY = ""
    guarantee: GUARANTEE = None
    contact_user_id: CONTACT_USER = pydantic.Field(
        None, description="a user of the practice's country to ask; else contact_name and contact_email")
    contact_name: CONTACT_NAME = ""
    contact_email: CONTACT_EMAIL = pydantic.Field("", description="with contact_name, when no user is named")


class PracticeCreate(PracticeFields):
    """A new practice of the coordinator's country, as a draft. Without a contact, its author is it."""


class PracticeChanges(PracticeFields):
    """The practice written anew (its country's coordinator), with the version seen."""

    version: VERSION


class PracticeStep(Schema):
    version: OPTIONAL_VERSION = pydantic.Field(None, description="the version seen; a newer one answers 409")


class PracticeComment(Schema):
    """A question below a published practice (any signed-in user), or, with ``reply_to``, its
    country coordinator's answer to one."""

    comment: QUESTION
    reply_to: REPLY_TO = pydantic.Field(None, description="the id of the question answered (coordinator)")


class PracticeQuery(PageQuery):
    """The library's filters: a filter it does not know is ignored, never refused."""

    q: checked(lambda value: str(value or "").strip()[:Q_KEPT], {"type": ["string", "null"]}) = pydantic.Field(
        "", description="words of the title, summary or text (the search's full-text index)")
    guarantee: checked(lambda value: value if value in GUARANTEES else None,
                       {"type": ["string", "null"], "enum": [*GUARANTEES, None]}) = None
    country: checked(lambda value: str(value).upper()[:2] if value else None,
                     {"type": ["string", "null"]}) = pydantic.Field(None, description="a member state's code")
    per_page: int = per_page(20, 100)


# -- replies -----------------------------------------------------------------------------------

class Question(Reply):
    id: int
    author: int
    author_name: str
    comment: str
    asked_at: datetime
    answer: str
    answered_by: int | None
    answered_at: datetime | None


class Contact(Reply):
    user_id: int | None
    name: str
    email: str


class PracticeSummary(Reply):
    id: int
    country: str
    title: str
    summary: str
    guarantee: Literal[GUARANTEES] | None
    state: Literal[STATES]
    version: int
    created_by: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None


class Practice(PracticeSummary):
    body: str
    contact: Contact
    allowed_triggers: list[Literal[tuple(TRIGGERS)]] = pydantic.Field(description="what this user may do now")
    questions: list[Question]
    attachments: list[int] = pydantic.Field(description="the ids of its files (GET /api/v1/attachments/ID)")


class PracticeList(Reply):
    practices: list[PracticeSummary]
    total: int
    page: int
    per_page: int
