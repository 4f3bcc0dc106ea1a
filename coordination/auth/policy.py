"""The permission policy: may this actor do this to this object?

Every door (web page, JSON API, command) asks here. Two questions, in order:

1. May the actor *see* the object at all? The tenant boundary is the country:
   an object of another country is treated as absent (404), so that its
   existence does not leak.
2. May the actor do the action? If not: 403.
"""
from collections.abc import Callable

from coordination.errors import Forbidden, NotFound

REGIONAL_ROLES = ("secretariat", "observer", "admin")
_RULES: dict[str, Callable] = {}


def rule(action: str):
    def register(func):
        _RULES[action] = func
        return func

    return register


def may_see(actor, target) -> bool:
    """The tenant boundary. Directory objects are shared; the rest belongs to a country."""
    if target is None or getattr(target, "shared_directory", False):
        return True
    see = getattr(target, "visible_to", None)
    if see is not None:
        return see(actor)
    country = getattr(target, "country_code", None)
    return country is None or actor.country_code == country


def may(actor, action: str, target=None) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.active:
        return False
    if action not in _RULES:
        raise KeyError(f"no permission rule for {action!r}")
    return may_see(actor, target) and bool(_RULES[action](actor, target))


def require(actor, action: str, target=None) -> None:
    """Raise NotFound when the target is out of the actor's sight, Forbidden when the
    action is not theirs; return quietly otherwise."""
    if target is not None and not may_see(actor, target):
        raise NotFound("There is no such page.")
    if not may(actor, action, target):
        raise Forbidden("You may not do this.")


def same_country(actor, target) -> bool:
    return actor.country_code is not None and actor.country_code == target.country_code


# -- directory -------------------------------------------------------------------------


@rule("directory.read")
def _directory_read(actor, target) -> bool:
    return True


@rule("directory.manage")
def _directory_manage(actor, target) -> bool:
    return actor.role == "admin"


@rule("mechanism.edit")
def _mechanism_edit(actor, country) -> bool:
    return actor.role == "coordinator" and same_country(actor, country)


# -- users -----------------------------------------------------------------------------


@rule("users.manage")
def _users_manage(actor, target) -> bool:
    return actor.role == "admin"


@rule("account.edit")
def _account_edit(actor, user) -> bool:
    return user is not None and actor.id == user.id
