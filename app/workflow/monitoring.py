"""SOP monitoring: actual step durations against the mutu baku, per step."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import EvaluasiSop, Kasus, KasusRiwayat, Sop
from app.models.security import utcnow
from app.workflow.engine import working_day_minutes


@dataclass
class StepStats:
    no: int
    kegiatan: str
    waktu: str
    anggaran_menit: int | None
    selesai: int
    median: float | None
    p90: float | None
    tepat: float | None  # share (0..1) of finished steps within budget

    @property
    def tepat_persen(self) -> str:
        return "—" if self.tepat is None else f"{self.tepat * 100:.0f}%"


def durasi(minutes: int | None) -> str:
    """Working minutes as "2 hari 3 jam 5 menit" (a working day = office hours)."""
    if minutes is None:
        return "—"
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    days, rest = divmod(minutes, working_day_minutes())
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(str(_l("%(n)d d", n=days)))
    if hours:
        parts.append(str(_l("%(n)d h", n=hours)))
    if mins or not parts:
        parts.append(str(_l("%(n)d min", n=mins)))
    return sign + " ".join(parts)


def median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: list[int], p: float) -> float | None:
    """Nearest-rank percentile (the value at rank ceil(p * n))."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(1, math.ceil(p * len(ordered))) - 1])


def step_stats(sop: Sop) -> list[StepStats]:
    """Per step of this revision, over the history of every revision of the same SOP."""
    rows = db.session.execute(
        select(KasusRiwayat.dari_no, KasusRiwayat.durasi_menit, KasusRiwayat.anggaran_menit)
        .join(Kasus, KasusRiwayat.kasus_id == Kasus.id)
        .join(Sop, Kasus.sop_id == Sop.id)
        .where(Sop.kode == sop.kode)
    ).all()
    by_step: dict[int, list[tuple[int, int | None]]] = {}
    for no, d, b in rows:  # one pass over the history, however long it is
        if d is not None:
            by_step.setdefault(no, []).append((d, b))
    result = []
    for step in sop.langkah:
        mine = by_step.get(step.no, [])
        durations = [d for d, _ in mine]
        budgeted = [(d, b) for d, b in mine if b]
        result.append(
            StepStats(
                no=step.no,
                kegiatan=step.kegiatan,
                waktu=step.waktu or "",
                anggaran_menit=budgeted[-1][1] if budgeted else None,
                selesai=len(durations),
                median=median(durations),
                p90=percentile(durations, 0.9),
                tepat=(sum(1 for d, b in budgeted if d <= b) / len(budgeted)) if budgeted else None,
            )
        )
    return result


PENILAIAN_KEYS = ("baik", "kurang", "tidak")


def save_evaluations(sop: Sop, periode: str, rows: dict[int, tuple[str, str, str]]) -> int:
    """Store the evaluator's assessment per step: {step no: (penilaian, catatan, tindakan)}."""
    existing = {
        e.langkah_no: e
        for e in db.session.execute(
            select(EvaluasiSop).where(EvaluasiSop.sop_id == sop.id, EvaluasiSop.periode == periode)
        ).scalars()
    }
    saved = 0
    for step in sop.langkah:
        if step.no not in rows or rows[step.no][0] not in PENILAIAN_KEYS:
            continue
        penilaian, catatan, tindakan = rows[step.no]
        row = existing.get(step.no) or EvaluasiSop(sop_id=sop.id, langkah_no=step.no, periode=periode)
        row.penilaian, row.catatan, row.tindakan = penilaian, catatan[:2000], tindakan[:2000]
        row.dinilai_at = utcnow()
        db.session.add(row)
        saved += 1
    db.session.commit()
    return saved


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_words(periode: str) -> str:
    """A monitoring period as people write it: "2026-S2" → "Semester II 2026", "2026-T3" → "Triwulan III
    2026", "2026" → "Tahun 2026"; any other text as it was entered."""
    text = (periode or "").strip()
    if match := re.fullmatch(r"(\d{4})-S([12])", text, re.IGNORECASE):
        return _("Semester %(n)s %(year)s", n=ROMAN[int(match.group(2))], year=match.group(1))
    if match := re.fullmatch(r"(\d{4})-T([1-4])", text, re.IGNORECASE):
        return _("Quarter %(n)s %(year)s", n=ROMAN[int(match.group(2))], year=match.group(1))
    if re.fullmatch(r"\d{4}", text):
        return _("Year %(year)s", year=text)
    return text
