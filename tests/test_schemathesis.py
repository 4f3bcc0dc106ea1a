"""schemathesis over the OpenAPI document: for every operation, requests generated from the
document (a bounded number per operation, the same ones every run), as a coordinator and as the
secretariat, against the Flask app on SQLite; requests that fit the document, and requests
that do not (which must be refused with a status the document lists). None may answer a server error, a status the
document does not list, or a body that is not what the document says."""
import pytest
import schemathesis
from helpers import ROLE_USERS, api_token
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from sqlalchemy import select
from test_api_walk import walked  # noqa: F401 - the fixture: demo data, action items, an open cycle

from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.items.models import ActionItem
from coordination.reporting.models import CountryReport, MonitoringTemplate, ReportingCycle

# Examples per operation, role and mode: the four runs take well under two minutes together.
EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Revoking the token would end the run's own authentication: test_api_walk.py revokes one of its own.
SKIPPED = {("DELETE", "/api/v1/tokens/current")}


def real_ids(session) -> dict:
    """Path parameters that name real rows of the Philippines (the generated ones mostly miss)."""
    cycle = session.scalar(select(ReportingCycle.id).where(ReportingCycle.state == "open"))
    return {
        "item_id": session.scalar(select(ActionItem.id).where(ActionItem.country_code == "PH")),
        "report_id": session.scalar(select(CountryReport.id).where(
            CountryReport.cycle_id == cycle, CountryReport.country_code == "PH")),
        "cycle_id": cycle,
        "template_id": session.scalar(select(MonitoringTemplate.id)),
        "user_id": session.scalar(select(User.id).where(User.email == ROLE_USERS["ministry_staff"])),
        "ministry_id": session.scalar(select(Ministry.id).where(Ministry.country_code == "PH")),
        "code": "PH", "indicator_code": "SPF_COVERAGE_TOTAL", "guarantee": "health",
    }


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("role", ["coordinator", "secretariat"])
def test_generated_requests_get_documented_answers(walked, session, role, mode):  # noqa: F811 - the fixture
    app = walked
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    headers = api_token(app.test_client(), ROLE_USERS[role])
    ids = real_ids(session)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        names = [p.name for p in operation.path_parameters]
        fixed = {name: ids[name] for name in names if name in ids}
        if operation.path.endswith("/values/{code}"):
            fixed["code"] = "SPF_COVERAGE_TOTAL"

        @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(mode, path_parameters=fixed))
        def examples(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            examples()
        except Exception as failure:  # noqa: BLE001 - every operation's failure is reported at the end
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    assert failures == [], "\n\n".join(failures)
