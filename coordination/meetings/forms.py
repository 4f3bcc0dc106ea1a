"""The forms of the meeting pages: record or edit a meeting, record a decision."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length

from coordination.forms import DateInRange

REQUIRED = _l("This field is required.")


class Checkboxes(SelectMultipleField):
    """One labelled checkbox per choice (a fieldset with a legend in the template)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        """The service checks the choices (a ministry of this country answers its own message)."""


class MeetingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=200)])
    held_on = DateField(_l("Held on"), validators=[DataRequired(_l("Enter the day the meeting was held.")),
                                                   DateInRange()])
    attendee_ministry_ids = Checkboxes(_l("Ministries attending"), coerce=int, choices=[])
    attendee_countries = Checkboxes(_l("Member states attending"), choices=[])
    minutes = TextAreaField(_l("Minutes"), validators=[Length(max=50_000)],
                            description=_l("What was discussed and agreed. Record each decision below the "
                                           "meeting, so that it becomes an action item."))
    version = HiddenField()
    submit = SubmitField(_l("Save meeting"))

    def service_data(self, national: bool) -> dict:
        data = {"title": self.title.data, "held_on": self.held_on.data, "minutes": self.minutes.data or ""}
        if national:
            data["attendee_ministry_ids"] = self.attendee_ministry_ids.data or []
        else:
            data["attendee_countries"] = self.attendee_countries.data or []
        version = str(self.version.data or "").strip()
        if version:  # the service refuses what is no whole number
            data["version"] = int(version) if version.isascii() and version.isdigit() else version
        return data


class DecisionForm(FlaskForm):
    text = StringField(_l("Decision"), validators=[DataRequired(_l("Write the decision.")), Length(max=200)],
                       description=_l("It becomes the title of the action item that carries it out."))
    description = TextAreaField(_l("Details (optional)"), validators=[Length(max=10_000)])
    due_date = DateField(_l("Due date"), validators=[DataRequired(_l("Enter the due date.")), DateInRange()])
    ministry_id = SelectField(_l("Ministry responsible"), choices=[], validate_choice=False,
                              description=_l("The item is assigned to it at once; without one it is a draft "
                                             "for you to assign."))
    country = SelectField(_l("Member state responsible"), choices=[], validate_choice=False,
                          description=_l("Its coordinator gets the item as a draft, to assign to a ministry."))
    submit = SubmitField(_l("Record the decision"))

    def service_data(self, national: bool) -> dict:
        data = {"text": self.text.data, "description": self.description.data or "", "due_date": self.due_date.data}
        if national:
            data["ministry_id"] = self.ministry_id.data or None
        else:
            data["country"] = self.country.data or None
        return data



