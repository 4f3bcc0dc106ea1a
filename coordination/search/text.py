"""The text of the search: what is indexed (cleaned of the snippet's markers), the terms a query
is made of, and the snippet shown as HTML with only <mark>."""
import re
import unicodedata

from markupsafe import Markup, escape

# The snippet functions mark matches with these private-use characters; the page turns them into
# <mark> after escaping the rest. Indexed text never holds them.
START, END = "\ue000", "\ue001"
MARKS = (START, END)
# PostgreSQL's ts_headline reads its text as HTML and drops what looks like a tag: the angle
# brackets go to it as these, and come back.
LT, GT = "\ue002", "\ue003"
_MARKERS = re.compile(f"[{START}{END}{LT}{GT}]")
# Scripts written without spaces between words: their words are searched as substrings.
NO_SPACES = "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
_NO_SPACES = re.compile(f"[{NO_SPACES}]")
# A word: letters, digits, marks (the vowels of Thai are combining marks) and the underscore.
_WORD = re.compile(rf"(?:[^\W]|[{NO_SPACES}]|[\u0300-\u036f])+")
MAX_QUERY = 200   # characters of a query read; the rest is ignored
MAX_TERMS = 8     # words of a query searched
MAX_WORD = 60     # characters of a word
MIN_WORD = 3      # shorter words are not searched (the trigram indexes need three characters)


def clean(value: str | None) -> str:
    return _MARKERS.sub("", value or "")


def terms(query: str | None) -> list[str]:
    """The words of ``query`` that are searched: at most ``MAX_TERMS``, lower-cased, of at least
    ``MIN_WORD`` characters. Whatever else the query holds (quotes, %, _, operators of either
    database's syntax, control characters) is a separator, never syntax."""
    query = unicodedata.normalize("NFC", (query or "")[:MAX_QUERY])
    found: list[str] = []
    for word in _WORD.findall(query):
        word = word.replace("_", " ").strip()
        for part in word.split():
            part = part.lower()[:MAX_WORD]
            if len(part) >= MIN_WORD and part not in found:
                found.append(part)
    return found[:MAX_TERMS]


def without_spaces(word: str) -> bool:
    return bool(_NO_SPACES.search(word))


def marked(fragment: str | None) -> Markup:
    """The snippet as HTML: everything escaped, the marked matches in <mark>."""
    html = str(escape(fragment or ""))
    opened = False
    out = []
    for char in html:
        if char == START and not opened:
            out.append("<mark>")
            opened = True
        elif char == END and opened:
            out.append("</mark>")
            opened = False
        elif char not in MARKS:
            out.append(char)
    if opened:
        out.append("</mark>")
    return Markup("".join(out))  # noqa: S704  # nosec B704 - escaped above; only <mark> added


def plain(fragment: str | None) -> str:
    return clean(fragment)


WINDOW = 80


def around(body: str, words: list[str]) -> str:
    """A snippet of ``body`` made here (PostgreSQL's ts_headline does not find substrings): the
    text around the first of ``words`` it holds, every occurrence of them marked."""
    lowered = body.lower()
    hits = [lowered.find(w) for w in words if lowered.find(w) >= 0]
    if not hits:
        return body[: 2 * WINDOW]
    first = min(hits)
    start, stop = max(0, first - WINDOW), min(len(body), first + WINDOW)
    fragment = body[start:stop]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    fragment = pattern.sub(lambda m: f"{START}{m.group(0)}{END}", fragment)
    return ("…" if start else "") + fragment + ("…" if stop < len(body) else "")
