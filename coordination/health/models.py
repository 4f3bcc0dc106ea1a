"""The item figures of a member state over a finished cycle period, kept once computed.

Once a period is over its item figures cannot change: an item is dated when it is created and
each of its events when it happens, so nothing new can fall before a past cut-off. Reading them
from here instead of counting the period's items again keeps the table as fast at a million
items as at ten thousand. The period is part of the key: a cycle whose period is changed is
counted again. (Records loaded later with dates inside a finished period are not counted in a
row kept before them.)"""
from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.extensions import db
from coordination.sqltypes import UTCDateTime


class ItemFigures(db.Model):
    __tablename__ = "health_item_figures"

    cycle_id: Mapped[int] = mapped_column(ForeignKey("reporting_cycles.id", ondelete="CASCADE"), primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2), ForeignKey("countries.code"), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    period_end: Mapped[date] = mapped_column(Date, primary_key=True)
    items_created: Mapped[int] = mapped_column(Integer)
    handed_over: Mapped[int] = mapped_column(Integer)
    overdue: Mapped[int] = mapped_column(Integer)
    median_days_to_accept: Mapped[float | None] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
