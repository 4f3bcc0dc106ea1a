"""Demo data: the ten member states, their ministries and mechanisms, and a user per role.

Idempotent: what exists already is left as it is.
"""
import json
import re
from datetime import datetime
from importlib import resources

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from coordination import clock
from coordination.auth import passwords
from coordination.auth.models import User
from coordination.demo_activity import seed_activity
from coordination.directory.models import Country, Mechanism, Ministry
from coordination.extensions import db
from coordination.meetings.demo import seed_meetings
from coordination.practices.demo import seed_practices
from coordination.recommendations.demo import seed_recommendations
from coordination.regional_items.demo import seed_regional_items
from coordination.reporting.demo import seed_reporting

DEMO_PASSWORD = "demo-password"  # noqa: S105 - published in the README, refused in production


def load_directory() -> dict:
    return json.loads(resources.files("coordination.data").joinpath("asean_directory.json").read_text())


def staff_email(country_code: str, acronym: str) -> str:
    return f"staff.{country_code.lower()}.{re.sub(r'[^a-z0-9]', '', acronym.lower())}@example.org"


def seed_demo(session, now: datetime | None = None) -> dict[str, int]:
    """Create what is missing; return how many rows of each kind were added. With ``now``,
    also a few action items per country in every state, dated around ``now``."""
    added = {"countries": 0, "ministries": 0, "mechanisms": 0, "users": 0}
    directory = load_directory()
    hashed: list[str] = []

    def password_hash() -> str:
        # One hash per run: every demo account shares the published demo password anyway.
        if not hashed:
            hashed.append(passwords.hash_password(DEMO_PASSWORD))
        return hashed[0]

    def ensure_user(email, name, role, country_code=None, ministry_id=None):
        if session.scalar(select(User.id).where(User.email == email)) is None:
            session.add(User(email=email, name=name, role=role, country_code=country_code,
                             ministry_id=ministry_id, password_hash=password_hash(),
                             active=True, session_counter=0))
            added["users"] += 1

    ensure_user("admin@example.org", "System Administrator", "admin")
    ensure_user("secretariat@example.org", "ASEAN Secretariat Officer", "secretariat")
    ensure_user("observer@example.org", "Regional Observer", "observer")

    for entry in directory["countries"]:
        code = entry["code"]
        country = session.get(Country, code)
        if country is None:
            country = Country(code=code, name=entry["name"], timezone=entry["timezone"])
            session.add(country)
            added["countries"] += 1
        session.flush()
        existing = {m.acronym: m for m in session.scalars(
            select(Ministry).where(Ministry.country_code == code))}
        for m in entry["ministries"]:
            if m["acronym"] not in existing:
                ministry = Ministry(country_code=code, name=m["name"], acronym=m["acronym"],
                                    sector=m["sector"])
                session.add(ministry)
                existing[m["acronym"]] = ministry
                added["ministries"] += 1
        session.flush()
        ensure_user(f"coordinator.{code.lower()}@example.org",
                    f"National Coordinator, {entry['name']}", "coordinator", code)
        for acronym, ministry in existing.items():
            ensure_user(staff_email(code, acronym), f"{acronym} focal person, {entry['name']}",
                        "ministry_staff", code, ministry.id)
        session.flush()
        if session.scalar(select(Mechanism.id).where(Mechanism.country_code == code)) is None:
            coordinator = session.scalar(
                select(User).where(User.email == f"coordinator.{code.lower()}@example.org"))
            reporting = existing.get(entry.get("reporting_ministry"))
            session.add(Mechanism(
                country_code=code, name=entry["mechanism"]["name"],
                acronym=entry["mechanism"].get("acronym"),
                members=list(existing.values()),
                reporting_ministry_id=reporting.id if reporting else None,
                focal_point_id=coordinator.id,
            ))
            added["mechanisms"] += 1
    session.flush()
    added.update(seed_reporting(session))
    added["recommendations"] = seed_recommendations(session)
    added.update(seed_practices(session))
    if now is not None:
        added["action items"] = seed_activity(session, now)
        added["regional items"] = seed_regional_items(session, now)
        added["meetings"] = seed_meetings(session, now)
    return added


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load the demo data (member states, ministries, users); safe to run again."""
    if current_app.config["APP_ENV"] == "production":
        click.echo("seed-demo refuses to run in production: it creates accounts with a "
                   "published password.", err=True)
        raise SystemExit(1)
    added = seed_demo(db.session, clock.now())
    db.session.commit()
    summary = ", ".join(f"{n} {kind}" for kind, n in added.items())
    click.echo(f"Demo data ready ({summary} added). Every demo user's password: {DEMO_PASSWORD}")
