"""Score sheets: an assessor saves and submits the levels and the evidence of their own assignment; the ketua
reopens a submitted sheet, with the reason recorded."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app import scope
from app.extensions import db
from app.konkurensi import claim
from app.models import (
    AturanPenilaian,
    KegiatanPenilaian,
    Kompetensi,
    Nilai,
    Penugasan,
)
from app.models.penilaian import (
    StatusKegiatan,
    StatusLembar,
)
from app.models.security import utcnow
from app.penilaian import hasil as calc
from app.penilaian.umum import (
    MAX_TEKS,
    PenilaianError,
    _bukan_selesai,
    _ketua,
    _log,
    _teks,
    _terkunci,
    _tidak_ditemukan,
    aturan_kegiatan,
    penugasan,
)


def _cek_level(level, aturan: AturanPenilaian) -> Decimal:
    if not calc.level_sah(level, bool(aturan.setengah_level)):
        if aturan.setengah_level:
            raise PenilaianError(_l("A level is a number from 1 to 5 in steps of 0.5."), 422)
        raise PenilaianError(_l("A level is a whole number from 1 to 5."), 422)
    return calc.d(level)


def _parse_level(value):
    """A level as typed: "3", "3.5" or "3,5"; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return "x"
    if isinstance(value, int | float | Decimal):
        return value
    return str(value).strip().replace(",", ".")


def kompetensi_metode(item: KegiatanPenilaian, metode_id: int) -> list[Kompetensi]:
    """The competencies a method measures in this event (its matrix row)."""
    row = next((m for m in item.metode if m.metode_id == metode_id), None)
    assessed = {k.kompetensi_id for k in item.kompetensi}
    return [k for k in (row.kompetensi if row else []) if k.id in assessed]


def _lembar_saya(penugasan_id: int, user) -> Penugasan:
    sheet = penugasan(penugasan_id, user)
    if sheet.asesor_id != getattr(user, "pegawai_id", None):
        raise PenilaianError(_l("Only the assessor assigned to this score sheet can fill it in."), 403)
    if sheet.kegiatan.status == StatusKegiatan.RANCANGAN:
        raise PenilaianError(_l("The event has not started yet; scores are entered once it runs."), 409)
    _bukan_selesai(sheet.kegiatan)
    if sheet.terkunci:
        raise PenilaianError(_l("This score sheet has been submitted and is locked."), 409)
    return sheet


def simpan_lembar(
    penugasan_id: int, user, nilai: Mapping[int, tuple], catatan: str | None = None, kirim: bool = False,
    seen_versi: int | None = None,
) -> Penugasan:  # fmt: skip
    """Save the caller's own score sheet: {competency id: (level or None, evidence)}; with `kirim` also
    submit it in the same transaction. All or nothing."""
    sheet = _lembar_saya(penugasan_id, user)
    measured = {k.id: k for k in kompetensi_metode(sheet.kegiatan, sheet.metode_id)}
    aturan = aturan_kegiatan(sheet.kegiatan)
    clean = {}
    for kompetensi_id, (level, bukti) in nilai.items():
        if kompetensi_id not in measured:
            raise PenilaianError(
                _l("%(m)s does not measure this competency in the event's matrix.", m=sheet.metode.nama), 422
            )
        level = _parse_level(level)
        clean[kompetensi_id] = (
            None if level is None else _cek_level(level, aturan),
            _teks(bukti, _l("Evidence"), MAX_TEKS),
        )
    claim(sheet, PenilaianError, seen_versi)  # two saves at once: the second waits, then is refused
    current = {n.kompetensi_id: n for n in sheet.nilai}
    for kompetensi_id, (level, bukti) in clean.items():
        row = current.get(kompetensi_id)
        if level is None:
            if row is not None:
                sheet.nilai.remove(row)
            continue
        if row is None:
            row = Nilai(kompetensi_id=kompetensi_id, level=float(level))
            sheet.nilai.append(row)
        row.level, row.bukti, row.diubah_at = float(level), bukti, utcnow()
    if catatan is not None:
        sheet.catatan = _teks(catatan, _l("Notes"), MAX_TEKS)
    if kirim:
        _kirim(sheet, user)
    db.session.commit()
    return sheet


def simpan_nilai(user, peserta_id: int, metode_id: int, kompetensi_id: int, level, bukti: str = "",
                 seen_versi: int | None = None) -> Nilai:  # fmt: skip
    """One score of the caller's own assignment (participant × method), e.g. from the API."""
    pegawai_id = getattr(user, "pegawai_id", None)
    query = scope.scoped(Penugasan, user).where(
        Penugasan.peserta_id == peserta_id, Penugasan.metode_id == metode_id, Penugasan.asesor_id == (pegawai_id or -1)
    )
    sheet = db.session.execute(query).scalar()
    if sheet is None:
        raise _tidak_ditemukan(_l("You have no assignment for this participant in this method."))
    if _parse_level(level) is None:
        raise PenilaianError(_l("A level is a number from 1 to 5 in steps of 0.5."), 422)
    simpan_lembar(sheet.id, user, {kompetensi_id: (level, bukti)}, seen_versi=seen_versi)
    return next(n for n in sheet.nilai if n.kompetensi_id == kompetensi_id)


def kirim_lembar(penugasan_id: int, user, seen_versi: int | None = None) -> Penugasan:
    """Submit the caller's score sheet: every competency the method measures needs a level and evidence.
    A submitted sheet is locked."""
    sheet = _lembar_saya(penugasan_id, user)
    claim(sheet, PenilaianError, seen_versi)
    _kirim(sheet, user)
    db.session.commit()
    return sheet


def _kirim(sheet: Penugasan, user) -> None:
    db.session.flush()  # the scores just saved, with their competencies
    given = {n.kompetensi_id: n for n in sheet.nilai}
    missing = [k.kode for k in kompetensi_metode(sheet.kegiatan, sheet.metode_id) if k.id not in given]
    if missing:
        raise PenilaianError(_l("Give a level for: %(k)s.", k=", ".join(missing)), 422)
    no_evidence = [n.kompetensi.kode for n in sheet.nilai if not (n.bukti or "").strip()]
    if no_evidence:
        raise PenilaianError(_l("Write the evidence observed for: %(k)s.", k=", ".join(sorted(no_evidence))), 422)
    sheet.status, sheet.dikirim_at = StatusLembar.DIKIRIM.value, utcnow()
    _log(sheet.kegiatan_id, user, "lembar_dikirim", sheet.metode.nama, sheet.peserta_id, sheet.id)


def buka_lembar(penugasan_id: int, user, alasan: str) -> Penugasan:
    """Reopen a submitted score sheet: only the ketua, with a reason that is recorded."""
    sheet = penugasan(penugasan_id, user)
    _ketua(sheet.kegiatan, user)
    _bukan_selesai(sheet.kegiatan)
    alasan = _teks(alasan, _l("Reason"))
    if not alasan:
        raise PenilaianError(_l("Give the reason for reopening."), 422)
    if not sheet.terkunci:
        raise PenilaianError(_l("This score sheet is not submitted."), 409)
    if _terkunci(sheet.peserta):
        raise PenilaianError(_l("The participant's result is locked; reopen the assessor meeting first."), 409)
    claim(sheet, PenilaianError)
    sheet.status, sheet.dikirim_at = StatusLembar.DRAF.value, None
    _log(sheet.kegiatan_id, user, "lembar_dibuka", alasan, sheet.peserta_id, sheet.id)
    db.session.commit()
    return sheet
