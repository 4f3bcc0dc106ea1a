"""How a session cookie becomes a user: the cookie carries the user's session counter,
and a cookie with an older counter, or of a disabled user, loads nobody."""
from functools import lru_cache

from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext
from itsdangerous import URLSafeTimedSerializer

from coordination.auth.models import User
from coordination.extensions import db
from coordination.i18n import N_


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, without its cost on requests that carry no cookie (the
    JSON API's): the signing serializer is built once per set of keys, and only when a cookie
    is there to read or to write."""

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)  # the current key last
        return _serializer(keys, self.salt, self.serializer, self.key_derivation, self.digest_method)

    def open_session(self, app, request):
        if app.secret_key and ("HTTP_COOKIE" not in request.environ
                               or not request.cookies.get(self.get_cookie_name(app))):
            return self.session_class()
        return super().open_session(app, request)


@lru_cache(maxsize=8)
def _serializer(keys: tuple, salt, serializer, key_derivation, digest_method) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(list(keys), salt=salt, serializer=serializer,
                                  signer_kwargs={"key_derivation": key_derivation, "digest_method": digest_method})


def load_user(cookie_id: str) -> User | None:
    user_id, _, counter = (cookie_id or "").partition(":")
    if not user_id.isdigit() or not counter.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_counter != int(counter):
        return None
    return user


def init_login_manager(login_manager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please sign in to see this page.")
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"
    # "strong" would end the session when the address changes (mobile users): the
    # counter already makes stolen cookies revocable.
    login_manager.session_protection = "basic"
