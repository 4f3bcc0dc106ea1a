"""The pages of monitoring templates: list, one template, new, edit, copy."""
from flask import render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coordination.auth.policy import require
from coordination.errors import Conflict
from coordination.extensions import db
from coordination.forms import done, errors_on, form_status, refused
from coordination.i18n import N_
from coordination.reporting import templates
from coordination.reporting.template_forms import CopyTemplateForm, TemplateForm, errors_by_line
from coordination.reporting.views import pages
from coordination.reporting.views.blueprint import bp

IN_USE = N_("This template is used by a reporting cycle: copy it into a new one to change it.")


@bp.get("/templates")
@login_required
def list_templates():
    require(current_user, "cycles.read")
    return pages.template_list(db.session).render()


def _template_url(template) -> str:
    return url_for("reporting.show_template", template_id=template.id)


@bp.route("/templates/new", methods=["GET", "POST"])
@login_required
def new_template():
    require(current_user, "templates.manage")
    form = TemplateForm()
    if form.validate_on_submit():
        data, lines = form.service_data()
        with errors_on(form, show=errors_by_line(lines)):
            template = templates.save_template(db.session, current_user, data)
            return done(gettext("The template “%(name)s” is saved.", name=template.name), _template_url(template))
    return render_template("reporting/template_form.html", form=form, template=None), form_status(form)


@bp.get("/templates/<int:template_id>")
@login_required
def show_template(template_id: int):
    require(current_user, "cycles.read")
    return pages.template_page(db.session, templates.get_template(db.session, template_id)).render()


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@login_required
def edit_template(template_id: int):
    require(current_user, "templates.manage")
    template = templates.get_template(db.session, template_id)
    if templates.template_in_use(db.session, template):
        return refused(gettext(IN_USE), _template_url(template))
    form = TemplateForm()
    if not form.is_submitted():
        form.fill_from(template)
    if form.validate_on_submit():
        data, lines = form.service_data()
        try:
            with errors_on(form, show=errors_by_line(lines)):
                templates.save_template(db.session, current_user, data, template)
                return done(gettext("The template “%(name)s” is saved.", name=template.name), _template_url(template))
        except Conflict as error:
            return refused(error.message, _template_url(template))
    return render_template("reporting/template_form.html", form=form, template=template), form_status(form)


@bp.post("/templates/<int:template_id>/copy")
@login_required
def copy_template(template_id: int):
    require(current_user, "templates.manage")
    template = templates.get_template(db.session, template_id)
    form = CopyTemplateForm()
    if form.validate_on_submit():
        with errors_on(form):
            copy = templates.copy_template(db.session, current_user, template.id, form.name.data)
            return done(gettext("“%(copy)s” is a copy of “%(name)s”. Change it as you need before a cycle "
                                "uses it.", copy=copy.name, name=template.name), _template_url(copy))
    return pages.template_page(db.session, template, form).render(422)
