"""My account: away from one date to another, with a deputy who receives a copy of my reminders
and notices meanwhile (auth/away.py)."""
from flask import url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coordination import clock, i18n
from coordination.auth import away
from coordination.auth.forms import AwayForm
from coordination.auth.views.account import account_page, away_choices
from coordination.auth.views.blueprint import bp
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status


@bp.post("/account/away")
@login_required
def account_away():
    user = current_user._get_current_object()
    form = AwayForm()
    form.deputy_id.choices = away_choices(user)
    if form.validate_on_submit():
        with errors_on(form, show=lambda form, error: form.show_errors(error)):
            away.set_away(db.session, user, {"from": form.away_from.data, "until": form.away_until.data,
                                             "deputy_id": form.deputy_id.data or None}, clock.now())
            return done(gettext("You are away from %(start)s to %(end)s.", start=i18n.format_day(user.away_from),
                                end=i18n.format_day(user.away_until)), url_for("auth.account") + "#away")
    return account_page(away_form=form, status=form_status(form))


@bp.post("/account/away/end")
@login_required
def account_back():
    away.end_away(db.session, current_user._get_current_object(), clock.now())
    return done(gettext("Welcome back: your away period is ended."), url_for("auth.account") + "#away")

