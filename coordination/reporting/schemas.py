"""Schemas of templates, cycles, country reports, values, targets: what the doors send in and
what the API answers. States, triggers, units, guarantees and availability flags are the
workflow's and the models' own tuples."""
import re
from datetime import date, datetime
from typing import Annotated, Literal

import pydantic

from coordination.i18n import N_
from coordination.items.models import GUARANTEES
from coordination.messages import msg
from coordination.reporting import workflow
from coordination.reporting.models import AVAILABILITY, DIRECTIONS, DISAGGREGATIONS, NARRATIVE_GUARANTEES, UNITS
from coordination.schemas import (
    IndicatorValue,
    Missing,
    Reply,
    Schema,
    anything,
    before,
    checked,
    choice,
    day,
    invalid,
    number,
    row_id,
    row_ids,
    text,
    whole_number,
)

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")
TEMPLATE_NAME_MAX = 200
INDICATOR_NAME_MAX = 300
CYCLE_NAME_MAX = 200
NARRATIVE_MAX = 20_000
TEXT_MAX = 5_000
NOTE_MAX = 2_000
VALUE = {"type": ["number", "boolean", "string", "null"],
         "description": "a number for percent, number and currency; true or false for yes_no; text for text"}


# -- templates ----------------------------------------------------------------------------------

CODE_RULE = N_("use capital letters, digits and _ (e.g. SPF_CHILDREN).")


def _code(value):
    if not isinstance(value, str) or not CODE_PATTERN.match(value):
        raise invalid(CODE_RULE)
    return value


def _flag(value):
    if not isinstance(value, bool):
        raise invalid(N_("true or false."))
    return value


def _disaggregations(value):
    value = value or []
    if not isinstance(value, list) or any(d not in DISAGGREGATIONS for d in value):
        raise invalid(msg(N_("a list of %(choices)s."), choices=", ".join(DISAGGREGATIONS)))
    return list(value)


def _definition(value):
    value = value or ""
    if not isinstance(value, str):
        raise invalid(N_("text."))
    return value.strip()


class IndicatorSpec(Schema):
    """One indicator of a template (inside ``indicators``: its errors read "code: ...")."""

    code: checked(_code, {"type": "string", "pattern": CODE_PATTERN.pattern},
                  missing=CODE_RULE)
    name: text(required=True, max_length=INDICATOR_NAME_MAX,
               message=msg(N_("give a name of at most %(count)s characters."), count=INDICATOR_NAME_MAX))
    guarantee: choice(GUARANTEES, msg(N_("choose one of %(choices)s."), choices=", ".join(GUARANTEES)))
    unit: choice(UNITS, msg(N_("choose one of %(choices)s."), choices=", ".join(UNITS)))
    required: checked(_flag, {"type": "boolean"}) = False
    definition: checked(_definition, {"type": ["string", "null"]}) = ""
    disaggregations: checked(_disaggregations, {"type": ["array", "null"], "uniqueItems": True,
                                                "items": {"type": "string", "enum": list(DISAGGREGATIONS)}}) = []
    better: choice(DIRECTIONS, msg(N_("choose one of %(choices)s."), choices=", ".join(DIRECTIONS)),
                   default="higher") = "higher"

    @pydantic.model_validator(mode="before")
    @classmethod
    def _an_object(cls, value):
        if not isinstance(value, dict):
            raise invalid(N_("Each indicator is an object."))
        return value


AT_LEAST_ONE = N_("List at least one indicator.")


def _indicators(value):
    if not isinstance(value, list) or not value:
        raise invalid(AT_LEAST_ONE)
    return value


def _description(value):
    return value if isinstance(value, str) else ""  # anything else stands for no description


TEMPLATE_NAME = text(required=True, max_length=TEMPLATE_NAME_MAX,
                     message=msg(N_("Give the template a name of at most %(count)s characters."),
                                 count=TEMPLATE_NAME_MAX))


class TemplateInput(Schema):
    """A monitoring template (secretariat): its name and indicators; codes unique within it."""

    name: TEMPLATE_NAME
    description: checked(_description, {"type": ["string", "null"]}) = ""
    indicators: Annotated[list[IndicatorSpec], before(_indicators), pydantic.Field(min_length=1),
                          Missing(AT_LEAST_ONE)]
    rules: anything({"type": ["array", "null"], "items": {"type": "object"},
                     "description": "the checks of the values, as data (README: checks)"}) = None


class TemplateCopy(Schema):
    name: TEMPLATE_NAME


# -- cycles ----------------------------------------------------------------------------------------

DATE = day(N_("Enter a date, e.g. 2027-03-31."))


class CycleInput(Schema):
    """A reporting cycle (secretariat); it starts planned."""

    name: text(required=True, max_length=CYCLE_NAME_MAX,
               message=msg(N_("Give the cycle a name of at most %(count)s characters."), count=CYCLE_NAME_MAX))
    template_id: row_id(N_("Choose a monitoring template."), required=True)
    period_start: DATE
    period_end: DATE = pydantic.Field(description="not before period_start")
    deadline: DATE = pydantic.Field(description="the submission deadline: on time before 00:00, in the "
                                                "country's time zone, of the next day")


UNKNOWN_TRIGGER = N_("Unknown trigger. Triggers: %(triggers)s.")
CYCLE_TRIGGER = choice(workflow.CYCLE_TRIGGERS, msg(UNKNOWN_TRIGGER, triggers=", ".join(workflow.CYCLE_TRIGGERS)))


class CycleTransition(Schema):
    trigger: CYCLE_TRIGGER


IN_CYCLE = N_("Choose a member state that reports in this cycle (open the cycle first).")


class ExtensionInput(Schema):
    """A later deadline for one member state in one cycle (secretariat)."""

    country: text(required=True, max_length=2, message=IN_CYCLE)
    deadline: day(N_("Enter the new deadline as a date, e.g. 2027-04-15.")) = pydantic.Field(
        description="after the cycle's deadline")
    reason: text(N_("The reason"), required=True, max_length=NARRATIVE_MAX,
                 messages={"required": N_("Record why the extension is granted.")})


# -- reports -----------------------------------------------------------------------------------------

def _availability(value):
    value = value or "reported"
    if value not in AVAILABILITY:
        raise invalid(msg(N_("Choose one of: %(choices)s."), choices=", ".join(AVAILABILITY)))
    return value


class ValueInput(Schema):
    """One indicator's value, or why there is none. What ``value`` may be depends on the
    indicator's unit (reporting/values.py checks it)."""

    value: anything(VALUE) = None
    availability: checked(_availability, {"type": ["string", "null"], "enum": [*AVAILABILITY, None],
                                          "default": "reported"}) = "reported"
    reason: text(N_("The reason")) = pydantic.Field("", description="why there is no figure (needed for "
                                                                  "not_available and not_applicable)")
    note: text(N_("The note"), max_length=NOTE_MAX) = ""
    breakdown: anything({"type": ["object", "null"], "additionalProperties": VALUE,
                         "description": "by sex (female, male) or age group (0-14, 15-64, 65+), as the "
                                        "indicator is disaggregated"}) = None


class AssignmentInput(Schema):
    indicator_code: text(N_("The indicator"), required=True, max_length=40)
    ministry_id: row_id(N_("Choose a ministry of this member state."), required=True)
    due_date: day(N_("Enter the due date as a date, e.g. 2027-03-17."), required=False) = pydantic.Field(
        None, description="by default DATA_REQUEST_LEAD_WORKING_DAYS working days of the country before the "
                          "report's deadline, and never in the past")


class QueryInput(Schema):
    """One query of a send_back (inside ``queries``: its messages are read after its code)."""

    indicator_code: text(N_("The indicator"), required=True, max_length=40) = pydantic.Field(
        description="an indicator of the report's template, or a narrative guarantee")
    question: text(required=True, max_length=NARRATIVE_MAX,
                   messages={"type": N_("write the question."), "required": N_("write the question."),
                             "long": msg(N_("a question may be at most %(count)s characters long."),
                                         count=NARRATIVE_MAX)})


REPORT_TRIGGER = choice(workflow.REPORT_TRIGGERS, msg(UNKNOWN_TRIGGER, triggers=", ".join(workflow.REPORT_TRIGGERS)))
REPORT_VERSION = whole_number(N_("Send the version of the report you saw (a whole number)."))
REPORT_COMMENT = text(N_("The comment"), max_length=NARRATIVE_MAX)


class ReportTransition(Schema):
    trigger: REPORT_TRIGGER
    version: REPORT_VERSION
    comment: REPORT_COMMENT = pydantic.Field(None, description="needed by send_back")
    queries: list[QueryInput] | None = pydantic.Field(
        None, description="send_back: the indicators (or narrative guarantees) in question, each with its query")


class QueryAnswer(Schema):
    answer: text(N_("The answer"), required=True, max_length=NARRATIVE_MAX,
                 messages={"required": N_("Write the answer.")})


# A section of the assessment matrix; one that is not sent is empty.
SECTION = text(max_length=NARRATIVE_MAX,
               messages={"type": N_("Text, please."),
                         "long": msg(N_("At most %(count)s characters."), count=NARRATIVE_MAX)})


class NarrativeInput(Schema):
    """The assessment matrix of one guarantee: the sections not sent are emptied."""

    existing_schemes: SECTION = ""
    policy_gaps: SECTION = ""
    implementation_issues: SECTION = ""
    recommendations: SECTION = ""
    self_rating: whole_number(N_("Rate the guarantee from 1 to 4."), minimum=1, maximum=4, required=False,
                              from_text=True) = None
    item_ids: row_ids(N_("Send a list of action item ids.")) = pydantic.Field(
        None, description="action items of this member state that carry out its recommendations")


class TargetInput(Schema):
    """A national floor (minimum standard) and target of one indicator."""

    floor: number(N_("Enter a number that is not negative."), minimum=0, from_text=True) = None
    target: number(N_("Enter a number that is not negative."), minimum=0, from_text=True) = pydantic.Field(
        None, description="at or above the floor (at or below it for an indicator whose better is lower)")
    target_year: whole_number(N_("Enter a year between 2000 and 2100."), minimum=2000, maximum=2100, required=False,
                              from_text=True) = None


# -- replies ----------------------------------------------------------------------------------------

class Indicator(Reply):
    code: str
    name: str
    definition: str
    guarantee: Literal[GUARANTEES]
    unit: Literal[UNITS]
    required: bool
    disaggregations: list[Literal[DISAGGREGATIONS]]
    better: Literal[DIRECTIONS]


class Template(Reply):
    id: int
    name: str
    description: str
    in_use: bool = pydantic.Field(description="a cycle uses it: it can be copied, not changed")
    copied_from_id: int | None
    indicators: list[Indicator]
    rules: list[dict]


class Cycle(Reply):
    id: int
    name: str
    template_id: int
    period_start: date
    period_end: date
    deadline: date
    state: Literal[workflow.CYCLE_STATES]
    published_at: datetime | None


class ReportRef(Reply):
    id: int
    country: str
    state: Literal[workflow.REPORT_STATES]


class CycleWithReports(Cycle):
    reports: list[ReportRef] = pydantic.Field(description="the country reports this user may read")


class Value(Reply):
    indicator_code: str
    value: IndicatorValue
    availability: Literal[AVAILABILITY] | None
    reason: str
    ministry_id: int | None
    note: str
    breakdown: dict[str, IndicatorValue] | None
    data_request_id: int | None


class Query(Reply):
    id: int
    indicator_code: str
    question: str
    answer: str | None
    answered_at: datetime | None


class Narrative(Reply):
    guarantee: Literal[NARRATIVE_GUARANTEES]
    existing_schemes: str
    policy_gaps: str
    implementation_issues: str
    recommendations: str
    self_rating: int | None
    item_ids: list[int]


class ReportEvent(Reply):
    trigger: str
    from_state: Literal[workflow.REPORT_STATES] | None
    to_state: Literal[workflow.REPORT_STATES] | None
    actor: int
    comment: str
    at: datetime


class Report(Reply):
    id: int
    cycle_id: int
    country: str
    state: Literal[workflow.REPORT_STATES]
    version: int
    submitted_at: datetime | None = pydantic.Field(description="the first submission")
    last_submitted_at: datetime | None
    accepted_at: datetime | None
    deadline: date = pydantic.Field(description="the extended one where an extension exists")
    completeness: float = pydantic.Field(ge=0, le=100)
    allowed_triggers: list[Literal[workflow.REPORT_TRIGGERS]]
    values: list[Value]
    missing: list[str] = pydantic.Field(description="required indicators with neither a value nor a flag")
    queries: list[Query]
    narratives: list[Narrative]
    events: list[ReportEvent]


class Assignment(Reply):
    indicator_code: str
    ministry_id: int
    item_id: int
    due_date: date
    item_state: str


class NarrativeSaved(Reply):
    guarantee: Literal[NARRATIVE_GUARANTEES]
    self_rating: int | None
    item_ids: list[int]


class Target(Reply):
    indicator_code: str
    floor: float | None
    target: float | None
    target_year: int | None
