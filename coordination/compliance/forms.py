from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from coordination.forms import DateInRange

REASON_MAX = 2_000


class ExtensionForm(FlaskForm):
    country = SelectField(_l("Member state"), choices=[],
                          validators=[DataRequired(message=_l("Choose a member state."))])
    deadline = DateField(_l("New deadline"), validators=[Optional(), DateInRange()],
                         description=_l("On time means before 00:00 of the next day, in the member state's time zone."))
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=REASON_MAX)], render_kw={"rows": 2})
    submit = SubmitField(_l("Grant the extension"))

    def set_countries(self, rows):
        self.country.choices = [("", gettext("— choose —"))] + [(r.country, r.country_name) for r in rows]

    def service_data(self) -> dict:
        # The service validates: later than the cycle's deadline, a reason, a member state of the cycle.
        return {"country": self.country.data or None, "deadline": self.deadline.data,
                "reason": self.reason.data or ""}
