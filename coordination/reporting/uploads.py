"""Imports waiting between their preview and their apply: the uploaded file, kept on the server.

Why the file is kept here and not sent back by the browser: the preview page would otherwise
have to hand the file (or the judged rows) to the client and take them back on apply, and
whatever comes back could have been altered. The upload is stored once (its bytes, its name,
its SHA-256, who uploaded it for which report) and applied by its id; an id of another user or
another report is "not found". At apply time the file is judged again against the report's
values as they are then: when that judgement differs from the one the preview showed (someone
changed a value in the meantime), nothing is applied and the new preview is shown. What the
preview showed travels as a digest of its rows: a client that alters it gains nothing but a
refusal, since what is applied is always the server's own judgement of the stored file.

A pending import is removed when it is applied, when its uploader uploads another file for the
same report, and a day after its upload. Services flush; the caller commits."""
import hashlib
import json
import unicodedata
from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, delete, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.auth.policy import require
from coordination.errors import Conflict, NotFound, ValidationError
from coordination.extensions import db
from coordination.ids import as_id
from coordination.reporting import importing, reports
from coordination.reporting.models import CountryReport
from coordination.sqltypes import UTCDateTime

KEPT_FOR = timedelta(days=1)
NAME_MAX = 255


class PendingImport(db.Model):
    """A spreadsheet uploaded for import, previewed and not applied yet."""

    __tablename__ = "pending_imports"
    __table_args__ = (Index("ix_pending_imports_report_id_actor_id", "report_id", "actor_id"),
                      Index("ix_pending_imports_created_at", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("country_reports.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(NAME_MAX))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    report = relationship(CountryReport)


class PreviewChanged(Conflict):
    """The file, judged again at apply time, is not what the preview showed."""


def clean_name(name: str | None) -> str:
    """The file's own name as the history shows it: no folder, no control character, bounded."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return (base or gettext("the uploaded file"))[:NAME_MAX]


def _importable(session, actor, report_id) -> CountryReport:
    report = reports.get_report(session, actor, report_id)
    require(actor, "report.import", report)
    reports.require_editable(report)
    return report


def store(session, actor, report_id, filename: str | None, content: bytes, now: datetime,
          max_rows: int) -> PendingImport:
    """Keep an upload for its preview: ValidationError (file) when the file cannot be read at
    all (empty, not XLSX/CSV, encrypted, too many rows), and nothing is kept."""
    report = _importable(session, actor, report_id)
    try:
        importing.read_table(content, max_rows)
    except importing.FileProblem as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    session.execute(delete(PendingImport).where(or_(
        (PendingImport.report_id == report.id) & (PendingImport.actor_id == actor.id),
        PendingImport.created_at < now - KEPT_FOR)))
    pending = PendingImport(report_id=report.id, actor_id=actor.id, filename=clean_name(filename),
                            sha256=hashlib.sha256(content).hexdigest(), size=len(content), content=content,
                            created_at=now)
    session.add(pending)
    session.flush()
    return pending


def get_pending(session, actor, report: CountryReport, upload_id, now: datetime) -> PendingImport:
    """The actor's own upload for this report; NotFound for any other (or one expired or applied)."""
    pending = session.get(PendingImport, upload_id) if as_id(upload_id) else None
    if (pending is None or pending.actor_id != actor.id or pending.report_id != report.id
            or pending.created_at < now - KEPT_FOR):
        raise NotFound(gettext("There is no such upload: it was applied already, or it has expired. "
                               "Upload the file again."))
    return pending


def preview(session, actor, report_id, upload_id, now: datetime, max_rows: int):
    """(report, pending import, rows judged against the values as they are now)."""
    report = _importable(session, actor, report_id)
    pending = get_pending(session, actor, report, upload_id, now)
    try:
        table = importing.read_table(pending.content, max_rows)
    except importing.FileProblem as exc:  # the row limit was lowered since the upload
        raise ValidationError({"file": [str(exc)]}) from exc
    return report, pending, importing.judge_rows(session, actor, report, table)


def digest(rows: list[importing.Row]) -> str:
    """What a preview showed, in a form that compares: each row's number, code, status and change."""
    shown = [[r.row, r.indicator_code, r.status, r.data] for r in rows]
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


def apply(session, actor, report_id, upload_id, shown: str, now: datetime, max_rows: int
          ) -> tuple[str, int]:
    """Apply every change of the upload, or nothing: PreviewChanged when the judgement is not
    the one the preview showed, ValidationError while any row is in error. (file name, changes)."""
    report, pending, rows = preview(session, actor, report_id, upload_id, now, max_rows)
    if digest(rows) != (shown or ""):
        raise PreviewChanged(gettext("The report's values changed since your preview, so nothing was applied. "
                                     "Check the preview again before you apply."))
    applied = importing.apply_rows(session, actor, report, rows, now, pending.filename)
    name = pending.filename
    session.delete(pending)
    session.flush()
    return name, applied

