"""A meeting of a national coordination mechanism (``country_code`` set: the ministries of that
country attend) or of the regional network (``country_code`` None: member states attend)."""
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination import clock
from coordination.extensions import db
from coordination.sqltypes import UTCDateTime

# Who attended: ministries for a national meeting, member states for a regional one. The
# primary keys serve a meeting's attendees; the second indexes, who attended what.
meeting_ministries = Table(
    "meeting_ministries", db.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("ministry_id", ForeignKey("ministries.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_meeting_ministries_ministry_id", "ministry_id"),
)
meeting_countries = Table(
    "meeting_countries", db.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("country_code", ForeignKey("countries.code", ondelete="CASCADE"), primary_key=True),
    Index("ix_meeting_countries_country_code", "country_code"),
)


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        # A country's meetings (or, country NULL, the regional network's) newest first, and the
        # ones held within a cycle's period.
        Index("ix_meetings_country_held_on", "country_code", "held_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __mapper_args__ = {"version_id_col": version}

    country = relationship("Country")
    created_by = relationship("User")
    ministries = relationship("Ministry", secondary=meeting_ministries, order_by="Ministry.acronym")
    countries = relationship("Country", secondary=meeting_countries, order_by="Country.code")

    @property
    def is_regional(self) -> bool:
        return self.country_code is None

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.country_code or 'regional'} {self.held_on}>"
