"""The chart of a recommendation's validated progress over the cycles, drawn on the server as
inline SVG (compliance/charts.py's frame): one line per member state from "No progress" (0) to
"Full implementation" (4), each point marked with the country's code, and a <desc> in words."""
from flask_babel import gettext
from markupsafe import Markup

from coordination.compliance.charts import GRID, INK, MUTED, _clip, _svg, _text
from coordination.recommendations.models import PROGRESS, PROGRESS_LABELS

# Ten distinguishable colours of at least 4.5:1 against white; the code beside each point says
# whose it is, so no meaning rests on colour alone.
LINE_COLOURS = ("#1f5aa6", "#b3261e", "#1e6b34", "#6f2dbd", "#9a4700", "#0b6e79", "#a0216b", "#4a5a0f",
                "#5c3d99", "#00507a")


def progress_chart(table, uid: str, title: str) -> Markup:
    """``table``: service.ProgressTable (only what the reader may see is in its cells)."""
    cycles, countries = table.cycles, table.countries
    left, plot_w, plot_h, top = 170, 420, 200, 16
    width, height = left + plot_w + 40, top + plot_h + 44
    body, described = [], []
    for level, code in enumerate(PROGRESS):
        y = top + plot_h - plot_h * level / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}" '
                    f'stroke-dasharray="2 3"/>')
        body.append(_text(left - 8, y + 5, gettext(PROGRESS_LABELS[code]), anchor="end", fill=MUTED))
    slot = plot_w / max(1, len(cycles))
    for n, cycle in enumerate(cycles):
        body.append(_text(left + slot * (n + 0.5), top + plot_h + 24, _clip(cycle.name, max(6, int(slot / 8))),
                          anchor="middle"))
    for k, country in enumerate(countries):
        colour = LINE_COLOURS[k % len(LINE_COLOURS)]
        points, words = [], []
        for n, cycle in enumerate(cycles):
            level = table.validated(country.code, cycle.id)
            if level is None:
                continue
            x = left + slot * (n + 0.5) + (k - len(countries) / 2) * 3
            y = top + plot_h - plot_h * PROGRESS.index(level) / 4
            points.append((x, y))
            words.append(gettext("%(cycle)s: %(progress)s", cycle=cycle.name, progress=gettext(PROGRESS_LABELS[level])))
        if not points:
            continue
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in points:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        x, y = points[-1]
        body.append(_text(x + 7, y - 6, country.code, fill=colour, weight="600", size=12))
        described.append(gettext("%(country)s: %(points)s", country=country.name, points="; ".join(words)))
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{INK}"/>')
    desc = (". ".join(described) + ".") if described else gettext("No validated progress to show yet.")
    return _svg(uid, width, height, title, desc, body, shown_width=width)
