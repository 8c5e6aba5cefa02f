"""Trust (issue 8): the route × role matrix. Every rule of the URL map (HTML views, related views,
actions, downloads, API, PDFs) is requested anonymously, as one user of every distinct role of
agency A, as an outside applicant and as a clerk of agency B, with real ids of rows of A, of B,
of the applicant's own records and of national reference data. The expected answer comes from the
permissions in the database and from the scope module; nothing here lists URLs, so a view added
tomorrow is judged by the same rules. See tests/route_matrix.py for how each answer is judged.

When a rule fails, the message names each request (method, URL, actor, kind of row) and what was
wrong with its answer. When the matrix cannot judge a rule it says what to add here: a filler for a
new kind of URL argument (`fillers`), the model a custom endpoint's <pk> names (`PK_MODEL`), rows of
a new model in both agencies (`plant_agency`), or a public page with its reason (`PUBLIC`)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask_appbuilder import Model, ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.sqla.models import Group
from sqlalchemy import select

from app import create_app, scope
from app.documents import naskah as svc
from app.extensions import db
from app.models import (
    Gelombang,
    HariLibur,
    Instansi,
    Jabatan,
    JenisDokumen,
    Kasus,
    KegiatanPenilaian,
    Langkah,
    Pangkat,
    Pegawai,
    Pelaksana,
    PenkomUser,
    PermintaanKerjasama,
    Peserta,
    PolaNomor,
    Sop,
    TemplateNaskah,
    UmpanBalik,
    UnitKerja,
)
from app.models.security import utcnow
from app.mutasi import operations as mutasi
from app.roles import sync_roles
from app.workflow import engine, revisions
from app.workflow.monitoring import save_evaluations
from tests.conftest import _APPS, PASSWORD, IsolatedClient, database_url, login, make_app, make_nip
from tests.route_matrix import (
    ALFA,
    BRAVO,
    MARKERS,
    P1,
    P2,
    STAF,
    Actor,
    Matrix,
    Public,
    Rows,
    api_token,
    fillers,
    role_groups,
    rule_key,
    targets,
)

# Rules anyone may request, each with the reason. Everything else must answer "log in" to an
# anonymous visitor, 403 to a user without the permission and 404 for a row out of scope.
PUBLIC: dict[str, Public] = {
    "static": Public(frozenset({200}), "the app's own CSS and fonts; no data"),
    "appbuilder.static": Public(frozenset({200}), "Flask-AppBuilder's CSS, JavaScript and images; no data"),
    "AuthDBView.login": Public(frozenset({200, 302}), "the login form (a logged-in user is sent on to the start page)"),
    "AuthDBView.logout": Public(frozenset({302}), "ends the session (the matrix logs the actor in again)"),
    "LocaleView.index": Public(frozenset({302}), "switches the interface language and goes back"),
    "IndexView.index": Public(frozenset({200}), "the start page; it shows only the menu entries the user may use"),
    "BerandaView.index": Public(
        frozenset({200, 302}),
        "the home page: anonymous users go to the login form; its sections list only what the user may see",
    ),
    "UtilView.back": Public(frozenset({302}), "Flask-AppBuilder's 'back' link, a redirect to the previous page"),
    "VerifikasiView.halaman": Public(
        frozenset({200, 404}),
        "the QR code of a signed letter: whoever holds the unguessable code sees what the letter itself "
        "prints (any agency's); an unknown code answers 404",
        shows_documents=True,
    ),
    "SecurityApi.login": Public(frozenset({400, 401}), "the API login; a token only for a valid password"),
    "SecurityApi.refresh": Public(frozenset({401}), "needs the refresh token the API login gave"),
}


SEED_SOP = "tangerang-seleksi-mutasi-masuk"  # its first step belongs to the applicant (Pemohon)
OUTSIDE_ROLE = "Pemohon"


def _rules_of_a_fresh_app() -> list:
    """The URL map, read at collection time from an app on an in-memory database."""
    light = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "SERVER_NAME": "localhost"})
    return targets(light, PUBLIC)


TARGETS = _rules_of_a_fresh_app()


# -- the dataset -------------------------------------------------------------------------------------


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def add_user(sm, username, roles, unit, last_name, pegawai=None):
    user = sm.add_user(username=username, first_name=username.split("_", 1)[-1].title(), last_name=last_name,
                       email=f"{username}@example.test", role=[sm.find_role(r) for r in roles],
                       password=PASSWORD)  # fmt: skip
    assert user, f"could not create {username}"
    user.unit_kerja = unit
    user.pegawai = pegawai
    db.session.commit()
    return user


def copy_sop(seed: Sop, unit: UnitKerja, marker: str) -> Sop:
    """The seed SOP as this agency's own (actors and steps carry the agency's marker)."""
    sop = Sop(revisi=0, berlaku=True, **{f: getattr(seed, f) for f in revisions.SOP_FIELDS})
    sop.kode, sop.nama = f"matriks-{slug(marker)}", f"{seed.nama} {marker}"
    sop.instansi_id, sop.unit_kerja_id = unit.instansi_id, unit.id
    actors = {}
    for actor in seed.pelaksana:
        actors[actor.id] = Pelaksana(**{f: getattr(actor, f) for f in revisions.PELAKSANA_FIELDS})
        actors[actor.id].nama = f"{actor.nama} {marker}"
        sop.pelaksana.append(actors[actor.id])
    for step in seed.langkah:
        clone = Langkah(**{f: getattr(step, f) for f in revisions.LANGKAH_FIELDS})
        clone.kegiatan = f"{step.kegiatan} {marker}"
        clone.pelaksana = actors[step.pelaksana_id]
        clone.pelaksana_lain = [actors[a.id] for a in step.pelaksana_lain]
        sop.langkah.append(clone)
    db.session.add(sop)
    db.session.commit()
    return sop


def signed_letter(template, drafter, signer, unit, kasus, perihal) -> svc.NaskahDinas:
    """A letter drafted by staff and signed by the head of the agency (numbered, PDF stored)."""
    naskah = svc.create_draft(template, drafter, unit, kasus)
    svc.update(naskah, drafter, {"perihal": perihal, "kepada": "Yth. Pemohon\ndi Tempat",
                                 "penandatangan_id": signer.pegawai_id})  # fmt: skip
    db.session.commit()
    svc.sign(naskah, signer)
    db.session.commit()
    return naskah


def plant_agency(sm, seed: Sop, kode: str, marker: str, staff: str, applicants: list[str]) -> dict:
    """One agency: unit tree, positions, days off, numbering, civil servants, the seed SOP, users,
    cases (running, finished, overdue) with files, assignments and history, letters and a draft."""
    kop = f"PEMERINTAH KOTA {marker.upper()}\nBADAN KEPEGAWAIAN"
    instansi = Instansi(kode=f"MTX{kode}", nama=f"Pemerintah Kota {marker}", kota=f"Kota {marker}", kop=kop,
                        kode_surat=f"BKP{kode}")  # fmt: skip
    root = UnitKerja(kode=f"MTX-{kode}", nama=f"Badan Kepegawaian {marker}", instansi=instansi)
    child = UnitKerja(kode=f"MTX-{kode}-UPT", nama=f"UPT Penilaian {staff}", instansi=instansi, induk=root)
    rank = {p.golongan: p for p in db.session.execute(select(Pangkat)).scalars()}
    head_position = Jabatan(nama=f"Kepala Badan {marker}", jenis="jpt_pratama", instansi=instansi)
    staff_position = Jabatan(nama=f"Analis Kepegawaian {staff}", jenis="pelaksana", instansi=instansi)
    head = Pegawai(nip=make_nip(), nama=f"Kepala {marker}", jabatan=head_position, pangkat=rank["IV/c"],
                   unit_kerja=root)  # fmt: skip
    analyst = Pegawai(nip=make_nip(), nama=f"Analis {staff}", jabatan=staff_position, pangkat=rank["III/b"],
                      unit_kerja=child)  # fmt: skip
    db.session.add_all([
        instansi, root, child, head_position, staff_position, head, analyst,
        PolaNomor(instansi=instansi, jenis="", pola="{kode_klasifikasi}/{nomor}/{kode_unit}/{tahun}", lebar_nomor=4),
        HariLibur(tanggal=dt.date(2026, 12, 24), keterangan=f"Cuti bersama {staff}", instansi=instansi),
        JenisDokumen(instansi=instansi, kode="surat_permohonan", nama=f"Surat permohonan {marker}", syarat_mutasi=True),
    ])  # fmt: skip
    # The agency's own report wording (the national default comes from `flask penkom init`).
    from app.laporan import template as report_template

    own_report = report_template.bawaan()
    own_report.instansi, own_report.judul = instansi, f"LAPORAN INDIVIDU {marker.upper()}"
    db.session.add(own_report)
    db.session.commit()
    sop = copy_sop(seed, root, marker)
    prefix = slug(marker)
    people = {
        name: add_user(sm, f"{prefix}_{slug(name)}", [OUTSIDE_ROLE], root, name) for name in applicants
    }  # fmt: skip
    clerk = add_user(sm, f"{prefix}_staf_admin", ["Staf Admin"], root, marker)
    signer = add_user(sm, f"{prefix}_kepala_badan", ["Kepala Badan"], root, marker, pegawai=head)
    first, *others = applicants
    last = others[-1] if others else first

    def apply(kasus, name: str, second: str = "") -> None:
        """The applicant's transfer application (app/mutasi), named after them."""
        item = mutasi.permohonan_kasus(kasus.id)
        mutasi.ubah(item.id, people[name], mutasi.DataPermohonan(
            nip=make_nip(), nama=f"Pemohon {name}{second}", pangkat_id=rank["III/b"].id,
            instansi_asal=f"Instansi asal {name}", jabatan_asal=f"Jabatan asal {name}", formasi=f"Formasi {marker}",
            alasan=f"Alasan pindah {name}"))  # fmt: skip

    running = engine.start_case(sop.id, f"Permohonan mutasi {first} ke {marker}", people[first])
    apply(running, first)
    engine.attach(running.id, people[first], "surat_permohonan", f"surat-{slug(first)}.pdf", "application/pdf",
                  b"%PDF-1.4 " + first.encode())  # fmt: skip
    engine.perform(running.id, "lanjut", people[first], f"Berkas dikirim {first}")
    finished = engine.start_case(sop.id, f"Permohonan mutasi {last} ke {marker}", people[last])
    apply(finished, last)
    engine.attach(finished.id, people[last], "surat_permohonan", f"surat-{slug(last)}.pdf", "application/pdf",
                  b"%PDF-1.4 " + last.encode())  # fmt: skip
    engine.perform(finished.id, "lanjut", people[last])
    engine.perform(finished.id, "tidak", clerk, f"Berkas tidak lengkap {last}")
    late = engine.start_case(sop.id, f"Permohonan mutasi kedua {last} ke {marker}", people[last])
    apply(late, last, " (kedua)")
    engine.attach(late.id, people[last], "surat_permohonan", f"surat-2-{slug(last)}.pdf", "application/pdf",
                  b"%PDF-1.4 " + last.encode())  # fmt: skip
    engine.perform(late.id, "lanjut", people[last])
    engine.assign(late.id, clerk, analyst.id, f"Verifikator {staff}")
    application = mutasi.permohonan_kasus(late.id)
    mutasi.verifikasi(application.id, clerk, {row.id: ("sesuai", f"Sesuai {last}") for row in application.items},
                      staff_position.id)  # fmt: skip
    engine.perform(late.id, "ya", clerk, f"Lengkap {last}")
    db.session.get(Kasus, late.id).due_at = utcnow() - dt.timedelta(days=30)  # long overdue
    # A cooperation request kept with a case (the staff's and that applicant's, never the other applicant's).
    db.session.add(PermintaanKerjasama(
        kasus_id=late.id, nomor_surat=f"800/{kode}/2026", perihal=f"Permintaan {staff}", tempat=f"Aula {staff}",
        instansi_peminta=f"Instansi peminta {last}", tanggal_mulai=dt.date(2026, 12, 14),
        tanggal_selesai=dt.date(2026, 12, 15),
    ))  # fmt: skip
    db.session.commit()

    template = db.session.execute(select(TemplateNaskah).where(TemplateNaskah.kode == "surat_jawaban")).scalar_one()
    signed_letter(template, clerk, signer, root, running, f"Jawaban permohonan {first}")
    if last != first:
        signed_letter(template, clerk, signer, root, finished, f"Jawaban permohonan {last}")
    draft = svc.create_draft(template, clerk, root)
    svc.update(draft, clerk, {"perihal": f"Konsep surat {staff}"})
    svc.add_reviewer(draft, clerk, analyst.id)
    db.session.commit()
    save_evaluations(sop, "2026-S2", {1: ("baik", f"Catatan evaluasi {staff}", f"Tindak lanjut {staff}")})
    plant_assessment(sm, root, child, marker, staff, rank)
    plant_jpt(root, staff)
    plant_feedback(root, child, staff)
    plant_reports(root, analyst, staff)
    # An assessment plan of the agency (Polhukam seed 3's record), with its criteria set.
    from app.rencana import operations as plans

    plan = plans.buat_rencana(signer, f"Rencana assessment {staff}", unit_kerja_id=root.id)
    plans.atur_kriteria(plan.id, signer, plans.Kriteria(), dt.date(2026, 7, 1), sasaran=f"Pegawai {staff}")
    return {"root": root.id, "people": {k: v.id for k, v in people.items()}}


def plant_assessment(sm, root, child, marker, staff, rank) -> None:
    """An assessment event of the agency, made with the real operations: registered assessors, a standard,
    two participants scored by both assessors, one consensus locked, attendance taken."""
    from decimal import Decimal

    from app.models import AspekPotensi, Kompetensi, Metode, Penugasan, RegisterAsesor, StandarKompetensi
    from app.models.penilaian import PeranTim
    from app.penilaian import operations as ops

    prefix = slug(marker)
    assessor_position = Jabatan(nama=f"Asesor SDM Aparatur {staff}", jenis="fungsional", jenjang="Ahli Muda",
                                instansi_id=root.instansi_id)  # fmt: skip
    target = Jabatan(nama=f"Kepala Subbidang {staff}", jenis="pengawas", instansi_id=root.instansi_id)
    db.session.add_all([assessor_position, target])
    db.session.flush()
    assessors = []
    for i in range(2):
        person = Pegawai(nip=make_nip(), nama=f"Asesor {i + 1} {staff}", jabatan=assessor_position,
                         pangkat=rank["III/d"], unit_kerja=root)  # fmt: skip
        register = RegisterAsesor(instansi_id=root.instansi_id, pegawai=person, jenis="asesor_sdma",
                                  jenjang="Ahli Muda", nomor_sertifikat=f"ASR-{staff}", aktif=True)  # fmt: skip
        db.session.add_all([person, register])
        db.session.flush()
        assessors.append(add_user(sm, f"{prefix}_tim_asesor_{i + 1}", ["Asesor"], root, marker, pegawai=person))
    admin_person = Pegawai(nip=make_nip(), nama=f"Admin Asesor {staff}", pangkat=rank["III/b"], unit_kerja=root)
    muda_person = Pegawai(nip=make_nip(), nama=f"JF Muda {staff}", pangkat=rank["III/c"], unit_kerja=root)
    db.session.add_all([admin_person, muda_person])
    db.session.flush()
    admin = add_user(sm, f"{prefix}_tim_admin", ["Asesor Admin"], root, marker, pegawai=admin_person)
    muda = add_user(sm, f"{prefix}_tim_jf_muda", ["Pejabat Fungsional Muda"], root, marker, pegawai=muda_person)
    first = db.session.execute(
        select(Kompetensi).where(Kompetensi.instansi_id.is_(None)).order_by(Kompetensi.id)
    ).scalar()
    db.session.add(StandarKompetensi(jabatan_id=target.id, kompetensi_id=first.id, level=2))
    db.session.commit()

    item = ops.buat_kegiatan(muda, f"Penilaian {staff}", "pemetaan", unit_kerja_id=root.id)
    codes = ["analisis_kasus", "role_play", "cbi"]
    methods = {m.kode: m for m in db.session.execute(select(Metode).where(Metode.kode.in_(codes))).scalars()}
    ops.atur_matriks(item.id, muda, [k.kompetensi_id for k in item.kompetensi],
                     {m.id: [k.id for k in m.kompetensi] for m in methods.values()})  # fmt: skip
    day = dt.date(2026, 12, 7)
    ops.ubah_gelombang(item.gelombang[0].id, muda, day, day, f"Ruang {staff}")
    for i, code in enumerate(codes):
        begin = dt.datetime.combine(day, dt.time(1 + 2 * i, 0))
        ops.tambah_sesi(item.gelombang[0].id, muda, methods[code].id, begin, begin + dt.timedelta(hours=1))
    for i, user in enumerate(assessors):
        ops.tambah_anggota(item.id, muda, user.pegawai_id, PeranTim.KETUA.value if i == 0 else PeranTim.ASESOR.value)
    ops.tambah_anggota(item.id, muda, admin.pegawai_id, PeranTim.ASESOR_ADMIN.value)
    people = []
    for i in range(2):
        data = ops.DataPeserta(nip=make_nip(), nama=f"Peserta {i + 1} {staff}", golongan="III/d", jabatan_id=target.id,
                               instansi=f"Pemerintah Kota {marker}", predikat_kinerja="Baik")  # fmt: skip
        people.append(ops.tambah_peserta(item.id, admin, data))
    ops.atur_otomatis(item.id, muda)
    for person in people:
        ops.atur_intake(person.id, admin, True, True, True)
    ops.unggah_berkas(people[0].id, admin, "drh", f"drh-{prefix}.pdf", "application/pdf", b"%PDF-1.4 " + staff.encode())
    ops.mulai_kegiatan(item.id, muda)
    ops.catat_kehadiran(item.gelombang[0].sesi[0].id, admin, [p.id for p in people])
    users = {u.pegawai_id: u for u in assessors}
    sheets = db.session.execute(select(Penugasan).where(Penugasan.kegiatan_id == item.id)).scalars().all()
    for sheet in sheets:
        values = {k.id: (Decimal(2), f"Bukti perilaku {staff}") for k in ops.kompetensi_metode(item, sheet.metode_id)}
        ops.simpan_lembar(sheet.id, users[sheet.asesor_id], values, kirim=True)
    aspects = db.session.execute(select(AspekPotensi.id).where(AspekPotensi.aktif.isnot(False))).scalars().all()
    ketua = assessors[0]
    ops.simpan_konsensus(people[0].id, ketua, {k.kompetensi_id: (Decimal(2), f"Disepakati {staff}")
                                                for k in item.kompetensi})  # fmt: skip
    ops.simpan_potensi(people[0].id, ketua, dict.fromkeys(aspects, 3))
    ops.kunci_integrasi(people[0].id, ketua)


def plant_feedback(root: UnitKerja, child: UnitKerja, staff: str) -> None:
    """An assessment event of the agency with a participant who requested feedback (staff-only rows)."""
    event = KegiatanPenilaian(nama=f"Penilaian kompetensi {staff}", unit_kerja=root)
    wave = Gelombang(nomor=1, kegiatan=event)
    person = Peserta(kegiatan=event, gelombang=wave, nomor=1, nip=make_nip(), nama=f"Peserta umpan balik {staff}",
                     unit_kerja=child, unit_nama=child.nama)  # fmt: skip
    # A later participant without a request: the matrix removes the newest one (PesertaView.hapus).
    last = Peserta(kegiatan=event, gelombang=wave, nomor=2, nip=make_nip(), nama=f"Peserta {staff}",
                   unit_kerja=child, unit_nama=child.nama)  # fmt: skip
    db.session.add_all([event, wave, person])
    db.session.flush()
    db.session.add(last)
    db.session.add(UmpanBalik(kegiatan=event, peserta=person, tanggal_permintaan=dt.date(2026, 11, 20),
                              permintaan=f"Permintaan umpan balik {staff}"))  # fmt: skip
    db.session.commit()


def plant_reports(root: UnitKerja, asesor: Pegawai, staff: str) -> None:
    """An assessment event of the agency with a participant whose result is locked, their individual report
    and a finished report batch (merged PDF and ZIP)."""
    import io
    import zipfile

    from app.models import Gelombang, Hasil, KegiatanPenilaian, Peserta
    from app.models.impor import JobImpor
    from app.models.laporan import ItemLaporan, JobLaporan, LaporanIndividu

    item = KegiatanPenilaian(nama=f"Penilaian kompetensi {staff}", tujuan="pemetaan", status="berlangsung",
                             unit_kerja=root)  # fmt: skip
    wave = Gelombang(kegiatan=item, nomor=1)
    person = Peserta(kegiatan=item, gelombang=wave, nomor=1, nip=make_nip(), nama=f"Peserta {staff}")
    db.session.add_all([item, wave, person])
    db.session.flush()
    rincian = [{"kompetensi_id": None, "kode": "M.1", "nama": "Integritas", "standar": 3.0, "konsensus": 3.0,
                "selisih": 0.0}]  # fmt: skip
    db.session.add(Hasil(peserta=person, kegiatan=item, tujuan="pemetaan", rumus="jumlah", jpm=100,
                         kategori="optimal", rincian=rincian, tanggal=dt.date(2026, 12, 7),
                         berlaku_sampai=dt.date(2029, 12, 7)))  # fmt: skip
    db.session.add(LaporanIndividu(peserta=person, kegiatan=item, asesor=asesor, kekuatan=f"Kekuatan {staff}"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"001-{person.nip}.pdf", b"%PDF-1.4")
    job = JobLaporan(kegiatan=item, gelombang=wave, status="selesai", total=1, hasil_pdf=b"%PDF-1.4",
                     hasil_zip=archive.getvalue())  # fmt: skip
    job.item = [ItemLaporan(peserta=person, status="selesai", ditulis=1, pdf=b"%PDF-1.4")]
    db.session.add(job)
    # A participant import of the event that the job queue finished (its progress is staff-only).
    db.session.add(JobImpor(kegiatan=item, status="selesai", nama_berkas=f"peserta {staff}.xlsx", total=1,
                            diperiksa=1, jumlah=1))  # fmt: skip
    db.session.commit()


def plant_jpt(root: UnitKerja, staff: str) -> None:
    """A JPT selection of the agency with a post, its panel and a compiled candidate (staff-only rows)."""
    from app.jpt import operations as jpt
    from app.models import FormasiJpt, PanselJpt

    item = jpt.buat_seleksi(None, f"Seleksi JPT {staff}", root.id, 2026)
    post = FormasiJpt(nama=f"Direktur {staff}")
    item.formasi.append(post)
    item.pansel.extend([PanselJpt(nama=f"Ketua Pansel {staff}", peran="ketua"),
                        PanselJpt(nama=f"Sekretaris Pansel {staff}", peran="sekretaris")])  # fmt: skip
    db.session.flush()
    row = jpt.tambah_kandidat(item, make_nip(), f"Kandidat {staff}", post.id, f"Instansi {staff}")
    jpt.isi_nilai(row, dict.fromkeys(("administrasi", "assessment", "makalah", "wawancara", "rekam_jejak",
                                      "kesehatan"), 75))  # fmt: skip
    jpt.kompilasi(item)
    db.session.commit()


def build_dataset(app) -> dict:
    """Agencies A and B on the seed data, and the national rows both see."""
    with app.app_context():
        sm = app.appbuilder.sm
        seed = db.session.execute(select(Sop).where(Sop.kode == SEED_SOP, Sop.berlaku.is_(True))).scalar_one()
        db.session.add_all([
            Jabatan(nama="Asesor SDM Aparatur (matriks)", jenis="fungsional", jenjang="Ahli Muda"),
            HariLibur(tanggal=dt.date(2026, 12, 26), keterangan="Cuti bersama nasional (matriks)"),
            Group(name="matriks", label="Kelompok pengguna (matriks)"),
        ])  # fmt: skip
        db.session.commit()
        a = plant_agency(sm, seed, "A", ALFA, f"{ALFA} {STAF}", [P1, P2])
        b = plant_agency(sm, seed, "B", BRAVO, BRAVO, [BRAVO])
        return {"A": a, "B": b}


def make_actors(app, data) -> tuple[list[Actor], dict[str, int]]:
    """Anonymous; one user of agency A per group of roles with the same grants and scope (the group of
    outside parties is applicant 1); a clerk of agency B."""
    actors = [Actor("anon", "anonymous", None, None, MARKERS)]
    probes = {"p1": data["A"]["people"][P1], "p2": data["A"]["people"][P2]}
    with app.app_context():
        sm = app.appbuilder.sm
        root_a = db.session.get(UnitKerja, data["A"]["root"])
        root_b = db.session.get(UnitKerja, data["B"]["root"])
        for group in role_groups(app):
            names = [role.name for role in group]
            if OUTSIDE_ROLE in names:
                user_id, forbidden, label = probes["p1"], (BRAVO, STAF, P2), OUTSIDE_ROLE
            elif sm.auth_role_admin in names:
                # Administrators act in every agency; their name carries no agency's marker.
                label, forbidden = sm.auth_role_admin, ()
                user_id = add_user(sm, "admin_matriks", [label], root_a, "Matriks").id
            else:
                label, forbidden = names[0], (BRAVO,)
                # "peran": never the same username as the people plant_agency makes (e.g. its Kepala Badan signer)
                user_id = add_user(sm, f"{slug(ALFA)}_peran_{slug(label)}", [label], root_a, ALFA).id
            if "Operator" in names:  # agency A's clerk: the probe for "visible in agency A"
                probes["opA"] = user_id
            others = [n for n in names if n != label]
            text = label + (f" (= {', '.join(others)})" if others else "")
            agency = "A" if forbidden == (BRAVO,) else None
            actors.append(Actor(label, text, user_id, db.session.get(PenkomUser, user_id).username, forbidden, agency))
        clerk_b = add_user(sm, f"{slug(BRAVO)}_operator", ["Operator"], root_b, BRAVO)
        probes["opB"] = clerk_b.id
        actors.append(
            Actor("Operator B", "Operator of agency B", clerk_b.id, clerk_b.username, (ALFA, STAF, P1, P2), "B")
        )
    for actor in actors:
        actor.client = app.test_client()
        if actor.username:
            login(actor.client, actor.username)
            actor.token_client = app.test_client()
            actor.token = api_token(actor)
    return actors, probes


def seen_case(pk) -> dict:
    """A transition as the case page (or an API client) sends it: with the case version it saw."""
    kasus = db.session.get(Kasus, pk)
    return {"transition": "lanjut", "comment": "Diproses (matriks)", "versi": kasus.versi if kasus else 1}


# What a client sends to endpoints that check their input before they read the row (an empty body
# would be refused as incomplete and never reach the scope check): (view, method) -> row id -> body.
BODIES = {
    ("KasusView", "transisi"): seen_case,
    ("KasusApi", "transition"): seen_case,
}


@pytest.fixture(scope="module")
def matrix():
    app = make_app("route_matrix", PENKOM_VERIFIKASI_LIMIT="10000 per second",
                   JWT_ACCESS_TOKEN_EXPIRES=dt.timedelta(hours=6))  # fmt: skip
    data = build_dataset(app)
    actors, probes = make_actors(app, data)
    result = Matrix(app, actors, Rows(probes), fillers(app), PUBLIC, BODIES)
    result.targets = {t.key: t for t in targets(app, PUBLIC)}
    check_ground_truth(result, probes)
    return result


def check_ground_truth(matrix: Matrix, probes: dict[str, int]) -> None:
    """The scope module agrees with the dataset: agency A's clerk sees none of B's cases and civil servants
    (and B's clerk none of A's); applicant 1 sees their own applications only."""
    with matrix.app.app_context():
        for model in (Kasus, Pegawai, Sop, UnitKerja, svc.NaskahDinas):
            kinds = matrix.rows.of(model)
            assert {"A", "B"} <= set(kinds), (model.__name__, kinds)
        assert "own" in matrix.rows.of(Kasus) and "own" in matrix.rows.of(svc.NaskahDinas)

        def titles(probe, model, column):
            return " ".join(
                getattr(row, column) for row in scope.visible(model, db.session.get(PenkomUser, probes[probe]))
            )

        assert ALFA in titles("opA", Kasus, "judul") and BRAVO not in titles("opA", Kasus, "judul")
        assert BRAVO in titles("opB", Kasus, "judul") and ALFA not in titles("opB", Kasus, "judul")
        assert BRAVO not in titles("opA", Pegawai, "nama") and ALFA not in titles("opB", Pegawai, "nama")
        assert P1 in titles("p1", Kasus, "judul") and P2 not in titles("p1", Kasus, "judul")


# -- the matrix ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [pytest.param(t.key, id=t.key) for t in TARGETS])
def test_route(matrix, key):
    """One rule, every actor, every method, every kind of row: the answers match the permissions and the
    scope, refused requests change nothing and no answer shows what the actor may not see."""
    matrix.attempted.add(key)
    target = matrix.targets.get(key)
    assert target is not None, f"{key} is not in the app's URL map"
    outcomes = matrix.run(target)
    failures = [o for o in outcomes if not o.ok]
    assert not failures, "\n".join(
        f"{o.method} {o.url} as {o.actor} (row {o.row}): {'; '.join(o.problems)}" for o in failures
    )


def test_matrix_covers_every_rule_and_prints_the_table(matrix, request):
    everything = {rule_key(rule) for rule in matrix.app.url_map.iter_rules()}
    assert everything == {t.key for t in TARGETS}, everything ^ {t.key for t in TARGETS}
    if matrix.attempted != everything:
        pytest.skip("only part of the matrix ran (-k); the whole module covers every rule")
    assert {o.target for o in matrix.outcomes} == everything
    write_table(request, matrix)


def write_table(request, matrix: Matrix) -> None:
    lines = table(matrix)
    capture = request.config.pluginmanager.getplugin("capturemanager")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    with capture.global_and_fixture_disabled():
        reporter.write_sep("=", "route × role matrix")
        for line in lines:
            reporter.write_line(line)


def table(matrix: Matrix) -> list[str]:
    """Per actor: what they may do on their own agency's rows and on the other agency's, and how the rest
    is refused (login, 401, 403, 404, denied action, GET mutation refused, read-only reference data)."""
    sent = [o for o in matrix.outcomes if o.sent]
    unsent = len(matrix.outcomes) - len(sent)
    lines = [
        f"{len({o.target for o in matrix.outcomes})} rules, {len(sent)} requests; per actor what is allowed on rows of "
        "their own agency | of the other agency (* allowed, not sent: a delete would remove the dataset, "
        f"{unsent} in all). Refused: login = sent to the login page, 401/403/404, denied = FAB's access-denied "
        "redirect for an action, get-refused = a GET on a changing route, no-action = unknown action (404), "
        "read-only = shared reference data (nothing changed).",
    ]
    for actor in matrix.actors:
        mine = [o for o in matrix.outcomes if o.actor == actor.key]
        refused = [o for o in mine if o.expected.refused]
        counts: dict[str, int] = {}
        for o in refused:
            counts[o.expected.label] = counts.get(o.expected.label, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        lines.append(f"{actor.label}: allowed {len(mine) - len(refused)}, refused {len(refused)} ({summary})")
        other = {"A": "B", "B": "A"}.get(actor.agency or "A")
        views: dict[str, dict[str, set]] = {}
        for o in mine:
            if o.expected.refused or o.expected.label == "public":
                continue
            entry = views.setdefault(o.view, {"own": set(), "other": set()})
            verb = (o.attr if o.method == "GET" else f"{o.attr}:{o.method}") + ("" if o.sent else "*")
            entry["other" if o.row.split()[0] == other else "own"].add(verb)
        for view, entry in sorted(views.items()):
            elsewhere = " ".join(sorted(entry["other"])) or "-"
            lines.append(f"    {view:<24} {' '.join(sorted(entry['own']))}  | other agency: {elsewhere}")
    return lines


# -- the matrix catches a view that forgets scope ------------------------------------------------------


class LeakyPegawaiView(ModelView):
    """A plain ModelView on civil servants: no scope on rows, forms or filters."""

    datamodel = SQLAInterface(Pegawai)
    list_columns = ["nip", "nama", "unit_kerja"]


def test_matrix_flags_a_view_that_forgets_scope():
    """The same machinery, on an app with one unscoped view that clerks may use, reports the leak:
    the other agency's civil servants in its list, its units in the add form, and its rows on the show, edit
    and delete pages (the delete goes through)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url("route_matrix_meta"),
                      "WTF_CSRF_ENABLED": False, "AUTH_RATE_LIMIT": "10000 per second",
                      "SERVER_NAME": "localhost"})  # fmt: skip
    app.test_client_class = IsolatedClient
    with app.app_context():
        app.appbuilder.add_view_no_menu(LeakyPegawaiView)
        # Schema, permissions and roles are enough here (no migrations, no seed SOPs).
        Model.metadata.create_all(db.engine)
        sm = app.appbuilder.sm
        sm.add_role(sm.auth_role_admin)
        app.appbuilder.add_permissions(update_perms=True)
        sync_roles(sm)
        operator = sm.find_role("Operator")
        for perm in ("can_list", "can_show", "can_add", "can_edit", "can_delete"):
            operator.permissions.append(sm.add_permission_view_menu(perm, "LeakyPegawaiView"))
        db.session.commit()
    _APPS.append(app)
    units = {}
    with app.app_context():
        for kode, marker in (("A", ALFA), ("B", BRAVO)):
            instansi = Instansi(kode=f"MTX{kode}", nama=f"Pemerintah Kota {marker}", kop="PEMERINTAH")
            unit = UnitKerja(kode=f"MTX-{kode}", nama=f"Badan {marker}", instansi=instansi)
            db.session.add_all([instansi, unit, Pegawai(nip=make_nip(), nama=f"Pegawai {marker}", unit_kerja=unit)])
            db.session.commit()
            units[kode] = unit
        op_a = add_user(app.appbuilder.sm, "alfaxq_operator", ["Operator"], units["A"], ALFA)
        op_b = add_user(app.appbuilder.sm, "bravoxq_operator", ["Operator"], units["B"], BRAVO)
        ids = (op_a.id, op_b.id)
    clerk = Actor("Operator", "Operator of agency A", ids[0], "alfaxq_operator", (BRAVO,))
    clerk.client = app.test_client()
    login(clerk.client, clerk.username)
    meta = Matrix(app, [clerk], Rows({"opA": ids[0], "opB": ids[1]}), {}, PUBLIC)
    judged = {t.endpoint: t for t in targets(app, PUBLIC) if t.endpoint.split(".")[0] in ("LeakyPegawaiView",
                                                                                          "PegawaiView")}  # fmt: skip

    def problems(endpoint):
        return [p for o in meta.run(judged[endpoint]) for p in o.problems]

    assert any("shows Bravoxq" in p for p in problems("LeakyPegawaiView.list"))
    assert any("shows Bravoxq" in p for p in problems("LeakyPegawaiView.add"))  # the unit drop-down
    assert any("expected [404]" in p for p in problems("LeakyPegawaiView.show"))
    assert any("expected [404]" in p for p in problems("LeakyPegawaiView.edit"))
    assert any("changed the database" in p for p in problems("LeakyPegawaiView.delete"))
    # The real, scoped view of the same rows passes the same checks.
    for endpoint in (
        "PegawaiView.list",
        "PegawaiView.add",
        "PegawaiView.show",
        "PegawaiView.edit",
        "PegawaiView.delete",
    ):
        assert problems(endpoint) == [], endpoint


# -- a hole the matrix found, closed in app/security.py --------------------------------------------------


def test_an_action_sent_through_a_route_it_does_not_offer_answers_404(app, client, create_user, create_unit):
    """FAB hands a one-row action a list (and a list action one row) and answered 500: the matrix found
    `POST /roles/action/copyrole/<pk>` and `POST /users/action_post action=resetpasswords`."""
    from flask_appbuilder.security.sqla.models import Role

    login(client, create_user(["Admin"], create_unit()).username)
    roles = db.session.execute(select(Role)).scalars().all()
    victim = create_user(["Operator"], create_unit())
    assert client.post(f"/roles/action/copyrole/{roles[0].id}").status_code == 404
    assert client.post("/users/action_post", data={"action": "resetpasswords", "rowid": [victim.id]}).status_code == 404
    assert client.post("/users/action_post", data={"action": "userinfoedit", "rowid": [victim.id]}).status_code == 404
    assert len(db.session.execute(select(Role)).scalars().all()) == len(roles)
    # The route the action is offered on still works (it opens the password form for that user).
    response = client.post(f"/users/action/resetpasswords/{victim.id}")
    assert response.status_code == 302 and f"pk={victim.id}" in response.headers["Location"]
