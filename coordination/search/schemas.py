"""Schemas of the search in the JSON API (API.md, "Search")."""
from typing import Literal

import pydantic

from coordination.schemas import PageQuery, Reply, per_page
from coordination.search.kinds import KINDS


class SearchQuery(PageQuery):
    q: str = pydantic.Field("", description="the words to find; any text (at most the first 200 characters "
                                            "are read; words of fewer than 3 letters are not searched)")
    per_page: int = per_page(20, 100)


class SearchResult(Reply):
    kind: Literal[tuple(KINDS)]
    id: int
    title: str
    snippet: str = pydantic.Field(description="HTML: the text around the match, escaped, matches in <mark>")
    url: str


class SearchResults(Reply):
    results: list[SearchResult]
    total: int = pydantic.Field(description="the matches, at most 200")
    more: bool = pydantic.Field(description="more than 200 match: only the newest 200 are ranked and paged")
    page: int
    per_page: int
