"""The home page (one per role) and the health check."""
from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from coordination import clock
from coordination.compliance import queries as compliance
from coordination.extensions import db
from coordination.items import queries
from coordination.meetings import service as meetings
from coordination.regional_items import service as regional_items

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    now = clock.now()
    if current_user.role == "coordinator":
        board = queries.country_board(db.session, current_user.country, now)
        return render_template("home/coordinator.html", board=board,
                               meetings_panel=meetings.panel(db.session, current_user.country, board["today"]))
    if current_user.role == "ministry_staff":
        return render_template("home/ministry.html", inbox=queries.inbox(db.session, current_user, now))
    if current_user.role == "secretariat":
        rows = sorted(queries.summary(db.session, current_user, now), key=lambda row: row["name"])
        return render_template("home/secretariat.html", rows=rows,
                               regional_panel=regional_items.secretariat_panel(db.session, current_user, now))
    if current_user.role == "observer":
        # What an observer may see: the published cycles' compliance and comparison, the scorecard.
        published = [cycle for cycle, _, comparison in compliance.visible_cycles(db.session, current_user)
                     if comparison]
        return render_template("home/observer.html", published=published)
    if current_user.role == "admin":
        return render_template("home/admin.html")
    return render_template("home.html")


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return jsonify({"status": "unavailable"}), 503  # the request rolls back (unit_of_work.py)
    return jsonify({"status": "ok"})


@bp.get("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="favicon.svg"))
