"""Page numbers of lists, from the query string: one rule for pages and the API.

A page beyond the last one is empty (never an error). A number too large for any list,
however many digits it has, becomes ``MAX_PAGE``: still beyond the last page, so the
answer is the same empty page, and its offset stays well inside what a database takes
(a 20-digit OFFSET overflows PostgreSQL's bigint and SQLite's integer).
"""
MAX_PAGE = 10**9  # 10⁹ pages of 25 rows: more rows than any list will hold

_DIGITS_KEPT = len(str(MAX_PAGE))


def page_number(raw: str | None) -> int | None:
    """The page ``raw`` asks for: a whole number from 1, at most ``MAX_PAGE``; None when
    ``raw`` is not a whole number of at least 1 (ASCII digits only: ``int()`` refuses some
    characters ``str.isdigit()`` accepts, such as '²', and numbers of over 4300 digits)."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return None
    digits = raw.lstrip("0")
    if not digits:
        return None
    if len(digits) > _DIGITS_KEPT:
        return MAX_PAGE
    return min(int(digits), MAX_PAGE)


def requested_page(args, name: str = "page") -> int:
    """The page of a web list: what ``args[name]`` asks for, else the first page (a page
    link someone mistyped shows the list, not an error)."""
    return page_number(args.get(name)) or 1


def offset(page: int, per_page: int) -> int:
    """The rows before ``page``."""
    return (page - 1) * per_page
