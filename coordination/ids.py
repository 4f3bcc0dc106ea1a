"""Row ids from outside (URLs, JSON bodies, forms): only values a database key can hold."""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; a larger literal makes the query itself fail


def is_number(value) -> bool:
    """``value`` is a string of ASCII digits that ``int()`` takes quickly. (``str.isdigit``
    also accepts '²', which ``int()`` refuses, and ``int()`` refuses over 4300 digits.)"""
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 100


def as_id(value) -> int | None:
    """``value`` as a row id (an int, or a string of digits), or None when it cannot be one."""
    if is_number(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        return None
    return value


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in routes: a whole number that fits a key column, else no match (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
