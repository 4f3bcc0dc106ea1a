"""The account pages, on one blueprint (``auth``): a module for each group of pages. Importing
this package imports them all, and with them their routes."""
from coordination.auth.views import account, away, language, password_reset, sign_in, users  # noqa: F401 - their routes
from coordination.auth.views.blueprint import bp

__all__ = ["bp"]
