"""Demo good practices: two published write-ups of well-known national programmes, one of
them with a question from another member state and its answer, so that a new user sees the
library at work. Safe to run again: a practice already there (by title) is left as it is."""
from datetime import UTC, datetime

from sqlalchemy import select

from coordination.auth.models import User
from coordination.practices.models import Practice, PracticeQuestion

PRACTICES = (
    {
        "country_code": "PH", "author": "coordinator.ph@example.org", "contact": "staff.ph.dswd@example.org",
        "guarantee": "overall", "published_at": datetime(2026, 9, 15, 2, 0, tzinfo=UTC),
        "title": "Listahanan and the Community-Based Monitoring System: one registry of poor households",
        "summary": "Listahanan, the Department of Social Welfare and Development's household targeting "
                   "system, identifies who the poor are through nationwide household assessments; national "
                   "programmes such as the Pantawid Pamilyang Pilipino Program and the health insurance "
                   "subsidy select their beneficiaries from it instead of keeping lists of their own.",
        "body": "Listahanan (the National Household Targeting System for Poverty Reduction) assesses every "
                "household in poor areas, and on-demand elsewhere, with one questionnaire; a proxy means "
                "test estimates each household's income from what it owns and how it lives. The list is "
                "validated in community assemblies before it is final, and households may appeal.\n\n"
                "The Community-Based Monitoring System, made law by Republic Act 11315 of 2019 and led by "
                "the Philippine Statistics Authority, collects household data at the level of each barangay "
                "and gives local governments their own poverty maps. Matching the two lets a municipality "
                "see which poor households no programme reaches yet.\n\n"
                "What made it work: one agency keeps the registry and shares it under data-sharing "
                "agreements that respect the Data Privacy Act; every programme uses the same household "
                "identifier; assessments are repeated (2009, 2015, 2019–2020) so that the list does not "
                "age. What to plan for: the cost of a national assessment, and the gap between two "
                "assessments, which on-demand registration fills only in part.",
    },
    {
        "country_code": "TH", "author": "coordinator.th@example.org", "contact": "staff.th.nhso@example.org",
        "guarantee": "health", "published_at": datetime(2026, 10, 6, 3, 0, tzinfo=UTC),
        "title": "The Universal Coverage Scheme: essential health care for everyone not otherwise insured",
        "summary": "Since 2002 the Universal Coverage Scheme, run by the National Health Security Office, "
                   "covers every Thai citizen who is not a civil servant nor insured by the Social Security "
                   "Office, with a defined benefit package free at the point of service and financed from "
                   "general taxation.",
        "body": "The National Health Security Act of 2002 created the National Health Security Office as "
                "a purchaser separate from the Ministry of Public Health, which runs most providers. Each "
                "member registers with a primary care unit near home; the unit is paid a capitation per "
                "registered person for outpatient care, and hospital stays are paid by diagnosis-related "
                "groups within a global budget.\n\n"
                "Together with the civil servants' scheme and social security, it brought health coverage "
                "close to the whole population within a few years, and out-of-pocket spending fell. The "
                "benefit package is widened step by step on the evidence of health technology "
                "assessment (kidney dialysis, antiretroviral treatment).\n\n"
                "What others should know: registration uses the national identity number, which let the "
                "three schemes exclude double coverage from the start; primary care capacity in rural "
                "districts had to grow with the scheme.",
    },
)
QUESTION = {
    "title": PRACTICES[0]["title"], "author": "coordinator.vn@example.org",
    "asked_at": datetime(2026, 10, 20, 4, 0, tzinfo=UTC),
    "question": "How do programmes other than the Pantawid Pamilyang Pilipino Program receive the list, and "
                "who may correct a household's record between two assessments?",
    "answered_by": "coordinator.ph@example.org", "answered_at": datetime(2026, 10, 22, 6, 30, tzinfo=UTC),
    "answer": "Each agency signs a data-sharing agreement with DSWD and receives the records it needs for "
              "its programme. Between assessments a household may ask to be assessed on demand at its "
              "municipal social welfare office; the record changes only after that assessment.",
}


def seed_practices(session) -> dict[str, int]:
    users = dict(session.execute(select(User.email, User.id)).all())
    existing = set(session.scalars(select(Practice.title)))
    added = 0
    for entry in PRACTICES:
        if entry["title"] in existing or entry["author"] not in users:
            continue
        published = entry["published_at"]
        session.add(Practice(
            country_code=entry["country_code"], title=entry["title"], summary=entry["summary"], body=entry["body"],
            guarantee=entry["guarantee"], state="published", contact_user_id=users.get(entry["contact"]),
            contact_name="", contact_email="", created_by_id=users[entry["author"]], created_at=published,
            updated_at=published, published_at=published))
        added += 1
    session.flush()
    practice_id = session.scalar(select(Practice.id).where(Practice.title == QUESTION["title"]))
    if added and practice_id is not None and QUESTION["author"] in users:
        session.add(PracticeQuestion(
            practice_id=practice_id, author_id=users[QUESTION["author"]], question=QUESTION["question"],
            asked_at=QUESTION["asked_at"], answer=QUESTION["answer"],
            answered_by_id=users.get(QUESTION["answered_by"]), answered_at=QUESTION["answered_at"]))
        session.flush()
    return {"practices": added}
