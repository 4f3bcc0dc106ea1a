"""The page object of a country report: its indicators by guarantee with their values and
status against the national floor, the forms the actor may use (values, assignments, answers
to queries, the narrative), the workflow buttons, and the history."""
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coordination.attachments import service as attachments
from coordination.attachments.forms import ReportUploadForm
from coordination.auth.policy import may, may_enter_value
from coordination.directory.models import Country
from coordination.ids import as_id
from coordination.items.models import GUARANTEE_LABELS, ActionItem
from coordination.items.queries import FIND_SCAN
from coordination.reporting import checks, history, reports, rules, submissions, targets, templates
from coordination.reporting.forms import AnswerForm, AssignForm, NarrativeForm, ValueForm
from coordination.reporting.models import (
    NARRATIVE_GUARANTEES,
    CountryReport,
    Extension,
    IndicatorValue,
    MonitoringTemplate,
    Narrative,
    ReportEvent,
    ReportingCycle,
)
from coordination.reporting.values import standing
from coordination.reporting.views.pages import Page

# The headline figures first, then the four guarantees of the floor, then the mechanism.
GUARANTEE_ORDER = ("overall", "health", "children", "working_age", "older_persons", "coordination")


def load_report(session, actor, report_id) -> CountryReport:
    """The report, if the actor may read it, with everything its page shows loaded in a fixed
    number of queries (however many indicators are assigned or answered)."""
    report = reports.get_report(session, actor, report_id)
    session.scalars(select(CountryReport).where(CountryReport.id == report.id).options(
        joinedload(CountryReport.cycle).selectinload(ReportingCycle.template)
        .selectinload(MonitoringTemplate.indicators),
        joinedload(CountryReport.cycle).selectinload(ReportingCycle.extensions),
        joinedload(CountryReport.country).selectinload(Country.ministries),
        selectinload(CountryReport.values).selectinload(IndicatorValue.ministry),
        selectinload(CountryReport.values).selectinload(IndicatorValue.item).selectinload(ActionItem.ministry),
        selectinload(CountryReport.narratives).selectinload(Narrative.items),
        selectinload(CountryReport.events).selectinload(ReportEvent.actor),
        selectinload(CountryReport.queries),
    )).unique().all()
    return report


def items_of_report_country(session, report: CountryReport, ids) -> list[ActionItem]:
    """The action items of ``ids`` that belong to the report's member state, in that order
    (the others left out): what a narrative form shows ticked."""
    wanted = [i for i in dict.fromkeys(ids or []) if as_id(i)]
    if not wanted:
        return []
    found = {item.id: item for item in session.scalars(select(ActionItem).where(
        ActionItem.id.in_(wanted), ActionItem.country_code == report.country_code))}
    return [found[i] for i in wanted if i in found]


@dataclass
class ReportPage(Page):
    TEMPLATE = "reporting/report.html"
    report: CountryReport
    cycle: ReportingCycle
    groups: list[tuple[str, list[dict]]]  # (guarantee, its indicators' entries) in GUARANTEE_ORDER
    editable: bool
    narratives: dict[str, Narrative]
    narrative_forms: dict[str, NarrativeForm]
    narrative_chosen: dict[str, list[ActionItem]]  # per form: the items ticked (linked, or chosen to link)
    narrative_found: dict[str, list[ActionItem] | None]  # per form: what its search found (None: no search)
    narrative_queries: dict[str, list]
    sections: list[dict]  # the narrative sections of the monitoring format
    rating_labels: dict[str, str]
    answer_forms: dict[int, AnswerForm]
    allowed: list[str]  # the workflow triggers the actor may fire now
    missing: list[str]  # required indicators not answered
    names: dict[str, str]  # indicator names by code
    completeness: float
    required_count: int
    deadline: date  # the extended one where an extension was granted
    extension: Extension | None
    query_codes: list[str]
    labels: dict[str, str]  # what people call each indicator (its name) and narrative section, by code
    returned: dict | None  # the latest send-back, while it is being answered: comment, queries
    checks: list  # reporting/checks.py: what the values fail now
    error_summary: list[tuple[str, str]] = field(default_factory=list)  # (message, link) of each error
    trigger_errors: dict = field(default_factory=dict)
    open_trigger: str | None = None
    trigger_message: str | None = None
    guarantee_labels: dict = field(default_factory=lambda: GUARANTEE_LABELS)
    narrative_guarantees: tuple = NARRATIVE_GUARANTEES
    find_scan: int = FIND_SCAN
    # The files by indicator code (None: the whole report's), and the upload form for who may attach.
    attachments: dict = field(default_factory=dict)
    upload_form: ReportUploadForm | None = None
    submissions: list = field(default_factory=list)  # reporting/submissions.py, first first
    last_changes: list | None = None  # what the latest submission changed (None before a second one)


def report_checks(session, report: CountryReport) -> list[checks.Check]:
    return checks.report_checks(session, report, current_app.config["OUTLIER_POINTS"])


def _indicator_entries(session, actor, report: CountryReport, editable: bool, forms: dict,
                       failed: dict[str, list]) -> list:
    """Each indicator with its value, status, checks, number of changes and the forms the
    actor may use, by guarantee."""
    found = targets.targets_for(session, report.country_code)
    counts = history.change_counts(session, report)
    rows = reports.values_by_code(report)
    may_assign = editable and may(actor, "report.assign", report)
    groups: dict[str, list[dict]] = {}
    for indicator in report.cycle.template.indicators:
        row = rows[indicator.code]
        value = row.value if row is not None else None
        target = found.get(indicator.code)
        status = standing(indicator, row, target)
        value_form = None
        if editable and may_enter_value(actor, report, row):
            value_form = forms.get(("value", indicator.code))
            if value_form is None:
                value_form = ValueForm(formdata=None, prefix=indicator.code).setup(indicator)
                value_form.fill_from(row)
        assign_form = None
        if may_assign and (row is None or row.item is None or not row.item.is_open):
            assign_form = forms.get(("assign", indicator.code)) or AssignForm(
                formdata=None, prefix=f"assign-{indicator.code}")
            assign_form.set_ministries(report.country.ministries)
        groups.setdefault(indicator.guarantee, []).append({
            "indicator": indicator, "row": row, "value": value, "target": target, "status": status,
            "value_form": value_form, "assign_form": assign_form,
            "queries": [q for q in report.queries if q.indicator_code == indicator.code],
            "checks": failed.get(indicator.code, []), "changes": counts.get(row.id, 0) if row is not None else 0,
        })
    ordered = [(g, groups[g]) for g in GUARANTEE_ORDER if g in groups]
    return ordered + [(g, entries) for g, entries in groups.items() if g not in GUARANTEE_ORDER]


HIDDEN_FIELDS = ("CSRFTokenField", "HiddenField", "SubmitField")


def _lower_first(text) -> str:
    text = str(text)
    return text[:1].lower() + text[1:]


def summary_entries(form, subject: str | None = None) -> list[tuple[str, str]]:
    """The lines of the error summary for a form shown again with its messages, each linked to
    its field: "<subject>, <field>: <message>" (the subject, an indicator or section, by the
    name people use), or the message alone on a page of one form."""
    visible = [f for f in form if f.type not in HIDDEN_FIELDS]
    first = f"#{visible[0].id}" if visible else "#"
    entries = []

    def line(label, message) -> str:
        if subject and label:
            return gettext("%(subject)s, %(field)s: %(message)s", subject=subject, field=_lower_first(label),
                           message=message)
        if subject:
            return gettext("%(field)s: %(message)s", field=subject, message=message)
        return str(message)  # a page of one form: the message says what is wrong

    for message in form.form_errors:
        entries.append((line(None, message), first))
    for f in form:
        for message in f.errors if isinstance(f.errors, list | tuple) else []:
            if f.type in HIDDEN_FIELDS:
                entries.append((line(None, message), first))
            else:
                entries.append((line(f.label.text, message), f"#{f.id}"))
    for message in getattr(form, "breakdown_errors", []):
        target = f"#{form.female.id}" if getattr(form, "by_sex", False) else first
        entries.append((line(gettext("Breakdown by sex"), message), target))
    return entries


def subject_labels(report: CountryReport) -> dict[str, str]:
    """What people call each indicator and narrative section of the report, by its code."""
    labels = {i.code: i.name for i in report.cycle.template.indicators}
    labels.update({g: gettext(GUARANTEE_LABELS[g]) for g in NARRATIVE_GUARANTEES})
    return labels


def subject_anchor(report: CountryReport, code: str) -> str:
    return f"narrative-{code}" if code in NARRATIVE_GUARANTEES else f"indicator-{code}"


def latest_send_back(report: CountryReport) -> dict | None:
    """The latest send-back while its queries are answered (the report returned, or revised
    and not yet submitted again): its comment, and its queries in the order of the report."""
    if report.state not in ("returned", "drafting"):
        return None
    event = next((e for e in reversed(report.events) if e.trigger == "send_back"), None)
    if event is None:
        return None
    labels = subject_labels(report)
    order = {code: n for n, code in enumerate([*labels])}
    queries = sorted((q for q in report.queries if q.event_id == event.id),
                     key=lambda q: (order.get(q.indicator_code, len(order)), q.id))
    return {"event": event, "queries": [{"query": q, "label": labels.get(q.indicator_code, q.indicator_code),
                                         "code": q.indicator_code} for q in queries]}


def _errors_of(report: CountryReport, forms: dict, trigger_errors: dict | None) -> list[tuple[str, str]]:
    labels = subject_labels(report)
    queries = {q.id: q for q in report.queries}
    entries = []
    for (kind, key), form in forms.items():
        if kind == "answer":
            query = queries.get(key)
            subject = gettext("Query on “%(name)s”", name=labels.get(query.indicator_code, query.indicator_code)) \
                if query is not None else None
        else:
            subject = labels.get(key)
        entries.extend(summary_entries(form, subject))
    for code, messages in (trigger_errors or {}).items():
        target = f"#{subject_anchor(report, code)}" if code in labels else "#actions-heading"
        entries.extend((gettext("%(field)s: %(message)s", field=labels[code], message=m) if code in labels
                        else str(m), target) for m in messages)
    return entries


def report_page(session, actor, report: CountryReport, *, forms: dict | None = None, trigger_errors=None,
                open_trigger: str | None = None, trigger_message: str | None = None,
                found: dict | None = None) -> ReportPage:
    """The report page. ``forms`` replaces the blank or prefilled form of one part, keyed
    ("value", code), ("assign", code), ("answer", query id) or ("narrative", guarantee);
    ``found``, per guarantee, the items a narrative form's search found."""
    forms = forms or {}
    spec = templates.default_format()
    editable = reports.is_editable(report)
    may_edit = may(actor, "report.edit", report)
    answer_forms = {}
    if may_edit and report.state in ("returned", "drafting"):
        answer_forms = {q.id: forms.get(("answer", q.id)) or AnswerForm(formdata=None, prefix=f"query-{q.id}")
                        for q in report.queries if q.answer is None}
    narratives = {n.guarantee: n for n in report.narratives}
    narrative_forms, chosen, found = {}, {}, dict(found or {})
    if editable and may_edit:
        for guarantee in NARRATIVE_GUARANTEES:
            form = forms.get(("narrative", guarantee))
            if form is None:
                form = NarrativeForm(formdata=None, prefix=f"narrative-{guarantee}").setup(spec)
                form.fill_from(narratives.get(guarantee))
                linked = narratives.get(guarantee)
                chosen[guarantee] = list(linked.items) if linked is not None else []
            else:  # posted: the boxes ticked
                chosen[guarantee] = items_of_report_country(session, report, form.item_ids.data)
            if found.get(guarantee) is not None:
                ticked = {item.id for item in chosen[guarantee]}
                found[guarantee] = [item for item in found[guarantee] if item.id not in ticked]
            narrative_forms[guarantee] = form
    indicators = report.cycle.template.indicators
    deadline, extension = rules.effective_deadline(report.cycle, report.country_code)
    found_checks = report_checks(session, report)
    listed = submissions.submissions_of(session, report)
    return ReportPage(
        report=report, cycle=report.cycle,
        groups=_indicator_entries(session, actor, report, editable, forms, checks.by_code(found_checks)),
        checks=found_checks,
        editable=editable, narratives=narratives, narrative_forms=narrative_forms, narrative_chosen=chosen,
        narrative_found=found,
        narrative_queries={g: [q for q in report.queries if q.indicator_code == g] for g in NARRATIVE_GUARANTEES},
        sections=spec["narrative_sections_per_guarantee"], rating_labels=spec["self_rating"]["labels"],
        answer_forms=answer_forms, allowed=reports.allowed_report_triggers(actor, report),
        missing=reports.missing_required(report), names={i.code: i.name for i in indicators},
        completeness=reports.completeness(report), required_count=sum(1 for i in indicators if i.required),
        deadline=deadline, extension=extension, query_codes=[i.code for i in indicators],
        labels=subject_labels(report), returned=latest_send_back(report),
        error_summary=_errors_of(report, forms, trigger_errors),
        trigger_errors=trigger_errors or {}, open_trigger=open_trigger, trigger_message=trigger_message,
        attachments=attachments.by_indicator(session, actor, report), upload_form=_upload_form(actor, report, editable),
        submissions=listed, last_changes=submissions.changes_of_last(session, report, listed),
    )


def _upload_form(actor, report: CountryReport, editable: bool) -> ReportUploadForm | None:
    if not (editable and may(actor, "report.attach", report)):
        return None
    form = ReportUploadForm(formdata=None).with_limit(current_app.config["MAX_ATTACHMENT_BYTES"])
    return form.set_indicators(report.cycle.template.indicators)


@dataclass
class CheckPage(Page):
    """Check your answers: what the report holds, before it goes to the secretariat."""

    TEMPLATE = "reporting/check.html"
    report: CountryReport
    cycle: ReportingCycle
    groups: list[tuple[str, list[dict]]]
    narratives: dict[str, Narrative]
    sections: list[dict]
    rating_labels: dict[str, str]
    missing: list[str]
    labels: dict[str, str]
    deadline: date
    extension: Extension | None
    checks: list  # reporting/checks.py: errors and warnings of the values
    blocked: bool  # a required indicator missing, or a check that blocks submission
    narrative_guarantees: tuple = NARRATIVE_GUARANTEES


def _entries(report: CountryReport, failed: dict | None = None) -> list[tuple[str, list[dict]]]:
    rows = reports.values_by_code(report)
    groups: dict[str, list[dict]] = {}
    for indicator in report.cycle.template.indicators:
        row = rows[indicator.code]
        groups.setdefault(indicator.guarantee, []).append(
            {"indicator": indicator, "row": row, "value": row.value if row is not None else None,
             "field": f"send-back-{indicator.code}", "checks": (failed or {}).get(indicator.code, [])})
    ordered = [(g, groups[g]) for g in GUARANTEE_ORDER if g in groups]
    return ordered + [(g, entries) for g, entries in groups.items() if g not in GUARANTEE_ORDER]


def check_page(session, actor, report: CountryReport) -> CheckPage:
    spec = templates.default_format()
    deadline, extension = rules.effective_deadline(report.cycle, report.country_code)
    found = report_checks(session, report)
    missing = reports.missing_required(report)
    return CheckPage(report=report, cycle=report.cycle, groups=_entries(report, checks.by_code(found)), checks=found,
                     blocked=bool(missing) or any(c.blocks_submission for c in found),
                     narratives={n.guarantee: n for n in report.narratives},
                     sections=spec["narrative_sections_per_guarantee"], rating_labels=spec["self_rating"]["labels"],
                     missing=missing, labels=subject_labels(report), deadline=deadline,
                     extension=extension)


@dataclass
class SendBackPage(Page):
    """The secretariat's return of a report: each value and section with a query field beside it."""

    TEMPLATE = "reporting/send_back.html"
    report: CountryReport
    cycle: ReportingCycle
    groups: list[tuple[str, list[dict]]]
    narratives: dict[str, Narrative]
    sections: list[dict]
    rating_labels: dict[str, str]
    labels: dict[str, str]
    form: object
    error_summary: list[tuple[str, str]]
    narrative_guarantees: tuple = NARRATIVE_GUARANTEES


def send_back_page(session, actor, report: CountryReport, form) -> SendBackPage:
    spec = templates.default_format()
    return SendBackPage(report=report, cycle=report.cycle, groups=_entries(report),
                        narratives={n.guarantee: n for n in report.narratives},
                        sections=spec["narrative_sections_per_guarantee"],
                        rating_labels=spec["self_rating"]["labels"], labels=subject_labels(report), form=form,
                        error_summary=summary_entries(form))
