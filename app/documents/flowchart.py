"""The flowchart cells of the SOP document, drawn as small SVG images (xhtml2pdf draws SVG as vectors).

Each row of the SOP table gets one image per actor column. Connectors between
consecutive steps are split across the rows they pass through; a flow that crosses a
page break ends in a lettered pentagon (off-page connector) and resumes from one.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

SYMBOL_TOP = 3.0  # mm from the top of the cell to the top of the symbol
SYMBOL_H = 6.0
SYMBOL_W_MAX = 10.0
BAR_Y = 1.2  # height of horizontal connector segments at the top of a row


@dataclass
class Cell:
    width: float
    height: float
    symbol: str | None = None  # mulai | proses | keputusan | selesai | lain (another actor of the step)
    line_top: bool = False  # vertical line from the top edge into the symbol (or to the bar)
    line_bottom: bool = False  # vertical line from the symbol to the bottom edge
    bar: tuple[float, float] | None = None  # horizontal segment at BAR_Y, as fractions 0..1 of the width
    bar_down: bool = False  # arrow from the bar down into the symbol
    pentagon_top: str = ""  # off-page connector letter drawn above the symbol
    pentagon_bottom: str = ""  # off-page connector letter drawn below the symbol
    notes: list[str] = field(default_factory=list)


def _arrow(x: float, y: float) -> str:
    return f'<polygon points="{x - 0.8:.2f},{y - 1.2:.2f} {x + 0.8:.2f},{y - 1.2:.2f} {x:.2f},{y:.2f}" fill="black"/>'


def _pentagon(x: float, y: float, letter: str) -> str:
    w, h = 4.0, 4.0
    pts = f"{x - w / 2},{y} {x + w / 2},{y} {x + w / 2},{y + h * 0.6} {x},{y + h} {x - w / 2},{y + h * 0.6}"
    return (
        f'<polygon points="{pts}" fill="white" stroke="black" stroke-width="0.25"/>'
        f'<text x="{x}" y="{y + 2.4}" font-size="2.4" text-anchor="middle">{escape(letter)}</text>'
    )


def svg(cell: Cell) -> str:
    w, h = cell.width, cell.height
    cx = w / 2
    sw = min(SYMBOL_W_MAX, w - 2)
    top, bottom = SYMBOL_TOP, SYMBOL_TOP + SYMBOL_H
    parts = []
    line = 'stroke="black" stroke-width="0.3"'
    if cell.bar:
        a, b = cell.bar
        parts.append(f'<line x1="{a * w:.2f}" y1="{BAR_Y}" x2="{b * w:.2f}" y2="{BAR_Y}" {line}/>')
    if cell.line_top and cell.symbol:
        start = BAR_Y if cell.bar_down else 0
        parts.append(f'<line x1="{cx}" y1="{start}" x2="{cx}" y2="{top}" {line}/>')
        parts.append(_arrow(cx, top))
    elif cell.line_top:  # passing through (the bar starts here)
        parts.append(f'<line x1="{cx}" y1="0" x2="{cx}" y2="{BAR_Y}" {line}/>')
    if cell.line_bottom:
        parts.append(f'<line x1="{cx}" y1="{bottom}" x2="{cx}" y2="{h}" {line}/>')
    if cell.pentagon_top:
        parts.append(_pentagon(cx, 0.2, cell.pentagon_top))
    if cell.pentagon_bottom:
        parts.append(f'<line x1="{cx}" y1="{bottom}" x2="{cx}" y2="{bottom + 1.2}" {line}/>')
        parts.append(_pentagon(cx, bottom + 1.2, cell.pentagon_bottom))
    x0 = cx - sw / 2
    shape = 'fill="white" stroke="black" stroke-width="0.3"'
    if cell.symbol in ("mulai", "selesai"):
        parts.append(f'<rect x="{x0}" y="{top}" width="{sw}" height="{SYMBOL_H}" rx="3" ry="3" {shape}/>')
    elif cell.symbol == "proses":
        parts.append(f'<rect x="{x0}" y="{top}" width="{sw}" height="{SYMBOL_H}" {shape}/>')
    elif cell.symbol == "keputusan":
        pts = f"{cx},{top} {cx + sw / 2},{top + SYMBOL_H / 2} {cx},{bottom} {cx - sw / 2},{top + SYMBOL_H / 2}"
        parts.append(f'<polygon points="{pts}" {shape}/>')
    elif cell.symbol == "lain":
        parts.append(
            f'<rect x="{x0}" y="{top}" width="{sw}" height="{SYMBOL_H}" fill="white" stroke="black" '
            f'stroke-width="0.25" stroke-dasharray="0.8,0.6"/>'
        )
    y = bottom + (6.5 if cell.pentagon_bottom else 2.6)
    for note in cell.notes:
        # Beside the outgoing line, not on it.
        parts.append(f'<text x="{cx + 0.8:.2f}" y="{y:.2f}" font-size="2.1">{escape(note)}</text>')
        y += 2.4
    body = "".join(parts)
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">{body}</svg>'


def data_uri(cell: Cell) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(cell).encode()).decode()


def estimate_height(texts: list[tuple[str, float]], font_mm: float = 2.65, min_height: float = 14.0) -> float:
    """Rough row height (mm) from the longest wrapped text: (text, column width in mm) pairs."""
    best = 0
    for text, width in texts:
        chars_per_line = max(4, int(width / (font_mm * 0.5)))
        lines = sum(max(1, math.ceil(len(part) / chars_per_line)) for part in (text or "").splitlines() or [""])
        best = max(best, lines)
    return max(min_height, best * font_mm * 1.3 + 3)
