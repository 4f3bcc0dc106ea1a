"""The network's recommendations and their assessments in the JSON API (API.md, "Second round:
the regional network")."""
from flask import g, jsonify, request

from coordination import clock
from coordination.api import api, json_body, query_number, token_required
from coordination.auth.policy import require
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.recommendations import schemas, service
from coordination.recommendations.models import Assessment, Recommendation


def iso(instant):
    return instant.isoformat() if instant is not None else None


def assessment_json(assessment: Assessment) -> dict:
    return {
        "id": assessment.id, "recommendation_id": assessment.recommendation_id,
        "country": assessment.country_code, "cycle_id": assessment.cycle_id, "state": assessment.state,
        "progress": assessment.progress, "evidence": assessment.evidence,
        "action_item_ids": [item.id for item in assessment.items],
        "validated_progress": assessment.validated_progress, "validation_comment": assessment.validation_comment,
        "assessed_at": iso(assessment.assessed_at), "validated_at": iso(assessment.validated_at),
        "events": [{"action": e.action, "progress": e.progress, "comment": e.comment,
                    "action_item_ids": list(e.item_ids or []), "actor": e.actor_id, "at": iso(e.at)}
                   for e in assessment.events],
    }


def summary_json(recommendation: Recommendation) -> dict:
    return {"id": recommendation.id, "title": recommendation.title, "guarantee": recommendation.guarantee,
            "countries": service.addressed_codes(recommendation), "all_countries": recommendation.all_countries,
            "adopted_on": recommendation.adopted_on.isoformat(), "horizon_year": recommendation.horizon_year}


def recommendation_json(recommendation: Recommendation, actor) -> dict:
    return {**summary_json(recommendation), "text": recommendation.text,
            "created_at": iso(recommendation.created_at),
            "assessments": [assessment_json(a) for a in service.visible_assessments(db.session, actor, recommendation)]}


@api.post("/recommendations")
@endpoint("Adopt a recommendation of the regional network (secretariat)", tag="recommendations",
          body=schemas.RecommendationCreate, replies={201: schemas.RecommendationReply}, errors=(403,),
          description="countries: a list of member-state codes, or \"all\". The coordinators of the member "
                      "states addressed get a notice.")
@token_required
def create_recommendation():
    recommendation = service.create_recommendation(db.session, g.api_user, json_body(), clock.now())
    return jsonify(recommendation_json(recommendation, g.api_user)), 201


@api.get("/recommendations")
@endpoint("The network's recommendations, newest first", tag="recommendations",
          query=schemas.RecommendationQuery, replies={200: schemas.RecommendationList}, errors=(422,))
@token_required
def list_recommendations():
    require(g.api_user, "recommendations.read")
    filters = schemas.RecommendationQuery.parse(request.args.to_dict())
    per_page = query_number("per_page", 25, 100)
    rows, total = service.recommendation_page(db.session, filters, per_page)
    return jsonify({"recommendations": [summary_json(r) for r in rows], "total": total, "page": filters.page,
                    "per_page": per_page})


@api.get("/recommendations/<int:recommendation_id>")
@endpoint("A recommendation, with the assessments the user may read", tag="recommendations",
          replies={200: schemas.RecommendationReply},
          description="A country's assessments are read by that country and the secretariat, and by everyone "
                      "once the cycle is published.")
@token_required
def get_recommendation(recommendation_id: int):
    require(g.api_user, "recommendations.read")
    recommendation = service.get_recommendation(db.session, recommendation_id)
    return jsonify(recommendation_json(recommendation, g.api_user))


@api.put("/recommendations/<int:recommendation_id>/assessments/<country>/<int:cycle_id>")
@endpoint("Assess a member state's progress on a recommendation in a cycle (its coordinator)",
          tag="recommendations", body=schemas.AssessmentInput, replies={200: schemas.AssessmentReply},
          errors=(403, 409),
          description="While the cycle is open, once per country and cycle (a new PUT replaces the rating "
                      "until the secretariat validates it: 409 after). A country not addressed, or an action "
                      "item of another country, answers 422.")
@token_required
def put_assessment(recommendation_id: int, country: str, cycle_id: int):
    assessment = service.assess(db.session, g.api_user, recommendation_id, country, cycle_id, json_body(),
                                clock.now())
    return jsonify(assessment_json(assessment))


@api.post("/recommendations/<int:recommendation_id>/assessments/<country>/<int:cycle_id>/validate")
@endpoint("Validate a member state's assessment: agree or revise, with a comment (secretariat)",
          tag="recommendations", body=schemas.ValidationInput, replies={200: schemas.AssessmentReply},
          errors=(403,), description="A revised progress needs a comment. The country's coordinators get a notice.")
@token_required
def validate_assessment(recommendation_id: int, country: str, cycle_id: int):
    assessment = service.validate(db.session, g.api_user, recommendation_id, country, cycle_id, json_body(),
                                  clock.now())
    return jsonify(assessment_json(assessment))


@api.get("/recommendations/<int:recommendation_id>/progress")
@endpoint("Every addressed member state's validated progress per cycle", tag="recommendations",
          replies={200: schemas.ProgressReply},
          description="Only what the user may read: a country its own and the secretariat every country; "
                      "everyone once the cycle is published (null where nothing is validated or readable).")
@token_required
def recommendation_progress(recommendation_id: int):
    table = service.progress_table(db.session, g.api_user, recommendation_id)
    return jsonify({
        "recommendation_id": table.recommendation.id,
        "cycles": [{"id": c.id, "name": c.name, "state": c.state} for c in table.cycles],
        "countries": [{"country": country.code,
                       "cycles": [{"cycle_id": c.id, "progress": table.validated(country.code, c.id)}
                                  for c in table.cycles]}
                      for country in table.countries],
    })
