"""What the compliance tests share besides fixtures: users, instants, answers."""
from datetime import UTC, datetime

from sqlalchemy import select

from coordination.reporting.models import CountryReport

# The cycle deadline of most tests: 31 March 2027, midnight in each member state's own zone.
DEADLINE = "2027-03-31"
AFTER_DEADLINE = datetime(2027, 4, 5, 4, 0, tzinfo=UTC)  # 5 April everywhere in ASEAN
BEFORE_DEADLINE = datetime(2027, 3, 20, 4, 0, tzinfo=UTC)

USERS = {
    "secretariat": "secretariat@example.org",
    "observer": "observer@example.org",
    "admin": "admin@example.org",
    "ph": "coordinator.ph@example.org",
    "dswd": "staff.ph.dswd@example.org",
    "th": "coordinator.th@example.org",
    "mm": "coordinator.mm@example.org",
}

REQUIRED_ANSWERS = {
    "SPF_COVERAGE_TOTAL": {"value": 34.9},
    "SPF_CHILDREN": {"value": 21.5},
    "SPF_MATERNITY": {"value": 11.0, "availability": "estimate"},
    "SPF_DISABILITY": {"availability": "not_available", "reason": "No survey since 2016"},
    "SPF_OLDER_PERSONS": {"value": 40.0},
    "SPF_HEALTH_PROTECTION": {"value": 100.0},
    "COORD_FOCAL_POINT": {"value": True},
    "COORD_MECHANISM": {"value": True},
    "COORD_NATIONAL_FLOOR": {"value": False},
}


def report_of(session, cycle_id, country) -> CountryReport:
    return session.scalar(select(CountryReport).where(CountryReport.cycle_id == cycle_id,
                                                      CountryReport.country_code == country))
