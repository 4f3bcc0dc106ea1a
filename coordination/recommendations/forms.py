"""The forms of recommendations and assessments. Labels and messages are lazy strings (``_l``),
translated when a page renders them."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from coordination.directory.forms import MultiCheckboxField
from coordination.forms import DateInRange
from coordination.items.models import GUARANTEE_LABELS
from coordination.recommendations.models import PROGRESS, PROGRESS_LABELS
from coordination.recommendations.schemas import COMMENT_MAX, TEXT_MAX
from coordination.reporting.models import NARRATIVE_GUARANTEES


def guarantee_choices(blank):
    return [("", blank)] + [(code, GUARANTEE_LABELS[code]) for code in NARRATIVE_GUARANTEES]


def progress_choices():
    return [(code, _l(PROGRESS_LABELS[code])) for code in PROGRESS]


class RecommendationForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("The title is required.")), Length(max=200)])
    text = TextAreaField(_l("Text of the recommendation"), render_kw={"rows": 6},
                         validators=[DataRequired(_l("The text of the recommendation is required.")),
                                     Length(max=TEXT_MAX)])
    guarantee = SelectField(_l("Guarantee of the floor"), choices=[], validators=[Optional()])
    all_countries = BooleanField(_l("All ten member states"))
    countries = MultiCheckboxField(_l("Member states addressed"), choices=[])
    adopted_on = DateField(_l("Adopted on"), validators=[DataRequired(_l("Enter the day it was adopted.")),
                                                         DateInRange()])
    horizon_year = IntegerField(_l("Horizon year (optional)"), validators=[
        Optional(), NumberRange(min=2000, max=2100, message=_l("Enter the horizon as a year from 2000 to 2100."))])
    submit = SubmitField(_l("Adopt the recommendation"))

    def __init__(self, countries, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.guarantee.choices = guarantee_choices(_l("None"))
        self.countries.choices = [(country.code, country.name) for country in countries]

    def service_data(self) -> dict:
        return {"title": self.title.data or "", "text": self.text.data or "", "guarantee": self.guarantee.data or None,
                "countries": "all" if self.all_countries.data else list(self.countries.data or []),
                "adopted_on": self.adopted_on.data, "horizon_year": self.horizon_year.data}


class AssessmentForm(FlaskForm):
    progress = RadioField(_l("Progress in this cycle"), choices=[],
                          validators=[DataRequired(_l("Choose the progress."))])
    evidence = TextAreaField(_l("Evidence"), render_kw={"rows": 5}, validators=[Length(max=TEXT_MAX)],
                             description=_l("What was done, with sources: laws, decrees, figures, reports."))
    action_item_ids = MultiCheckboxField(_l("Action items that carry it out"), coerce=int, choices=[])
    submit = SubmitField(_l("Save the assessment"))

    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.progress.choices = progress_choices()
        self.action_item_ids.choices = [(item.id, item.title) for item in items]

    def service_data(self) -> dict:
        return {"progress": self.progress.data, "evidence": self.evidence.data or "",
                "action_item_ids": list(self.action_item_ids.data or [])}


class ValidationForm(FlaskForm):
    progress = RadioField(_l("Validated progress"), choices=[], validators=[DataRequired(_l("Choose the progress."))])
    comment = TextAreaField(_l("Comment"), render_kw={"rows": 3}, validators=[Length(max=COMMENT_MAX)],
                            description=_l("Needed when you revise the country's rating."))
    submit = SubmitField(_l("Validate"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.progress.choices = progress_choices()

    def service_data(self) -> dict:
        return {"progress": self.progress.data, "comment": self.comment.data or ""}
