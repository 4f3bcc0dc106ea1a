"""The search: the entries the actor may read whose text holds every word of the query, most
relevant first, one page at a time, served by the full-text index of the database.

Who reads what mirrors auth/policy.py (tests/search walks every demo role to prove it):
- coordinators and ministry staff: their country's items (item.read) and reports (report.read);
- the secretariat: reports once first submitted (the sight rule of CountryReport), no item;
- everybody signed in: public entries (a published good practice, once that kind exists);
- observers and the admin: nothing else.
"""
from dataclasses import dataclass

from sqlalchemy import text

from coordination import paging
from coordination.search.models import FTS_TABLE, SEARCHED_TEXT, WORDS
from coordination.search.text import END, GT, LT, START, around, terms, without_spaces

PER_PAGE = 20
# The newest matches ranked and counted: a word found in a large share of a million records
# would otherwise rank and count them all on every page. Beyond it the total reads "1 000+".
MAX_MATCHES = 1000
COUNTRY_READERS = ("coordinator", "ministry_staff")


@dataclass
class Hit:
    kind: str
    id: int
    title: str
    snippet: str  # with the START/END markers around matches


def audience(actor) -> tuple[str, dict]:
    """The SQL condition (on alias ``e``) of the entries ``actor`` may read, and its parameters."""
    if actor.role in COUNTRY_READERS and actor.country_code is not None:
        return "(e.country_code = :country OR e.public)", {"country": actor.country_code}
    if actor.role == "secretariat":
        return "(e.secretariat OR e.public)", {}
    return "e.public", {}


def search(session, actor, query: str, page: int = 1, per_page: int = PER_PAGE) -> tuple[list[Hit], int, list[str]]:
    """One page of hits, their total (``MAX_MATCHES + 1``: more than ``MAX_MATCHES``), and the
    words searched (none: no hits)."""
    words = terms(query)
    if not words:
        return [], 0, words
    dialect = session.get_bind().dialect.name
    offset = paging.offset(page, per_page)
    if dialect == "sqlite":
        hits, total = _sqlite(session, actor, words, offset, per_page)
    else:
        hits, total = _postgresql(session, actor, words, offset, per_page)
    return hits, total, words


def _newest(session, source: str, order: str, parameters: dict) -> tuple[int, int | None]:
    """How many entries match (at most ``MAX_MATCHES + 1``) and the smallest id of the newest
    ``MAX_MATCHES`` of them: the pages rank only those, from the newest entry down."""
    ids = session.execute(text(f"SELECT e.id {source} ORDER BY {order} DESC LIMIT :cap"),  # noqa: S608  # nosec B608 - fixed SQL, input bound
                          parameters | {"cap": MAX_MATCHES + 1}).scalars().all()
    return len(ids), (ids[:MAX_MATCHES][-1] if ids else None)


def fts5_query(words: list[str]) -> str:
    """Every word as an FTS5 string (its own characters, never syntax: a word holds no quote)."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _sqlite(session, actor, words, offset, limit):
    condition, parameters = audience(actor)
    parameters |= {"match": fts5_query(words), "limit": limit, "offset": offset}
    source = (f"FROM {FTS_TABLE} JOIN search_entries e ON e.id = {FTS_TABLE}.rowid "
              f"WHERE {FTS_TABLE} MATCH :match AND {condition}")
    # FTS5 walks its matches in rowid order (the entry's id) and stops at the cap.
    total, floor = _newest(session, source, f"{FTS_TABLE}.rowid", parameters)
    if total <= offset:
        return [], total
    rows = session.execute(text(
        f"SELECT e.kind, e.ref_id, e.title, snippet({FTS_TABLE}, 1, '{START}', '{END}', '…', 40) "  # noqa: S608  # nosec B608
        f"{source} AND {FTS_TABLE}.rowid >= :floor ORDER BY {FTS_TABLE}.rank, e.id DESC LIMIT :limit OFFSET :offset"),
        parameters | {"floor": floor})
    return [Hit(kind, ref_id, title, snippet) for kind, ref_id, title, snippet in rows], total


def _tsquery(words: list[str]) -> str:
    """The words (letters and digits only: no quote, no operator) as prefixes for to_tsquery."""
    return " & ".join(f"'{word}':*" for word in words)


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _postgresql(session, actor, words, offset, limit):
    condition, parameters = audience(actor)
    spaced = [w for w in words if not without_spaces(w)]
    unspaced = [w for w in words if without_spaces(w)]
    conditions = [condition]
    if spaced:
        conditions.append(f"{WORDS} @@ to_tsquery('simple', :tsquery)")
        parameters["tsquery"] = _tsquery(spaced)
    for n, word in enumerate(unspaced):
        conditions.append(f"{SEARCHED_TEXT} ILIKE :like{n}")
        parameters[f"like{n}"] = _like(word)
    source = "FROM search_entries e WHERE " + " AND ".join(conditions)
    total, floor = _newest(session, source, "e.id", parameters)
    if total <= offset:
        return [], total
    if spaced:
        rank = f"ts_rank({WORDS}, to_tsquery('simple', :tsquery))"
        snippet = (f"ts_headline('simple', replace(replace(e.body, '<', '{LT}'), '>', '{GT}'), "
                   f"to_tsquery('simple', :tsquery), "
                   f"'StartSel={START}, StopSel={END}, MaxWords=30, MinWords=10, MaxFragments=2, "
                   f"FragmentDelimiter=\" … \"')")
    else:
        rank, snippet = None, "''"
    rows = session.execute(text(
        f"SELECT e.kind, e.ref_id, e.title, {snippet}, e.body {source} AND e.id >= :floor "  # noqa: S608  # nosec B608
        f"ORDER BY {rank + ' DESC, ' if rank else ''}e.id DESC LIMIT :limit OFFSET :offset"),
        parameters | {"limit": limit, "offset": offset, "floor": floor})
    hits = []
    for kind, ref_id, title, headline, body in rows:
        headline = (headline or "").replace(LT, "<").replace(GT, ">")
        if unspaced or (START not in headline and body):
            headline = around(body, words) if body else ""
        hits.append(Hit(kind, ref_id, title, headline or ""))
    return hits, total
