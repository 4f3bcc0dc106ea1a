"""Good practices in the JSON API (API.md, "Second round: the regional network")."""
from flask import g, jsonify, request

from coordination import clock
from coordination.api import api, json_body, query_number, query_page, token_required
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.practices import library, schemas, service
from coordination.practices.models import Practice, PracticeQuestion
from coordination.search.text import MAX_QUERY


def iso(instant):
    return instant.isoformat() if instant is not None else None


def summary_json(practice: Practice) -> dict:
    return {
        "id": practice.id, "country": practice.country_code, "title": practice.title,
        "summary": practice.summary, "guarantee": practice.guarantee, "state": practice.state,
        "version": practice.version, "created_by": practice.created_by_id, "created_at": iso(practice.created_at),
        "updated_at": iso(practice.updated_at), "published_at": iso(practice.published_at),
    }


def question_json(question: PracticeQuestion) -> dict:
    return {
        "id": question.id, "author": question.author_id, "author_name": question.author.name,
        "comment": question.question, "asked_at": iso(question.asked_at), "answer": question.answer,
        "answered_by": question.answered_by_id, "answered_at": iso(question.answered_at),
    }


def practice_json(practice: Practice, actor) -> dict:
    name, email = practice.contact
    return summary_json(practice) | {
        "body": practice.body,
        "contact": {"user_id": practice.contact_user_id, "name": name, "email": email},
        "allowed_triggers": service.allowed_triggers(actor, practice),
        "questions": [question_json(q) for q in practice.questions],
        "attachments": service.attachment_ids(db.session, practice),
    }


def _reread(practice_id: int) -> Practice:
    db.session.expire_all()
    return service.get_practice(db.session, g.api_user, practice_id)


@api.get("/practices")
@endpoint("The good-practice library: every published practice, and the drafts of the user's own country "
          "for its coordinators and ministry staff", tag="practices", query=schemas.PracticeQuery,
          replies={200: schemas.PracticeList}, errors=(422,))
@token_required
def list_practices():
    page, per_page = query_page(), query_number("per_page", library.PER_PAGE, 100)
    query = schemas.PracticeQuery.parse({k: v for k, v in request.args.to_dict().items() if k in ("q", "guarantee",
                                                                                                  "country")})
    filters = library.Filters(q=query.q[:MAX_QUERY], guarantee=query.guarantee, country=query.country)
    found, total = library.practice_page(db.session, g.api_user, filters, page, per_page)
    return jsonify({"practices": [summary_json(p) for p in found], "total": total, "page": page,
                    "per_page": per_page})


@api.post("/practices")
@endpoint("Write up a good practice of the coordinator's country, as a draft", tag="practices",
          body=schemas.PracticeCreate, replies={201: schemas.Practice},
          description="Without a contact its author is the contact; contact_user_id names a user of the country, "
                      "else contact_name with contact_email.")
@token_required
def create_practice():
    practice = service.create_practice(db.session, g.api_user, json_body(), clock.now())
    return jsonify(practice_json(_reread(practice.id), g.api_user)), 201


@api.get("/practices/<int:practice_id>")
@endpoint("One practice with its contact, files and questions (a draft: its country only, 404 for others)",
          tag="practices", replies={200: schemas.Practice})
@token_required
def get_practice(practice_id: int):
    return jsonify(practice_json(service.get_practice(db.session, g.api_user, practice_id), g.api_user))


@api.patch("/practices/<int:practice_id>")
@endpoint("Write the practice anew (its country's coordinator)", tag="practices", body=schemas.PracticeChanges,
          replies={200: schemas.Practice}, errors=(409,))
@token_required
def update_practice(practice_id: int):
    service.update_practice(db.session, g.api_user, practice_id, json_body(), clock.now())
    return jsonify(practice_json(_reread(practice_id), g.api_user))


@api.post("/practices/<int:practice_id>/publish")
@endpoint("Publish a draft to the whole network (its country's coordinator)", tag="practices",
          body=schemas.PracticeStep, replies={200: schemas.Practice}, errors=(409,))
@token_required
def publish_practice(practice_id: int):
    service.fire(db.session, g.api_user, practice_id, "publish", request.get_json(silent=True) or {}, clock.now())
    return jsonify(practice_json(_reread(practice_id), g.api_user))


@api.post("/practices/<int:practice_id>/withdraw")
@endpoint("Withdraw a published practice to a draft of its country (its country's coordinator)",
          tag="practices", body=schemas.PracticeStep, replies={200: schemas.Practice}, errors=(409,))
@token_required
def withdraw_practice(practice_id: int):
    service.fire(db.session, g.api_user, practice_id, "withdraw", request.get_json(silent=True) or {}, clock.now())
    return jsonify(practice_json(_reread(practice_id), g.api_user))


@api.post("/practices/<int:practice_id>/comments")
@endpoint("Ask a question below a published practice (any signed-in user); with reply_to, its country's "
          "coordinator answers one", tag="practices", body=schemas.PracticeComment,
          replies={201: schemas.Question},
          description="The practice's country coordinators are told of a question, the asker of its answer.")
@token_required
def comment_on_practice(practice_id: int):
    question = service.comment(db.session, g.api_user, practice_id, json_body(), clock.now())
    return jsonify(question_json(question)), 201
