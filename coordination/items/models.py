"""Action items and their append-only history."""
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Integer, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination import clock
from coordination.appendonly import make_append_only
from coordination.extensions import db
from coordination.i18n import N_
from coordination.sqltypes import UTCDateTime


class Labels(dict):
    """Labels by code, in English (marked for the catalogue with N_), that answer in the language
    of the request: ``labels[code]``, ``get``, ``values`` and ``items`` give translated text
    (plain strings; English outside a request)."""

    def __getitem__(self, key):
        return gettext(super().__getitem__(key))

    def get(self, key, default=None):
        return self[key] if key in self else default

    def values(self):
        return [self[key] for key in self]

    def items(self):
        return [(key, self[key]) for key in self]


GUARANTEES = ("health", "children", "working_age", "older_persons", "overall", "coordination")
GUARANTEE_LABELS = Labels({
    "health": N_("Essential health care"),
    "children": N_("Income security for children"),
    "working_age": N_("Income security in active age"),
    "older_persons": N_("Income security for older persons"),
    "overall": N_("Overall"),
    "coordination": N_("Coordination"),
})
PRIORITIES = ("low", "normal", "high")

item_supporters = Table(
    "item_supporters",
    db.metadata,
    Column("item_id", ForeignKey("action_items.id", ondelete="CASCADE"), primary_key=True),
    Column("ministry_id", ForeignKey("ministries.id", ondelete="CASCADE"), primary_key=True),
)


class ActionItem(db.Model):
    __tablename__ = "action_items"
    __table_args__ = (
        # The reminder sweep looks items up by state and due date.
        Index("ix_action_items_state_due_date", "state", "due_date"),
        # Every list reads its rows in the order of one of these, never sorting a country:
        # open or closed items by due date (state and holder read from the index itself, for
        # this month's overdue counts); one state; one holding ministry (the inbox too); one
        # priority; the last updated first. The guarantee filter counts from the last one.
        Index("ix_action_items_country_due", "country_code", "due_date", "id", "state", "ministry_id"),
        Index("ix_action_items_country_state_due", "country_code", "state", "due_date", "id"),
        Index("ix_action_items_ministry_due", "ministry_id", "due_date", "id", "state"),
        Index("ix_action_items_country_priority_due", "country_code", "priority", "due_date", "id"),
        Index("ix_action_items_country_updated", "country_code", "updated_at", "id"),
        Index("ix_action_items_country_guarantee_state", "country_code", "guarantee", "state"),
        # "Assigned to me": one officer's items of the country by due date (state read from it).
        Index("ix_action_items_assignee_due", "assignee_id", "country_code", "due_date", "id", "state"),
        # Coordination health: a country's items created in a cycle's period.
        Index("ix_action_items_country_created", "country_code", "created_at", "id"),
        # The parts of a regional item (coordination/regional_items), and a country's parts.
        Index("ix_action_items_regional_item_id", "regional_item_id"),
        Index("ix_action_items_country_regional", "country_code", "regional_item_id",
              sqlite_where=text("regional_item_id IS NOT NULL"),
              postgresql_where=text("regional_item_id IS NOT NULL")),
        # A meeting's decisions, in the order they were recorded.
        Index("ix_action_items_meeting_id", "meeting_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="draft")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))
    due_date: Mapped[date] = mapped_column(Date)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    guarantee: Mapped[str | None] = mapped_column(String(20))
    # The named officer: a user of the holding ministry who has the item (None: the ministry).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The meeting whose decision the item carries out (coordination/meetings), or None.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # The regional (cross-border) item this item is the country's part of, if any.
    regional_item_id: Mapped[int | None] = mapped_column(ForeignKey("regional_items.id"))

    __mapper_args__ = {"version_id_col": version}

    country = relationship("Country")
    ministry = relationship("Ministry", foreign_keys=[ministry_id])
    supporters = relationship("Ministry", secondary=item_supporters, order_by="Ministry.acronym")
    created_by = relationship("User", foreign_keys=[created_by_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    meeting = relationship("Meeting")  # read only when meeting_id is set
    events: Mapped[list["ItemEvent"]] = relationship(
        back_populates="item", order_by="ItemEvent.id", cascade="save-update, merge"
    )

    @property
    def is_open(self) -> bool:
        return self.state not in ("completed", "cancelled")

    def is_overdue(self, today: date) -> bool:
        """Past its due date and not finished; ``today`` is the country's local date."""
        return self.is_open and self.due_date < today

    def __repr__(self) -> str:
        return f"<ActionItem {self.id} {self.state}>"


class ItemEvent(db.Model):
    """One fired trigger, one edit or one comment. Rows are only ever added."""

    __tablename__ = "item_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("action_items.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    trigger: Mapped[str] = mapped_column(String(20))  # a trigger name, "create" or "comment"
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    from_ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))
    to_ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    # The file an "attach", "detach" or "comment" event is about (coordination/attachments).
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    # For an edit: what it changed, [{field, old, new}] in the item JSON's names and forms
    # (dates in ISO 8601, ministries by id). NULL for other steps and for edits recorded before.
    changes: Mapped[list | None] = mapped_column(JSON)
    # The named officer before and after the event (plain user ids, as history keeps them).
    from_assignee_id: Mapped[int | None] = mapped_column(Integer)
    to_assignee_id: Mapped[int | None] = mapped_column(Integer)

    item: Mapped[ActionItem] = relationship(back_populates="events")
    actor = relationship("User")
    from_ministry = relationship("Ministry", foreign_keys=[from_ministry_id])
    to_ministry = relationship("Ministry", foreign_keys=[to_ministry_id])


make_append_only(ItemEvent.__table__)
