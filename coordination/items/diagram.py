"""The action-item workflow drawn from the machine itself (``workflow.machine`` unless another is given), so
it cannot drift from the rules: ``mermaid_source`` is the library's Mermaid text (a ``GraphMachine`` of the
same states and transitions), ``transition_rows`` the table of steps, ``state_diagram_svg`` an accessible
inline SVG: the main flow along the top row, a state off it below the state it is first reached from, arrows
back (or skipping a column) as arcs over the row, and a state many others lead to by one trigger (cancel) as a
band under it all. Several triggers between two states share one arrow."""
from __future__ import annotations

import math
import re
from collections import deque, namedtuple
from functools import partial
from html import escape

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from transitions import Machine
from transitions.extensions import GraphMachine
from transitions.extensions.diagrams_mermaid import Graph

from coordination.items import workflow

FIELD_WORDS = {"comment": _l("a comment"), "ministry_id": _l("a target ministry")}   # a condition's field, in words
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 140, 50, 75, 120, 64                  # px in the viewBox
BAND_GAP, GAP_DROP, PAIR, ARC, SIZE = 96, 30, 17, 45, 13
# Every text is well above 4.5:1 on its background (WCAG); a closed state has a grey fill and a thick border.
STYLE = "".join(f".workflow-diagram{rule}" for rule in (
    "{font:13px system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}", " .head{fill:#334155}",
    " .edge{fill:none;stroke:#334155;stroke-width:1.6}", " .edge-light{fill:none;stroke:#6b7280;stroke-dasharray:5 4}",
    " .label{fill:#1f2937;stroke:#fff;stroke-width:4px;stroke-linejoin:round;paint-order:stroke}",
    " .label.light{fill:#4b5563;font-style:italic}", " .state rect{fill:#e8f0fa;stroke:#12355b;stroke-width:1.6}",
    " .state text{fill:#12355b;font-size:15px;font-weight:600}", " .closed rect{fill:#e9ecef;stroke:#343a40;"
    "stroke-width:3.5}", " .closed text{fill:#212529}", " .head-light{fill:#6b7280}"))
_Box = namedtuple("_Box", "x y w", defaults=[BOX_W])   # a state's box: its left, top and width


def _words(labels: dict[str, str], name: str) -> str:
    return str(labels.get(name) or name.replace("_", " ").capitalize())


state_label, trigger_label = partial(_words, workflow.STATE_LABELS), partial(_words, workflow.TRIGGER_LABELS)
_mermaid_id = partial(re.sub, r"\W", "_")              # a state's name as a Mermaid name
MERMAID_CODES = str.maketrans({"#": "#35;", '"': "#34;", ":": "#58;", "\n": " "})   # what would end a label


def _edges(machine: Machine) -> dict[tuple[str, str], list[str]]:
    """(source, dest) -> its triggers, by source state then trigger order; an internal transition stays put."""
    edges: dict[tuple[str, str], list[str]] = {}
    for source in machine.states:
        for trigger, event in machine.events.items():
            for dest in dict.fromkeys(source if t.dest is None else t.dest for t in event.transitions.get(source, [])):
                edges.setdefault((source, dest), []).append(trigger)
    return edges


def _closed(states, edges) -> list[str]:
    """The workflow's closed states, and any state nothing leaves."""
    leaving = {source for source, dest in edges if dest != source}
    return [s for s in states if s in workflow.CLOSED_STATES or s not in leaving]


def _condition_words(condition) -> tuple[str | None, str]:
    if condition.func in workflow.REQUIREMENTS:
        name = workflow.REQUIREMENTS[condition.func][0]
        return name, str(FIELD_WORDS.get(name, name.replace("_", " ")))
    words = getattr(condition.func, "__name__", str(condition.func)).replace("_", " ")
    return None, words if condition.target else f"not {words}"


def transition_rows(machine: Machine = workflow.machine) -> list[dict]:
    """One row per (trigger, dest, requirements) in trigger order: ``cancel`` from Draft needs no comment."""
    rows: dict[tuple, dict] = {}
    for trigger, event in machine.events.items():
        for source, transitions in event.transitions.items():
            for transition in transitions:
                dest = source if transition.dest is None else transition.dest
                named = [_condition_words(c) for c in transition.conditions]
                words = list(dict.fromkeys(text for _, text in named))
                row = rows.setdefault((trigger, dest, tuple(words)), {
                    "trigger": trigger, "label": trigger_label(trigger), "sources": [], "dest": dest,
                    "dest_label": state_label(dest), "requirements": words,
                    "fields": list(dict.fromkeys(name for name, _ in named if name))})
                row["sources"] += [] if source in row["sources"] else [source]
    for row in rows.values():
        row["sources"].sort(key=list(machine.states).index)
        row["source_labels"] = [state_label(s) for s in row["sources"]]
    return list(rows.values())


class _Mermaid(Graph):
    """The library's Mermaid graph with the labels people read, one line per trigger, closed states shaded."""

    def _add_nodes(self, states, container):
        container += [f'state "{state_label(s["name"]).translate(MERMAID_CODES)}" as {_mermaid_id(s["name"])}'
                      for s in states]

    def _add_edges(self, transitions, container):
        order, ends = list(self.machine.states), {(t["source"], t["dest"]) for t in transitions}
        container += [f'{_mermaid_id(t["source"])} --> {_mermaid_id(t["dest"])} : '
                      f'{trigger_label(t["trigger"]).translate(MERMAID_CODES)}'
                      for t in sorted(transitions, key=lambda t: order.index(t["source"]))]   # by source, then trigger
        container += [f"{_mermaid_id(s)} --> [*]" for s in order if all(a != s or b == s for a, b in ends)]
        if closed := _closed(order, ends):
            container.append("classDef closed fill:#e9ecef,stroke:#343a40,stroke-width:3px,color:#212529")
            container += [f"class {_mermaid_id(s)} closed" for s in closed]


def mermaid_source(machine: Machine = workflow.machine) -> str:
    """``stateDiagram-v2`` text of the machine: one line per (source, trigger, dest)."""
    graph = GraphMachine(model=None, states=list(machine.states), initial=machine.initial, auto_transitions=False,
                         transitions=[{"trigger": t, "source": s, "dest": d} for t in machine.events
                                      for (s, d), ts in _edges(machine).items() if t in ts], graph_engine="mermaid")
    graph.style_attributes = {"node": {}}               # none of the library's default styles
    text = _Mermaid(graph).get_graph().source
    return "\n".join(line for line in text[text.index("stateDiagram-v2"):].splitlines() if line.strip()) + "\n"


def _grid(machine: Machine, edges, sink) -> dict[str, tuple[int, int]]:
    """(column, row) of each state but the sink: the path to the deepest state on top, others below their parent."""
    states = [s for s in machine.states if s != sink]
    depth, parent, queue = {machine.initial: 0}, {}, deque([machine.initial])
    while queue:
        state = queue.popleft()
        for dest in (d for (s, d) in edges if s == state and d not in depth and d != sink):
            depth[dest], parent[dest] = depth[state] + 1, state
            queue.append(dest)
    chain = [max(depth, key=lambda s: (depth[s], -states.index(s)))]
    while chain[0] in parent:
        chain.insert(0, parent[chain[0]])
    grid = {state: (col, 0) for col, state in enumerate(chain)}
    for state in sorted(set(depth) - set(chain), key=lambda s: (depth[s], states.index(s))):
        col, row = grid[parent[state]][0], grid[parent[state]][1] + 1
        while (col, row) in grid.values():
            row += 1
        grid[state] = (col, row)
    last = max(col for col, _ in grid.values())              # states the walk never reaches: a last column
    return grid | {state: (last + 1, row) for row, state in enumerate(s for s in states if s not in grid)}


def _exit(box: _Box, x: float, y: float, dx: float, dy: float) -> tuple[float, float]:
    """Where the ray from (x, y) inside ``box`` in direction (dx, dy) leaves it."""
    t = min((box.x + box.w - x) / dx if dx > 0 else (box.x - x) / dx if dx < 0 else math.inf,
            (box.y + BOX_H - y) / dy if dy > 0 else (box.y - y) / dy if dy < 0 else math.inf)
    return x + t * dx, y + t * dy


def state_diagram_svg(machine: Machine = workflow.machine) -> str:
    """The machine as an accessible inline SVG (role="img", <title>, <desc>); boxes and arrows name their states."""
    closed = _closed(machine.states, edges := _edges(machine))
    # The sink: the state most others (three or more) lead to by one and the same trigger (cancel from anywhere).
    incoming = {n: [tuple(ts) for (s, d), ts in edges.items() if d == n] for n in machine.states}
    sink = max((n for n, ts in incoming.items() if len(ts) > 2 and len(set(ts)) == 1 and n != machine.initial
                and (n, n) not in edges), key=lambda n: len(incoming[n]), default=None)
    grid = _grid(machine, edges, sink)
    arcs = {(s, d): abs(grid[d][0] - grid[s][0]) for s, d in edges   # value: how many columns it spans
            if sink not in (s, d) and s != d and grid[s][1] == grid[d][1] and grid[d][0] - grid[s][0] != 1}
    top = 28 + max([ARC * n + SIZE + 12 for n in arcs.values()] + [60 * any(s == d for s, d in edges), 10])
    boxes = {s: _Box(MARGIN + c * (BOX_W + GAP_X), top + r * (BOX_H + GAP_Y)) for s, (c, r) in grid.items()}
    under = {s: any(c2 == c and r2 > r for c2, r2 in grid.values()) for s, (c, r) in grid.items()}
    drop_x = {s: boxes[s].x - GAP_DROP if under[s] else boxes[s].x + BOX_W / 2 for s, d in edges if d == sink}
    if sink:    # the band under it all: the arrows into it drop straight down (beside a state below)
        left, right = min(drop_x.values()) - 40, max(drop_x.values()) + 40
        boxes[sink] = _Box(left, max(b.y for b in boxes.values()) + BOX_H + BAND_GAP, max(BOX_W, right - left))
    paths, labels = [], []                              # labels: (x, y, text, text-anchor, class)
    for (s, d), triggers in edges.items():
        a, b, text = boxes[s], boxes[d], " / ".join(map(trigger_label, triggers))
        ends = f'data-from="{escape(s)}" data-to="{escape(d)}" marker-end="url(#wf-arrow{"-light" * (d == sink)})"'
        if d == sink:
            x, y = drop_x[s], a.y + BOX_H
            curve = f"M{a.x:.1f},{y - 9:.1f} Q{x:.1f},{y - 9:.1f} {x:.1f},{y + 15:.1f}" if under[s] else f"M{x},{y}"
            paths.append(f'<path d="{curve} L{x:.1f},{b.y - 1:.1f}" class="edge-light" {ends}/>')
        elif s == sink:                                 # back out of the band (reopen): straight up, left of the drop
            x = b.x + b.w / 2 - 22
            paths.append(f'<path d="M{x:.1f},{a.y:.1f} L{x:.1f},{b.y + BOX_H + 1:.1f}" class="edge" {ends}/>')
            labels.append((x - 6, (a.y + b.y + BOX_H) / 2 + 4, text, "end", "label"))
        elif s == d:                                    # a loop over the box, its label on the left
            x, y = a.x + BOX_W / 2 - 24, a.y
            paths.append(f'<path d="M{x},{y} c-16,-50 40,-50 24,-1" class="edge" {ends}/>')
            labels.append((x - 10, y - 26, text, "end", "label"))
        elif (s, d) in arcs:                            # the wider an arc, the higher, and the nearer the middle
            n, sign = arcs[(s, d)], 1 if b.x > a.x else -1
            x, w, k = a.x + BOX_W / 2 + sign * 30 / n, b.x - a.x - sign * 60 / n, ARC * n / 0.75   # k: handles' height
            paths.append(f'<path d="M{x:.1f},{a.y} c0,{-k:.1f} {w:.1f},{-k:.1f} {w:.1f},-1" class="edge" {ends}/>')
            labels.append((x + w / 2, a.y - ARC * n - 6, text, "middle", "label"))
        else:                                           # a straight line; two opposite ones side by side
            (px, py), (qx, qy) = (a.x + a.w / 2, a.y + BOX_H / 2), (b.x + b.w / 2, b.y + BOX_H / 2)
            length = math.hypot(qx - px, qy - py)
            nx, ny = (qy - py) / length, (px - qx) / length          # the arrow's left-hand side
            off = PAIR if (d, s) in edges and (d, s) not in arcs else 0
            x1, y1 = _exit(a, px + nx * off, py + ny * off, qx - px, qy - py)
            x2, y2 = _exit(b, qx + nx * off, qy + ny * off, px - qx, py - qy)
            paths.append(f'<path d="M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}" class="edge" {ends}/>')
            # The label outside a pair (40% of the way), else halfway, above a level line and left of a steep one.
            side = 1 if off else (-1 if ny > 0 else 1) if abs(ny) > .9 else (1 if nx < 0 else -1)
            nx, ny, t = nx * side, ny * side, .4 if off else .5
            x, y = x1 + (x2 - x1) * t + nx * 8, y1 + (y2 - y1) * t + ny * 8
            labels.append((x, y + (10 if ny > .35 else 4 if ny > -.35 else -2), text,
                           "start" if nx > .3 else "end" if nx < -.3 else "middle", "label"))
    if sink:                                            # the band's one label, beside its last arrow
        labels.append((max(drop_x.values()) + 6, boxes[sink].y - 14, " / ".join(map(trigger_label, edges[
            (next(iter(drop_x)), sink)])), "start", "label light"))
    x, y = boxes[machine.initial].x - 38, boxes[machine.initial].y + BOX_H / 2
    paths.append(f'<circle cx="{x}" cy="{y}" r="8" class="head"/><text x="{x}" y="{y - 16}" text-anchor="middle" '
                 f'class="label">{escape(gettext("Start"))}</text>'
                 f'<path d="M{x + 8},{y} h29" class="edge" marker-end="url(#wf-arrow)"/>')
    # The picture holds every box and label: a label past the edge widens it rather than being cut off.
    xs = [x + f * len(text) * SIZE * 0.56 for x, _, text, anchor, _ in labels
          for f in {"start": (0, 1), "end": (-1, 0), "middle": (-.5, .5)}[anchor]]
    left, right = min(0, *xs) - 6, max(max(b.x + b.w for b in boxes.values()) + 28, max(xs) + 6)
    width, height = right - left, max(b.y for b in boxes.values()) + BOX_H + 28
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.0f} 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" role="img" aria-labelledby="wf-title wf-desc" class="workflow-diagram" '
        'style="max-width:100%;height:auto">',
        f'<title id="wf-title">{escape(gettext("How an action item moves: the workflow diagram"))}</title>',
        f'<desc id="wf-desc">{escape(_description(machine, edges, closed))}</desc>',
        f"<defs><style>{STYLE}</style>", *(f'<marker id="wf-arrow{kind}" viewBox="0 0 10 10" refX="10" refY="5" '
                                           f'markerWidth="{size}" markerHeight="{size}" orient="auto"><path '
                                           f'd="M0,0 L10,5 L0,10 z" class="head{kind}"/></marker>'
                                           for kind, size in (("", 6), ("-light", 7))), "</defs>",
        *paths, *(f'<g class="state{" closed" * (s in closed)}{" initial" * (s == machine.initial)}" data-state='
                  f'"{escape(s)}"><rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{BOX_H}" rx="12"/>'
                  f'<text x="{b.x + b.w / 2:.1f}" y="{b.y + BOX_H / 2 + 5:.1f}" text-anchor="middle">'
                  f"{escape(state_label(s))}</text></g>" for s, b in boxes.items()),
        *(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{kind}">{escape(text)}</text>'
          for x, y, text, anchor, kind in labels),
        "</svg>"])


def _description(machine: Machine, edges, closed) -> str:
    """The transitions in words, for screen readers."""
    sentences = [gettext("An action item starts as %(state)s.", state=state_label(machine.initial))]
    for name in machine.states:
        moves = "; ".join(
            (gettext("%(steps)s keeps it", steps=gettext(" or ").join(map(trigger_label, ts))) if d == name
             else gettext("%(steps)s moves it to %(state)s", steps=gettext(" or ").join(map(trigger_label, ts)),
                          state=state_label(d)))
            for (s, d), ts in edges.items() if s == name)
        sentences.append(gettext("From %(state)s: %(moves)s.", state=state_label(name), moves=moves) if moves
                         else gettext("Nothing leaves %(state)s.", state=state_label(name)))
    closing = [gettext("Closed states: %(states)s.", states=", ".join(map(state_label, closed)))] if closed else []
    return " ".join(sentences + closing)
