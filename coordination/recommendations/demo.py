"""Demo recommendations: priorities of the ASEAN Declaration on Strengthening Social Protection
(2013) and its Regional Framework and Action Plan (2018), with a few member states' assessments
in the demo's published cycles, rated by the country and validated by the secretariat."""
from datetime import date, timedelta

from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import Country
from coordination.recommendations.models import VALIDATED, Assessment, AssessmentEvent, Recommendation
from coordination.reporting.demo import CYCLE_2019, HISTORICAL_CYCLE
from coordination.reporting.models import CountryReport, ReportingCycle

ALL = "all"
DECLARATION, FRAMEWORK = date(2013, 10, 9), date(2018, 11, 13)
RECOMMENDATIONS = (
    ("A standardised social registry in every member state",
     "Establish one national social registry that records households once, with common data standards, so "
     "that every scheme identifies those eligible from the same source and nobody is left out or counted "
     "twice.", None, ALL, FRAMEWORK, 2025),
    ("Portability of social security benefits for migrant workers",
     "Conclude bilateral or regional agreements so that migrant workers keep the pension and employment-"
     "injury rights they earned in another member state, and can claim them from home.", "working_age",
     ["ID", "MY", "PH", "SG", "TH"], FRAMEWORK, 2030),
    ("A universal child benefit",
     "Move step by step towards a child benefit that reaches every child, starting with the first 1 000 "
     "days and the poorest households, financed from the national budget.", "children",
     ["KH", "ID", "LA", "MM", "PH", "VN"], DECLARATION, 2030),
    ("A coordination mechanism established by law",
     "Give the national social protection coordination mechanism a legal basis that names its member "
     "ministries, its secretariat and the ministry that reports to the regional network.", None, ALL,
     DECLARATION, 2025),
)
# (recommendation, country, cycle, the country's rating, the secretariat's, its comment, evidence)
ASSESSMENTS = (
    (0, "PH", CYCLE_2019, "limited", "limited", "", "Listahanan covers the poorest households only."),
    (0, "PH", HISTORICAL_CYCLE, "substantial", "some", "The registry is not yet used by every scheme.",
     "The Community-Based Monitoring System Act (RA 11315) and Listahanan 3."),
    (0, "TH", HISTORICAL_CYCLE, "substantial", "substantial", "", "The state welfare card registry."),
    (0, "ID", CYCLE_2019, "some", "some", "", "The Integrated Social Welfare Data (DTKS)."),
    (0, "ID", HISTORICAL_CYCLE, "substantial", "substantial", "", "REGSOSEK, the socio-economic registration."),
    (1, "PH", HISTORICAL_CYCLE, "some", "some", "", "Bilateral agreements with several host countries."),
    (1, "MY", HISTORICAL_CYCLE, "limited", "limited", "", "SOCSO covers foreign workers for employment injury."),
    (2, "KH", HISTORICAL_CYCLE, "some", "some", "", "The Family Package's cash transfer for pregnant women "
                                                     "and young children."),
    (2, "VN", CYCLE_2019, "no_progress", "limited", "The social assistance decree covers some children.",
     "No child benefit yet."),
    (3, "KH", HISTORICAL_CYCLE, "full", "full", "", "The National Social Protection Council, by sub-decree."),
    (3, "VN", HISTORICAL_CYCLE, "some", "some", "", "The inter-ministerial steering committee."),
)


def seed_recommendations(session) -> int:
    """The demo's recommendations and assessments, once; the number of recommendations added."""
    secretariat = session.scalar(select(User).where(User.email == "secretariat@example.org"))
    if secretariat is None or session.scalar(select(Recommendation.id).limit(1)) is not None:
        return 0
    countries = {c.code: c for c in session.scalars(select(Country))}
    cycles = {c.name: c for c in session.scalars(select(ReportingCycle).where(
        ReportingCycle.name.in_([CYCLE_2019, HISTORICAL_CYCLE])))}
    made = []
    for title, text, guarantee, codes, adopted_on, horizon in RECOMMENDATIONS:
        chosen = sorted(countries) if codes == ALL else codes
        recommendation = Recommendation(title=title, text=text, guarantee=guarantee, all_countries=codes == ALL,
                                        adopted_on=adopted_on, horizon_year=horizon, created_by_id=secretariat.id,
                                        countries=[countries[code] for code in chosen if code in countries])
        session.add(recommendation)
        made.append(recommendation)
    session.flush()
    for index, code, cycle_name, rating, validated, comment, evidence in ASSESSMENTS:
        cycle, coordinator = cycles.get(cycle_name), session.scalar(
            select(User).where(User.email == f"coordinator.{code.lower()}@example.org"))
        report = cycle and session.scalar(select(CountryReport).where(CountryReport.cycle_id == cycle.id,
                                                                      CountryReport.country_code == code))
        if report is None or coordinator is None or report.first_submitted_at is None:
            continue
        assessed_at, validated_at = report.first_submitted_at - timedelta(days=1), report.accepted_at
        assessment = Assessment(recommendation_id=made[index].id, country_code=code, cycle_id=cycle.id,
                                state=VALIDATED, progress=rating, evidence=evidence, assessed_by_id=coordinator.id,
                                assessed_at=assessed_at, validated_progress=validated, validation_comment=comment,
                                validated_by_id=secretariat.id, validated_at=validated_at)
        session.add(assessment)
        session.flush()
        session.add_all([
            AssessmentEvent(assessment_id=assessment.id, at=assessed_at, actor_id=coordinator.id, action="assess",
                            progress=rating, comment=evidence, item_ids=[]),
            AssessmentEvent(assessment_id=assessment.id, at=validated_at or assessed_at, actor_id=secretariat.id,
                            action="validate", progress=validated, comment=comment, item_ids=[])])
    session.flush()
    return len(made)
