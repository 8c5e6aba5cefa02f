"""Seleksi mutasi masuk (Tangerang, seed 0) with its transfer application: the applicant applies with their
data and the checklist of documents, the admin staff verify each item (a missing or rejected item keeps
the file from being accepted; a rejection drafts the letter listing them), the applicant becomes the one
participant of the assessment event, and the hand-over of the report records its recipients. After each
step the output the SOP names exists. An applicant sees only their own application."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Hasil,
    KasusRiwayat,
    KegiatanPenilaian,
    NaskahDinas,
    Pangkat,
    PermohonanMutasi,
    Peserta,
    Sop,
)
from app.penilaian import operations as ops
from app.workflow import engine
from tests.conftest import PASSWORD, as_user, case, uniq
from tests.penilaian_data import DAY, metode_ids, nilai_semua, pusat, rapat

CHECKLIST = [
    "surat_permohonan",
    "surat_persetujuan",
    "sk_cpns_pns",
    "sk_pangkat_terakhir",
    "ijazah",
    "skp",
    "surat_pernyataan",
]


def seed() -> Sop:
    return db.session.execute(
        select(Sop).where(Sop.kode == "tangerang-seleksi-mutasi-masuk", Sop.berlaku.is_(True))
    ).scalar_one()


def golongan(g: str) -> int:
    return db.session.execute(select(Pangkat.id).where(Pangkat.golongan == g)).scalar_one()


def apply(client, sop, nip="19850315 201001 1 003", nama="Rudi Hartono") -> PermohonanMutasi:
    """The applicant fills in the application form; the case starts with it."""
    data = {
        "sop": sop.id,
        "nip": nip,
        "gelar_depan": "",
        "nama": nama,
        "gelar_belakang": "S.E.",
        "pangkat": golongan("III/c"),
        "jabatan_asal": "Kepala Seksi Pengadaan Pegawai",
        "instansi_asal": "Pemerintah Kabupaten Tegal",
        "formasi": "Kepala Subbidang Mutasi, BKPSDM Kota Tangerang",
        "alasan": "Mengikuti suami yang bertugas di Kota Tangerang.",
    }
    response = client.post("/permohonanmutasiview/add", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    pk = int(re.search(r"/show/(\d+)", response.headers["Location"]).group(1))
    return application(pk)


def application(pk) -> PermohonanMutasi:
    db.session.expire_all()
    return db.session.get(PermohonanMutasi, pk)


def upload(client, item, kind, content=None):
    data = {"jenis": kind, "berkas": (io.BytesIO(content or b"%PDF-1.4 " + kind.encode()), f"{kind}.pdf")}
    return client.post(f"/permohonanmutasiview/unggah/{item.id}", data=data, content_type="multipart/form-data")


def verify(client, item, verdicts: dict[str, tuple[str, str]], jabatan_id=None):
    """The admin's verification form: a verdict and note per checklist kind."""
    data = {}
    for row in item.items:
        if row.jenis in verdicts:
            data[f"status_{row.id}"], data[f"catatan_{row.id}"] = verdicts[row.jenis]
    if jabatan_id:
        data["jabatan_target_id"] = jabatan_id
    return client.post(f"/permohonanmutasiview/verifikasi/{item.id}", data=data, follow_redirects=True)


def press(client, item, transition="lanjut"):
    """Press a workflow button on the application page (the case's panel); land back on the page."""
    data = {
        "transition": transition,
        "versi": case(item.kasus_id).versi,
        "kembali_ke": f"/permohonanmutasiview/show/{item.id}",
    }
    response = client.post(f"/kasusview/transisi/{item.kasus_id}", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/permohonanmutasiview/show/{item.id}"
    )
    return client.get(response.headers["Location"]).get_data(as_text=True)


def outputs(kasus_id, no) -> dict[str, bool]:
    """The outputs step `no` names for the case, and whether each exists (what the case page shows)."""
    kasus = case(kasus_id)
    return {o.label: o.exists for o in engine.step_outputs(kasus, kasus.sop.step(no))}


def all_exist(kasus_id, no) -> bool:
    found = outputs(kasus_id, no)
    return bool(found) and all(found.values())


def output(kasus_id, spec: str) -> bool:
    """Whether one named output exists for the case (e.g. a decision step's output of the branch taken)."""
    from app.workflow import providers

    found = providers.outputs_of(case(kasus_id), None, [spec])
    return bool(found) and all(o.exists for o in found)


def event_of(kasus_id) -> KegiatanPenilaian | None:
    db.session.expire_all()
    return db.session.execute(select(KegiatanPenilaian).where(KegiatanPenilaian.kasus_id == kasus_id)).scalar()


@pytest.fixture
def tng(create_unit, create_pegawai, create_user):
    sop = seed()
    unit = sop.unit_kerja
    p = pusat(
        create_unit,
        create_pegawai,
        create_user,
        n_asesor=2,
        unit=unit,
        staff_role="Kepala UPT",
        admin_role="Staf Admin",
    )
    people = {
        "pemohon": create_user(["Pemohon"], unit),
        "ka_tu": create_user(["Kepala Subbagian"], unit),
        "sekda": create_user(["Sekretaris Daerah"], unit),
    }
    return sop, p, people


def test_transfer_sop_walks_end_to_end_and_every_step_holds_its_output(client, tng):
    sop, p, people = tng
    pemohon, ka_tu, sekda = people["pemohon"], people["ka_tu"], people["sekda"]
    # Step 1 (Pemohon): the application with the data and the checklist of the agency's seven documents.
    as_user(client, pemohon)
    item = apply(client, sop)
    assert case(item.kasus_id).langkah_no == 1 and item.dibuat_oleh_id == pemohon.id
    assert item.nip == "198503152010011003" and item.nama_lengkap == "Rudi Hartono, S.E."
    assert [row.jenis for row in item.items] == CHECKLIST
    for kind in CHECKLIST:
        assert upload(client, item, kind).status_code == 302
    page = client.get(f"/permohonanmutasiview/show/{item.id}").get_data(as_text=True)
    assert 'id="transisi-form"' in page and "Rudi Hartono" in page
    assert all_exist(item.kasus_id, 1)  # the application file (data and surat permohonan)
    press(client, item)
    assert case(item.kasus_id).langkah_no == 2

    # Step 2 (Staf Admin): one item does not meet the requirement: "ya" is refused naming it.
    as_user(client, p.admin)
    verdicts = {kind: ("sesuai", "") for kind in CHECKLIST}
    verdicts["ijazah"] = ("tidak_sesuai", "Ijazah belum dilegalisasi.")
    target = p.jabatan["pengawas"]
    verify(client, application(item.id), verdicts, target.id)
    page = press(client, application(item.id), "ya")
    assert "Ijazah terakhir" in page and "Ijazah belum dilegalisasi." in page
    assert case(item.kasus_id).langkah_no == 2 and event_of(item.kasus_id) is None
    # The legalised diploma arrives; the admin attaches it and passes the item.
    upload(client, application(item.id), "ijazah", b"%PDF-1.4 ijazah legalisir")
    verdicts["ijazah"] = ("sesuai", "Legalisir diterima.")
    verify(client, application(item.id), verdicts)
    assert output(item.kasus_id, "mutasi:verifikasi")  # every item verified
    assert not output(item.kasus_id, "naskah:surat_penolakan_mutasi")  # the "tidak" branch's letter
    press(client, application(item.id), "ya")
    assert case(item.kasus_id).langkah_no == 3
    # The "ya" branch: the one-person event, its participant taken from the application.
    event = event_of(item.kasus_id)
    assert event.tujuan == "mutasi"
    (applicant,) = db.session.execute(select(Peserta).where(Peserta.kegiatan_id == event.id)).scalars().all()
    assert (applicant.nip, applicant.nama, applicant.gelar_belakang) == ("198503152010011003", "Rudi Hartono", "S.E.")
    assert (applicant.instansi_nama, applicant.pangkat.golongan, applicant.jabatan_target_id) == (
        "Pemerintah Kabupaten Tegal",
        "III/c",
        target.id,
    )

    # Step 3 (Ka. TU UPT): the schedule and the team.
    as_user(client, ka_tu)
    assert not all_exist(item.kasus_id, 3)
    ops.ubah_gelombang(event.gelombang[0].id, ka_tu, DAY, DAY, "UPT")
    for i, a in enumerate(p.asesor):
        ops.tambah_anggota(event.id, ka_tu, a.pegawai_id, "ketua" if i == 0 else "asesor")
    ops.tambah_anggota(event.id, ka_tu, p.admin.pegawai_id, "asesor_admin")
    assert all_exist(item.kasus_id, 3)  # Jadwal Assessment
    press(client, application(item.id))

    # Step 4 (Staf Admin): the applicant is already registered; the intake completes the administration.
    as_user(client, p.admin)
    assert not all_exist(item.kasus_id, 4)
    ops.atur_intake(applicant.id, p.admin, True, True, True)
    assert all_exist(item.kasus_id, 4)
    press(client, application(item.id))

    # Step 5 (the ketua): methods, matrix, sessions, assignment.
    as_user(client, p.ketua)
    import datetime as dt

    from app.models import Metode

    methods = metode_ids(["analisis_kasus", "role_play", "cbi"])
    event = event_of(item.kasus_id)
    matrix = {mid: [k.id for k in db.session.get(Metode, mid).kompetensi] for mid in methods.values()}
    ops.atur_matriks(event.id, p.ketua, [k.kompetensi_id for k in event.kompetensi], matrix)
    for i, mid in enumerate(methods.values()):
        begin = dt.datetime.combine(DAY, dt.time(1 + 2 * i, 0))
        ops.tambah_sesi(event.gelombang[0].id, p.ketua, mid, begin, begin + dt.timedelta(hours=1))
    assert ops.atur_otomatis(event.id, p.ketua) == (3, [])
    assert all_exist(item.kasus_id, 5)
    press(client, application(item.id))  # → 6: the event starts
    assert not all_exist(item.kasus_id, 6)
    nilai_semua(event, p, Decimal(2))
    assert all_exist(item.kasus_id, 6)  # the work sheets
    press(client, application(item.id))
    assert all_exist(item.kasus_id, 7)  # the psychogram data (integration of the scores)
    press(client, application(item.id))
    assert not all_exist(item.kasus_id, 8)
    rapat(event, p, applicant, Decimal(2), potensi=4)
    assert all_exist(item.kasus_id, 8)  # the competency data
    press(client, application(item.id))
    # Step 9: the report.
    assert not all_exist(item.kasus_id, 9)
    from tests.test_penilaian_sop import attach

    attach(client, item.kasus_id, "laporan_hasil_assessment")
    assert all_exist(item.kasus_id, 9)
    press(client, application(item.id))

    # Step 10: the applicant and the Sekda record receiving the report on the application page; the
    # assessor hands it over, and the application keeps to whom and when.
    for person in (pemohon, sekda):
        as_user(client, person)
        response = client.post(
            f"/kasusview/tanggapan/{item.kasus_id}",
            data={
                "jenis": "bagian",
                "komentar": "Laporan diterima.",
                "kembali_ke": f"/permohonanmutasiview/show/{item.id}",
            },
        )
        assert response.headers["Location"].endswith(f"/permohonanmutasiview/show/{item.id}")
    page = client.get(f"/permohonanmutasiview/show/{item.id}").get_data(as_text=True)
    assert 'id="penyerahan"' in page and "Laporan diterima." in page
    as_user(client, p.ketua)
    assert not all_exist(item.kasus_id, 10)
    press(client, application(item.id), "selesai")
    assert case(item.kasus_id).status == "selesai" and event_of(item.kasus_id).status == "selesai"
    done = application(item.id)
    assert done.diserahkan_at is not None
    assert [line.split(":")[0] for line in done.diserahkan_kepada.splitlines()] == ["Pemohon", "Sekda"]
    last = (
        db.session.execute(
            select(KasusRiwayat).where(KasusRiwayat.kasus_id == item.kasus_id).order_by(KasusRiwayat.id.desc())
        )
        .scalars()
        .first()
    )
    assert (last.dari_no, last.peran) == (10, "Asesor")
    assert all(all_exist(item.kasus_id, no) for no in (1, *range(3, 11))) and output(
        item.kasus_id, "mutasi:verifikasi"
    )  # every output still there afterwards
    result = db.session.execute(select(Hasil).where(Hasil.peserta_id == applicant.id)).scalar_one()
    # Supervisor standard 2, consensus 2 → JPM 100.00 → MS; potential 4.00 (high) and no SKP rating given.
    assert (result.jpm, result.kategori, result.kelas_potensi) == (100.0, "ms", "tinggi")
    assert db.session.get(Peserta, applicant.id).pegawai_id is None  # a person of another agency


def test_rejected_file_drafts_the_transfer_rejection_letter_listing_the_unmet_items(client, tng):
    sop, p, people = tng
    as_user(client, people["pemohon"])
    item = apply(client, sop, nip="19900101 201501 2 004", nama="Sari Wulandari")
    upload(client, item, "surat_permohonan")
    upload(client, item, "skp")
    press(client, item)
    as_user(client, p.admin)
    verify(
        client,
        application(item.id),
        {"surat_permohonan": ("sesuai", ""), "skp": ("tidak_sesuai", "SKP tahun 2025 belum ada.")},
    )
    refused = press(client, application(item.id), "ya")
    assert "SKP dua tahun terakhir" in refused and "SK CPNS dan SK PNS" in refused
    assert case(item.kasus_id).langkah_no == 2
    press(client, application(item.id), "tidak")
    assert case(item.kasus_id).status == "selesai" and event_of(item.kasus_id) is None
    (letter,) = db.session.execute(select(NaskahDinas).where(NaskahDinas.kasus_id == item.kasus_id)).scalars().all()
    assert letter.template_kode == "surat_penolakan_mutasi" and letter.status == "konsep"
    assert letter.kepada.startswith("Yth. Sdr. Sari Wulandari, S.E.") and "Pemerintah Kabupaten Tegal" in letter.kepada
    assert "mutasi masuk" in letter.isi
    listed = [line for line in letter.isi.splitlines() if re.match(r"\d+\. ", line)]
    assert len(listed) == 6 and any("SKP dua tahun terakhir" in x and "SKP tahun 2025 belum ada." in x for x in listed)
    assert not any("Surat permohonan" in x for x in listed)
    # The output of step 2 (the Surat Penolakan) is the case's document, reachable by the staff.
    kasus = case(item.kasus_id)
    found = {o.label: o.exists for o in engine.step_outputs(kasus, kasus.sop.step(2))}
    assert found.get(letter.perihal) is True and output(item.kasus_id, "naskah:surat_penolakan_mutasi")


def test_a_verification_that_passes_a_missing_item_is_refused_and_nothing_changes(client, tng):
    sop, p, people = tng
    as_user(client, people["pemohon"])
    item = apply(client, sop, nip="19880808 201101 1 005", nama="Bayu Pratama")
    upload(client, item, "surat_permohonan")
    press(client, item)
    as_user(client, p.admin)
    page = verify(
        client,
        application(item.id),
        {"surat_permohonan": ("sesuai", ""), "ijazah": ("sesuai", ""), "skp": ("tidak_sesuai", "")},
    ).get_data(as_text=True)
    assert "Ijazah terakhir" in page and "SKP dua tahun terakhir" in page
    after = application(item.id)
    assert {row.status for row in after.items} == {"belum"} and after.diverifikasi_at is None
    # The applicant cannot verify their own file, nor upload once it left their step.
    as_user(client, people["pemohon"])
    verify(client, after, {"surat_permohonan": ("sesuai", "")})
    assert application(item.id).items[0].status == "belum"
    assert upload(client, after, "ijazah").status_code == 302
    assert "ijazah" not in {f.jenis for f in case(item.kasus_id).lampiran}


def test_an_applicant_sees_only_their_own_application(client, tng, app):
    sop, p, people = tng
    mine, other = people["pemohon"], None

    as_user(client, mine)
    own = apply(client, sop, nip="19870707 201001 1 006", nama="Dewi Lestari")
    upload(client, own, "surat_permohonan")
    sm = app.appbuilder.sm
    other = sm.add_user(
        username=uniq("pemohon"),
        first_name="Agus",
        last_name="Salim",
        email=f"{uniq('a')}@example.test",
        role=[sm.find_role("Pemohon")],
        password=PASSWORD,
    )
    other.unit_kerja = sop.unit_kerja
    db.session.commit()
    as_user(client, other)
    theirs = apply(client, sop, nip="19860606 200901 1 007", nama="Agus Salim")
    upload(client, theirs, "surat_permohonan")
    their_file = next(f.id for f in case(theirs.kasus_id).lampiran)

    as_user(client, mine)
    listing = client.get("/permohonanmutasiview/list/").get_data(as_text=True)
    assert "Dewi Lestari" in listing and "Agus Salim" not in listing
    assert client.get(f"/permohonanmutasiview/show/{theirs.id}").status_code == 404
    assert client.get(f"/permohonanmutasiview/ubah/{theirs.id}").status_code == 404
    assert upload(client, theirs, "ijazah").status_code == 404
    assert client.get(f"/kasusview/berkas/{their_file}").status_code == 404
    assert client.get(f"/kasusview/show/{theirs.kasus_id}").status_code == 404
    token = client.post(
        "/api/v1/security/login", json={"username": mine.username, "password": PASSWORD, "provider": "db"}
    ).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/permohonan-mutasi/", headers=headers).json
    assert [row["id"] for row in listed["result"]] == [own.id]
    assert listed["result"][0]["kasus_id"] == own.kasus_id
    assert client.get(f"/api/v1/permohonan-mutasi/{theirs.id}", headers=headers).status_code == 404
    shown = client.get(f"/api/v1/permohonan-mutasi/{own.id}", headers=headers).json["result"]
    assert shown["nip"] == "198707072010011006" and len(shown["items"]) == len(CHECKLIST)
    # The staff of the unit see both.
    as_user(client, p.admin)
    listing = client.get("/permohonanmutasiview/list/").get_data(as_text=True)
    assert "Dewi Lestari" in listing and "Agus Salim" in listing
    spec = client.get("/api/v1/_openapi").get_data(as_text=True)
    assert "/permohonan-mutasi/" in spec


def test_bad_applicant_data_is_refused_in_indonesian_and_starts_nothing(client, tng):
    sop, p, people = tng
    as_user(client, people["pemohon"])
    before = db.session.execute(select(PermohonanMutasi.id)).scalars().all()
    data = {
        "sop": sop.id,
        "nip": "19851315 201001 1 003",
        "nama": "Rudi",
        "pangkat": golongan("III/c"),
        "jabatan_asal": "Staf",
        "instansi_asal": "Kab. Tegal",
        "formasi": "BKPSDM",
        "alasan": "Keluarga",
    }
    page = client.post("/permohonanmutasiview/add", data=data).get_data(as_text=True)
    assert "tanggal lahir" in page.lower()
    assert db.session.execute(select(PermohonanMutasi.id)).scalars().all() == before


def test_demo_has_transfer_applications_in_realistic_states(demo_app):
    with demo_app.app_context():
        from app.models import Kasus
        from app.mutasi import operations as mutasi

        rows = db.session.execute(select(PermohonanMutasi).join(Kasus).order_by(PermohonanMutasi.id)).scalars().all()
        by_name = {row.nama: row for row in rows}
        assert len(rows) >= 7 and all(not mutasi.kurang_data(row) for row in rows)
        # Waiting for the staff's verification, with the applicant's whole file.
        andi = by_name["Andi Wijaya"]
        assert andi.kasus.langkah_no == 2 and all(mutasi.berkas(andi, i.jenis) for i in andi.items)
        # Rejected: the two documents not sent are named in the drafted rejection letter.
        yanti = by_name["Yanti Puspita"]
        assert yanti.kasus.status == "selesai"
        assert {i.jenis for i in yanti.items if i.status == "tidak_sesuai"} == {
            "sk_pangkat_terakhir",
            "surat_persetujuan",
        }
        letter = db.session.execute(select(NaskahDinas).where(NaskahDinas.kasus_id == yanti.kasus_id)).scalar_one()
        assert letter.template_kode == "surat_penolakan_mutasi" and "SK pangkat terakhir" in letter.isi
        # Finished: the report was handed over to the applicant and the Sekda.
        bambang = by_name["Bambang Sutrisno"]
        assert bambang.kasus.status == "selesai" and bambang.diserahkan_at is not None
        assert [line.split(":")[0] for line in bambang.diserahkan_kepada.splitlines()] == ["Pemohon", "Sekda"]
        # Under assessment: the applicant is the participant of the case's event.
        agus = by_name["Agus Setiabudi"]
        event = db.session.execute(
            select(KegiatanPenilaian).where(KegiatanPenilaian.kasus_id == agus.kasus_id)
        ).scalar()
        people = db.session.execute(select(Peserta.nip).where(Peserta.kegiatan_id == event.id)).scalars().all()
        assert people == [agus.nip]
