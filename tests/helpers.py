"""Helpers the tests share."""
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import event, func, select

from coordination.demo import DEMO_PASSWORD
from coordination.extensions import db

# One user of every role; PH is the country whose pages the scope tests visit.
ROLE_USERS = {
    "coordinator": "coordinator.ph@example.org",
    "coordinator_elsewhere": "coordinator.id@example.org",
    "ministry_staff": "staff.ph.dswd@example.org",
    "secretariat": "secretariat@example.org",
    "observer": "observer@example.org",
    "admin": "admin@example.org",
}


def root_conftest(config):
    """``tests/conftest.py`` as pytest loaded it. Sub-folders have a conftest.py of their
    own, so ``import conftest`` may find one of those instead."""
    path = Path(__file__).with_name("conftest.py")
    for plugin in config.pluginmanager.get_plugins():
        module_file = getattr(plugin, "__file__", None)
        if module_file and Path(module_file) == path:
            return plugin
    raise LookupError(f"pytest did not load {path}")


def sign_in(client, email: str, password: str = DEMO_PASSWORD):
    """Sign ``client`` in through the login form; returns the response."""
    return client.post("/login", data={"email": email, "password": password})


def signed_in_client(app, email: str, password: str = DEMO_PASSWORD):
    """A new test client, signed in as ``email``."""
    client = app.test_client()
    response = sign_in(client, email, password)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def api_token(client, email: str, password: str = DEMO_PASSWORD) -> dict:
    """Headers carrying a fresh API token for ``email``."""
    response = client.post("/api/v1/tokens", json={"email": email, "password": password})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def is_login_redirect(response) -> bool:
    """True when ``response`` sends the browser to the sign-in page."""
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def row_counts(app) -> dict[str, int]:
    """The number of rows of every table the models know."""
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


_VOID_TAGS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _FieldErrors(HTMLParser):
    """Collects the messages a form shows next to each field: the ``invalid-feedback``
    (bootstrap-flask) or ``text-danger`` blocks after a control, up to the next control."""

    def __init__(self):
        super().__init__()
        self.errors: dict[str, list[str]] = {}
        self.form_errors: list[str] = []
        self._field: str | None = None
        self._collect: list[str] | None = None
        self._depth = 0
        self._alert_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self._collect is not None or self._alert_depth:
            if tag not in _VOID_TAGS:
                self._depth += 1
            return
        if tag in ("input", "select", "textarea") and attrs.get("name") not in (None, "csrf_token"):
            self._field = attrs["name"]
        elif tag == "div" and self._field and ({"invalid-feedback", "text-danger"} & set(classes)):
            self._collect = self.errors.setdefault(self._field, [])
            self._collect.append("")
            self._depth = 1
        elif tag == "div" and "alert-danger" in classes:
            self._alert_depth = 1
            self._depth = 1
            self.form_errors.append("")

    def handle_endtag(self, tag):
        if self._collect is None and not self._alert_depth:
            return
        self._depth -= 1
        if self._depth == 0:
            if self._collect is not None:
                self._collect[-1] = self._collect[-1].strip()
            else:
                self.form_errors[-1] = " ".join(self.form_errors[-1].split())
            self._collect = None
            self._alert_depth = 0

    def handle_data(self, data):
        if self._collect is not None:
            self._collect[-1] += data
        elif self._alert_depth:
            self.form_errors[-1] += data


def field_errors(response) -> dict[str, list[str]]:
    """``{field name: [message shown next to it, ...]}`` of a rendered form."""
    parser = _FieldErrors()
    parser.feed(response.get_data(as_text=True))
    return parser.errors


def form_errors(response) -> list[str]:
    """The messages of the alert above a rendered form."""
    parser = _FieldErrors()
    parser.feed(response.get_data(as_text=True))
    return parser.form_errors


# -- attachments ----------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def seed_attachments(session, now) -> dict[str, int]:
    """A file on an action item of the Philippines and of Thailand, and on the Philippines'
    open report (if any): what the walks download, list and remove. Committed by the caller."""
    import io

    from coordination.attachments import service
    from coordination.auth.models import User
    from coordination.items.models import ActionItem
    from coordination.reporting.models import CountryReport, ReportingCycle

    ids = {}
    for code in ("PH", "TH"):
        coordinator = session.scalar(select(User).where(User.email == f"coordinator.{code.lower()}@example.org"))
        item_id = session.scalar(select(ActionItem.id).where(ActionItem.country_code == code).order_by(ActionItem.id))
        if item_id is None:
            continue
        attachment = service.attach_to_item(session, coordinator, item_id, service.Upload(
            f"evidence-{code}.pdf", io.BytesIO(PDF_BYTES)), {"description": "Walked evidence"}, now, 1024 * 1024)
        ids[code] = attachment.id
    report_id = session.scalar(select(CountryReport.id).join(ReportingCycle).where(
        CountryReport.country_code == "PH", ReportingCycle.state == "open"))
    if report_id is not None:
        coordinator = session.scalar(select(User).where(User.email == "coordinator.ph@example.org"))
        attachment = service.attach_to_report(session, coordinator, report_id, service.Upload(
            "report-evidence.csv", io.BytesIO(b"a,b\n1,2\n")), {}, now, 1024 * 1024)
        ids["PH report"] = attachment.id
    return ids


# Answers to every required indicator of the demo template, as the values API takes them.
REQUIRED_ANSWERS = {
    "SPF_COVERAGE_TOTAL": {"value": 34.9},
    "SPF_CHILDREN": {"value": 21.5, "breakdown": {"female": 21.0, "male": 22.0}},
    "SPF_MATERNITY": {"value": 11.0, "availability": "estimate"},
    "SPF_DISABILITY": {"availability": "not_available", "reason": "No survey since 2016"},
    "SPF_OLDER_PERSONS": {"value": 40.0},
    "SPF_HEALTH_PROTECTION": {"value": 100.0},
    "COORD_FOCAL_POINT": {"value": True},
    "COORD_MECHANISM": {"value": True},
    "COORD_NATIONAL_FLOOR": {"value": False},
}


class Statements:
    """The statements (with parameters) an engine sends while active."""

    def __init__(self, engine):
        self.engine, self.seen = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        self.seen.append((statement, parameters))
