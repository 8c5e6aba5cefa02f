"""The assessor meeting (integrasi) and the results: one participant's meeting (every assessor's level,
the spread), the consensus and potential ratings, locking the result (stored with the rules in force
then) and reopening it; the results of an event, stored ones as stored and the others computed now
(the arithmetic is app/penilaian/hasil.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import scope
from app.extensions import db
from app.konkurensi import claim
from app.models import (
    AspekPotensi,
    Hasil,
    KegiatanPenilaian,
    Kompetensi,
    Konsensus,
    MetodeKegiatan,
    Nilai,
    NilaiPotensi,
    Penugasan,
    Peserta,
)
from app.models.penilaian import (
    StatusKegiatan,
)
from app.models.security import utcnow
from app.penilaian import hasil as calc
from app.penilaian.nilai import _cek_level, _parse_level
from app.penilaian.umum import (
    PenilaianError,
    _bukan_selesai,
    _ketua,
    _log,
    _teks,
    _terkunci,
    aturan_kegiatan,
    hari_ini,
    jabatan_acuan,
    kegiatan,
    ketentuan_kegiatan,
    ketua,
    peserta,
    standar_kegiatan,
)


@dataclass
class BarisIntegrasi:
    kompetensi: Kompetensi
    standar: float | None
    nilai: dict[int, list[Nilai]]  # method id → the assessors' scores
    sebaran: Decimal
    mencolok: bool
    saran: Decimal | None
    konsensus: Konsensus | None

    @property
    def levels(self) -> list[float]:
        return [n.level for rows in self.nilai.values() for n in rows]


@dataclass
class Integrasi:
    peserta: Peserta
    metode: list[MetodeKegiatan]
    baris: list[BarisIntegrasi]
    lembar: list[Penugasan]
    potensi: list[tuple[AspekPotensi, NilaiPotensi | None]]
    hasil: HasilPeserta
    terkunci: Hasil | None
    ketua: bool
    ambang: float


def integrasi(peserta_id: int, user) -> Integrasi:
    """The meeting screen of one participant: every assessor's level per competency and method (as far as
    the caller may see them), the spread, the consensus and potential ratings, the live result."""
    p = peserta(peserta_id, user)
    item = p.kegiatan
    aturan = aturan_kegiatan(item)
    sheets = (
        db.session.execute(
            scope.scoped(Penugasan, user)
            .where(Penugasan.peserta_id == p.id)
            .order_by(Penugasan.metode_id, Penugasan.asesor_id)
        )
        .scalars()
        .all()
    )
    scores = (
        db.session.execute(
            scope.scoped(Nilai, user)
            .join(Penugasan, Nilai.penugasan_id == Penugasan.id)
            .where(Penugasan.peserta_id == p.id)
        )
        .scalars()
        .all()
    )
    by_cell: dict[tuple[int, int], list[Nilai]] = defaultdict(list)
    for n in scores:
        by_cell[(n.kompetensi_id, n.penugasan.metode_id)].append(n)
    konsensus = {
        k.kompetensi_id: k for k in db.session.execute(select(Konsensus).where(Konsensus.peserta_id == p.id)).scalars()
    }
    jid = jabatan_acuan(p, item)
    standar = standar_kegiatan(item, [jid] if jid else [])
    rows = []
    for kk in item.kompetensi:
        cells = {m.metode_id: by_cell.get((kk.kompetensi_id, m.metode_id), []) for m in item.metode}
        levels = [n.level for c in cells.values() for n in c]
        rows.append(
            BarisIntegrasi(
                kk.kompetensi,
                standar.get((jid, kk.kompetensi_id)),
                cells,
                calc.sebaran(levels),
                calc.sebaran_mencolok(levels, aturan.ambang_sebaran),
                calc.rata_rata_level(levels, bool(aturan.setengah_level)),
                konsensus.get(kk.kompetensi_id),
            )
        )
    ratings = {
        n.aspek_id: n for n in db.session.execute(select(NilaiPotensi).where(NilaiPotensi.peserta_id == p.id)).scalars()
    }
    aspects = (
        db.session.execute(select(AspekPotensi).where(AspekPotensi.aktif.isnot(False)).order_by(AspekPotensi.urutan))
        .scalars()
        .all()
    )
    return Integrasi(
        p,
        list(item.metode),
        rows,
        sheets,
        [(a, ratings.get(a.id)) for a in aspects],
        hasil_peserta(p),
        _terkunci(p),
        ketua(item, user),
        aturan.ambang_sebaran,
    )


def _meeting(peserta_id: int, user) -> Peserta:
    p = peserta(peserta_id, user)
    _ketua(p.kegiatan, user)
    _bukan_selesai(p.kegiatan)
    if p.kegiatan.status == StatusKegiatan.RANCANGAN:
        raise PenilaianError(_l("The event has not started yet."), 409)
    if _terkunci(p):
        raise PenilaianError(_l("The participant's result is locked; reopen the assessor meeting first."), 409)
    return p


def simpan_konsensus(peserta_id: int, user, konsensus: Mapping[int, tuple], seen_versi: int | None = None) -> None:
    """The meeting's consensus: {competency id: (level or None, rationale)}. A rationale is required where
    the assessors' levels are far apart. Only the ketua; all or nothing."""
    p = _meeting(peserta_id, user)
    item = p.kegiatan
    aturan = aturan_kegiatan(item)
    assessed = {k.kompetensi_id: k.kompetensi for k in item.kompetensi}
    view = {r.kompetensi.id: r for r in integrasi(p.id, user).baris}
    clean = {}
    for kompetensi_id, (level, alasan) in konsensus.items():
        if kompetensi_id not in assessed:
            raise PenilaianError(_l("The event does not assess this competency."), 422)
        level = _parse_level(level)
        alasan = _teks(alasan, _l("Rationale"))
        if level is not None:
            level = _cek_level(level, aturan)
            if view[kompetensi_id].mencolok and not alasan:
                raise PenilaianError(
                    _l(
                        "The assessors' levels of %(k)s are far apart: write the meeting's rationale.",
                        k=assessed[kompetensi_id].kode,
                    ),
                    422,
                )
        clean[kompetensi_id] = (level, alasan)
    claim(p, PenilaianError, seen_versi)
    current = {
        k.kompetensi_id: k for k in db.session.execute(select(Konsensus).where(Konsensus.peserta_id == p.id)).scalars()
    }
    for kompetensi_id, (level, alasan) in clean.items():
        row = current.get(kompetensi_id)
        if level is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = Konsensus(peserta_id=p.id, kompetensi_id=kompetensi_id, level=float(level))
            db.session.add(row)
        row.level, row.alasan, row.diubah_at = float(level), alasan, utcnow()
    db.session.commit()


def simpan_potensi(peserta_id: int, user, nilai: Mapping[int, object], seen_versi: int | None = None) -> None:
    """The potential ratings {aspect id: 1–5 or None}. Only the ketua; all or nothing."""
    p = _meeting(peserta_id, user)
    aspects = {a.id for a in db.session.execute(select(AspekPotensi).where(AspekPotensi.aktif.isnot(False))).scalars()}
    clean = {}
    for aspek_id, value in nilai.items():
        if aspek_id not in aspects:
            raise PenilaianError(_l("Unknown potential aspect."), 422)
        value = _parse_level(value)
        if value is not None and not calc.level_sah(value, setengah=False):
            raise PenilaianError(_l("A potential rating is a whole number from 1 to 5."), 422)
        clean[aspek_id] = None if value is None else int(calc.d(value))
    claim(p, PenilaianError, seen_versi)
    current = {
        n.aspek_id: n for n in db.session.execute(select(NilaiPotensi).where(NilaiPotensi.peserta_id == p.id)).scalars()
    }
    for aspek_id, value in clean.items():
        row = current.get(aspek_id)
        if value is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(NilaiPotensi(peserta_id=p.id, aspek_id=aspek_id, nilai=value))
        else:
            row.nilai = value
    db.session.commit()


def _tambah_tahun(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def kunci_integrasi(peserta_id: int, user, seen_versi: int | None = None) -> Hasil:
    """Close the meeting for a participant: every score sheet submitted, a consensus for every competency,
    every potential aspect rated, a standard for every competency. Stores the result with the rules in
    force now; later changes of thresholds or standards do not rewrite it."""
    p = _meeting(peserta_id, user)
    item = p.kegiatan
    sheets = db.session.execute(select(Penugasan).where(Penugasan.peserta_id == p.id)).scalars().all()
    if not sheets:
        raise PenilaianError(_l("The participant has no score sheets yet."), 409)
    open_sheets = [f"{s.metode.nama} ({s.asesor.nama_lengkap})" for s in sheets if not s.terkunci]
    if open_sheets:
        raise PenilaianError(_l("Score sheets not yet submitted: %(s)s.", s="; ".join(open_sheets)), 409)
    result = hasil_peserta(p)
    if not result.hitung.lengkap:
        raise PenilaianError(_l("The result is not complete: %(what)s.", what=result.kurang_teks), 409)
    aturan = aturan_kegiatan(item)
    tanggal = item.tanggal_selesai or p.gelombang.tanggal_selesai or hari_ini()
    h = result.hitung
    claim(p, PenilaianError, seen_versi)  # one stored result, however often the button is pressed
    row = Hasil(
        peserta_id=p.id,
        kegiatan_id=item.id,
        pegawai_id=p.pegawai_id,
        tujuan=item.tujuan,
        jabatan_id=jabatan_acuan(p, item),
        rumus=aturan.rumus_jpm,
        jpm=float(h.jpm),
        kategori=h.kategori,
        skor_potensi=float(h.skor_potensi) if h.skor_potensi is not None else None,
        kelas_potensi=h.kelas_potensi,
        tingkat_kinerja=h.tingkat_kinerja,
        kotak=h.kotak,
        rincian=[_rincian(b) for b in h.baris],
        tanggal=tanggal,
        berlaku_sampai=_tambah_tahun(tanggal, aturan.masa_berlaku_tahun),
        dikunci_oleh_id=user.id,
    )
    db.session.add(row)
    _log(item.id, user, "integrasi_dikunci", f"JPM {h.jpm} {h.kategori}", p.id)
    db.session.commit()
    return row


def buka_integrasi(peserta_id: int, user, alasan: str) -> None:
    """Reopen a participant's locked meeting (its stored result is withdrawn): only the ketua, with a reason."""
    p = peserta(peserta_id, user)
    _ketua(p.kegiatan, user)
    _bukan_selesai(p.kegiatan)
    alasan = _teks(alasan, _l("Reason"))
    if not alasan:
        raise PenilaianError(_l("Give the reason for reopening."), 422)
    row = _terkunci(p)
    if row is None:
        raise PenilaianError(_l("The assessor meeting of this participant is not locked."), 409)
    claim(p, PenilaianError)
    _log(p.kegiatan_id, user, "integrasi_dibuka", f"{alasan} (JPM {row.jpm:.2f} {row.kategori})", p.id)
    db.session.delete(row)
    db.session.commit()


def _rincian(b: calc.BarisKompetensi) -> dict:
    return {
        "kompetensi_id": b.kompetensi_id,
        "kode": b.kode,
        "nama": b.nama,
        "standar": float(b.standar) if b.standar is not None else None,
        "konsensus": float(b.konsensus) if b.konsensus is not None else None,
        "selisih": float(b.selisih) if b.selisih is not None else None,
    }


KURANG_LABELS = {
    "kompetensi": _l("no competency assessed"),
    "standar": _l("a standard is missing"),
    "konsensus": _l("consensus not yet set for every competency"),
    "potensi": _l("potential not yet rated on every aspect"),
}


@dataclass
class HasilPeserta:
    """A participant's result: stored when the meeting locked it, otherwise computed now."""

    peserta: Peserta
    hitung: calc.HasilHitung
    tersimpan: Hasil | None = None
    berlaku_sampai: dt.date | None = None

    @property
    def kurang_teks(self) -> str:
        return ", ".join(str(KURANG_LABELS.get(k, k)) for k in self.hitung.kurang)

    @property
    def kategori_label(self) -> str:
        return str(calc.KATEGORI_LABELS.get(self.hitung.kategori, "")) if self.hitung.kategori else ""

    def as_dict(self) -> dict:
        h = self.hitung
        return {
            "peserta_id": self.peserta.id,
            "nomor": self.peserta.nomor,
            "nip": self.peserta.nip,
            "nama": self.peserta.nama_lengkap,
            "terkunci": self.tersimpan is not None,
            "kompetensi": [_rincian(b) for b in h.baris],
            "jpm": float(h.jpm) if h.jpm is not None else None,
            "kategori": h.kategori,
            "kategori_label": self.kategori_label,
            "skor_potensi": float(h.skor_potensi) if h.skor_potensi is not None else None,
            "kelas_potensi": h.kelas_potensi,
            "tingkat_kinerja": h.tingkat_kinerja,
            "kotak": h.kotak,
            "berlaku_sampai": self.berlaku_sampai.isoformat() if self.berlaku_sampai else None,
            "kurang": list(h.kurang),
        }


def _dari_tersimpan(p: Peserta, row: Hasil) -> HasilPeserta:
    d = calc.d
    baris = tuple(
        calc.BarisKompetensi(
            r["kompetensi_id"],
            r["kode"],
            r["nama"],
            d(r["standar"]) if r["standar"] is not None else None,
            d(r["konsensus"]) if r["konsensus"] is not None else None,
        )
        for r in row.rincian or []
    )
    h = calc.HasilHitung(
        baris,
        calc.bulat(row.jpm),
        row.kategori,
        calc.bulat(row.skor_potensi) if row.skor_potensi is not None else None,
        row.kelas_potensi,
        row.tingkat_kinerja,
        row.kotak,
    )
    return HasilPeserta(p, h, row, row.berlaku_sampai)


def hasil_semua(item: KegiatanPenilaian, members: list[Peserta]) -> list[HasilPeserta]:
    """Results of these participants of one event: stored ones as stored, the others computed now with
    the current rules (a few queries for the whole list)."""
    ids = [p.id for p in members]
    if not ids:
        return []
    stored = {h.peserta_id: h for h in db.session.execute(select(Hasil).where(Hasil.peserta_id.in_(ids))).scalars()}
    live = [p for p in members if p.id not in stored]
    ketentuan = ketentuan_kegiatan(item)
    jabatan = {p.id: jabatan_acuan(p, item) for p in live}
    standar = standar_kegiatan(item, {j for j in jabatan.values() if j}) if live else {}
    konsensus: dict[int, dict[int, float]] = defaultdict(dict)
    potensi: dict[int, list[int]] = defaultdict(list)
    if live:
        live_ids = [p.id for p in live]
        for k in db.session.execute(select(Konsensus).where(Konsensus.peserta_id.in_(live_ids))).scalars():
            konsensus[k.peserta_id][k.kompetensi_id] = k.level
        aktif = select(AspekPotensi.id).where(AspekPotensi.aktif.isnot(False))
        for n in db.session.execute(
            select(NilaiPotensi).where(NilaiPotensi.peserta_id.in_(live_ids), NilaiPotensi.aspek_id.in_(aktif))
        ).scalars():
            potensi[n.peserta_id].append(n.nilai)
    n_aspek = db.session.execute(
        select(func.count(AspekPotensi.id)).where(AspekPotensi.aktif.isnot(False))
    ).scalar_one()
    result = []
    for p in members:
        if p.id in stored:
            result.append(_dari_tersimpan(p, stored[p.id]))
            continue
        jid = jabatan[p.id]
        baris = [
            calc.BarisKompetensi(
                kk.kompetensi_id,
                kk.kompetensi.kode,
                kk.kompetensi.nama,
                calc.d(standar[(jid, kk.kompetensi_id)]) if (jid, kk.kompetensi_id) in standar else None,
                calc.d(konsensus[p.id][kk.kompetensi_id]) if kk.kompetensi_id in konsensus[p.id] else None,
            )
            for kk in item.kompetensi
        ]
        h = calc.hitung(baris, item.tujuan, ketentuan, potensi[p.id], p.predikat_kinerja, n_aspek)
        result.append(HasilPeserta(p, h))
    return result


def hasil_peserta(p: Peserta) -> HasilPeserta:
    return hasil_semua(p.kegiatan, [p])[0]


def peserta_terlihat(item: KegiatanPenilaian, user) -> list[Peserta]:
    """The event's participants the caller may see, in number order."""
    query = scope.scoped(Peserta, user).where(Peserta.kegiatan_id == item.id).order_by(Peserta.nomor)
    return list(db.session.execute(query).scalars())


def hasil_kegiatan(kegiatan_id: int, user) -> list[HasilPeserta]:
    """The results table of an event: the participants the caller may see."""
    item = kegiatan(kegiatan_id, user)
    return hasil_semua(item, peserta_terlihat(item, user))


def riwayat_pegawai(pegawai_id: int, user) -> list[Hasil]:
    """A civil servant's assessment history (locked results the caller may see), newest first."""
    query = scope.scoped(Hasil, user).where(Hasil.pegawai_id == pegawai_id).order_by(Hasil.tanggal.desc())
    return list(db.session.execute(query).scalars())
