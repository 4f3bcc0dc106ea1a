"""Password reset by a single-use link (auth/reset.py): asked for on the sign-in page or sent
by the administrator, and used on the page the link opens."""
from flask import current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required, logout_user

from coordination import client, clock
from coordination.auth import reset
from coordination.auth.forms import ForgotPasswordForm, ResetPasswordForm
from coordination.auth.models import User
from coordination.auth.policy import require
from coordination.auth.views.blueprint import bp
from coordination.errors import BadRequest, Conflict
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status, refused


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.request_reset(db.session, form.email.data, client.address(), clock.now(),
                            reset.ResetSettings.from_config(current_app.config))
        # The same page whatever happened: it must not tell whether the account exists.
        return redirect(url_for("auth.forgot_password_sent"))
    return render_template("auth/forgot_password.html", form=form), form_status(form)


@bp.get("/forgot-password/sent")
def forgot_password_sent():
    return render_template("auth/forgot_password_sent.html",
                           minutes=current_app.config["PASSWORD_RESET_MINUTES"])


def _private(response):
    """A page whose address holds a reset token: kept out of caches and Referer headers."""
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _link_refused(state: str, message: str):
    return _private((render_template("auth/reset_link_invalid.html", state=state, message=message), 400))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    state, _, user = reset.check_link(db.session, token, clock.now())
    if state != reset.VALID:
        return _link_refused(state, gettext(reset.PROBLEMS[state]))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with errors_on(form):
            try:
                reset.reset_password(db.session, token, form.password.data, client.address(), clock.now())
            except BadRequest as error:  # spent by a request that came first
                return _link_refused(error.extra.get("reason", reset.UNKNOWN), error.message)
            logout_user()  # whoever was signed in in this browser: every session has ended
            return done(gettext("Your new password is set, and you were signed out everywhere. Sign in with the "
                                "new password."), url_for("auth.login"))
    return _private((render_template("auth/reset_password.html", form=form, user=user), form_status(form)))


@bp.post("/admin/users/<int:user_id>/password-reset")
@login_required
def send_password_reset(user_id: int):
    require(current_user, "users.manage")
    settings = reset.ResetSettings.from_config(current_app.config)
    target = url_for("auth.edit_user", user_id=user_id)
    try:
        outcome = reset.send_reset_link(db.session, current_user, user_id, client.address(), clock.now(), settings)
    except Conflict as error:
        return refused(error.message, target, "danger")
    user = db.session.get(User, user_id)
    if outcome == reset.QUEUED:
        return done(ngettext("A password-reset link is on its way to %(email)s. It works once, for %(num)d minute.",
                             "A password-reset link is on its way to %(email)s. It works once, for %(num)d "
                             "minutes.", settings.minutes, email=user.email), target)
    # Not sent, but the request is kept: its audit event tells the administrator's attempt.
    flash(ngettext("No link was sent: %(email)s was sent %(num)d password-reset link in the last hour already. "
                   "Try again later.",
                   "No link was sent: %(email)s was sent %(num)d password-reset links in the last hour already. "
                   "Try again later.", settings.max_per_hour, email=user.email), "warning")
    return redirect(target)
