"""Password hashing with argon2id."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext

MIN_LENGTH = 10
_hasher = PasswordHasher()


def configure(time_cost: int, memory_cost: int) -> None:
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches. An absent hash still costs one verification,
    so that an unknown account takes as long to refuse as a wrong password."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    key = f"{_hasher.time_cost}:{_hasher.memory_cost}"
    if key not in _DUMMY:
        _DUMMY[key] = _hasher.hash("no account has this password")
    return _DUMMY[key]


def password_problems(password: str) -> list[str]:
    if len(password) < MIN_LENGTH:
        return [gettext("Use at least %(min)d characters.", min=MIN_LENGTH)]
    return []
