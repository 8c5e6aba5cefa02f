"""The official SOP document (Permen PAN-RB 35/2012): identity block, six fields, flowchart table."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from app.documents.flowchart import Edge, Node, estimate_height, layout
from app.documents.pdf import pdf_response, render_pdf
from app.formatting import tanggal
from app.models import Sop
from app.models.sop import lines
from app.nip import format_nip
from app.workflow.engine import step_transitions

PAGE_WIDTH = 277.0  # A4 landscape minus 2 x 10 mm margins
FIXED = {"no": 8.0, "kegiatan": 52.0, "kelengkapan": 34.0, "waktu": 17.0, "output": 30.0, "keterangan": 22.0}
FIRST_PAGE_STEPS, NEXT_PAGE_STEPS = 6, 5


def _pages(n: int) -> list[range]:
    pages, start, size = [], 0, FIRST_PAGE_STEPS
    while start < n:
        pages.append(range(start, min(n, start + size)))
        start, size = start + size, NEXT_PAGE_STEPS
    return pages


def flow(sop: Sop) -> tuple[list[Node], list[Edge]]:
    """The SOP's steps as flowchart nodes and its transitions as edges between rows."""
    steps = list(sop.langkah)
    actors = list(sop.pelaksana)
    col = {a.id: i for i, a in enumerate(actors)}
    row_of = {s.no: i for i, s in enumerate(steps)}
    nodes, edges = [], []
    for i, step in enumerate(steps):
        texts = [(getattr(step, name), width) for name, width in FIXED.items() if name != "no"]
        others = [col[a.id] for a in step.pelaksana_lain if a.id in col]
        nodes.append(Node(col[step.pelaksana_id], step.simbol, others, estimate_height(texts)))
        for t in step_transitions(step):
            if t.to_no is None and (step.simbol == "selesai" or t.id in ("lanjut", "selesai")):
                continue  # the end of the procedure: the terminator says it
            label = {"ya": _("Yes"), "tidak": _("No"), "kembali": _("return")}.get(t.id, "")
            dst = row_of.get(t.to_no) if t.to_no is not None else None
            if t.to_no is not None and dst is None:
                continue  # a target the SOP does not have (the step form refuses it; old data)
            edges.append(Edge(i, dst, label, dashed=t.id == "kembali"))
    return nodes, edges


def build_rows(sop: Sop) -> tuple[list[list[dict]], float, float, bool]:
    """Pages of rows; each row has the step and the SVG strip of its actor columns. Also the width of
    one actor column and of the lane area on the right of the actors, and whether returns are drawn."""
    nodes, edges = flow(sop)
    pages = _pages(len(nodes))
    width = PAGE_WIDTH - sum(FIXED.values())
    strips, col_w = layout(nodes, edges, max(1, len(sop.pelaksana)), width, pages)
    steps = list(sop.langkah)
    result = [
        [{"step": steps[i], "strip": strip, "uri": strip.data_uri(), "height": strip.height}
         for i, strip in zip(page, page_strips, strict=True)]
        for page, page_strips in zip(pages, strips, strict=True)
    ]  # fmt: skip
    lane_w = width - col_w * max(1, len(sop.pelaksana))
    return result, col_w, lane_w, any(e.dashed for e in edges)


def sop_pdf(sop: Sop) -> bytes:
    pages, actor_w, lane_w, returns = build_rows(sop)
    return render_pdf(
        "pdf/sop.html", sop=sop, pages=pages, actor_w=actor_w, lane_w=lane_w, returns=returns, fixed=FIXED,
        lines=lines, tanggal=tanggal, format_nip=format_nip,
    )  # fmt: skip


def sop_pdf_response(sop: Sop):
    name = re.sub(r"[^A-Za-z0-9]+", "-", sop.nama).strip("-")[:60] or "sop"
    return pdf_response(sop_pdf(sop), f"SOP-{name}-rev{sop.revisi}.pdf")
