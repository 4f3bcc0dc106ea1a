"""Schemas of the network's recommendations and their assessments: what the doors send in and
what the API answers. The messages are English, marked for the catalogue (``N_``)."""
from datetime import date, datetime

import pydantic

from coordination.i18n import N_
from coordination.recommendations.models import PROGRESS
from coordination.reporting.models import NARRATIVE_GUARANTEES
from coordination.schemas import (
    PageQuery,
    Reply,
    Schema,
    checked,
    choice,
    day,
    invalid,
    row_ids,
    text,
    whole_number,
)

TEXT_MAX = 10_000
COMMENT_MAX = 5_000
COUNTRIES_MESSAGE = N_("Choose the member states addressed: a list of country codes, or \"all\".")


def _countries(value):
    if value == "all":
        return "all"
    if not isinstance(value, list) or not value or not all(isinstance(code, str) and code.strip() for code in value):
        raise invalid(COUNTRIES_MESSAGE)
    return sorted({code.strip().upper() for code in value})


COUNTRIES = checked(_countries, {"oneOf": [{"type": "string", "enum": ["all"]},
                                           {"type": "array", "minItems": 1,
                                            "items": {"type": "string", "minLength": 1, "maxLength": 2}}]},
                    missing=COUNTRIES_MESSAGE)
GUARANTEE = choice(NARRATIVE_GUARANTEES, N_("Choose a guarantee of the floor, or none."), nullable=True)
PROGRESS_CHOICE = choice(PROGRESS, N_("Choose the progress: no_progress, limited, some, substantial or full."))


class RecommendationCreate(Schema):
    title: text(required=True, max_length=200, messages={
        "type": N_("The title must be text."), "required": N_("The title is required."),
        "long": N_("The title may be at most 200 characters long.")})
    text: text(required=True, max_length=TEXT_MAX, messages={
        "type": N_("The text must be text."), "required": N_("The text of the recommendation is required."),
        "long": N_("The text may be at most 10000 characters long.")})
    guarantee: GUARANTEE = None
    countries: COUNTRIES
    adopted_on: day(N_("Enter the day it was adopted as a date, e.g. 2027-03-31."))
    horizon_year: whole_number(N_("Enter the horizon as a year from 2000 to 2100."), minimum=2000,
                               maximum=2100, required=False, from_text=True) = None


class RecommendationQuery(PageQuery):
    guarantee: GUARANTEE = None
    country: text(max_length=2, message=N_("Choose a member state by its code.")) = ""


class AssessmentInput(Schema):
    progress: PROGRESS_CHOICE
    evidence: text(max_length=TEXT_MAX, messages={
        "type": N_("The evidence must be text."),
        "long": N_("The evidence may be at most 10000 characters long.")}) = ""
    action_item_ids: row_ids(N_("Send a list of action item ids.")) = pydantic.Field(
        None, description="action items of the assessed country that carry the recommendation out")


class ValidationInput(Schema):
    progress: PROGRESS_CHOICE
    comment: text(max_length=COMMENT_MAX, messages={
        "type": N_("The comment must be text."), "long": N_("The comment may be at most 5000 characters long.")}) = ""


# -- answers ---------------------------------------------------------------------------------------

class AssessmentEventReply(Reply):
    action: str = pydantic.Field(description="assess or validate")
    progress: str
    comment: str
    action_item_ids: list[int]
    actor: int
    at: datetime


class AssessmentReply(Reply):
    id: int
    recommendation_id: int
    country: str
    cycle_id: int
    state: str = pydantic.Field(description="assessed, or validated by the secretariat")
    progress: str = pydantic.Field(description="as the country rated it")
    evidence: str
    action_item_ids: list[int]
    validated_progress: str | None
    validation_comment: str
    assessed_at: datetime
    validated_at: datetime | None
    events: list[AssessmentEventReply]


class RecommendationReply(Reply):
    id: int
    title: str
    text: str
    guarantee: str | None
    countries: list[str]
    all_countries: bool
    adopted_on: date
    horizon_year: int | None
    created_at: datetime
    assessments: list[AssessmentReply] = pydantic.Field(description="those the user may read")


class RecommendationSummary(Reply):
    id: int
    title: str
    guarantee: str | None
    countries: list[str]
    all_countries: bool
    adopted_on: date
    horizon_year: int | None


class RecommendationList(Reply):
    recommendations: list[RecommendationSummary]
    total: int
    page: int
    per_page: int


class ProgressCell(Reply):
    cycle_id: int
    progress: str | None = pydantic.Field(description="the validated level; null until validated")


class CountryProgress(Reply):
    country: str
    cycles: list[ProgressCell]


class ProgressCycle(Reply):
    id: int
    name: str
    state: str


class ProgressReply(Reply):
    recommendation_id: int
    cycles: list[ProgressCycle]
    countries: list[CountryProgress]
