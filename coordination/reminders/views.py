"""Notification pages, the e-mail and calendar preferences of the account page, the
calendar feed, and the administrator's outbox page."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required

from coordination import clock, database, i18n, paging
from coordination.extensions import db
from coordination.forms import done
from coordination.reminders import calendar, ical, service
from coordination.reminders.mail import MailSettings
from coordination.reminders.models import DAILY_DIGEST, EACH, IN_APP_ONLY

bp = Blueprint("reminders", __name__)
PER_PAGE = 50


@bp.app_context_processor
def _notification_helpers():
    """Lazy helpers for base.html and the account page: each runs its one query only when
    a template calls it, for a signed-in user, once per request."""

    def unread_notifications() -> int:
        if not has_request_context() or not getattr(current_user, "is_authenticated", False):
            return 0
        if "unread_notifications" not in g:
            g.unread_notifications = service.unread_count(db.session, current_user)
        return g.unread_notifications

    def notification_preferences() -> dict:
        if not has_request_context() or not getattr(current_user, "is_authenticated", False):
            return {}
        found = calendar.preference(db.session, current_user, None)
        return {"email_mode": found.email_mode if found else EACH,
                "calendar": bool(found and found.calendar_token_digest), "calendar_holds": calendar.window_text()}

    return {"unread_notifications": unread_notifications,
            "notification_preferences": notification_preferences}


def _page_number() -> int:
    return paging.requested_page(request.args)


@bp.get("/notifications")
@login_required
def notifications():
    unread_only = request.args.get("unread") in ("1", "true", "yes", "on")
    page = db.paginate(service.list_statement(current_user, unread_only=unread_only), page=_page_number(),
                       per_page=PER_PAGE, error_out=False)
    return render_template("reminders/notifications.html", page=page, unread_only=unread_only,
                           timezone=current_user.timezone)


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    service.mark_read(db.session, current_user, notification_id, clock.now())
    return redirect(_back())


@bp.get("/notifications/<int:notification_id>/open")
@login_required
@database.writes
def open_notification(notification_id: int):
    """The notification's subject link: opening it marks the notification read, then goes to the
    subject (a path on this site; the list when there is none)."""
    found = service.mark_read(db.session, current_user, notification_id, clock.now())
    url = found.url or ""
    return redirect(url if url.startswith("/") and not url.startswith(("//", "/\\")) else
                    url_for("reminders.notifications"))


@bp.post("/notifications/read-all")
@login_required
def mark_all_read():
    count = service.mark_all_read(db.session, current_user, clock.now())
    return done(ngettext("%(num)d notification marked as read.", "%(num)d notifications marked as read.", count)
                if count else gettext("Nothing was unread."), _back())


def _back() -> str:
    page = paging.requested_page(request.form)
    return url_for("reminders.notifications", page=page) if page != 1 else url_for("reminders.notifications")


# -- account page: e-mail preference and calendar feed ------------------------------------

@bp.post("/account/notifications")
@login_required
def email_preference():
    mode = service.set_email_mode(db.session, current_user, request.form.get("email_mode", ""), clock.now())
    hour = current_app.config["REMINDER_HOUR"]
    if mode == DAILY_DIGEST:
        message = gettext("From now on you get one daily summary at %(hour)s (%(zone)s) instead of single messages.",
                          hour=f"{hour:02d}:00", zone=current_user.timezone)
    elif mode == IN_APP_ONLY:
        message = gettext("From now on your reminders and notices are in the application only: no e-mail is sent "
                          "for them. E-mail about your account, such as a password-reset link, still comes.")
    else:
        message = gettext("From now on you get each message as it comes.")
    return done(message, url_for("auth.account"))


@bp.post("/account/calendar")
@login_required
def reset_calendar():
    token = calendar.reset_token(db.session, current_user, clock.now())
    url = MailSettings.from_config(current_app.config).base_url + url_for("reminders.calendar_feed", token=token)
    # Shown once, on this page: only the token's digest is stored.
    return render_template("reminders/calendar_url.html", url=url, holds=calendar.window_text())


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    user = calendar.user_for_token(db.session, token)
    if user is None:
        abort(404)
    settings = MailSettings.from_config(current_app.config)
    now = clock.now()
    today = clock.local_today(user.timezone, now)
    with i18n.in_language(user.locale):  # a calendar program sends no language: the user's own
        body = ical.feed(user, calendar.events_for(db.session, user, today), settings.base_url,
                         settings.message_id_domain, now,
                         description=gettext("SPF Coordination: %(holds)s.", holds=calendar.window_text()))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="spf-coordination.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# -- administrator -------------------------------------------------------------------------

@bp.get("/admin/outbox")
@login_required
def outbox():
    statement = service.failed_statement(current_user)
    page = db.paginate(statement, page=_page_number(), per_page=PER_PAGE, error_out=False)
    return render_template("reminders/outbox.html", page=page,
                           counts=service.status_counts(db.session, current_user))


@bp.post("/admin/outbox/<int:notification_id>/retry")
@login_required
def retry(notification_id: int):
    found = service.retry(db.session, current_user, notification_id, clock.now())
    return done(gettext("Message %(id)s will be sent again at the next delivery run.", id=found.id),
                url_for("reminders.outbox"))
