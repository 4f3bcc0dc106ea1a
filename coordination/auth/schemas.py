"""Schemas of the auth endpoints: tokens, the signed-in user, password reset, two-step sign-in."""
import re
from datetime import date
from typing import Literal

import pydantic
from flask_babel import gettext
from pydantic import ConfigDict

from coordination.i18n import LANGUAGES, N_
from coordination.roles import ROLES
from coordination.schemas import REQUIRED, Reply, Schema, checked, day, invalid, row_id

EMAIL_MAX = 254
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _given(value):
    """Present and not empty; its type is the service's question (a sign-in answers 401)."""
    if value in (None, ""):
        raise invalid(REQUIRED)
    return value


GIVEN = checked(_given, {"type": "string", "minLength": 1})


def _email(value):
    if value in (None, ""):
        raise invalid(REQUIRED)
    if not isinstance(value, str) or len(value) > EMAIL_MAX or not EMAIL_PATTERN.match(value.strip()):
        raise invalid(gettext("Enter a valid e-mail address."))
    return value


OTP = checked(lambda value: value, {"type": ["string", "null"],
                                    "description": "the 6-digit code of the authenticator app, or a recovery code"})


class TokenRequest(Schema):
    email: GIVEN
    password: GIVEN
    otp: OTP = None


class PasswordResetRequest(Schema):
    email: checked(_email, {"type": "string", "format": "email", "maxLength": EMAIL_MAX})


class PasswordResetConfirm(Schema):
    token: GIVEN
    password: GIVEN


class MfaCode(Schema):
    otp: OTP = None


LOCALES = tuple(LANGUAGES)


def _locale(value):
    """A language code of LANGUAGES, or null for "as the browser says"."""
    if value is None:
        return None
    if not isinstance(value, str) or value not in LOCALES:
        raise invalid(choose_locale())
    return value


def choose_locale() -> str:
    return gettext("Choose one of: %(codes)s, or null for the browser's language.", codes=", ".join(LOCALES))


LOCALE = checked(_locale, {"type": ["string", "null"], "enum": [*LOCALES, None],
                           "description": "en, id, th or vi; null: as the browser says (e-mail in English)"})


class MeUpdate(Schema):
    """The signed-in user's settings; a field left out stays as it is."""

    locale: LOCALE = None


# -- replies -------------------------------------------------------------------------------------

class Token(Reply):
    token: str


class MinistryRef(Reply):
    id: int
    acronym: str
    name: str


class Me(Reply):
    id: int
    email: str
    name: str
    role: Literal[ROLES]
    country: str | None
    ministry: MinistryRef | None
    mfa: bool
    locale: Literal[LOCALES] | None
    away_from: date | None = pydantic.Field(description="the first day away, or null")
    away_until: date | None = pydantic.Field(description="the last day away, or null")
    away_deputy_id: int | None = pydantic.Field(description="who receives a copy of reminders and notices meanwhile")
    away: bool = pydantic.Field(description="away today (the user's local date lies from away_from to away_until)")


class Nothing(Reply):
    """An empty object: the answer says nothing (it would otherwise tell whether an account exists)."""


class ResetQueued(Reply):
    queued: bool


class MfaSecret(Reply):
    secret: str
    otpauth_uri: str


class RecoveryCodes(Reply):
    recovery_codes: list[str]


# -- away and deputies -----------------------------------------------------------------------------

AWAY_FROM = day(N_("Enter the first day away as a date, e.g. 2027-03-31."))
AWAY_UNTIL = day(N_("Enter the last day away as a date, e.g. 2027-04-09."))
DEPUTY = row_id(N_("Choose a deputy among the people offered."))


class AwayChange(Schema):
    """Away from ``from`` to ``until`` (the user's local dates, both included); meanwhile the
    deputy receives a copy of the user's reminders and notices."""

    model_config = ConfigDict(populate_by_name=True)

    away_from: AWAY_FROM = pydantic.Field(alias="from", description="the first day away")
    away_until: AWAY_UNTIL = pydantic.Field(alias="until", description="the last day away (not in the past)")
    deputy_id: DEPUTY = pydantic.Field(None, description="a user of the same ministry, or (for a coordinator) "
                                                         "another coordinator of the same country; null: nobody")
