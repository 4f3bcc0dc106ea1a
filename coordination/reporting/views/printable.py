"""The printable country report (/reports/ID/print): the whole report as one document, for
the browser's "Print" or "Save as PDF": a title page, the indicators by guarantee with the
national floors and targets, the narrative and self-ratings, and where each figure comes from
(its flag, reason, source note, year and the ministry that supplies it). No navigation and no
forms; the same readers as the report page (404 for another member state's)."""
from dataclasses import dataclass
from datetime import date, datetime

from flask_login import current_user, login_required

from coordination import clock
from coordination.directory.models import Mechanism
from coordination.extensions import db
from coordination.reporting import reports, rules, targets, templates
from coordination.reporting.models import NARRATIVE_GUARANTEES, CountryReport, Extension, Narrative
from coordination.reporting.values import standing
from coordination.reporting.views.blueprint import bp
from coordination.reporting.views.pages import Page
from coordination.reporting.views.report_page import GUARANTEE_ORDER, load_report


@dataclass
class PrintPage(Page):
    TEMPLATE = "reporting/print.html"
    report: CountryReport
    cycle: object
    mechanism: Mechanism | None
    groups: list[tuple[str, list[dict]]]  # (guarantee, its indicators' entries) in GUARANTEE_ORDER
    narratives: dict[str, Narrative]
    sections: list[dict]
    rating_labels: dict[str, str]
    missing: list[str]
    completeness: float
    deadline: date
    extension: Extension | None
    flagged: list[dict]  # the entries whose value is an estimate or missing with a reason
    printed_at: datetime
    narrative_guarantees: tuple = NARRATIVE_GUARANTEES


def _entries(session, report: CountryReport) -> list[tuple[str, list[dict]]]:
    found = targets.targets_for(session, report.country_code)
    rows = reports.values_by_code(report)
    groups: dict[str, list[dict]] = {}
    for indicator in report.cycle.template.indicators:
        row = rows[indicator.code]
        target = found.get(indicator.code)
        groups.setdefault(indicator.guarantee, []).append(
            {"indicator": indicator, "row": row, "value": row.value if row is not None else None, "target": target,
             "status": standing(indicator, row, target)})
    ordered = [(g, groups[g]) for g in GUARANTEE_ORDER if g in groups]
    return ordered + [(g, entries) for g, entries in groups.items() if g not in GUARANTEE_ORDER]


def print_page(session, actor, report: CountryReport, now: datetime) -> PrintPage:
    spec = templates.default_format()
    deadline, extension = rules.effective_deadline(report.cycle, report.country_code)
    groups = _entries(session, report)
    flagged = [e for _, entries in groups for e in entries
               if e["row"] is not None and e["row"].availability in ("estimate", "not_available", "not_applicable")]
    return PrintPage(report=report, cycle=report.cycle, mechanism=report.country.mechanism, groups=groups,
                     narratives={n.guarantee: n for n in report.narratives},
                     sections=spec["narrative_sections_per_guarantee"], rating_labels=spec["self_rating"]["labels"],
                     missing=reports.missing_required(report), completeness=reports.completeness(report),
                     deadline=deadline, extension=extension, flagged=flagged, printed_at=now)


@bp.get("/reports/<int:report_id>/print")
@login_required
def print_report(report_id: int):
    report = load_report(db.session, current_user, report_id)
    return print_page(db.session, current_user, report, clock.now()).render()
