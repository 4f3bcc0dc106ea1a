"""Domain errors: raised by services and policy, turned into pages or JSON by the doors."""
from flask_babel import gettext

from coordination.i18n import N_


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str = "", **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra
        self.headers: dict[str, str] = {}

    def payload(self) -> dict:
        return {"error": self.code, "message": self.message, **self.extra}


class BadRequest(DomainError):
    status, code = 400, "bad_request"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class Conflict(DomainError):
    status, code = 409, "conflict"


class InvalidTransition(DomainError):
    status, code = 409, "invalid_transition"

    def __init__(self, trigger: str, state: str, allowed: list[str]):
        allowed_text = ", ".join(allowed) if allowed else gettext("none")
        super().__init__(
            gettext("'%(trigger)s' is not possible while the state is '%(state)s'. Possible now: %(allowed)s.",
                    trigger=trigger, state=state, allowed=allowed_text),
            state=state,
            allowed=allowed,
        )


class StaleVersion(DomainError):
    status, code = 409, "stale_version"

    def __init__(self, current_version: int):
        super().__init__(
            gettext("Someone else changed this in the meantime. Reload it and try again."),
            current_version=current_version,
        )


class ValidationError(DomainError):
    status, code = 422, "validation_error"

    def __init__(self, fields: dict[str, list[str]], message: str = N_("Some fields are not valid.")):
        # The default message is marked; a message the raiser gives is in the request's language.
        super().__init__(gettext(message), fields=fields)
        self.fields = fields


class RateLimited(DomainError):
    status, code = 429, "rate_limited"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message, retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}
