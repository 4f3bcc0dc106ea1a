"""Attachments: store a file on an action item or a country report, list them, read one's
bytes chunk by chunk, hide one. Services flush; the caller commits.

A file is checked before anything is written: its size (over the limit: 413), its content
(empty: 422; a type outside the allow-list, whatever its name says: 415). Every upload and
removal leaves a history event of its item (item_events) or report (report_events)."""
import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import BinaryIO

from flask_babel import gettext
from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import selectinload

from coordination.attachments import files, schemas
from coordination.attachments.models import CHUNK_BYTES, Attachment, AttachmentChunk
from coordination.auth.policy import may, may_see, require
from coordination.errors import Conflict, DomainError, NotFound, ValidationError
from coordination.i18n import format_number
from coordination.ids import as_id
from coordination.items import service as items
from coordination.items.models import ActionItem, ItemEvent
from coordination.items.schemas import ItemComment
from coordination.practices import service as practices
from coordination.reporting import reports
from coordination.reporting.models import CountryReport, IndicatorValue, ReportEvent


class TooLarge(DomainError):
    status, code = 413, "payload_too_large"


class UnsupportedType(DomainError):
    status, code = 415, "unsupported_media_type"


@dataclass
class Upload:
    """A file as it came: the name the sender gave and its bytes (a seekable binary stream)."""

    filename: str | None
    stream: BinaryIO | None


def no_file_error() -> ValidationError:
    return ValidationError({"file": [gettext("Choose a file to upload.")]})


# -- checking and storing ---------------------------------------------------------------------

def _measure(stream, max_bytes: int) -> tuple[int, str]:
    """(size, sha256) of the stream's bytes, read a chunk at a time; TooLarge past ``max_bytes``."""
    stream.seek(0)
    size, digest = 0, hashlib.sha256()
    while True:
        data = stream.read(CHUNK_BYTES)
        if not data:
            return size, digest.hexdigest()
        size += len(data)
        if size > max_bytes:
            raise TooLarge(gettext("The file is larger than %(limit)s MB, the most an attachment may be.",
                                   limit=format_number(max_bytes / (1024 * 1024), 1)), limit=max_bytes)
        digest.update(data)


def _store(session, actor, upload: Upload, description: str, now: datetime, max_bytes: int, *,
           country_code: str, item_id=None, report_id=None, indicator_code=None, practice_id=None,
           meeting_id=None) -> Attachment:
    if upload is None or upload.stream is None or not (upload.filename or "").strip():
        raise no_file_error()
    size, sha256 = _measure(upload.stream, max_bytes)
    if size == 0:
        raise ValidationError({"file": [gettext("The file is empty: choose a file with something in it.")]})
    filename = files.safe_filename(upload.filename)
    content_type = files.judge(upload.stream, filename, CHUNK_BYTES).content_type
    if content_type is None:
        raise UnsupportedType(gettext(files.UNSUPPORTED, types=files.ACCEPTED_NAMES), accepted=files.ACCEPTED_NAMES)
    attachment = Attachment(
        country_code=country_code, item_id=item_id, report_id=report_id, practice_id=practice_id,
        meeting_id=meeting_id, indicator_code=indicator_code or None,
        filename=filename, content_type=content_type, size=size, sha256=sha256, description=description,
        uploaded_by_id=actor.id, uploaded_at=now)
    session.add(attachment)
    session.flush()
    upload.stream.seek(0)
    number = 0
    while data := upload.stream.read(CHUNK_BYTES):
        # Core inserts: the session keeps no copy of the bytes.
        session.execute(insert(AttachmentChunk), {"attachment_id": attachment.id, "number": number, "data": data})
        number += 1
    return attachment


def _item_event(session, item: ActionItem, actor, trigger: str, attachment: Attachment, now: datetime,
                comment: str) -> ItemEvent:
    event = ItemEvent(item=item, at=now, actor_id=actor.id, trigger=trigger, from_state=item.state,
                      to_state=item.state, from_ministry_id=item.ministry_id, to_ministry_id=item.ministry_id,
                      comment=comment, attachment_id=attachment.id)
    session.add(event)
    return event


def _report_event(session, report: CountryReport, actor, trigger: str, attachment: Attachment,
                  now: datetime) -> ReportEvent:
    event = ReportEvent(report_id=report.id, at=now, actor_id=actor.id, trigger=trigger, from_state=report.state,
                        to_state=report.state, comment=attachment.filename, attachment_id=attachment.id)
    session.add(event)
    return event


def attach_to_item(session, actor, item_id, upload: Upload, data: dict, now: datetime,
                   max_bytes: int) -> Attachment:
    """A file on the item, by whoever may comment on it."""
    item = items.get_item(session, actor, item_id)
    require(actor, "item.attach", item)
    body = schemas.ItemUpload.parse({"file": None, **data})
    attachment = _store(session, actor, upload, body.description, now, max_bytes,
                        country_code=item.country_code, item_id=item.id)
    _item_event(session, item, actor, "attach", attachment, now, attachment.filename)
    session.flush()
    return attachment


def comment_with_file(session, actor, item_id, comment: str, upload: Upload, now: datetime,
                      max_bytes: int) -> ItemEvent:
    """A comment carrying a file: one history event names both."""
    item = items.get_item(session, actor, item_id)
    require(actor, "item.attach", item)
    text = ItemComment.parse({"comment": comment}).comment
    attachment = _store(session, actor, upload, "", now, max_bytes, country_code=item.country_code,
                        item_id=item.id)
    return items.add_comment(session, actor, item.id, text, now, attachment_id=attachment.id)


def attach_to_report(session, actor, report_id, upload: Upload, data: dict, now: datetime,
                     max_bytes: int) -> Attachment:
    """A file on the report (optionally evidence for one indicator), by whoever may edit it,
    while it takes changes."""
    report = reports.get_report(session, actor, report_id)
    require(actor, "report.attach", report)
    body = schemas.ReportUpload.parse({"file": None, **data})
    code = body.indicator_code or None
    if code is not None and reports.indicator_of(report, code) is None:
        raise ValidationError({"indicator_code": [reports.not_in_template(code)]})
    if not reports.is_editable(report):
        raise Conflict(gettext("The report takes no new files now: it is submitted, or its cycle is not open."))
    attachment = _store(session, actor, upload, body.description, now, max_bytes,
                        country_code=report.country_code, report_id=report.id, indicator_code=code)
    _report_event(session, report, actor, "attach", attachment, now)
    session.flush()
    return attachment


def attach_to_practice(session, actor, practice_id, upload: Upload, data: dict, now: datetime,
                       max_bytes: int) -> Attachment:
    """A file on a good practice, by its country's coordinator (draft or published)."""
    practice = practices.get_practice(session, actor, practice_id)
    require(actor, "practice.attach", practice)
    body = schemas.ItemUpload.parse({"file": None, **data})
    attachment = _store(session, actor, upload, body.description, now, max_bytes,
                        country_code=practice.country_code, practice_id=practice.id)
    session.flush()
    return attachment


def attach_to_meeting(session, actor, meeting, upload: Upload, data: dict, now: datetime,
                      max_bytes: int) -> Attachment:
    """A file on a national meeting (``meeting`` as its service read it for ``actor``), by the
    coordinator who may edit it; a regional meeting takes none (422)."""
    if meeting.country_code is None:
        raise ValidationError({"file": [gettext("Only the meetings of a national coordination mechanism take "
                                                "files: this is a meeting of the regional network.")]})
    require(actor, "meeting.attach", meeting)
    body = schemas.ItemUpload.parse({"file": None, **data})
    attachment = _store(session, actor, upload, body.description, now, max_bytes,
                        country_code=meeting.country_code, meeting_id=meeting.id)
    session.flush()
    return attachment


# -- reading ------------------------------------------------------------------------------------

def get_attachment(session, actor, attachment_id) -> Attachment:
    """The file, if ``actor`` may read what it is attached to and it is not hidden; else
    NotFound (another country's file is absent, whatever its id)."""
    attachment = session.get(Attachment, attachment_id) if as_id(attachment_id) else None
    if attachment is None or not may_see(actor, attachment) or not may(actor, "attachment.read", attachment):
        raise NotFound(gettext("There is no such file."))
    return attachment


@cache
def _chunk_statement():
    table = AttachmentChunk.__table__
    return select(table.c.data).where(table.c.attachment_id == bindparam("attachment_id"),
                                      table.c.number == bindparam("number"))


def chunks(session, attachment: Attachment):
    """The file's bytes, one chunk (one row, read by its key) at a time."""
    attachment_id, number = attachment.id, 0
    while True:
        data = session.scalar(_chunk_statement(), {"attachment_id": attachment_id, "number": number})
        if data is None:
            return
        yield bytes(data)
        number += 1


_LISTED = (selectinload(Attachment.uploaded_by),)


def of_item(session, actor, item_id) -> list[Attachment]:
    """The files of the item the actor may read, oldest first (hidden ones left out)."""
    item = items.get_item(session, actor, item_id)
    return list(session.scalars(select(Attachment).where(Attachment.item_id == item.id,
                                                         Attachment.removed_at.is_(None))
                                .order_by(Attachment.id).options(*_LISTED)))


def of_practice(session, practice) -> list[Attachment]:
    """The files of a practice the caller may read, oldest first (hidden ones left out)."""
    return list(session.scalars(select(Attachment).where(Attachment.practice_id == practice.id,
                                                         Attachment.removed_at.is_(None))
                                .order_by(Attachment.id).options(*_LISTED)))


def of_meeting(session, meeting) -> list[Attachment]:
    """The files of a meeting the caller may read, oldest first (hidden ones left out): one query."""
    if meeting.country_code is None:
        return []
    return list(session.scalars(select(Attachment).where(Attachment.meeting_id == meeting.id,
                                                         Attachment.removed_at.is_(None))
                                .order_by(Attachment.id).options(*_LISTED)))


def every_file_of_item(session, item_id: int) -> list[Attachment]:
    """Every file of an item the caller may read, hidden ones too (its history names them)."""
    return list(session.scalars(select(Attachment).where(Attachment.item_id == item_id)
                                .order_by(Attachment.id).options(*_LISTED)))


def of_report(session, actor, report: CountryReport) -> list[Attachment]:
    """The report's own files and, for a reader of the country's items, those of its data
    requests (each shown on its indicator), oldest first."""
    own = list(session.scalars(select(Attachment).where(Attachment.report_id == report.id,
                                                        Attachment.removed_at.is_(None))
                               .order_by(Attachment.id).options(*_LISTED)))
    requested = []
    if may(actor, "item.read", _Country(report.country_code)):
        requests = (select(IndicatorValue.item_id).where(IndicatorValue.report_id == report.id,
                                                         IndicatorValue.item_id.is_not(None)))
        # One index search per data request (ix_attachments_item_id_id); sorted below.
        requested = list(session.scalars(select(Attachment).where(Attachment.item_id.in_(requests),
                                                                  Attachment.removed_at.is_(None))
                                         .options(*_LISTED)))
    return sorted(own + requested, key=lambda a: a.id)


@dataclass(frozen=True)
class _Country:
    """What the policy asks of an item of this country, for a question about all of them."""

    country_code: str


def indicator_codes(session, report: CountryReport, attachments: list[Attachment]) -> dict[int, str | None]:
    """The indicator each file is evidence for: its own, or its data request's."""
    by_item = dict(session.execute(select(IndicatorValue.item_id, IndicatorValue.indicator_id)
                                   .where(IndicatorValue.report_id == report.id,
                                          IndicatorValue.item_id.is_not(None))).all())
    codes = {i.id: i.code for i in report.cycle.template.indicators}
    return {a.id: a.indicator_code if a.report_id is not None else codes.get(by_item.get(a.item_id))
            for a in attachments}


def by_indicator(session, actor, report: CountryReport) -> dict[str | None, list[Attachment]]:
    """The report's files by indicator code (None: the whole report)."""
    found = of_report(session, actor, report)
    codes = indicator_codes(session, report, found)
    grouped: dict[str | None, list[Attachment]] = {}
    for attachment in found:
        grouped.setdefault(codes[attachment.id], []).append(attachment)
    return grouped


# -- hiding ---------------------------------------------------------------------------------------

def remove_attachment(session, actor, attachment_id, now: datetime) -> Attachment:
    """Hide the file (its uploader, or the coordinator of its country): the row and the bytes
    stay, and the history of its item or report says who removed it."""
    attachment = get_attachment(session, actor, attachment_id)
    require(actor, "attachment.remove", attachment)
    attachment.removed_at, attachment.removed_by_id = now, actor.id
    if attachment.item_id is not None:
        _item_event(session, attachment.item, actor, "detach", attachment, now, attachment.filename)
    elif attachment.practice_id is not None or attachment.meeting_id is not None:
        pass  # a practice or a meeting keeps no history of its own: the row says who removed the file and when
    else:
        _report_event(session, attachment.report, actor, "detach", attachment, now)
    session.flush()
    return attachment
