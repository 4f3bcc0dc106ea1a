"""The search: the entries the actor may read whose text holds every word of the query, most
relevant first, one page at a time, served by the full-text index of the database.

Who reads what mirrors auth/policy.py (tests/search walks every demo role to prove it):
- coordinators and ministry staff: their country's items (item.read) and reports (report.read);
- the secretariat: reports once first submitted (the sight rule of CountryReport), no item;
- everybody signed in: public entries (a published good practice, once that kind exists);
- observers and the admin: nothing else.
"""
from dataclasses import dataclass

from sqlalchemy import bindparam, text

from coordination import paging
from coordination.search.models import FTS_TABLE, SEARCHED_TEXT, WORDS
from coordination.search.text import END, GT, LT, START, around, terms, without_spaces

PER_PAGE = 20
# The newest matches ranked and counted: a word found in a large share of a million records
# would otherwise rank and count them all on every page. Beyond it the page says there are more.
MAX_MATCHES = 200
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


def _newest(session, source: str, order: str, parameters: dict) -> list[int]:
    """The ids of the newest matches, at most ``MAX_MATCHES + 1`` (one more: there are more).
    Read newest first, the database stops at the cap however many entries hold the words."""
    return session.execute(text(f"SELECT e.id {source} ORDER BY {order} DESC LIMIT :cap"),  # noqa: S608  # nosec B608 - fixed SQL, input bound
                           parameters | {"cap": MAX_MATCHES + 1}).scalars().all()


def _page(session, newest: list[int], words: list[str], offset: int, limit: int, headline: str = "''", **bound):
    """One page of the newest matches, most relevant first: those with more of the words in
    their title, then the newest. Ranked here rather than by the full-text rank, which would
    score every match of a common word."""
    find = "instr({}, {})" if session.get_bind().dialect.name == "sqlite" else "strpos({}, {})"
    score = " + ".join(f"(CASE WHEN {find.format('lower(e.title)', f':word{n}')} > 0 THEN 1 ELSE 0 END)"
                       for n in range(len(words)))
    statement = text(
        f"SELECT e.kind, e.ref_id, e.title, {headline}, e.body FROM search_entries e WHERE e.id IN :ids "  # noqa: S608  # nosec B608 - fixed SQL, input bound
        f"ORDER BY {score} DESC, e.id DESC LIMIT :limit OFFSET :offset").bindparams(bindparam("ids", expanding=True))
    return session.execute(statement, {"ids": newest[:MAX_MATCHES], "limit": limit, "offset": offset, **bound,
                                       **{f"word{n}": word for n, word in enumerate(words)}})


def fts5_query(words: list[str]) -> str:
    """Every word as an FTS5 string (its own characters, never syntax: a word holds no quote)."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _sqlite(session, actor, words, offset, limit):
    condition, parameters = audience(actor)
    parameters["match"] = fts5_query(words)
    source = (f"FROM {FTS_TABLE} JOIN search_entries e ON e.id = {FTS_TABLE}.rowid "
              f"WHERE {FTS_TABLE} MATCH :match AND {condition}")
    # FTS5 walks its matches in rowid order (the entry's id): newest first, it stops at the cap.
    newest = _newest(session, source, f"{FTS_TABLE}.rowid", parameters)
    if len(newest) <= offset:
        return [], len(newest)
    rows = _page(session, newest, words, offset, limit)
    return [Hit(kind, ref_id, title, around(body, words) if body else "")
            for kind, ref_id, title, _, body in rows], len(newest)


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
    newest = _newest(session, source, "e.id", parameters)
    if len(newest) <= offset:
        return [], len(newest)
    snippet = "''"
    if spaced:
        snippet = (f"ts_headline('simple', replace(replace(e.body, '<', '{LT}'), '>', '{GT}'), "
                   f"to_tsquery('simple', :tsquery), "
                   f"'StartSel={START}, StopSel={END}, MaxWords=30, MinWords=10, MaxFragments=2, "
                   f"FragmentDelimiter=\" … \"')")
    bound = {"tsquery": parameters["tsquery"]} if spaced else {}
    rows = _page(session, newest, words, offset, limit, snippet, **bound)
    hits = []
    for kind, ref_id, title, headline, body in rows:
        headline = (headline or "").replace(LT, "<").replace(GT, ">")
        if unspaced or (START not in headline and body):
            headline = around(body, words) if body else ""
        hits.append(Hit(kind, ref_id, title, headline or ""))
    return hits, len(newest)


def ref_ids(session, actor, query: str, kind: str) -> list[int] | None:
    """The ids of the records of ``kind`` the actor may read whose text holds every word of the
    query, newest first, at most ``MAX_MATCHES`` (a feature's own list filtered by words: the
    good-practice library); None when the query has no word to search."""
    words = terms(query)
    if not words:
        return None
    condition, parameters = audience(actor)
    parameters |= {"kind": kind, "cap": MAX_MATCHES}
    if session.get_bind().dialect.name == "sqlite":
        parameters["match"] = fts5_query(words)
        # The kind's entries first (a few practices), each matched by its rowid: the words'
        # matches among a million items' entries are never listed.
        statement = (f"SELECT e.ref_id FROM search_entries e WHERE e.kind = :kind AND {condition} "  # noqa: S608  # nosec B608 - fixed SQL, input bound
                     f"AND EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match "
                     f"AND {FTS_TABLE}.rowid = e.id) ORDER BY e.id DESC LIMIT :cap")
    else:
        conditions = [condition, "e.kind = :kind"]
        spaced = [w for w in words if not without_spaces(w)]
        if spaced:
            conditions.append(f"{WORDS} @@ to_tsquery('simple', :tsquery)")
            parameters["tsquery"] = _tsquery(spaced)
        for n, word in enumerate(w for w in words if without_spaces(w)):
            conditions.append(f"{SEARCHED_TEXT} ILIKE :like{n}")
            parameters[f"like{n}"] = _like(word)
        statement = ("SELECT e.ref_id FROM search_entries e WHERE " + " AND ".join(conditions)  # noqa: S608  # nosec B608
                     + " ORDER BY e.id DESC LIMIT :cap")
    return list(session.execute(text(statement), parameters).scalars())
