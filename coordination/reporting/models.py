"""Regional reporting: monitoring templates, reporting cycles, country reports, their values,
narratives, national floors and targets, and deadline extensions."""
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination import clock
from coordination.appendonly import make_append_only
from coordination.extensions import db
from coordination.i18n import N_
from coordination.sqltypes import UTCDateTime

UNITS = ("percent", "number", "currency", "yes_no", "text")
NUMERIC_UNITS = ("percent", "number", "currency")
UNIT_LABELS = {"percent": "%", "number": N_("number"), "currency": N_("currency"), "yes_no": N_("yes/no"),
               "text": N_("text")}
AVAILABILITY = ("reported", "estimate", "not_available", "not_applicable")
AVAILABILITY_LABELS = {
    "reported": N_("Reported"),
    "estimate": N_("Estimate"),
    "not_available": N_("Not available"),
    "not_applicable": N_("Not applicable"),
}
DIRECTIONS = ("higher", "lower")  # which way an indicator's figures are better
DISAGGREGATIONS = ("sex", "age_group")
DISAGGREGATION_KEYS = {"sex": ("female", "male"), "age_group": ("0-14", "15-64", "65+")}
# The guarantees that carry a narrative (the assessment matrix of ILO's ABND).
NARRATIVE_GUARANTEES = ("health", "children", "working_age", "older_persons")
NARRATIVE_SECTIONS = ("existing_schemes", "policy_gaps", "implementation_issues", "recommendations")


def value_of(unit: str, number, flag, text):
    """The value in its unit's JSON form, from the column the unit stores it in."""
    if unit == "yes_no":
        return flag
    if unit == "text":
        return text
    return number


class MonitoringTemplate(db.Model):
    __tablename__ = "monitoring_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_templates.id"))
    # The checks of its values, as data (reporting/checks.py reads them): a list of rules.
    rules: Mapped[list | None] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="template", order_by="Indicator.position", cascade="all, delete-orphan"
    )


class Indicator(db.Model):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("template_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("monitoring_templates.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(40), index=True)  # the direction of a code, for its targets
    name: Mapped[str] = mapped_column(String(300))
    definition: Mapped[str] = mapped_column(Text, default="")
    guarantee: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(10))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    disaggregations: Mapped[list] = mapped_column(JSON, default=list)
    # ``higher`` is better (coverage), or ``lower`` (out-of-pocket spending): floors, targets
    # and their classification read the other way for ``lower``.
    better: Mapped[str] = mapped_column(String(10), default="higher", server_default="higher")

    template: Mapped[MonitoringTemplate] = relationship(back_populates="indicators")


class ReportingCycle(db.Model):
    __tablename__ = "reporting_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("monitoring_templates.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    template: Mapped[MonitoringTemplate] = relationship()
    reports: Mapped[list["CountryReport"]] = relationship(back_populates="cycle", order_by="CountryReport.country_code")
    extensions: Mapped[list["Extension"]] = relationship(back_populates="cycle", order_by="Extension.id")

    # Cycles are regional: every signed-in user may know that they exist.
    shared_directory = True


class CycleEvent(db.Model):
    """A cycle's history: its transitions and its extensions. Append-only."""

    __tablename__ = "cycle_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("reporting_cycles.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    trigger: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    comment: Mapped[str] = mapped_column(Text, default="")

    actor = relationship("User")


class Extension(db.Model):
    """A later deadline granted to one country for one cycle. Rows are kept; the latest counts."""

    __tablename__ = "extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("reporting_cycles.id"), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    deadline: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    cycle: Mapped[ReportingCycle] = relationship(back_populates="extensions")
    granted_by = relationship("User")


class CountryReport(db.Model):
    __tablename__ = "country_reports"
    __table_args__ = (UniqueConstraint("cycle_id", "country_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("reporting_cycles.id"), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="not_started", index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    first_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __mapper_args__ = {"version_id_col": version}

    cycle: Mapped[ReportingCycle] = relationship(back_populates="reports")
    country = relationship("Country")
    values: Mapped[list["IndicatorValue"]] = relationship(back_populates="report")
    narratives: Mapped[list["Narrative"]] = relationship(back_populates="report")
    events: Mapped[list["ReportEvent"]] = relationship(order_by="ReportEvent.id")
    queries: Mapped[list["ReportQuery"]] = relationship(order_by="ReportQuery.id")


class ReportEvent(db.Model):
    __tablename__ = "report_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("country_reports.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    trigger: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    # The file an "attach" or "detach" event is about (coordination/attachments).
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))

    actor = relationship("User")


class ReportQuery(db.Model):
    """A question of the secretariat on one indicator (or narrative section), sent back
    with the report; the country answers it when it revises."""

    __tablename__ = "report_queries"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("country_reports.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("report_events.id"))
    indicator_code: Mapped[str] = mapped_column(String(40))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class IndicatorValue(db.Model):
    """One indicator of one report: who supplies it (and the data request), and the value."""

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("report_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("country_reports.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("action_items.id"), unique=True)
    availability: Mapped[str | None] = mapped_column(String(20))
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    flag: Mapped[bool | None] = mapped_column(Boolean)
    breakdown: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # The year the figure describes, where it differs from the end of the cycle's period
    # (a baseline holds each member state's latest published year); None: that year.
    reference_year: Mapped[int | None] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    report: Mapped[CountryReport] = relationship(back_populates="values")
    indicator: Mapped[Indicator] = relationship()
    ministry = relationship("Ministry")
    item = relationship("ActionItem")

    @property
    def holding_ministry_id(self) -> int | None:
        """The ministry that supplies the value now: a data request follows its action item
        through hand-overs and transfers; ``ministry_id`` is the ministry first asked."""
        return self.item.ministry_id if self.item is not None else self.ministry_id

    @property
    def holding_ministry(self):
        return self.item.ministry if self.item is not None else self.ministry

    @property
    def value(self):
        """The value in its unit's JSON form: a number, true/false, a string, or None."""
        return value_of(self.indicator.unit, self.number, self.flag, self.text)

    @property
    def year(self) -> int:
        """The year the figure describes."""
        return self.reference_year or self.report.cycle.period_end.year

    @property
    def answered(self) -> bool:
        """A value, or a flag that says why there is none."""
        if self.availability in ("not_available", "not_applicable"):
            return bool(self.reason.strip())
        return self.availability in ("reported", "estimate") and self.value is not None


narrative_items = Table(
    "narrative_items",
    db.metadata,
    Column("narrative_id", ForeignKey("narratives.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("action_items.id", ondelete="CASCADE"), primary_key=True),
)


class Narrative(db.Model):
    """The assessment matrix of one guarantee in one report, with its self-rating."""

    __tablename__ = "narratives"
    __table_args__ = (UniqueConstraint("report_id", "guarantee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("country_reports.id"), index=True)
    guarantee: Mapped[str] = mapped_column(String(20))
    existing_schemes: Mapped[str] = mapped_column(Text, default="")
    policy_gaps: Mapped[str] = mapped_column(Text, default="")
    implementation_issues: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    self_rating: Mapped[int | None] = mapped_column(Integer)

    report: Mapped[CountryReport] = relationship(back_populates="narratives")
    # The action items that carry out this guarantee's recommendations.
    items = relationship("ActionItem", secondary=narrative_items, order_by="ActionItem.id")


class NationalTarget(db.Model):
    """A country's floor (minimum national standard) and target for one indicator code."""

    __tablename__ = "national_targets"
    __table_args__ = (UniqueConstraint("country_code", "indicator_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    floor: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    target_year: Mapped[int | None] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ValueChange(db.Model):
    """One saved change of an indicator value (its value, flag, reason or note): who, when,
    and the state it left. Append-only; the first row of a value is its first entry."""

    __tablename__ = "value_changes"
    __table_args__ = (Index("ix_value_changes_value_id_id", "value_id", "id"),
                      Index("ix_value_changes_report_id_value_id", "report_id", "value_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("indicator_values.id"))
    report_id: Mapped[int] = mapped_column(ForeignKey("country_reports.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Where the change came from: page, api, data_request, import, migration, demo.
    source: Mapped[str] = mapped_column(String(40), default="")
    import_name: Mapped[str | None] = mapped_column(String(255))  # the file of an import
    availability: Mapped[str | None] = mapped_column(String(20))
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    flag: Mapped[bool | None] = mapped_column(Boolean)
    breakdown: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")

    actor = relationship("User")


for _table in (CycleEvent.__table__, ReportEvent.__table__, ValueChange.__table__):
    make_append_only(_table)


class ReportSubmission(db.Model):
    """One submission of a country report (1, 2, ... in order): when and by whom. Append-only;
    its values as submitted are its SubmittedValue rows."""

    __tablename__ = "report_submissions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("country_reports.id"))
    number: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    actor = relationship("User")


class SubmittedValue(db.Model):
    """One indicator value as it stood when the report was submitted (the tracked columns of
    reporting/history.py, with the ministry holding it and its data request). Append-only."""

    __tablename__ = "submitted_values"
    __table_args__ = (UniqueConstraint("submission_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("report_submissions.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("action_items.id"))
    availability: Mapped[str | None] = mapped_column(String(20))
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    flag: Mapped[bool | None] = mapped_column(Boolean)
    breakdown: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


for _table in (ReportSubmission.__table__, SubmittedValue.__table__):
    make_append_only(_table)
