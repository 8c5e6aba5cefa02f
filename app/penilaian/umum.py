"""What every assessment operation shares: the refusal (`PenilaianError`), loading rows through the
caller's scope, the caller's part in an event (its unit's staff, the ketua, the team's administrators), the
rules and standards that apply to it, and the small checks (text length, the event's state).

Every operation loads its rows through the caller's scope (`app.scope`) and checks the caller's part in
the event: the staff of the event's unit (or an administrator) run it; its ketua also sets the matrix,
the assignment and chairs the assessor meeting; an assessor scores only their own assignments. Bad
input raises `PenilaianError` with a message for the user and changes nothing. A state change claims its
row first (app/konkurensi.py; `seen_versi`: the version the user's page showed), so a repeated click
changes nothing. Public functions commit their change, except where `commit=False` is offered for
callers that own the transaction (the SOP hooks run inside a case transition).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import scope
from app.extensions import db
from app.formatting import tanggal_waktu
from app.models import (
    AnggotaTim,
    AturanPenilaian,
    Hasil,
    Jabatan,
    KegiatanPenilaian,
    Kompetensi,
    Penugasan,
    Peserta,
    RiwayatPenilaian,
    Sesi,
    StandarBawaan,
    StandarKegiatan,
    StandarKompetensi,
)
from app.models.penilaian import (
    JenisKompetensi,
    PeranTim,
    StatusKegiatan,
    TujuanPenilaian,
)
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


def sesi_label(session: Sesi) -> str:
    return f"{session.metode.nama}, {tanggal_waktu(session.mulai)}"


def _terkunci(p: Peserta) -> Hasil | None:
    return db.session.execute(select(Hasil).where(Hasil.peserta_id == p.id)).scalar()
