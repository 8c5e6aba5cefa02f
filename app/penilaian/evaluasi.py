"""Assessor performance evaluation of an event (seed 4 step 8: "laporan evaluasi kinerja assessor").

Per assessor of the event:
- score sheets assigned and submitted;
- submitted on time: a sheet is due when the budget of the SOP's scoring step runs out, counted on the
  agency's working-day calendar (`engine.calendar_for`) from the end of the session in which the
  assessor observed the participant (without a session: from the close of the wave's last day). The
  scoring step is the step of the event's case whose guard waits for the score sheets
  (`penilaian_nilai`), else for the locked results (`penilaian_hasil`, Kemenkumham step 7, 17 hari).
  Without a case, or a budget, no sheet is judged and the report says so;
- the levels they gave, and their mean absolute distance from the consensus level of the meeting
  (only levels of competencies with a consensus count).

The columns are a list (`KOLOM`): another area adds one (e.g. the QC returns of the individual
reports) with `kolom(key, label, fn)`, where `fn(item, asesor_ids) -> {asesor_id: value}`; the page
and the PDF print every registered column.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import AnggotaTim, KegiatanPenilaian, Konsensus, Nilai, Pegawai, Penugasan, Sesi
from app.models.penilaian import PERAN_PENILAI
from app.penilaian import hasil as calc
from app.penilaian import operations as ops
from app.workflow import engine, providers
from app.workflow.calendar import WIB, Budget, WorkCalendar

# Guards whose step is the scoring step, in order of preference.
GUARD_PENILAIAN = ("penilaian_nilai", "penilaian_hasil")


# -- pure arithmetic --------------------------------------------------------------------------------


def tepat_waktu(dikirim_at: dt.datetime | None, tenggat: dt.datetime | None) -> bool | None:
    """Submitted by the due time (both naive UTC); None when not submitted or no due time is known."""
    if dikirim_at is None or tenggat is None:
        return None
    return dikirim_at <= tenggat


def jarak_rata(pasangan: Iterable[tuple]) -> Decimal | None:
    """Mean |level − consensus| over (level, consensus) pairs, two decimals half up; None without pairs."""
    values = [abs(calc.d(level) - calc.d(konsensus)) for level, konsensus in pasangan]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def mulai_hitung(sesi_selesai: dt.datetime | None, hari_terakhir: dt.date | None) -> dt.datetime | None:
    """When the assessor's time starts (naive UTC): the end of the session, else the close of the wave's
    last day (the calendar moves it to the next working morning)."""
    if sesi_selesai is not None:
        return sesi_selesai
    if hari_terakhir is not None:
        return dt.datetime.combine(hari_terakhir, dt.time(23, 59), WIB).astimezone(dt.UTC).replace(tzinfo=None)
    return None


def tenggat(calendar: WorkCalendar, budget: Budget | None, mulai: dt.datetime | None,
            acuan: dt.date | None = None) -> dt.datetime | None:  # fmt: skip
    """The due time of one score sheet (naive UTC)."""
    if budget is None or mulai is None:
        return None
    return calendar.due(mulai, budget, acuan)


# -- columns ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kolom:
    key: str
    label: object
    fn: Callable[[KegiatanPenilaian, list[int]], dict[int, object]]
    angka: bool = True


KOLOM: list[Kolom] = []


def kolom(key: str, label, angka: bool = True):
    """Register an extra column of the evaluation: `fn(item, asesor_ids) -> {asesor_id: value}`."""

    def register(fn):
        KOLOM[:] = [k for k in KOLOM if k.key != key] + [Kolom(key, label, fn, angka)]
        return fn

    return register


# -- the evaluation of one event --------------------------------------------------------------------


@dataclass
class BarisEvaluasi:
    asesor: Pegawai
    lembar: int = 0
    dikirim: int = 0
    tepat: int = 0
    terlambat: int = 0
    peserta: set[int] = field(default_factory=set)
    jumlah_level: int = 0
    jarak: Decimal | None = None
    lain: dict[str, object] = field(default_factory=dict)  # the registered extra columns

    @property
    def belum(self) -> int:
        return self.lembar - self.dikirim

    @property
    def persen_tepat(self) -> Decimal | None:
        judged = self.tepat + self.terlambat
        if not judged:
            return None
        return calc.bulat(Decimal(self.tepat) / Decimal(judged) * 100)


@dataclass
class Evaluasi:
    kegiatan: KegiatanPenilaian
    langkah: object | None  # the scoring step (Langkah) whose budget applies
    budget: Budget | None
    baris: list[BarisEvaluasi]
    kolom: list[Kolom]

    @property
    def dinilai(self) -> bool:
        """Whether sheets could be judged for timeliness (a scoring step with a budget)."""
        return self.budget is not None


def langkah_penilaian(item: KegiatanPenilaian):
    """The step of the event's case during which the score sheets are written (None without a case)."""
    kasus = item.kasus
    if kasus is None:
        return None
    steps = list(kasus.sop.langkah)
    for guard in GUARD_PENILAIAN:
        for step in steps:
            if guard in step.hook_names("guards"):
                return step
    return None


def _boleh(item: KegiatanPenilaian, user) -> None:
    if not ops.staf_kegiatan(item, user):
        raise ops.PenilaianError(_l("Only the staff of the unit that runs this event can see the assessor "
                                    "evaluation."), 403)  # fmt: skip


def evaluasi(kegiatan_id: int, user) -> Evaluasi:
    """The evaluation of every assessor of an event (staff of the event's unit only)."""
    item = ops.kegiatan(kegiatan_id, user)
    _boleh(item, user)
    return hitung_evaluasi(item)


def hitung_evaluasi(item: KegiatanPenilaian) -> Evaluasi:
    """The evaluation of an event already loaded through the caller's scope."""
    step = langkah_penilaian(item)
    budget = step.budget if step is not None else None
    acuan = None
    if budget is not None and budget.acuan and item.kasus is not None:
        acuan = providers.reference_date(item.kasus, budget.acuan)
    calendar = engine.calendar_for(item.unit_kerja.instansi_id)

    team = db.session.execute(
        select(Pegawai)
        .join(AnggotaTim, AnggotaTim.pegawai_id == Pegawai.id)
        .where(AnggotaTim.kegiatan_id == item.id, AnggotaTim.peran.in_(PERAN_PENILAI))
        .order_by(Pegawai.nama)
    ).scalars()
    rows: dict[int, BarisEvaluasi] = {a.id: BarisEvaluasi(a) for a in team}
    waves = {g.id: g for g in item.gelombang}
    sheets = db.session.execute(
        select(Penugasan, Sesi.selesai)
        .outerjoin(Sesi, Sesi.id == Penugasan.sesi_id)
        .where(Penugasan.kegiatan_id == item.id)
        .order_by(Penugasan.id)
    ).all()
    for sheet, sesi_selesai in sheets:
        row = rows.get(sheet.asesor_id)
        if row is None:  # an assessor who left the team keeps their record
            row = rows[sheet.asesor_id] = BarisEvaluasi(sheet.asesor)
        row.lembar += 1
        row.peserta.add(sheet.peserta_id)
        if sheet.dikirim_at is None:
            continue
        row.dikirim += 1
        wave = waves.get(sheet.peserta.gelombang_id)
        last_day = (wave.tanggal_selesai or wave.tanggal_mulai) if wave is not None else None
        due = tenggat(calendar, budget, mulai_hitung(sesi_selesai, last_day), acuan)
        on_time = tepat_waktu(sheet.dikirim_at, due)
        if on_time is True:
            row.tepat += 1
        elif on_time is False:
            row.terlambat += 1

    event_participants = select(Penugasan.peserta_id).where(Penugasan.kegiatan_id == item.id)
    consensus = {
        (k.peserta_id, k.kompetensi_id): k.level
        for k in db.session.execute(select(Konsensus).where(Konsensus.peserta_id.in_(event_participants))).scalars()
    }
    pairs: dict[int, list[tuple]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    levels = db.session.execute(
        select(Penugasan.asesor_id, Penugasan.peserta_id, Nilai.kompetensi_id, Nilai.level)
        .join(Nilai, Nilai.penugasan_id == Penugasan.id)
        .where(Penugasan.kegiatan_id == item.id)
    ).all()
    for asesor_id, peserta_id, kompetensi_id, level in levels:
        counts[asesor_id] += 1
        agreed = consensus.get((peserta_id, kompetensi_id))
        if agreed is not None:
            pairs[asesor_id].append((level, agreed))
    for asesor_id, row in rows.items():
        row.jumlah_level = counts.get(asesor_id, 0)
        row.jarak = jarak_rata(pairs.get(asesor_id, []))
    ids = list(rows)
    for k in KOLOM:
        values = k.fn(item, ids)
        for asesor_id, row in rows.items():
            row.lain[k.key] = values.get(asesor_id)
    ordered = sorted(rows.values(), key=lambda r: (r.asesor.nama or "").lower())
    return Evaluasi(item, step, budget, ordered, list(KOLOM))


def pdf(kegiatan_id: int, user) -> bytes:
    """The evaluation as a PDF on the agency's letterhead."""
    from app.documents.pdf import render_pdf
    from app.formatting import tanggal

    data = evaluasi(kegiatan_id, user)
    return render_pdf("pdf/evaluasi_asesor.html", e=data, instansi=data.kegiatan.unit_kerja.instansi,
                      tanggal=tanggal, hari_ini=ops.hari_ini(), persen=_dua_desimal)  # fmt: skip


def _dua_desimal(value) -> str:
    return f"{value:.2f}".replace(".", ",") if isinstance(value, int | float) else ""


# -- the SOP step's output ---------------------------------------------------------------------------


@providers.output_provider("evaluasi_asesor", _l("Assessor performance evaluation"))
def _output(kasus, step, param) -> list[providers.Output]:
    from flask import url_for

    item = ops.kegiatan_dari(kasus)
    label = str(_l("Assessor performance evaluation"))
    if item is None:
        return [providers.Output(label, exists=False)]
    waiting = ops.kurang_penilaian(item)
    return [
        providers.Output(
            label,
            exists=not waiting,
            url=url_for("RekapView.evaluasi", pk=item.id),
            detail=ops.kalimat(waiting) if waiting else "",
        )
    ]
