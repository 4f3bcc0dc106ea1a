"""What the page of an action item shows when the item is a data request of a country report:
the figure asked for, the report it belongs to, and the form to enter it for those who may."""
from dataclasses import dataclass

from sqlalchemy import select

from coordination.auth.policy import may, may_enter_value
from coordination.items.models import ActionItem
from coordination.reporting.forms import ValueForm
from coordination.reporting.models import CountryReport, Indicator, IndicatorValue, ReportingCycle
from coordination.reporting.reports import is_editable


@dataclass
class DataRequestPanel:
    row: IndicatorValue
    report: CountryReport
    indicator: Indicator
    cycle: ReportingCycle
    editable: bool  # the report takes changes now
    may_enter: bool
    form: ValueForm | None  # for those who may enter the value
    may_read_report: bool


def data_request_for(session, item: ActionItem) -> IndicatorValue | None:
    """The indicator value that ``item`` asks for, if the item is a data request."""
    return session.scalar(select(IndicatorValue).where(IndicatorValue.item_id == item.id))


def data_request_panel(session, actor, item: ActionItem, form: ValueForm | None = None) -> DataRequestPanel | None:
    """The panel of ``item`` (None for an ordinary item). ``form`` replaces the prefilled form,
    e.g. with the input refused and its messages."""
    row = data_request_for(session, item)
    if row is None:
        return None
    report = row.report
    editable = is_editable(report)
    may_enter = editable and may_enter_value(actor, report, row)
    if may_enter and form is None:
        form = ValueForm(formdata=None, prefix=row.indicator.code).setup(row.indicator)
        form.fill_from(row)
        form.item_id.data = str(item.id)
    return DataRequestPanel(row=row, report=report, indicator=row.indicator, cycle=report.cycle, editable=editable,
                            may_enter=may_enter, form=form if may_enter else None,
                            may_read_report=may(actor, "report.read", report))
