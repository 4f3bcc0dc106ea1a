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
    """``<int:...>`` in routes: a whole number that fits a key column, else no match (404).

    The pattern itself stops at MAX_ID: a number the pattern takes but ``to_python`` refuses
    would answer 405 instead of 404 where the path has a rule for another method only (werkzeug
    checks the method before converting)."""

    regex = (r"(?:\d{1,9}|1\d{9}|20\d{8}|21[0-3]\d{7}|214[0-6]\d{6}|2147[0-3]\d{5}|21474[0-7]\d{4}"
             r"|214748[0-2]\d{3}|2147483[0-5]\d{2}|21474836[0-3]\d|214748364[0-7])")

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
