"""Recommendations of the regional network, the member states they address, and each addressed
country's assessment of its progress per reporting cycle, with an append-only history."""
from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination import clock
from coordination.appendonly import make_append_only
from coordination.extensions import db
from coordination.i18n import N_
from coordination.sqltypes import UTCDateTime

# The five levels of implementation (as the European Semester assesses its recommendations),
# from none to full: the chart draws them 0 to 4.
PROGRESS = ("no_progress", "limited", "some", "substantial", "full")
PROGRESS_LABELS = {
    "no_progress": N_("No progress"),
    "limited": N_("Limited progress"),
    "some": N_("Some progress"),
    "substantial": N_("Substantial progress"),
    "full": N_("Full implementation"),
}
ASSESSED, VALIDATED = "assessed", "validated"

# The member states a recommendation addresses. The primary key serves a recommendation's
# countries; the second index, a country's recommendations (newest first through the id).
recommendation_countries = Table(
    "recommendation_countries", db.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
    Column("country_code", ForeignKey("countries.code", ondelete="CASCADE"), primary_key=True),
    Index("ix_recommendation_countries_country_code", "country_code", "recommendation_id"),
)

# The action items of the assessed country that carry the recommendation out.
assessment_items = Table(
    "assessment_items", db.metadata,
    Column("assessment_id", ForeignKey("recommendation_assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("action_items.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_assessment_items_item_id", "item_id"),
)


class Recommendation(db.Model):
    __tablename__ = "recommendations"
    __table_args__ = (
        # The list by guarantee, newest first.
        Index("ix_recommendations_guarantee_id", "guarantee", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    guarantee: Mapped[str | None] = mapped_column(String(20))
    # True when it was adopted for "all" member states (the countries table still lists them).
    all_countries: Mapped[bool] = mapped_column(default=False)
    adopted_on: Mapped[date] = mapped_column(Date)
    horizon_year: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    countries = relationship("Country", secondary=recommendation_countries, order_by="Country.code")

    # Every signed-in user reads the network's recommendations.
    shared_directory = True

    def __repr__(self) -> str:
        return f"<Recommendation {self.id} {self.title!r}>"


class Assessment(db.Model):
    """One addressed country's assessment of one recommendation in one reporting cycle: the
    progress it claims, its evidence and items, and the secretariat's validated level."""

    __tablename__ = "recommendation_assessments"
    __table_args__ = (
        # Once per recommendation, country and cycle; it serves a recommendation's table too.
        UniqueConstraint("recommendation_id", "country_code", "cycle_id", name="uq_recommendation_assessments_slot"),
        # A country's assessments of a cycle (its report's panel, the print view, the reminder).
        Index("ix_recommendation_assessments_cycle_country", "cycle_id", "country_code"),
        # A country's assessments of every recommendation (its page of recommendations).
        Index("ix_recommendation_assessments_country", "country_code", "recommendation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("reporting_cycles.id"))
    state: Mapped[str] = mapped_column(String(20), default=ASSESSED)
    progress: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text, default="")
    assessed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    validated_progress: Mapped[str | None] = mapped_column(String(20))
    validation_comment: Mapped[str] = mapped_column(Text, default="")
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recommendation: Mapped[Recommendation] = relationship()
    cycle = relationship("ReportingCycle")
    items = relationship("ActionItem", secondary=assessment_items, order_by="ActionItem.id")
    events: Mapped[list["AssessmentEvent"]] = relationship(order_by="AssessmentEvent.id",
                                                           back_populates="assessment")

    @property
    def revised(self) -> bool:
        return self.validated_progress is not None and self.validated_progress != self.progress


class AssessmentEvent(db.Model):
    """The history of an assessment: each rating by the country and each validation by the
    secretariat, as it was then. Append-only."""

    __tablename__ = "assessment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("recommendation_assessments.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20))  # "assess" or "validate"
    progress: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    item_ids: Mapped[list | None] = mapped_column(JSON, default=list)

    assessment: Mapped[Assessment] = relationship(back_populates="events")
    actor = relationship("User")


make_append_only(AssessmentEvent.__table__)
