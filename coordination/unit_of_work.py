"""One unit of work per request: the request commits once, after its view, when the view
succeeded (an answer below 400), and rolls back otherwise. Views, API endpoints and services
never commit; a domain error becomes its page or JSON answer in web.py, and rolls back.

A failed attempt that must leave a trace (a wrong password counted for the sign-in limits,
with its audit event) calls ``keep_changes()`` before it answers 4xx or raises. A refusal
that a page answers with a redirect and a message (someone else changed the item meanwhile)
calls ``discard_changes()``: nothing of the request is kept although it answers 302.
"""
from flask import Flask, g

from coordination.extensions import db


def keep_changes() -> None:
    """Commit what this request wrote although it answers with an error."""
    g.keep_changes = True


def discard_changes() -> None:
    """Roll back what this request wrote although it answers below 400."""
    g.discard_changes = True


def conclude(succeeded: bool) -> None:
    if g.get("discard_changes", False):
        db.session.rollback()
    elif succeeded or g.get("keep_changes", False):
        db.session.commit()
    else:
        db.session.rollback()


def abandon() -> None:
    """After an unexpected error nothing is kept, whatever the view asked for."""
    db.session.rollback()


class UnitOfWorkFlask(Flask):
    """Commits after a successful view, inside the dispatch: a failure of the commit itself
    (a constraint the flush did not see) is handled by the error pages like any other."""

    def dispatch_request(self):
        response = self.make_response(super().dispatch_request())
        conclude(response.status_code < 400)
        return response
