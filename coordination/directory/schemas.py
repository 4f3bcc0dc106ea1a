"""Schemas of the directory in the JSON API."""
from coordination.schemas import Reply


class Country(Reply):
    code: str
    name: str
    timezone: str


class Ministry(Reply):
    id: int
    name: str
    acronym: str
    sector: str
