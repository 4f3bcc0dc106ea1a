"""The forms of good practices: write one up, ask a question, answer one."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from coordination.items.models import GUARANTEE_LABELS
from coordination.practices.schemas import BODY_MAX, COMMENT_MAX, EMAIL_MAX, NAME_MAX, SUMMARY_MAX, TITLE_MAX

AT_MOST = _l("Use at most %(max)d characters.")


class PracticeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("The title is required.")),
                                                 Length(max=TITLE_MAX, message=AT_MOST)])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(message=_l("The summary is required.")),
                                                       Length(max=SUMMARY_MAX, message=AT_MOST)],
                            description=_l("Two or three sentences: what it is, for whom, what it achieved."),
                            render_kw={"rows": 3})
    body = TextAreaField(_l("The practice in full"), validators=[Optional(), Length(max=BODY_MAX, message=AT_MOST)],
                         description=_l("How it works, the ministries involved, what it costs, what others "
                                        "should know before trying it."), render_kw={"rows": 12})
    guarantee = SelectField(
        _l("Guarantee of the floor it serves"),
        choices=[("", _l("— none —"))] + [(key, _l(label)) for key, label in dict.items(GUARANTEE_LABELS)],
        validators=[Optional()])
    contact_user_id = SelectField(_l("Contact: a colleague of your member state"), choices=[],
                                  validators=[Optional()],
                                  description=_l("Or leave it empty and write a name and an e-mail address below."))
    contact_name = StringField(_l("Contact's name"), validators=[Optional(), Length(max=NAME_MAX, message=AT_MOST)])
    contact_email = StringField(_l("Contact's e-mail address"),
                                validators=[Optional(), Length(max=EMAIL_MAX, message=AT_MOST)],
                                render_kw={"type": "email", "autocomplete": "email"})
    version = HiddenField()
    submit = SubmitField(_l("Save the draft"))

    def set_contacts(self, users):
        self.contact_user_id.choices = [("", _l("— a name and address below —"))] + [
            (str(u.id), f"{u.name} ({u.email})") for u in users]

    def service_data(self) -> dict:
        data = {name: getattr(self, name).data or "" for name in ("title", "summary", "body", "contact_name",
                                                                  "contact_email")}
        data["guarantee"] = self.guarantee.data or None
        data["contact_user_id"] = self.contact_user_id.data or None
        if self.version.data:
            data["version"] = self.version.data
        return data


class QuestionForm(FlaskForm):
    comment = TextAreaField(_l("Your question"), validators=[DataRequired(message=_l("Write your question.")),
                                                             Length(max=COMMENT_MAX, message=AT_MOST)],
                            description=_l("The coordinators of the practice's member state are told, and "
                                           "everyone who reads the practice sees the question and its answer."),
                            render_kw={"rows": 3})
    submit = SubmitField(_l("Ask the question"))


class AnswerForm(FlaskForm):
    comment = TextAreaField(_l("Your answer"), validators=[DataRequired(message=_l("Write the answer.")),
                                                           Length(max=COMMENT_MAX, message=AT_MOST)],
                            render_kw={"rows": 3})
    reply_to = HiddenField()
    submit = SubmitField(_l("Answer"))
