from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from coordination.directory.forms import MultiCheckboxField
from coordination.forms import DateInRange
from coordination.items.models import GUARANTEE_LABELS, PRIORITIES
from coordination.items.schemas import COMMENT_MAX, DESCRIPTION_MAX, TITLE_MAX


class ItemForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="The title is required."), Length(max=TITLE_MAX)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=DESCRIPTION_MAX)],
                                render_kw={"rows": 5})
    due_date = DateField("Due date", validators=[DataRequired(message="Enter the due date as a date."), DateInRange()],
                         description="The item is overdue after this day, in your country's time zone.")
    priority = SelectField("Priority", choices=[(p, p.capitalize()) for p in PRIORITIES], default="normal")
    guarantee = SelectField(
        "Guarantee of the floor it serves",
        choices=[("", "— none —")] + list(GUARANTEE_LABELS.items()), validators=[Optional()],
    )
    ministry_id = SelectField("Ministry to assign it to", choices=[], validators=[Optional()],
                              description="The item stays a draft until you assign it.")
    supporter_ids = MultiCheckboxField("Supporting ministries (they read and comment)", coerce=int,
                                       choices=[], validators=[Optional()])
    submit = SubmitField("Save")

    def set_ministries(self, ministries):
        self.ministry_id.choices = [("", "— choose later —")] + [(str(m.id), m.label) for m in ministries]
        self.supporter_ids.choices = [(m.id, m.label) for m in ministries]

    def service_data(self) -> dict:
        data = {
            "title": self.title.data or "",
            "description": self.description.data or "",
            "due_date": self.due_date.data,
            "priority": self.priority.data,
            "guarantee": self.guarantee.data or None,
            "supporter_ids": list(self.supporter_ids.data or []),
        }
        if self.ministry_id is not None:  # the edit form has none: the holder changes by triggers
            data["ministry_id"] = self.ministry_id.data or None
        return data


class CommentForm(FlaskForm):
    comment = TextAreaField("Add a comment", validators=[DataRequired(message="Write a comment first."),
                                                         Length(max=COMMENT_MAX)], render_kw={"rows": 3})
    submit = SubmitField("Post comment")
