"""Member states, their ministries and agencies, and their coordination mechanisms."""
from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.extensions import db

SECTORS = (
    "social_welfare",
    "labour",
    "health",
    "social_security",
    "finance",
    "planning",
    "education",
    "rural_development",
    "local_government",
    "coordination",
)


class Country(db.Model):
    __tablename__ = "countries"
    shared_directory = True  # readable by every signed-in user

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))

    ministries: Mapped[list["Ministry"]] = relationship(
        back_populates="country", order_by="Ministry.name"
    )
    mechanism: Mapped["Mechanism | None"] = relationship(back_populates="country")

    @property
    def country_code(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"<Country {self.code}>"


class Ministry(db.Model):
    """A ministry or agency of one member state."""

    __tablename__ = "ministries"
    shared_directory = True
    __table_args__ = (UniqueConstraint("country_code", "acronym"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    acronym: Mapped[str] = mapped_column(String(40))
    sector: Mapped[str] = mapped_column(String(40))

    country: Mapped[Country] = relationship(back_populates="ministries")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.acronym})"

    def __repr__(self) -> str:
        return f"<Ministry {self.country_code} {self.acronym}>"


mechanism_members = Table(
    "mechanism_members",
    db.metadata,
    Column("mechanism_id", ForeignKey("mechanisms.id", ondelete="CASCADE"), primary_key=True),
    Column("ministry_id", ForeignKey("ministries.id", ondelete="CASCADE"), primary_key=True),
)


class Mechanism(db.Model):
    """A country's inter-sectoral coordination mechanism (e.g. a social protection council)."""

    __tablename__ = "mechanisms"
    shared_directory = True

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    acronym: Mapped[str | None] = mapped_column(String(40))
    reporting_ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))
    focal_point_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    country: Mapped[Country] = relationship(back_populates="mechanism")
    members: Mapped[list[Ministry]] = relationship(
        secondary=mechanism_members, order_by=Ministry.name
    )
    reporting_ministry: Mapped[Ministry | None] = relationship()
    focal_point = relationship("User", foreign_keys=[focal_point_id])
