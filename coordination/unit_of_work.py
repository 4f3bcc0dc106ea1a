"""One unit of work per request: the request commits once, after its view, when the view
succeeded (an answer below 400), and rolls back otherwise. Views, API endpoints and services
never commit; a domain error becomes its page or JSON answer in web.py, and rolls back.

A failed attempt that must leave a trace (a wrong password counted for the sign-in limits,
with its audit event) calls ``keep_changes()`` before it answers 4xx or raises. A refusal
that a page answers with a redirect and a message (someone else changed the item meanwhile)
calls ``discard_changes()``: nothing of the request is kept although it answers 302.

A request that wrote nothing (most reads) closes the session instead of committing: the same
for the database (the transaction ends), without the commit's work of expiring every object
read (the session ends with the request anyway).
"""
from flask import Flask, g
from sqlalchemy import event
from sqlalchemy.orm import Session

from coordination.extensions import db

WROTE = "coordination.wrote"  # in Session.info: this transaction flushed or ran an INSERT, UPDATE or DELETE


@event.listens_for(Session, "after_flush")
def _flushed(session, flush_context) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if not state.is_select:  # INSERT, UPDATE, DELETE, and any text() statement, to be safe
        state.session.info[WROTE] = True


def wrote(session) -> bool:
    """Whether the session's transaction holds anything to commit: written rows, or objects
    added, changed or deleted since the last flush."""
    return session.info.get(WROTE, False) or bool(session.new or session.dirty or session.deleted)


def keep_changes() -> None:
    """Commit what this request wrote although it answers with an error."""
    g.keep_changes = True


def discard_changes() -> None:
    """Roll back what this request wrote although it answers below 400."""
    g.discard_changes = True


def conclude(succeeded: bool) -> None:
    session = db.session()
    keep = not g.get("discard_changes", False) and (succeeded or g.get("keep_changes", False))
    if keep and wrote(session):
        session.commit()
    elif keep:
        session.close()  # nothing to keep: end the transaction, without expiring what was read
    else:
        session.rollback()
    session.info.pop(WROTE, None)


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
