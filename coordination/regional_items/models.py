"""A regional (cross-border) action item. Its parts are the national action items whose
``regional_item_id`` names it (coordination/items/models.py), one per member state."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination import clock
from coordination.extensions import db
from coordination.i18n import N_
from coordination.sqltypes import UTCDateTime

# open: a part is still open; completed: every part completed, or completed and cancelled with at
# least one completed; cancelled: every part cancelled.
STATES = ("open", "completed", "cancelled")
STATE_LABELS = {"open": N_("Open"), "completed": N_("Completed"), "cancelled": N_("Cancelled")}


def state_of(part_states) -> str:
    """The regional item's state from its parts' states."""
    states = set(part_states)
    if not states or states - {"completed", "cancelled"}:
        return "open"
    return "completed" if "completed" in states else "cancelled"


class RegionalItem(db.Model):
    __tablename__ = "regional_items"
    __table_args__ = (
        # The list, of one state or of all, by due date.
        Index("ix_regional_items_state_due", "state", "due_date", "id"),
        Index("ix_regional_items_due", "due_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="open")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by = relationship("User")
    parts = relationship("ActionItem", viewonly=True, order_by="ActionItem.country_code",
                         primaryjoin="RegionalItem.id == foreign(ActionItem.regional_item_id)")

    @property
    def country_codes(self) -> list[str]:
        return [part.country_code for part in self.parts]

    def __repr__(self) -> str:
        return f"<RegionalItem {self.id} {self.state}>"
