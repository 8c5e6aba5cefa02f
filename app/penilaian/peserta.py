"""The participants of an event: validate and add them (one from a form or the API, or a file's rows through
app/penilaian/impor.py), change and remove them; their intake documents (DRH, QCom, CI) and attendance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app import nip as nip_mod
from app import scope
from app.extensions import db
from app.konkurensi import claim
from app.models import (
    BerkasPeserta,
    Gelombang,
    Hasil,
    Jabatan,
    KegiatanPenilaian,
    Kehadiran,
    Konsensus,
    Nilai,
    NilaiPotensi,
    Pangkat,
    Pegawai,
    Penugasan,
    Peserta,
    Sesi,
)
from app.models.penilaian import (
    JenisBerkas,
    PeranTim,
    StatusKegiatan,
)
from app.penilaian import aturan as rules
from app.penilaian.umum import (
    MAX_BERKAS,
    PenilaianError,
    _admin,
    _bukan_selesai,
    _commit,
    _log,
    _salin_standar,
    _teks,
    _terkunci,
    _tidak_ditemukan,
    aturan_kegiatan,
    jabatan_acuan,
    kalimat,
    kegiatan,
    peran_tim,
    peserta,
    staf_kegiatan,
)


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
