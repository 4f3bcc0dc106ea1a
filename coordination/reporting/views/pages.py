"""Page objects of the template, cycle and target pages: each gathers what one page shows
to one actor, in a fixed number of queries, and renders it (the report page: report_page.py)."""
from dataclasses import dataclass, fields
from typing import ClassVar

from flask import render_template
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coordination.auth.policy import may
from coordination.directory.models import Country
from coordination.i18n import N_
from coordination.reporting import cycles, rules, targets, templates, workflow
from coordination.reporting.forms import TargetForm
from coordination.reporting.models import (
    NUMERIC_UNITS,
    CountryReport,
    CycleEvent,
    MonitoringTemplate,
    ReportingCycle,
)
from coordination.reporting.template_forms import CopyTemplateForm
from coordination.reporting.views.blueprint import translated

CYCLE_BUTTONS = {
    "open": N_("Open the cycle (creates a report for each member state)"),
    "close": N_("Close the cycle…"),
    "publish": N_("Publish the comparison (visible to every member state and observer)"),
}


class Page:
    """A dataclass whose fields are the variables of its Jinja template ``TEMPLATE``."""

    TEMPLATE: ClassVar[str]

    def render(self, status: int = 200):
        return render_template(self.TEMPLATE, **{f.name: getattr(self, f.name) for f in fields(self)}), status


# -- templates ----------------------------------------------------------------------------------

@dataclass
class TemplateList(Page):
    TEMPLATE = "reporting/templates.html"
    templates: list[MonitoringTemplate]
    in_use: set[int]  # ids of the templates a cycle uses


def template_list(session) -> TemplateList:
    found = session.scalars(select(MonitoringTemplate).order_by(MonitoringTemplate.name)
                            .options(selectinload(MonitoringTemplate.indicators))).all()
    return TemplateList(templates=found, in_use=templates.templates_in_use(session, [t.id for t in found]))


@dataclass
class TemplatePage(Page):
    TEMPLATE = "reporting/template.html"
    template: MonitoringTemplate
    cycles: list[ReportingCycle]  # the cycles that use it, latest deadline first
    in_use: bool
    copy_form: CopyTemplateForm
    source: MonitoringTemplate | None  # the template it was copied from


def template_page(session, template: MonitoringTemplate, copy_form: CopyTemplateForm | None = None) -> TemplatePage:
    using = session.scalars(select(ReportingCycle).where(ReportingCycle.template_id == template.id)
                            .order_by(ReportingCycle.deadline.desc())).all()
    source = session.get(MonitoringTemplate, template.copied_from_id) if template.copied_from_id else None
    return TemplatePage(template=template, cycles=using, in_use=bool(using), source=source,
                        copy_form=copy_form or CopyTemplateForm(
                            formdata=None, name=gettext("%(name)s (copy)", name=template.name)))


# -- cycles -------------------------------------------------------------------------------------

@dataclass
class CycleList(Page):
    TEMPLATE = "reporting/cycles.html"
    cycles: list[ReportingCycle]
    mine: dict[int, CountryReport]  # a national user's own report in each cycle, by cycle id


def cycle_list(session, actor) -> CycleList:
    found = session.scalars(select(ReportingCycle).order_by(ReportingCycle.deadline.desc(), ReportingCycle.id)
                            .options(joinedload(ReportingCycle.template))).all()
    mine = {}
    if actor.country_code is not None:
        mine = {r.cycle_id: r for r in session.scalars(
            select(CountryReport).where(CountryReport.country_code == actor.country_code))}
    return CycleList(cycles=found, mine=mine)


@dataclass
class CyclePage(Page):
    TEMPLATE = "reporting/cycle.html"
    cycle: ReportingCycle
    rows: list[dict]  # report, deadline (and extension), link (may the actor open it)
    events: list[CycleEvent]
    allowed: list[str]  # the triggers the actor may fire now
    counts: list[str]  # "3 submitted", ... over every member state
    buttons: dict[str, str]


def cycle_page(session, actor, cycle: ReportingCycle) -> CyclePage:
    """Every member state's report (its state, never its content) where the policy says so
    (cycle.all_reports); a national user's own country's otherwise."""
    reports = sorted(session.scalars(
        select(CountryReport).where(CountryReport.cycle_id == cycle.id).options(joinedload(CountryReport.country))),
        key=lambda r: r.country.name)
    if not may(actor, "cycle.all_reports", cycle):
        reports = [r for r in reports if r.country_code == actor.country_code]
    events = session.scalars(select(CycleEvent).where(CycleEvent.cycle_id == cycle.id).order_by(CycleEvent.id)
                             .options(joinedload(CycleEvent.actor))).all()
    allowed = workflow.possible(workflow.cycle_machine, workflow.CYCLE_TRIGGERS, cycle.state) \
        if may(actor, "cycles.manage", cycle) else []
    rows = [{"report": r, "deadline": rules.effective_deadline(cycle, r.country_code),
             "link": may(actor, "report.read", r)} for r in reports]
    by_state = cycles.report_count_by_state(session, cycle)
    counts = [gettext("%(count)s %(state)s", count=by_state[state], state=str(translated(label)).lower())
              for state, label in workflow.REPORT_STATE_LABELS.items() if by_state.get(state)]
    return CyclePage(cycle=cycle, rows=rows, events=events, allowed=allowed, counts=counts,
                     buttons={trigger: gettext(text) for trigger, text in CYCLE_BUTTONS.items()})


@dataclass
class ClosePage(Page):
    """The confirmation before a cycle is closed."""

    TEMPLATE = "reporting/cycle_close.html"
    cycle: ReportingCycle
    counts: dict[str, int]  # reports by state


def close_page(session, cycle: ReportingCycle) -> ClosePage:
    return ClosePage(cycle=cycle, counts=cycles.report_count_by_state(session, cycle))


# -- national floors and targets ------------------------------------------------------------------

@dataclass
class TargetsPage(Page):
    TEMPLATE = "reporting/targets.html"
    country: Country
    template: MonitoringTemplate | None  # the common monitoring format
    rows: list[dict]  # indicator, target, form (for those who may edit): numeric indicators only
    editable: bool


def targets_page(session, actor, country: Country, forms: dict | None = None) -> TargetsPage:
    """``forms`` replaces the prefilled form of an indicator code (the input refused)."""
    forms = forms or {}
    template = templates.default_template(session)
    found = targets.targets_for(session, country.code)
    editable = may(actor, "targets.edit", country)
    rows = []
    for indicator in (template.indicators if template else []):
        if indicator.unit not in NUMERIC_UNITS:
            continue
        form = None
        if editable:
            form = forms.get(indicator.code)
            if form is None:
                form = TargetForm(formdata=None, prefix=indicator.code)
                form.fill_from(found.get(indicator.code))
        rows.append({"indicator": indicator, "target": found.get(indicator.code), "form": form})
    return TargetsPage(country=country, template=template, rows=rows, editable=editable)
