"""Operations of an assessment as clerks, assessors and the ketua meet them: bad input gets an Indonesian
message and changes nothing; locks and reopenings need the ketua and a reason; rules in the screens
change live results but never locked ones; standards are copied when the event starts; the rule
warnings of a real event; a civil servant's history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AturanPenilaian,
    Hasil,
    Kasus,
    Nilai,
    Penugasan,
    Peserta,
    RiwayatPenilaian,
    StandarKompetensi,
)
from app.penilaian import operations as ops
from tests.conftest import PASSWORD, as_user, ok, uniq
from tests.penilaian_data import (
    DAY,
    jabatan,
    kegiatan_siap,
    lembar,
    nilai_semua,
    peserta_dari,
    pusat,
    rapat,
    siapkan,
)


@pytest.fixture
def siap(create_unit, create_pegawai, create_user):
    """A started mapping event: 3 participants, 2 assessors (the first one is ketua), 3 methods."""
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=2)
    item = kegiatan_siap(p, create_pegawai, n_peserta=3, codes=["in_tray", "lgd", "cbi"])
    return p, item


def sheet_of(item, user) -> Penugasan:
    return lembar(item, user)[0]


def first_competency(item, sheet):
    return ops.kompetensi_metode(item, sheet.metode_id)[0].id


def refused(fn, status, text):
    with pytest.raises(ops.PenilaianError) as exc:
        fn()
    assert exc.value.status == status, str(exc.value)
    assert text in str(exc.value), str(exc.value)
    db.session.rollback()


# -- scoring ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 6, "2,25", "abc", 5.5, "nan"])
def test_a_level_outside_the_scale_is_refused_and_nothing_is_saved(siap, level):
    p, item = siap
    user = p.asesor[1]
    sheet = sheet_of(item, user)
    kid = first_competency(item, sheet)
    refused(
        lambda: ops.simpan_lembar(sheet.id, user, {kid: (level, "bukti")}),
        422,
        "Level berupa angka 1 sampai 5 dengan kelipatan 0,5.",
    )
    assert db.session.execute(select(Nilai).where(Nilai.penugasan_id == sheet.id)).first() is None


def test_the_score_sheet_screen_refuses_a_level_outside_the_scale(client, siap):
    p, item = siap
    user = p.asesor[1]
    sheet = sheet_of(item, user)
    kid = first_competency(item, sheet)
    as_user(client, user)
    page = client.post(
        f"/penilaiansayaview/simpan/{sheet.id}", data={f"level_{kid}": "7", f"bukti_{kid}": "x"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Level berupa angka 1 sampai 5 dengan kelipatan 0,5." in page
    assert db.session.execute(select(Nilai).where(Nilai.penugasan_id == sheet.id)).first() is None


def test_whole_levels_only_when_the_agency_allows_no_half_steps(siap):
    p, item = siap
    rules = AturanPenilaian(instansi_id=p.unit.instansi_id, setengah_level=False)
    db.session.add(rules)
    db.session.commit()
    user = p.asesor[1]
    sheet = sheet_of(item, user)
    kid = first_competency(item, sheet)
    refused(lambda: ops.simpan_lembar(sheet.id, user, {kid: ("2.5", "bukti")}), 422, "bilangan bulat 1 sampai 5")
    ops.simpan_lembar(sheet.id, user, {kid: ("3", "bukti")})
    db.session.delete(db.session.get(AturanPenilaian, rules.id))
    db.session.commit()


def test_a_score_for_an_unassigned_participant_is_refused(client, siap):
    p, item = siap
    user = p.asesor[1]
    others = [t for t in lembar(item) if t.asesor_id != user.pegawai_id]
    theirs = next(
        t
        for t in others
        if not any(s.peserta_id == t.peserta_id and s.metode_id == t.metode_id for s in lembar(item, user))
    )
    token = client.post(
        "/api/v1/security/login", json={"username": user.username, "password": PASSWORD, "provider": "db"}
    ).json["access_token"]
    response = client.put(
        "/api/v1/nilai/",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "peserta_id": theirs.peserta_id,
            "metode_id": theirs.metode_id,
            "kompetensi_id": first_competency(item, theirs),
            "level": 3,
            "bukti": "x",
        },
    )
    assert response.status_code == 404
    assert response.json["message"] == "Anda tidak memiliki penugasan untuk peserta ini pada metode ini."
    for bad in (
        {"peserta_id": "1"},
        {"peserta_id": theirs.peserta_id, "metode_id": 1, "kompetensi_id": 1, "level": True},
        [],
    ):
        response = client.put("/api/v1/nilai/", headers={"Authorization": f"Bearer {token}"}, json=bad)
        assert response.status_code == 400 and response.json["message"]
    assert db.session.execute(select(Nilai).where(Nilai.penugasan_id == theirs.id)).first() is None


def test_a_submitted_sheet_is_locked_and_only_the_ketua_reopens_it_with_a_reason(siap):
    p, item = siap
    user = p.asesor[1]
    sheet = sheet_of(item, user)
    competencies = ops.kompetensi_metode(item, sheet.metode_id)
    refused(lambda: ops.kirim_lembar(sheet.id, user), 422, "Berikan level untuk")
    ops.simpan_lembar(sheet.id, user, {k.id: (3, "") for k in competencies})
    refused(lambda: ops.kirim_lembar(sheet.id, user), 422, "Tuliskan bukti perilaku")
    ops.simpan_lembar(sheet.id, user, {k.id: (3, "Menyusun prioritas surat.") for k in competencies}, kirim=True)
    refused(
        lambda: ops.simpan_lembar(sheet.id, user, {competencies[0].id: (4, "x")}), 409, "sudah dikirim dan terkunci"
    )
    refused(lambda: ops.buka_lembar(sheet.id, user, "Salah ketik"), 403, "Hanya ketua tim penilai")
    refused(lambda: ops.buka_lembar(sheet.id, p.ketua, "  "), 422, "Sebutkan alasan")
    ops.buka_lembar(sheet.id, p.ketua, "Level M.1 salah ketik")
    log = db.session.execute(
        select(RiwayatPenilaian).where(
            RiwayatPenilaian.penugasan_id == sheet.id, RiwayatPenilaian.aksi == "lembar_dibuka"
        )
    ).scalar_one()
    assert log.keterangan == "Level M.1 salah ketik" and log.user_id == p.ketua.id
    ops.simpan_lembar(sheet.id, user, {competencies[0].id: (4, "Bukti baru.")})
    db.session.expire_all()
    assert (
        next(n for n in db.session.get(Penugasan, sheet.id).nilai if n.kompetensi_id == competencies[0].id).level == 4
    )


def test_scores_wait_until_the_event_starts(create_unit, create_pegawai, create_user):
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=2)
    item = kegiatan_siap(p, create_pegawai, n_peserta=1, codes=["in_tray", "cbi"], mulai=False)
    user = p.asesor[1]
    sheet = sheet_of(item, user)
    refused(
        lambda: ops.simpan_lembar(sheet.id, user, {first_competency(item, sheet): (3, "x")}),
        409,
        "Kegiatan belum dimulai",
    )


# -- participants and team -----------------------------------------------------------------------------------


def test_a_participant_twice_in_one_event_is_refused(client, siap):
    p, item = siap
    twice = peserta_dari(item)[0]
    before = len(peserta_dari(item))
    refused(
        lambda: ops.tambah_peserta(item.id, p.admin, ops.DataPeserta(nip=twice.nip, nama="Lagi")),
        422,
        "sudah menjadi peserta kegiatan ini",
    )
    as_user(client, p.admin)
    page = client.post(
        f"/kegiatanpenilaianview/peserta/{item.id}", data={"nip": twice.nip, "nama": "Lagi"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "sudah menjadi peserta kegiatan ini" in page
    page = client.post(
        f"/kegiatanpenilaianview/peserta/{item.id}", data={"nip": "123", "nama": "Salah"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "NIP harus 18 digit" in page
    assert len(peserta_dari(item)) == before


def test_a_participant_with_scores_cannot_be_removed(siap):
    p, item = siap
    nilai_semua(item, p)
    person = peserta_dari(item)[0]
    refused(lambda: ops.hapus_peserta(person.id, p.admin), 409, "sudah memiliki nilai")
    assert db.session.get(Peserta, person.id) is not None


def test_only_registered_assessors_join_the_team_and_there_is_one_ketua(siap, create_pegawai):
    p, item = siap
    stranger = create_pegawai(p.unit, nama=uniq("Bukan Asesor "))
    refused(
        lambda: ops.tambah_anggota(item.id, p.staf, stranger.id, "asesor"),
        422,
        "bukan asesor aktif dalam register asesor",
    )
    ops.tambah_anggota(item.id, p.staf, stranger.id, "tenaga_pendukung")
    refused(lambda: ops.tambah_anggota(item.id, p.staf, p.asesor[1].pegawai_id, "ketua"), 422, "sudah menjadi anggota")
    refused(lambda: ops.tambah_anggota(item.id, p.asesor[1], stranger.id, "tester"), 403, "Hanya staf unit")


def test_the_matrix_cannot_change_once_the_event_has_started(siap):
    p, item = siap
    refused(lambda: ops.atur_matriks(item.id, p.staf, [], {}), 409, "metode dan matriksnya tidak dapat diubah")


# -- the meeting and the results --------------------------------------------------------------------------


def test_a_missing_standard_warns_and_the_result_cannot_be_locked_until_it_is_set(client, siap, create_pegawai):
    p, item = siap
    odd = jabatan(p.unit.instansi_id, uniq("Penelaah Khusus "), "fungsional", "Ahli Khayalan")
    person = ops.tambah_peserta(
        item.id, p.admin, ops.DataPeserta(nip=create_pegawai(p.kanwil[0]).nip, jabatan_id=odd.id)
    )
    warnings = [w for w in ops.peringatan(item.id, p.staf) if w.kode == "standar"]
    assert warnings and "Belum ada level standar" in str(warnings[0].pesan)
    for t in lembar(item):  # give the newcomer the assessors of participant 1
        if t.peserta_id == peserta_dari(item)[0].id:
            ops.atur_penugasan(item.id, p.staf, {(person.id, t.metode_id): t.asesor_id})
    nilai_semua(item, p)
    refused(lambda: rapat(item, p, db.session.get(Peserta, person.id)), 409, "ada standar yang belum ditetapkan")
    as_user(client, p.staf)
    for k in item.kompetensi:
        ok(
            client.post(
                "/standarkompetensiview/add", data={"jabatan": odd.id, "kompetensi": k.kompetensi_id, "level": "2"}
            )
        )
    assert (
        db.session.execute(
            select(func.count(StandarKompetensi.id)).where(StandarKompetensi.jabatan_id == odd.id)
        ).scalar_one()
        == 9
    )
    ops.mulai_kegiatan(item.id, p.staf)  # already started: nothing changes, but the newcomer's copy…
    db.session.expire_all()
    # …was taken when they joined (standards of a started event are copies), so add it to the copy too.
    from app.models import StandarKegiatan

    for k in item.kompetensi:
        db.session.add(StandarKegiatan(kegiatan_id=item.id, jabatan_id=odd.id, kompetensi_id=k.kompetensi_id, level=2))
    db.session.commit()
    rapat(item, p, db.session.get(Peserta, person.id), Decimal(2))
    assert db.session.execute(select(Hasil).where(Hasil.peserta_id == person.id)).scalar_one().jpm == 100.0


def test_spread_needs_a_rationale_and_a_locked_meeting_reopens_with_a_reason(siap):
    p, item = siap
    nilai_semua(item, p)
    person = peserta_dari(item)[0]
    sheet = next(t for t in lembar(item) if t.peserta_id == person.id and t.asesor_id != p.ketua.pegawai_id)
    kid = first_competency(item, sheet)
    # The ketua reopens one sheet, its assessor gives 5 where the other gave 3: a spread of 2.
    ops.buka_lembar(sheet.id, p.ketua, "Perlu diperiksa ulang")
    owner = next(a for a in p.asesor if a.pegawai_id == sheet.asesor_id)
    ops.simpan_lembar(sheet.id, owner, {kid: (5, "Bukti sangat kuat.")}, kirim=True)
    view = ops.integrasi(person.id, p.ketua)
    row = next(r for r in view.baris if r.kompetensi.id == kid)
    assert row.mencolok and row.sebaran == Decimal(2)
    refused(lambda: ops.simpan_konsensus(person.id, p.ketua, {kid: (4, "")}), 422, "berselisih jauh")
    refused(lambda: ops.simpan_konsensus(person.id, owner, {kid: (4, "x")}), 403, "Hanya ketua tim penilai")
    rapat(item, p, person, Decimal(3))
    refused(lambda: ops.simpan_konsensus(person.id, p.ketua, {kid: (4, "x")}), 409, "buka kembali rapat asesor")
    refused(lambda: ops.buka_lembar(sheet.id, p.ketua, "lagi"), 409, "buka kembali rapat asesor")
    refused(lambda: ops.buka_integrasi(person.id, p.ketua, ""), 422, "Sebutkan alasan")
    ops.buka_integrasi(person.id, p.ketua, "Bukti baru dari wawancara")
    assert db.session.execute(select(Hasil).where(Hasil.peserta_id == person.id)).first() is None
    log = db.session.execute(
        select(RiwayatPenilaian).where(
            RiwayatPenilaian.peserta_id == person.id, RiwayatPenilaian.aksi == "integrasi_dibuka"
        )
    ).scalar_one()
    assert log.keterangan.startswith("Bukti baru dari wawancara")


def _rules_form(instansi_id, **changes) -> dict:
    form = {
        "instansi": instansi_id,
        "maks_peserta_gelombang": 30,
        "maks_peserta_per_asesor": 3,
        "maks_peserta_per_admin": 30,
        "min_asesor_per_peserta": 2,
        "min_metode_per_kompetensi": 2,
        "setengah_level": "y",
        "ambang_sebaran": "1.5",
        "rumus_jpm": "jumlah",
        "bobot_kompetensi": 70,
        "bobot_potensi": 30,
        "pengisian_ms_min": "80",
        "pengisian_mms_min": "68",
        "pemetaan_optimal_min": "90",
        "pemetaan_cukup_min": "78",
        "skema_seleksi_jpt": "pengisian_jabatan",
        "skema_mutasi": "pengisian_jabatan",
        "potensi_menengah_min": "2.5",
        "potensi_tinggi_min": "3.5",
        "predikat_kinerja_tinggi": "Sangat Baik",
        "predikat_kinerja_sesuai": "Baik",
        "masa_berlaku_tahun": 3,
    }
    form.update(changes)
    return form


def test_changing_a_threshold_in_the_screen_changes_the_category_of_an_unlocked_participant(
    client, create_unit, create_pegawai, create_user
):
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=2)
    item = kegiatan_siap(p, create_pegawai, n_peserta=2, tujuan="pengisian_jabatan", codes=["in_tray", "cbi"])
    nilai_semua(item, p)
    locked, open_ = peserta_dari(item)  # both administrators? the first is, the second a supervisor
    # The first: administrator, standard 3, consensus 2.5 on all nine → 22.5 / 27 = 83.33 → MS; locked.
    rapat(item, p, locked, Decimal("2.5"))
    # The second: supervisor, standard 2, consensus 1.5 on seven and 2.5 on two → 15.5 / 18 = 86.11 → MS; open.
    levels = {
        k.kompetensi_id: (Decimal("1.5") if i < 7 else Decimal("2.5"), "Disepakati.")
        for i, k in enumerate(item.kompetensi)
    }
    ops.simpan_konsensus(open_.id, p.ketua, levels)
    before = {r.peserta.id: r for r in ops.hasil_kegiatan(item.id, p.staf)}
    assert (before[locked.id].hitung.jpm, before[locked.id].hitung.kategori) == (Decimal("83.33"), "ms")
    assert (before[open_.id].hitung.jpm, before[open_.id].hitung.kategori) == (Decimal("86.11"), "ms")
    # The JF Muda raises "Memenuhi Syarat" to 90 for the agency, in the Assessment Rules screen.
    as_user(client, p.staf)
    ok(client.post("/aturanpenilaianview/add", data=_rules_form(p.unit.instansi_id, pengisian_ms_min="90")))
    row = db.session.execute(
        select(AturanPenilaian).where(AturanPenilaian.instansi_id == p.unit.instansi_id)
    ).scalar_one()
    page = client.get(f"/kegiatanpenilaianview/hasil/{item.id}").get_data(as_text=True)
    after = {r.peserta.id: r for r in ops.hasil_kegiatan(item.id, p.staf)}
    assert after[open_.id].hitung.kategori == "mms" and "Masih Memenuhi Syarat (MMS)" in page
    assert after[locked.id].hitung.kategori == "ms" and "Memenuhi Syarat (MS)" in page  # stored, unchanged
    rules_id = row.id
    ok(
        client.post(
            f"/aturanpenilaianview/edit/{rules_id}", data=_rules_form(p.unit.instansi_id, pengisian_ms_min="86.11")
        )
    )
    db.session.expire_all()
    assert {r.peserta.id: r.hitung.kategori for r in ops.hasil_kegiatan(item.id, p.staf)}[open_.id] == "ms"
    # A lower category above a higher one is refused; the national row is the administrators'.
    page = client.post(
        f"/aturanpenilaianview/edit/{rules_id}",
        follow_redirects=True,
        data=_rules_form(p.unit.instansi_id, pengisian_mms_min="95"),
    ).get_data(as_text=True)
    assert "tidak boleh di atas kategori yang lebih tinggi" in page
    national = db.session.execute(select(AturanPenilaian).where(AturanPenilaian.instansi_id.is_(None))).scalar_one()
    client.post(f"/aturanpenilaianview/edit/{national.id}", data=_rules_form("", pengisian_ms_min="50"))
    db.session.expire_all()
    assert db.session.get(AturanPenilaian, national.id).pengisian_ms_min == 80


def test_standards_are_copied_into_the_event_when_it_starts(create_unit, create_pegawai, create_user):
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=2)
    item = kegiatan_siap(p, create_pegawai, n_peserta=1, codes=["in_tray", "cbi"], mulai=False)
    person = peserta_dari(item)[0]
    first = item.kompetensi[0].kompetensi_id
    own = StandarKompetensi(jabatan_id=person.jabatan_id, kompetensi_id=first, level=4)
    db.session.add(own)
    db.session.commit()
    assert ops.standar_kegiatan(item, [person.jabatan_id])[(person.jabatan_id, first)] == 4  # live before start
    ops.mulai_kegiatan(item.id, p.staf)
    own.level = 2
    db.session.commit()
    db.session.expire_all()
    item = ops.kegiatan(item.id, p.staf)
    assert ops.standar_kegiatan(item, [person.jabatan_id])[(person.jabatan_id, first)] == 4  # the copy


# -- the rules on a real event ------------------------------------------------------------------------------


def test_the_event_page_warns_of_conflicts_of_interest(client, create_unit, create_pegawai, create_user):
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=2)
    head = jabatan(p.unit.instansi_id, uniq("Kepala Pusat "), "administrator")
    p.asesor[1].pegawai.jabatan = head  # the second assessor heads the centre
    db.session.commit()
    below = create_unit(induk=p.unit, nama=uniq("Bidang di bawah Pusat "))
    item = ops.buat_kegiatan(p.staf, uniq("Penilaian Konflik "), "pemetaan", unit_kerja_id=p.unit.id)
    siapkan(item, p, p.staf, ["in_tray", "cbi"])
    colleague = ops.tambah_peserta(
        item.id, p.admin, ops.DataPeserta(nip=create_pegawai(p.unit, jabatan=p.jabatan["pengawas"]).nip)
    )
    subordinate = ops.tambah_peserta(
        item.id, p.admin, ops.DataPeserta(nip=create_pegawai(below, jabatan=p.jabatan["pengawas"]).nip)
    )
    methods = [m.metode_id for m in item.metode]
    ops.atur_penugasan(
        item.id,
        p.staf,
        {
            (colleague.id, methods[0]): p.asesor[0].pegawai_id,
            (colleague.id, methods[1]): p.asesor[1].pegawai_id,
            (subordinate.id, methods[0]): p.asesor[1].pegawai_id,
            (subordinate.id, methods[1]): p.asesor[0].pegawai_id,
        },
    )
    as_user(client, p.staf)
    page = client.get(f"/kegiatanpenilaianview/show/{item.id}").get_data(as_text=True)
    assert "keduanya bekerja di unit yang sama" in page
    assert "atasan langsung" in page
    # The automatic rotation finds no valid assessor for the colleague (both work in the centre) and says so.
    made, warnings = ops.atur_otomatis(item.id, p.staf)
    assert not any(w.kode == "konflik" for w in warnings)
    assert any(w.kode == "belum_ditugaskan" and w.peserta_id == colleague.id for w in warnings)


def test_an_assessor_in_two_events_at_the_same_time_is_warned(create_unit, create_pegawai, create_user):
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=2)
    first = kegiatan_siap(p, create_pegawai, n_peserta=1, codes=["in_tray", "cbi"], mulai=False)
    # A second event with sessions at the same hours, assigned by hand to the same two assessors.
    second = ops.buat_kegiatan(p.staf, uniq("Penilaian Kedua "), "pemetaan", unit_kerja_id=p.unit.id)
    siapkan(second, p, p.staf, ["in_tray", "cbi"])
    person = ops.tambah_peserta(
        second.id, p.admin, ops.DataPeserta(nip=create_pegawai(p.kanwil[0], jabatan=p.jabatan["pengawas"]).nip)
    )
    methods = [m.metode_id for m in second.metode]
    ops.atur_penugasan(
        second.id,
        p.staf,
        {(person.id, methods[0]): p.asesor[0].pegawai_id, (person.id, methods[1]): p.asesor[1].pegawai_id},
    )
    clash = [w for w in ops.peringatan(second.id, p.staf) if w.kode == "bentrok"]
    assert clash and "kegiatan lain" in str(clash[0].pesan)
    assert any(w.kode == "bentrok" for w in ops.peringatan(first.id, p.staf))
    # The rotation swaps them: each assessor takes the session they are free for.
    made, warnings = ops.atur_otomatis(second.id, p.staf)
    assert made == 2 and not {"bentrok", "belum_ditugaskan"} & {w.kode for w in warnings}


# -- events through the API and the civil servant's history ----------------------------------------------------


def test_events_are_created_through_the_api_for_a_case_once(client, create_unit, create_pegawai, create_user):
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=0)
    from app.models import Sop

    sop = db.session.execute(select(Sop).where(Sop.kode == "polhukam-rencana-assessment")).scalar_one()
    kasus = Kasus(sop=sop, judul="Rencana assessment", unit_kerja_id=p.unit.id, langkah=sop.langkah[0])
    db.session.add(kasus)
    db.session.commit()
    token = client.post(
        "/api/v1/security/login", json={"username": p.staf.username, "password": PASSWORD, "provider": "db"}
    ).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    target = p.jabatan["administrator"]
    body = {
        "nama": "Pengisian Kepala Bidang",
        "tujuan": "pengisian_jabatan",
        "jabatan_target_id": target.id,
        "kasus_id": kasus.id,
        "tanggal_mulai": "2026-12-14",
    }
    created = client.post("/api/v1/kegiatan/", headers=headers, json=body)
    assert created.status_code == 201, created.json
    assert created.json["result"]["jabatan_target_id"] == target.id
    assert client.post("/api/v1/kegiatan/", headers=headers, json=body).status_code == 409
    bad = client.post("/api/v1/kegiatan/", headers=headers, json={**body, "kasus_id": None, "tujuan": "lain"})
    assert bad.status_code == 422 and bad.json["message"] == "Pilih tujuan penilaian."
    assert client.post("/api/v1/kegiatan/", headers=headers, json={**body, "tanggal_mulai": "14-12"}).status_code == 400
    shown = client.get(f"/api/v1/kegiatan/{created.json['id']}", headers=headers).json["result"]
    assert shown["kasus_id"] == kasus.id and shown["tujuan"] == "pengisian_jabatan"
    listed = client.get("/api/v1/kegiatan/", headers=headers).json["ids"]
    assert created.json["id"] in listed


def test_a_civil_servants_page_shows_their_assessment_history_and_its_expiry(client, siap, create_user):
    p, item = siap
    nilai_semua(item, p)
    person = peserta_dari(item)[0]
    rapat(item, p, person, Decimal(3))
    hasil = db.session.execute(select(Hasil).where(Hasil.peserta_id == person.id)).scalar_one()
    assert hasil.tanggal == DAY and hasil.berlaku_sampai == dt.date(DAY.year + 3, DAY.month, DAY.day)
    # The personnel staff of the participant's own unit see the history; another unit does not.
    hr = create_user(["Pengawas"], person.unit_kerja)
    as_user(client, hr)
    page = client.get(f"/pegawaiview/show/{person.pegawai_id}").get_data(as_text=True)
    assert "Riwayat penilaian kompetensi" in page and item.nama in page and "berlaku" in page
    assert f"7 Desember {DAY.year + 3}" in page
    hasil.berlaku_sampai = dt.date(2020, 1, 1)
    db.session.commit()
    assert "kedaluwarsa" in client.get(f"/pegawaiview/show/{person.pegawai_id}").get_data(as_text=True)
    other = create_user(["Pengawas"], p.kanwil[1] if person.unit_kerja_id == p.kanwil[0].id else p.kanwil[0])
    assert ops.riwayat_pegawai(person.pegawai_id, other) == []


def test_the_event_form_creates_and_edits_an_event_and_refuses_a_new_purpose_once_started(
    client, create_unit, create_pegawai, create_user
):
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=2)
    as_user(client, p.staf)
    name = uniq("Pemetaan Pejabat Pengawas ")
    page = client.post(
        "/kegiatanpenilaianview/add",
        follow_redirects=True,
        data={
            "nama": name,
            "tujuan": "pemetaan",
            "unit": p.unit.id,
            "jabatan_target": 0,
            "instansi_peminta": 0,
            "tempat": "Aula",
            "tanggal_mulai": "2026-12-14",
            "tanggal_selesai": "2026-12-15",
        },
    ).get_data(as_text=True)
    assert "Kegiatan dibuat" in page
    from app.models import KegiatanPenilaian

    item = db.session.execute(select(KegiatanPenilaian).where(KegiatanPenilaian.nama == name)).scalar_one()
    assert (item.tujuan, len(item.gelombang), len(item.kompetensi)) == ("pemetaan", 1, 9)
    form = {
        "nama": name + " (revisi)",
        "tujuan": "pengisian_jabatan",
        "jabatan_target": p.jabatan["pengawas"].id,
        "instansi_peminta": 0,
        "tempat": "Aula",
        "tanggal_mulai": "2026-12-14",
        "tanggal_selesai": "2026-12-15",
    }
    ok(client.post(f"/kegiatanpenilaianview/edit/{item.id}", data=form))
    db.session.expire_all()
    item = db.session.get(KegiatanPenilaian, item.id)
    assert item.tujuan == "pengisian_jabatan" and item.jabatan_target_id == p.jabatan["pengawas"].id
    backwards = client.post(
        f"/kegiatanpenilaianview/edit/{item.id}", follow_redirects=True, data={**form, "tanggal_selesai": "2026-12-01"}
    ).get_data(as_text=True)
    assert "Tanggal selesai mendahului tanggal mulai." in backwards
    ops.mulai_kegiatan(item.id, p.staf)
    page = client.post(
        f"/kegiatanpenilaianview/edit/{item.id}", follow_redirects=True, data={**form, "tujuan": "pemetaan"}
    ).get_data(as_text=True)
    assert "tujuan dan jabatan sasarannya tidak dapat diubah" in page
    db.session.expire_all()
    assert db.session.get(KegiatanPenilaian, item.id).tujuan == "pengisian_jabatan"
    # An assessor of the unit does not run events.
    as_user(client, p.asesor[1])
    assert client.get("/kegiatanpenilaianview/add").status_code == 403
