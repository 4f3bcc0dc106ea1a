"""Recommendations and their assessments. Services load, apply the rules and flush; the caller
commits. Who may do what is the policy's (auth/policy.py)."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coordination.auth.policy import may, may_see, require
from coordination.directory.models import Country
from coordination.errors import InvalidTransition, NotFound, ValidationError
from coordination.ids import as_id
from coordination.items.models import ActionItem
from coordination.recommendations import schemas
from coordination.recommendations.models import (
    ASSESSED,
    VALIDATED,
    Assessment,
    AssessmentEvent,
    Recommendation,
    recommendation_countries,
)
from coordination.reminders import notices
from coordination.reporting.cycles import get_cycle
from coordination.reporting.models import ReportingCycle

# Cycles in which countries assess: every cycle once it is open (a planned one has no reports).
ASSESSED_CYCLE_STATES = ("open", "closed", "published")


@dataclass(frozen=True)
class AssessmentSlot:
    """One addressed country in one cycle, assessed or not yet: what the policy's sight rule of
    assessments looks at."""

    country_code: str
    cycle: ReportingCycle


def get_recommendation(session, recommendation_id) -> Recommendation:
    found = session.get(Recommendation, as_id(recommendation_id)) if as_id(recommendation_id) else None
    if found is None:
        raise NotFound(gettext("There is no such recommendation."))
    return found


def create_recommendation(session, actor, data: dict, now: datetime) -> Recommendation:
    require(actor, "recommendations.manage")
    body = schemas.RecommendationCreate.parse(data)
    known = set(session.scalars(select(Country.code)))
    if body.countries == "all":
        codes = sorted(known)
    else:
        unknown = [code for code in body.countries if code not in known]
        if unknown:
            raise ValidationError({"countries": [gettext("Unknown member state: %(codes)s.",
                                                         codes=", ".join(unknown))]})
        codes = body.countries
    recommendation = Recommendation(
        title=body.title, text=body.text, guarantee=body.guarantee, all_countries=body.countries == "all",
        adopted_on=body.adopted_on, horizon_year=body.horizon_year, created_by_id=actor.id, created_at=now,
        countries=list(session.scalars(select(Country).where(Country.code.in_(codes)).order_by(Country.code))))
    session.add(recommendation)
    session.flush()
    notices.recommendation_adopted(session, recommendation, codes, actor, now)
    return recommendation


def addressed_codes(recommendation: Recommendation) -> list[str]:
    return [country.code for country in recommendation.countries]


def recommendation_page(session, filters: schemas.RecommendationQuery, per_page: int):
    """A page of recommendations, newest first, by guarantee and addressed country."""
    statement = select(Recommendation)
    if filters.guarantee:
        statement = statement.where(Recommendation.guarantee == filters.guarantee)
    if filters.country:
        statement = statement.where(Recommendation.id.in_(
            select(recommendation_countries.c.recommendation_id)
            .where(recommendation_countries.c.country_code == filters.country.upper())))
    total = session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = list(session.scalars(statement.options(selectinload(Recommendation.countries))
                                .order_by(Recommendation.id.desc())
                                .limit(per_page).offset((filters.page - 1) * per_page)))
    return rows, total


def assessed_cycles(session) -> list[ReportingCycle]:
    """The cycles a recommendation's table shows, oldest first."""
    return list(session.scalars(select(ReportingCycle).where(ReportingCycle.state.in_(ASSESSED_CYCLE_STATES))
                                .order_by(ReportingCycle.period_end, ReportingCycle.id)))


def visible_assessments(session, actor, recommendation: Recommendation) -> list[Assessment]:
    """The recommendation's assessments the actor may read."""
    found = session.scalars(select(Assessment).where(Assessment.recommendation_id == recommendation.id)
                            .options(selectinload(Assessment.items), selectinload(Assessment.events),
                                     selectinload(Assessment.cycle))
                            .order_by(Assessment.country_code, Assessment.cycle_id))
    return [assessment for assessment in found if may_see(actor, assessment)]


def _slot(session, actor, recommendation, country_code: str, cycle_id) -> AssessmentSlot:
    cycle = get_cycle(session, cycle_id)
    slot = AssessmentSlot(str(country_code).upper()[:2], cycle)
    if not may_see(actor, slot):
        raise NotFound(gettext("There is no such assessment."))
    return slot


def find_assessment(session, recommendation, slot: AssessmentSlot) -> Assessment | None:
    return session.scalar(select(Assessment).where(Assessment.recommendation_id == recommendation.id,
                                                   Assessment.country_code == slot.country_code,
                                                   Assessment.cycle_id == slot.cycle.id))


def assessment_of(session, actor, recommendation_id, country_code, cycle_id):
    """(recommendation, slot, assessment or None) as the actor may see them (404 otherwise)."""
    recommendation = get_recommendation(session, recommendation_id)
    slot = _slot(session, actor, recommendation, country_code, cycle_id)
    return recommendation, slot, find_assessment(session, recommendation, slot)


def assess(session, actor, recommendation_id, country_code, cycle_id, data: dict, now: datetime) -> Assessment:
    """The coordinator rates the country's progress in the cycle (while it is open, until the
    secretariat has validated it)."""
    recommendation, slot, assessment = assessment_of(session, actor, recommendation_id, country_code, cycle_id)
    require(actor, "assessment.assess", slot)
    body = schemas.AssessmentInput.parse(data)
    errors: dict[str, list[str]] = {}
    if slot.country_code not in addressed_codes(recommendation):
        errors["country"] = [gettext("This recommendation does not address this member state.")]
    if slot.cycle.state != "open":
        errors["cycle"] = [gettext("Progress is assessed while the reporting cycle is open.")]
    ids = sorted(set(body.action_item_ids or []))
    items = list(session.scalars(select(ActionItem).where(ActionItem.id.in_(ids),
                                                          ActionItem.country_code == slot.country_code)
                                 .order_by(ActionItem.id))) if ids else []
    if len(items) != len(ids):
        errors["action_item_ids"] = [gettext("Link action items of this member state only.")]
    if errors:
        raise ValidationError(errors)
    if assessment is not None and assessment.state == VALIDATED:
        raise InvalidTransition("assess", VALIDATED, [])
    if assessment is None:
        assessment = Assessment(recommendation_id=recommendation.id, country_code=slot.country_code,
                                cycle_id=slot.cycle.id, state=ASSESSED, validation_comment="")
        session.add(assessment)
    assessment.progress, assessment.evidence, assessment.items = body.progress, body.evidence, items
    assessment.assessed_by_id, assessment.assessed_at = actor.id, now
    session.flush()
    session.add(AssessmentEvent(assessment_id=assessment.id, at=now, actor_id=actor.id, action="assess",
                                progress=body.progress, comment=body.evidence, item_ids=ids))
    session.flush()
    session.refresh(assessment)
    return assessment


def validate(session, actor, recommendation_id, country_code, cycle_id, data: dict, now: datetime) -> Assessment:
    """The secretariat agrees with the country's rating or revises it (a revision needs a comment)."""
    recommendation, slot, assessment = assessment_of(session, actor, recommendation_id, country_code, cycle_id)
    require(actor, "assessment.validate", slot)
    if assessment is None:
        raise NotFound(gettext("This member state has not assessed this recommendation in this cycle."))
    body = schemas.ValidationInput.parse(data)
    if body.progress != assessment.progress and not body.comment:
        raise ValidationError({"comment": [gettext("Say why the progress is revised.")]})
    assessment.state, assessment.validated_progress = VALIDATED, body.progress
    assessment.validation_comment, assessment.validated_by_id, assessment.validated_at = body.comment, actor.id, now
    session.add(AssessmentEvent(assessment_id=assessment.id, at=now, actor_id=actor.id, action="validate",
                                progress=body.progress, comment=body.comment,
                                item_ids=[item.id for item in assessment.items]))
    session.flush()
    notices.assessment_validated(session, assessment, recommendation, actor, now)
    session.refresh(assessment)
    return assessment


@dataclass
class ProgressTable:
    """A recommendation's country x cycle table: ``cells[(country, cycle id)]`` is the assessment
    the actor may read there, or absent."""

    recommendation: Recommendation
    cycles: list[ReportingCycle]
    countries: list[Country]
    cells: dict[tuple[str, int], Assessment]

    def validated(self, country: str, cycle_id: int) -> str | None:
        cell = self.cells.get((country, cycle_id))
        return cell.validated_progress if cell is not None else None


def progress_table(session, actor, recommendation_id) -> ProgressTable:
    require(actor, "recommendations.read")
    recommendation = get_recommendation(session, recommendation_id)
    cells = {(a.country_code, a.cycle_id): a for a in visible_assessments(session, actor, recommendation)}
    return ProgressTable(recommendation, assessed_cycles(session), list(recommendation.countries), cells)


def country_recommendations(session, actor, country_code: str) -> tuple[Country, list[Recommendation], dict]:
    """The recommendations addressing a member state, newest first, and its assessments the actor
    may read, by (recommendation id, cycle id)."""
    require(actor, "recommendations.read")
    country = session.get(Country, str(country_code).upper()[:2])
    if country is None:
        raise NotFound(gettext("There is no such member state."))
    recommendations = list(session.scalars(
        select(Recommendation).join(recommendation_countries,
                                    recommendation_countries.c.recommendation_id == Recommendation.id)
        .where(recommendation_countries.c.country_code == country.code).order_by(Recommendation.id.desc())))
    found = session.scalars(select(Assessment).where(Assessment.country_code == country.code)
                            .options(selectinload(Assessment.cycle)))
    cells = {(a.recommendation_id, a.cycle_id): a for a in found if may_see(actor, a)}
    return country, recommendations, cells


def cycle_assessments(session, actor, country_code: str, cycle: ReportingCycle) -> list[tuple]:
    """A member state's recommendations with its assessment in ``cycle`` (None where none yet), for
    its report's page and print view; empty when the actor may not read them."""
    if not may(actor, "assessment.read", AssessmentSlot(country_code, cycle)):
        return []
    recommendations = list(session.scalars(
        select(Recommendation).join(recommendation_countries,
                                    recommendation_countries.c.recommendation_id == Recommendation.id)
        .where(recommendation_countries.c.country_code == country_code).order_by(Recommendation.id)))
    found = {a.recommendation_id: a for a in session.scalars(
        select(Assessment).where(Assessment.cycle_id == cycle.id, Assessment.country_code == country_code))}
    return [(recommendation, found.get(recommendation.id)) for recommendation in recommendations]


def to_assess(session, actor) -> list[tuple[ReportingCycle, int]]:
    """For a coordinator's home: each open cycle with the number of recommendations addressing the
    country that it has not assessed there yet (cycles with none left out)."""
    if not (actor.role == "coordinator" and actor.country_code):
        return []
    addressed = select(recommendation_countries.c.recommendation_id).where(
        recommendation_countries.c.country_code == actor.country_code)
    found = []
    for cycle in session.scalars(select(ReportingCycle).where(ReportingCycle.state == "open")
                                 .order_by(ReportingCycle.deadline, ReportingCycle.id)):
        assessed = select(Assessment.recommendation_id).where(Assessment.cycle_id == cycle.id,
                                                              Assessment.country_code == actor.country_code)
        count = session.scalar(select(func.count()).select_from(
            addressed.where(recommendation_countries.c.recommendation_id.not_in(assessed)).subquery()))
        if count:
            found.append((cycle, count))
    return found
