"""The flowchart of the SOP document, drawn as one SVG strip per table row (xhtml2pdf draws SVG as vectors).

Each row of the SOP table has one image across the actor columns (it draws the column lines itself)
and, when the flow needs it, a narrow lane area on the right. The strips join seamlessly, so a line
that leaves one row at its bottom edge continues at the top edge of the next.

- The next step (an arrow down, with a bar across when the actor changes) when a transition leads
  to the following row.
- Any other transition - a decision's Ya/Tidak to a row further down, a loop back to an earlier row,
  a review's return - leaves the symbol on its right side, runs along the side of the table in its
  own lane and enters the target symbol from the right with an arrowhead. Lanes are assigned so that
  lines never share a lane over the same rows.
- A flow that crosses a page break ends in a lettered off-page connector (pentagon) and resumes from
  one with the same letter: below the symbol for the next step, in the lane for a jump.
- A branch that ends the case goes to a small end terminator beside the decision.
- Labels (Ya, Tidak, kembali) are placed where they overlap no symbol; every placed symbol and label
  is kept on the strip (`symbols`, `labels`) so tests can check that.
"""

from __future__ import annotations

import base64
import math
import string
import textwrap
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

SYMBOL_TOP = 3.5  # mm from the top of a row to the top of its symbol
SYMBOL_TOP_CONNECTOR = 6.0  # ... when an off-page connector arrives above it
SYMBOL_H = 6.0
SYMBOL_W_MAX = 10.0
BAR_Y = 1.2  # height of the horizontal bar that carries the flow to another column
LANE_STEP = 3.4  # width of one lane on the right
LABEL_FONT = 2.0
DASH = ' stroke-dasharray="1,0.7"'


@dataclass
class Node:
    """A step in its row: the acting column, the symbol, co-actor columns and the height its texts need."""

    col: int
    simbol: str  # mulai | proses | keputusan | selesai
    others: list[int] = field(default_factory=list)
    min_height: float = 14.0


@dataclass
class Edge:
    """A transition from row `src` to row `dst` (None: the case ends)."""

    src: int
    dst: int | None
    label: str = ""
    dashed: bool = False  # a review's return
    kind: str = ""  # down | side | end (set by the layout)
    exit_slot: str = ""
    entry_slot: str = ""
    lane: int = -1
    letter: str = ""
    stubs: tuple = ()  # across pages: the lane stubs on the source's and the target's page


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass
class Strip:
    """The actor area of one table row."""

    width: float
    height: float
    parts: list[str] = field(default_factory=list)
    symbols: list[Box] = field(default_factory=list)
    labels: list[tuple[str, Box]] = field(default_factory=list)
    lines: list[Box] = field(default_factory=list)  # horizontal flow lines (labels avoid them too)
    classes: set[str] = field(default_factory=set)  # what the strip carries, e.g. "loop", "offpage"

    def svg(self) -> str:
        body = "".join(self.parts)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.2f}mm" height="{self.height:.2f}mm" '
                f'viewBox="0 0 {self.width:.2f} {self.height:.2f}">{body}</svg>')  # fmt: skip

    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg().encode()).decode()


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def text_width(text: str, font: float = LABEL_FONT) -> float:
    return len(text) * font * 0.56


class Row:
    """Drawing one strip: symbol geometry and the primitives, in the row's own millimetres."""

    def __init__(self, node: Node, columns: int, col_w: float, lane_w: float, height: float, top: float):
        self.node, self.col_w, self.columns = node, col_w, columns
        self.actors_w = columns * col_w
        self.strip = Strip(self.actors_w + lane_w, height)
        self.top = top
        self.sw = min(SYMBOL_W_MAX, col_w - 2)
        self.pending: list[tuple[str, list[tuple[float, float]]]] = []

    # -- geometry ------------------------------------------------------------------------------------

    def cx(self, col: int) -> float:
        return (col + 0.5) * self.col_w

    @property
    def mid(self) -> float:
        return self.top + SYMBOL_H / 2

    @property
    def bottom(self) -> float:
        return self.top + SYMBOL_H

    def slot_y(self, slot: str) -> float:
        return {"mid": self.mid, "high": self.top + 1.5, "low": self.bottom - 1.5}[slot]

    def outline_x(self, y: float, side: int = 1) -> float:
        """Where a horizontal line at height y meets the symbol's right (side=1) or left (-1) outline."""
        cx, half = self.cx(self.node.col), self.sw / 2
        if self.node.simbol == "keputusan":
            return cx + side * half * (1 - abs(y - self.mid) / (SYMBOL_H / 2))
        if self.node.simbol in ("mulai", "selesai"):
            r = SYMBOL_H / 2
            return cx + side * (half - r + math.sqrt(max(0.0, r * r - (y - self.mid) ** 2)))
        return cx + side * half

    # -- primitives ----------------------------------------------------------------------------------

    def line(self, x1, y1, x2, y2, dashed=False, cls="", width=0.3):
        extra = f' class="{cls}"' if cls else ""
        if y1 == y2 and cls:  # flow lines across the row: labels keep off them
            self.strip.lines.append((min(x1, x2), y1 - 0.25, max(x1, x2), y1 + 0.25))
        self.strip.parts.append(f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" stroke="black" '
                                f'stroke-width="{width}" fill="none"{DASH if dashed else ""}{extra}/>')  # fmt: skip
        if cls:
            self.strip.classes.add(cls)

    def arrow(self, x, y, direction: str, cls=""):
        """An arrowhead with its tip at (x, y), pointing down or left."""
        if direction == "down":
            pts = f"{x - 0.8:.2f},{y - 1.2:.2f} {x + 0.8:.2f},{y - 1.2:.2f} {x:.2f},{y:.2f}"
        else:
            pts = f"{x + 1.2:.2f},{y - 0.8:.2f} {x + 1.2:.2f},{y + 0.8:.2f} {x:.2f},{y:.2f}"
        extra = f' class="{cls}"' if cls else ""
        self.strip.parts.append(f'<polygon points="{pts}" fill="black"{extra}/>')

    def pentagon(self, x, y, letter, w=4.0, h=4.0, font=2.4):
        """An off-page connector with its top edge centred at (x, y)."""
        corners = [(x - w / 2, y), (x + w / 2, y), (x + w / 2, y + h * 0.6), (x, y + h), (x - w / 2, y + h * 0.6)]
        pts = " ".join(f"{px:.2f},{py:.2f}" for px, py in corners)
        self.strip.parts.append(f'<polygon points="{pts}" fill="white" stroke="black" stroke-width="0.25" '
                                f'class="offpage"/>')  # fmt: skip
        self.strip.parts.append(f'<text x="{x:.2f}" y="{y + h * 0.58:.2f}" font-size="{font}" '
                                f'text-anchor="middle">{escape(letter)}</text>')  # fmt: skip
        self.strip.symbols.append((x - w / 2, y, x + w / 2, y + h))
        self.strip.classes.add("offpage")

    def label(self, text: str, candidates: list[tuple[float, float]]) -> None:
        """Ask for a label at one of the candidate positions (x, baseline); placed once all lines are drawn."""
        if text:
            self.pending.append((text, candidates))

    def place_labels(self) -> None:
        for text, candidates in self.pending:
            self._place(text, candidates)
        self.pending = []

    def _place(self, text: str, candidates: list[tuple[float, float]]) -> None:
        """Write a label at the first candidate position where it overlaps no symbol, no flow line and no
        other label; if none is free, at the first candidate that overlaps no symbol."""
        w = text_width(text)

        def box(x, y):
            return (x, y - LABEL_FONT * 0.85, x + w, y + 0.3)

        def clear(x, y, obstacles):
            return x >= 0 and x + w <= self.strip.width and not any(_overlaps(box(x, y), b) for b in obstacles)

        everything = [*self.strip.symbols, *self.strip.lines, *(b for _t, b in self.strip.labels)]
        chosen = next((c for c in candidates if clear(*c, everything)), None)
        if chosen is None:
            chosen = next((c for c in candidates if clear(*c, self.strip.symbols)), candidates[0])
        x, y = chosen
        self.strip.labels.append((text, (x, y - LABEL_FONT * 0.85, x + w, y + 0.3)))
        self.strip.parts.append(f'<text x="{x:.2f}" y="{y:.2f}" font-size="{LABEL_FONT}">{escape(text)}</text>')

    def symbol(self, col: int, simbol: str) -> None:
        cx, top, sw = self.cx(col), self.top, self.sw
        x0 = cx - sw / 2
        shape = 'fill="white" stroke="black" stroke-width="0.3"'
        if simbol in ("mulai", "selesai"):
            self.strip.parts.append(f'<rect x="{x0:.2f}" y="{top:.2f}" width="{sw:.2f}" height="{SYMBOL_H}" '
                                    f'rx="3" ry="3" {shape} class="simbol"/>')  # fmt: skip
        elif simbol == "keputusan":
            pts = (f"{cx:.2f},{top:.2f} {cx + sw / 2:.2f},{self.mid:.2f} {cx:.2f},{self.bottom:.2f} "
                   f"{cx - sw / 2:.2f},{self.mid:.2f}")  # fmt: skip
            self.strip.parts.append(f'<polygon points="{pts}" {shape} class="simbol"/>')
        elif simbol == "lain":
            self.strip.parts.append(
                f'<rect x="{x0:.2f}" y="{top:.2f}" width="{sw:.2f}" height="{SYMBOL_H}" '
                'fill="white" stroke="black" stroke-width="0.25" stroke-dasharray="0.8,0.6"/>'
            )
        else:
            self.strip.parts.append(f'<rect x="{x0:.2f}" y="{top:.2f}" width="{sw:.2f}" height="{SYMBOL_H}" '
                                    f'{shape} class="simbol"/>')  # fmt: skip
        self.strip.symbols.append((x0, top, x0 + sw, self.bottom))

    def end_terminator(self, x0: float, y: float) -> None:
        """A small end capsule (the case ends here) whose left edge is at x0, centred on height y."""
        w, h = min(8.0, self.col_w - 2), 3.6
        self.strip.parts.append(
            f'<rect x="{x0:.2f}" y="{y - h / 2:.2f}" width="{w:.2f}" height="{h}" rx="1.8" '
            'ry="1.8" fill="white" stroke="black" stroke-width="0.3" class="akhir"/>'
        )
        self.strip.symbols.append((x0, y - h / 2, x0 + w, y + h / 2))
        self.strip.classes.add("akhir")


# -- the layout ---------------------------------------------------------------------------------------------


def _assign_lanes(intervals: list[tuple[int, int, Edge]]) -> int:
    """Give each interval of rows a lane (shortest nearest the actors) so that no two intervals that share
    a row share a lane; return the number of lanes used."""
    taken: list[list[tuple[int, int]]] = []
    for lo, hi, edge in sorted(intervals, key=lambda t: (t[1] - t[0], t[0])):
        lane = next((k for k, spans in enumerate(taken) if all(hi < a or lo > b for a, b in spans)), None)
        if lane is None:
            taken.append([])
            lane = len(taken) - 1
        taken[lane].append((lo, hi))
        edge.lane = lane
    return len(taken)


def _classify(nodes: list[Node], edges: list[Edge]) -> None:
    downs = set()
    for edge in edges:
        if edge.dst is None:
            edge.kind = "end"
        elif edge.dst == edge.src + 1 and edge.src not in downs:
            edge.kind = "down"
            downs.add(edge.src)
        else:
            edge.kind = "side"
    # Exit slots on the right of the source, entry slots on the right of the target.
    used: dict[int, set[str]] = {}
    for edge in edges:
        if edge.kind in ("side", "end"):
            free = [s for s in ("mid", "low", "high") if s not in used.setdefault(edge.src, set())]
            edge.exit_slot = free[0] if free else "mid"
            used[edge.src].add(edge.exit_slot)
    for edge in edges:
        if edge.kind == "side":
            mine = used.setdefault(edge.dst, set())
            edge.entry_slot = next((s for s in ("mid", "high", "low") if s not in mine), "mid")
            mine.add(edge.entry_slot)


def layout(nodes: list[Node], edges: list[Edge], columns: int, width: float,
           pages: list[range]) -> tuple[list[list[Strip]], float]:  # fmt: skip
    """Strips for every row, page by page, and the width of one actor column."""
    _classify(nodes, edges)
    page_of = {i: p for p, rows in enumerate(pages) for i in rows}
    letters = iter(string.ascii_uppercase * 4)
    # Which letters, in reading order: page breaks of the next step, and jumps across pages.
    for edge in sorted(edges, key=lambda e: (e.src, e.dst or 0)):
        crosses = edge.dst is not None and page_of[edge.src] != page_of[edge.dst]
        if edge.kind in ("down", "side") and crosses:
            edge.letter = next(letters)
    # Lanes per page: jumps within the page first (shortest nearest the actors), then the off-page
    # connectors outside them, so that no line crosses a connector.
    lane_count = 0
    for p in range(len(pages)):
        spans = [(min(e.src, e.dst), max(e.src, e.dst), e) for e in edges
                 if e.kind == "side" and not e.letter and page_of[e.src] == p]  # fmt: skip
        inner = _assign_lanes(spans)
        stubs = []
        for edge in edges:
            if edge.kind == "side" and edge.letter:
                if not edge.stubs:
                    edge.stubs = (Edge(edge.src, edge.src), Edge(edge.dst, edge.dst))
                stubs += [(s.src, s.src, s) for s in edge.stubs if page_of[s.src] == p]
        outer = _assign_lanes(stubs)
        for _lo, _hi, stub in stubs:
            stub.lane += inner
        lane_count = max(lane_count, inner + outer)
    lane_w = lane_count * LANE_STEP + (1.0 if lane_count else 0.0)
    col_w = (width - lane_w) / max(1, columns)
    actors_w = columns * col_w

    def lane_x(lane: int) -> float:
        return actors_w + 0.5 + (lane + 0.5) * LANE_STEP

    # Row heights: the texts, the symbol, and whatever is drawn below it.
    rows: dict[int, Row] = {}
    for i, node in enumerate(nodes):
        top = SYMBOL_TOP_CONNECTOR if any(e.kind == "down" and e.letter and e.dst == i for e in edges) else SYMBOL_TOP
        need = top + SYMBOL_H + 4.0
        if any(e.kind == "down" and e.letter and e.src == i for e in edges):
            need = top + SYMBOL_H + 6.0
        rows[i] = Row(node, columns, col_w, lane_w, max(node.min_height, need), top)

    for row in rows.values():
        node = row.node
        for k in range(1, columns):  # the column lines, as thin as the table's borders
            row.line(k * col_w, 0, k * col_w, row.strip.height, width=0.18)
        if lane_w:
            row.line(actors_w, 0, actors_w, row.strip.height, width=0.18)
        for other in node.others:
            if other != node.col:
                row.symbol(other, "lain")
        row.symbol(node.col, node.simbol)

    for edge in edges:
        src = rows[edge.src]
        if edge.kind == "down":
            _draw_down(edge, src, rows[edge.dst])
        elif edge.kind == "end":
            _draw_end(edge, src)
    for edge in edges:
        if edge.kind == "side":
            _draw_side(edge, rows, page_of, lane_x)
    for row in rows.values():
        row.place_labels()
    return [[rows[i].strip for i in page] for page in pages], col_w


def _draw_down(edge: Edge, src: Row, dst: Row) -> None:
    x_src, x_dst = src.cx(src.node.col), dst.cx(dst.node.col)
    src_decision = src.node.simbol == "keputusan"
    if edge.letter:  # the next step is on the next page
        src.line(x_src, src.bottom, x_src, src.bottom + 1.2)
        src.pentagon(x_src, src.bottom + 1.2, edge.letter)
        dst.pentagon(x_dst, 0.2, edge.letter)
        dst.line(x_dst, 4.2, x_dst, dst.top)
        dst.arrow(x_dst, dst.top, "down")
    else:
        src.line(x_src, src.bottom, x_src, src.strip.height)
        if x_src == x_dst:
            dst.line(x_dst, 0, x_dst, dst.top)
        else:
            dst.line(x_src, 0, x_src, BAR_Y)
            dst.line(min(x_src, x_dst), BAR_Y, max(x_src, x_dst), BAR_Y)
            dst.line(x_dst, BAR_Y, x_dst, dst.top)
        dst.arrow(x_dst, dst.top, "down")
    if src_decision or edge.label:
        left = x_src - 0.7 - text_width(edge.label)
        src.label(edge.label, [(x_src + 0.7, src.bottom + 2.4), (left, src.bottom + 2.4)])


def _exit(edge: Edge, src: Row) -> tuple[float, float]:
    y = src.slot_y(edge.exit_slot)
    return src.outline_x(y), y


def _label_exit(edge: Edge, src: Row, x: float, y: float, stop: float) -> None:
    if edge.dashed:
        return  # a return: the dashed line says it (the legend under the table)
    w = text_width(edge.label)
    src.label(edge.label, [(x + 0.6, y - 0.6), (x + 0.6, y + 2.3), (stop - w - 0.6, y - 0.6),
                           (stop - w - 0.6, y + 2.3), (x + 0.6, y - 2.4), (x + 0.6, y + 4.2)])  # fmt: skip


def _draw_end(edge: Edge, src: Row) -> None:
    """The case ends: a line to a small end terminator in a free neighbouring column (or the lane area)."""
    node = src.node
    busy = {node.col, *node.others}
    x, y = _exit(edge, src)
    if node.col + 1 < src.columns and node.col + 1 not in busy:
        x0 = src.cx(node.col + 1) - min(8.0, src.col_w - 2) / 2
    else:
        x0 = src.actors_w + 0.8 if src.strip.width > src.actors_w + 2 else x + 2.5
    src.line(x, y, x0, y, edge.dashed, cls="akhir")
    src.end_terminator(x0, y)
    _label_exit(edge, src, x, y, x0)


def _draw_side(edge: Edge, rows: dict[int, Row], page_of: dict[int, int], lane_x) -> None:
    src, dst = rows[edge.src], rows[edge.dst]
    going_up = edge.dst < edge.src
    cls = "loop" if going_up else "jump"
    x0, y0 = _exit(edge, src)
    y1 = dst.slot_y(edge.entry_slot)
    x1 = dst.outline_x(y1)
    if edge.letter:  # across pages: into a lettered connector here, out of one on the target's page
        xs, xd = lane_x(edge.stubs[0].lane), lane_x(edge.stubs[1].lane)
        src.line(x0, y0, xs - 1.6, y0, edge.dashed, cls=cls)
        src.pentagon(xs, y0 - 1.6, edge.letter, w=3.0, h=3.2, font=2.0)
        _label_exit(edge, src, x0, y0, xs - 1.6)
        dst.pentagon(xd, y1 - 1.6, edge.letter, w=3.0, h=3.2, font=2.0)
        dst.line(xd - 1.6, y1, x1, y1, edge.dashed, cls=cls)
        dst.arrow(x1, y1, "left", cls=cls)
        return
    x = lane_x(edge.lane)
    src.line(x0, y0, x, y0, edge.dashed, cls=cls)
    src.line(x, y0, x, 0 if going_up else src.strip.height, edge.dashed, cls=cls)
    for i in range(min(edge.src, edge.dst) + 1, max(edge.src, edge.dst)):
        rows[i].line(x, 0, x, rows[i].strip.height, edge.dashed, cls=cls)
    dst.line(x, dst.strip.height if going_up else 0, x, y1, edge.dashed, cls=cls)
    dst.line(x, y1, x1, y1, edge.dashed, cls=cls)
    dst.arrow(x1, y1, "left", cls=cls)
    _label_exit(edge, src, x0, y0, x)


def estimate_height(texts: list[tuple[str, float]], font_mm: float = 2.65, min_height: float = 14.0) -> float:
    """Row height (mm) from the longest wrapped text: (text, column width in mm) pairs. Generous: a strip
    shorter than its row would leave a gap in the lines between rows."""
    best = 0
    for text, width in texts:
        chars_per_line = max(4, int((width - 2.4) / (font_mm * 0.5)))
        lines = sum(max(1, len(textwrap.wrap(part, chars_per_line))) for part in (text or "").splitlines() or [""])
        best = max(best, lines)
    return max(min_height, best * font_mm * 1.3 + 4.0)
