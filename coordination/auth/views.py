"""Sign-in, sign-out, my account, and the administrator's user pages."""
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from coordination import client, clock
from coordination.audit import service as audit
from coordination.auth import mfa, reset, service
from coordination.auth.forms import (
    ForgotPasswordForm,
    LoginForm,
    MfaConfirmForm,
    MfaDisableForm,
    MfaStartForm,
    PasswordChangeForm,
    ResetPasswordForm,
    SignInCodeForm,
    UserEditForm,
    UserForm,
)
from coordination.auth.models import User
from coordination.auth.policy import must_enrol_mfa, require
from coordination.directory.models import Country
from coordination.errors import BadRequest, Conflict, DomainError, NotFound, RateLimited, Unauthorized, ValidationError
from coordination.extensions import db
from coordination.forms import show_errors
from coordination.paging import requested_page

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


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
            db.session.commit()  # keep the recorded failure and its audit event
            form.form_errors.append(error.message)
            return render_template("auth/login.html", form=form), error.status, error.headers
        if user.mfa_enabled:
            return begin_second_step(user, now)
        login_user(user)
        audit.record(db.session, "login_succeeded", now, actor=user, address=client.address())
        db.session.commit()
        return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    service.end_sessions(db.session, user)
    audit.record(db.session, "logout", clock.now(), actor=user, address=client.address())
    db.session.commit()
    logout_user()
    flash("You are signed out. Your sessions on other devices are closed too.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            service.change_password(
                db.session, user, form.current_password.data,
                form.new_password.data, form.confirm_password.data, clock.now(),
            )
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            audit.record(db.session, "password_changed", clock.now(), actor=user, address=client.address())
            db.session.commit()
            login_user(user)  # a fresh cookie with the new counter; every other one is dead
            flash("Your password is changed. Other sessions were signed out.", "success")
            return redirect(url_for("auth.account"))
    status = 422 if form.errors else 200
    return render_template("auth/account.html", form=form), status


# -- administrator ---------------------------------------------------------------------


@bp.get("/admin/users")
@login_required
def users():
    require(current_user, "users.manage")
    query = request.args.get("q", "").strip()
    statement = select(User).order_by(User.email)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(User.email.like(like) | User.name.ilike(like))
    page = db.paginate(statement, page=requested_page(request.args), per_page=50, error_out=False)
    return render_template("auth/users.html", page=page, q=query)


def _country_choices() -> list[tuple[str, str]]:
    countries = db.session.scalars(select(Country).order_by(Country.name)).all()
    return [("", "— none (regional user) —")] + [(c.code, c.name) for c in countries]


@bp.route("/admin/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    require(current_user, "users.manage")
    form = UserForm()
    form.country.choices = _country_choices()
    if form.validate_on_submit():
        try:
            user = service.create_user(
                db.session, email=form.email.data, name=form.name.data, role=form.role.data,
                password=form.password.data, country_code=form.country.data or None,
                ministry_acronym=form.ministry.data or None,
                actor=current_user._get_current_object(), now=clock.now(), address=client.address(),
            )
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            db.session.commit()
            flash(f"User {user.email} created.", "success")
            return redirect(url_for("auth.users"))
    status = 422 if form.errors else 200
    return render_template("auth/user_form.html", form=form), status


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    require(current_user, "users.manage")
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such user.")
    form = UserEditForm(obj=user)
    form.country.choices = _country_choices()
    if request.method == "GET":
        form.country.data = user.country_code or ""
        form.ministry.data = user.ministry.acronym if user.ministry else ""
    if form.validate_on_submit():
        try:
            changed = service.update_user(
                db.session, current_user._get_current_object(), user, name=form.name.data,
                role=form.role.data, country_code=form.country.data or None,
                ministry_acronym=form.ministry.data or None, active=form.active.data,
                now=clock.now(), address=client.address(),
            )
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            db.session.commit()
            flash(f"{user.email} is saved." if changed else "Nothing was changed.", "success")
            return redirect(url_for("auth.users"))
    status = 422 if form.errors else 200
    return render_template("auth/user_edit.html", form=form, user=user), status


# -- password reset ------------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.request_reset(db.session, form.email.data, client.address(), clock.now(),
                            reset.ResetSettings.from_config(current_app.config))
        db.session.commit()
        # The same page whatever happened: it must not tell whether the account exists.
        return redirect(url_for("auth.forgot_password_sent"))
    status = 422 if form.errors else 200
    return render_template("auth/forgot_password.html", form=form), status


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


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    state, _, user = reset.check_link(db.session, token, clock.now())
    if state != reset.VALID:
        return _private((render_template("auth/reset_link_invalid.html", state=state,
                                         message=reset.PROBLEMS[state]), 400))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset.reset_password(db.session, token, form.password.data, client.address(), clock.now())
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        except BadRequest as error:  # spent by a request that came first
            db.session.rollback()
            state = error.extra.get("reason", reset.UNKNOWN)
            return _private((render_template("auth/reset_link_invalid.html", state=state, message=error.message),
                             400))
        else:
            db.session.commit()
            logout_user()  # whoever was signed in in this browser: every session has ended
            flash("Your new password is set, and you were signed out everywhere. Sign in with the new password.",
                  "success")
            return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return _private((render_template("auth/reset_password.html", form=form, user=user), status))


@bp.post("/admin/users/<int:user_id>/password-reset")
@login_required
def send_password_reset(user_id: int):
    require(current_user, "users.manage")
    settings = reset.ResetSettings.from_config(current_app.config)
    try:
        outcome = reset.send_reset_link(db.session, current_user, user_id, client.address(), clock.now(), settings)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("auth.edit_user", user_id=user_id))
    db.session.commit()
    user = db.session.get(User, user_id)
    if outcome == reset.QUEUED:
        flash(f"A password-reset link is on its way to {user.email}. It works once, for {settings.minutes} "
              "minutes.", "success")
    else:
        flash(f"No link was sent: {user.email} was sent {settings.max_per_hour} password-reset links in the "
              "last hour already. Try again later.", "warning")
    return redirect(url_for("auth.edit_user", user_id=user_id))


# -- two-step sign-in ------------------------------------------------------------------------
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
        flash("Please sign in again: the sign-in took too long, or it was not started.", "info")
        return redirect(url_for("auth.login", next=target))
    form = SignInCodeForm()
    if form.validate_on_submit():
        try:
            method = mfa.second_step(db.session, user, form.otp.data, client.address(), now,
                                     service.SignInLimits.from_config(current_app.config))
        except RateLimited as error:
            db.session.commit()  # keep the audit event
            form.form_errors.append(error.message)
            return render_template("auth/login_code.html", form=form), error.status, error.headers
        except Unauthorized as error:
            db.session.commit()  # keep the recorded failure and its audit event
            form.otp.errors = [error.message]
            return render_template("auth/login_code.html", form=form), error.status
        session.pop(SECOND_STEP_KEY, None)
        login_user(user)
        audit.record(db.session, "login_succeeded", now, actor=user, address=client.address(),
                     detail={"second_step": method})
        db.session.commit()
        if method == "recovery_code":
            flash("You signed in with a recovery code; it cannot be used again. "
                  f"{mfa.remaining_recovery_codes(db.session, user)} recovery codes are left.", "warning")
        return redirect(target or url_for("home.index"))
    status = 422 if form.errors else 200
    return render_template("auth/login_code.html", form=form), status


# Where a user who must set up two-step sign-in (MFA_REQUIRED_ROLES) may still go.
MFA_ENROLMENT_ENDPOINTS = frozenset({
    "auth.mfa", "auth.mfa_start", "auth.mfa_confirm", "auth.logout", "auth.login", "auth.login_code",
    "static", "bootstrap.static", "home.healthz", "home.favicon",
})


@bp.before_app_request
def send_to_enrolment():
    """Users of MFA_REQUIRED_ROLES without two-step sign-in see the enrolment page only.
    (The JSON API refuses them in its own token check.)"""
    if request.blueprint in ("api", "openapi") or request.endpoint in MFA_ENROLMENT_ENDPOINTS:
        return None
    if current_user.is_authenticated and must_enrol_mfa(current_user, current_app.config["MFA_REQUIRED_ROLES"]):
        return redirect(url_for("auth.mfa"))
    return None


def _mfa_page(status: int = 200, *, start_form=None, confirm_form=None, disable_form=None):
    user = current_user._get_current_object()
    pending = user.mfa_pending_secret if not user.mfa_enabled else None
    return render_template(
        "auth/mfa.html",
        required=must_enrol_mfa(user, current_app.config["MFA_REQUIRED_ROLES"]),
        pending_secret=mfa.grouped(pending) if pending else None,
        qr_svg=mfa.qr_svg(mfa.otpauth_uri(pending, user.email)) if pending else None,
        remaining=mfa.remaining_recovery_codes(db.session, user) if user.mfa_enabled else None,
        start_form=start_form or MfaStartForm(),
        confirm_form=confirm_form or MfaConfirmForm(formdata=None),
        disable_form=disable_form or MfaDisableForm(formdata=None),
    ), status


@bp.get("/account/two-step", endpoint="mfa")
@login_required
def mfa_settings():
    return _mfa_page()


@bp.post("/account/two-step/start")
@login_required
def mfa_start():
    form = MfaStartForm()
    if not form.validate_on_submit():
        return _mfa_page(400, start_form=form)
    try:
        mfa.start(db.session, current_user._get_current_object(), clock.now())
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
    return redirect(url_for("auth.mfa"))


@bp.post("/account/two-step/confirm")
@login_required
def mfa_confirm():
    form = MfaConfirmForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            codes = mfa.confirm(db.session, user, form.otp.data, clock.now(), client.address())
        except Conflict as error:
            db.session.rollback()
            flash(error.message, "info")
            return redirect(url_for("auth.mfa"))
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            db.session.commit()
            # Shown once, on this page: only the codes' digests are stored.
            return render_template("auth/mfa_recovery_codes.html", codes=codes)
    return _mfa_page(422, confirm_form=form)


@bp.post("/account/two-step/disable")
@login_required
def mfa_disable():
    form = MfaDisableForm()
    if form.validate_on_submit():
        try:
            mfa.disable(db.session, current_user._get_current_object(), form.otp.data, clock.now(),
                        client.address())
        except Conflict as error:
            db.session.rollback()
            flash(error.message, "info")
            return redirect(url_for("auth.mfa"))
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            db.session.commit()
            flash("Two-step sign-in is off: your password alone signs you in now.", "success")
            return redirect(url_for("auth.account"))
    return _mfa_page(422, disable_form=form)
