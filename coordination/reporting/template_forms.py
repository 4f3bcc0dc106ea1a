"""Web forms of the secretariat's set-up of regional reporting: monitoring templates (their
indicators as lines of text, their checks as JSON) and reporting cycles."""
import json

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.validators import ValidationError as WTFValidationError

from coordination.errors import ValidationError
from coordination.forms import DateInRange, show_errors
from coordination.reporting.forms import CHOOSE

INDICATOR_LINE_HELP = _l("One indicator per line: CODE | name | guarantee | unit | required (yes/no), "
                         "optionally followed by | lower (when lower figures are better) "
                         "| disaggregations (sex, age_group) | definition. "
                         "Guarantees: health, children, working_age, older_persons, overall, coordination. "
                         "Units: percent, number, currency, yes_no, text.")
RULES_HELP = _l("Optional, as JSON: a list of rules, each with an id, a kind (total_within_parts: "
                "indicators and their parts, e.g. female and male; implies: if and then, each an indicator "
                "and the answer it equals, and a message) and a severity (error or warning).")
DIRECTIONS = {"lower", "higher"}
YES = {"yes", "y", "true", "1", "required"}
NO = {"no", "n", "false", "0", "optional", ""}


# -- templates ------------------------------------------------------------------------------------

class TemplateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Give the template a name.")),
                                                   Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional()], render_kw={"rows": 3})
    indicators = TextAreaField(_l("Indicators"), description=INDICATOR_LINE_HELP,
                               render_kw={"rows": 12, "spellcheck": "false", "class": "font-monospace"})
    rules = TextAreaField(_l("Checks"), description=RULES_HELP, validators=[Optional()],
                          render_kw={"rows": 8, "spellcheck": "false", "class": "font-monospace"})
    submit = SubmitField(_l("Save the template"))

    def fill_from(self, template) -> None:
        self.name.data = template.name
        self.description.data = template.description
        self.indicators.data = indicators_to_text(template.indicators)
        self.rules.data = json.dumps(template.rules, indent=1, ensure_ascii=False) if template.rules else ""

    def validate_rules(self, field) -> None:
        try:
            parsed = json.loads(field.data) if (field.data or "").strip() else []
        except ValueError as error:
            problem = gettext("The checks are not valid JSON: %(problem)s.", problem=str(error))
            raise WTFValidationError(problem) from None
        if not isinstance(parsed, list):
            raise WTFValidationError(gettext("Write the checks as a JSON list of rules: [ {...}, {...} ]."))

    def service_data(self) -> tuple[dict, list[int]]:
        """The service's input, and the line number of each indicator (for the messages)."""
        indicators, lines = parse_indicator_lines(self.indicators.data or "")
        rules = json.loads(self.rules.data) if (self.rules.data or "").strip() else []
        return {"name": self.name.data or "", "description": self.description.data or "",
                "indicators": indicators, "rules": rules}, lines


def indicators_to_text(indicators) -> str:
    lines = []
    for i in indicators:
        parts = [i.code, i.name, i.guarantee, i.unit, "yes" if i.required else "no"]
        if i.better == "lower":
            parts.append("lower")
        if i.disaggregations or i.definition:
            parts.append(", ".join(i.disaggregations or []))
        if i.definition:
            parts.append(i.definition.replace("\n", " "))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def parse_indicator_lines(text: str) -> tuple[list[dict], list[int]]:
    """Each non-empty line as an indicator dict; what is wrong in it is left to the service,
    which names it (a missing column becomes a missing key, a bad yes/no stays text)."""
    indicators, numbers = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        entry: dict = {}
        for key, value in zip(("code", "name", "guarantee", "unit"), parts, strict=False):
            entry[key] = value
        if len(parts) > 4:
            required = parts[4].lower()
            entry["required"] = True if required in YES else False if required in NO else parts[4]
        if len(parts) > 5 and parts[5].lower() in DIRECTIONS:
            entry["better"] = parts[5].lower()
            parts = parts[:5] + parts[6:]
        if len(parts) > 5 and parts[5]:
            entry["disaggregations"] = [d.strip() for d in parts[5].split(",") if d.strip()]
        if len(parts) > 6:
            entry["definition"] = " | ".join(parts[6:])
        indicators.append(entry)
        numbers.append(number)
    return indicators, numbers


def errors_by_line(lines: list[int]):
    """How a template form shows a service's errors (for ``errors_on``): those of
    ``indicators[n]`` as the line of the indicators field they came from."""
    def show(form, error: ValidationError) -> None:
        show_errors(form, ValidationError(indicator_errors(error.fields, lines)))

    return show


def indicator_errors(fields: dict[str, list[str]], lines: list[int]) -> dict[str, list[str]]:
    """The service's errors with ``indicators[n]`` turned into "Line L: ..." on the indicators field."""
    errors: dict[str, list[str]] = {}
    on_lines: list[str] = []
    for key, messages in fields.items():
        if key.startswith("indicators[") and key.endswith("]") and key[11:-1].isdigit():
            n = int(key[11:-1])
            line = lines[n] if n < len(lines) else n + 1
            on_lines.extend(gettext("Line %(line)s: %(message)s", line=line, message=m) for m in messages)
        elif key.startswith("rules[") and key.endswith("]") and key[6:-1].isdigit():
            errors.setdefault("rules", []).extend(
                gettext("Rule %(number)s: %(message)s", number=int(key[6:-1]) + 1, message=m) for m in messages)
        else:
            errors.setdefault(key, []).extend(messages)
    if on_lines:
        errors.setdefault("indicators", []).extend(on_lines)
    return errors


class CopyTemplateForm(FlaskForm):
    name = StringField(_l("Name of the new template"),
                       validators=[DataRequired(message=_l("Give the new template a name.")), Length(max=200)])
    submit = SubmitField(_l("Copy into a new template"))


# -- cycles -----------------------------------------------------------------------------------------

class CycleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Give the cycle a name.")), Length(max=200)],
                       description=_l("For example “2027 self-assessment”."))
    template_id = SelectField(_l("Monitoring template"), choices=[],
                              validators=[DataRequired(message=_l("Choose a monitoring template."))])
    period_start = DateField(_l("Period start"), validators=[DataRequired(message=_l("Enter a date.")), DateInRange()])
    period_end = DateField(_l("Period end"), validators=[DataRequired(message=_l("Enter a date.")), DateInRange()])
    deadline = DateField(_l("Submission deadline"),
                         validators=[DataRequired(message=_l("Enter a date.")), DateInRange()],
                         description=_l("A report is on time when submitted before midnight at the end of this day, "
                                        "in the member state's own time zone. Past dates are allowed, "
                                        "to record earlier cycles."))
    submit = SubmitField(_l("Create the cycle"))

    def set_templates(self, templates) -> None:
        self.template_id.choices = [("", CHOOSE)] + [(str(t.id), t.name) for t in templates]

    def service_data(self) -> dict:
        return {"name": self.name.data or "", "template_id": self.template_id.data,
                "period_start": self.period_start.data, "period_end": self.period_end.data,
                "deadline": self.deadline.data}
