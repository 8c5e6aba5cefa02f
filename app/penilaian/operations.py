"""Operations of competency assessment: one function per state change, shared by the screens, the REST
API, the SOP hooks, the CLI, the demo and the tests.

Every function loads its rows through the caller's scope (`app.scope`) and checks the caller's part in
the event: the staff of the event's unit (or an administrator) run it; its ketua also sets the matrix,
the assignment and chairs the assessor meeting; an assessor scores only their own assignments. Bad
input raises `PenilaianError` with a message for the user and changes nothing. A state change claims its
row first (app/konkurensi.py; `seen_versi`: the version the user's page showed), so a repeated click
changes nothing. Public functions commit their change, except where `commit=False` is offered for
callers that own the transaction (the SOP hooks run inside a case transition).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app import nip as nip_mod
from app import scope
from app.extensions import db
from app.formatting import tanggal_waktu
from app.konkurensi import claim
from app.models import (
    AnggotaTim,
    AspekPotensi,
    AturanPenilaian,
    BerkasPeserta,
    Gelombang,
    Hasil,
    Instansi,
    Jabatan,
    Kasus,
    KegiatanPenilaian,
    Kehadiran,
    Kompetensi,
    KompetensiKegiatan,
    Konsensus,
    Metode,
    MetodeKegiatan,
    Nilai,
    NilaiPotensi,
    Pangkat,
    Pegawai,
    Penugasan,
    Peserta,
    RegisterAsesor,
    RiwayatPenilaian,
    Sesi,
    StandarBawaan,
    StandarKegiatan,
    StandarKompetensi,
    UnitKerja,
)
from app.models.penilaian import (
    PERAN_PENILAI,
    JenisBerkas,
    JenisKompetensi,
    PeranTim,
    StatusKegiatan,
    StatusLembar,
    TujuanPenilaian,
)
from app.models.security import utcnow
from app.penilaian import aturan as rules
from app.penilaian import hasil as calc
from app.workflow.engine import TransitionError

MAX_BERKAS = 10 * 1024 * 1024
MAX_TEKS = 5000


class PenilaianError(TransitionError):
    """A refused assessment operation; str() is the user's message, `status` the HTTP status. A
    TransitionError, so an SOP step whose hook runs the operation is refused as a whole."""


def _tidak_ditemukan(message=None) -> PenilaianError:
    return PenilaianError(message or _l("Not found."), 404)


def _commit(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def _log(kegiatan_id: int, user, aksi: str, keterangan: str = "", peserta_id=None, penugasan_id=None) -> None:
    db.session.add(
        RiwayatPenilaian(
            kegiatan_id=kegiatan_id,
            peserta_id=peserta_id,
            penugasan_id=penugasan_id,
            aksi=aksi,
            keterangan=keterangan,
            user_id=getattr(user, "id", None),
        )
    )


def kalimat(parts: Iterable[str]) -> str:
    """Phrases joined into one sentence: "12 of 30 participants …; no session …."."""
    text = "; ".join(str(p) for p in parts)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def hari_ini() -> dt.date:
    return dt.datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


# -- loading through the scope, and the caller's part in an event ---------------------------------------


def kegiatan(kegiatan_id, user) -> KegiatanPenilaian:
    """An event the caller may see, or PenilaianError 404."""
    item = scope.get(KegiatanPenilaian, kegiatan_id, user)
    if item is None:
        raise _tidak_ditemukan(_l("Assessment event not found."))
    return item


def peserta(peserta_id, user) -> Peserta:
    """A participant the caller may see, or PenilaianError 404."""
    item = scope.get(Peserta, peserta_id, user)
    if item is None:
        raise _tidak_ditemukan(_l("Participant not found."))
    return item


def penugasan(penugasan_id, user) -> Penugasan:
    """An assignment (score sheet) the caller may see, or PenilaianError 404."""
    item = scope.get(Penugasan, penugasan_id, user)
    if item is None:
        raise _tidak_ditemukan(_l("Score sheet not found."))
    return item


def kegiatan_kasus(kasus_id: int, user=None) -> KegiatanPenilaian | None:
    """The event a case runs (None when it has none, or the caller may not see it)."""
    query = scope.scoped(KegiatanPenilaian, user).where(KegiatanPenilaian.kasus_id == kasus_id)
    return db.session.execute(query).scalar()


def kegiatan_dari(kasus) -> KegiatanPenilaian | None:
    """The event of a case that was already loaded through the caller's scope (the engine's hooks, the
    case page's outputs): the event goes with its case, also where no user is signed in (jobs, tests)."""
    return db.session.execute(select(KegiatanPenilaian).where(KegiatanPenilaian.kasus_id == kasus.id)).scalar()


def peran_tim(item: KegiatanPenilaian, user) -> set[str]:
    """The caller's roles on the event's team."""
    pegawai_id = getattr(user, "pegawai_id", None)
    if pegawai_id is None:
        return set()
    query = select(AnggotaTim.peran).where(AnggotaTim.kegiatan_id == item.id, AnggotaTim.pegawai_id == pegawai_id)
    return set(db.session.execute(query).scalars())


def staf_kegiatan(item: KegiatanPenilaian, user) -> bool:
    """Administrator, or staff (not "assigned only") of the unit that owns the event."""
    reach = scope.reach(user)
    return reach.admin or (not reach.assigned_only and item.unit_kerja_id in (reach.units or ()))


def ketua(item: KegiatanPenilaian, user) -> bool:
    return PeranTim.KETUA.value in peran_tim(item, user)


def boleh_kelola(item: KegiatanPenilaian, user, ketua_boleh: bool = False) -> bool:
    return staf_kegiatan(item, user) or (ketua_boleh and ketua(item, user))


def _kelola(item: KegiatanPenilaian, user, ketua_boleh: bool = False) -> None:
    if not boleh_kelola(item, user, ketua_boleh):
        raise PenilaianError(_l("Only the staff of the unit that runs this event can do this."), 403)


def _admin(item: KegiatanPenilaian, user) -> None:
    """Participants, intake and attendance: staff, the ketua and the team's administrators."""
    roles = peran_tim(item, user)
    if not (staf_kegiatan(item, user) or roles & {PeranTim.KETUA.value, PeranTim.ASESOR_ADMIN.value}):
        raise PenilaianError(_l("Only the staff of the event or its assessor administrators can do this."), 403)


def _ketua(item: KegiatanPenilaian, user) -> None:
    if not ketua(item, user):
        raise PenilaianError(_l("Only the ketua of the assessment team can do this."), 403)


def _rancangan(item: KegiatanPenilaian, message=None) -> None:
    if item.status != StatusKegiatan.RANCANGAN:
        raise PenilaianError(message or _l("The event has started; its methods and matrix can no longer change."), 409)


def _bukan_selesai(item: KegiatanPenilaian) -> None:
    if item.status == StatusKegiatan.SELESAI:
        raise PenilaianError(_l("The event is finished; nothing can change any more."), 409)


def _teks(value, label, limit: int = MAX_TEKS) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if len(text) > limit:
        raise PenilaianError(_l("%(field)s is longer than %(n)d characters.", field=label, n=limit), 422)
    return text


# -- rules and standards -----------------------------------------------------------------------------


def aturan_untuk(instansi_id: int | None) -> AturanPenilaian:
    """The agency's rules, or the national default row."""
    rows = db.session.execute(
        select(AturanPenilaian).where(
            (AturanPenilaian.instansi_id == instansi_id) | AturanPenilaian.instansi_id.is_(None)
        )
    ).scalars()
    rows = sorted(rows, key=lambda a: a.instansi_id is None)
    if not rows:
        return AturanPenilaian(instansi_id=None, **_aturan_bawaan())
    return rows[0]


def _aturan_bawaan() -> dict:
    return {c.name: c.default.arg for c in AturanPenilaian.__table__.columns if c.default is not None}


def aturan_kegiatan(item: KegiatanPenilaian) -> AturanPenilaian:
    return aturan_untuk(item.unit_kerja.instansi_id)


def ketentuan_kegiatan(item: KegiatanPenilaian) -> calc.Ketentuan:
    return calc.Ketentuan.dari(aturan_kegiatan(item))


def standar_efektif(jabatan_ids: Iterable[int], kompetensi_ids: Iterable[int]) -> dict[tuple[int, int], float]:
    """(position, competency) → standard level: the position's own standard, else for managerial and
    socio-cultural competencies the default of the position's kind (and jenjang). Technical competencies
    have only explicit standards."""
    jabatan_ids, kompetensi_ids = sorted(set(jabatan_ids)), sorted(set(kompetensi_ids))
    if not jabatan_ids or not kompetensi_ids:
        return {}
    result: dict[tuple[int, int], float] = {}
    for row in db.session.execute(
        select(StandarKompetensi).where(
            StandarKompetensi.jabatan_id.in_(jabatan_ids), StandarKompetensi.kompetensi_id.in_(kompetensi_ids)
        )
    ).scalars():
        result[(row.jabatan_id, row.kompetensi_id)] = row.level
    defaults = {
        (s.jenis, (s.jenjang or "").strip().lower()): s.level
        for s in db.session.execute(select(StandarBawaan)).scalars()
    }
    general = {
        k.id
        for k in db.session.execute(select(Kompetensi).where(Kompetensi.id.in_(kompetensi_ids))).scalars()
        if k.jenis != JenisKompetensi.TEKNIS
    }
    for jabatan in db.session.execute(select(Jabatan).where(Jabatan.id.in_(jabatan_ids))).scalars():
        level = defaults.get((jabatan.jenis, (jabatan.jenjang or "").strip().lower()))
        if level is None:
            level = defaults.get((jabatan.jenis, ""))
        if level is None:
            continue
        for kid in general:
            result.setdefault((jabatan.id, kid), level)
    return result


def jabatan_acuan(p: Peserta, item: KegiatanPenilaian | None = None) -> int | None:
    """The position whose standard applies to a participant: set on the participant; else the event's
    target (except in mapping, which measures people against their own position); else their own."""
    item = item or p.kegiatan
    if p.jabatan_target_id:
        return p.jabatan_target_id
    if item.jabatan_target_id and item.tujuan != TujuanPenilaian.PEMETAAN:
        return item.jabatan_target_id
    return p.jabatan_id or item.jabatan_target_id


def standar_kegiatan(item: KegiatanPenilaian, jabatan_ids: Iterable[int]) -> dict[tuple[int, int], float]:
    """The standards an event compares with: its snapshot once started, the current standards before."""
    kompetensi_ids = [k.kompetensi_id for k in item.kompetensi]
    if item.status == StatusKegiatan.RANCANGAN:
        return standar_efektif(jabatan_ids, kompetensi_ids)
    rows = db.session.execute(select(StandarKegiatan).where(StandarKegiatan.kegiatan_id == item.id)).scalars()
    return {(r.jabatan_id, r.kompetensi_id): r.level for r in rows}


def _salin_standar(item: KegiatanPenilaian, jabatan_ids: Iterable[int]) -> None:
    """Copy the current standards of these positions into the started event (missing pairs only)."""
    have = {
        (r.jabatan_id, r.kompetensi_id)
        for r in db.session.execute(select(StandarKegiatan).where(StandarKegiatan.kegiatan_id == item.id)).scalars()
    }
    live = standar_efektif([j for j in jabatan_ids if j], [k.kompetensi_id for k in item.kompetensi])
    for (jabatan_id, kompetensi_id), level in sorted(live.items()):
        if (jabatan_id, kompetensi_id) not in have:
            db.session.add(
                StandarKegiatan(kegiatan_id=item.id, jabatan_id=jabatan_id, kompetensi_id=kompetensi_id, level=level)
            )


# -- events ----------------------------------------------------------------------------------------


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


# -- team, waves, sessions -----------------------------------------------------------------------------


def _peran(value) -> str:
    try:
        return PeranTim(value).value
    except ValueError:
        raise PenilaianError(_l("Choose the member's role in the team."), 422) from None


def tambah_anggota(kegiatan_id: int, user, pegawai_id: int | None, peran: str) -> AnggotaTim:
    """Put a civil servant on the team. Assessors and the ketua must be active in the agency's assessor
    register; an event has one ketua."""
    item = kegiatan(kegiatan_id, user)
    _kelola(item, user)
    _bukan_selesai(item)
    peran = _peran(peran)
    orang = db.session.get(Pegawai, pegawai_id) if pegawai_id else None
    if orang is None or orang.aktif is False:
        raise PenilaianError(_l("Choose an active civil servant."), 422)
    if any(m.pegawai_id == orang.id for m in item.tim):
        raise PenilaianError(_l("%(name)s is already on the team.", name=orang.nama_lengkap), 422)
    if peran in PERAN_PENILAI:
        registered = db.session.execute(
            select(RegisterAsesor.id).where(
                RegisterAsesor.pegawai_id == orang.id,
                RegisterAsesor.aktif.isnot(False),
                RegisterAsesor.instansi_id == item.unit_kerja.instansi_id,
            )
        ).first()
        if registered is None:
            raise PenilaianError(
                _l("%(name)s is not an active assessor in the agency's assessor register.", name=orang.nama_lengkap),
                422,
            )
    if peran == PeranTim.KETUA and any(m.peran == PeranTim.KETUA for m in item.tim):
        raise PenilaianError(_l("The team already has a ketua."), 422)
    member = AnggotaTim(kegiatan=item, pegawai=orang, peran=peran)
    db.session.add(member)
    db.session.commit()
    return member


def hapus_anggota(anggota_id: int, user) -> None:
    """Take a member off the team (refused while they have score sheets in the event)."""
    member = scope.get(AnggotaTim, anggota_id, user)
    if member is None:
        raise _tidak_ditemukan()
    _kelola(member.kegiatan, user)
    _bukan_selesai(member.kegiatan)
    used = db.session.execute(
        select(func.count(Penugasan.id)).where(
            Penugasan.kegiatan_id == member.kegiatan_id, Penugasan.asesor_id == member.pegawai_id
        )
    ).scalar_one()
    if used:
        raise PenilaianError(
            _l(
                "%(name)s still has %(n)d score sheet(s) in this event; reassign them first.",
                name=member.pegawai.nama_lengkap,
                n=used,
            ),
            409,
        )
    db.session.delete(member)
    db.session.commit()


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


def sesi_label(session: Sesi) -> str:
    return f"{session.metode.nama}, {tanggal_waktu(session.mulai)}"


# -- methods and the method × competency matrix ---------------------------------------------------------------


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


# -- participants ---------------------------------------------------------------------------------------


@dataclass
class DataPeserta:
    """A participant as typed in a form or a row of the import file."""

    nip: str = ""
    nama: str = ""
    gelar_depan: str = ""
    gelar_belakang: str = ""
    golongan: str = ""
    jabatan: str = ""
    jenjang: str = ""
    instansi: str = ""
    unit: str = ""
    gelombang: int | None = None
    predikat_kinerja: str = ""
    pegawai_id: int | None = None
    jabatan_id: int | None = None
    jabatan_target_id: int | None = None
    gelombang_id: int | None = None


@dataclass
class PesertaSiap:
    """A validated participant, ready to be added."""

    values: dict
    gelombang: Gelombang


@dataclass
class KonteksPeserta:
    """What validating participants of one event needs, loaded once (a form, a file of rows, the API)."""

    item: KegiatanPenilaian
    user: object
    taken: set[str]  # NIPs already in the event or earlier in the file
    counts: dict[int, int]  # participants per wave so far
    batas: rules.Batas
    orang: dict[str, Pegawai]  # the agency's civil servants by NIP
    jabatan: dict[tuple[str, str], Jabatan | None] = field(default_factory=dict)


def konteks_peserta(item: KegiatanPenilaian, user) -> KonteksPeserta:
    taken, counts = _taken_and_counts(item)
    people = {p.nip: p for p in scope.agency_people(item.unit_kerja.instansi_id, user)}
    return KonteksPeserta(item, user, taken, counts, rules.Batas.dari(aturan_kegiatan(item)), people)


def _jabatan_nama(ctx: KonteksPeserta, nama: str, jenjang: str) -> Jabatan | None:
    key = (nama.strip().lower(), jenjang.strip().lower())
    if key not in ctx.jabatan:
        query = scope.scoped(Jabatan, ctx.user).where(
            func.lower(Jabatan.nama) == key[0], func.lower(func.coalesce(Jabatan.jenjang, "")) == key[1]
        )
        rows = db.session.execute(query).scalars().all()
        # The event agency's own position first, then a national one.
        rows.sort(key=lambda j: (j.instansi_id != ctx.item.unit_kerja.instansi_id, j.instansi_id is not None))
        ctx.jabatan[key] = rows[0] if rows else None
    return ctx.jabatan[key]


def periksa_peserta(ctx: KonteksPeserta, data: DataPeserta) -> PesertaSiap | list[str]:
    """Validate one participant against the event (the form, the import and the API use it): the reasons
    it is refused, or the values to add. A civil servant of the event's agency (by id or NIP) is linked."""
    item, user = ctx.item, ctx.user
    errors: list[str] = []
    orang = None
    if data.pegawai_id:
        orang = next((p for p in ctx.orang.values() if p.id == data.pegawai_id), None)
        orang = orang or scope.get(Pegawai, data.pegawai_id, user)
        if orang is None:
            return [str(_l("the civil servant does not exist"))]
        data.nip = orang.nip
    digits = ""
    try:
        digits = nip_mod.parse(data.nip).digits
    except nip_mod.NipError as exc:
        errors.append(str(exc))
    if digits and digits in ctx.taken:
        errors.append(str(_l("NIP %(nip)s is already a participant of this event", nip=nip_mod.format_nip(digits))))
    if orang is None and digits:
        orang = ctx.orang.get(digits)
    nama = (data.nama or "").strip() or (orang.nama if orang else "")
    if not nama:
        errors.append(str(_l("the name is empty")))
    elif len(nama) > 150:
        errors.append(str(_l("the name is longer than 150 characters")))
    pangkat = None
    if data.golongan.strip():
        pangkat = db.session.execute(select(Pangkat).where(Pangkat.golongan == data.golongan.strip())).scalar()
        if pangkat is None:
            errors.append(str(_l("unknown rank/grade %(g)s (write it as III/c)", g=data.golongan.strip())))
    elif orang is not None:
        pangkat = orang.pangkat
    jabatan = None
    if data.jabatan_id:
        jabatan = scope.get(Jabatan, data.jabatan_id, user)
        if jabatan is None:
            errors.append(str(_l("the position does not exist")))
    elif data.jabatan.strip():
        jabatan = _jabatan_nama(ctx, data.jabatan, data.jenjang)
        if jabatan is None:
            label = f"{data.jabatan.strip()} {data.jenjang.strip()}".strip()
            errors.append(str(_l('unknown position "%(j)s" (add it under Master Data → Positions first)', j=label)))
    elif orang is not None:
        jabatan = orang.jabatan
    target = None
    if data.jabatan_target_id:
        target = scope.get(Jabatan, data.jabatan_target_id, user)
        if target is None:
            errors.append(str(_l("the target position does not exist")))
    if jabatan is None and target is None and item.jabatan_target_id is None and not errors:
        errors.append(str(_l("the position is required (its standard is what the participant is compared with)")))
    if data.gelombang_id:
        wave = next((g for g in item.gelombang if g.id == data.gelombang_id), None)
    elif data.gelombang:
        wave = next((g for g in item.gelombang if g.nomor == data.gelombang), None)
    else:  # the first wave with room
        wave = next((g for g in item.gelombang if ctx.counts.get(g.id, 0) < ctx.batas.maks_peserta_gelombang), None)
        wave = wave or (item.gelombang[0] if item.gelombang else None)
    if wave is None:
        errors.append(str(_l("wave %(n)s does not exist in this event", n=data.gelombang or data.gelombang_id)))
    elif ctx.counts.get(wave.id, 0) >= ctx.batas.maks_peserta_gelombang:
        errors.append(
            str(
                _l(
                    "wave %(n)d is full (at most %(max)d participants)",
                    n=wave.nomor,
                    max=ctx.batas.maks_peserta_gelombang,
                )
            )
        )
    predikat = (data.predikat_kinerja or "").strip()
    if len(predikat) > 30:
        errors.append(str(_l("the performance rating is longer than 30 characters")))
    if errors:
        return errors
    ctx.taken.add(digits)
    ctx.counts[wave.id] = ctx.counts.get(wave.id, 0) + 1
    values = dict(
        nip=digits,
        nama=nama[:150],
        gelar_depan=(data.gelar_depan or (orang.gelar_depan if orang else "") or "")[:40],
        gelar_belakang=(data.gelar_belakang or (orang.gelar_belakang if orang else "") or "")[:80],
        pangkat=pangkat,
        jabatan=jabatan,
        jabatan_target=target,
        pegawai=orang,
        unit_kerja_id=orang.unit_kerja_id if orang else None,
        instansi_nama=(data.instansi.strip() or (orang.unit_kerja.instansi.nama if orang else ""))[:200],
        unit_nama=(data.unit.strip() or (orang.unit_kerja.nama if orang else ""))[:200],
        predikat_kinerja=predikat,
    )
    return PesertaSiap(values, wave)


def _taken_and_counts(item: KegiatanPenilaian) -> tuple[set[str], dict[int, int]]:
    rows = db.session.execute(select(Peserta.nip, Peserta.gelombang_id).where(Peserta.kegiatan_id == item.id)).all()
    counts: dict[int, int] = defaultdict(int)
    for _, gid in rows:
        counts[gid] += 1
    return {nip for nip, _ in rows}, counts


def _tambah(item: KegiatanPenilaian, siap: list[PesertaSiap], user) -> list[Peserta]:
    claim(item, PenilaianError)  # one addition at a time: numbers and NIPs stay unique
    nomor = db.session.execute(select(func.max(Peserta.nomor)).where(Peserta.kegiatan_id == item.id)).scalar() or 0
    added = []
    for ready in siap:
        nomor += 1
        p = Peserta(kegiatan=item, gelombang=ready.gelombang, nomor=nomor, **ready.values)
        db.session.add(p)
        added.append(p)
    db.session.flush()
    if item.status != StatusKegiatan.RANCANGAN:
        _salin_standar(item, {jabatan_acuan(p, item) for p in added})
    return added


def tambah_peserta(kegiatan_id: int, user, data: DataPeserta, commit: bool = True) -> Peserta:
    """Add one participant: a civil servant of the agency (by id or NIP) or a person of another agency.
    `commit=False`: inside an SOP transition (e.g. the transfer applicant, app/mutasi/hooks.py)."""
    item = kegiatan(kegiatan_id, user)
    _admin(item, user)
    _bukan_selesai(item)
    ready = periksa_peserta(konteks_peserta(item, user), data)
    if isinstance(ready, list):
        raise PenilaianError(kalimat(ready), 422)
    (added,) = _tambah(item, [ready], user)
    _log(item.id, user, "peserta_ditambah", added.nama, peserta_id=added.id)
    _commit(commit)
    return added


def tambah_peserta_banyak(item: KegiatanPenilaian, siap: list[PesertaSiap], user, keterangan: str) -> list[Peserta]:
    """Add validated participants in one transaction (the import)."""
    added = _tambah(item, siap, user)
    _log(item.id, user, "impor", keterangan)
    db.session.commit()
    return added


def ubah_peserta(peserta_id: int, user, **fields) -> Peserta:
    """Move a participant to another wave, set the position to compare with, or the SKP predikat."""
    p = peserta(peserta_id, user)
    item = p.kegiatan
    _admin(item, user)
    _bukan_selesai(item)
    if _terkunci(p):
        raise PenilaianError(_l("The participant's result is locked; reopen the assessor meeting first."), 409)
    if "gelombang_id" in fields and fields["gelombang_id"] != p.gelombang_id:
        wave = next((g for g in item.gelombang if g.id == fields["gelombang_id"]), None)
        if wave is None:
            raise PenilaianError(_l("Choose a wave of this event."), 422)
        _, counts = _taken_and_counts(item)
        if counts.get(wave.id, 0) >= aturan_kegiatan(item).maks_peserta_gelombang:
            raise PenilaianError(_l("Wave %(n)d is full.", n=wave.nomor), 422)
        if db.session.execute(select(Penugasan.id).where(Penugasan.peserta_id == p.id)).first():
            raise PenilaianError(_l("The participant already has assessors; change the assignment first."), 409)
        p.gelombang = wave
    if "jabatan_target_id" in fields and fields["jabatan_target_id"] != p.jabatan_target_id:
        target = scope.get(Jabatan, fields["jabatan_target_id"], user) if fields["jabatan_target_id"] else None
        if fields["jabatan_target_id"] and target is None:
            raise PenilaianError(_l("The target position does not exist."), 422)
        p.jabatan_target = target
        if item.status != StatusKegiatan.RANCANGAN:
            _salin_standar(item, [jabatan_acuan(p, item)])
    if "predikat_kinerja" in fields:
        predikat = _teks(fields["predikat_kinerja"], _l("Performance rating (SKP)"), 30)
        p.predikat_kinerja = predikat
    db.session.commit()
    return p


def hapus_peserta(peserta_id: int, user) -> None:
    """Remove a participant who has no scores yet (with their assignments, files and attendance)."""
    p = peserta(peserta_id, user)
    _admin(p.kegiatan, user)
    _bukan_selesai(p.kegiatan)
    scored = db.session.execute(
        select(Nilai.id).join(Penugasan, Nilai.penugasan_id == Penugasan.id).where(Penugasan.peserta_id == p.id)
    ).first()
    if scored or _terkunci(p):
        raise PenilaianError(_l("The participant already has scores and cannot be removed."), 409)
    for model in (Penugasan, BerkasPeserta, Kehadiran, Konsensus, NilaiPotensi, Hasil):
        db.session.execute(delete(model).where(model.peserta_id == p.id))
    _log(p.kegiatan_id, user, "peserta_dihapus", f"{p.nip} {p.nama}")
    db.session.delete(p)
    db.session.commit()


def catat_kehadiran(sesi_id: int, user, hadir: Iterable[int]) -> int:
    """Record who attended a session (everyone of the session's wave; the others are absent)."""
    session = scope.get(Sesi, sesi_id, user)
    if session is None:
        raise _tidak_ditemukan()
    item = session.gelombang.kegiatan
    roles = peran_tim(item, user)
    if not (staf_kegiatan(item, user) or roles - {PeranTim.ASESOR.value}):
        raise PenilaianError(_l("Only the staff and the team of the event record attendance."), 403)
    present = {int(i) for i in hadir}
    members = db.session.execute(select(Peserta).where(Peserta.gelombang_id == session.gelombang_id)).scalars().all()
    current = {
        k.peserta_id: k for k in db.session.execute(select(Kehadiran).where(Kehadiran.sesi_id == session.id)).scalars()
    }
    for p in members:
        row = current.get(p.id) or Kehadiran(sesi_id=session.id, peserta_id=p.id)
        row.hadir = p.id in present
        db.session.add(row)
    db.session.commit()
    return sum(1 for p in members if p.id in present)


def kehadiran(sesi_id: int, user) -> dict[int, bool]:
    session = scope.get(Sesi, sesi_id, user)
    if session is None:
        raise _tidak_ditemukan()
    rows = db.session.execute(select(Kehadiran).where(Kehadiran.sesi_id == session.id)).scalars()
    return {k.peserta_id: bool(k.hadir) for k in rows}


# -- intake (DRH, QCom, CI) ------------------------------------------------------------------------------------


def atur_intake(peserta_id: int, user, drh: bool, qcom: bool, ci: bool) -> Peserta:
    """Tick what has been received of a participant's intake documents."""
    p = peserta(peserta_id, user)
    _admin(p.kegiatan, user)
    _bukan_selesai(p.kegiatan)
    p.intake_drh, p.intake_qcom, p.intake_ci = bool(drh), bool(qcom), bool(ci)
    db.session.commit()
    return p


def unggah_berkas(peserta_id: int, user, jenis: str, nama_file: str, mime: str, isi: bytes) -> BerkasPeserta:
    """Store an intake file; it ticks that document as received."""
    p = peserta(peserta_id, user)
    _admin(p.kegiatan, user)
    _bukan_selesai(p.kegiatan)
    try:
        jenis = JenisBerkas(jenis).value
    except ValueError:
        raise PenilaianError(_l("Choose the kind of document (DRH, QCom or CI)."), 422) from None
    if not isi:
        raise PenilaianError(_l("Choose a file to upload."), 422)
    if len(isi) > MAX_BERKAS:
        raise PenilaianError(_l("The file is larger than 10 MB."), 422)
    row = BerkasPeserta(
        peserta=p,
        jenis=jenis,
        nama_file=(nama_file or "berkas")[:200],
        mime=(mime or "application/octet-stream")[:100],
        isi=isi,
        diunggah_oleh_id=user.id,
    )
    setattr(p, f"intake_{jenis}", True)
    db.session.add(row)
    db.session.commit()
    return row


def berkas(berkas_id: int, user) -> BerkasPeserta:
    item = scope.get(BerkasPeserta, berkas_id, user)
    if item is None:
        raise _tidak_ditemukan()
    return item


def progres_intake(item: KegiatanPenilaian) -> list[dict]:
    """Per wave: participants, complete intake, missing documents."""
    rows = db.session.execute(select(Peserta).where(Peserta.kegiatan_id == item.id)).scalars().all()
    result = []
    for wave in item.gelombang:
        members = [p for p in rows if p.gelombang_id == wave.id]
        result.append(
            {
                "gelombang": wave,
                "jumlah": len(members),
                "lengkap": sum(p.intake_lengkap for p in members),
                "drh": sum(bool(p.intake_drh) for p in members),
                "qcom": sum(bool(p.intake_qcom) for p in members),
                "ci": sum(bool(p.intake_ci) for p in members),
            }
        )
    return result


# -- assignments and the rules -------------------------------------------------------------------------


def _penilai(item: KegiatanPenilaian) -> list[AnggotaTim]:
    return [m for m in item.tim if m.peran in PERAN_PENILAI]


def rancangan(item: KegiatanPenilaian) -> rules.Rancangan:
    """The event as the pure rules see it."""
    members = (
        db.session.execute(select(Peserta).where(Peserta.kegiatan_id == item.id).order_by(Peserta.nomor))
        .scalars()
        .all()
    )
    penilai = _penilai(item)
    sesi = [s for g in item.gelombang for s in g.sesi]
    tugas = db.session.execute(select(Penugasan).where(Penugasan.kegiatan_id == item.id)).scalars().all()
    asesor_ids = [m.pegawai_id for m in penilai]
    sibuk = []
    if asesor_ids:
        other = db.session.execute(
            select(Penugasan.asesor_id, Sesi.mulai, Sesi.selesai)
            .join(Sesi, Penugasan.sesi_id == Sesi.id)
            .where(Penugasan.asesor_id.in_(asesor_ids), Penugasan.kegiatan_id != item.id)
            .distinct()
        ).all()
        sibuk = [rules.Sibuk(a, m, s, str(_l("another event, %(t)s", t=tanggal_waktu(m)))) for a, m, s in other]
    units = dict(db.session.execute(select(UnitKerja.id, UnitKerja.induk_id)).all())
    jabatan_ids = {jabatan_acuan(p, item) for p in members} - {None}
    standar = standar_kegiatan(item, jabatan_ids)
    kurang = {}
    for p in members:
        jid = jabatan_acuan(p, item)
        missing = [k.kompetensi_id for k in item.kompetensi if (jid, k.kompetensi_id) not in standar]
        if missing:
            kurang[p.id] = missing
    return rules.Rancangan(
        peserta=[rules.PesertaR(p.id, p.nama_lengkap, p.gelombang_id, p.unit_kerja_id, p.pegawai_id) for p in members],
        asesor=[
            rules.AsesorR(
                m.pegawai_id,
                m.pegawai.nama_lengkap,
                m.pegawai.unit_kerja_id,
                bool(m.pegawai.jabatan and m.pegawai.jabatan.jenis in rules.STRUKTURAL),
            )
            for m in penilai
        ],
        jumlah_admin=sum(1 for m in item.tim if m.peran == PeranTim.ASESOR_ADMIN),
        gelombang={g.id: str(g) for g in item.gelombang},
        metode={m.metode_id: m.metode.nama for m in item.metode},
        kompetensi={k.kompetensi_id: str(k.kompetensi) for k in item.kompetensi},
        matriks={m.metode_id: {k.id for k in m.kompetensi} for m in item.metode},
        sesi=[rules.SesiR(s.id, s.gelombang_id, s.metode_id, s.mulai, s.selesai, sesi_label(s)) for s in sesi],
        tugas=[rules.TugasR(t.peserta_id, t.metode_id, t.asesor_id, t.sesi_id) for t in tugas],
        sibuk=sibuk,
        induk=units,
        batas=rules.Batas.dari(aturan_kegiatan(item)),
        standar_kurang=kurang,
    )


def peringatan(kegiatan_id: int, user) -> list[rules.Peringatan]:
    """The rule warnings of an event (empty: the plan is clean)."""
    return rules.periksa(rancangan(kegiatan(kegiatan_id, user)))


def _sesi_untuk(item: KegiatanPenilaian, p: Peserta, metode_id: int) -> int | None:
    """The session of a method in the participant's wave; with several, the one the participant's place in
    the wave falls in (as the automatic rotation splits them)."""
    wave = next(g for g in item.gelombang if g.id == p.gelombang_id)
    sessions = sorted((s for s in wave.sesi if s.metode_id == metode_id), key=lambda s: (s.mulai, s.id))
    if not sessions:
        return None
    members = (
        db.session.execute(select(Peserta.id).where(Peserta.gelombang_id == wave.id).order_by(Peserta.id))
        .scalars()
        .all()
    )
    chunks = rules._potong(list(members), len(sessions))
    return next((s.id for s, chunk in zip(sessions, chunks, strict=True) if p.id in chunk), sessions[0].id)


def atur_penugasan(kegiatan_id: int, user, sel: Mapping[tuple[int, int], int | None]) -> int:
    """Set the assessor of (participant, method) cells (None: nobody). A sheet that already holds scores
    keeps its assessor. Returns how many cells changed."""
    item = kegiatan(kegiatan_id, user)
    _kelola(item, user, ketua_boleh=True)
    _bukan_selesai(item)
    members = {p.id: p for p in db.session.execute(select(Peserta).where(Peserta.kegiatan_id == item.id)).scalars()}
    methods = {m.metode_id for m in item.metode}
    penilai = {m.pegawai_id for m in _penilai(item)}
    current: dict[tuple[int, int], list[Penugasan]] = defaultdict(list)
    for t in db.session.execute(select(Penugasan).where(Penugasan.kegiatan_id == item.id)).scalars():
        current[(t.peserta_id, t.metode_id)].append(t)
    changed = 0
    for (peserta_id, metode_id), asesor_id in sel.items():
        if peserta_id not in members or metode_id not in methods:
            raise PenilaianError(_l("Choose participants and methods of this event."), 422)
        if asesor_id is not None and asesor_id not in penilai:
            raise PenilaianError(_l("Choose an assessor of the team."), 422)
        rows = current.get((peserta_id, metode_id), [])
        if [t.asesor_id for t in rows] == ([asesor_id] if asesor_id else []):
            continue
        for t in rows:
            if t.asesor_id != asesor_id and (t.nilai or t.terkunci):
                raise PenilaianError(
                    _l(
                        "The score sheet of %(p)s in %(m)s already holds scores; it keeps its assessor.",
                        p=members[peserta_id].nama_lengkap,
                        m=t.metode.nama,
                    ),
                    409,
                )
        keep = [t for t in rows if t.asesor_id == asesor_id]
        for t in rows:
            if t not in keep:
                db.session.delete(t)
        if asesor_id is not None and not keep:
            db.session.add(
                Penugasan(
                    kegiatan_id=item.id,
                    peserta_id=peserta_id,
                    metode_id=metode_id,
                    asesor_id=asesor_id,
                    sesi_id=_sesi_untuk(item, members[peserta_id], metode_id),
                )
            )
        changed += 1
    db.session.commit()
    return changed


def atur_otomatis(kegiatan_id: int, user, gelombang_id: int | None = None) -> tuple[int, list[rules.Peringatan]]:
    """Replace the assignment of a wave (default: every wave) with the automatic rotation; refused once a
    score sheet of those waves holds scores. Returns (assignments made, remaining warnings)."""
    item = kegiatan(kegiatan_id, user)
    _kelola(item, user, ketua_boleh=True)
    _bukan_selesai(item)
    waves = [g.id for g in item.gelombang if gelombang_id is None or g.id == gelombang_id]
    if not waves:
        raise PenilaianError(_l("Choose a wave of this event."), 422)
    in_waves = select(Peserta.id).where(Peserta.gelombang_id.in_(waves))
    scored = db.session.execute(
        select(Penugasan.id).where(
            Penugasan.peserta_id.in_(in_waves), (Penugasan.status == StatusLembar.DIKIRIM.value) | Penugasan.nilai.any()
        )
    ).first()
    if scored:
        raise PenilaianError(_l("Scoring has begun in this wave; change single assignments instead."), 409)
    plan = rancangan(item)
    made = rules.atur_otomatis(plan, waves)
    db.session.execute(delete(Penugasan).where(Penugasan.peserta_id.in_(in_waves)))
    for t in made:
        db.session.add(
            Penugasan(
                kegiatan_id=item.id,
                peserta_id=t.peserta_id,
                metode_id=t.metode_id,
                asesor_id=t.asesor_id,
                sesi_id=t.sesi_id,
            )
        )
    _log(item.id, user, "atur_otomatis", str(len(made)))
    db.session.commit()
    return len(made), rules.periksa(rancangan(item))


# -- scoring -----------------------------------------------------------------------------------------


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


# -- the assessor meeting (integrasi) ---------------------------------------------------------------------


def _terkunci(p: Peserta) -> Hasil | None:
    return db.session.execute(select(Hasil).where(Hasil.peserta_id == p.id)).scalar()


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


# -- results ------------------------------------------------------------------------------------------


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


# -- progress of an event, for the SOP guards and the event page -------------------------------------------


def kurang_jadwal(item: KegiatanPenilaian) -> list[str]:
    """Every wave has its date (the assessment schedule)."""
    return [str(_l("%(g)s has no date yet", g=g)) for g in item.gelombang if g.tanggal_mulai is None]


def kurang_rancangan(item: KegiatanPenilaian) -> list[str]:
    """What the plan still lacks (methods, matrix, waves and sessions, participants, team, clean assignment)."""
    out = []
    members = db.session.execute(select(func.count(Peserta.id)).where(Peserta.kegiatan_id == item.id)).scalar_one()
    if not members:
        out.append(str(_l("no participants yet")))
    if not any(g.sesi for g in item.gelombang):
        out.append(str(_l("no session is scheduled yet")))
    warnings = rules.periksa(rancangan(item))
    if warnings:
        out.append(
            str(_l("%(n)d rule warning(s) on the event page, e.g.: %(w)s", n=len(warnings), w=warnings[0].pesan))
        )
    return out


def kurang_intake(item: KegiatanPenilaian) -> list[str]:
    total = sum(w["jumlah"] for w in progres_intake(item))
    done = sum(w["lengkap"] for w in progres_intake(item))
    if not total:
        return [str(_l("no participants yet"))]
    if done < total:
        return [
            str(
                _l(
                    "%(n)d of %(total)d participants without complete intake (DRH, QCom, CI)",
                    n=total - done,
                    total=total,
                )
            )
        ]
    return []


def kurang_distribusi(item: KegiatanPenilaian) -> list[str]:
    """Every participant has an assessor in every method, and every assessor of the team has participants."""
    plan = rancangan(item)
    out = []
    missing = [w for w in rules.periksa(plan) if w.kode == "belum_ditugaskan"]
    if missing:
        out.append(str(_l("%(n)d participant(s) still lack an assessor in some method", n=len(missing))))
    idle = [a.nama for a in plan.asesor if not any(t.asesor_id == a.pegawai_id for t in plan.tugas)]
    if idle:
        out.append(str(_l("assessors without participants: %(a)s", a=", ".join(idle))))
    if not plan.peserta:
        out.append(str(_l("no participants yet")))
    return out


def kurang_penilaian(item: KegiatanPenilaian) -> list[str]:
    """Every score sheet submitted."""
    total, sent = db.session.execute(
        select(func.count(Penugasan.id), func.count(Penugasan.dikirim_at)).where(Penugasan.kegiatan_id == item.id)
    ).one()
    if not total:
        return [str(_l("no score sheets yet"))]
    if sent < total:
        return [str(_l("%(n)d of %(total)d score sheets not yet submitted", n=total - sent, total=total))]
    return []


def kurang_hasil(item: KegiatanPenilaian) -> list[str]:
    """Every participant has a locked consensus result."""
    total = db.session.execute(select(func.count(Peserta.id)).where(Peserta.kegiatan_id == item.id)).scalar_one()
    locked = db.session.execute(select(func.count(Hasil.id)).where(Hasil.kegiatan_id == item.id)).scalar_one()
    if not total:
        return [str(_l("no participants yet"))]
    if locked < total:
        return [
            str(_l("%(n)d of %(total)d participants without a locked consensus result", n=total - locked, total=total))
        ]
    return []


def ringkasan(item: KegiatanPenilaian) -> dict:
    """Counts for the event page."""
    total = db.session.execute(select(func.count(Peserta.id)).where(Peserta.kegiatan_id == item.id)).scalar_one()
    sheets, sent = db.session.execute(
        select(func.count(Penugasan.id), func.count(Penugasan.dikirim_at)).where(Penugasan.kegiatan_id == item.id)
    ).one()
    locked = db.session.execute(select(func.count(Hasil.id)).where(Hasil.kegiatan_id == item.id)).scalar_one()
    return {"peserta": total, "lembar": sheets, "lembar_dikirim": sent, "terkunci": locked}
