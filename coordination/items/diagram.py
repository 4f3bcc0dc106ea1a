"""The action-item workflow drawn from the machine itself, so it cannot drift from the rules.

Nothing here copies the trigger table: states and transitions are read from the
``transitions.Machine`` given (the shared ``workflow.machine`` by default), so a new
state or transition shows up at once in the picture, the Mermaid text and the table.

* ``state_diagram_svg`` draws an accessible inline SVG, laid out in layers from a
  breadth-first walk from ``machine.initial``: the main flow (each step on to the state
  one step deeper that leads furthest) runs along the top row, one column per step; a
  state off it (declined, blocked) hangs below the state it is first reached from.
  A state many others lead to by one trigger (``cancel`` into ``cancelled``) becomes a
  band under the picture, its arrows thin dashed grey lines, so the main flow stands out.
  Arrows backwards along the top row (and skipping a column) are arcs over it; several
  triggers between two states share one arrow; a self-transition is a loop.
* ``mermaid_source`` gives ``stateDiagram-v2`` text for people's own documents.
* ``transition_rows`` gives the table shown beside the picture.

Pure string building: no JavaScript, no network, no graphviz.
"""
from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import dataclass

from transitions import Machine

from coordination.items import workflow

# What a condition's form field asks of the user, in words for the table.
FIELD_WORDS = {"comment": "a comment", "ministry_id": "a target ministry"}

# -- geometry (px in the viewBox)
BOX_W, BOX_H = 140, 50
GAP_X = 75                  # between columns: room for a horizontal arrow and its label
ROW_GAP = 120               # between stacked rows: room for diagonal arrows and labels
MARGIN_LEFT = 64            # room for the start marker
MARGIN = 28
BAND_GAP = 96               # from the lowest row to the sink band
GAP_DROP = 30              # how far left of a state its drop runs when a state hangs below it
LABEL_SIZE, STATE_SIZE = 13, 15
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# -- colours (text contrast on its background, WCAG): all well above 4.5:1
INK = "#1f2937"             # labels on white: 14.7:1
EDGE = "#334155"            # arrows: 10.4:1
OPEN_FILL, OPEN_STROKE, OPEN_TEXT = "#e8f0fa", "#12355b", "#12355b"       # text 10.8:1
CLOSED_FILL, CLOSED_STROKE, CLOSED_TEXT = "#e9ecef", "#343a40", "#212529"  # text 13.0:1
LIGHT = "#6b7280"           # the sink's dashed arrows: 4.8:1, light yet visible
LIGHT_TEXT = "#4b5563"      # their label on white: 7.6:1


def _esc(text: str) -> str:
    """XML-escape text or an attribute value (quotes included)."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def state_label(name: str) -> str:
    return workflow.STATE_LABELS.get(name) or name.replace("_", " ").capitalize()


def trigger_label(name: str) -> str:
    return workflow.TRIGGER_LABELS.get(name) or name.replace("_", " ").capitalize()


# --------------------------------------------------------------------------- reading the machine

def _triples(machine: Machine) -> list[tuple[str, str, str]]:
    """Every (source, trigger, dest) of the machine, by source state then trigger order."""
    states = list(machine.states)
    triggers = list(machine.events)
    found: list[tuple[str, str, str]] = []
    for trigger, event in machine.events.items():
        for source, transitions in event.transitions.items():
            for transition in transitions:
                dest = source if transition.dest is None else transition.dest  # internal: stays put
                if (source, trigger, dest) not in found:
                    found.append((source, trigger, dest))
    return sorted(found, key=lambda t: (states.index(t[0]), triggers.index(t[1]), states.index(t[2])))


def _edges(machine: Machine) -> dict[tuple[str, str], list[str]]:
    """(source, dest) -> its triggers: several triggers between two states share one arrow."""
    edges: dict[tuple[str, str], list[str]] = {}
    for source, trigger, dest in _triples(machine):
        edges.setdefault((source, dest), []).append(trigger)
    return edges


def _closed_states(machine: Machine, edges) -> list[str]:
    """The workflow's closed states, and any state nothing leaves."""
    leaving = {source for source, dest in edges if dest != source}
    return [s for s in machine.states if s in workflow.CLOSED_STATES or s not in leaving]


def _condition_words(condition) -> tuple[str | None, str]:
    func = condition.func
    if func in workflow.REQUIREMENTS:
        name = workflow.REQUIREMENTS[func][0]
        return name, FIELD_WORDS.get(name, name.replace("_", " "))
    name = getattr(func, "__name__", str(func))
    words = name.replace("_", " ")
    return None, words if condition.target else f"not {words}"


# --------------------------------------------------------------------------- table and Mermaid

def transition_rows(machine: Machine = workflow.machine) -> list[dict]:
    """One row per (trigger, sources, dest, requirements), in the machine's trigger order.

    A trigger whose requirements differ by source (``cancel`` needs no comment from Draft)
    gives one row per set of requirements.
    """
    states = list(machine.states)
    rows: list[dict] = []
    for trigger, event in machine.events.items():
        grouped: dict[tuple, dict] = {}
        for source, transitions in event.transitions.items():
            for transition in transitions:
                dest = source if transition.dest is None else transition.dest
                fields: list[str] = []
                words: list[str] = []
                for condition in transition.conditions:
                    name, text = _condition_words(condition)
                    if name and name not in fields:
                        fields.append(name)
                    if text not in words:
                        words.append(text)
                row = grouped.setdefault((dest, tuple(words)), {
                    "trigger": trigger,
                    "label": trigger_label(trigger),
                    "sources": [],
                    "dest": dest,
                    "dest_label": state_label(dest),
                    "fields": fields,
                    "requirements": words,
                })
                if source not in row["sources"]:
                    row["sources"].append(source)
        for row in grouped.values():
            row["sources"].sort(key=states.index)
            row["source_labels"] = [state_label(s) for s in row["sources"]]
            rows.append(row)
    return rows


def _mermaid_id(name: str) -> str:
    return re.sub(r"\W", "_", name)


def _mermaid_text(text: str) -> str:
    """Mermaid's entity codes for the characters that would end a label or a name."""
    return text.replace("#", "#35;").replace('"', "#34;").replace(":", "#58;").replace("\n", " ")


def mermaid_source(machine: Machine = workflow.machine) -> str:
    """``stateDiagram-v2`` text of the machine: one line per (source, trigger, dest)."""
    edges = _edges(machine)
    closed = _closed_states(machine, edges)
    lines = ["stateDiagram-v2", "    direction LR"]
    for name in machine.states:
        lines.append(f'    state "{_mermaid_text(state_label(name))}" as {_mermaid_id(name)}')
    lines.append(f"    [*] --> {_mermaid_id(machine.initial)}")
    for source, trigger, dest in _triples(machine):
        lines.append(f"    {_mermaid_id(source)} --> {_mermaid_id(dest)} : {_mermaid_text(trigger_label(trigger))}")
    leaving = {source for source, dest in edges if dest != source}
    for name in machine.states:
        if name not in leaving:
            lines.append(f"    {_mermaid_id(name)} --> [*]")
    if closed:
        lines.append("    classDef closed fill:#e9ecef,stroke:#343a40,stroke-width:3px,color:#212529")
        lines += [f"    class {_mermaid_id(name)} closed" for name in closed]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- layout

@dataclass
class _Box:
    name: str
    x: float
    y: float
    w: float = BOX_W
    h: float = BOX_H
    col: int = 0
    row: int = 0

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def distance(self, px: float, py: float) -> float:
        dx = max(self.x - px, 0, px - self.right)
        dy = max(self.y - py, 0, py - self.bottom)
        return math.hypot(dx, dy)


@dataclass
class _Layout:
    boxes: dict[str, _Box]
    sink: str | None
    columns: int
    rows: int


def _sink(machine: Machine, edges) -> str | None:
    """A state that at least three others lead to by one and the same trigger ("cancel from
    anywhere"): drawn as a band under the picture, the arrows into it thin and grey."""
    best, most = None, 2
    for name in machine.states:
        incoming = [tuple(triggers) for (source, dest), triggers in edges.items() if dest == name]
        if name == machine.initial or (name, name) in edges or len(set(incoming)) != 1:
            continue
        if len(incoming) > most:
            best, most = name, len(incoming)
    return best


def _grid(machine: Machine, edges, sink) -> dict[str, tuple[int, int]]:
    """(column, row) of every state but the sink band, from a breadth-first walk of the machine.

    The main flow runs along the top row, one column per step: from the initial state, always
    on to the next state (one step deeper) that leads furthest. A state off the main flow hangs
    below the state it is first reached from, a branch of a branch one column further on, so
    a branch and its way back are short vertical arrows. States the initial state never reaches
    get a column of their own at the end.
    """
    states = [s for s in machine.states if s != sink]
    nexts = {s: [d for (src, d) in edges if src == s and d != s and d != sink] for s in states}
    depth, parent = {machine.initial: 0}, {}
    queue = deque([machine.initial])
    while queue:
        state = queue.popleft()
        for dest in nexts[state]:
            if dest not in depth:
                depth[dest], parent[dest] = depth[state] + 1, state
                queue.append(dest)
    reach = {}
    for state in sorted(depth, key=lambda s: -depth[s]):
        reach[state] = max([depth[state], *(reach[d] for d in nexts[state] if depth[d] == depth[state] + 1)])
    chain = [machine.initial]
    while options := [d for d in nexts[chain[-1]] if depth[d] == depth[chain[-1]] + 1]:
        chain.append(max(options, key=lambda d: (reach[d], -states.index(d))))
    grid = {state: (col, 0) for col, state in enumerate(chain)}
    for state in sorted(set(depth) - set(chain), key=lambda s: (depth[s], states.index(s))):
        col, row = grid[parent[state]]
        col, row = (col, 1) if row == 0 else (col + 1, row)
        while (col, row) in grid.values():
            row += 1
        grid[state] = (col, row)
    last = max(col for col, _ in grid.values())
    for row, state in enumerate(s for s in states if s not in grid):
        grid[state] = (last + 1, row)
    return grid


def _layout(machine: Machine, edges) -> _Layout:
    sink = _sink(machine, edges)
    grid = _grid(machine, edges, sink)
    boxes = {name: _Box(name, MARGIN_LEFT + col * (BOX_W + GAP_X), 0, col=col, row=row)
             for name, (col, row) in grid.items()}
    return _Layout(boxes, sink, 1 + max(c for c, _ in grid.values()), 1 + max(r for _, r in grid.values()))


# --------------------------------------------------------------------------- drawing helpers

def _label(x: float, y: float, text: str, anchor: str = "middle", colour: str = INK, italic=False) -> str:
    style = ' font-style="italic"' if italic else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{colour}"{style} '
            f'stroke="#fff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">{_esc(text)}</text>')


def _text_width(text: str, size: float = LABEL_SIZE) -> float:
    return len(text) * size * 0.56


def _quad(p0, c, p2, t):
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * c[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * c[1] + t * t * p2[1])


def _clearance(points, boxes) -> float:
    return min((b.distance(x, y) for x, y in points for b in boxes), default=math.inf)


def _anchor_for(nx: float, ny: float, x: float, y: float) -> tuple[float, float, str]:
    """Text position and anchor for a label set off from a line in direction (nx, ny)."""
    anchor = "start" if nx > 0.35 else "end" if nx < -0.35 else "middle"
    if ny > 0.35:
        y += LABEL_SIZE * 0.8
    elif ny > -0.35:
        y += LABEL_SIZE * 0.35
    return x, y, anchor


# --------------------------------------------------------------------------- the SVG

def state_diagram_svg(machine: Machine = workflow.machine) -> str:
    """The machine as an accessible inline SVG (role="img", <title>, <desc>).

    Two states linked both ways get two side-by-side arrows; which of the two goes on
    the left decides where their labels fit, so every choice is drawn and the least
    crowded picture is kept (two such pairs today: four drawings of a small picture).
    """
    edges = _edges(machine)
    pairs = [(s, d) for (s, d) in edges if s < d and (d, s) in edges and s != d]
    best = None
    for mask in range(2 ** min(len(pairs), 6)):
        flipped = {pair for i, pair in enumerate(pairs) if mask >> i & 1}
        svg, cost = _draw(machine, edges, _layout(machine, edges), flipped)
        if best is None or cost < best[1]:
            best = (svg, cost)
    return best[0]


def _draw(machine: Machine, edges, layout: _Layout, flipped: set) -> tuple[str, float]:
    """The SVG, and how crowded its labels are."""
    boxes, sink = layout.boxes, layout.sink
    closed = set(_closed_states(machine, edges))

    # Sort the arrows: a line between states of different rows or neighbouring columns, an arc
    # over the row for the others (backwards, or skipping a column), a loop for a self-transition,
    # a drop for one into the sink band.
    arcs, loops, lines, drops, band_out = [], [], [], [], []
    for (source, dest), triggers in edges.items():
        text = " / ".join(map(trigger_label, triggers))
        if dest == sink:
            drops.append((source, text))
        elif source == sink:
            band_out.append((dest, text))
        elif source == dest:
            loops.append((source, text))
        elif boxes[source].row == boxes[dest].row and boxes[dest].col - boxes[source].col != 1:
            arcs.append((source, dest, text))
        else:
            lines.append((source, dest, text))
    gap_drop = {source: any(b.col == boxes[source].col and b.row > boxes[source].row for b in boxes.values())
                for source, _ in drops}
    port = _ports(machine, boxes, arcs, loops, lines, drops, gap_drop, flipped, band_out)

    # Arc heights grow with the span, and an arc over another clears it.
    arc_apex: dict[tuple[str, str], float] = {}
    spans = {(s, d): sorted((boxes[s].cx + port[("arc", s, d, s)][1], boxes[d].cx + port[("arc", s, d, d)][1]))
             for s, d, _ in arcs}
    for source, dest, _ in sorted(arcs, key=lambda e: spans[e[:2]][1] - spans[e[:2]][0]):
        lo, hi = spans[(source, dest)]
        apex = 30 + 0.12 * (hi - lo)
        for (s2, d2), apex2 in arc_apex.items():
            lo2, hi2 = spans[(s2, d2)]
            if boxes[s2].row == boxes[source].row and lo <= lo2 + 1 and hi2 <= hi + 1:
                apex = max(apex, apex2 + 26)
        arc_apex[(source, dest)] = apex
    room_above = {r: 0.0 for r in range(layout.rows)}
    for (source, _), apex in arc_apex.items():
        room_above[boxes[source].row] = max(room_above[boxes[source].row], apex + LABEL_SIZE + 12)
    for source, _ in loops:
        room_above[boxes[source].row] = max(room_above[boxes[source].row], 36 + LABEL_SIZE + 12)

    y = MARGIN + max(room_above[0], 10)
    for r in range(layout.rows):
        if r:
            y += max(ROW_GAP, room_above[r] + 24)
        for box in boxes.values():
            if box.row == r:
                box.y = y
        y += BOX_H
    width = MARGIN_LEFT + layout.columns * BOX_W + (layout.columns - 1) * GAP_X + MARGIN

    def at(key) -> tuple[float, float]:
        side, name, offset = port[key][0], key[-1], port[key][1]
        box = boxes[name]
        return {"top": (box.cx + offset, box.y), "bottom": (box.cx + offset, box.bottom),
                "left": (box.x, box.cy + offset), "right": (box.right, box.cy + offset)}[side]

    band = None
    bottom = y
    if sink:
        xs = [boxes[s].x - GAP_DROP if gap_drop[s] else at(("drop", s, s))[0] for s, _ in drops]
        left = max(MARGIN_LEFT, min(xs) - 40)
        right = min(width - MARGIN, max(xs) + 40)
        band = _Box(sink, left, y + BAND_GAP, w=max(BOX_W, right - left))
        bottom = band.bottom
    legend_y = bottom + 40
    height = legend_y + 22

    paths: list[str] = []          # (drawn first) arrows
    fixed: list[tuple] = []        # labels with one place: (x, y, text, anchor, colour, italic)
    flexible: list[tuple] = []     # labels placed later, at the least crowded candidate: (owner, candidates, text)
    samples: list[tuple] = []      # points on the arrows: (x, y, owner)

    for source, dest, text in arcs:
        (x1, y1), (x2, y2) = at(("arc", source, dest, source)), at(("arc", source, dest, dest))
        apex = arc_apex[(source, dest)]
        k = apex / 0.75            # a cubic with both handles at height k peaks at 3/4 k
        c1, c2 = (x1, y1 - k), (x2, y2 - k)
        paths.append(f'<path d="M{x1:.1f},{y1:.1f} C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} '
                     f'{x2:.1f},{y2 - 1:.1f}" class="edge"{_ends(source, dest)} marker-end="url(#wf-arrow)"/>')
        samples += [(*_cubic((x1, y1), c1, c2, (x2, y2), t / 30), None) for t in range(31)]
        fixed.append(((x1 + x2) / 2, min(y1, y2) - apex - 6, text, "middle"))

    for source, text in loops:
        (x1, y1), (x2, _) = at(("loop", source, 0, source)), at(("loop", source, 1, source))
        c1, c2 = (x1 - 16, y1 - 50), (x2 + 16, y1 - 50)
        paths.append(f'<path d="M{x1:.1f},{y1:.1f} C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} '
                     f'{x2:.1f},{y1 - 1:.1f}" class="edge"{_ends(source, source)} marker-end="url(#wf-arrow)"/>')
        samples += [(*_cubic((x1, y1), c1, c2, (x2, y1), t / 20), None) for t in range(21)]
        beside = [(x1 - 14, y1 - 24, "end"), (x2 + 14, y1 - 24, "start"), ((x1 + x2) / 2, y1 - 44, "middle")]
        flexible.append((None, beside, text))

    obstacles = list(boxes.values()) + ([band] if band else [])
    segments = [((source, dest), boxes[source], boxes[dest], at(("line", source, dest, source)),
                 at(("line", source, dest, dest)), text) for source, dest, text in lines]
    if band:   # arrows out of the band leave its top edge, clear of the arrows coming in
        arriving = [boxes[s].x - GAP_DROP if gap_drop[s] else at(("drop", s, s))[0] for s, _ in drops]
        for dest, text in band_out:
            x = min(max(boxes[dest].cx, band.x + 20), band.right - 20)
            while any(abs(x - other) < 14 for other in arriving):
                x += 14 if x < band.right - 30 else -14
            arriving.append(x)
            segments.append(((sink, dest), band, boxes[dest], (x, band.y), at(("band", dest, dest)), text))
    for owner, a, b, p0, p2, text in segments:
        source, dest = owner
        dx, dy = p2[0] - p0[0], p2[1] - p0[1]
        length = math.hypot(dx, dy) or 1
        ux, uy = dx / length, dy / length
        rx, ry = -uy, ux                                   # right-hand side, with y pointing down
        others = [o for o in obstacles if o is not a and o is not b]
        best = None
        for bow in (0, 20, -20, 40, -40, 70, -70, 100, -100):
            c = ((p0[0] + p2[0]) / 2 + rx * bow * 2, (p0[1] + p2[1]) / 2 + ry * bow * 2)
            score = _clearance([_quad(p0, c, p2, t / 24) for t in range(1, 24)], others)
            if best is None or score > best[0] + 0.5:
                best = (score, c)
            if score >= 10:
                best = (score, c)
                break
        c = best[1]
        paths.append(f'<path d="M{p0[0]:.1f},{p0[1]:.1f} Q{c[0]:.1f},{c[1]:.1f} {p2[0]:.1f},{p2[1]:.1f}" '
                     f'class="edge"{_ends(source, dest)} marker-end="url(#wf-arrow)"/>')
        points = [_quad(p0, c, p2, t / 40) for t in range(41)]
        samples += [(x, y, owner) for x, y in points]
        candidates = []
        sides = [(0.0, -1.0), (0.0, 1.0)] if abs(uy) < 0.35 else [(rx, ry), (-rx, -ry)]
        for t in (20, 17, 23, 14, 26, 11, 29):
            for nx, ny in sides:
                x, y, anchor = _anchor_for(nx, ny, points[t][0] + nx * 7, points[t][1] + ny * 7)
                candidates.append((x, y - 2 if ny < -0.35 else y, anchor))
        flexible.append((owner, candidates, text))

    drop_text = None
    if band:
        xs = []
        for source, text in drops:
            box = boxes[source]
            if gap_drop[source]:   # a state below: leave by the bottom of the left side, down the gap
                x, py = box.x - GAP_DROP, box.bottom - 9
                d = f"M{box.x:.1f},{py:.1f} Q{x:.1f},{py:.1f} {x:.1f},{py + 24:.1f} L{x:.1f},{band.y - 1:.1f}"
            else:
                x, py = at(("drop", source, source))
                d = f"M{x:.1f},{py:.1f} L{x:.1f},{band.y - 1:.1f}"
            samples += [(x, py + (band.y - py) * t / 30, None) for t in range(31)]
            paths.append(f'<path d="{d}" class="edge-light"{_ends(source, sink)} marker-end="url(#wf-arrow-light)"/>')
            xs.append((x, text))
        texts = list(dict.fromkeys(text for _, text in xs))
        drop_text = " / ".join(texts)
        for i, text in enumerate(texts):
            mine = sorted(x for x, t in xs if t == text)
            if len(texts) == 1 and len(mine) > 1:    # one label, in the widest gap between the drops
                _, x = max((mine[j + 1] - mine[j], (mine[j] + mine[j + 1]) / 2) for j in range(len(mine) - 1))
                fixed.append((x, band.y - 14, text, "middle", LIGHT_TEXT, True))
            else:
                fixed.append((mine[0] + 6, band.y - 14 - 16 * i, text, "start", LIGHT_TEXT, True))

    # The start marker, left of the initial state.
    sx, sy = at(("start", machine.initial, machine.initial))
    paths.append(f'<circle cx="{sx - 38:.1f}" cy="{sy:.1f}" r="8" fill="{INK}"/>')
    paths.append(f'<path d="M{sx - 30:.1f},{sy:.1f} L{sx - 1:.1f},{sy:.1f}" class="edge" marker-end="url(#wf-arrow)"/>')

    labels, crowding, rects = _place_labels(fixed, flexible, obstacles, samples)
    # A label pushed past the edge widens the picture rather than being cut off.
    left = min(0.0, *(r[0] - 6 for r in rects))
    top = min(0.0, *(r[1] - 6 for r in rects))
    width = max(width, *(r[2] + 6 for r in rects)) - left
    height -= top
    shapes = [_state_box(box, box.name in closed, box.name == machine.initial)
              for box in [*boxes.values(), *([band] if band else [])]]
    title = "How an action item moves: the workflow diagram"
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="wf-title wf-desc" '
        f'class="workflow-diagram" '
        f'style="max-width:100%;height:auto" font-family="{_esc(FONT)}" font-size="{LABEL_SIZE}">',
        f'<title id="wf-title">{_esc(title)}</title>',
        f'<desc id="wf-desc">{_esc(_description(machine, edges, closed))}</desc>',
        "<defs>",
        f'<marker id="wf-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
        f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{EDGE}"/></marker>',
        f'<marker id="wf-arrow-light" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{LIGHT}"/></marker>',
        f"<style>.edge{{fill:none;stroke:{EDGE};stroke-width:1.6}}"
        f".edge-light{{fill:none;stroke:{LIGHT};stroke-width:1;stroke-dasharray:5 4}}</style>",
        "</defs>",
        f'<rect x="{left:.0f}" y="{top:.0f}" width="{width:.0f}" height="{height:.0f}" fill="#fff"/>',
        *paths,
        *shapes,
        *labels,
        *_legend(legend_y, drop_text),
        "</svg>",
    ]), crowding


def _ports(machine, boxes, arcs, loops, lines, drops, gap_drop, flipped, band_out) -> dict[tuple, tuple[str, float]]:
    """Where each arrow meets each box: (side, offset from the side's middle).

    The ends on one side are spread out and ordered by where the arrow goes, so arrows
    leaving one side do not cross; arcs on the top side nest instead of crossing.
    """
    sides: dict[tuple[str, str], list] = {}

    def add(name, side, key, handle, slots=1):
        sides.setdefault((name, side), []).append((key, handle, slots))

    index = {(source, dest): i for i, (source, dest, _) in enumerate(lines)}
    for i, (source, dest, _) in enumerate(lines):
        a, b = boxes[source], boxes[dest]
        if (source, dest) in flipped or (dest, source) in flipped:   # swap the pair's order
            i = index.get((dest, source), i)
        for me, other in ((a, b), (b, a)):
            handle = ("line", source, dest, me.name)
            if me.row == other.row:
                add(me.name, "right" if other.col > me.col else "left", (0, i), handle)
            else:
                add(me.name, "bottom" if other.row > me.row else "top", (other.cx, i), handle)
    for i, (source, dest, _) in enumerate(arcs):
        for me, other in ((boxes[source], boxes[dest]), (boxes[dest], boxes[source])):
            group = 0 if other.cx < me.cx else 4            # left arcs first, then right arcs
            add(me.name, "top", (group, -other.cx, i), ("arc", source, dest, me.name))
    for source, _ in loops:
        box = boxes[source]
        has_left = any(k[0] == 0 for k, *_ in sides.get((source, "top"), []))
        has_right = any(k[0] == 4 for k, *_ in sides.get((source, "top"), []))
        group = 1 if not has_left else 5 if not has_right else 3
        add(source, "top", (group, 0, 0), ("loop", source, 0, source), slots=2)
    for (name, side), items in list(sides.items()):
        if side == "top":      # lines going up sit between the left and the right arcs
            sides[(name, side)] = [((2, *k) if len(k) == 2 else k, h, n) for k, h, n in items]
    for i, (source, _) in enumerate(drops):
        if not gap_drop[source]:   # the others leave by the left side, clear of the ports
            add(source, "bottom", (boxes[source].cx, -1, i), ("drop", source, source))
    for i, (dest, _) in enumerate(band_out):
        add(dest, "bottom", (boxes[dest].cx, 0, i), ("band", dest, dest))
    add(machine.initial, "left", (-1, 0), ("start", machine.initial, machine.initial))

    port: dict[tuple, tuple[str, float]] = {}
    for (name, side), items in sides.items():
        items.sort(key=lambda item: item[0])
        slots = sum(n for _, _, n in items)
        box = boxes[name]
        length, pad, most = (box.w, 16, 34) if side in ("top", "bottom") else (box.h, 8, 14)
        step = min(most, (length - 2 * pad) / (slots - 1)) if slots > 1 else 0
        offset = -step * (slots - 1) / 2
        for _, handle, n in items:
            if handle[0] == "loop":
                span = max(step, 32)
                port[handle] = (side, offset + (step - span) / 2)
                port[("loop", handle[1], 1, handle[3])] = (side, offset + (step + span) / 2)
            else:
                port[handle] = (side, offset)
            offset += step * n
    # Arrows between two states of one column run straight up and down: a side with only
    # those arrows on it takes the places they have on the other, busier side.
    for (name, side), items in sides.items():
        handles = [handle for _, handle, _ in items]
        if side not in ("top", "bottom") or any(handle[0] != "line" for handle in handles):
            continue
        others = {handle[2] if handle[3] == handle[1] else handle[1] for handle in handles}
        other = others.pop()
        facing = sides.get((other, "top" if side == "bottom" else "bottom"), [])
        if others or boxes[other].col != boxes[name].col or len(facing) < len(items):
            continue
        for handle in handles:
            port[handle] = (side, port[(*handle[:3], other)][1])
    return port


def _ends(source: str, dest: str) -> str:
    """The states an arrow links, as attributes (for styling and for the tests)."""
    return f' data-from="{_esc(source)}" data-to="{_esc(dest)}"'


def _cubic(p0, c1, c2, p3, t):
    u = 1 - t
    return (u ** 3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t ** 3 * p3[0],
            u ** 3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t ** 3 * p3[1])


def _text_rect(x, y, text, anchor) -> tuple[float, float, float, float]:
    w = _text_width(text)
    left = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
    return left - 2, y - LABEL_SIZE * 0.8 - 2, left + w + 2, y + LABEL_SIZE * 0.25 + 2


def _overlap(r1, r2) -> float:
    return max(0, min(r1[2], r2[2]) - max(r1[0], r2[0])) * max(0, min(r1[3], r2[3]) - max(r1[1], r2[1]))


def _place_labels(fixed, flexible, obstacles, samples) -> tuple[list[str], float, list[tuple]]:
    """Fixed labels where they are; each other label at its least crowded candidate place."""
    taken = [(b.x, b.y, b.right, b.bottom) for b in obstacles]
    out, crowding, rects = [], 0.0, []
    for x, y, text, anchor, *style in fixed:
        taken.append(_text_rect(x, y, text, anchor))
        rects.append(taken[-1])
        out.append(_label(x, y, text, anchor, *style))
    for owner, candidates, text in flexible:
        best = None
        for rank, (x, y, anchor) in enumerate(candidates):
            rect = _text_rect(x, y, text, anchor)
            crossed = sum(1 for px, py, who in samples
                          if rect[0] <= px <= rect[2] and rect[1] <= py <= rect[3] and (who is None or who != owner))
            cost = sum(_overlap(rect, r) for r in taken) * 10 + crossed * 40 + rank * 3
            if best is None or cost < best[0]:
                best = (cost, x, y, anchor, rect)
        cost, x, y, anchor, rect = best
        crowding += cost
        taken.append(rect)
        rects.append(rect)
        out.append(_label(x, y, text, anchor))
    return out, crowding, rects


def _state_box(box: _Box, closed: bool, initial: bool) -> str:
    fill, stroke, ink = (CLOSED_FILL, CLOSED_STROKE, CLOSED_TEXT) if closed else (OPEN_FILL, OPEN_STROKE, OPEN_TEXT)
    kind = "state" + (" closed" if closed else "") + (" initial" if initial else "")
    parts = [f'<g class="{kind}" data-state="{_esc(box.name)}">',
             f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="12" '
             f'fill="{fill}" stroke="{stroke}" stroke-width="{2.5 if initial else 1.6}"/>']
    if closed:  # a double border: the item is closed here
        parts.append(f'<rect x="{box.x + 4:.1f}" y="{box.y + 4:.1f}" width="{box.w - 8:.1f}" height="{box.h - 8:.1f}" '
                     f'rx="9" fill="none" stroke="{stroke}" stroke-width="1.2"/>')
    parts.append(f'<text x="{box.cx:.1f}" y="{box.cy + STATE_SIZE * 0.35:.1f}" text-anchor="middle" '
                 f'font-size="{STATE_SIZE}" font-weight="600" fill="{ink}">{_esc(state_label(box.name))}</text>')
    parts.append("</g>")
    return "".join(parts)


def _legend(y: float, drop_text: str | None) -> list[str]:
    x = MARGIN_LEFT - 46
    closed_text = "Closed: the item is finished or withdrawn"
    out = [f'<g class="legend" font-size="{LABEL_SIZE}" fill="{INK}">',
           f'<circle cx="{x + 8}" cy="{y - 4}" r="6" fill="{INK}"/>',
           f'<text x="{x + 20}" y="{y}">Start</text>']
    x += 80
    out.append(f'<rect x="{x}" y="{y - 14}" width="30" height="18" rx="5" fill="{CLOSED_FILL}" '
               f'stroke="{CLOSED_STROKE}" stroke-width="1.6"/>')
    out.append(f'<rect x="{x + 3}" y="{y - 11}" width="24" height="12" rx="3" fill="none" '
               f'stroke="{CLOSED_STROKE}" stroke-width="1"/>')
    out.append(f'<text x="{x + 38}" y="{y}">{_esc(closed_text)}</text>')
    x += 38 + _text_width(closed_text) + 34
    if drop_text:
        out.append(f'<path d="M{x:.1f},{y - 5} L{x + 34:.1f},{y - 5}" class="edge-light" '
                   f'marker-end="url(#wf-arrow-light)"/>')
        out.append(f'<text x="{x + 42:.1f}" y="{y}">{_esc(drop_text)}</text>')
    out.append("</g>")
    return out


def _description(machine: Machine, edges, closed) -> str:
    """The transitions in words, for screen readers."""
    sentences = [f"An action item starts as {state_label(machine.initial)}."]
    for name in machine.states:
        moves = [f"{' or '.join(map(trigger_label, triggers))} "
                 + ("keeps it " if dest == name else "moves it to ") + state_label(dest)
                 for (source, dest), triggers in edges.items() if source == name]
        if moves:
            sentences.append(f"From {state_label(name)}: " + "; ".join(moves) + ".")
        else:
            sentences.append(f"Nothing leaves {state_label(name)}.")
    if closed:
        sentences.append("Closed states: " + ", ".join(state_label(s) for s in closed) + ".")
    return " ".join(sentences)
