"""The SVG charts on their own: well-formed, a text alternative that says what they show,
text escaped, and no meaning carried by colour alone."""
import xml.etree.ElementTree as ET

from coordination.compliance import charts, rules
from coordination.compliance.figures import Cell, IndicatorRow
from coordination.reporting.values import format_value

NS = "{http://www.w3.org/2000/svg}"


def parse(svg):
    root = ET.fromstring(str(svg))  # noqa: S314 - our own output
    assert root.get("role") == "img"
    uid = root.get("id")
    assert root.get("aria-labelledby") == f"{uid}-title {uid}-desc"
    return root, root.find(f"{NS}title").text, root.find(f"{NS}desc").text


def texts(root):
    return [t.text for t in root.iter(f"{NS}text")]


def test_compliance_bar_names_the_counts_and_gives_each_status_a_pattern_and_a_label():
    totals = rules.totals(["on_time", "late", "missing", "missing", "pending"])
    root, title, desc = parse(charts.compliance_bar(totals, "c1", "Reports <by> compliance"))
    assert title == "Reports <by> compliance"
    assert desc == ("Of 5 expected reports: 1 on time, 1 late, 2 missing, 1 pending. "
                    "Reporting rate 40 %, on time 20 %.")
    assert {"On time: 1", "Late: 1", "Missing: 2", "Pending: 1"} <= set(texts(root))
    patterns = {p.get("id"): p for p in root.iter(f"{NS}pattern")}
    assert set(patterns) == {"c1-on_time", "c1-late", "c1-missing", "c1-pending"}
    # late, missing and pending differ by their marks (stripes, cross, dots), not only by colour
    marks = {pid: [child.tag for child in p][1:] for pid, p in patterns.items()}
    assert len({tuple(m) for m in marks.values()}) == 3 and marks["c1-on_time"] == []
    segments = [r for r in root.iter(f"{NS}rect") if r.get("data-status")]
    assert [s.get("data-status") for s in segments] == ["on_time", "late", "missing", "pending"]
    assert round(sum(float(s.get("width")) for s in segments)) == 620


def test_compliance_bar_of_an_empty_cycle():
    root, _, desc = parse(charts.compliance_bar(rules.totals([]), "c2", "Nothing"))
    assert desc == "No reports are expected in this cycle yet."
    assert "No reports expected yet" in texts(root)


def test_horizontal_bars_escape_labels_and_say_every_value():
    root, _, desc = parse(charts.horizontal_bars([("<b>Lao</b> & co", 50.0), ("Brunei", None)], "h1", "Done"))
    assert desc == "<b>Lao</b> & co: 50 %; Brunei: no value."
    assert "<b>Lao</b> & co" in texts(root) and "no value" in texts(root)
    bar = next(r for r in root.iter(f"{NS}rect"))
    assert float(bar.get("width")) == 180.0  # half of the 360-pixel scale
    assert parse(charts.horizontal_bars([], "h2", "Empty", empty="Nothing yet."))[2] == "Nothing yet."


def test_indicator_chart_marks_each_countrys_floor_and_target():
    row = IndicatorRow(code="X", name="Coverage", unit="percent", guarantee="overall", required=True, cells=[
        Cell(country="PH", country_name="Philippines", submitted=True, value=34.9, availability="reported",
             floor=40.0, target=60.0, status="below_floor"),
        Cell(country="TH", country_name="Thailand", submitted=True, value=None, availability="not_available"),
        Cell(country="VN", country_name="Viet Nam", submitted=False),
    ])
    root, _, desc = parse(charts.indicator_chart(row, "i1", "Coverage by member state"))
    assert desc == ("Philippines: 34.9 % · below floor (floor 40 %, target 60 %); Thailand: no value; "
                    "Viet Nam: not submitted.")
    assert {"national floor", "national target", "34.9 % · below floor", "below floor", "at or above target",
            "no floor or target"} <= set(texts(root))
    dashed = [line for line in root.iter(f"{NS}line") if line.get("stroke-dasharray") == "4 2"]
    assert len(dashed) == 2  # Philippines' floor, and the legend's


def test_series_chart_over_cycles_with_floor_and_target_lines():
    points = [("2025", 30.0, "below_floor"), ("2026", 45.0, "at_or_above_floor"), ("2027", None, None)]
    root, _, desc = parse(charts.series_chart(points, "percent", 40.0, 60.0, "s1", "Coverage over cycles"))
    assert desc == ("2025: 30 %, below floor; 2026: 45 %, at or above floor; 2027: no value. "
                    "National floor 40 %, national target 60 %.")
    assert {"30 %", "45 %", "no value"} <= set(texts(root))
    numbers = charts.series_chart([("A", 1200.0, None)], "number", None, None, "s2", "Meetings")
    assert "1,200" in texts(parse(numbers)[0])


def test_formatting():
    assert format_value(34.9, "percent") == "34.9 %"
    assert format_value(100.0, "percent") == "100 %"
    assert format_value(1234567.5, "currency") == "1,234,567.5"
    assert format_value(True, "yes_no") == "Yes" and format_value(None, "number") == "—"
