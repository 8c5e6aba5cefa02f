"""The case page and the engine gaps the seed SOPs expose: co-actors, branch memory, the current step's
inputs and outputs, attachment kinds from a list, and dates and outputs supplied by area records."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from flask import url_for
from sqlalchemy import select

from app.extensions import db
from app.models import AuditLog, Jabatan, JenisDokumen, KasusTanggapan, Lampiran, Pangkat, Sop
from app.penilaian import operations as ops
from app.workflow import engine, providers
from tests.conftest import act, as_user, attach, case, give_part, link_pegawai, login, ok, start, uniq
from tests.kerjasama_data import fill_request, register_assessor


def seed(kode) -> Sop:
    return db.session.execute(select(Sop).where(Sop.kode == kode, Sop.berlaku.is_(True))).scalar_one()


def offered(client, kasus_id) -> list[str]:
    return re.findall(r'data-transition="([a-z]+)"', client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True))


@pytest.fixture
def team(create_user, create_pegawai):
    """One user per actor role of an SOP, in the SOP's unit, each a civil servant with a position."""
    from app.models import Jabatan

    def factory(sop):
        pangkat = db.session.execute(select(Pangkat).where(Pangkat.golongan == "III/d")).scalar_one()
        users = {}
        for actor in sop.pelaksana:
            jabatan = Jabatan(nama=uniq(f"{actor.nama} "), jenis="pelaksana", instansi_id=sop.instansi_id)
            pegawai = create_pegawai(sop.unit_kerja, pangkat=pangkat, jabatan=jabatan, gelar_depan="Drs.",
                                     gelar_belakang="M.Si.")  # fmt: skip
            users[actor.kode] = link_pegawai(create_user([actor.role.name], sop.unit_kerja), pegawai)
        return users

    return factory


def move(client, users, kasus_id, actor, transition, comment="", konfirmasi=True):
    as_user(client, users[actor])
    data = {"transition": transition, "comment": comment, "versi": case(kasus_id).versi}
    if konfirmasi:
        data["konfirmasi"] = "1"
    return client.post(f"/kasusview/transisi/{kasus_id}", data=data, follow_redirects=True).get_data(as_text=True)


def pemalang_at_step_2(client, users) -> int:
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    as_user(client, users["kabid"])
    kasus_id = start(client, sop, uniq("Permohonan asesor "))
    attach(client, kasus_id, "surat_permohonan")
    fill_request(kasus_id, users["kabid"])
    move(client, users, kasus_id, "kabid", "lanjut")
    assert case(kasus_id).langkah_no == 2
    return kasus_id


# -- co-actors ---------------------------------------------------------------------------------------


def test_pemalang_subkor_decides_only_after_the_assessor_has_given_their_part(client, team):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = team(sop)
    kasus_id = pemalang_at_step_2(client, users)
    as_user(client, users["subkor"])
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert "bagian ditunggu" in page and "Asesor SDMA" in page
    refused = move(client, users, kasus_id, "subkor", "tidak", "Jadwal asesor penuh")
    assert "Menunggu bagian dari: Asesor SDMA" in refused
    assert case(kasus_id).langkah_no == 2

    # The assessor sees the case among their tasks until their part is recorded.
    as_user(client, users["asesor"])
    assert f"/show/{kasus_id}" in client.get("/tugassayaview/list/").get_data(as_text=True)
    assert offered(client, kasus_id) == []  # the assessor decides nothing
    give_part(client, kasus_id, users["asesor"], "Jadwal internal penuh pada minggu itu")
    assert f"/show/{kasus_id}" not in client.get("/tugassayaview/list/").get_data(as_text=True)
    again = client.post(f"/kasusview/tanggapan/{kasus_id}", data={"jenis": "bagian"}, follow_redirects=True)
    assert "sudah tercatat" in again.get_data(as_text=True)

    move(client, users, kasus_id, "subkor", "tidak", "Jadwal asesor penuh")
    assert case(kasus_id).langkah_no == 3
    history = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert "Jadwal internal penuh pada minggu itu" in history and "Bagian selesai" in history


def test_pemalang_parts_count_only_for_the_visit_of_the_step(app, client, team):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = team(sop)
    kasus_id = pemalang_at_step_2(client, users)
    give_part(client, kasus_id, users["asesor"])
    with app.test_request_context():
        assert engine.missing_parts(case(kasus_id)) == []
        # A later visit of the step (the case came back to it) asks for the part again.
        kasus = case(kasus_id)
        kasus.masuk_at = kasus.masuk_at + dt.timedelta(seconds=1)
        assert [p.nama for p in engine.missing_parts(kasus)] == ["Asesor SDMA"]
        db.session.rollback()


def test_tangerang_administration_is_completed_by_either_of_its_actors(client, team):
    sop = seed("tangerang-seleksi-mutasi-masuk")
    step4 = sop.step(4)
    assert [p.nama for p in step4.aktor] == ["Staf Admin", "Ka. TU UPT"] and step4.bersama == "salah_satu"
    users = team(sop)
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop, uniq("Permohonan mutasi "))
    # The transfer application (app/mutasi): the applicant's data and file, then the staff's verification.
    from app.mutasi import operations as mutasi

    application = mutasi.permohonan_kasus(kasus_id)
    rank = db.session.execute(select(Pangkat.id).where(Pangkat.golongan == "III/c")).scalar_one()
    mutasi.ubah(application.id, users["pemohon"], mutasi.DataPermohonan(
        nip="198503152010011003", nama="Rudi Hartono", pangkat_id=rank, instansi_asal="Pemerintah Kabupaten Tegal",
        jabatan_asal="Analis Kepegawaian", formasi="Analis SDM Aparatur", alasan="Mengikuti keluarga."))  # fmt: skip
    for row in application.items:
        attach(client, kasus_id, row.jenis)
    move(client, users, kasus_id, "pemohon", "lanjut")
    target = Jabatan(nama=uniq("Analis SDM Aparatur "), jenis="fungsional", jenjang="Ahli Muda",
                     instansi_id=sop.instansi_id)  # fmt: skip
    db.session.add(target)
    db.session.commit()
    mutasi.verifikasi(application.id, users["staf_admin"], {row.id: ("sesuai", "") for row in application.items},
                      target.id)  # fmt: skip
    move(client, users, kasus_id, "staf_admin", "ya")
    # Step 3: the Ka. TU UPT dates the assessment of the event the accepted file created.
    item = ops.kegiatan_kasus(kasus_id, users["ka_tu"])
    ops.ubah_gelombang(item.gelombang[0].id, users["ka_tu"], dt.date(2026, 12, 1), dt.date(2026, 12, 1), "UPT")
    move(client, users, kasus_id, "ka_tu", "lanjut")
    assert case(kasus_id).langkah_no == 4
    # Step 4 waits for the intake files of the applicant, whom the application registered.
    (applicant,) = ops.peserta_terlihat(item, users["staf_admin"])
    assert (applicant.nip, applicant.jabatan_target_id) == ("198503152010011003", target.id)
    ops.atur_intake(applicant.id, users["staf_admin"], True, True, True)
    as_user(client, users["ka_tu"])
    assert "lanjut" in offered(client, kasus_id)
    move(client, users, kasus_id, "ka_tu", "lanjut")
    assert case(kasus_id).langkah_no == 5
    last = case(kasus_id).riwayat[-1]
    assert last.dari_no == 4 and last.peran == "Kepala Subbagian"


def test_kemenkumham_co_actor_comments_on_the_step_it_is_marked_on_but_cannot_move_it(client, team):
    sop = seed("kemenkumham-penilaian-oleh-asesor")
    users = team(sop)
    as_user(client, users["jf_madya"])
    kasus_id = start(client, sop, uniq("Penilaian gelombang "))
    # Steps 1-3 wait for a complete assessment plan (walked on real data in test_penilaian_sop.py):
    # the case is placed at step 4, pra ukom, the assessor's step with the support staff marked.
    kasus = case(kasus_id)
    kasus.langkah_id, kasus.masuk_at = sop.step(4).id, kasus.masuk_at + dt.timedelta(minutes=1)
    db.session.commit()
    as_user(client, users["tenaga_pendukung"])
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert 'id="tanggapan-form"' in page and "Bagian saya selesai" not in page
    ok(client.post(f"/kasusview/tanggapan/{kasus_id}", data={"jenis": "komentar", "komentar": "Ruang siap"}))
    before = case(kasus_id).versi
    refused = move(client, users, kasus_id, "tenaga_pendukung", "lanjut")
    assert "bukan milik Anda" in refused and case(kasus_id).versi == before
    empty = client.post(f"/kasusview/tanggapan/{kasus_id}", data={"jenis": "komentar"}, follow_redirects=True)
    assert "Tulis komentarnya" in empty.get_data(as_text=True)
    rows = db.session.execute(select(KasusTanggapan).where(KasusTanggapan.kasus_id == kasus_id)).scalars().all()
    assert [(r.langkah_no, r.jenis, r.komentar) for r in rows][-1] == (4, "komentar", "Ruang siap")
    # Someone not marked on the step cannot comment on it.
    as_user(client, users["jf_muda"])
    outsider = client.post(f"/kasusview/tanggapan/{kasus_id}", data={"jenis": "komentar", "komentar": "X"},
                           follow_redirects=True)  # fmt: skip
    assert "bukan salah satu pelaksana" in outsider.get_data(as_text=True)


def test_co_actor_part_through_the_api(app, team):
    from tests.test_workflow_rules import api_token

    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = team(sop)
    client = app.test_client()
    kasus_id = pemalang_at_step_2(client, users)
    api = app.test_client()
    headers = api_token(api, users["asesor"])
    done = api.post(f"/api/v1/kasus/{kasus_id}/tanggapan", json={"jenis": "bagian"}, headers=headers)
    assert done.status_code == 201 and done.json["result"][0]["pelaksana"] == "Asesor SDMA"
    twice = api.post(f"/api/v1/kasus/{kasus_id}/tanggapan", json={"jenis": "bagian"}, headers=headers)
    assert twice.status_code == 409


# -- branch memory -------------------------------------------------------------------------------------


def test_pemalang_rejected_request_cannot_reach_the_assessor_step(app, client, team):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = team(sop)
    kasus_id = pemalang_at_step_2(client, users)
    give_part(client, kasus_id, users["asesor"])
    # Ditolak: the rejection letter is drafted at step 3
    move(client, users, kasus_id, "subkor", "tidak", "Jadwal asesor penuh")
    with app.test_request_context():
        # Move the case on to the sending step (9, printed 8) as the review chain would.
        kasus = case(kasus_id)
        kasus.langkah = sop.step(9)
        db.session.commit()
        assert [t.id for t in engine.case_transitions(case(kasus_id))] == ["tidak"]
    as_user(client, users["subkor"])
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert "Surat penolakan dikirim" in page and "Surat jawaban dan surat tugas dikirim" not in page
    refused = move(client, users, kasus_id, "subkor", "ya")
    assert "tidak tersedia" in refused and case(kasus_id).langkah_no == 9
    move(client, users, kasus_id, "subkor", "tidak")
    assert case(kasus_id).status == "selesai"
    assert 10 not in [h.ke_no for h in case(kasus_id).riwayat]


def test_pemalang_accepted_request_is_sent_with_its_assignment_letter_only(app, client, team):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = team(sop)
    kasus_id = pemalang_at_step_2(client, users)
    give_part(client, kasus_id, users["asesor"])
    move(client, users, kasus_id, "subkor", "ya", "Asesor tersedia")
    with app.test_request_context():
        kasus = case(kasus_id)
        kasus.langkah = sop.step(9)
        db.session.commit()
        assert [t.id for t in engine.case_transitions(case(kasus_id))] == ["ya"]


def test_branch_condition_is_checked_in_the_step_form(client, create_user, form_sop):
    sop, users = form_sop
    login(client, create_user(["Admin"], sop.unit_kerja).username)
    step = sop.step(2)
    data = {"sop": sop.id, "no": 2, "kegiatan": step.kegiatan, "simbol": "keputusan", "pelaksana": step.pelaksana_id,
            "ya_no": 3, "tidak_no": 1, "ya_jika": "1:mungkin"}  # fmt: skip
    page = client.post(f"/langkahview/edit/{step.id}", data=data).get_data(as_text=True)
    assert "1:mungkin" in page and "bukan syarat yang sah" in page
    db.session.expire_all()
    assert not sop.step(2).ya_jika
    ok(client.post(f"/langkahview/edit/{step.id}", data={**data, "ya_jika": "1:lanjut"}))
    db.session.expire_all()
    assert sop.step(2).ya_jika == "1:lanjut"


# -- the current step's inputs and outputs ---------------------------------------------------------------


def test_pemalang_case_page_shows_the_request_letter_it_needs_and_then_has(client, team):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = team(sop)
    as_user(client, users["kabid"])
    kasus_id = start(client, sop, uniq("Permohonan asesor "))
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    needs = re.search(r'id="kelengkapan">(.*?)</td>', page, re.S).group(1)
    assert "Surat Permohonan Tenaga Asesor SDMA" in needs and "belum ada" in needs
    refused = move(client, users, kasus_id, "kabid", "lanjut")
    assert "Surat Permohonan Tenaga Asesor SDMA" in refused and case(kasus_id).langkah_no == 1
    attach(client, kasus_id, "surat_permohonan", name="permohonan-tegal.pdf")
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    needs = re.search(r'id="kelengkapan">(.*?)</td>', page, re.S).group(1)
    assert ">ada<" in needs and "permohonan-tegal.pdf" in needs


def test_pemalang_case_page_links_each_output_of_the_current_step(client, team):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = team(sop)
    kasus_id = pemalang_at_step_2(client, users)
    give_part(client, kasus_id, users["asesor"])
    move(client, users, kasus_id, "subkor", "ya", "Asesor tersedia")  # step 4: choose the assessors
    as_user(client, users["subkor"])
    outputs = re.search(r'id="keluaran">(.*?)</td>', client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True),
                        re.S).group(1)  # fmt: skip
    assert "belum ada" in outputs
    register_assessor(users["asesor"].pegawai, sop.instansi_id)
    ok(
        client.post(
            f"/kasusview/petugas/{kasus_id}", data={"pegawai_id": users["asesor"].pegawai_id, "peran": "Asesor"}
        )
    )
    move(client, users, kasus_id, "subkor", "lanjut")  # step 5: the reply and the assignment are drafted
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    outputs = re.search(r'id="keluaran">(.*?)</td>', page, re.S).group(1)
    assert "Draft Surat tugas" in outputs
    links = re.findall(r'href="(/naskahdinasview/show/\d+)"', outputs)
    assert len(links) == 2 and outputs.count(">ada<") == 2
    assert client.get(links[0]).status_code == 200


def test_attachment_kind_comes_from_the_list_of_the_cases_agency(client, team, create_instansi):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = team(sop)
    other = create_instansi()
    db.session.add(JenisDokumen(instansi_id=other.id, kode="kartu_rahasia", nama="Kartu rahasia instansi lain"))
    db.session.commit()
    as_user(client, users["kabid"])
    kasus_id = start(client, sop, uniq("Permohonan asesor "))
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    kinds = re.findall(r'<option value="([a-z_]+)">', re.search(r'<select[^>]*name="jenis".*?</select>', page, re.S)[0])
    assert kinds[0] == "surat_permohonan"  # what the step asks for comes first
    assert {"laporan_kegiatan", "dokumen_lainnya"} <= set(kinds) and "kartu_rahasia" not in kinds
    for bad in ("kartu_rahasia", "apa_saja", ""):
        response = client.post(f"/kasusview/lampiran/{kasus_id}", data={
            "jenis": bad, "berkas": (io.BytesIO(b"%PDF-1.4"), "x.pdf")}, content_type="multipart/form-data",
            follow_redirects=True)  # fmt: skip
        assert "jenis dokumen" in response.get_data(as_text=True).lower()
    assert db.session.execute(select(Lampiran).where(Lampiran.kasus_id == kasus_id)).first() is None


def test_operator_keeps_the_document_kinds_of_their_own_agency(client, create_user, create_unit):
    unit = create_unit()
    operator = create_user(["Operator"], unit)
    login(client, operator.username)
    ok(client.post("/jenisdokumenview/add", data={"instansi": unit.instansi_id, "kode": "sk_jabatan",
                                                  "nama": "SK jabatan terakhir"}))  # fmt: skip
    row = db.session.execute(select(JenisDokumen).where(JenisDokumen.kode == "sk_jabatan")).scalar_one()
    assert row.instansi_id == unit.instansi_id
    trail = db.session.execute(select(AuditLog).where(AuditLog.tabel == "jenis_dokumen", AuditLog.row_id == row.id))
    assert [(a.aksi, a.username) for a in trail.scalars()] == [("create", operator.username)]
    bad = client.post("/jenisdokumenview/add", data={"instansi": unit.instansi_id, "kode": "SK Jabatan!", "nama": "X"})
    assert "huruf kecil" in bad.get_data(as_text=True)
    listing = client.get("/jenisdokumenview/list/").get_data(as_text=True)
    assert "SK jabatan terakhir" in listing and "Surat Permohonan Tenaga Asesor SDMA" not in listing


# -- extension points: dates and outputs supplied by area records ------------------------------------


@pytest.fixture
def dated_sop(app, form_sop):
    """The form-built SOP whose step 2 must be done "Maksimal 2 hari setelah pelaksanaan kegiatan" and
    whose step 1 names an output an area provides ("uji_jadwal")."""
    sop, users = form_sop
    step2 = sop.step(2)
    step2.waktu = "Maksimal 2 hari setelah pelaksanaan kegiatan"
    step2.parse_waktu()
    sop.step(1).keluaran = "uji_jadwal"
    db.session.commit()
    return sop, users


def test_activity_date_comes_from_the_record_that_knows_it(app, client, dated_sop):
    sop, users = dated_sop
    known: dict[int, dt.date] = {}
    provider = providers.reference_date_provider("tanggal_kegiatan")(lambda kasus: known.get(kasus.id))
    try:
        as_user(client, users["pemohon"])
        kasus_id = start(client, sop)
        ok(act(client, kasus_id, "lanjut"))
        assert case(kasus_id).langkah_no == 2 and case(kasus_id).due_at is None  # no record knows the date yet
        # The area record (e.g. the cooperation request) gets its activity end date: Friday 13 March 2026.
        known[kasus_id] = dt.date(2026, 3, 13)
        with app.test_request_context():
            kasus = case(kasus_id)
            engine.refresh_due(kasus)
            db.session.commit()
        # 2 working days after Friday 13 March: Monday 16 and Tuesday 17 March -> 17 March 16:00 WIB.
        assert case(kasus_id).due_at == dt.datetime(2026, 3, 17, 9, 0)
    finally:
        providers.REFERENCE_DATES["tanggal_kegiatan"].remove(provider)


def test_activity_date_typed_at_case_start_is_the_fallback(app, dated_sop):
    sop, users = dated_sop
    with app.test_request_context():
        kasus = engine.start_case(sop.id, "Tanggal diketik", users["pemohon"], tanggal_kegiatan=dt.date(2026, 3, 13))
        engine.perform(kasus.id, "lanjut", users["pemohon"])
        assert case(kasus.id).due_at == dt.datetime(2026, 3, 17, 9, 0)


def test_an_area_registers_the_output_of_a_step_and_the_case_page_links_it(app, client, dated_sop):
    sop, users = dated_sop

    @providers.output_provider("uji_jadwal", "Jadwal uji")
    def schedule(kasus, step, param):
        return [providers.Output("Jadwal assessment 3 Maret", exists=True, url=url_for("SopView.show", pk=sop.id))]

    try:
        as_user(client, users["pemohon"])
        kasus_id = start(client, sop)
        page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
        outputs = re.search(r'id="keluaran">(.*?)</td>', page, re.S).group(1)
        assert "Jadwal assessment 3 Maret" in outputs and f"/sopview/show/{sop.id}" in outputs
    finally:
        del providers.OUTPUTS["uji_jadwal"]


# -- names as people write them ------------------------------------------------------------------------


def test_case_list_shows_the_step_name_and_selesai_for_a_finished_case(app, client, form_sop):
    sop, users = form_sop
    with app.test_request_context():
        running = engine.start_case(sop.id, uniq("Berjalan "), users["pemohon"])
        done = engine.start_case(sop.id, uniq("Tuntas "), users["pemohon"])
        engine.perform(done.id, "lanjut", users["pemohon"])
        engine.perform(done.id, "ya", users["verifikator"])
        engine.perform(done.id, "lanjut", users["kepala"])
        engine.perform(done.id, "selesai", users["verifikator"])
    as_user(client, users["verifikator"])
    listing = client.get("/kasusview/list/?psize_KasusView=100").get_data(as_text=True)
    assert "None" not in listing
    assert "1. Mengajukan permohonan" in listing and "Selesai" in listing
    shown = client.get(f"/kasusview/show/{done.id}").get_data(as_text=True)
    assert "None" not in shown and "Selesai" in shown
    assert f"/kasusview/show/{running.id}" in listing


def test_history_names_the_person_with_titles_and_position_not_the_username(client, team):
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    users = team(sop)
    kasus_id = pemalang_at_step_2(client, users)
    kabid = users["kabid"]
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    history = re.search(r'id="riwayat">(.*?)</table>', page, re.S).group(1)
    assert f"{kabid.pegawai.nama_lengkap} — {kabid.pegawai.jabatan}" in history
    assert kabid.pegawai.nama_lengkap.startswith("Drs. ") and kabid.pegawai.nama_lengkap.endswith(", M.Si.")
    assert kabid.username not in history
    # The navigation bar greets the user by the same name.
    as_user(client, kabid)
    assert kabid.pegawai.nama_lengkap in client.get("/kasusview/list/").get_data(as_text=True)
