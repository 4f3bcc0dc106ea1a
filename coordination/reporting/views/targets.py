"""The page of a member state's national floors and targets, and the saving of one of them."""
from flask import abort, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coordination import clock
from coordination.auth.policy import may, require
from coordination.directory.service import get_country
from coordination.errors import NotFound
from coordination.extensions import db
from coordination.forms import done, errors_on
from coordination.reporting import targets, templates
from coordination.reporting.forms import TargetForm
from coordination.reporting.views import pages
from coordination.reporting.views.blueprint import bp


@bp.get("/countries/<code>/targets", endpoint="targets")
@login_required
def show_targets(code: str):
    country = get_country(db.session, code)
    if not may(current_user, "targets.read", country):
        raise NotFound(gettext("There is no such member state."))
    return pages.targets_page(db.session, current_user, country).render()


@bp.post("/countries/<code>/targets/<indicator_code>")
@login_required
def set_target(code: str, indicator_code: str):
    country = get_country(db.session, code)
    require(current_user, "targets.edit", country)
    template = templates.default_template(db.session)
    indicator = next((i for i in template.indicators if i.code == indicator_code), None) if template else None
    if indicator is None:
        abort(404)
    form = TargetForm(prefix=indicator_code)
    if form.validate_on_submit():
        with errors_on(form):
            targets.set_target(db.session, current_user, country.code, indicator_code, form.service_data(),
                               clock.now())
            return done(gettext("The floor and target of “%(name)s” are saved.", name=indicator.name),
                        url_for("reporting.targets", code=country.code) + f"#target-{indicator_code}")
    return pages.targets_page(db.session, current_user, country, {indicator_code: form}).render(422)
