from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from coordination.forms import DateInRange

REASON_MAX = 2_000


class ExtensionForm(FlaskForm):
    country = SelectField("Member state", choices=[], validators=[DataRequired(message="Choose a member state.")])
    deadline = DateField("New deadline", validators=[Optional(), DateInRange()],
                         description="On time means before 00:00 of the next day, in the member state's time zone.")
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=REASON_MAX)], render_kw={"rows": 2})
    submit = SubmitField("Grant the extension")

    def set_countries(self, rows):
        self.country.choices = [("", "— choose —")] + [(r.country, r.country_name) for r in rows]

    def service_data(self) -> dict:
        # The service validates: later than the cycle's deadline, a reason, a member state of the cycle.
        return {"country": self.country.data or None, "deadline": self.deadline.data,
                "reason": self.reason.data or ""}
