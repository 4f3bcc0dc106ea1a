"""A report's submissions in the JSON API: the list, one submission's values, and what
changed since one (API.md "Submissions")."""
from flask import g, jsonify, request

from coordination.api import api, token_required
from coordination.endpoints import endpoint
from coordination.extensions import db
from coordination.reporting import submission_schemas as schemas
from coordination.reporting import submissions


def iso(value):
    return value.isoformat() if value is not None else None


def submission_json(submission) -> dict:
    return {"number": submission.number, "submitted_at": iso(submission.submitted_at),
            "actor": submission.actor_id}


@api.get("/reports/<int:report_id>/submissions")
@endpoint("Every submission of a report, first first (whoever may read the report; observers once the "
          "cycle is published)", tag="reporting", replies={200: list[schemas.Submission]})
@token_required
def list_submissions(report_id: int):
    report = submissions.readable_report(db.session, g.api_user, report_id)
    return jsonify([submission_json(s) for s in submissions.submissions_of(db.session, report)])


@api.get("/reports/<int:report_id>/submissions/<int:number>")
@endpoint("The values of a report as submitted the Nth time", tag="reporting",
          replies={200: schemas.SubmissionValues}, description="A number the report has not reached answers 404.")
@token_required
def get_submission(report_id: int, number: int):
    report = submissions.readable_report(db.session, g.api_user, report_id)
    submission = submissions.get_submission(db.session, report, number)
    rows = submissions.submitted_values(db.session, submission)
    values = [{"indicator_code": i.code, **submissions.shown(i.unit, rows.get(i.id))}
              for i in report.cycle.template.indicators]
    return jsonify({**submission_json(submission), "values": values})


@api.get("/reports/<int:report_id>/changes")
@endpoint("The values that differ now from submission `since`, in template order", tag="reporting",
          query=schemas.ChangesQuery, replies={200: list[schemas.Change]}, errors=(422,),
          description="A `since` that is not a whole number from 1 answers 422; one the report has not "
                      "reached, 404.")
@token_required
def changes(report_id: int):
    report = submissions.readable_report(db.session, g.api_user, report_id)
    since = schemas.ChangesQuery.parse(request.args).since
    submission = submissions.get_submission(db.session, report, since)
    return jsonify([{"indicator_code": i.code,
                     "before": {"indicator_code": i.code, **submissions.shown(i.unit, before)},
                     "after": {"indicator_code": i.code, **submissions.shown(i.unit, after)}}
                    for i, before, after in submissions.changes_since(db.session, report, submission)])
