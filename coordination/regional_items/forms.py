"""The form that raises a regional item: the member states as labelled checkboxes."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from coordination.directory.forms import MultiCheckboxField
from coordination.forms import DateInRange
from coordination.items.forms import AT_MOST
from coordination.items.schemas import DESCRIPTION_MAX, TITLE_MAX


class RegionalItemForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("The title is required.")),
                                                 Length(max=TITLE_MAX, message=AT_MOST)])
    description = TextAreaField(_l("Description"),
                                validators=[Optional(), Length(max=DESCRIPTION_MAX, message=AT_MOST)],
                                render_kw={"rows": 5})
    due_date = DateField(_l("Due date"),
                         validators=[DataRequired(message=_l("Enter the due date as a date.")), DateInRange()],
                         description=_l("Each member state's part is due on this day; its coordinator may change it."))
    countries = MultiCheckboxField(_l("Member states (two or more)"), choices=[])
    submit = SubmitField(_l("Raise the regional item"))

    def set_countries(self, countries) -> None:
        self.countries.choices = [(country.code, country.name) for country in countries]

    def service_data(self) -> dict:
        return {"title": self.title.data or "", "description": self.description.data or "",
                "due_date": self.due_date.data, "countries": list(self.countries.data or [])}
