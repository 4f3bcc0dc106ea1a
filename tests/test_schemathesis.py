"""schemathesis over the OpenAPI document: for every operation, requests generated from the
document (a bounded number per operation, the same ones every run), each sent as a coordinator
and as the secretariat, against the Flask app on SQLite; requests that fit the document, and
requests that do not (which must be refused with a status the document lists). None may answer a
server error, a status the document does not list, or a body that is not what the document says."""
import pytest
import schemathesis
from helpers import ROLE_USERS, api_token
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from sqlalchemy import select
from test_api_walk import add_walk_data, walked  # noqa: F401 - the fixture: demo data, action items, an open cycle

from coordination.auth.models import User
from coordination.directory.models import Ministry
from coordination.items.models import ActionItem
from coordination.meetings.models import Meeting
from coordination.practices.models import Practice
from coordination.reporting.models import CountryReport, MonitoringTemplate, ReportingCycle

# Examples per operation and mode, each sent as every role of ROLES on the same data: drawing
# them costs more than sending them, so the roles share them.
EXAMPLES = 15
ROLES = ("coordinator", "secretariat")
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
        "meeting_id": session.scalar(select(Meeting.id).where(Meeting.country_code == "PH")),
        "practice_id": session.scalar(select(Practice.id).where(Practice.country_code == "PH")),
    }


def drawn(operation, mode, path_parameters) -> list:
    """EXAMPLES requests of ``operation``, the same every run."""
    cases = []

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(mode, path_parameters=path_parameters))
    def draw(case):
        cases.append(case)

    draw()
    return cases


def generated_cases(schema, mode, ids) -> list[tuple[str, list]]:
    """The requests of every operation, as (name, cases): drawn once, before any is sent."""
    plan = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        names = [p.name for p in operation.path_parameters]
        fixed = {name: ids[name] for name in names if name in ids}
        if operation.path.endswith("/values/{code}"):
            fixed["code"] = "SPF_COVERAGE_TOTAL"
        plan.append((f"{operation.method.upper()} {operation.path}", drawn(operation, mode, fixed)))
    return plan


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_documented_answers(walked, backend, session, mode):  # noqa: F811 - the fixture
    app = walked
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    plan = generated_cases(schema, mode, real_ids(session))
    failures = []
    for n, role in enumerate(ROLES):
        if n:  # each role starts from the same data (the ids of the cases are its rows)
            backend.reset(seeded=True)
            add_walk_data(app)
        headers = api_token(app.test_client(), ROLE_USERS[role])
        for name, cases in plan:
            for case in cases:
                try:
                    case.call_and_validate(headers=headers, checks=CHECKS)
                except (Exception, FailureGroup) as failure:  # noqa: BLE001 - every operation's is reported at the end
                    failures.append(f"{name} as {role}: {failure}")
                    break  # its first failure is enough
    assert failures == [], "\n\n".join(failures)
