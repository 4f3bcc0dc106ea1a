"""The submissions of a country report: every ``submit`` keeps one numbered snapshot of the
report's values as submitted (append-only), so that the secretariat can see what a returned
report changed when it comes back. Services flush; the caller commits."""
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordination.auth.policy import may, may_see
from coordination.errors import NotFound
from coordination.ids import as_id
from coordination.reporting.history import TRACKED
from coordination.reporting.models import CountryReport, IndicatorValue, ReportSubmission, SubmittedValue, value_of


def snapshot(session, actor, report: CountryReport, now: datetime) -> ReportSubmission:
    """Keep the values of ``report`` as they are now as its next submission."""
    last = session.scalar(select(ReportSubmission.number).where(ReportSubmission.report_id == report.id)
                          .order_by(ReportSubmission.number.desc()).limit(1))
    submission = ReportSubmission(report_id=report.id, number=(last or 0) + 1, submitted_at=now,
                                  actor_id=actor.id if actor else None)
    session.add(submission)
    session.flush()
    session.add_all([SubmittedValue(submission_id=submission.id, indicator_id=row.indicator_id,
                                    ministry_id=row.holding_ministry_id, item_id=row.item_id,
                                    **{name: getattr(row, name) for name in TRACKED})
                     for row in report.values if row.availability is not None])
    session.flush()
    return submission


def readable_report(session, actor, report_id) -> CountryReport:
    """The report whose submissions ``actor`` may read: whoever may read the report (its
    country's users, the secretariat once submitted); 404 for everybody else."""
    report = session.get(CountryReport, report_id) if as_id(report_id) else None
    if report is None or not (may_see(actor, report) and may(actor, "report.read", report)):
        raise NotFound(gettext("There is no such report."))
    return report


def submissions_of(session, report: CountryReport) -> list[ReportSubmission]:
    """Every submission of the report, first first, with who made it (one query)."""
    return list(session.scalars(select(ReportSubmission).where(ReportSubmission.report_id == report.id)
                                .options(joinedload(ReportSubmission.actor)).order_by(ReportSubmission.number)))


def get_submission(session, report: CountryReport, number) -> ReportSubmission:
    submission = session.scalar(select(ReportSubmission).where(
        ReportSubmission.report_id == report.id, ReportSubmission.number == number)) if as_id(number) else None
    if submission is None:
        raise NotFound(gettext("This report has no such submission."))
    return submission


def submitted_values(session, submission: ReportSubmission) -> dict[int, SubmittedValue]:
    """The values of a submission by indicator id (one query)."""
    rows = session.scalars(select(SubmittedValue).where(SubmittedValue.submission_id == submission.id))
    return {row.indicator_id: row for row in rows}


def state(row: IndicatorValue | SubmittedValue | None) -> tuple | None:
    if row is None or row.availability is None:
        return None
    return tuple(getattr(row, name) for name in TRACKED)


def shown(unit: str, row) -> dict:
    """A value (now or as submitted) in the API's shape of a report's values, without its code."""
    if row is None or row.availability is None:
        return {"value": None, "availability": None, "reason": "", "ministry_id": None, "note": "",
                "breakdown": None, "data_request_id": None}
    ministry = row.holding_ministry_id if isinstance(row, IndicatorValue) else row.ministry_id
    return {"value": value_of(unit, row.number, row.flag, row.text), "availability": row.availability,
            "reason": row.reason or "", "ministry_id": ministry, "note": row.note or "",
            "breakdown": row.breakdown, "data_request_id": row.item_id}


def differences(report: CountryReport, before: dict, after: dict) -> list[tuple]:
    """(indicator, before row, after row) of every indicator whose value differs, in template order."""
    return [(indicator, before.get(indicator.id), after.get(indicator.id))
            for indicator in report.cycle.template.indicators
            if state(before.get(indicator.id)) != state(after.get(indicator.id))]


def changes_since(session, report: CountryReport, submission: ReportSubmission) -> list[tuple]:
    """What differs now from ``submission``."""
    return differences(report, submitted_values(session, submission), {v.indicator_id: v for v in report.values})


def changes_of_last(session, report: CountryReport, listed: list[ReportSubmission]) -> list[tuple] | None:
    """What the latest submission changed from the one before (None before a second one)."""
    if len(listed) < 2:
        return None
    return differences(report, submitted_values(session, listed[-2]), submitted_values(session, listed[-1]))
