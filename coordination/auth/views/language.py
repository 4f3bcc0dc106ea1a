"""The language of the pages: the header's switcher (for everyone, signed in or not, on every
page and at every width, without JavaScript) and the choice on the account page.

A signed-in user's choice is kept with the account (users.locale: pages and e-mail); an
anonymous visitor's in the session. The session keeps a signed-in user's choice too, so that
the sign-in page after signing out is still in it."""
from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coordination import i18n
from coordination.auth import service
from coordination.auth.forms import LanguageForm
from coordination.auth.views.account import account_page
from coordination.auth.views.blueprint import bp, safe_next
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status


def remember(code: str | None) -> None:
    """This browser's session follows ``code`` from now on (None: the browser's language)."""
    if code is None:
        session.pop(i18n.SESSION_KEY, None)
    else:
        session[i18n.SESSION_KEY] = code
    i18n.refresh()  # what this request still renders (a flashed message) is in the new language


@bp.route("/language", methods=["GET", "POST"])
def set_language():
    """GET: a page that offers the languages; POST ``locale`` (and ``next``, a path of this site
    to go back to): the choice, then back there."""
    target = safe_next(request.values.get("next")) or url_for("home.index")
    if request.method == "GET":
        return render_template("auth/language.html", target=target)
    code = i18n.known(request.form.get("locale"))
    if code is None:
        return render_template("auth/language.html", target=target,
                               error=gettext("Choose one of the languages offered.")), 422
    if current_user.is_authenticated:
        service.set_locale(db.session, current_user._get_current_object(), code)
    remember(code)
    return redirect(target)  # no message: the page is in the language chosen


@bp.post("/account/language")
@login_required
def account_language():
    form = LanguageForm()
    if form.validate_on_submit():
        with errors_on(form):
            code = form.locale.data or None
            service.set_locale(db.session, current_user._get_current_object(), code)
            remember(code)
            return done(gettext("Your language is saved.") if code else
                        gettext("Pages now follow your browser's language; e-mail comes in English."),
                        url_for("auth.account"))
    return account_page(language_form=form, status=form_status(form))
