"""Regional reporting pages: monitoring templates, reporting cycles, country reports, and
national floors and targets; one blueprint, a module of views for each.

Thin views, in the shape of coordination/forms.py: they read the form, call a service and
redirect; the request commits once (coordination/unit_of_work.py). A service's ValidationError
comes back as errors at the field (422, nothing is kept); Conflict, InvalidTransition and a
stale version as a message on the page the user came from (``refused``: nothing is kept);
Forbidden and NotFound as the error page (403, 404). What a page shows is gathered by its
page object (pages.py, report_page.py).
"""
from coordination.reporting.views import (  # noqa: F401 - the routes
    cycles,
    importing,
    printable,
    reports,
    submission_pages,
    targets,
    templates,
)
from coordination.reporting.views.blueprint import bp

__all__ = ["bp"]
