"""The declaration of an API endpoint: what it is for, what it takes (a body schema, a query
schema) and what it answers (a response schema per status, and the error statuses). The
OpenAPI document (coordination/openapi.py) is made from these declarations and the routes
the application serves; nothing else describes the API.

    @api.post("/items")
    @endpoint("Create an action item (coordinator); it starts as a draft", tag="items",
              body=schemas.ItemCreate, replies={201: schemas.Item}, errors=(403,))
    @token_required
    def create_item(): ...

Put it right below the route decorator: ``functools.wraps`` of the decorators under it
carries the declaration to the function the route registers.

Statuses every endpoint of a kind can answer are added by the document itself: 400 (a NUL
character anywhere, a body that is not a JSON object), 401 and 403 (no or a bad token; a
role that must set up two-step sign-in first) unless ``public``, 404 where the path names a
resource, 413 and 422 where a body is taken. ``multipart=True``: the body is a
``multipart/form-data`` form (its schema's file field a binary string); ``replies={200: FILE}``
(any type) or ``replies={200: File("text/csv", ...)}``: the answer is a file's bytes.
"""
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class File:
    """A reply that is a file rather than JSON: ``replies={200: File("text/csv", "...")}``."""

    media_type: str
    description: str = ""


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    body: Any = None
    query: Any = None
    replies: dict[int, Any] = field(default_factory=dict)  # status → response type (None: no body)
    errors: tuple[int, ...] = ()
    public: bool = False
    description: str = ""
    multipart: bool = False  # the body is multipart/form-data (a file upload), not JSON


# A reply that is a stored file's bytes, of whatever type it was uploaded as.
FILE = File("*/*", "The file's bytes, as Content-Disposition: attachment")


def endpoint(summary: str, *, tag: str, body=None, query=None, replies: dict[int, Any] | None = None,
             errors: tuple[int, ...] = (), public: bool = False, description: str = "", multipart: bool = False):
    operation = Operation(summary=summary, tag=tag, body=body, query=query, replies=dict(replies or {200: None}),
                          errors=tuple(errors), public=public, description=description, multipart=multipart)

    def declare(view):
        view.operation = operation
        return view

    return declare
