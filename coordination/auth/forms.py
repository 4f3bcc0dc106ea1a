"""The account forms. Labels, help texts and validator messages are lazy strings (``_l``):
they are translated when a page renders them, in the language of that request."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from coordination.auth.models import ROLE_LABELS
from coordination.auth.passwords import MIN_LENGTH
from coordination.forms import DateInRange
from coordination.i18n import LANGUAGES

# WTForms' own messages have no Bahasa Indonesia, Thai or Vietnamese: every validator says its own.
REQUIRED = _l("This field is required.")
VALID_EMAIL = _l("Enter a valid e-mail address.")
AT_MOST = _l("Use at most %(max)d characters.")
AT_LEAST = _l("Use at least %(min)d characters.")
PASSWORDS_DIFFER = _l("The two new passwords differ.")
ENTER_THE_CODE = _l("Enter the code.")


def _required():
    return DataRequired(message=REQUIRED)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[_required(), Length(max=254, message=AT_MOST)])
    password = PasswordField(_l("Password"), validators=[_required()])
    submit = SubmitField(_l("Sign in"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[_required()])
    new_password = PasswordField(
        _l("New password"), validators=[_required(), Length(min=MIN_LENGTH, message=AT_LEAST)])
    confirm_password = PasswordField(
        _l("New password again"), validators=[_required(), EqualTo("new_password", message=PASSWORDS_DIFFER)])
    submit = SubmitField(_l("Change password"))


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail address"),
                       validators=[_required(), Email(message=VALID_EMAIL), Length(max=254, message=AT_MOST)])
    name = StringField(_l("Full name"), validators=[_required(), Length(max=120, message=AT_MOST)])
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()))
    country = SelectField(_l("Member state"), choices=[], validators=[Optional()])
    ministry = StringField(
        _l("Ministry acronym"), validators=[Optional(), Length(max=40, message=AT_MOST)],
        description=_l("For ministry staff only, e.g. DSWD."),
    )
    password = PasswordField(
        _l("Initial password"), validators=[_required(), Length(min=MIN_LENGTH, message=AT_LEAST)])
    submit = SubmitField(_l("Create user"))


class UserEditForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[_required(), Length(max=120, message=AT_MOST)])
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()))
    country = SelectField(_l("Member state"), choices=[], validators=[Optional()])
    ministry = StringField(
        _l("Ministry acronym"), validators=[Optional(), Length(max=40, message=AT_MOST)],
        description=_l("For ministry staff only, e.g. DSWD."),
    )
    active = BooleanField(_l("Account active"), description=_l(
        "A disabled user is signed out at once, everywhere, and their API tokens stop working; "
        "enabling the account again does not bring those back."))
    submit = SubmitField(_l("Save changes"))


class LanguageForm(FlaskForm):
    """The account page's choice of language; the service checks the code."""

    locale = SelectField(_l("Language of the pages and of your e-mail"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Save the language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [("", _l("As my browser says (e-mail in English)")), *LANGUAGES.items()]


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"),
                       validators=[_required(), Email(message=VALID_EMAIL), Length(max=254, message=AT_MOST)],
                       description=_l("The address you sign in with."))
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[_required(), Length(min=MIN_LENGTH, message=AT_LEAST)],
        description=_l("At least %(count)d characters.", count=MIN_LENGTH),
    )
    confirm_password = PasswordField(
        _l("New password again"), validators=[_required(), EqualTo("password", message=PASSWORDS_DIFFER)])
    submit = SubmitField(_l("Set the new password"))


# -- two-step sign-in ------------------------------------------------------------------------


class SignInCodeForm(FlaskForm):
    otp = StringField(
        _l("Code"), validators=[DataRequired(message=ENTER_THE_CODE), Length(max=64, message=AT_MOST)],
        description=_l("The 6-digit code your authenticator app shows, or one of your recovery codes."),
    )
    submit = SubmitField(_l("Sign in"))


class MfaStartForm(FlaskForm):
    submit = SubmitField(_l("Set up two-step sign-in"))


class MfaConfirmForm(FlaskForm):
    otp = StringField(
        _l("Code from the app"), validators=[DataRequired(message=ENTER_THE_CODE), Length(max=64, message=AT_MOST)],
        description=_l("After scanning, the app shows a 6-digit code that changes every 30 seconds."),
    )
    submit = SubmitField(_l("Turn on two-step sign-in"))


class MfaDisableForm(FlaskForm):
    otp = StringField(
        _l("Current code or a recovery code"),
        validators=[DataRequired(message=_l("Enter a current code or a recovery code.")),
                    Length(max=64, message=AT_MOST)],
    )
    confirm = BooleanField(
        _l("Yes, turn off two-step sign-in: my password alone will sign me in."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Turn off two-step sign-in"))


class AwayForm(FlaskForm):
    """The account page's away period: the service checks the dates against each other and today,
    and the deputy."""

    away_from = DateField(_l("First day away"), validators=[DataRequired(message=_l("Enter the first day away.")),
                                                             DateInRange()])
    away_until = DateField(_l("Last day away"), validators=[DataRequired(message=_l("Enter the last day away.")),
                                                             DateInRange()])
    deputy_id = SelectField(_l("Deputy"), choices=[], validate_choice=False,
                            description=_l("They receive a copy of your reminders and notices while you are away."))
    submit = SubmitField(_l("Save the away period"))

    def show_errors(self, error) -> None:
        """The service's fields (from, until, deputy_id) beside this form's."""
        names = {"from": "away_from", "until": "away_until"}
        for name, messages in error.fields.items():
            field = getattr(self, names.get(name, name), None)
            if field is not None:
                field.errors = list(field.errors) + list(messages)
            else:
                self.form_errors.extend(messages)


class BackForm(FlaskForm):
    submit = SubmitField(_l("I am back: end the away period"))
