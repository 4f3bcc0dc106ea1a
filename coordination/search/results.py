"""The search as both doors show it: one page of results with their label, link and snippet."""
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext
from markupsafe import Markup

from coordination.search import index, queries
from coordination.search.kinds import KINDS
from coordination.search.text import marked

# The index follows every flush of the items and reports from the moment the search is loaded.
KEPT_CURRENT = index.refill


@dataclass
class Result:
    kind: str
    id: int
    title: str
    snippet: Markup
    url: str

    @property
    def label(self) -> str:
        return gettext(KINDS[self.kind].label)

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "title": self.title, "snippet": str(self.snippet), "url": self.url}


def find(session, actor, query: str, page: int, per_page: int) -> tuple[list[Result], int, bool, list[str]]:
    """One page of results, their total (at most ``queries.MAX_MATCHES``), whether more match
    than that, and the words searched."""
    hits, total, words = queries.search(session, actor, query, page, per_page)
    results = [Result(hit.kind, hit.id, hit.title, marked(hit.snippet),
                      url_for(KINDS[hit.kind].endpoint, **{KINDS[hit.kind].argument: hit.id}))
               for hit in hits]
    return results, min(total, queries.MAX_MATCHES), total > queries.MAX_MATCHES, words
