"""Demo assessment data (DEMO ONLY: names and NIPs are invented), made through the same operations and SOP
transitions as the screens, so that every guard is satisfied the real way:

- Kemenkumham (seed 4): a mapping of 30 officials of two regional offices in one wave, 10 assessors on
  the team and in the assessor register, 5 methods, each competency scored by at least two assessors,
  the assessor meeting finished for 26 participants; the case waits at step 7 for the other four.
- Tangerang (seed 0): a transfer applicant from another agency with a one-person event, two assessors;
  the case is at step 6 (assessment under way, one score sheet still open).

Logins: khm.ketua (ketua of the team), khm.asesor and khm.asesor2 … khm.asesor9 (assessors),
khm.pengawas (supervisor), tng.asesor (ketua in Tangerang), tng.asesor2.

`siapkan_langkah` serves the demo work of `app/demo/kasus.py`: before a demo case moves past an
assessment step, it makes what the step's guards wait for (dates, participants, intake, team, matrix,
sessions, assignment, scores, the meeting), with these assessors and the same operations.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from app import accounts, xlsx
from app.demo.pegawai import DemoResult, NipFactory, jabatan_demo
from app.extensions import db
from app.models import (
    AspekPotensi,
    Kasus,
    KegiatanPenilaian,
    Pangkat,
    Pegawai,
    PenkomUser,
    Penugasan,
    RegisterAsesor,
    Sop,
    UnitKerja,
)
from app.models.penilaian import PeranTim
from app.penilaian import hasil as calc
from app.penilaian import impor
from app.penilaian import operations as ops
from app.workflow import engine, hooks

KHM_SOP = "kemenkumham-penilaian-oleh-asesor"
TNG_SOP = "tangerang-seleksi-mutasi-masuk"
METHODS = ["in_tray", "analisis_kasus", "lgd", "role_play", "cbi"]
TNG_METHODS = ["analisis_kasus", "role_play", "cbi"]
LOCKED = 26
EVIDENCE = {
    1: "Perilaku yang diharapkan jarang muncul; peserta lebih banyak menunggu arahan.",
    2: "Menunjukkan perilaku pada lingkup tugasnya sendiri secara cukup konsisten.",
    3: "Menggerakkan rekan dan unit kerja; contoh konkret diberikan dengan jelas.",
    4: "Menghubungkan tindakan dengan sasaran organisasi dan dampaknya lintas unit.",
    5: "Menunjukkan cakupan strategis yang luas dan konsisten pada setiap situasi.",
}
KANWIL = [
    ("KHM-KANWIL-JABAR", "Kantor Wilayah Kementerian Hukum dan HAM Jawa Barat"),
    ("KHM-KANWIL-JATENG", "Kantor Wilayah Kementerian Hukum dan HAM Jawa Tengah"),
]
POSITIONS = [
    ("Kepala Bidang Pelayanan Hukum", "administrator", ""),
    ("Kepala Bidang Hak Asasi Manusia", "administrator", ""),
    ("Kepala Subbidang Pelayanan Administrasi Hukum Umum", "pengawas", ""),
    ("Kepala Subbidang Kekayaan Intelektual", "pengawas", ""),
    ("Kepala Subbagian Kepegawaian", "pengawas", ""),
    ("Analis Hukum", "fungsional", "Ahli Muda"),
]


def _user(username: str) -> PenkomUser | None:
    return current_app.appbuilder.sm.find_user(username=username)


def _login(result: DemoResult, username: str, password: str, role: str, unit: str, pegawai: Pegawai | None):
    if _user(username) is not None:
        return _user(username)
    req = accounts.AccountRequest(username, password, [role], unit, nip=pegawai.nip if pegawai else "")
    req.first_name = pegawai.nama if pegawai else username
    user = accounts.add_account(req)
    result.users.append((username, [role]))
    return user


def _person(rng, nips, nama: str, gelar: str, unit: UnitKerja, jabatan, golongan: str, perempuan: bool) -> Pegawai:
    pangkat = db.session.execute(select(Pangkat).where(Pangkat.golongan == golongan)).scalar()
    item = Pegawai(
        nip=nips.make(perempuan), nama=nama, gelar_belakang=gelar, unit_kerja=unit, jabatan=jabatan, pangkat=pangkat
    )
    db.session.add(item)
    db.session.flush()
    return item


def _register(pegawai: Pegawai, instansi_id: int, jenjang: str, rng) -> None:
    db.session.add(
        RegisterAsesor(
            instansi_id=instansi_id,
            pegawai=pegawai,
            jenis="asesor_sdma",
            jenjang=jenjang,
            nomor_sertifikat=f"ASR-{rng.randint(10000, 99999)}",
            berlaku_sampai=dt.date(2028, 12, 31),
            aktif=True,
        )
    )


def _move(kasus, user, transition="lanjut"):
    return engine.perform(kasus.id, transition, user, seen_versi=kasus.versi)


def _sessions(item, user, day: dt.date, methods: list[str]) -> None:
    """One session per method, 08:00 WIB onwards, two hours apart (times stored in UTC)."""
    wave = item.gelombang[0]
    by_code = {m.metode.kode: m.metode_id for m in item.metode}
    start = dt.datetime.combine(day, dt.time(1, 0))  # 08:00 WIB
    for i, code in enumerate(methods):
        begin = start + dt.timedelta(hours=2 * i)
        ops.tambah_sesi(wave.id, user, by_code[code], begin, begin + dt.timedelta(minutes=110), f"Ruang {i + 1}")


def _matrix(item, user, codes: list[str]) -> None:
    from app.models import Metode

    methods = {m.kode: m for m in db.session.execute(select(Metode).where(Metode.kode.in_(codes))).scalars()}
    assessed = [k.kompetensi_id for k in item.kompetensi]
    ops.atur_matriks(item.id, user, assessed, {methods[c].id: [k.id for k in methods[c].kompetensi] for c in codes})


def _xlsx(rows: list[list]) -> bytes:
    wb, sheet = xlsx.workbook("Peserta", [header for header, *_ in impor.KOLOM])
    for row in rows:
        sheet.append(row)
    return xlsx.to_bytes(wb)


def _score_all(item, rng, truth: dict[int, dict[int, Decimal]], users: dict[int, PenkomUser]) -> None:
    """Every assessor fills and submits their sheets: the participant's level ± half a level, with evidence."""
    from app.models import Penugasan

    sheets = (
        db.session.execute(select(Penugasan).where(Penugasan.kegiatan_id == item.id).order_by(Penugasan.id))
        .scalars()
        .all()
    )
    for sheet in sheets:
        values = {}
        for k in ops.kompetensi_metode(item, sheet.metode_id):
            level = truth[sheet.peserta_id][k.id] + Decimal(rng.choice([-0.5, 0, 0, 0.5]))
            level = min(Decimal(5), max(Decimal(1), level))
            values[k.id] = (level, EVIDENCE[int(level)])
        ops.simpan_lembar(sheet.id, users[sheet.asesor_id], values, "", kirim=True)


def _meeting(item, rng, ketua: PenkomUser, participants, locked: int) -> None:
    aspects = db.session.execute(select(AspekPotensi).where(AspekPotensi.aktif.isnot(False))).scalars().all()
    for n, p in enumerate(participants):
        view = ops.integrasi(p.id, ketua)
        consensus = {}
        for row in view.baris:
            level = calc.rata_rata_level(row.levels) or Decimal(2)
            reason = "Bukti dari metode interaktif lebih kuat; rapat menyepakati level ini." if row.mencolok else ""
            consensus[row.kompetensi.id] = (level, reason)
        if n >= locked + 2:  # the last two: the meeting has not reached them yet
            continue
        ops.simpan_konsensus(p.id, ketua, consensus)
        ops.simpan_potensi(p.id, ketua, {a.id: rng.choice([2, 3, 3, 3, 4, 4, 5]) for a in aspects})
        if n < locked:
            ops.kunci_integrasi(p.id, ketua)


def load_demo_penilaian(password: str, result: DemoResult) -> None:
    """Both demo assessments; skipped when a demo event exists already."""
    if _user("khm.ketua") is not None:
        return
    rng = random.Random(2027)
    nips = NipFactory(rng, set(db.session.execute(select(Pegawai.nip)).scalars()))
    before = db.session.execute(select(func.count(Pegawai.id))).scalar_one()
    _kemenkumham(password, result, rng, nips)
    _tangerang(password, result, rng, nips)
    # The participants and assessors made here count among the demo's civil servants.
    result.pegawai += db.session.execute(select(func.count(Pegawai.id))).scalar_one() - before


def _kemenkumham(password: str, result: DemoResult, rng, nips) -> None:
    sop = db.session.execute(select(Sop).where(Sop.kode == KHM_SOP, Sop.berlaku.is_(True))).scalar()
    madya, muda = _user("khm.pejabat.fungsional.madya"), _user("khm.pejabat.fungsional.muda")
    admin, wahyu = _user("khm.asesor.admin"), _user("khm.asesor")
    if sop is None or None in (madya, muda, admin, wahyu):
        return
    units = {u.kode: u for u in db.session.execute(select(UnitKerja)).scalars()}
    centre, root = units["KHM-PUSPENKOM"], units["KHM-BPSDM"]
    for kode, nama in KANWIL:
        if kode not in units:
            units[kode] = UnitKerja(kode=kode, nama=nama, instansi_id=root.instansi_id)
            db.session.add(units[kode])
    db.session.flush()
    names = [
        "Ratna Wulandari",
        "Agus Setiawan",
        "Indah Permatasari",
        "Bayu Nugroho",
        "Sri Rahayu",
        "Heru Prasetyo",
        "Mega Lestari",
        "Fajar Hidayat",
        "Yuliana Siregar",
    ]
    asesor_jab = {j: jabatan_demo("Asesor SDM Aparatur", "fungsional", j, centre) for j in ("Ahli Muda", "Ahli Madya")}
    assessors = [wahyu.pegawai]
    for i, nama in enumerate(names):
        jenjang = "Ahli Madya" if i < 3 else "Ahli Muda"
        person = _person(
            rng,
            nips,
            nama,
            "S.Psi., M.Psi., Psikolog",
            centre,
            asesor_jab[jenjang],
            "IV/a" if i < 3 else "III/d",
            nama.split()[0] in {"Ratna", "Indah", "Sri", "Mega", "Yuliana"},
        )
        assessors.append(person)
    for person in assessors:
        _register(person, root.instansi_id, person.jabatan.jenjang if person.jabatan else "Ahli Pertama", rng)
    db.session.commit()
    users = {wahyu.pegawai_id: wahyu}
    users[assessors[1].id] = _login(result, "khm.ketua", password, "Asesor", "KHM-PUSPENKOM", assessors[1])
    for n, person in enumerate(assessors[2:], start=2):
        users[person.id] = _login(result, f"khm.asesor{n}", password, "Asesor", "KHM-PUSPENKOM", person)
    _login(result, "khm.pengawas", password, "Pengawas", "KHM-BPSDM", None)
    ketua = users[assessors[1].id]

    # The participants: officials of two regional offices (to be imported from Excel).
    rows = []
    for i in range(30):
        unit = units[KANWIL[i % 2][0]]
        nama_jab, jenis, jenjang = POSITIONS[i % len(POSITIONS)]
        jabatan = jabatan_demo(nama_jab, jenis, jenjang, unit)
        perempuan = rng.random() < 0.45
        first = rng.choice(
            ["Dewi", "Rina", "Siti", "Ayu", "Fitri"] if perempuan else ["Andi", "Budi", "Dedi", "Eko", "Hadi"]
        )
        last = rng.choice(["Kusuma", "Santoso", "Wibowo", "Harahap", "Nasution", "Pratama", "Yulianto", "Firmansyah"])
        golongan = "IV/a" if jenis == "administrator" else rng.choice(["III/c", "III/d"])
        person = _person(
            rng,
            nips,
            f"{first} {last}",
            rng.choice(["S.H.", "S.H., M.H.", "S.E.", "S.Sos."]),
            unit,
            jabatan,
            golongan,
            perempuan,
        )
        rows.append(
            [
                person.nip,
                person.nama,
                "",
                person.gelar_belakang,
                golongan,
                nama_jab,
                jenjang,
                "Kementerian Hukum dan Hak Asasi Manusia",
                unit.nama,
                1,
                rng.choice(["Sangat Baik", "Baik", "Baik", "Baik", "Butuh Perbaikan"]),
            ]
        )
    db.session.commit()

    # Steps 1-2: the JF Madya assigns, the JF Muda prepares matrix, schedule, team and assignment.
    day = ops.hari_ini() - dt.timedelta(days=14)  # the assessment days are two weeks past
    kasus = engine.start_case(
        sop.id,
        "Pemetaan Kompetensi Pejabat Administrator dan Pengawas Kanwil 2026",
        madya,
        tanggal_kegiatan=day,
    )
    item = ops.kegiatan_kasus(kasus.id, madya)
    ops.ubah_kegiatan(
        item.id,
        muda,
        tempat="Pusat Penilaian Kompetensi BPSDM, Depok",
        tanggal_mulai=day,
        tanggal_selesai=day,
    )
    kasus = _move(kasus, madya)
    ops.ubah_gelombang(item.gelombang[0].id, muda, day, day, "Pusat Penilaian Kompetensi BPSDM, Depok")
    _matrix(item, muda, METHODS)
    _sessions(item, muda, day, METHODS)
    ops.tambah_anggota(item.id, muda, assessors[1].id, PeranTim.KETUA.value)
    for person in [assessors[0], *assessors[2:]]:
        ops.tambah_anggota(item.id, muda, person.id, PeranTim.ASESOR.value)
    ops.tambah_anggota(item.id, muda, admin.pegawai_id, PeranTim.ASESOR_ADMIN.value)
    support = _user("khm.tenaga.pendukung")
    if support is not None and support.pegawai_id:
        ops.tambah_anggota(item.id, muda, support.pegawai_id, PeranTim.TENAGA_PENDUKUNG.value)
    impor.impor_peserta(item.id, admin, _xlsx(rows))
    ops.atur_otomatis(item.id, muda)
    kasus = _move(kasus, muda)  # 2 → 3 (the plan is warning-free)
    for person in (muda, admin, wahyu):  # the preparation meeting: every actor takes part
        engine.respond(kasus.id, person, "bagian", "Hadir dalam rapat persiapan.")
    kasus = _move(kasus, madya)  # 3 → 4: the event starts, standards copied
    kasus = _move(kasus, wahyu)  # 4 → 5 (pra ukom done)
    participants = ops.peserta_terlihat(item, muda)
    for session in item.gelombang[0].sesi:
        ops.catat_kehadiran(session.id, admin, [p.id for p in participants])
    for p in participants:
        ops.atur_intake(p.id, admin, True, True, True)
    kasus = _move(kasus, admin)  # 5 → 6 (intake complete)
    kasus = _move(kasus, admin)  # 6 → 7 (every assessor has their participants)

    # Step 7: scoring and the assessor meeting, finished for most participants.
    truth = {}
    standards = ops.standar_kegiatan(item, {ops.jabatan_acuan(p, item) for p in participants})
    for p in participants:
        jid = ops.jabatan_acuan(p, item)
        truth[p.id] = {
            k.kompetensi_id: Decimal(str(standards[(jid, k.kompetensi_id)]))
            + Decimal(rng.choice([-1, -0.5, -0.5, 0, 0, 0, 0.5, 1]))
            for k in item.kompetensi
        }
        truth[p.id] = {k: min(Decimal(5), max(Decimal(1), v)) for k, v in truth[p.id].items()}
    _score_all(item, rng, truth, users)
    _meeting(item, rng, ketua, participants, LOCKED)


def _tangerang(password: str, result: DemoResult, rng, nips) -> None:
    sop = db.session.execute(select(Sop).where(Sop.kode == TNG_SOP, Sop.berlaku.is_(True))).scalar()
    pemohon, staf, ka_upt, yusuf = (
        _user("tng.pemohon"),
        _user("tng.staf.admin"),
        _user("tng.kepala.subbagian"),  # Ka. TU UPT sets the schedule (step 3)
        _user("tng.asesor"),
    )
    if sop is None or None in (pemohon, staf, ka_upt, yusuf) or yusuf.pegawai is None:
        return
    upt = db.session.execute(select(UnitKerja).where(UnitKerja.kode == "TNG-UPT-PKA")).scalar_one()
    jab = jabatan_demo("Asesor SDM Aparatur", "fungsional", "Ahli Madya", upt)
    second = _person(rng, nips, "Lestari Handayani", "S.Psi., M.Psi., Psikolog", upt, jab, "IV/a", True)
    for person in (yusuf.pegawai, second):
        _register(person, upt.instansi_id, person.jabatan.jenjang if person.jabatan else "Ahli Muda", rng)
    db.session.commit()
    other = _login(result, "tng.asesor2", password, "Asesor", "TNG-UPT-PKA", second)

    kasus = engine.start_case(sop.id, "Permohonan mutasi masuk a.n. Agus Setiabudi, S.E. (Pemkab Tegal)", pemohon)
    # The applicant's application and file (app/mutasi), the staff's verification: accepted.
    from app.demo import mutasi as mutasi_demo
    from app.mutasi import operations as mutasi_ops

    mutasi_demo.siapkan_langkah(kasus, pemohon, "lanjut")
    kasus = _move(db.session.get(Kasus, kasus.id), pemohon)  # 1 → 2
    mutasi_demo.siapkan_langkah(kasus, staf, "ya")
    kasus = _move(db.session.get(Kasus, kasus.id), staf, "ya")  # 2 → 3: the event, with the applicant
    item = ops.kegiatan_kasus(kasus.id, ka_upt)
    target = jabatan_demo("Analis Sumber Daya Manusia Aparatur", "fungsional", "Ahli Muda", upt)
    day = ops.hari_ini() + dt.timedelta(days=9)  # the assessment is scheduled
    ops.ubah_kegiatan(
        item.id,
        ka_upt,
        jabatan_target_id=target.id,
        tempat="UPT Penilaian Kompetensi Aparatur",
        tanggal_mulai=day,
        tanggal_selesai=day,
    )
    ops.ubah_gelombang(item.gelombang[0].id, ka_upt, day, day, "UPT Penilaian Kompetensi Aparatur")
    ops.tambah_anggota(item.id, ka_upt, yusuf.pegawai_id, PeranTim.KETUA.value)
    ops.tambah_anggota(item.id, ka_upt, second.id, PeranTim.ASESOR.value)
    ops.tambah_anggota(item.id, ka_upt, staf.pegawai_id, PeranTim.ASESOR_ADMIN.value)
    kasus = _move(kasus, ka_upt)  # 3 → 4 (the wave has its date)
    nip = mutasi_ops.permohonan_kasus(kasus.id).nip
    applicant = next(p for p in ops.peserta_terlihat(item, staf) if p.nip == nip)  # from the application
    ops.ubah_peserta(applicant.id, staf, predikat_kinerja="Baik")
    ops.atur_intake(applicant.id, staf, True, True, True)
    kasus = _move(kasus, staf)  # 4 → 5
    _matrix(item, yusuf, TNG_METHODS)
    _sessions(item, yusuf, day, TNG_METHODS)
    ops.atur_otomatis(item.id, yusuf)
    kasus = _move(kasus, yusuf)  # 5 → 6: the event starts
    truth = {applicant.id: {k.kompetensi_id: Decimal(2) + Decimal(rng.choice([0, 0, 0.5])) for k in item.kompetensi}}
    from app.models import Penugasan

    sheets = (
        db.session.execute(select(Penugasan).where(Penugasan.kegiatan_id == item.id).order_by(Penugasan.id))
        .scalars()
        .all()
    )
    users = {yusuf.pegawai_id: yusuf, second.id: other}
    for sheet in sheets[:-1]:  # the last sheet is still being written
        values = {
            k.id: (truth[applicant.id][k.id], EVIDENCE[int(truth[applicant.id][k.id])])
            for k in ops.kompetensi_metode(item, sheet.metode_id)
        }
        ops.simpan_lembar(sheet.id, users[sheet.asesor_id], values, kirim=True)


# -- the assessment steps of the demo work (app/demo/kasus.py) -------------------------------------------

GUARDS = {
    "penilaian_jadwal",
    "penilaian_intake",
    "penilaian_rancangan",
    "penilaian_distribusi",
    "penilaian_nilai",
    "penilaian_hasil",
}
APPLICANT = re.compile(r"a\.n\. (?P<nama>[^,]+), (?P<gelar>.+?) dari (?P<instansi>.+)$")
WAVE = re.compile(r"\((?P<n>\d+) peserta\)")
KANWIL_NAMES = [
    "Ahmad Fauzi",
    "Lina Marlina",
    "Joko Susilo",
    "Nur Aini",
    "Hendra Wijaya",
    "Ratih Puspita",
    "Yoga Pratama",
    "Sari Dewi",
    "Eko Saputra",
    "Maya Anggraini",
]


def _users_of(pegawai_ids) -> dict[int, PenkomUser]:
    rows = db.session.execute(select(PenkomUser).where(PenkomUser.pegawai_id.in_(list(pegawai_ids)))).scalars()
    return {u.pegawai_id: u for u in rows}


def _staf(item: KegiatanPenilaian, actor: PenkomUser) -> PenkomUser:
    """Someone who runs the event: the actor when staff of its unit, else the first such official."""
    if ops.staf_kegiatan(item, actor):
        return actor
    users = db.session.execute(select(PenkomUser).where(PenkomUser.active.is_(True)).order_by(PenkomUser.id))
    return next(u for u in users.scalars() if not u.username.startswith("demo.") and ops.staf_kegiatan(item, u))


def _peserta_kerja(item: KegiatanPenilaian, staff: PenkomUser, kasus: Kasus, rng) -> None:
    if ops.peserta_terlihat(item, staff):
        return
    nips = NipFactory(rng, set(db.session.execute(select(Pegawai.nip)).scalars()))
    applicant = APPLICANT.search(kasus.judul)
    if applicant:
        target = jabatan_demo("Analis Sumber Daya Manusia Aparatur", "fungsional", "Ahli Muda", item.unit_kerja)
        if item.jabatan_target_id is None and item.status == "rancangan":
            ops.ubah_kegiatan(item.id, staff, jabatan_target_id=target.id)
        people = [(applicant["nama"].strip(), applicant["gelar"].strip(), applicant["instansi"].strip(), target)]
    else:
        wave = WAVE.search(kasus.judul)
        position = jabatan_demo("Kepala Subbidang Pelayanan Hukum", "pengawas", "", item.unit_kerja)
        people = [
            (
                f"{KANWIL_NAMES[i % len(KANWIL_NAMES)]} {chr(65 + i // len(KANWIL_NAMES))}.",
                "S.H.",
                item.unit_kerja.instansi.nama,
                position,
            )
            for i in range(int(wave["n"]) if wave else 1)
        ]
    ctx = ops.konteks_peserta(item, staff)
    ready = []
    for nama, gelar, instansi, jabatan in people:
        checked = ops.periksa_peserta(
            ctx,
            ops.DataPeserta(
                nip=nips.make(rng.random() < 0.4),
                nama=nama,
                gelar_belakang=gelar,
                golongan="III/c",
                instansi=instansi,
                jabatan_id=jabatan.id,
                predikat_kinerja="Baik",
            ),
        )
        if isinstance(checked, list):
            raise RuntimeError(f"demo participant {nama}: {checked}")
        ready.append(checked)
    ops.tambah_peserta_banyak(item, ready, staff, f"{len(ready)} peserta (demo)")


def _rancang(item: KegiatanPenilaian, staff: PenkomUser, actor: PenkomUser, day: dt.date) -> None:
    """Team, matrix, sessions and the automatic assignment, as the event's staff prepares them."""
    if not any(m.peran in ("ketua", "asesor") for m in item.tim):
        registered = (
            db.session.execute(
                select(RegisterAsesor.pegawai_id)
                .where(RegisterAsesor.instansi_id == item.unit_kerja.instansi_id, RegisterAsesor.aktif.isnot(False))
                .order_by(RegisterAsesor.id)
            )
            .scalars()
            .all()
        )
        with_login = [pid for pid in registered if pid in _users_of(registered)]
        ketua = actor.pegawai_id if actor.pegawai_id in with_login else with_login[0]
        ops.tambah_anggota(item.id, staff, ketua, PeranTim.KETUA.value)
        for pid in with_login:
            if pid != ketua:
                ops.tambah_anggota(item.id, staff, pid, PeranTim.ASESOR.value)
        admin = (
            db.session.execute(
                select(PenkomUser)
                .where(PenkomUser.unit_kerja_id == item.unit_kerja_id, PenkomUser.pegawai_id.isnot(None))
                .order_by(PenkomUser.id)
            )
            .scalars()
            .all()
        )
        admin = next((u for u in admin if {r.name for r in u.roles} & {"Asesor Admin", "Staf Admin"}), None)
        if admin is not None and admin.pegawai_id not in {m.pegawai_id for m in item.tim}:
            ops.tambah_anggota(item.id, staff, admin.pegawai_id, PeranTim.ASESOR_ADMIN.value)
    if not item.metode:
        one = len(ops.peserta_terlihat(item, staff)) <= 3
        _matrix(item, staff, TNG_METHODS if one else METHODS)
    if not any(g.sesi for g in item.gelombang):
        _sessions(item, staff, item.gelombang[0].tanggal_mulai or day, [m.metode.kode for m in item.metode])
    if ops.rules.periksa(ops.rancangan(item)):
        ops.atur_otomatis(item.id, staff)


def siapkan_langkah(kasus: Kasus, actor: PenkomUser) -> None:
    """Demo work: give the case's current step what its assessment guards wait for (nothing for other steps)."""
    guards = {hooks.split(spec)[0] for spec in kasus.langkah.hook_names("guards")} & GUARDS
    item = db.session.execute(select(KegiatanPenilaian).where(KegiatanPenilaian.kasus_id == kasus.id)).scalar()
    if not guards or item is None:
        return
    rng = random.Random(kasus.id)
    staff = _staf(item, actor)
    day = kasus.dibuat_at.date() + dt.timedelta(days=7)
    for wave in item.gelombang:
        if wave.tanggal_mulai is None:
            ops.ubah_gelombang(wave.id, staff, day, day, item.tempat or "")
    if guards - {"penilaian_jadwal"}:
        _peserta_kerja(item, staff, kasus, rng)
    if guards & {"penilaian_intake", "penilaian_nilai", "penilaian_hasil"}:
        for person in ops.peserta_terlihat(item, staff):
            if not person.intake_lengkap:
                ops.atur_intake(person.id, staff, True, True, True)
    if guards & {"penilaian_rancangan", "penilaian_distribusi"} and item.status == "rancangan":
        _rancang(item, staff, actor, day)
    if guards & {"penilaian_nilai", "penilaian_hasil"}:
        sheets = db.session.execute(select(Penugasan).where(Penugasan.kegiatan_id == item.id)).scalars().all()
        users = _users_of({t.asesor_id for t in sheets})
        for sheet in sheets:
            if not sheet.terkunci:
                values = {
                    k.id: (Decimal(rng.choice([2, 2.5, 3])), EVIDENCE[2])
                    for k in ops.kompetensi_metode(item, sheet.metode_id)
                }
                ops.simpan_lembar(sheet.id, users[sheet.asesor_id], values, kirim=True)
    if "penilaian_hasil" in guards:
        chair = next(m.pegawai_id for m in item.tim if m.peran == PeranTim.KETUA)
        people = [p for p in ops.peserta_terlihat(item, staff) if not p.terkunci]
        _meeting(item, rng, _users_of([chair])[chair], people, len(people))
