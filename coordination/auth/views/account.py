"""My account: the password, and two-step sign-in (set up, confirm, turn off), which the users
of MFA_REQUIRED_ROLES must set up before they see any other page."""
from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user

from coordination import client, clock, i18n
from coordination.audit import service as audit
from coordination.auth import away, mfa, service
from coordination.auth.forms import (
    AwayForm,
    BackForm,
    LanguageForm,
    MfaConfirmForm,
    MfaDisableForm,
    MfaStartForm,
    PasswordChangeForm,
)
from coordination.auth.policy import may, must_enrol_mfa
from coordination.auth.views.blueprint import bp
from coordination.errors import Conflict
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status, refused


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        with errors_on(form):
            service.change_password(
                db.session, user, form.current_password.data,
                form.new_password.data, form.confirm_password.data, clock.now(),
            )
            audit.record(db.session, "password_changed", clock.now(), actor=user, address=client.address())
            login_user(user)  # a fresh cookie with the new counter; every other one is dead
            return done(gettext("Your password is changed. Other sessions were signed out."), url_for("auth.account"))
    return account_page(form=form, status=form_status(form))


def account_page(*, form=None, language_form=None, away_form=None, status: int = 200):
    """The account page, with the forms given (one that was sent back with its errors) and fresh
    ones for the others."""
    user = current_user._get_current_object()
    if language_form is None:
        language_form = LanguageForm(formdata=None, locale=user.locale or "")
    may_be_away = may(user, "account.away", user)
    if away_form is None and may_be_away:
        away_form = AwayForm(formdata=None, away_from=user.away_from, away_until=user.away_until,
                             deputy_id=str(user.away_deputy_id or ""))
        away_form.deputy_id.choices = away_choices(user)
    return render_template("auth/account.html", form=form or PasswordChangeForm(formdata=None),
                           language_form=language_form, away_form=away_form if may_be_away else None,
                           back_form=BackForm(formdata=None), away_now=away.away_until(user, clock.now())), status


def away_choices(user) -> list[tuple[str, str]]:
    """The deputy select: nobody, then the people ``user`` may name, each saying when away."""
    now = clock.now()
    choices = [("", gettext("— nobody —"))]
    for person in away.deputy_choices(db.session, user):
        until = away.away_until(person, now)
        label = person.name if until is None else gettext("%(name)s (away until %(day)s)", name=person.name,
                                                          day=i18n.format_day(until))
        choices.append((str(person.id), label))
    return choices


# -- two-step sign-in ----------------------------------------------------------------------------

# Where a user who must set up two-step sign-in (MFA_REQUIRED_ROLES) may still go.
MFA_ENROLMENT_ENDPOINTS = frozenset({
    "auth.mfa", "auth.mfa_start", "auth.mfa_confirm", "auth.logout", "auth.login", "auth.login_code",
    "static", "bootstrap.static", "home.healthz", "home.favicon", "auth.set_language",
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
        return refused(error.message, url_for("auth.mfa"), "info")
    return redirect(url_for("auth.mfa"))


@bp.post("/account/two-step/confirm")
@login_required
def mfa_confirm():
    # The recovery codes are shown once, on this page: only their digests are stored.
    return _change_two_step(MfaConfirmForm(), mfa.confirm, "confirm_form",
                            lambda codes: render_template("auth/mfa_recovery_codes.html", codes=codes))


@bp.post("/account/two-step/disable")
@login_required
def mfa_disable():
    return _change_two_step(MfaDisableForm(), mfa.disable, "disable_form",
                            lambda _: done(gettext("Two-step sign-in is off: your password alone signs you in now."),
                                           url_for("auth.account")))


def _change_two_step(form, change, form_name: str, answer):
    """Turn two-step sign-in on (mfa.confirm) or off (mfa.disable) with the code of ``form``:
    ``answer(result)``; a wrong code shows the page again (422), and a change made already
    (in another tab) goes back to the page with a message."""
    if form.validate_on_submit():
        with errors_on(form):
            try:
                result = change(db.session, current_user._get_current_object(), form.otp.data, clock.now(),
                                client.address())
            except Conflict as error:
                return refused(error.message, url_for("auth.mfa"), "info")
            return answer(result)
    return _mfa_page(422, **{form_name: form})
