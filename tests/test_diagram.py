"""The workflow picture, its Mermaid text and its table are drawn from the machine itself.

These tests read the expected states and transitions from the machine (not from a copy),
so the picture cannot drift from the rules without one of them failing.
"""
import xml.etree.ElementTree as ET

import pytest
from flask import render_template
from transitions import Machine

from coordination import create_app
from coordination.items import diagram, workflow

SVG = "{http://www.w3.org/2000/svg}"


def triples(machine):
    """Every (source, trigger, dest) of the machine, read from its events."""
    return {(source, trigger, t.dest)
            for trigger, event in machine.events.items()
            for source, transitions in event.transitions.items()
            for t in transitions}


def extended_machine():
    """The workflow with one more state and transition, built like workflow.machine."""
    return Machine(
        model=None,
        states=[*workflow.STATES, "archived"],
        transitions=[*workflow.TRANSITIONS,
                     {"trigger": "archive", "source": ["completed", "cancelled"], "dest": "archived"}],
        initial="draft",
        auto_transitions=False,
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own output, not untrusted input


def drawn_texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def state_groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-state"): g for g in root.iter(f"{SVG}g") if "state" in (g.get("class") or "").split()}


def arrows(root: ET.Element) -> list[tuple[str, str]]:
    return [(p.get("data-from"), p.get("data-to")) for p in root.iter(f"{SVG}path") if p.get("data-from")]


@pytest.fixture(scope="module")
def root():
    return parse(diagram.state_diagram_svg())


# -- the picture

def test_svg_is_accessible_xml(root):
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text.strip()
    assert desc is not None and desc.text.strip()
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_every_state_is_a_box_with_its_label(root):
    groups = state_groups(root)
    assert set(groups) == set(workflow.machine.states)
    for name, group in groups.items():
        assert group.find(f"{SVG}rect") is not None
        assert "".join(group.find(f"{SVG}text").itertext()) == workflow.STATE_LABELS[name]


def test_every_trigger_label_is_drawn(root):
    texts = drawn_texts(root)
    for trigger in workflow.machine.events:
        label = workflow.TRIGGER_LABELS[trigger]
        assert any(label in text for text in texts), label


def test_one_arrow_per_pair_of_states(root):
    drawn = arrows(root)
    expected = {(source, dest) for source, _, dest in triples(workflow.machine)}
    assert sorted(drawn) == sorted(expected)          # no pair missing, none drawn twice


def test_triggers_between_the_same_states_share_an_arrow(root):
    texts = drawn_texts(root)
    assert "Hand over / Transfer" in texts             # in_progress -> assigned, and the self-loop
    assert ("assigned", "assigned") in arrows(root)


def test_closed_and_initial_states_are_marked(root):
    groups = state_groups(root)
    closed = {name for name, g in groups.items() if "closed" in g.get("class").split()}
    assert closed == set(workflow.CLOSED_STATES)
    initial = [name for name, g in groups.items() if "initial" in g.get("class").split()]
    assert initial == [workflow.machine.initial]
    assert "Start" in drawn_texts(root)


def test_desc_lists_the_transitions_in_words(root):
    desc = root.find(f"{SVG}desc").text
    for source, trigger, dest in triples(workflow.machine):
        assert workflow.TRIGGER_LABELS[trigger] in desc
        assert f"From {workflow.STATE_LABELS[source]}:" in desc
        assert workflow.STATE_LABELS[dest] in desc


def test_a_new_state_and_transition_appear_in_the_picture():
    machine = extended_machine()
    root = parse(diagram.state_diagram_svg(machine))
    assert "archived" in state_groups(root)
    assert "Archived" in drawn_texts(root)
    assert "Archive" in drawn_texts(root)
    assert {("completed", "archived"), ("cancelled", "archived")} <= set(arrows(root))
    # ... and not in the shared machine's picture
    assert "archived" not in state_groups(parse(diagram.state_diagram_svg()))


def test_text_is_escaped():
    machine = Machine(model=None, states=["draft", "r&d <review>"], initial="draft", auto_transitions=False,
                      transitions=[{"trigger": "send_to_r&d", "source": "draft", "dest": "r&d <review>"}])
    svg = diagram.state_diagram_svg(machine)
    root = parse(svg)                                  # would raise on a raw & or <
    assert "R&d <review>" in drawn_texts(root)
    assert "&amp;" in svg and "<review>" not in svg


@pytest.mark.parametrize("machine", [workflow.machine, extended_machine()], ids=["workflow", "extended"])
def test_picture_scales_to_the_page_and_cuts_nothing_off(machine):
    root = parse(diagram.state_diagram_svg(machine))
    left, top, width, height = map(float, root.get("viewBox").split())
    assert "max-width:100%" in root.get("style") and "height:auto" in root.get("style")   # shrinks, keeps its shape
    assert (float(root.get("width")), float(root.get("height"))) == (width, height)

    def inside(x, y):
        return left <= x <= left + width and top <= y <= top + height

    for rect in root.iter(f"{SVG}rect"):
        x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
        assert inside(x, y) and inside(x + w, y + h)
    for text in root.iter(f"{SVG}text"):
        assert inside(float(text.get("x")), float(text.get("y"))), "".join(text.itertext())


def test_labels_stay_legible_on_a_laptop_screen():
    # At 1280 px Bootstrap's container leaves about 1100 px inside the figure's border: the
    # picture may shrink to fit, but its 13 px labels must not drop below 12 px.
    _, _, width, _ = map(float, parse(diagram.state_diagram_svg()).get("viewBox").split())
    assert 13 * min(1.0, 1100 / width) >= 12


def test_svg_is_safe_inline():
    svg = diagram.state_diagram_svg()
    root = parse(svg)
    assert "<script" not in svg and "javascript:" not in svg
    assert not [(el.tag, name) for el in root.iter() for name in el.attrib if name.lower().startswith("on")]
    assert not [el for el in root.iter() if any(name.endswith("href") for name in el.attrib)]   # nothing fetched
    style = "".join(root.find(f"{SVG}defs").find(f"{SVG}style").itertext())
    rules = [rule.strip() for rule in style.split("}") if rule.strip()]
    assert rules and all(rule.startswith(".workflow-diagram") for rule in rules)    # it styles nothing else on the page


# -- the Mermaid text

def test_mermaid_has_a_line_for_every_transition():
    text = diagram.mermaid_source()
    lines = {line.strip() for line in text.splitlines()}
    assert text.startswith("stateDiagram-v2")
    assert "[*] --> draft" in lines
    for source, trigger, dest in triples(workflow.machine):
        assert f"{source} --> {dest} : {workflow.TRIGGER_LABELS[trigger]}" in lines
    for name in workflow.machine.states:
        assert f'state "{workflow.STATE_LABELS[name]}" as {name}' in lines


def test_mermaid_follows_the_machine_given():
    lines = {line.strip() for line in diagram.mermaid_source(extended_machine()).splitlines()}
    assert "completed --> archived : Archive" in lines
    assert "archived --> [*]" in lines


# -- the table

def rows_by_trigger():
    rows = {}
    for row in diagram.transition_rows():
        rows.setdefault(row["trigger"], []).append(row)
    return rows


def test_rows_cover_every_transition():
    covered = {(source, row["trigger"], row["dest"]) for row in diagram.transition_rows() for source in row["sources"]}
    assert covered == triples(workflow.machine)


@pytest.mark.parametrize("trigger", ["decline", "hand_over", "block", "submit", "send_back", "reopen"])
def test_rows_ask_for_a_comment(trigger):
    for row in rows_by_trigger()[trigger]:
        assert "comment" in row["fields"] and "a comment" in row["requirements"]


@pytest.mark.parametrize("trigger", ["assign", "hand_over", "transfer"])
def test_rows_ask_for_a_ministry(trigger):
    for row in rows_by_trigger()[trigger]:
        assert "ministry_id" in row["fields"] and "a target ministry" in row["requirements"]


def test_rows_without_requirements_and_cancel_by_source():
    rows = rows_by_trigger()
    for trigger in ("accept", "unblock", "approve"):
        assert [row["requirements"] for row in rows[trigger]] == [[]]
    cancel = {tuple(row["sources"]): row["requirements"] for row in rows["cancel"]}
    assert cancel[("draft",)] == []
    assert cancel[("assigned", "in_progress", "blocked", "submitted", "declined")] == ["a comment"]


def test_rows_agree_with_workflow_requires():
    for row in diagram.transition_rows():
        for source in row["sources"]:
            assert set(row["fields"]) == workflow.requires(row["trigger"], source)


# -- the help page template

def test_help_template_renders_picture_table_and_mermaid(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.sqlite'}"})
    with app.test_request_context("/"):
        html = render_template("items/workflow_help.html", svg=diagram.state_diagram_svg(),
                               rows=diagram.transition_rows(), mermaid=diagram.mermaid_source())
    assert "How an action item moves" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html   # not escaped
    assert "<details" in html and "stateDiagram-v2" in html
    assert "draft --&gt; assigned : Assign" in html                                      # escaped in <pre>
    assert "A target ministry and a comment" in html
    assert "<script" not in html.split("</main>")[0]
