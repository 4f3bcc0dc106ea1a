"""The pages of monitoring templates: list, one template, new, edit, copy."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from coordination.auth.policy import require
from coordination.errors import Conflict, ValidationError
from coordination.extensions import db
from coordination.forms import show_errors
from coordination.reporting import templates
from coordination.reporting.forms import CopyTemplateForm, TemplateForm, indicator_errors
from coordination.reporting.views import pages
from coordination.reporting.views.blueprint import attempt, bp, refused


@bp.get("/templates")
@login_required
def list_templates():
    require(current_user, "cycles.read")
    return pages.template_list(db.session).render()


def _template_form(form: TemplateForm, template=None):
    """Save the form's template (a new one when ``template`` is None); the errors of an
    indicator go on the form as the line they came from."""
    data, lines = form.service_data()

    def show(form, error):
        show_errors(form, ValidationError(indicator_errors(error.fields, lines)[0]))

    return attempt(form, templates.save_template, db.session, current_user, data, template, show=show)


def _saved(template):
    flash(f"The template “{template.name}” is saved.", "success")
    return redirect(url_for("reporting.show_template", template_id=template.id))


@bp.route("/templates/new", methods=["GET", "POST"])
@login_required
def new_template():
    require(current_user, "templates.manage")
    form = TemplateForm()
    if form.validate_on_submit() and (template := _template_form(form)) is not None:
        return _saved(template)
    return render_template("reporting/template_form.html", form=form, template=None), 422 if form.errors else 200


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
    here = url_for("reporting.show_template", template_id=template.id)
    if templates.template_in_use(db.session, template):
        flash("This template is used by a reporting cycle: copy it into a new one to change it.", "warning")
        return redirect(here)
    form = TemplateForm()
    if not form.is_submitted():
        form.fill_from(template)
    if form.validate_on_submit():
        try:
            if _template_form(form, template) is not None:
                return _saved(template)
        except Conflict as error:
            return refused(error, here, "warning")
    return render_template("reporting/template_form.html", form=form, template=template), \
        422 if form.errors else 200


@bp.post("/templates/<int:template_id>/copy")
@login_required
def copy_template(template_id: int):
    require(current_user, "templates.manage")
    template = templates.get_template(db.session, template_id)
    form = CopyTemplateForm()
    if form.validate_on_submit() and (
            copy := attempt(form, templates.copy_template, db.session, current_user, template.id, form.name.data)):
        flash(f"“{copy.name}” is a copy of “{template.name}”. Change it as you need before a cycle uses it.",
              "success")
        return redirect(url_for("reporting.show_template", template_id=copy.id))
    return pages.template_page(db.session, template, form).render(422)
