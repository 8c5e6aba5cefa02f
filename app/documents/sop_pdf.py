"""The official SOP document (Permen PAN-RB 35/2012): identity block, six fields, flowchart table."""

from __future__ import annotations

import re
import string

from flask_babel import gettext as _

from app.documents.flowchart import Cell, data_uri, estimate_height
from app.documents.pdf import pdf_response, render_pdf
from app.formatting import tanggal
from app.models import Sop
from app.models.sop import lines
from app.nip import format_nip
from app.workflow.engine import step_name, step_transitions

PAGE_WIDTH = 277.0  # A4 landscape minus 2 x 10 mm margins
FIXED = {"no": 8.0, "kegiatan": 52.0, "kelengkapan": 34.0, "waktu": 17.0, "output": 30.0, "keterangan": 22.0}
FIRST_PAGE_STEPS, NEXT_PAGE_STEPS = 6, 5


def _pages(n: int) -> list[range]:
    pages, start, size = [], 0, FIRST_PAGE_STEPS
    while start < n:
        pages.append(range(start, min(n, start + size)))
        start, size = start + size, NEXT_PAGE_STEPS
    return pages


def build_rows(sop: Sop) -> tuple[list[list[dict]], float]:
    """Pages of rows; each row has the step and one SVG cell per actor column."""
    steps = list(sop.langkah)
    actors = list(sop.pelaksana)
    col = {a.id: i for i, a in enumerate(actors)}
    actor_w = (PAGE_WIDTH - sum(FIXED.values())) / max(1, len(actors))
    transitions = [step_transitions(s) for s in steps]
    flows = [i + 1 < len(steps) and any(t.to_no == steps[i + 1].no for t in transitions[i]) for i in range(len(steps))]
    pages = _pages(len(steps))
    last_on_page = {r[-1] for r in pages}
    letters = iter(string.ascii_uppercase * 4)
    carried: dict[int, str] = {}
    result = []
    for page in pages:
        rows = []
        for i in page:
            step = steps[i]
            here = col[step.pelaksana_id]
            notes = []
            for t in transitions[i]:
                nxt = steps[i + 1].no if i + 1 < len(steps) else None
                target = step_name(sop, t.to_no, 22) if t.to_no else _("end")
                if t.id == "kembali":
                    notes.append(_("return to %(no)s", no=target))
                elif t.id in ("ya", "tidak"):
                    word = _("Yes") if t.id == "ya" else _("No")
                    notes.append(f"{word}: {target}")
                elif t.to_no is not None and t.to_no != nxt:
                    notes.append(_("to %(no)s", no=target))
            cells = [Cell(actor_w, 0) for _ in actors]
            owner = cells[here]
            owner.symbol = step.simbol
            owner.notes = notes
            for other in step.pelaksana_lain:
                if col[other.id] != here:
                    cells[col[other.id]].symbol = "lain"
            if i in carried:
                owner.pentagon_top, owner.line_top = carried[i], True
            elif i > 0 and flows[i - 1]:
                prev = col[steps[i - 1].pelaksana_id]
                owner.line_top = True
                if prev != here:
                    lo, hi = sorted((prev, here))
                    for c in range(lo, hi + 1):
                        left = 0.5 if c == lo else 0.0
                        right = 0.5 if c == hi else 1.0
                        cells[c].bar = (left, right)
                    cells[prev].line_top = True
                    owner.bar_down = True
            if flows[i]:
                if i in last_on_page and i + 1 < len(steps):
                    letter = next(letters)
                    owner.pentagon_bottom = letter
                    carried[i + 1] = letter
                else:
                    owner.line_bottom = True
            texts = [(getattr(step, name), width) for name, width in FIXED.items() if name != "no"]
            need = 3.0 + 6.0 + 2.6 + 2.4 * len(notes) + (5.5 if owner.pentagon_bottom else 0)
            height = max(estimate_height(texts), need)
            for cell in cells:
                cell.height = height
            rows.append({"step": step, "cells": [data_uri(c) for c in cells], "height": height})
        result.append(rows)
    return result, actor_w


def sop_pdf(sop: Sop) -> bytes:
    pages, actor_w = build_rows(sop)
    return render_pdf(
        "pdf/sop.html", sop=sop, pages=pages, actor_w=actor_w, fixed=FIXED, lines=lines, tanggal=tanggal,
        format_nip=format_nip,
    )  # fmt: skip


def sop_pdf_response(sop: Sop):
    name = re.sub(r"[^A-Za-z0-9]+", "-", sop.nama).strip("-")[:60] or "sop"
    return pdf_response(sop_pdf(sop), f"SOP-{name}-rev{sop.revisi}.pdf")
