"""How a session cookie becomes a user: the cookie carries the user's session counter,
and a cookie with an older counter, or of a disabled user, loads nobody."""
from flask_babel import gettext

from coordination.auth.models import User
from coordination.extensions import db
from coordination.i18n import N_


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
