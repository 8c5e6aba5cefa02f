"""Assessment events: create, change, start and finish them; their waves and sessions; the methods and
the competencies each measures (the matrix)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import scope
from app.extensions import db
from app.konkurensi import claim
from app.models import (
    Gelombang,
    Instansi,
    Jabatan,
    Kasus,
    KegiatanPenilaian,
    Kompetensi,
    KompetensiKegiatan,
    Metode,
    MetodeKegiatan,
    Penugasan,
    Peserta,
    Sesi,
    UnitKerja,
)
from app.models.penilaian import (
    JenisKompetensi,
    StatusKegiatan,
    TujuanPenilaian,
)
from app.models.security import utcnow
from app.penilaian.progres import kurang_hasil
from app.penilaian.umum import (
    PenilaianError,
    _bukan_selesai,
    _commit,
    _kelola,
    _log,
    _rancangan,
    _salin_standar,
    _teks,
    _tidak_ditemukan,
    jabatan_acuan,
    kalimat,
    kegiatan,
)


def _tujuan(value) -> str:
    try:
        return TujuanPenilaian(value).value
    except ValueError:
        raise PenilaianError(_l("Choose the purpose of the assessment."), 422) from None


def buat_kegiatan(
    user,
    nama: str,
    tujuan: str,
    unit_kerja_id: int | None = None,
    jabatan_target_id: int | None = None,
    kasus_id: int | None = None,
    instansi_peminta_id: int | None = None,
    tempat: str = "",
    tanggal_mulai: dt.date | None = None,
    tanggal_selesai: dt.date | None = None,
    commit: bool = True,
) -> KegiatanPenilaian:
    """Create an event (with its first wave and the national managerial and socio-cultural competencies),
    optionally for an SOP case that has none yet."""
    reach = scope.reach(user)
    kasus = None
    if kasus_id is not None:
        kasus = scope.get(Kasus, kasus_id, user)
        if kasus is None:
            raise _tidak_ditemukan(_l("Case not found."))
        if db.session.execute(select(KegiatanPenilaian.id).where(KegiatanPenilaian.kasus_id == kasus.id)).first():
            raise PenilaianError(_l("This case already runs an assessment event."), 409)
    unit_id = unit_kerja_id or (kasus.unit_kerja_id if kasus else None) or getattr(user, "unit_kerja_id", None)
    unit = db.session.get(UnitKerja, unit_id) if unit_id else None
    if unit is None or not (reach.admin or (not reach.assigned_only and unit.id in (reach.units or ()))):
        raise PenilaianError(_l("Choose a work unit within your scope to run the event."), 403)
    nama = _teks(nama, _l("Name"), 250)
    if not nama:
        raise PenilaianError(_l("The name of the event is required."), 422)
    target = None
    if jabatan_target_id:
        target = scope.get(Jabatan, jabatan_target_id, user)
        if target is None:
            raise PenilaianError(_l("The target position does not exist."), 422)
    peminta = None
    if instansi_peminta_id:
        peminta = scope.get(Instansi, instansi_peminta_id, user)
        if peminta is None:
            raise PenilaianError(_l("The requesting agency does not exist."), 422)
    if tanggal_mulai and tanggal_selesai and tanggal_selesai < tanggal_mulai:
        raise PenilaianError(_l("The end date is before the start date."), 422)
    item = KegiatanPenilaian(
        nama=nama,
        tujuan=_tujuan(tujuan),
        unit_kerja=unit,
        jabatan_target=target,
        kasus=kasus,
        instansi_peminta=peminta,
        tempat=_teks(tempat, _l("Place"), 250),
        tanggal_mulai=tanggal_mulai,
        tanggal_selesai=tanggal_selesai,
        dibuat_oleh_id=getattr(user, "id", None),
    )
    item.gelombang.append(
        Gelombang(nomor=1, tanggal_mulai=tanggal_mulai, tanggal_selesai=tanggal_selesai, tempat=item.tempat)
    )
    competencies = (
        db.session.execute(
            select(Kompetensi)
            .where(
                Kompetensi.aktif.isnot(False),
                Kompetensi.instansi_id.is_(None),
                Kompetensi.jenis != JenisKompetensi.TEKNIS.value,
            )
            .order_by(Kompetensi.urutan)
        )
        .scalars()
        .all()
    )
    if target is not None:
        competencies += (
            db.session.execute(
                select(Kompetensi)
                .where(Kompetensi.jabatan_id == target.id, Kompetensi.aktif.isnot(False))
                .order_by(Kompetensi.urutan)
            )
            .scalars()
            .all()
        )
    for order, k in enumerate(competencies, start=1):
        item.kompetensi.append(KompetensiKegiatan(kompetensi=k, urutan=order))
    db.session.add(item)
    db.session.flush()
    _log(item.id, user, "dibuat", item.nama)
    _commit(commit)
    return item


def ubah_kegiatan(kegiatan_id: int, user, **fields) -> KegiatanPenilaian:
    """Change the event's name, place, dates, requesting agency (`instansi_peminta_id`); its purpose and target
    position (`tujuan`, `jabatan_target_id`) only before it starts. All checked first: nothing half-changed."""
    item = kegiatan(kegiatan_id, user)
    _kelola(item, user)
    _bukan_selesai(item)
    values = {}
    if "nama" in fields:
        values["nama"] = _teks(fields["nama"], _l("Name"), 250)
        if not values["nama"]:
            raise PenilaianError(_l("The name of the event is required."), 422)
    if "tempat" in fields:
        values["tempat"] = _teks(fields["tempat"], _l("Place"), 250)
    for key in ("tanggal_mulai", "tanggal_selesai"):
        if key in fields:
            values[key] = fields[key]
    start = values.get("tanggal_mulai", item.tanggal_mulai)
    end = values.get("tanggal_selesai", item.tanggal_selesai)
    if start and end and end < start:
        raise PenilaianError(_l("The end date is before the start date."), 422)
    if "instansi_peminta_id" in fields:
        peminta = scope.get(Instansi, fields["instansi_peminta_id"], user) if fields["instansi_peminta_id"] else None
        if fields["instansi_peminta_id"] and peminta is None:
            raise PenilaianError(_l("The requesting agency does not exist."), 422)
        values["instansi_peminta"] = peminta
    started = _l("The event has started; its purpose and target position can no longer change.")
    if "tujuan" in fields and fields["tujuan"] != item.tujuan:
        _rancangan(item, started)
        values["tujuan"] = _tujuan(fields["tujuan"])
    if "jabatan_target_id" in fields and fields["jabatan_target_id"] != item.jabatan_target_id:
        _rancangan(item, started)
        target = scope.get(Jabatan, fields["jabatan_target_id"], user) if fields["jabatan_target_id"] else None
        if fields["jabatan_target_id"] and target is None:
            raise PenilaianError(_l("The target position does not exist."), 422)
        values["jabatan_target"] = target
    for key, value in values.items():
        setattr(item, key, value)
    db.session.commit()
    return item


def mulai_kegiatan(kegiatan_id: int, user, commit: bool = True) -> KegiatanPenilaian:
    """Start the event: copy the standards of the participants' positions into it (later edits of the
    standards no longer change its results) and open the score sheets. Starting twice changes nothing."""
    item = kegiatan(kegiatan_id, user)
    _kelola(item, user, ketua_boleh=True)
    if item.status != StatusKegiatan.RANCANGAN:
        return item
    if not item.kompetensi:
        raise PenilaianError(_l("The event assesses no competency yet."), 422)
    claim(item, PenilaianError)
    members = db.session.execute(select(Peserta).where(Peserta.kegiatan_id == item.id)).scalars().all()
    _salin_standar(item, {jabatan_acuan(p, item) for p in members} | {item.jabatan_target_id})
    item.status = StatusKegiatan.BERLANGSUNG.value
    item.dimulai_at = utcnow()
    _log(item.id, user, "dimulai")
    _commit(commit)
    return item


def selesaikan_kegiatan(kegiatan_id: int, user, commit: bool = True) -> KegiatanPenilaian:
    """Finish the event once every participant's result is locked; nothing changes afterwards."""
    item = kegiatan(kegiatan_id, user)
    _kelola(item, user)
    return tutup_kegiatan(item, user, commit)


def tutup_kegiatan(item: KegiatanPenilaian, user, commit: bool = True) -> KegiatanPenilaian:
    """Finish the event for the SOP step that closes it: the engine already checked that `user` performs
    that step of the event's case (Tangerang step 10 is the assessor's, not the organising staff's)."""
    if item.status == StatusKegiatan.SELESAI:
        return item
    problems = kurang_hasil(item)
    if problems:
        raise PenilaianError(kalimat(problems), 409)
    claim(item, PenilaianError)
    item.status = StatusKegiatan.SELESAI.value
    _log(item.id, user, "selesai")
    _commit(commit)
    return item


def tambah_gelombang(
    kegiatan_id: int,
    user,
    tanggal_mulai: dt.date | None = None,
    tanggal_selesai: dt.date | None = None,
    tempat: str = "",
) -> Gelombang:
    """Add the next wave."""
    item = kegiatan(kegiatan_id, user)
    _kelola(item, user, ketua_boleh=True)
    _bukan_selesai(item)
    if tanggal_mulai and tanggal_selesai and tanggal_selesai < tanggal_mulai:
        raise PenilaianError(_l("The end date is before the start date."), 422)
    nomor = max((g.nomor for g in item.gelombang), default=0) + 1
    wave = Gelombang(
        kegiatan=item,
        nomor=nomor,
        tanggal_mulai=tanggal_mulai,
        tanggal_selesai=tanggal_selesai,
        tempat=_teks(tempat, _l("Place"), 250),
    )
    db.session.add(wave)
    db.session.commit()
    return wave


def ubah_gelombang(
    gelombang_id: int, user, tanggal_mulai: dt.date | None, tanggal_selesai: dt.date | None, tempat: str = ""
) -> Gelombang:
    """Set a wave's dates and place."""
    wave = scope.get(Gelombang, gelombang_id, user)
    if wave is None:
        raise _tidak_ditemukan()
    _kelola(wave.kegiatan, user, ketua_boleh=True)
    _bukan_selesai(wave.kegiatan)
    if tanggal_mulai and tanggal_selesai and tanggal_selesai < tanggal_mulai:
        raise PenilaianError(_l("The end date is before the start date."), 422)
    wave.tanggal_mulai, wave.tanggal_selesai, wave.tempat = tanggal_mulai, tanggal_selesai, _teks(tempat, "", 250)
    db.session.commit()
    return wave


def tambah_sesi(
    gelombang_id: int, user, metode_id: int, mulai: dt.datetime, selesai: dt.datetime, ruang: str = ""
) -> Sesi:
    """Schedule a method for a wave (times in UTC, as stored)."""
    wave = scope.get(Gelombang, gelombang_id, user)
    if wave is None:
        raise _tidak_ditemukan()
    _kelola(wave.kegiatan, user, ketua_boleh=True)
    _bukan_selesai(wave.kegiatan)
    if metode_id not in {m.metode_id for m in wave.kegiatan.metode}:
        raise PenilaianError(_l("Choose one of the event's methods."), 422)
    if not mulai or not selesai or selesai <= mulai:
        raise PenilaianError(_l("A session ends after it starts."), 422)
    session = Sesi(gelombang=wave, metode_id=metode_id, mulai=mulai, selesai=selesai, ruang=_teks(ruang, "", 100))
    db.session.add(session)
    db.session.commit()
    return session


def hapus_sesi(sesi_id: int, user) -> None:
    session = scope.get(Sesi, sesi_id, user)
    if session is None:
        raise _tidak_ditemukan()
    _kelola(session.gelombang.kegiatan, user, ketua_boleh=True)
    _bukan_selesai(session.gelombang.kegiatan)
    db.session.delete(session)
    db.session.commit()


def atur_matriks(kegiatan_id: int, user, kompetensi_ids: Iterable[int], matriks: Mapping[int, Iterable[int]]) -> None:
    """Set the event's competencies and methods with the competencies each measures (keys of `matriks`,
    in order). Only before the event starts; the staff or the ketua."""
    item = kegiatan(kegiatan_id, user)
    _kelola(item, user, ketua_boleh=True)
    _rancangan(item)
    kompetensi_ids = list(dict.fromkeys(int(k) for k in kompetensi_ids))
    known = {k.id: k for k in scope.visible(Kompetensi, user, ids=kompetensi_ids) if k.aktif is not False}
    if len(known) != len(kompetensi_ids):
        raise PenilaianError(_l("Choose competencies of the dictionary."), 422)
    methods = {m.id: m for m in db.session.execute(select(Metode).where(Metode.id.in_(list(matriks)))).scalars()}
    if len(methods) != len(matriks):
        raise PenilaianError(_l("Choose methods of the catalogue."), 422)
    for metode_id, cells in matriks.items():
        outside = {int(k) for k in cells} - set(known)
        if outside:
            raise PenilaianError(
                _l("%(m)s measures a competency the event does not assess.", m=methods[metode_id].nama), 422
            )
    used = {m.metode_id for m in item.metode}
    sessions = {s.metode_id for g in item.gelombang for s in g.sesi}
    dropped = (used - set(matriks)) & sessions
    if dropped:
        names = ", ".join(methods.get(i).nama if i in methods else str(i) for i in dropped)
        raise PenilaianError(_l("Remove the sessions of %(m)s first.", m=names), 409)
    assigned = set(db.session.execute(select(Penugasan.metode_id).where(Penugasan.kegiatan_id == item.id)).scalars())
    if (used - set(matriks)) & assigned:
        raise PenilaianError(_l("A method that has assignments cannot be removed; change the assignment first."), 409)
    have = {k.kompetensi_id: k for k in item.kompetensi}  # keep existing rows: (event, competency) is unique
    rows_k = []
    for order, k in enumerate(kompetensi_ids, start=1):
        row = have.get(k) or KompetensiKegiatan(kompetensi=known[k])
        row.urutan = order
        rows_k.append(row)
    item.kompetensi = rows_k
    current = {m.metode_id: m for m in item.metode}
    rows = []
    for order, (metode_id, cells) in enumerate(matriks.items(), start=1):
        row = current.get(metode_id) or MetodeKegiatan(metode=methods[metode_id])
        row.urutan = order
        row.kompetensi = [known[int(k)] for k in sorted({int(k) for k in cells}, key=lambda i: known[i].urutan)]
        rows.append(row)
    item.metode = rows
    db.session.commit()
