"""Sign-in (with its second step where two-step sign-in is on) and sign-out.

A failed sign-in answers with an error and keeps what it wrote (the recorded failure, which
the sign-in limits count, and its audit event): ``unit_of_work.keep_changes()``."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required, login_user, logout_user

from coordination import client, clock, i18n, unit_of_work
from coordination.audit import service as audit
from coordination.auth import mfa, service
from coordination.auth.forms import LoginForm, SignInCodeForm
from coordination.auth.models import User
from coordination.auth.views.blueprint import bp, safe_next
from coordination.errors import DomainError, RateLimited, Unauthorized
from coordination.extensions import db
from coordination.forms import form_status


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        now = clock.now()
        try:
            user = service.authenticate(
                db.session, form.email.data, form.password.data, client.address(), now,
                service.SignInLimits.from_config(current_app.config),
            )
        except DomainError as error:
            unit_of_work.keep_changes()  # the recorded failure and its audit event
            form.form_errors.append(error.message)
            return render_template("auth/login.html", form=form), error.status, error.headers
        if user.mfa_enabled:
            return begin_second_step(user, now)
        login_user(user)
        keep_language(user)
        audit.record(db.session, "login_succeeded", now, actor=user, address=client.address())
        return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("auth/login.html", form=form), form_status(form)


def keep_language(user: User) -> None:
    """The language the user chose is this browser's from now on, also after signing out."""
    if user.locale:
        session[i18n.SESSION_KEY] = user.locale


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    service.end_sessions(db.session, user)
    audit.record(db.session, "logout", clock.now(), actor=user, address=client.address())
    logout_user()
    flash(gettext("You are signed out. Your sessions on other devices are closed too."), "info")
    return redirect(url_for("auth.login"))


# -- the second step ---------------------------------------------------------------------------
# After a right password, the session holds who is half signed in (user id, session counter,
# when), not a sign-in: the code page completes it within mfa.SECOND_STEP_MINUTES.

SECOND_STEP_KEY = "mfa_second_step"


def begin_second_step(user: User, now):
    session[SECOND_STEP_KEY] = {"user": user.id, "counter": user.session_counter or 0, "at": now.timestamp()}
    return redirect(url_for("auth.login_code", next=safe_next(request.args.get("next"))))


def half_signed_in_user(now) -> User | None:
    """The user whose password was right a moment ago, unless that is too long ago, or they
    signed out everywhere (or changed the password) since, or were disabled."""
    state = session.get(SECOND_STEP_KEY)
    if not isinstance(state, dict):
        return None
    try:
        user_id, counter, at = int(state["user"]), int(state["counter"]), float(state["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= now.timestamp() - at <= mfa.SECOND_STEP_MINUTES * 60:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or (user.session_counter or 0) != counter or not user.mfa_enabled:
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    now = clock.now()
    target = safe_next(request.args.get("next"))
    user = half_signed_in_user(now)
    if user is None:
        session.pop(SECOND_STEP_KEY, None)
        flash(gettext("Please sign in again: the sign-in took too long, or it was not started."), "info")
        return redirect(url_for("auth.login", next=target))
    form = SignInCodeForm()
    if form.validate_on_submit():
        try:
            method = mfa.second_step(db.session, user, form.otp.data, client.address(), now,
                                     service.SignInLimits.from_config(current_app.config))
        except RateLimited as error:
            unit_of_work.keep_changes()  # its audit event
            form.form_errors.append(error.message)
            return render_template("auth/login_code.html", form=form), error.status, error.headers
        except Unauthorized as error:
            unit_of_work.keep_changes()  # the recorded failure and its audit event
            form.otp.errors = [error.message]
            return render_template("auth/login_code.html", form=form), error.status
        session.pop(SECOND_STEP_KEY, None)
        login_user(user)
        keep_language(user)
        audit.record(db.session, "login_succeeded", now, actor=user, address=client.address(),
                     detail={"second_step": method})
        if method == "recovery_code":
            flash(ngettext("You signed in with a recovery code; it cannot be used again. %(num)d recovery code is "
                           "left.",
                           "You signed in with a recovery code; it cannot be used again. %(num)d recovery codes are "
                           "left.", mfa.remaining_recovery_codes(db.session, user)), "warning")
        return redirect(target or url_for("home.index"))
    return render_template("auth/login_code.html", form=form), form_status(form)
