from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from coordination.auth.models import ROLE_LABELS
from coordination.auth.passwords import MIN_LENGTH
from coordination.i18n import LANGUAGES


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])
    submit = SubmitField("Sign in")


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, message=f"Use at least {MIN_LENGTH} characters.")],
    )
    confirm_password = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", message="The two new passwords differ.")],
    )
    submit = SubmitField("Change password")


class UserForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Role", choices=list(ROLE_LABELS.items()))
    country = SelectField("Member state", choices=[], validators=[Optional()])
    ministry = StringField(
        "Ministry acronym", validators=[Optional(), Length(max=40)],
        description="For ministry staff only, e.g. DSWD.",
    )
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, message=f"Use at least {MIN_LENGTH} characters.")],
    )
    submit = SubmitField("Create user")


class UserEditForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Role", choices=list(ROLE_LABELS.items()))
    country = SelectField("Member state", choices=[], validators=[Optional()])
    ministry = StringField(
        "Ministry acronym", validators=[Optional(), Length(max=40)],
        description="For ministry staff only, e.g. DSWD.",
    )
    active = BooleanField("Account active", description=(
        "A disabled user is signed out at once, everywhere, and their API tokens stop working; "
        "enabling the account again does not bring those back."))
    submit = SubmitField("Save changes")


class LanguageForm(FlaskForm):
    locale = SelectField("Language of the pages and of your e-mail", choices=[])
    submit = SubmitField("Save the language")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [("", "As my browser says (e-mail in English)"), *LANGUAGES.items()]


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)],
                       description="The address you sign in with.")
    submit = SubmitField("Send me a link")


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, message=f"Use at least {MIN_LENGTH} characters.")],
        description=f"At least {MIN_LENGTH} characters.",
    )
    confirm_password = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("password", message="The two new passwords differ.")],
    )
    submit = SubmitField("Set the new password")


# -- two-step sign-in ------------------------------------------------------------------------


class SignInCodeForm(FlaskForm):
    otp = StringField(
        "Code", validators=[DataRequired(message="Enter the code."), Length(max=64)],
        description="The 6-digit code your authenticator app shows, or one of your recovery codes.",
    )
    submit = SubmitField("Sign in")


class MfaStartForm(FlaskForm):
    submit = SubmitField("Set up two-step sign-in")


class MfaConfirmForm(FlaskForm):
    otp = StringField(
        "Code from the app", validators=[DataRequired(message="Enter the code."), Length(max=64)],
        description="After scanning, the app shows a 6-digit code that changes every 30 seconds.",
    )
    submit = SubmitField("Turn on two-step sign-in")


class MfaDisableForm(FlaskForm):
    otp = StringField(
        "Current code or a recovery code",
        validators=[DataRequired(message="Enter a current code or a recovery code."), Length(max=64)],
    )
    confirm = BooleanField(
        "Yes, turn off two-step sign-in: my password alone will sign me in.",
        validators=[DataRequired(message="Tick the box to confirm.")],
    )
    submit = SubmitField("Turn off two-step sign-in")
