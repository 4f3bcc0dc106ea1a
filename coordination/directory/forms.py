from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired, Length

from coordination.directory.models import SECTORS
from coordination.i18n import N_

# Each sector as people read it (translated where it is shown).
SECTOR_LABELS = {
    "social_welfare": N_("Social welfare"), "labour": N_("Labour"), "health": N_("Health"),
    "social_security": N_("Social security"), "finance": N_("Finance"), "planning": N_("Planning"),
    "education": N_("Education"), "rural_development": N_("Rural development"),
    "local_government": N_("Local government"), "coordination": N_("Coordination"),
}


def sector_label(sector: str) -> str:
    label = SECTOR_LABELS.get(sector)
    return gettext(label) if label else sector.replace("_", " ").capitalize()


# The service's wording, so that a code of the wrong length reads like any other wrong code.
CODE_MESSAGE = _l("Use the two-letter ISO 3166-1 code, e.g. PH.")
REQUIRED = _l("This field is required.")


class CountryForm(FlaskForm):
    code = StringField(_l("ISO code"), validators=[DataRequired(REQUIRED), Length(min=2, max=2, message=CODE_MESSAGE)],
                       description=_l("Two letters, ISO 3166-1 alpha-2, e.g. PH."))
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(REQUIRED), Length(max=64)],
                           description=_l("IANA name, e.g. Asia/Manila."))
    submit = SubmitField(_l("Save"))


class MinistryForm(FlaskForm):
    name = StringField(_l("Official English name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    acronym = StringField(_l("Acronym"), validators=[DataRequired(REQUIRED), Length(max=40)])
    sector = SelectField(_l("Sector"), choices=[(s, _l(SECTOR_LABELS[s])) for s in SECTORS])
    submit = SubmitField(_l("Save"))


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class MechanismForm(FlaskForm):
    name = StringField(_l("Name of the mechanism"), validators=[DataRequired(REQUIRED), Length(max=200)])
    members = MultiCheckboxField(_l("Member ministries and agencies"), coerce=int, choices=[])
    reporting_ministry = SelectField(_l("Ministry that reports to the regional network"), choices=[])
    focal_point = SelectField(_l("Focal point"), choices=[])
    submit = SubmitField(_l("Save mechanism"))
