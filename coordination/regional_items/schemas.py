"""Schemas of regional (cross-border) items: the body that creates one, the list's query, and
what the API answers. The title, description and due date are checked as an action item's."""
from datetime import date, datetime
from typing import Literal

import pydantic

from coordination.i18n import N_
from coordination.items import schemas as items
from coordination.items import workflow
from coordination.regional_items.models import STATES
from coordination.schemas import PageQuery, Reply, Schema, checked, invalid, per_page

COUNTRIES_MESSAGE = N_("Choose two or more member states.")
COUNTRIES_MAX = 250


def _countries(value):
    """A list of member-state codes, each once (upper case), two at least; whether each is a known
    code is the service's check."""
    if not isinstance(value, list) or len(value) > COUNTRIES_MAX or any(not isinstance(v, str) for v in value):
        raise invalid(COUNTRIES_MESSAGE)
    codes = list(dict.fromkeys(v.strip().upper() for v in value if v.strip()))
    if len(codes) < 2:
        raise invalid(COUNTRIES_MESSAGE)
    return codes


class RegionalItemCreate(Schema):
    """A new regional item (secretariat): one action item in draft for each member state named."""

    title: items.TITLE
    description: items.DESCRIPTION = ""
    due_date: items.DUE_DATE = pydantic.Field(description="the due date of every part (each country may change "
                                                          "its own)")
    countries: checked(_countries, {"type": "array", "minItems": 2, "maxItems": COUNTRIES_MAX,
                                    "items": {"type": "string"}},
                       missing=COUNTRIES_MESSAGE) = pydantic.Field(
        description="ISO codes of two or more distinct member states")


class RegionalItemQuery(PageQuery):
    state: checked(lambda value: value if value in STATES else None,
                   {"type": ["string", "null"], "enum": [*STATES, None]}) = None
    per_page: int = per_page(25, 100)


# -- replies -------------------------------------------------------------------------------------

class PartEvent(Reply):
    """One step of a part's history, as the secretariat reads it."""

    trigger: Literal[items.EVENT_KINDS]
    from_state: Literal[workflow.STATES] | None
    to_state: Literal[workflow.STATES] | None
    from_ministry_id: int | None
    to_ministry_id: int | None
    at: datetime


class Part(Reply):
    country: str
    item_id: int | None = pydantic.Field(description="the country's action item: for the secretariat and that "
                                                     "country's users; null for others")
    state: Literal[workflow.STATES]
    overdue: bool
    due_date: date | None = pydantic.Field(description="the part's own due date (null where item_id is)")
    ministry_id: int | None = pydantic.Field(description="the holding ministry (null where item_id is)")
    events: list[PartEvent] | None = pydantic.Field(description="the part's history: the secretariat only")


class RegionalItemBase(Reply):
    id: int
    title: str
    description: str
    due_date: date
    state: Literal[STATES] = pydantic.Field(description="completed when every part is completed, or completed "
                                                        "and cancelled with one completed at least; cancelled when "
                                                        "every part is")
    countries: list[str]
    created_at: datetime
    completed_at: datetime | None


class RegionalItem(RegionalItemBase):
    parts: list[Part]


class RegionalItemList(Reply):
    regional_items: list[RegionalItemBase]
    total: int
    page: int
    per_page: int
