"""The administrator's user pages: the list, a new user, a user's name, role, scope and status."""
from flask import render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination import client, clock
from coordination.auth import service
from coordination.auth.forms import UserEditForm, UserForm
from coordination.auth.models import User
from coordination.auth.policy import require
from coordination.auth.views.blueprint import bp
from coordination.directory.models import Country
from coordination.errors import NotFound
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status
from coordination.paging import requested_page


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
    return [("", gettext("— none (regional user) —"))] + [(c.code, c.name) for c in countries]


@bp.route("/admin/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    require(current_user, "users.manage")
    form = UserForm()
    form.country.choices = _country_choices()
    if form.validate_on_submit():
        with errors_on(form):
            user = service.create_user(
                db.session, email=form.email.data, name=form.name.data, role=form.role.data,
                password=form.password.data, country_code=form.country.data or None,
                ministry_acronym=form.ministry.data or None,
                actor=current_user._get_current_object(), now=clock.now(), address=client.address(),
            )
            return done(gettext("User %(email)s created.", email=user.email), url_for("auth.users"))
    return render_template("auth/user_form.html", form=form), form_status(form)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    require(current_user, "users.manage")
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(gettext("There is no such user."))
    form = UserEditForm(obj=user)
    form.country.choices = _country_choices()
    if request.method == "GET":
        form.country.data = user.country_code or ""
        form.ministry.data = user.ministry.acronym if user.ministry else ""
    if form.validate_on_submit():
        with errors_on(form):
            changed = service.update_user(
                db.session, current_user._get_current_object(), user, name=form.name.data,
                role=form.role.data, country_code=form.country.data or None,
                ministry_acronym=form.ministry.data or None, active=form.active.data,
                now=clock.now(), address=client.address(),
            )
            saved = gettext("%(email)s is saved.", email=user.email) if changed else gettext("Nothing was changed.")
            return done(saved, url_for("auth.users"))
    return render_template("auth/user_edit.html", form=form, user=user), form_status(form)
