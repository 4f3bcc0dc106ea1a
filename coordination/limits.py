"""Bounded request bodies: a size limit checked before anything reads the body, and a
nesting limit on JSON checked before the parser runs.

``MAX_BODY_BYTES`` (1 MiB) is the limit of every endpoint; a view that must take more (an
attachment upload) names a setting of its own with ``@body_limit("MAX_ATTACHMENT_BYTES")``.
A body declared larger (``Content-Length``) answers 413 before any hook parses it; a body
sent without ``Content-Length`` (chunked) is read through a counting stream that answers 413
as soon as the bytes read pass the limit (werkzeug's own bounded stream would silently cut
the body off at the limit instead).

JSON nested deeper than ``MAX_JSON_DEPTH`` (64) answers 400: the depth is counted on the
text, without recursion, before ``json.loads`` (whose C scanner recurses) sees it.
"""
import io
import json
import re
from itertools import accumulate

from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge

from coordination.errors import BadRequest
from coordination.i18n import format_number

DEFAULT_SETTING = "MAX_BODY_BYTES"


def body_limit(setting: str, extra: int = 0):
    """Let a view take request bodies up to ``app.config[setting]`` bytes, plus ``extra`` (the
    form around an uploaded file), instead of ``MAX_BODY_BYTES``. Put it below the route
    decorator (``functools.wraps`` of the other decorators carries it)."""

    def decorate(view):
        view.body_limit_setting, view.body_limit_extra = setting, extra
        return view

    return decorate


def limit_of_request() -> int:
    """The body limit of the endpoint the current request goes to, in bytes."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return (current_app.config[getattr(view, "body_limit_setting", DEFAULT_SETTING)]
            + getattr(view, "body_limit_extra", 0))


def too_large_message(limit: int) -> str:
    return gettext("The request body is too large: this address takes at most %(limit)s bytes.",
                   limit=format_number(limit, 0))


class PayloadTooLarge(RequestEntityTooLarge):
    def __init__(self, limit: int):
        super().__init__(too_large_message(limit))


class BoundedInput(io.RawIOBase):
    """A streamed request body (no Content-Length) that raises PayloadTooLarge once more
    than ``limit`` bytes have come."""

    def __init__(self, stream, limit: int):
        super().__init__()
        self._stream, self._limit, self._count = stream, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        self._count += len(data)
        if self._count > self._limit:
            raise PayloadTooLarge(self._limit)
        buffer[:len(data)] = data
        return len(data)


def bound_body() -> None:
    """The first hook of every request: refuse a body declared larger than the endpoint's
    limit at once, before CSRF protection, the NUL guard or a view parses it; bound the
    reading of a streamed one."""
    environ = request.environ
    declared = environ.get("CONTENT_LENGTH")
    if not declared and "HTTP_TRANSFER_ENCODING" not in environ:
        return  # no body (RFC 9112 6.3: neither a length nor a transfer coding): nothing to bound
    limit = limit_of_request()
    if request.content_length is not None:
        if request.content_length > limit:
            raise PayloadTooLarge(limit)
        request.max_content_length = limit
    elif "wsgi.input_terminated" in environ:
        # The server took the chunks apart and ends the stream: read it through the count.
        # werkzeug's stream, one byte longer, lets the count see the byte too many.
        environ["wsgi.input"] = BoundedInput(environ["wsgi.input"], limit)
        request.max_content_length = limit + 1
    # Otherwise werkzeug reads no body at all: nothing said how long it is.


# -- JSON nesting ------------------------------------------------------------------------------

# A JSON string (escapes included), or an unterminated one up to the end of the text (so that
# no attempt fails and backtracks: linear time on any input). The brackets that count lie
# between strings.
_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def nesting_depth(text: str) -> int:
    """How deep ``text`` nests arrays and objects, counted without recursion (two regular
    expressions and a running sum, each linear in the text). Malformed JSON may count
    oddly; the parser refuses it anyway."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


class TooDeep(BadRequest):
    """Raised from inside ``request.get_json`` (not a ValueError, so ``silent=True`` does not
    swallow it): the error handlers answer 400 bad_request."""


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with the nesting of what it loads bounded by ``MAX_JSON_DEPTH``."""

    def loads(self, s: str | bytes, **kwargs):
        if isinstance(s, bytes | bytearray):
            s = bytes(s).decode(json.detect_encoding(s), "surrogatepass")
        limit = self._app.config["MAX_JSON_DEPTH"]
        if nesting_depth(s) > limit:
            raise TooDeep(gettext("The JSON body nests deeper than %(limit)s levels.", limit=limit))
        return json.loads(s, **kwargs)


def init_app(app: Flask) -> None:
    """Install the limits. Call before the extensions, so that ``bound_body`` runs before
    any hook of theirs reads the body."""
    app.json = BoundedJSONProvider(app)
    # The defaults of what reads a body before ``bound_body`` (nothing should), and of the
    # form parser (werkzeug's own 500 kB would refuse a form this limit takes).
    app.config["MAX_CONTENT_LENGTH"] = app.config[DEFAULT_SETTING]
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config[DEFAULT_SETTING]
    app.before_request(bound_body)
