"""Operations of the individual reports: one function per state change, shared by the screens, the REST
API, the SOP hooks, the job queue and the tests.

A report exists only for a participant whose assessor meeting is locked (`Hasil`). Its writer is the
participant's assessor with the most assignments (ties: the first assigned); only the writer edits and
submits it. QC (the event's staff, seed 4 step 8) passes it when every checklist item is ticked, or
returns it with notes, which puts it back in the writer's task list. Bad input raises `PenilaianError`
with a message for the user and changes nothing. A state change claims the report first
(app/konkurensi.py; `seen_versi`: the version the user's page showed), so a repeated click changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app import charts, scope
from app.extensions import db
from app.konkurensi import claim
from app.laporan import template as templat
from app.models import AnggotaTim, Hasil, KegiatanPenilaian, NilaiPotensi, Pegawai, Penugasan, Peserta
from app.models.laporan import NARASI, ItemLaporan, JobLaporan, LaporanIndividu, StatusLaporan
from app.models.penilaian import PeranTim, StatusKegiatan
from app.models.security import utcnow
from app.notifikasi import operations as notifikasi
from app.penilaian import hasil as calc
from app.penilaian import operations as ops
from app.penilaian.operations import PenilaianError
from app.textclean import forbidden_character

MAX_NARASI = 4000
# A tag or comment opener: reports are plain text (printed as such), never markup.
_HTML = re.compile(r"<\s*[/!?]?\s*[A-Za-z!]|&[#A-Za-z0-9]+;")

NARASI_LABELS = {
    "kekuatan": _l("Strengths"),
    "area_pengembangan": _l("Development areas"),
    "rekomendasi": _l("Recommendation"),
    "saran_penempatan": _l("Placement advice"),
    "saran_pengembangan": _l("Development advice"),
}


# -- scope: reports follow their participant; batches are for those who see every participant --------


def _job_rule(r: scope.Reach):
    if r.admin:
        return None
    clauses = []
    if scope._staff(r):
        clauses.append(JobLaporan.kegiatan_id.in_(scope._unit_events(r)))
    if r.pegawai_id:
        clauses.append(JobLaporan.kegiatan_id.in_(scope._team_events(r, scope._TEAM_ALL_PARTICIPANTS)))
    return or_(*clauses) if clauses else scope.false()


scope.register(LaporanIndividu, scope._via(LaporanIndividu.peserta_id, Peserta))
scope.register(JobLaporan, _job_rule)
scope.register(ItemLaporan, scope._via(ItemLaporan.job_id, JobLaporan))


# -- loading ------------------------------------------------------------------------------------------


def laporan(laporan_id, user) -> LaporanIndividu:
    """A report the caller may see, or PenilaianError 404."""
    item = scope.get(LaporanIndividu, laporan_id, user)
    if item is None:
        raise PenilaianError(_l("Report not found."), 404)
    return item


def hasil_terkunci(p: Peserta) -> Hasil:
    """The participant's locked result, or PenilaianError 409 (no report without one)."""
    row = db.session.execute(select(Hasil).where(Hasil.peserta_id == p.id)).scalar()
    if row is None:
        raise PenilaianError(
            _l("%(name)s has no locked consensus result yet; the report is written after the assessor meeting "
               "locks it.", name=p.nama_lengkap), 409)  # fmt: skip
    return row


def penulis(p: Peserta) -> int | None:
    """The assessor who writes a participant's report: the one with most assignments, then the first."""
    row = db.session.execute(
        select(Penugasan.asesor_id)
        .where(Penugasan.peserta_id == p.id)
        .group_by(Penugasan.asesor_id)
        .order_by(func.count(Penugasan.id).desc(), func.min(Penugasan.id))
        .limit(1)
    ).scalar()
    return row


def pastikan(p: Peserta) -> LaporanIndividu:
    """The participant's report, created as a draft if missing (the result must be locked). No commit."""
    hasil_terkunci(p)
    row = db.session.execute(select(LaporanIndividu).where(LaporanIndividu.peserta_id == p.id)).scalar()
    if row is not None:
        return row
    writer = penulis(p)
    if writer is None:
        raise PenilaianError(_l("%(name)s has no assessor; assign one before writing the report.",
                                name=p.nama_lengkap), 409)  # fmt: skip
    row = LaporanIndividu(peserta_id=p.id, kegiatan_id=p.kegiatan_id, asesor_id=writer)
    try:
        # Two first opens at once: the second insert meets the first one's row (unique per participant)
        # and takes it instead of answering 500.
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return db.session.execute(select(LaporanIndividu).where(LaporanIndividu.peserta_id == p.id)).scalar_one()
    return row


def laporan_peserta(peserta_id, user) -> LaporanIndividu:
    """The report of a participant the caller may see (created as a draft on first use)."""
    p = ops.peserta(peserta_id, user)
    row = pastikan(p)
    db.session.commit()
    return row


# -- the writer's narrative ----------------------------------------------------------------------------


def penulis_laporan(row: LaporanIndividu, user) -> bool:
    return getattr(user, "pegawai_id", None) is not None and user.pegawai_id == row.asesor_id


def _narasi(value, field: str) -> str:
    label = NARASI_LABELS.get(field) or _l("QC notes")
    if value is not None and not isinstance(value, str):
        raise PenilaianError(_l("%(field)s must be text.", field=label), 422)
    text = (value or "").replace("\r\n", "\n").strip()
    if forbidden_character(text) is not None:
        raise PenilaianError(_l("%(field)s contains a control character; remove it and try again.", field=label), 422)
    if _HTML.search(text):
        raise PenilaianError(_l("%(field)s contains HTML markup (such as <b> or &amp;); write plain text only.",
                                field=label), 422)  # fmt: skip
    if len(text) > MAX_NARASI:
        raise PenilaianError(_l("%(field)s is longer than %(n)d characters.", field=label, n=MAX_NARASI), 422)
    return text


def _boleh_tulis(row: LaporanIndividu, user) -> None:
    if not penulis_laporan(row, user):
        raise PenilaianError(_l("Only the assessor who writes this report can change it."), 403)
    if row.kegiatan.status == StatusKegiatan.SELESAI:
        raise PenilaianError(_l("The event is finished; nothing can change any more."), 409)
    if not row.bisa_diubah:
        raise PenilaianError(_l("The report was submitted; it changes only if QC returns it."), 409)


def simpan(laporan_id, user, data: Mapping[str, object], kirim: bool = False,
           seen_versi: int | None = None) -> LaporanIndividu:  # fmt: skip
    """Save the writer's narrative (fields not given stay); with `kirim`, submit it for QC (all filled)."""
    row = laporan(laporan_id, user)
    _boleh_tulis(row, user)
    values = {f: _narasi(data[f], f) for f in NARASI if f in data}
    claim(row, PenilaianError, seen_versi)
    for field, value in values.items():
        setattr(row, field, value)
    if kirim:
        empty = [str(NARASI_LABELS[f]) for f in NARASI if not (getattr(row, f) or "").strip()]
        if empty:
            db.session.rollback()
            raise PenilaianError(_l("Fill in before submitting: %(fields)s.", fields=", ".join(empty)), 422)
        row.status = StatusLaporan.DIKIRIM.value
        row.dikirim_at = utcnow()
    row.diubah_at = utcnow()
    db.session.commit()
    return row


def saran(row: LaporanIndividu) -> dict[str, str]:
    """Sentence suggestions for each narrative field, generated from the participant's gaps with the
    patterns of the agency's report template. Report wording is Indonesian by regulation, like the letters."""
    hasil = hasil_terkunci(row.peserta)
    tpl = templat.untuk(_instansi_id(row))
    base = konteks(row, hasil)
    rincian = [r for r in hasil.rincian or [] if r.get("standar") is not None and r.get("konsensus") is not None]
    atas = [r for r in rincian if r["konsensus"] > r["standar"]]
    pas = [r for r in rincian if r["konsensus"] == r["standar"]]
    kurang = sorted((r for r in rincian if r["konsensus"] < r["standar"]), key=lambda r: r["konsensus"] - r["standar"])

    def pola(field: str, r: dict | None = None, **extra) -> str:
        one = {"kompetensi": r["nama"], "kode": r.get("kode") or "", "level": templat.angka(r["konsensus"]),
               "standar": templat.angka(r["standar"]), "selisih": templat.angka(r["standar"] - r["konsensus"])} \
            if r else {}  # fmt: skip
        return templat.render(tpl, field, base | one | extra)

    kuat = [pola("pola_kekuatan", r) for r in atas] or [pola("pola_kekuatan_memenuhi", r) for r in pas]
    if not kuat and kurang:  # nothing reaches the standard: name the nearest one as the relative strength
        kuat = [pola("pola_kekuatan_relatif", kurang[-1])]
    kembang = [pola("pola_kembang", r) for r in kurang] or [pola("pola_kembang_nihil")]
    prioritas = ", ".join(r["nama"] for r in kurang[:3])
    pengembangan = [pola("pola_pengembangan", r) for r in kurang[:3]] or [pola("pola_pengembangan_nihil")]
    return {
        "kekuatan": "\n".join(kuat),
        "area_pengembangan": "\n".join(kembang),
        "rekomendasi": pola("pola_rekomendasi", prioritas=prioritas),
        "saran_penempatan": pola("pola_penempatan_kesenjangan" if kurang else "pola_penempatan"),
        "saran_pengembangan": "\n".join(pengembangan),
    }


# -- quality control ------------------------------------------------------------------------------------


def butir_qc(item: KegiatanPenilaian) -> list[str]:
    """The QC checklist of the event's agency (its assessment rules, one item per line)."""
    text = ops.aturan_kegiatan(item).butir_qc or ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def boleh_qc(row: LaporanIndividu, user) -> bool:
    """QC is done by the staff of the unit that runs the event (seed 4 step 8: JF Madya and JF Muda)."""
    return ops.staf_kegiatan(row.kegiatan, user)


def qc(laporan_id, user, centang: list[int], lulus: bool, catatan: str = "",
       seen_versi: int | None = None) -> LaporanIndividu:  # fmt: skip
    """Pass a submitted report (every checklist item ticked) or return it to its writer with notes."""
    row = laporan(laporan_id, user)
    if not boleh_qc(row, user):
        raise PenilaianError(_l("Only the staff of the unit that runs this event can check reports."), 403)
    if row.status != StatusLaporan.DIKIRIM:
        raise PenilaianError(_l("Only a submitted report can be checked."), 409)
    items = butir_qc(row.kegiatan)
    ticked = {i for i in centang if isinstance(i, int) and 0 <= i < len(items)}
    if row.kegiatan.status == StatusKegiatan.SELESAI:
        raise PenilaianError(_l("The event is finished; nothing can change any more."), 409)
    catatan = _narasi(catatan, "catatan") if catatan else ""
    if lulus and len(ticked) < len(items):
        missing = [items[i] for i in range(len(items)) if i not in ticked]
        raise PenilaianError(_l("A report passes QC only with every item ticked; not yet: %(items)s.",
                                items="; ".join(missing)), 422)  # fmt: skip
    if not lulus and not catatan:
        raise PenilaianError(_l("Write the notes that tell the assessor what to correct."), 422)
    claim(row, PenilaianError, seen_versi)  # one pass or one return (and one notification) per click
    row.qc_daftar = [{"butir": text, "ok": i in ticked} for i, text in enumerate(items)]
    row.qc_catatan = catatan
    row.qc_oleh_id = user.id
    row.qc_at = utcnow()
    row.status = (StatusLaporan.LULUS if lulus else StatusLaporan.DIKEMBALIKAN).value
    if not lulus:
        row.jumlah_kembali = (row.jumlah_kembali or 0) + 1
    db.session.commit()
    if not lulus:  # the writer finds it among their tasks; the bell (and e-mail) says so now
        notifikasi.report_returned(row, user)
    return row


def kurang_qc(item: KegiatanPenilaian) -> list[str]:
    """Every participant of the event has a report that passed QC (the step 8 guard)."""
    total = db.session.execute(select(func.count(Peserta.id)).where(Peserta.kegiatan_id == item.id)).scalar_one()
    if not total:
        return [str(_l("no participants yet"))]
    passed = db.session.execute(
        select(func.count(LaporanIndividu.id)).where(
            LaporanIndividu.kegiatan_id == item.id, LaporanIndividu.status == StatusLaporan.LULUS.value
        )
    ).scalar_one()
    if passed < total:
        return [str(_l("%(n)d of %(total)d individual reports have not passed QC", n=total - passed, total=total))]
    return []


def tugas_asesor(user, limit: int = 8) -> tuple[list[LaporanIndividu], int]:
    """The writer's open reports (drafts and those QC returned, returned first) and how many there are."""
    pegawai_id = getattr(user, "pegawai_id", None) or -1
    query = scope.scoped(LaporanIndividu, user).where(
        LaporanIndividu.asesor_id == pegawai_id,
        LaporanIndividu.status.in_([StatusLaporan.DRAF.value, StatusLaporan.DIKEMBALIKAN.value]),
        LaporanIndividu.kegiatan_id.in_(
            select(KegiatanPenilaian.id).where(KegiatanPenilaian.status != StatusKegiatan.SELESAI.value)
        ),
    )
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.order_by((LaporanIndividu.status == StatusLaporan.DIKEMBALIKAN.value).desc(), LaporanIndividu.id)
        .limit(limit)
    ).scalars().all()  # fmt: skip
    return list(rows), total


def menunggu_qc(user, limit: int = 8) -> tuple[list[LaporanIndividu], int]:
    """Submitted reports of events run by the caller's unit, waiting for QC."""
    reach = scope.reach(user)
    if reach.assigned_only or not (reach.admin or reach.units):
        return [], 0
    query = scope.scoped(LaporanIndividu, user).where(LaporanIndividu.status == StatusLaporan.DIKIRIM.value)
    if not reach.admin:
        query = query.where(LaporanIndividu.kegiatan_id.in_(scope._unit_events(reach)))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(query.order_by(LaporanIndividu.dikirim_at).limit(limit)).scalars().all()
    return list(rows), total


# -- what the report shows (the page and the PDF share it) ---------------------------------------------


def psikogram(hasil: Hasil) -> charts.Chart:
    """Consensus levels against the standard per competency: one chart for the page and the PDF."""
    rows = [r for r in hasil.rincian or [] if r.get("standar") is not None]
    names = [r["kode"] or r["nama"] for r in rows]
    return charts.bar_chart(
        names,
        [
            charts.Series(str(_l("Standard")), [r["standar"] for r in rows], "#999999"),
            charts.Series(str(_l("Consensus level")), [r["konsensus"] or 0 for r in rows], "#0072B2"),
        ],
        title=str(_l("Psychogram")),
        width=460,
        height=230,
        description=str(_l("Consensus level against the standard for each competency")),
    )


def _ketua(item: KegiatanPenilaian) -> Pegawai | None:
    return db.session.execute(
        select(Pegawai).join(AnggotaTim, AnggotaTim.pegawai_id == Pegawai.id)
        .where(AnggotaTim.kegiatan_id == item.id, AnggotaTim.peran == PeranTim.KETUA.value)
    ).scalar()  # fmt: skip


def _instansi_id(row: LaporanIndividu) -> int | None:
    """The agency whose report template applies: that of the unit running the event."""
    unit = row.kegiatan.unit_kerja if row.kegiatan else None
    return unit.instansi_id if unit else None


def konteks(row: LaporanIndividu, hasil: Hasil) -> dict:
    """The plain values the report template's texts may use (documented in its form)."""
    from app.formatting import tanggal_id

    p, item = row.peserta, row.kegiatan
    sasaran = hasil.jabatan or item.jabatan_target
    instansi = item.unit_kerja.instansi if item.unit_kerja else None
    return {
        "peserta": {
            "nama": p.nama_lengkap,
            "nip": p.nip_tampil,
            "pangkat": str(p.pangkat or ""),
            "jabatan": p.jabatan.nama if p.jabatan else "",
            "unit": p.unit_nama or (p.unit_kerja.nama if p.unit_kerja else ""),
        },
        "kegiatan": {"nama": item.nama},
        "tujuan": str(item.tujuan_label or ""),
        "jabatan_sasaran": sasaran.nama if sasaran else "",
        "tanggal": tanggal_id(hasil.tanggal),
        "instansi": {"nama": instansi.nama if instansi else "", "kota": (instansi.kota or "") if instansi else ""},
        "jpm": templat.angka(hasil.jpm),
        "kategori": str(calc.KATEGORI_LABELS.get(hasil.kategori, hasil.kategori or "")),
    }


def teks_laporan(row: LaporanIndividu, hasil: Hasil) -> dict[str, str]:
    """The wording of the agency's report template (else the national default) rendered for this report."""
    return templat.teks(templat.untuk(_instansi_id(row)), konteks(row, hasil))


def isi(row: LaporanIndividu) -> dict:
    """Everything the report shows, loaded without a user (the worker prints what a user started)."""
    p, item = row.peserta, row.kegiatan
    hasil = hasil_terkunci(p)
    teks = teks_laporan(row, hasil)
    potensi = db.session.execute(
        select(NilaiPotensi).where(NilaiPotensi.peserta_id == p.id).order_by(NilaiPotensi.aspek_id)
    ).scalars().all()  # fmt: skip
    return {
        "laporan": row,
        "peserta": p,
        "kegiatan": item,
        "instansi": item.unit_kerja.instansi,
        "hasil": hasil,
        "kategori": str(calc.KATEGORI_LABELS.get(hasil.kategori, hasil.kategori)),
        "kelas_potensi": str(calc.KELAS_POTENSI_LABELS.get(hasil.kelas_potensi, hasil.kelas_potensi or "-")),
        "potensi": [(n.aspek.nama, n.nilai) for n in sorted(potensi, key=lambda n: n.aspek.urutan)],
        "metode": [m.metode.nama for m in item.metode],
        "tujuan": item.tujuan_label,
        "jabatan_sasaran": hasil.jabatan or item.jabatan_target,
        "grafik": charts.data_uri(psikogram(hasil)),
        "asesor": row.asesor,
        "ketua": _ketua(item),
        "final": row.status == StatusLaporan.LULUS,
        "tanggal": hasil.tanggal,
        "teks": teks,
        "narasi": [(teks[f"judul_{f}"], getattr(row, f) or "") for f in NARASI],
    }


def pdf(row: LaporanIndividu) -> bytes:
    """The report as a PDF on the agency's letterhead (Indonesian, whatever the reader's language)."""
    from flask import current_app
    from flask_babel import force_locale

    from app.documents.pdf import render_pdf

    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "id")):
        return render_pdf("laporan/pdf.html", **isi(row))


def pdf_peserta(peserta_id, user) -> tuple[bytes, str]:
    """The PDF of a participant's report the caller may see (refused without a locked result). Reading
    writes nothing: a report not yet begun prints as an empty draft."""
    p = ops.peserta(peserta_id, user)
    hasil_terkunci(p)
    row = db.session.execute(select(LaporanIndividu).where(LaporanIndividu.peserta_id == p.id)).scalar()
    if row is None:
        writer = penulis(p)
        row = LaporanIndividu(peserta_id=p.id, kegiatan_id=p.kegiatan_id, asesor_id=writer,
                              status=StatusLaporan.DRAF.value)  # fmt: skip
        row.peserta, row.kegiatan = p, p.kegiatan
        row.asesor = db.session.get(Pegawai, writer) if writer else None
    data = pdf(row)
    db.session.rollback()
    return data, f"laporan-{p.nip}.pdf"


def hari_ini() -> dt.date:
    return ops.hari_ini()
