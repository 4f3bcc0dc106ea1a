from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired, Length

from coordination.directory.models import SECTORS


def sector_label(sector: str) -> str:
    return sector.replace("_", " ").capitalize()


# The service's wording, so that a code of the wrong length reads like any other wrong code.
CODE_MESSAGE = "Use the two-letter ISO 3166-1 code, e.g. PH."


class CountryForm(FlaskForm):
    code = StringField("ISO code", validators=[DataRequired(), Length(min=2, max=2, message=CODE_MESSAGE)],
                       description="Two letters, ISO 3166-1 alpha-2, e.g. PH.")
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=64)],
                           description="IANA name, e.g. Asia/Manila.")
    submit = SubmitField("Save")


class MinistryForm(FlaskForm):
    name = StringField("Official English name", validators=[DataRequired(), Length(max=200)])
    acronym = StringField("Acronym", validators=[DataRequired(), Length(max=40)])
    sector = SelectField("Sector", choices=[(s, sector_label(s)) for s in SECTORS])
    submit = SubmitField("Save")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class MechanismForm(FlaskForm):
    name = StringField("Name of the mechanism", validators=[DataRequired(), Length(max=200)])
    members = MultiCheckboxField("Member ministries and agencies", coerce=int, choices=[])
    reporting_ministry = SelectField("Ministry that reports to the regional network", choices=[])
    focal_point = SelectField("Focal point", choices=[])
    submit = SubmitField("Save mechanism")
