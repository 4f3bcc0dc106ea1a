"""The action-item forms. Labels, help texts and validator messages are lazy strings (``_l``):
they are translated when a page renders them, in the language of that request."""
from datetime import date, timedelta
from functools import lru_cache

import holidays
from babel.dates import format_date
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.validators import ValidationError as FieldError

from coordination import dates, workdays
from coordination.directory.forms import MultiCheckboxField
from coordination.forms import DateInRange
from coordination.i18n import N_, current_locale, format_day
from coordination.items.models import GUARANTEE_LABELS
from coordination.items.schemas import COMMENT_MAX, DESCRIPTION_MAX, TITLE_MAX

# -- due dates people type: within reason (the web forms; the API takes any date of the span), and
#    a word when the day chosen is no working day of the item's country ----------------------------

PAST_LIMIT_DAYS = 365         # a new due date at most a year back (an item recorded late)
FUTURE_LIMIT_YEARS = 10       # and at most ten years ahead
TOO_EARLY = N_("%(day)s is more than a year ago. Check the year: a due date lies from %(earliest)s on.")
TOO_LATE = N_("%(day)s is more than 10 years ahead. Check the year: a due date lies up to %(latest)s.")


def due_date_bounds(today: date) -> tuple[date, date]:
    """The due dates a person may choose on ``today`` (the country's date)."""
    try:
        latest = today.replace(year=today.year + FUTURE_LIMIT_YEARS)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + FUTURE_LIMIT_YEARS, day=28)
    return today - timedelta(days=PAST_LIMIT_DAYS), latest


def due_date_refusal(day: date | None, today: date) -> str | None:
    """Why ``day`` is beyond reason as a due date chosen on ``today``, or None."""
    if day is None:
        return None
    earliest, latest = due_date_bounds(today)
    if day < earliest:
        return gettext(TOO_EARLY, day=format_day(day), earliest=format_day(earliest))
    if day > latest:
        return gettext(TOO_LATE, day=format_day(day), latest=format_day(latest))
    return None


NOT_WORKING_DAY = N_("%(day)s is a %(weekday)s in %(country)s, not a working day there.")
PUBLIC_HOLIDAY = N_("%(day)s is a public holiday in %(country)s: %(holiday)s.")
SAVED_ANYWAY = N_("The item is saved with this due date; edit it if you meant a working day.")
# The holidays package's language for each of ours (else the country's own).
HOLIDAY_LANGUAGES = {"en": "en_US", "id": "id", "th": "th", "vi": "vi"}


@lru_cache(maxsize=64)
def _languages(country_code: str) -> tuple[str | None, tuple[str, ...]]:
    calendar = holidays.country_holidays(country_code)
    return calendar.default_language, tuple(calendar.supported_languages)


def _holiday_language(country_code: str) -> str | None:
    """The language to name the country's holidays in: the page's when the package has it."""
    default, supported = _languages(country_code)
    wanted = HOLIDAY_LANGUAGES.get(current_locale())
    if wanted is None or (default or "").split("_")[0] == wanted.split("_")[0]:
        return None
    return wanted if wanted in supported else None


def due_date_warning(country, day: date | None) -> str | None:
    """What to tell a person who chose ``day``, not a working day in ``country``; else None."""
    if day is None or not dates.in_range(day) or workdays.is_working_day(country.code, day):
        return None
    holiday = workdays.holiday_name(country.code, day, _holiday_language(country.code))
    if holiday:
        said = gettext(PUBLIC_HOLIDAY, day=format_day(day), country=country.name, holiday=holiday)
    else:
        said = gettext(NOT_WORKING_DAY, day=format_day(day), country=country.name,
                       weekday=format_date(day, "EEEE", locale=get_locale()))
    return f"{said} {gettext(SAVED_ANYWAY)}"


AT_MOST = _l("Use at most %(max)d characters.")
PRIORITY_LABELS = {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High")}


class ItemForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("The title is required.")),
                                                 Length(max=TITLE_MAX, message=AT_MOST)])
    description = TextAreaField(_l("Description"),
                                validators=[Optional(), Length(max=DESCRIPTION_MAX, message=AT_MOST)],
                                render_kw={"rows": 5})
    due_date = DateField(_l("Due date"),
                         validators=[DataRequired(message=_l("Enter the due date as a date.")), DateInRange()],
                         description=_l("The item is overdue after this day, in your country's time zone."))
    priority = SelectField(_l("Priority"), choices=list(PRIORITY_LABELS.items()), default="normal")
    guarantee = SelectField(
        _l("Guarantee of the floor it serves"),
        # Lazy: translated when the form is shown (the labels are marked in models.py).
        choices=[("", _l("— none —"))] + [(key, _l(label)) for key, label in dict.items(GUARANTEE_LABELS)],
        validators=[Optional()],
    )
    ministry_id = SelectField(_l("Ministry to assign it to"), choices=[], validators=[Optional()],
                              description=_l("The item is assigned to this ministry when you save it; "
                                             "leave it empty to keep a draft and assign it later."))
    supporter_ids = MultiCheckboxField(_l("Supporting ministries (they read and comment)"), coerce=int,
                                       choices=[], validators=[Optional()])
    submit = SubmitField(_l("Save"))

    # The country's date today, and the due date the item has now (a date kept unchanged is
    # never refused): set by the view before validation.
    today: date | None = None
    kept_due_date: date | None = None

    def set_ministries(self, ministries):
        self.ministry_id.choices = [("", _l("— choose later —"))] + [(str(m.id), m.label) for m in ministries]
        self.supporter_ids.choices = [(m.id, m.label) for m in ministries]

    def validate_due_date(self, field):
        """A due date within reason (service.due_date_refusal), unless it is the one kept."""
        if (field.data is None or self.today is None or not dates.in_range(field.data)
                or field.data == self.kept_due_date):
            return
        refusal = due_date_refusal(field.data, self.today)
        if refusal:
            raise FieldError(refusal)

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
    comment = TextAreaField(_l("Add a comment"), validators=[DataRequired(message=_l("Write a comment first.")),
                                                             Length(max=COMMENT_MAX, message=AT_MOST)],
                            description=_l("To tell a colleague, write @ and their e-mail address, "
                                           "for example @name@ministry.gov.ph: they will watch the item."),
                            render_kw={"rows": 3})
    # A comment may carry one file (coordination/attachments checks and stores it).
    attachment = FileField(_l("Attach a file (optional)"))
    submit = SubmitField(_l("Post comment"))


# -- bulk steps on the item list (items/bulk_views.py) ------------------------------------------

# The steps of the list's check boxes, and what each asks for.
BULK_STEPS = {"assign": _l("Assign to a ministry"), "transfer": _l("Transfer to another ministry"),
              "due_date": _l("Change the due date"), "priority": _l("Change the priority"),
              "cancel": _l("Cancel the items")}
BULK_COMMENT_LABELS = {"assign": _l("Comment (optional)"), "transfer": _l("Comment (required)"),
                       "cancel": _l("Why are they cancelled? (required)")}
BULK_TRIGGERS = {"assign": "assign", "transfer": "transfer", "cancel": "cancel"}
BULK_NEEDS = {"assign": ("ministry_id",), "transfer": ("ministry_id", "comment"), "due_date": ("due_date",),
              "priority": ("priority",), "cancel": ("comment",)}


class BulkStepForm(FlaskForm):
    """The second page of a bulk step: the step's own fields for every item chosen (the ids
    travel as hidden ``ids``)."""

    step = HiddenField()
    back = HiddenField()  # the list's query string: its filters, sort and page
    ministry_id = SelectField(_l("Ministry"), choices=[], validators=[Optional()])
    due_date = DateField(_l("New due date"), validators=[Optional(), DateInRange()])
    priority = SelectField(_l("New priority"), choices=list(PRIORITY_LABELS.items()), default="normal")
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=COMMENT_MAX, message=AT_MOST)],
                            render_kw={"rows": 3},
                            description=_l("The same comment goes into the history of every item."))
    submit = SubmitField(_l("Continue"))

    def set_ministries(self, ministries):
        self.ministry_id.choices = [("", _l("— choose —"))] + [(str(m.id), m.label) for m in ministries]

    def check_step(self, today: date) -> bool:
        """What the step needs is given (a ministry, a comment, a date within reason)."""
        needs = BULK_NEEDS.get(self.step.data, ())
        if "ministry_id" in needs and not self.ministry_id.data:
            self.ministry_id.errors = [*self.ministry_id.errors, gettext("Choose a ministry.")]
        if "comment" in needs and not (self.comment.data or "").strip():
            self.comment.errors = [*self.comment.errors, gettext("Add a comment: it is required for this step.")]
        if "due_date" in needs and not self.due_date.errors:
            refusal = (gettext("Enter the due date as a date.") if self.due_date.data is None
                       else due_date_refusal(self.due_date.data, today))
            if refusal:
                self.due_date.errors = [*self.due_date.errors, refusal]
        return not self.errors

    def service_data(self, ids: list[int]) -> dict:
        """The body of items/bulk.bulk_step for ``ids``."""
        step, needs = self.step.data, BULK_NEEDS.get(self.step.data, ())
        data: dict = {"ids": ids, "trigger": BULK_TRIGGERS.get(step)}
        if "ministry_id" in needs:
            data["ministry_id"] = self.ministry_id.data
        if step in BULK_TRIGGERS:
            data["comment"] = self.comment.data or ""
        if "due_date" in needs:
            data["due_date"] = self.due_date.data
        if "priority" in needs:
            data["priority"] = self.priority.data
        return data
