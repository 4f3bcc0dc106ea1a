"""Attachments (evidence documents) of action items, country reports, good practices and national
meetings: one row of metadata,
the bytes in chunks of a table of their own (PostgreSQL bytea, SQLite BLOB), so that a
download reads one chunk at a time and no page query ever touches the bytes."""
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.extensions import db
from coordination.sqltypes import UTCDateTime

CHUNK_BYTES = 1024 * 1024  # the bytes of one chunk row
# Exactly one parent: an item, a report, a good practice or a national meeting.
PARENTS = ("item_id", "report_id", "practice_id", "meeting_id")
ONE_PARENT = " + ".join(f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column in PARENTS) + " = 1"


class Attachment(db.Model):
    """A file attached to an action item or to a country report (there optionally to one of
    its indicators). Removing it hides it: the row and its bytes stay, with who and when."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(ONE_PARENT, name="one_parent"),
        # The files of an item or a report, in the order they came.
        Index("ix_attachments_item_id_id", "item_id", "id"),
        Index("ix_attachments_report_id_id", "report_id", "id"),
        Index("ix_attachments_practice_id_id", "practice_id", "id"),
        Index("ix_attachments_meeting_id_id", "meeting_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("action_items.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("country_reports.id"))
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    indicator_code: Mapped[str | None] = mapped_column(String(50))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    item = relationship("ActionItem")
    report = relationship("CountryReport")
    practice = relationship("Practice")
    meeting = relationship("Meeting")
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])
    removed_by = relationship("User", foreign_keys=[removed_by_id])

    @property
    def parent(self):
        """The item, the report, the practice or the meeting the file belongs to."""
        if self.practice_id is not None:
            return self.practice
        if self.meeting_id is not None:
            return self.meeting
        return self.item if self.item_id is not None else self.report

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.filename!r}>"


class AttachmentChunk(db.Model):
    """Chunk ``number`` (from 0) of an attachment's bytes."""

    __tablename__ = "attachment_chunks"

    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
