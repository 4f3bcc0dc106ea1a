"""Schemas of the directory in the JSON API."""
from datetime import date

import pydantic

from coordination.dates import EARLIEST, LATEST
from coordination.i18n import N_
from coordination.schemas import Reply, Schema, whole_number

YEAR = N_("Enter a year from %(first)s to %(last)s, e.g. 2027.")


class Country(Reply):
    code: str
    name: str
    timezone: str


class Ministry(Reply):
    id: int
    name: str
    acronym: str
    sector: str


class HolidayQuery(Schema):
    year: whole_number(YEAR % {"first": EARLIEST.year, "last": LATEST.year}, minimum=EARLIEST.year,
                       maximum=LATEST.year, required=False, from_text=True) = pydantic.Field(
        None, description="by default the current year of the member state")


class Holiday(Reply):
    date: date
    name: str = pydantic.Field(description="in the language of the request where the calendar has it")
