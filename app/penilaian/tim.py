"""The assessment team and the assignment: the members (assessors from the agency's register, one ketua),
the event as the pure rules see it (app/penilaian/aturan.py), and the assessor of each participant and
method, set by hand or by the automatic rotation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app import scope
from app.extensions import db
from app.formatting import tanggal_waktu
from app.models import (
    AnggotaTim,
    KegiatanPenilaian,
    Pegawai,
    Penugasan,
    Peserta,
    RegisterAsesor,
    Sesi,
    UnitKerja,
)
from app.models.penilaian import (
    PERAN_PENILAI,
    PeranTim,
    StatusLembar,
)
from app.penilaian import aturan as rules
from app.penilaian.umum import (
    PenilaianError,
    _bukan_selesai,
    _kelola,
    _log,
    _tidak_ditemukan,
    aturan_kegiatan,
    jabatan_acuan,
    kegiatan,
    sesi_label,
    standar_kegiatan,
)


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
