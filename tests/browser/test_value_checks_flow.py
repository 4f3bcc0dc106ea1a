"""Checks and history of values in a real browser: the coordinator enters a total outside its
parts by sex, sees the check beside the value and gathered on "check your answers" (no submit
button while it fails), reads the value's history, corrects it and submits. The check page
and the history page pass axe-core."""
import re

import pytest
from test_accessibility import axe_violations

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.ph@example.org"
CHILDREN = "Children covered by social protection benefits"
REQUIRED = {
    "SPF_COVERAGE_TOTAL": {"value": 34.9}, "SPF_MATERNITY": {"value": 11.0, "availability": "estimate"},
    "SPF_DISABILITY": {"availability": "not_available", "reason": "No survey since 2016"},
    "SPF_OLDER_PERSONS": {"value": 40.0}, "SPF_HEALTH_PROTECTION": {"value": 100.0},
    "COORD_FOCAL_POINT": {"value": True}, "COORD_MECHANISM": {"value": True}, "COORD_NATIONAL_FLOOR": {"value": False},
}


def arrange(page, base_url) -> int:
    """An open cycle, the Philippines' report started with every required value but one."""
    def token(email):
        return page.request.post(f"{base_url}/api/v1/tokens", data={"email": email, "password": "demo-password"}
                                 ).json()["token"]

    def call(method, path, body, who):
        response = page.request.fetch(f"{base_url}/api/v1{path}", method=method, data=body,
                                      headers={"Authorization": f"Bearer {who}"})
        assert response.ok, response.text()
        return response.json()

    secretariat, coordinator = token("secretariat@example.org"), token(COORDINATOR)
    template = next(t for t in page.request.get(f"{base_url}/api/v1/templates",
                                                headers={"Authorization": f"Bearer {secretariat}"}).json()
                    if t["name"] == "ASEAN SPF self-assessment")
    cycle = call("POST", "/cycles", {"name": "2027 self-assessment", "template_id": template["id"],
                                     "period_start": "2026-01-01", "period_end": "2026-12-31",
                                     "deadline": "2027-03-31"}, secretariat)
    call("POST", f"/cycles/{cycle['id']}/transitions", {"trigger": "open"}, secretariat)
    report = page.request.get(f"{base_url}/api/v1/cycles/{cycle['id']}",
                              headers={"Authorization": f"Bearer {coordinator}"}).json()["reports"][0]["id"]
    version = page.request.get(f"{base_url}/api/v1/reports/{report}",
                               headers={"Authorization": f"Bearer {coordinator}"}).json()["version"]
    call("POST", f"/reports/{report}/transitions", {"trigger": "start", "version": version}, coordinator)
    for code, body in REQUIRED.items():
        call("PUT", f"/reports/{report}/values/{code}", body, coordinator)
    return report


def enter_children(page, total):
    block = page.get_by_role("rowgroup", name=re.compile(r"\(SPF_CHILDREN\)$"))
    block.get_by_text(f"Enter the value of {CHILDREN}", exact=True).click()
    block.get_by_label("Value (%)").fill(total)
    block.get_by_label("Female", exact=True).fill("21")
    block.get_by_label("Male", exact=True).fill("22")
    block.get_by_role("button", name="Save the value").click()
    return page.get_by_role("rowgroup", name=re.compile(r"\(SPF_CHILDREN\)$"))


@pytest.fixture
def page(axe_page):
    return axe_page


def test_a_failed_check_is_shown_gathered_and_corrected(page, live_server, sign_in):
    report = arrange(page, live_server)
    sign_in(page, live_server, COORDINATOR)
    page.goto(f"{live_server}/reports/{report}")
    block = enter_children(page, "25")
    expect(page.get_by_role("status")).to_contain_text("Check it:")
    expect(block.locator(".value-check")).to_contain_text("outside its parts")

    page.goto(f"{live_server}/reports/{report}/submit")
    checks = page.locator("#checks")
    expect(checks).to_contain_text("outside its parts")
    expect(page.get_by_role("button", name="Submit the report")).to_have_count(0)
    assert [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")] == []
    checks.get_by_role("link", name=CHILDREN).click()

    block = enter_children(page, "21.5")
    expect(block.locator(".value-check")).to_have_count(0)
    block.get_by_role("link", name=f"2 changes of {CHILDREN}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"History of {CHILDREN}")
    expect(page.locator("tbody tr")).to_have_count(2)
    assert [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")] == []

    page.goto(f"{live_server}/reports/{report}/submit")
    expect(page.locator("#checks")).to_have_count(0)
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_role("status")).to_contain_text("submitted")
