"""Web forms of regional reporting, and the turning of their text input into what the
services take (numbers, yes/no, item numbers, queries)."""
import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    validators,
)
from wtforms.validators import DataRequired, Length, Optional

from coordination.errors import ValidationError
from coordination.i18n import N_
from coordination.reporting import values
from coordination.reporting.models import AVAILABILITY_LABELS, NARRATIVE_GUARANTEES, NARRATIVE_SECTIONS, NUMERIC_UNITS
from coordination.reporting.schemas import NARRATIVE_MAX, NOTE_MAX, TEXT_MAX

CHOOSE = _l("— choose —")


# -- values -----------------------------------------------------------------------------------------

VALUE_LABELS = {"percent": _l("Value (%)"), "number": _l("Value (number)"),
                "currency": _l("Value (national currency)"),
                "yes_no": _l("Value"), "text": _l("Value")}


def _number(raw: str | None):
    """A float from the input; the raw text when it is not one (the service then says so)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        return raw


class ValueForm(FlaskForm):
    """The value of one indicator. Use with ``prefix=<code>``: one form per indicator on a page."""

    number = StringField(_l("Value"), render_kw={"type": "number", "step": "any", "min": "0", "inputmode": "decimal"})
    flag = SelectField(_l("Value"), choices=[("", CHOOSE), ("yes", _l("Yes")), ("no", _l("No"))])
    text = TextAreaField(_l("Value"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 3})
    availability = SelectField(_l("Availability"), choices=list(AVAILABILITY_LABELS.items()), default="reported")
    reason = StringField(_l("Reason (when not available or not applicable)"), validators=[Length(max=2000)])
    note = TextAreaField(_l("Source note"), validators=[Length(max=NOTE_MAX)], render_kw={"rows": 2},
                         description=_l("Where the figure comes from: survey, registry, year."))
    female = StringField(_l("Female"), render_kw={"type": "number", "step": "any", "min": "0", "inputmode": "decimal"})
    male = StringField(_l("Male"), render_kw={"type": "number", "step": "any", "min": "0", "inputmode": "decimal"})
    item_id = HiddenField()  # set when the form is posted from a data request's page
    submit = SubmitField(_l("Save the value"))

    def setup(self, indicator) -> "ValueForm":
        """Keep the one value input that fits the unit (and the breakdown when there is one)."""
        self.indicator = indicator
        self.by_sex = "sex" in (indicator.disaggregations or [])
        unit = indicator.unit
        self.value_name = "number" if unit in NUMERIC_UNITS else "flag" if unit == "yes_no" else "text"
        for name in ("number", "flag", "text"):
            if name != self.value_name:
                delattr(self, name)
        if not self.by_sex or unit not in NUMERIC_UNITS:
            self.by_sex = False
            del self.female, self.male
        if unit in NUMERIC_UNITS:
            self.number.label.text = VALUE_LABELS[unit]
            if unit == "percent":
                self.number.render_kw = {**self.number.render_kw, "max": "100"}
            elif unit == "number":  # a count: whole numbers only
                self.number.render_kw = {**self.number.render_kw, "step": "1", "inputmode": "numeric"}
        offered = values.availabilities(indicator)  # no "estimate" for a yes/no answer
        self.availability.choices = [(key, label) for key, label in AVAILABILITY_LABELS.items() if key in offered]
        self.breakdown_errors: list[str] = []
        return self

    @property
    def value_field(self):
        return self[self.value_name]

    def fill_from(self, row) -> None:
        if row is None:
            return
        self.availability.data = row.availability or "reported"
        self.reason.data, self.note.data = row.reason, row.note
        if self.value_name == "number" and row.number is not None:
            self.number.data = f"{row.number:g}"
        elif self.value_name == "flag" and row.flag is not None:
            self.flag.data = "yes" if row.flag else "no"
        elif self.value_name == "text":
            self.text.data = row.text or ""
        breakdown = row.breakdown or {}
        for key in ("female", "male") if self.by_sex else ():
            if breakdown.get(key) is not None:
                self[key].data = f"{breakdown[key]:g}"

    def service_data(self) -> dict:
        if self.value_name == "number":
            value = _number(self.number.data)
        elif self.value_name == "flag":
            value = {"yes": True, "no": False}.get(self.flag.data or "")
        else:
            value = self.text.data if (self.text.data or "").strip() else None
        data = {"value": value, "availability": self.availability.data or "reported",
                "reason": self.reason.data or "", "note": self.note.data or ""}
        if self.by_sex:
            breakdown = {key: _number(self[key].data) for key in ("female", "male")}
            if any(v is not None for v in breakdown.values()):
                data["breakdown"] = breakdown
        return data

    def show_errors(self, error: ValidationError) -> None:
        """A service's errors at the fields: ``value`` at the unit's input, ``breakdown`` under
        the breakdown (for ``errors_on(form, show=ValueForm.show_errors)``)."""
        for name, messages in error.fields.items():
            if name == "value":
                target = self.value_field
            elif name == "breakdown":
                self._breakdown_at_fields(messages)
                continue
            else:
                target = getattr(self, name, None)
            if target is not None and hasattr(target, "errors"):
                target.errors = list(target.errors) + list(messages)
            else:
                self.form_errors.extend(messages)


    def _breakdown_at_fields(self, messages: list[str]) -> None:
        """The breakdown's problems at the input of each group (female, male) that has one,
        in the words of a single value; the others under the breakdown."""
        placed = False
        for key in ("female", "male") if self.by_sex else ():
            value = _number(self[key].data)
            if value is None:
                continue
            _, problems = values.check_value(self.indicator.unit, value)
            if problems:
                self[key].errors = list(self[key].errors) + [gettext(p) for p in problems]
                placed = True
        if not placed:
            self.breakdown_errors.extend(messages)

    def error_fields(self) -> list:
        """The fields that show an error, in the order of the form."""
        return [f for f in self if f.errors and f.type not in ("CSRFTokenField", "HiddenField")]


class AssignForm(FlaskForm):
    ministry_id = SelectField(_l("Ministry"), choices=[],
                              validators=[DataRequired(message=_l("Choose a ministry of this member state."))])
    submit = SubmitField(_l("Assign"))

    def set_ministries(self, ministries) -> "AssignForm":
        self.ministry_id.choices = [("", CHOOSE)] + [(str(m.id), m.label) for m in ministries]
        return self


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Your answer"), validators=[DataRequired(message=_l("Write the answer.")),
                                                         Length(max=5000)], render_kw={"rows": 2})
    submit = SubmitField(_l("Answer"))


NUMBERS_MAX = 1000  # characters of the "add by number" field
_NUMBER = re.compile(r"#?(\d{1,18})")


def parse_item_numbers(text: str | None) -> list[int]:
    """Action item numbers typed by hand: ``1204, #1377 1400``; ValueError, with the message
    for the user, on a word that is not one."""
    numbers = []
    for word in re.split(r"[\s,;]+", text or ""):
        if not word:
            continue
        found = _NUMBER.fullmatch(word)
        if found is None or int(found.group(1)) == 0:
            raise ValueError(gettext("“%(word)s” is not an action item number: enter numbers such as 1204, or find "
                                     "the items by their titles below.", word=word[:40]))
        numbers.append(int(found.group(1)))
    return list(dict.fromkeys(numbers))


class NarrativeForm(FlaskForm):
    """The assessment matrix of one guarantee. Use with ``prefix=<guarantee>``.

    The action items it links are checkboxes: those linked (checked; clear one to unlink it),
    and those found by a search of the form (``find``, a submit of its own that saves nothing).
    More are added by number (``add_items``)."""

    existing_schemes = TextAreaField(_l("Existing schemes"), validators=[Length(max=NARRATIVE_MAX)],
                                     render_kw={"rows": 3})
    policy_gaps = TextAreaField(_l("Policy gaps"), validators=[Length(max=NARRATIVE_MAX)], render_kw={"rows": 3})
    implementation_issues = TextAreaField(_l("Implementation issues"), validators=[Length(max=NARRATIVE_MAX)],
                                          render_kw={"rows": 3})
    recommendations = TextAreaField(_l("Recommendations"), validators=[Length(max=NARRATIVE_MAX)],
                                    render_kw={"rows": 3})
    self_rating = SelectField(_l("Self-rating"), choices=[], validators=[Optional()])
    # Checkboxes drawn by the template; which ids are items of the member state, the service says.
    item_ids = SelectMultipleField(_l("Action items that carry out the recommendations"), choices=[], coerce=int,
                                   validate_choice=False, validators=[Optional()])
    add_items = StringField(_l("Add action items by number"), validators=[Length(max=NUMBERS_MAX)],
                            description=_l("Their numbers, separated by commas or spaces: 1204, 1377 "
                                           "(each item's page shows its number)."))
    find = StringField(_l("Find action items by title or number"), validators=[Length(max=200)],
                       description=_l("Words of the title: the items found are listed to tick."))
    find_submit = SubmitField(_l("Find"))
    submit = SubmitField(_l("Save this section"))

    def setup(self, spec: dict) -> "NarrativeForm":
        for section in spec["narrative_sections_per_guarantee"]:
            field = getattr(self, section["key"], None)
            if field is not None:
                field.label.text = gettext(section["title"])
                field.description = gettext(section["help"])
        labels = spec["self_rating"]["labels"]
        self.self_rating.choices = [("", gettext("— not rated —"))] + [(key, f"{key} – {gettext(label)}")
                                                              for key, label in labels.items()]
        return self

    def fill_from(self, narrative) -> None:
        if narrative is None:
            return
        for section in NARRATIVE_SECTIONS:
            getattr(self, section).data = getattr(narrative, section)
        self.self_rating.data = str(narrative.self_rating) if narrative.self_rating else ""
        self.item_ids.data = [item.id for item in narrative.items]

    @property
    def finding(self) -> bool:
        """The user asked for a search (the Find button, or Enter in a text field before it)."""
        return bool(self.find_submit.data)

    def validate_add_items(self, field) -> None:
        try:
            parse_item_numbers(field.data)
        except ValueError as error:
            raise validators.ValidationError(str(error)) from None

    def chosen_ids(self) -> list[int]:
        """The items ticked, then those added by number, each once."""
        try:
            added = parse_item_numbers(self.add_items.data)
        except ValueError:
            added = []
        return list(dict.fromkeys([*(self.item_ids.data or []), *added]))

    def service_data(self) -> dict:
        data = {section: getattr(self, section).data or "" for section in NARRATIVE_SECTIONS}
        data["self_rating"] = self.self_rating.data or None
        data["item_ids"] = self.chosen_ids()
        return data


# The texts of the monitoring format (data/monitoring_format.json) that pages show: the narrative
# sections, their help and the self-rating's labels, translated where they are shown.
FORMAT_TEXTS = (
    N_("Existing schemes"),
    N_("The schemes that serve this guarantee: who runs them, legal basis, who is covered, benefit levels."),
    N_("Policy gaps"),
    N_("Where the design of the schemes leaves people uncovered or benefits inadequate."),
    N_("Implementation issues"),
    N_("Where people legally covered do not receive benefits in practice (registration, delivery, financing, "
       "capacity)."),
    N_("Recommendations"),
    N_("What should change, in priority order, and which ministry leads each change."),
    N_("No scheme, or very limited coverage"),
    N_("Partial: schemes exist with large gaps"),
    N_("Substantial: most of the population covered, some gaps"),
    N_("Comprehensive: the guarantee is met for the whole population"),
)


# -- the report workflow -------------------------------------------------------------------------------

class SendBackForm(FlaskForm):
    """The secretariat's return of a report: a comment, and a query (optional) on each indicator
    and each narrative section, each field next to what it asks about. Its query fields are
    added per report (``setup``), named ``query-<code>``."""

    comment = TextAreaField(_l("Comment to the member state (required)"),
                            validators=[DataRequired(message=_l("Add a comment: it is required for this step.")),
                                        Length(max=NARRATIVE_MAX)], render_kw={"rows": 3},
                            description=_l("What the member state should look at again; it is shown at the top "
                                           "of the returned report."))
    submit = SubmitField(_l("Send the report back"))


def send_back_form(codes: list[str], labels: dict[str, str], formdata=...) -> SendBackForm:
    """The send-back form of a report whose indicators and sections are ``codes`` (their
    names in ``labels``): one query field each."""
    class Form(SendBackForm):
        pass

    for code in codes:
        setattr(Form, f"query_{code}", TextAreaField(
            gettext("Query on “%(name)s” (optional)", name=labels[code]), validators=[Length(max=NARRATIVE_MAX)],
            render_kw={"rows": 2}, id=f"query-{code}", name=f"query-{code}"))
    form = Form() if formdata is ... else Form(formdata=formdata)
    form.codes = codes
    return form


def query_field(form, code: str):
    return form[f"query_{code}"]


def posted_queries(form) -> list[dict]:
    """The service's queries: each query field that holds a question."""
    return [{"indicator_code": code, "question": query_field(form, code).data.strip()} for code in form.codes
            if (query_field(form, code).data or "").strip()]


def parse_queries(text: str | None) -> list[dict]:
    """"CODE: question" per line into the service's queries (a line without a colon keeps no question)."""
    queries = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        code, _, question = line.partition(":")
        code = code.strip()
        # Indicator codes are capitals, narrative sections (the guarantees) lower case.
        code = code.lower() if code.lower() in NARRATIVE_GUARANTEES else code.upper()
        queries.append({"indicator_code": code, "question": question.strip()})
    return queries


# -- floors and targets ------------------------------------------------------------------------------

class TargetForm(FlaskForm):
    """The floor and target of one indicator. Use with ``prefix=<code>``."""

    floor = StringField(_l("Floor"), render_kw={"type": "number", "step": "any", "min": "0", "inputmode": "decimal"})
    target = StringField(_l("Target"), render_kw={"type": "number", "step": "any", "min": "0", "inputmode": "decimal"})
    target_year = StringField(_l("Target year"),
                              render_kw={"type": "number", "step": "1", "min": "2000", "max": "2100"})

    def fill_from(self, target) -> None:
        if target is None:
            return
        self.floor.data = f"{target.floor:g}" if target.floor is not None else ""
        self.target.data = f"{target.target:g}" if target.target is not None else ""
        self.target_year.data = str(target.target_year) if target.target_year else ""

    def service_data(self) -> dict:
        return {"floor": self.floor.data or "", "target": self.target.data or "",
                "target_year": self.target_year.data or ""}
