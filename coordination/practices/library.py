"""The good-practice library: the practices a user may read, newest first, filtered by
guarantee, member state and words (the search's full-text index), one page at a time.

A user reads the published practices of every member state, and the drafts of their own
country when they are its coordinator or ministry staff (auth/policy.py, "Practice"). Each
branch is read by an index ((state, id), (guarantee, state, id), (country, state, id)).
"""
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from coordination import paging
from coordination.practices.models import Practice
from coordination.search import queries as search

PER_PAGE = 20
NEWEST = 5
COUNTRY_READERS = ("coordinator", "ministry_staff")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    guarantee: str | None = None
    country: str | None = None

    @property
    def any(self) -> bool:
        return bool(self.q or self.guarantee or self.country)


def visible(actor):
    """The condition of the practices ``actor`` may read."""
    published = Practice.state == "published"
    if actor.role in COUNTRY_READERS and actor.country_code is not None:
        return or_(published, and_(Practice.country_code == actor.country_code, Practice.state == "draft"))
    return published


def practice_page(session, actor, filters: Filters, page: int, per_page: int = PER_PAGE):
    """(practices, total) of one page."""
    conditions = [visible(actor)]
    if filters.guarantee:
        conditions.append(Practice.guarantee == filters.guarantee)
    if filters.country:
        conditions.append(Practice.country_code == filters.country)
    if filters.q.strip():
        ids = search.ref_ids(session, actor, filters.q, "practice")
        if not ids:
            return [], 0
        conditions.append(Practice.id.in_(ids))
    total = session.scalar(select(func.count()).select_from(Practice).where(*conditions))
    if not total:
        return [], 0
    found = session.scalars(select(Practice).where(*conditions).order_by(Practice.id.desc())
                            .offset(paging.offset(page, per_page)).limit(per_page)
                            .options(selectinload(Practice.country))).all()
    return list(found), total


def newest(session, actor, limit: int = NEWEST) -> list[Practice]:
    """The newest published practices (the secretariat's home)."""
    return list(session.scalars(select(Practice).where(Practice.state == "published")
                                .order_by(Practice.id.desc()).limit(limit)
                                .options(selectinload(Practice.country))))


def of_country(session, actor, country_code: str) -> list[Practice]:
    """A member state's practices the actor may read (its page), newest first."""
    return list(session.scalars(select(Practice).where(visible(actor), Practice.country_code == country_code)
                                .order_by(Practice.id.desc()).limit(50)))
