"""Feedback to participants (seed 4 step 9): one function per verb, shared by the screens, the SOP
output provider and the tests.

Who may have feedback when is the agency's rule (`AturanPenilaian.umpan_balik_segera`,
`umpan_balik_jeda_tahun`; DOMAIN.md): participants in the listed kinds of position (default
pelaksana) in the year of their assessment, the others on request from the following year. The
assessment year is the year of the locked result. A request that the rule does not allow yet is
refused with the first date it would be allowed, and nothing is stored.

The staff of the event's unit and the ketua record requests; they, and the assessors who assessed
the participant, record the session. The feedback report is printed from these records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import scope
from app.extensions import db
from app.formatting import tanggal as tanggal_teks
from app.models import AnggotaTim, Hasil, JenisJabatan, Pegawai, Penugasan, Peserta, UmpanBalik
from app.models.master import JENIS_JABATAN_LABELS
from app.models.security import utcnow
from app.penilaian import operations as ops
from app.workflow import providers

MAX_CATATAN = 5000


def _peserta_rule(r):
    clause = scope.where_rule(Peserta)(r)
    return None if clause is None else UmpanBalik.peserta_id.in_(select(Peserta.id).where(clause))


# Feedback records are the participant's: whoever sees the participant sees their feedback.
scope.register(UmpanBalik, _peserta_rule)


def _daftar(text: str | None) -> list[str]:
    return [part.strip().lower() for part in (text or "").split(",") if part.strip()]


def jenis_tidak_dikenal(text: str | None) -> list[str]:
    """The entries of a comma-separated list of position kinds that are not kinds of position."""
    known = {k.value for k in JenisJabatan}
    return [part for part in _daftar(text) if part not in known]


@dataclass(frozen=True)
class Kelayakan:
    """Whether a participant may have feedback on a date, and from when."""

    boleh: bool
    mulai: dt.date | None  # the first day feedback is allowed (None: no locked result yet)
    pesan: str = ""


def kelayakan(p: Peserta, tanggal: dt.date) -> Kelayakan:
    """The agency's feedback rule applied to a participant on a date."""
    hasil = db.session.execute(select(Hasil).where(Hasil.peserta_id == p.id)).scalar()
    if hasil is None:
        return Kelayakan(False, None, str(_l("%(name)s has no locked assessment result yet; feedback follows "
                                             "the assessor meeting.", name=p.nama_lengkap)))  # fmt: skip
    aturan = ops.aturan_kegiatan(p.kegiatan)
    jenis = p.jabatan.jenis if p.jabatan is not None else ""
    segera = jenis in _daftar(aturan.umpan_balik_segera)
    jeda = 0 if segera else max(int(aturan.umpan_balik_jeda_tahun or 0), 0)
    mulai = hasil.tanggal if jeda == 0 else dt.date(hasil.tanggal.year + jeda, 1, 1)
    if tanggal >= mulai:
        return Kelayakan(True, mulai)
    label = str(JENIS_JABATAN_LABELS.get(jenis, _l("other"))) if jenis else str(_l("unknown"))
    return Kelayakan(
        False,
        mulai,
        str(
            _l(
                "Feedback for participants in %(kind)s positions assessed in %(year)d can be requested from "
                "%(date)s; this request is dated %(asked)s.",
                kind=label,
                year=hasil.tanggal.year,
                date=tanggal_teks(mulai),
                asked=tanggal_teks(tanggal),
            )
        ),
    )


def _teks(value, label) -> str:
    return ops._teks(value, label, MAX_CATATAN)


def _boleh_catat(p: Peserta, user) -> None:
    if not ops.boleh_kelola(p.kegiatan, user, ketua_boleh=True):
        raise ops.PenilaianError(_l("Only the staff of the unit that runs this event or its ketua can do this."), 403)


def _asesor_peserta(p: Peserta) -> set[int]:
    """Civil servants who assessed this participant."""
    query = select(Penugasan.asesor_id).where(Penugasan.peserta_id == p.id)
    return set(db.session.execute(query).scalars())


def umpan_balik_peserta(peserta_id: int, user) -> UmpanBalik | None:
    """The feedback record of a participant the caller may see (None: none yet)."""
    p = ops.peserta(peserta_id, user)
    return db.session.execute(scope.scoped(UmpanBalik, user).where(UmpanBalik.peserta_id == p.id)).scalar()


def umpan_balik(umpan_balik_id, user) -> UmpanBalik:
    """A feedback record the caller may see, or PenilaianError 404."""
    item = scope.get(UmpanBalik, umpan_balik_id, user)
    if item is None or item.peserta is None:  # the participant was removed (no foreign keys on SQLite)
        raise ops.PenilaianError(_l("Feedback record not found."), 404)
    return item


def catat_permintaan(peserta_id: int, user, tanggal: dt.date | None, permintaan: str = "") -> UmpanBalik:
    """Record a participant's request for feedback, if the agency's rule allows it on that date."""
    p = ops.peserta(peserta_id, user)
    _boleh_catat(p, user)
    if tanggal is None:
        raise ops.PenilaianError(_l("The date of the request is required."))
    if tanggal > ops.hari_ini():
        raise ops.PenilaianError(_l("The date of the request cannot be in the future."))
    text = _teks(permintaan, _l("Request"))
    existing = db.session.execute(select(UmpanBalik).where(UmpanBalik.peserta_id == p.id)).scalar()
    if existing is not None:
        raise ops.PenilaianError(_l("%(name)s has already requested feedback.", name=p.nama_lengkap), 409)
    check = kelayakan(p, tanggal)
    if not check.boleh:
        raise ops.PenilaianError(check.pesan, 409)
    item = UmpanBalik(kegiatan_id=p.kegiatan_id, peserta_id=p.id, tanggal_permintaan=tanggal, permintaan=text,
                      dicatat_at=utcnow(), dicatat_oleh_id=getattr(user, "id", None))  # fmt: skip
    db.session.add(item)
    ops._log(p.kegiatan_id, user, "umpan_balik_diminta", str(_l("Feedback requested")), peserta_id=p.id)
    db.session.commit()
    return item


def catat_sesi(umpan_balik_id: int, user, tanggal: dt.date | None, pemberi_id: int | None, catatan: str) -> UmpanBalik:
    """Record the feedback session: its date, the assessor who gave it, and the notes."""
    item = umpan_balik(umpan_balik_id, user)
    p = item.peserta
    asesor = _asesor_peserta(p)
    if not (ops.boleh_kelola(p.kegiatan, user, ketua_boleh=True) or getattr(user, "pegawai_id", None) in asesor):
        raise ops.PenilaianError(_l("Only the staff of the event, its ketua or the participant's assessors can do "
                                    "this."), 403)  # fmt: skip
    if tanggal is None:
        raise ops.PenilaianError(_l("The date of the session is required."))
    if tanggal < item.tanggal_permintaan or tanggal > ops.hari_ini():
        raise ops.PenilaianError(_l("The session date must lie between the request and today."))
    members = select(AnggotaTim.pegawai_id).where(AnggotaTim.kegiatan_id == p.kegiatan_id)
    team = set(db.session.execute(members).scalars())
    if pemberi_id is None or pemberi_id not in (team | asesor):
        raise ops.PenilaianError(_l("Choose who gave the feedback from the event's team."))
    text = _teks(catatan, _l("Notes"))
    if not text:
        raise ops.PenilaianError(_l("Write the notes of the session."))
    item.tanggal_sesi, item.pemberi_id, item.catatan_sesi = tanggal, pemberi_id, text
    item.sesi_dicatat_at = utcnow()
    ops._log(p.kegiatan_id, user, "umpan_balik_sesi", str(_l("Feedback session recorded")), peserta_id=p.id)
    db.session.commit()
    return item


def pemberi_pilihan(item: UmpanBalik) -> list[Pegawai]:
    """Who may be named as having given the feedback: the event's team."""
    query = (
        select(Pegawai)
        .join(AnggotaTim, AnggotaTim.pegawai_id == Pegawai.id)
        .where(AnggotaTim.kegiatan_id == item.kegiatan_id)
        .order_by(Pegawai.nama)
    )
    return list(db.session.execute(query).scalars())


def pdf(umpan_balik_id: int, user) -> bytes:
    """The feedback report on the agency's letterhead; only after the session took place."""
    from app.documents.pdf import render_pdf

    item = umpan_balik(umpan_balik_id, user)
    if not item.selesai:
        raise ops.PenilaianError(_l("The feedback session has not been recorded yet."), 409)
    hasil = ops.hasil_peserta(item.peserta)
    instansi = item.kegiatan.unit_kerja.instansi
    return render_pdf("pdf/umpan_balik.html", u=item, p=item.peserta, hasil=hasil, instansi=instansi,
                      kategori=hasil.kategori_label, tanggal=tanggal_teks)  # fmt: skip


# -- the SOP step's output ------------------------------------------------------------------------------


@providers.output_provider("umpan_balik", _l("Feedback reports of the assessment event"))
def _output(kasus, step, param) -> list[providers.Output]:
    from flask import url_for

    item = ops.kegiatan_dari(kasus)
    label = str(_l("Feedback report"))
    if item is None:
        return [providers.Output(label, exists=False)]
    rows = db.session.execute(
        select(UmpanBalik).where(UmpanBalik.kegiatan_id == item.id).order_by(UmpanBalik.id)
    ).scalars()
    found = [
        providers.Output(
            f"{label}: {u.peserta.nama_lengkap}",
            exists=u.selesai,
            url=url_for("UmpanBalikView.pdf", pk=u.id) if u.selesai else url_for("UmpanBalikView.show", pk=u.id),
            detail=str(_l("session held")) if u.selesai else str(_l("requested")),
        )
        for u in rows
    ]
    return found or [providers.Output(label, exists=False, detail=str(_l("no feedback requested yet")))]
