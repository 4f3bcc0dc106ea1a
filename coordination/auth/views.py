"""Sign-in, sign-out, my account, and the administrator's user pages."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from coordination import client, clock
from coordination.audit import service as audit
from coordination.auth import service
from coordination.auth.forms import LoginForm, PasswordChangeForm, UserForm, UserStatusForm
from coordination.auth.models import User
from coordination.auth.policy import require
from coordination.directory.models import Country
from coordination.errors import DomainError, NotFound, ValidationError
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


@bp.route("/admin/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    require(current_user, "users.manage")
    form = UserForm()
    countries = db.session.scalars(select(Country).order_by(Country.name)).all()
    form.country.choices = [("", "— none (regional user) —")] + [(c.code, c.name) for c in countries]
    if form.validate_on_submit():
        try:
            user = service.create_user(
                db.session, email=form.email.data, name=form.name.data, role=form.role.data,
                password=form.password.data, country_code=form.country.data or None,
                ministry_acronym=form.ministry.data or None,
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
    form = UserStatusForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and not form.active.data:
            form.active.errors = ["You cannot disable your own account."]
        else:
            user.active = form.active.data
            db.session.commit()
            flash(f"{user.email} is {'active' if user.active else 'disabled'}.", "success")
            return redirect(url_for("auth.users"))
    status = 422 if form.errors else 200
    return render_template("auth/user_edit.html", form=form, user=user), status
