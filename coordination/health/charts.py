"""Charts of one member state's coordination health over cycles, drawn on the server as the
compliance pages draw theirs (coordination/compliance/charts.py: inline SVG, ``role="img"``
with a title and a description in words, no JavaScript). One chart per figure, a bar per cycle,
oldest first; the page puts the table they are drawn from beside them."""
from flask_babel import gettext
from markupsafe import Markup

from coordination.compliance.charts import horizontal_bars
from coordination.i18n import N_

# (field, label, share?) in the order of the table; the labels are the table's headings.
FIGURES = (("member_ministries", N_("Member ministries"), False),
           ("meetings_held", N_("Meetings held"), False),
           ("ministries_attending", N_("Ministries attending"), False),
           ("items_created", N_("Items created"), False),
           ("median_days_to_accept", N_("Median days to accept"), False),
           ("handed_over_share", N_("Handed over"), True),
           ("data_requests_on_time_share", N_("Data requests on time"), True),
           ("overdue_share", N_("Overdue"), True))


def scale(values) -> float:
    """The axis' end for counts and days: the first of 4, 8, 20, 40, 80, 200 ... that holds the
    largest value, so that the four ticks fall on round numbers."""
    top = max([v for v in values if v is not None] or [0])
    magnitude = 1.0
    while True:
        for step in (4, 8, 20):
            if step * magnitude >= top:
                return step * magnitude
        magnitude *= 10


def figure_chart(rows, field: str, label: str, share: bool, country_name: str, uid: str) -> Markup:
    """The figure ``field`` of each (cycle, CountryHealth) row; a share is drawn in percent."""
    values = [getattr(health, field) for _cycle, health in rows]
    if share:
        items = [(cycle.name, None if v is None else v * 100) for (cycle, _h), v in zip(rows, values, strict=True)]
        maximum, unit = 100.0, "percent"
    else:
        items = [(cycle.name, v) for (cycle, _h), v in zip(rows, values, strict=True)]
        maximum, unit = scale(values), "number"
    return horizontal_bars(items, uid, gettext("%(figure)s by cycle: %(country)s", figure=gettext(label),
                                               country=country_name),
                           maximum=maximum, unit=unit, empty=gettext("No cycle to show yet."))


def figure_charts(rows, country_name: str) -> list[tuple[str, str, Markup]]:
    """(field, label, chart) of each figure, in the order of the table."""
    return [(field, label, figure_chart(rows, field, label, share, country_name,
                                        f"chart-{field.replace('_', '-')}"))
            for field, label, share in FIGURES]
