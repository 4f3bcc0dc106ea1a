"""A good practice of a member state, and the questions asked below it.

A practice is written by a coordinator for their country as a ``draft`` (seen by that country's
coordinators and ministry staff only), then ``published`` to every signed-in user, observers
included; it may be withdrawn to a draft again. Its contact is a user of the country, or a
name and an e-mail address."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination import clock
from coordination.extensions import db
from coordination.i18n import N_
from coordination.sqltypes import UTCDateTime

STATES = ("draft", "published")
STATE_LABELS = {"draft": N_("Draft"), "published": N_("Published")}
# trigger: (from state, to state)
TRIGGERS = {"publish": ("draft", "published"), "withdraw": ("published", "draft")}


class Practice(db.Model):
    __tablename__ = "practices"
    __table_args__ = (
        # The library newest first (published ones), by guarantee, and a country's own.
        Index("ix_practices_state_id", "state", "id"),
        Index("ix_practices_guarantee_state_id", "guarantee", "state", "id"),
        Index("ix_practices_country_state_id", "country_code", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    guarantee: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    contact_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}

    country = relationship("Country")
    contact_user = relationship("User", foreign_keys=[contact_user_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    questions = relationship("PracticeQuestion", order_by="PracticeQuestion.id", back_populates="practice")

    @property
    def published(self) -> bool:
        return self.state == "published"

    @property
    def contact(self) -> tuple[str, str]:
        """(name, e-mail) of whom to ask: the named user, else the name and address written."""
        if self.contact_user is not None:
            return self.contact_user.name, self.contact_user.email
        return self.contact_name, self.contact_email

    def __repr__(self) -> str:
        return f"<Practice {self.id} {self.country_code} {self.state}>"


class PracticeQuestion(db.Model):
    """A question asked below a published practice, and the answer of its country."""

    __tablename__ = "practice_questions"
    __table_args__ = (Index("ix_practice_questions_practice_id_id", "practice_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    practice = relationship("Practice", back_populates="questions")
    author = relationship("User", foreign_keys=[author_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])

    @property
    def country_code(self) -> str:
        return self.practice.country_code
