"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched from elsewhere.

Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that say what it shows in
words (the page puts the table it is drawn from next to it). Colours have at least 4.5:1
contrast against white, and no meaning rests on colour alone: each compliance status has its
own pattern and a text label, floors and targets have their own mark shapes and a legend.
"""
from flask_babel import gettext, ngettext
from markupsafe import Markup, escape

from coordination.compliance.rules import COMPLIANCE, COMPLIANCE_LABELS
from coordination.i18n import N_, format_number
from coordination.reporting.values import AT_FLOOR, AT_TARGET, BELOW_FLOOR, format_value, status_labels

INK, MUTED, GRID = "#212529", "#495057", "#adb5bd"
COLOURS = {"on_time": "#1e6b34", "late": "#9a4700", "missing": "#b3261e", "pending": "#5c636a"}
STATUS_COLOURS = {AT_TARGET: "#1e6b34", AT_FLOOR: "#1f5aa6", BELOW_FLOOR: "#b3261e", None: "#5c636a"}
STATUS_PATTERNS = {AT_TARGET: "solid", AT_FLOOR: "dots", BELOW_FLOOR: "hatch", None: "cross"}
COMPLIANCE_PATTERNS = {"on_time": "solid", "late": "hatch", "missing": "cross", "pending": "dots"}
FLOOR_COLOUR, TARGET_COLOUR = "#000000", "#6f2dbd"


def _e(text) -> str:
    return str(escape(text))


def _pattern(uid: str, name: str, kind: str, colour: str) -> str:
    """A fill: the colour, overlaid with white stripes, dots or a cross-hatch."""
    pid = f"{uid}-{name}"
    if kind == "solid":
        return f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">' \
               f'<rect width="8" height="8" fill="{colour}"/></pattern>'
    marks = {
        "hatch": '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#fff" stroke-width="1.6"/>',
        "cross": '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#fff" stroke-width="1.4"/>',
        "dots": '<circle cx="4" cy="4" r="1.5" fill="#fff"/>',
    }[kind]
    return f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">' \
           f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'


def _svg(uid: str, width: int, height: int, title: str, desc: str, body: list[str], defs: list[str] = (), *,
         shown_width: int | None = None, font_size: int = 14) -> Markup:
    """The chart drawn on a ``width`` x ``height`` grid, shown ``shown_width`` pixels wide at most
    (it shrinks with the page: ``img-fluid``). Each chart's grid and type size are chosen so that
    its smallest text stays at least 11 px on a phone 390 px wide."""
    shown = shown_width or width
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" id="{uid}" class="chart img-fluid" role="img" '
            f'width="{shown}" height="{round(height * shown / width)}" viewBox="0 0 {width} {height}" '
            f'aria-labelledby="{uid}-title {uid}-desc" font-family="system-ui, sans-serif" '
            f'font-size="{font_size}">'
            f'<title id="{uid}-title">{_e(title)}</title><desc id="{uid}-desc">{_e(desc)}</desc>')
    defs_text = f"<defs>{''.join(defs)}</defs>" if defs else ""
    # Every text that reaches the markup went through escape() (_e, _text); the rest is numbers.
    return Markup(head + defs_text + "".join(body) + "</svg>")  # noqa: S704  # nosec B704 - escaped above


def _text(x, y, text, *, anchor="start", fill=INK, weight=None, size=None) -> str:
    extra = (f' font-weight="{weight}"' if weight else "") + (f' font-size="{size}"' if size else "")
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>{_e(text)}</text>'


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# -- compliance of a cycle -----------------------------------------------------------------------

def _label(key: str) -> str:
    return gettext(COMPLIANCE_LABELS[key])


def compliance_description(totals) -> str:
    if totals.expected == 0:
        return gettext("No reports are expected in this cycle yet.")
    parts = ", ".join(gettext("%(count)s %(status)s", count=format_number(totals.count(key)),
                              status=_label(key).lower()) for key in COMPLIANCE)
    return (ngettext("Of %(num)d expected report: %(parts)s.", "Of %(num)d expected reports: %(parts)s.",
                     totals.expected, parts=parts) + " "
            + gettext("Reporting rate %(rate)s, on time %(on_time)s.",
                      rate=format_value(totals.reporting_rate, "percent"),
                      on_time=format_value(totals.reporting_rate_on_time, "percent")))


def compliance_bar(totals, uid: str, title: str) -> Markup:
    """One stacked bar: on time, late, missing and pending reports, with a labelled legend (two
    columns: large type on a wide grid, shown 420 pixels wide)."""
    width, left, bar_width, bar_y, bar_h = 640, 10, 620, 10, 48
    defs = [_pattern(uid, key, COMPLIANCE_PATTERNS[key], COLOURS[key]) for key in COMPLIANCE]
    body = [f'<rect x="{left}" y="{bar_y}" width="{bar_width}" height="{bar_h}" fill="#fff" stroke="{GRID}"/>']
    x = float(left)
    if totals.expected:
        for key in COMPLIANCE:
            count = totals.count(key)
            if not count:
                continue
            w = bar_width * count / totals.expected
            body.append(f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" '
                        f'fill="url(#{uid}-{key})" stroke="#fff" stroke-width="1" data-status="{key}">'
                        f'<title>{_e(_label(key))}: {count}</title></rect>')
            if w >= 44:  # the count on a white label, readable over any pattern
                cx = x + w / 2
                body.append(f'<rect x="{cx - 20:.1f}" y="{bar_y + 9}" width="40" height="30" rx="3" fill="#fff"/>')
                body.append(_text(cx, bar_y + 32, str(count), anchor="middle", weight="600"))
            x += w
    else:
        body.append(_text(width / 2, bar_y + 32, gettext("No reports expected yet"), anchor="middle", fill=MUTED))
    legend_y = bar_y + bar_h + 34
    for n, key in enumerate(COMPLIANCE):
        lx, ly = left + (n % 2) * 310, legend_y + (n // 2) * 34
        body.append(f'<rect x="{lx}" y="{ly - 19}" width="22" height="22" fill="url(#{uid}-{key})" '
                    f'stroke="{INK}" stroke-width="0.5"/>')
        body.append(_text(lx + 30, ly, f"{_label(key)}: {totals.count(key)}"))
    return _svg(uid, width, legend_y + 34 + 12, title, compliance_description(totals), body, defs,
                shown_width=420, font_size=21)


# -- horizontal bars (completeness per country) ---------------------------------------------------

def horizontal_bars(items: list[tuple[str, float | None]], uid: str, title: str, *, maximum: float = 100.0,
                    unit: str = "percent", empty: str | None = None) -> Markup:
    """One bar per label, the label above its bar and the value written beside it; ``None`` is
    written as "no value"."""
    empty = empty if empty is not None else gettext("No data yet.")
    left, bar_w, row_h = 10, 360, 46
    width = left + bar_w + 80
    height = max(1, len(items)) * row_h + 34
    body = []
    for tick in range(0, 5):  # the axis: 0, 25, 50, 75, 100 %
        x = left + bar_w * tick / 4
        body.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 28}" stroke="{GRID}" '
                    f'stroke-dasharray="2 3"/>')
        body.append(_text(x, height - 10, format_value(maximum * tick / 4, unit),
                          anchor="start" if tick == 0 else "middle", fill=MUTED))
    described = []
    no_value = gettext("no value")
    for n, (label, value) in enumerate(items):
        y = 4 + n * row_h
        body.append(_text(left, y + 16, _clip(label, 48)))
        if value is None:
            body.append(_text(left + 4, y + 36, no_value, fill=MUTED))
            described.append(gettext("%(label)s: %(value)s", label=label, value=no_value))
            continue
        w = bar_w * min(max(value, 0), maximum) / maximum if maximum else 0
        body.append(f'<rect x="{left}" y="{y + 22}" width="{w:.1f}" height="18" fill="#1f5aa6"/>')
        body.append(_text(left + w + 6, y + 36, format_value(value, unit), weight="600"))
        described.append(gettext("%(label)s: %(value)s", label=label, value=format_value(value, unit)))
    desc = "; ".join(described) + "." if described else empty
    if not items:
        body.append(_text(left, 20, empty, fill=MUTED))
    return _svg(uid, width, height, title, desc, body, font_size=15)


# -- an indicator across member states ----------------------------------------------------------

def _scale_max(values, unit: str) -> float:
    if unit == "percent":
        return 100.0
    top = max([v for v in values if isinstance(v, int | float) and not isinstance(v, bool)] or [0])
    if top <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(top))) - 1)
    return float(((int(top * 1.1) // magnitude) + 1) * magnitude)


def _status_defs(uid: str) -> list[str]:
    return [_pattern(uid, f"s{n}", STATUS_PATTERNS[key], STATUS_COLOURS[key])
            for n, key in enumerate((AT_TARGET, AT_FLOOR, BELOW_FLOOR, None))]


def _status_fill(uid: str, status) -> str:
    n = (AT_TARGET, AT_FLOOR, BELOW_FLOOR, None).index(status)
    return f"url(#{uid}-s{n})"


def _floor_mark(x: float, y: float, h: float) -> str:
    return (f'<line x1="{x:.1f}" y1="{y - 3:.1f}" x2="{x:.1f}" y2="{y + h + 3:.1f}" stroke="{FLOOR_COLOUR}" '
            f'stroke-width="2.5" stroke-dasharray="4 2"/>')


def _target_mark(x: float, y: float) -> str:
    return (f'<path d="M{x:.1f},{y - 7:.1f} l6,7 l-6,7 l-6,-7 z" fill="{TARGET_COLOUR}" stroke="#fff" '
            f'stroke-width="1"/>')


STATUS_LEGEND = ((AT_TARGET, N_("at or above target")), (AT_FLOOR, N_("at or above floor")),
                 (BELOW_FLOOR, N_("below floor")), (None, N_("no floor or target")))
# An indicator whose lower figures are better (reporting/values.py LOWER_STATUS_LABELS).
LOWER_STATUS_LEGEND = ((AT_TARGET, N_("at or below target")), (AT_FLOOR, N_("at or below floor")),
                       (BELOW_FLOOR, N_("above floor (worse)")), (None, N_("no floor or target")))
LEGEND_HEIGHT = 96  # three rows of 32


def _status_words(status, better: str = "higher") -> str:
    return gettext(status_labels(better)[status]).lower()


def _legend(uid: str, x: int, y: float, better: str = "higher") -> list[str]:
    """Three rows from ``y`` (the top) down, two columns of 200: the bars' patterns by
    classification, then the floor and target marks."""
    parts = []
    for n, (status, words) in enumerate(LOWER_STATUS_LEGEND if better == "lower" else STATUS_LEGEND):
        lx, ly = x + (n % 2) * 200, y + 20 + (n // 2) * 32
        parts.append(f'<rect x="{lx}" y="{ly - 13}" width="16" height="16" fill="{_status_fill(uid, status)}" '
                     f'stroke="{INK}" stroke-width="0.5"/>')
        parts.append(_text(lx + 22, ly, gettext(words)))
    ly = y + 20 + 64
    return parts + [_floor_mark(x + 6, ly - 12, 12), _text(x + 22, ly, gettext("national floor")),
                    _target_mark(x + 206, ly - 5), _text(x + 222, ly, gettext("national target"))]


def indicator_chart(row, uid: str, title: str) -> Markup:
    """The member states one under the other: each one's name and value on a line, its value as
    a bar below, its own floor (dashed line) and target (diamond) marked on its bar."""
    left, bar_w, row_h = 10, 320, 48
    width = 420
    cells = row.cells
    numbers = [c.value for c in cells] + [c.floor for c in cells] + [c.target for c in cells]
    maximum = _scale_max(numbers, row.unit)
    plot_h = max(1, len(cells)) * row_h
    height = plot_h + 30 + LEGEND_HEIGHT
    body, described = [], []
    for tick in range(0, 5):
        x = left + bar_w * tick / 4
        body.append(f'<line x1="{x:.1f}" y1="22" x2="{x:.1f}" y2="{plot_h + 4}" stroke="{GRID}" '
                    f'stroke-dasharray="2 3"/>')
        body.append(_text(x, plot_h + 22, format_value(maximum * tick / 4, row.unit),
                          anchor="start" if tick == 0 else "middle", fill=MUTED))
    for n, cell in enumerate(cells):
        y = 4 + n * row_h
        body.append(_text(left, y + 16, _clip(cell.country_name, 24)))
        numeric = isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
        bar_y, bar_h = y + 23, 18
        if numeric:
            w = bar_w * min(max(cell.value, 0), maximum) / maximum
            body.append(f'<rect x="{left}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" '
                        f'fill="{_status_fill(uid, cell.status)}"/>')
            words = format_value(cell.value, row.unit)
            if cell.status:
                words += f" · {_status_words(cell.status, row.better)}"
        else:
            words = (gettext("not submitted") if not cell.submitted else
                     gettext("no value") if cell.value is None else format_value(cell.value, row.unit))
        for mark, value in (("floor", cell.floor), ("target", cell.target)):
            if value is not None:
                x = left + bar_w * min(max(value, 0), maximum) / maximum
                body.append(_floor_mark(x, bar_y, bar_h) if mark == "floor" else _target_mark(x, bar_y + bar_h / 2))
        body.append(_text(width - 10, y + 16, words, anchor="end", weight="600" if numeric else None,
                          fill=INK if numeric else MUTED))
        marks = []
        if cell.floor is not None:
            marks.append(gettext("floor %(value)s", value=format_value(cell.floor, row.unit)))
        if cell.target is not None:
            marks.append(gettext("target %(value)s", value=format_value(cell.target, row.unit)))
        described.append(gettext("%(label)s: %(value)s", label=cell.country_name, value=words)
                         + (f" ({', '.join(marks)})" if marks else ""))
    body.extend(_legend(uid, 10, plot_h + 30, row.better))
    desc = "; ".join(described) + "." if described else gettext("No member state reports in this cycle.")
    return _svg(uid, width, height, title, desc, body, _status_defs(uid))


# -- one indicator of one country over cycles ---------------------------------------------------

def series_chart(points: list[tuple[str, object, str | None]], unit: str, floor, target, uid: str,
                 title: str, better: str = "higher") -> Markup:
    """One bar per cycle (oldest first), the national floor as a dashed line and the target as a
    line of diamonds across; each bar's value is written above it."""
    left, plot_w, plot_h, top = 64, 336, 180, 22
    width, height = left + plot_w + 20, top + plot_h + 36 + LEGEND_HEIGHT
    numeric = [p[1] for p in points if isinstance(p[1], int | float) and not isinstance(p[1], bool)]
    maximum = _scale_max(numeric + [v for v in (floor, target) if v is not None], unit)
    body, described = [], []

    def y_of(value):
        return top + plot_h - plot_h * min(max(value, 0), maximum) / maximum

    for tick in range(0, 5):
        y = top + plot_h - plot_h * tick / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}" '
                    f'stroke-dasharray="2 3"/>')
        body.append(_text(left - 6, y + 5, format_value(maximum * tick / 4, unit), anchor="end", fill=MUTED))
    slot = plot_w / max(1, len(points))
    bar_w = min(60.0, slot * 0.6)
    no_value = gettext("no value")
    for n, (label, value, status) in enumerate(points):
        cx = left + slot * (n + 0.5)
        if isinstance(value, int | float) and not isinstance(value, bool):
            y = y_of(value)
            body.append(f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                        f'height="{top + plot_h - y:.1f}" fill="{_status_fill(uid, status)}"/>')
            body.append(_text(cx, y - 5, format_value(value, unit), anchor="middle", weight="600"))
            words = format_value(value, unit) + (f", {_status_words(status, better)}" if status else "")
        else:
            words = no_value if value is None else format_value(value, unit)
            body.append(_text(cx, top + plot_h - 5, words, anchor="middle", fill=MUTED))
        body.append(_text(cx, top + plot_h + 20, _clip(label, max(5, int(slot / 8.5))), anchor="middle"))
        described.append(gettext("%(label)s: %(value)s", label=label, value=words))
    if floor is not None:
        y = y_of(floor)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{FLOOR_COLOUR}" '
                    f'stroke-width="2" stroke-dasharray="6 3"/>')
    if target is not None:
        y = y_of(target)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{TARGET_COLOUR}" '
                    f'stroke-width="1.5"/>')
        body.extend(_target_mark(left + plot_w * k / 4, y) for k in (1, 3))
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{INK}"/>')
    body.extend(_legend(uid, 10, top + plot_h + 36, better))
    marks = []
    if floor is not None:
        marks.append(gettext("national floor %(value)s", value=format_value(floor, unit)))
    if target is not None:
        marks.append(gettext("national target %(value)s", value=format_value(target, unit)))
    desc = ("; ".join(described) + "." if described else gettext("No submitted value yet.")) + (
        f" {', '.join(marks)[:1].upper()}{', '.join(marks)[1:]}." if marks else "")
    return _svg(uid, width, height, title, desc, body, _status_defs(uid))
