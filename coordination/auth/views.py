"""Sign-in, sign-out, my account, and the administrator's user pages."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from coordination import client, clock
from coordination.audit import service as audit
from coordination.auth import reset, service
from coordination.auth.forms import (
    ForgotPasswordForm,
    LoginForm,
    PasswordChangeForm,
    ResetPasswordForm,
    UserEditForm,
    UserForm,
)
from coordination.auth.models import User
from coordination.auth.policy import require
from coordination.directory.models import Country
from coordination.errors import BadRequest, Conflict, DomainError, NotFound, ValidationError
from coordination.extensions import db
from coordination.forms import show_errors

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
    # A page number beyond any real list would overflow the database's OFFSET: cap it.
    number = min(max(request.args.get("page", 1, type=int), 1), 10_000)
    page = db.paginate(statement, page=number, per_page=50, error_out=False)
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
