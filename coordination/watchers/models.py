"""Who watches which action item. A row is a current watcher: stopping deletes it."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination import clock
from coordination.extensions import db
from coordination.sqltypes import UTCDateTime


class ItemWatcher(db.Model):
    """``user`` watches ``item`` since ``since``: they get a notice of each of its events."""

    __tablename__ = "item_watchers"
    __table_args__ = (
        # The items a user watches (and the cascade when a user goes); the primary key serves
        # an item's watchers.
        Index("ix_item_watchers_user_id", "user_id"),
    )

    item_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<ItemWatcher item {self.item_id} user {self.user_id}>"
