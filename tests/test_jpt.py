"""Seleksi terbuka JPT (seed 2): the selection's records, the compilation arithmetic against a hand-computed
example, the assessor team's Excel, the frozen approved set, the announcement, and the SOP walked end to end
by role with each step's output asserted."""

import html
import io

import pytest
from openpyxl import Workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.jpt import operations as ops
from app.models import KandidatJpt, NaskahDinas, SeleksiJpt
from app.workflow import engine
from tests.conftest import as_user, attach, case, give_part, make_nip, ok, start
from tests.test_seed_sops import flat, offered_transitions, seed, take
from tests.workbooks import SHEET, column_letter, rebuild, sheet, text_row

SOP = "jpt-penetapan-hasil-uji-kompetensi"
NIP = {key: make_nip() for key in ("A1", "A2", "A3", "A4", "B1")}
# Hand-computed: weights administrasi 10, assessment 35, makalah 15, wawancara 25, rekam jejak 10, kesehatan 5.
#   A1: 80 on every stage                       → 80.00
#   A2: 90, 70, 80, 75, 85, 100 → 9 + 24.5 + 12 + 18.75 + 8.5 + 5      = 77.75
#   A4: 85, 72, 75, 78, 80, 90  → 8.5 + 25.2 + 11.25 + 19.5 + 8 + 4.5 = 76.95
#   A3: 60, 60, 70, 65, 70, 80  → 6 + 21 + 10.5 + 16.25 + 7 + 4        = 64.75
#   B1: 70, 75, 70, 70, 70, 70  → 7 + 26.25 + 10.5 + 17.5 + 7 + 3.5    = 71.75
SCORES = {
    "A1": (80, 80, 80, 80, 80, 80),
    "A2": (90, 70, 80, 75, 85, 100),
    "A3": (60, 60, 70, 65, 70, 80),
    "A4": (85, 72, 75, 78, 80, 90),
    "B1": (70, 75, 70, 70, 70, 70),
}
EXPECTED = {"A1": (80.0, 1, True), "A2": (77.75, 2, True), "A4": (76.95, 3, True), "A3": (64.75, 4, False),
            "B1": (71.75, 1, True)}  # fmt: skip
NAMES = {"A1": "Bambang Kurniawan", "A2": "Citra Lestari", "A3": "Dedi Firmansyah", "A4": "Endah Puspitasari",
         "B1": "Fajar Nugroho"}  # fmt: skip
STAGES = ["administrasi", "assessment", "makalah", "wawancara", "rekam_jejak", "kesehatan"]


def xlsx(rows, header=("NIP", "Nama", "Nilai")) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Hasil Assessment"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def set_up(item: SeleksiJpt) -> dict:
    """Two vacant posts, the panel, five candidates (A1–A4 for post A, B1 for post B)."""
    from app.models import FormasiJpt, PanselJpt

    post_a = FormasiJpt(nama="Direktur Pelayanan Kesehatan Primer")
    post_b = FormasiJpt(nama="Kepala Biro Keuangan dan BMN")
    item.formasi.extend([post_a, post_b])
    item.pansel.extend([
        PanselJpt(nama="Dr. Sri Wahyuni, M.Kes.", unsur="Sekretaris Jenderal", peran="ketua"),
        PanselJpt(nama="Prof. Agus Salim", unsur="Akademisi", peran="anggota"),
        PanselJpt(nama="Hendra Gunawan, S.H.", unsur="Kepala Biro Organisasi dan SDM", peran="sekretaris"),
    ])  # fmt: skip
    db.session.flush()
    return {"A": post_a.id, "B": post_b.id}


def add_candidates(item, posts, with_assessment=True):
    for key, scores in SCORES.items():
        row = ops.tambah_kandidat(item, NIP[key], NAMES[key], posts[key[0]], "Kementerian Kesehatan", "Direktur")
        values = dict(zip(STAGES, scores, strict=True))
        if not with_assessment:
            values.pop("assessment")
        ops.isi_nilai(row, values)


@pytest.fixture
def selection(ctx, create_unit, create_user):
    unit = create_unit()
    user = create_user(["Admin"], unit)
    item = ops.buat_seleksi(user, "Seleksi Terbuka JPT Pratama 2026", unit.id, 2026)
    posts = set_up(item)
    db.session.commit()
    return item, posts


def by_key(item) -> dict[str, KandidatJpt]:
    db.session.expire_all()
    rows = db.session.execute(select(KandidatJpt).where(KandidatJpt.seleksi_id == item.id)).scalars()
    nip_key = {v: k for k, v in NIP.items()}
    return {nip_key[r.nip]: r for r in rows}


def test_weighted_totals_ranks_standar_and_three_best_match_the_hand_computed_example(selection):
    item, posts = selection
    add_candidates(item, posts)
    ops.kompilasi(item)
    ops.setujui(item, None)
    ops.tetapkan(item)
    db.session.commit()
    rows = by_key(item)
    for key, (total, rank, standar) in EXPECTED.items():
        assert (rows[key].nilai_akhir, rows[key].peringkat, rows[key].standar) == (total, rank, standar), key
    # Three best standar candidates of post A (A3 is below the threshold of 70) and the only one of post B.
    assert {k for k, r in rows.items() if r.tiga_besar} == {"A1", "A2", "A4", "B1"}


def test_weights_must_add_up_to_100_and_the_rule_can_use_the_assessment_score(selection):
    item, posts = selection
    with pytest.raises(ops.JptError, match="100"):
        ops.atur_bobot(item, {"administrasi": 10, "assessment": 40, "makalah": 15, "wawancara": 25,
                              "rekam_jejak": 10, "kesehatan": 5})  # fmt: skip
    assert item.bobot()["assessment"] == 35
    add_candidates(item, posts)
    item.aturan_standar, item.ambang_standar = "assessment", 72
    ops.kompilasi(item)
    ops.setujui(item, None)
    ops.tetapkan(item)
    db.session.commit()
    rows = by_key(item)
    # Assessment-center scores: A1 80, A2 70, A3 60, A4 72, B1 75 → A2 and A3 fall below 72.
    assert {k for k, r in rows.items() if r.standar} == {"A1", "A4", "B1"}
    assert {k for k, r in rows.items() if r.tiga_besar} == {"A1", "A4", "B1"}


def test_candidate_nip_is_validated_and_registered_once(selection):
    item, posts = selection
    with pytest.raises(ops.JptError, match="18 digit"):
        ops.tambah_kandidat(item, "1234", "Tanpa NIP", posts["A"])
    ops.tambah_kandidat(item, NIP["A1"], NAMES["A1"], posts["A"])
    with pytest.raises(ops.JptError, match="sudah menjadi kandidat"):
        ops.tambah_kandidat(item, NIP["A1"], "Lagi", posts["B"])


def test_excel_with_bad_rows_is_refused_and_nothing_changes(client, selection, create_user):
    item, posts = selection
    add_candidates(item, posts, with_assessment=False)
    db.session.commit()
    user = create_user(["Analis Kepegawaian"], item.unit_kerja)
    as_user(client, user)
    unknown = make_nip()
    bad = xlsx([(NIP["A1"], NAMES["A1"], 80), (NIP["A1"], NAMES["A1"], 81), (unknown, "Orang lain", 70),
                (NIP["A2"], NAMES["A2"], 120), (NIP["A3"], NAMES["A3"], "enam puluh")])  # fmt: skip
    page = client.post(f"/seleksijptview/impor/{item.id}", data={"berkas": (io.BytesIO(bad), "hasil.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "Tidak ada yang diimpor: 4 baris" in page
    assert "Baris 3: kandidat sudah tercantum pada baris 2" in page
    assert "Baris 4: NIP" in page and "bukan kandidat seleksi ini" in page
    assert "Baris 5: nilai 120 bukan angka 0 sampai 100" in page
    assert "Baris 6: nilai enam puluh bukan angka 0 sampai 100" in page
    assert all(r.nilai_assessment is None for r in by_key(item).values())
    good = xlsx([(NIP[k], NAMES[k], SCORES[k][1]) for k in SCORES])
    page = client.post(f"/seleksijptview/impor/{item.id}", data={"berkas": (io.BytesIO(good), "hasil.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "5 nilai assessment center diimpor" in page
    rows = by_key(item)
    assert {k: r.nilai_assessment for k, r in rows.items()} == {k: float(v[1]) for k, v in SCORES.items()}
    assert {r.sumber_assessment for r in rows.values()} == {"impor"}


def test_excel_import_bomb_is_refused_for_the_assessor_teams_file_and_nothing_changes(client, selection, create_user):
    """Issue 17 finding 5: the JPT import reads the file while the request waits, with tighter limits."""
    item, posts = selection
    add_candidates(item, posts, with_assessment=False)
    db.session.commit()
    as_user(client, create_user(["Analis Kepegawaian"], item.unit_kerja))
    base = xlsx([(NIP[k], NAMES[k], SCORES[k][1]) for k in SCORES])
    header = text_row(1, ["NIP", "Nama", "Nilai"])
    bombs = {
        'Lembar "Hasil Assessment" mencapai baris 1.048.576; paling banyak 5.000 baris yang diterima.':
            rebuild(base, {SHEET: sheet([header, '<row r="1048576"><c r="A1048576"/></row>'], "A1:C1048576")}),
        'Lembar "Hasil Assessment" berisi lebih dari 40.000 sel; paling banyak 40.000 yang diterima.':
            rebuild(base, {SHEET: sheet([header] + [f'<row r="{r}">' + "".join(
                f'<c r="{column_letter(c)}{r}" s="0"/>' for c in range(1, 21)) + "</row>" for r in range(2, 2100)])}),
        "Berkas bukan buku kerja Excel (.xlsx) yang valid; gunakan templat.": b"NIP;Nama;Nilai\n",
    }  # fmt: skip
    for message, data in bombs.items():
        form = {"berkas": (io.BytesIO(data), "hasil.xlsx")}
        page = client.post(f"/seleksijptview/impor/{item.id}", data=form, content_type="multipart/form-data",
                           follow_redirects=True).get_data(as_text=True)  # fmt: skip
        assert message in html.unescape(page)
    assert all(r.nilai_assessment is None for r in by_key(item).values())


def test_assessment_scores_are_taken_from_the_locked_results_of_an_assessment_event(selection, create_user):
    from app.models import Gelombang, Hasil, KegiatanPenilaian, Peserta

    item, posts = selection
    add_candidates(item, posts, with_assessment=False)
    event = KegiatanPenilaian(nama="Assessment center JPT 2026", tujuan="seleksi", unit_kerja_id=item.unit_kerja_id)
    wave = Gelombang(kegiatan=event, nomor=1)
    db.session.add_all([event, wave])
    db.session.flush()
    import datetime as dt

    for n, key in enumerate(["A1", "A2", "A3", "A4"], start=1):
        p = Peserta(kegiatan=event, gelombang=wave, nip=NIP[key], nama=NAMES[key], nomor=n)
        db.session.add(p)
        db.session.flush()
        db.session.add(
            Hasil(
                peserta=p,
                kegiatan=event,
                tujuan="seleksi",
                rumus="jumlah",
                jpm=SCORES[key][1],
                kategori="memenuhi",
                tanggal=dt.date(2026, 11, 2),
                berlaku_sampai=dt.date(2028, 11, 2),
            )
        )
    item.kegiatan_id = event.id
    db.session.commit()
    admin = create_user(["Admin"], item.unit_kerja)
    with pytest.raises(ops.JptError, match=NAMES["B1"]):
        ops.ambil_dari_kegiatan(item, admin)
    assert all(r.nilai_assessment is None for r in by_key(item).values())
    p = Peserta(kegiatan=event, gelombang=wave, nip=NIP["B1"], nama=NAMES["B1"], nomor=5)
    db.session.add(p)
    db.session.flush()
    db.session.add(Hasil(peserta=p, kegiatan=event, tujuan="seleksi", rumus="jumlah", jpm=75, kategori="memenuhi",
                         tanggal=dt.date(2026, 11, 2), berlaku_sampai=dt.date(2028, 11, 2)))  # fmt: skip
    assert ops.ambil_dari_kegiatan(item, admin) == 5
    db.session.commit()
    assert by_key(item)["B1"].nilai_assessment == 75 and by_key(item)["B1"].sumber_assessment == "kegiatan"


# -- the SOP walked by role ----------------------------------------------------------------------------


@pytest.fixture
def role_users(create_user, create_pegawai):
    """One user per role of the SOP, each holding exactly that role, in the SOP's unit, each a civil servant."""
    from app.models import Pangkat
    from tests.conftest import link_pegawai

    def factory(sop):
        rank = db.session.execute(select(Pangkat).where(Pangkat.golongan == "IV/a")).scalar_one()
        people = {p.role.name: create_pegawai(sop.unit_kerja, pangkat=rank) for p in sop.pelaksana}
        return {name: link_pegawai(create_user([name], sop.unit_kerja), pegawai) for name, pegawai in people.items()}

    return factory


def outputs_exist(kasus_id, step):
    missing = [o.label for o in engine.step_outputs(case(kasus_id), step) if not o.exists]
    assert not missing, f"step {step.no} left its output missing: {missing}"


def press(client, users, kasus_id, transition, comment=""):
    step = case(kasus_id).langkah
    as_user(client, users[step.pelaksana.role.name])
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert transition in offered_transitions(page), (step.no, offered_transitions(page))
    take(client, kasus_id, transition, comment)
    return step


def refused(client, kasus_id, transition, message):
    before = case(kasus_id).versi
    page = client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": transition, "versi": before,
                       "comment": "-"}, follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert message in page, page[:2000]
    assert case(kasus_id).versi == before


def test_jpt_sop_walks_end_to_end_with_each_step_output_held(client, role_users):
    sop = seed(SOP)
    users = role_users(sop)
    kabag, kasubbag, analis = users["Kepala Bagian"], users["Kepala Subbagian"], users["Analis Kepegawaian"]
    as_user(client, kabag)
    kasus_id = start(client, sop, "Seleksi Terbuka JPT Pratama Kemenkes 2026")
    item = ops.seleksi_kasus(kasus_id)
    assert item is not None and item.unit_kerja_id == sop.unit_kerja_id  # step 1 created the case's selection

    # 1. The direction: refused until the selection has its posts and panel; the direction is the comment.
    refused(client, kasus_id, "lanjut", "Seleksi JPT masih memerlukan")
    posts = set_up(item)
    db.session.commit()
    page = client.get(f"/seleksijptview/show/{item.id}").get_data(as_text=True)
    assert 'id="langkah-saat-ini"' in page and 'data-transition="lanjut"' in page  # the case's buttons
    step = press(client, users, kasus_id, "lanjut", "Siapkan hasil uji kompetensi JPT Pratama")
    outputs_exist(kasus_id, step)
    step = press(client, users, kasus_id, "lanjut", "Siapkan bahan penetapan hasil")
    outputs_exist(kasus_id, step)

    # 3. The candidates (through the API) and the assessor team's report and scores.
    as_user(client, kasubbag)
    for key, scores in SCORES.items():
        body = {"nip": NIP[key], "nama": NAMES[key], "formasi_id": posts[key[0]], "instansi_asal": "Kemenkes",
                "nilai": {k: v for k, v in zip(STAGES, scores, strict=True) if k != "assessment"}}  # fmt: skip
        assert client.post(f"/api/v1/seleksi-jpt/{item.id}/kandidat", json=body).status_code == 201
    refused(client, kasus_id, "lanjut", "Lampirkan dokumen")
    attach(client, kasus_id, "laporan_hasil_assessment")
    refused(client, kasus_id, "lanjut", "Nilai assessment center belum ada untuk")
    good = xlsx([(NIP[k], NAMES[k], SCORES[k][1]) for k in SCORES])
    ok(client.post(f"/seleksijptview/impor/{item.id}", data={"berkas": (io.BytesIO(good), "hasil.xlsx")},
                   content_type="multipart/form-data"))  # fmt: skip
    step = press(client, users, kasus_id, "lanjut")
    outputs_exist(kasus_id, step)

    # 4. The compilation must exist before the step completes.
    as_user(client, analis)
    refused(client, kasus_id, "lanjut", "Kompilasi nilai kandidat")
    ok(client.post(f"/seleksijptview/kompilasi/{item.id}"))
    step = press(client, users, kasus_id, "lanjut")
    outputs_exist(kasus_id, step)

    # 5. The check returns it once, with a comment, which reopens it; then it passes.
    as_user(client, kasubbag)
    step = press(client, users, kasus_id, "tidak", "Nilai wawancara Dedi Firmansyah diperiksa ulang")
    outputs_exist(kasus_id, step)
    db.session.expire_all()
    item = db.session.get(SeleksiJpt, item.id)
    assert item.status_kompilasi == "dikembalikan" and "wawancara" in item.catatan_kompilasi
    as_user(client, analis)
    refused(client, kasus_id, "lanjut", "Kompilasi nilai kandidat")  # the returned compilation is made again
    ok(client.post(f"/seleksijptview/kompilasi/{item.id}"))
    step = press(client, users, kasus_id, "lanjut")
    step = press(client, users, kasus_id, "ya")
    outputs_exist(kasus_id, step)
    step = press(client, users, kasus_id, "lanjut")  # 6. refined
    outputs_exist(kasus_id, step)
    step = press(client, users, kasus_id, "lanjut")  # 7. approved: frozen
    outputs_exist(kasus_id, step)

    # The approved set is frozen: screen, API and operations refuse an edit; nothing changes.
    as_user(client, analis)
    row = by_key(item)["A3"]
    page = client.post(f"/seleksijptview/kompilasi/{item.id}", follow_redirects=True).get_data(as_text=True)
    assert "telah disetujui dan dibekukan" in page
    response = client.post(f"/api/v1/seleksi-jpt/{item.id}/kandidat",
                           json={"nip": make_nip(), "nama": "Terlambat", "formasi_id": posts["A"]})  # fmt: skip
    assert response.status_code == 409 and "dibekukan" in response.json["message"]
    form = {"seleksi": item.id, "formasi": posts["A"], "nip": NIP["A3"], "nama": NAMES["A3"], "nilai_wawancara": "95"}
    page = client.post(f"/kandidatjptview/edit/{row.id}", data=form, follow_redirects=True).get_data(as_text=True)
    assert "dibekukan" in page
    assert by_key(item)["A3"].nilai_wawancara == 65 and by_key(item)["A3"].nilai_akhir == 64.75

    # 8. The secretariat meeting: all three take part; standar / di bawah standar, three best, minutes, BA.
    give_part(client, kasus_id, kasubbag, "Hadir")
    give_part(client, kasus_id, analis, "Hadir")
    step = press(client, users, kasus_id, "lanjut")
    outputs_exist(kasus_id, step)
    rows = by_key(item)
    assert {k: (r.nilai_akhir, r.peringkat, r.standar) for k, r in rows.items()} == EXPECTED
    drafts = {n.template_kode: n for n in db.session.execute(select(NaskahDinas).where(
        NaskahDinas.kasus_id == kasus_id)).scalars()}  # fmt: skip
    assert {"notulen_rapat", "berita_acara_seleksi_jpt"} <= set(drafts)

    # 9. The secretariat's report and the announcement with its candidate table.
    step = press(client, users, kasus_id, "selesai")
    outputs_exist(kasus_id, step)
    assert case(kasus_id).status == "selesai"
    drafts = {n.template_kode: n for n in db.session.execute(select(NaskahDinas).where(
        NaskahDinas.kasus_id == kasus_id)).scalars()}  # fmt: skip
    assert {"laporan_sekretariat_pansel", "pengumuman_hasil_jpt"} <= set(drafts)
    response = client.get(f"/naskahdinasview/pdf/{drafts['pengumuman_hasil_jpt'].id}")
    assert response.status_code == 200
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages))
    listed = {k for k, name in NAMES.items() if name in text}
    assert listed == {"A1", "A2", "A4", "B1"}  # exactly the three best standar candidates per post
    minutes = client.get(f"/naskahdinasview/pdf/{drafts['notulen_rapat'].id}")
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes.data)).pages))
    assert all(name in text for name in NAMES.values()) and "di bawah standar" in text and "64,75" in text


def test_selection_is_seen_only_in_its_agency_and_changed_only_with_the_permission(
    client, selection, create_user, create_unit
):
    item, posts = selection
    add_candidates(item, posts)
    db.session.commit()
    own = create_user(["Analis Kepegawaian"], item.unit_kerja)
    other = create_user(["Analis Kepegawaian"], create_unit())
    clerk = create_user(["Operator"], item.unit_kerja)
    as_user(client, own)
    assert client.get(f"/seleksijptview/show/{item.id}").status_code == 200
    assert client.get(f"/api/v1/seleksi-jpt/{item.id}/kompilasi").status_code == 200
    assert len(client.get(f"/api/v1/seleksi-jpt/{item.id}/kandidat").json["result"]) == 5
    listing = client.get("/api/v1/seleksi-jpt/").json
    assert [r["id"] for r in listing["result"]] == [item.id] and "kasus_id" in listing["result"][0]
    as_user(client, other)
    assert client.get(f"/seleksijptview/show/{item.id}").status_code == 404
    assert client.get(f"/api/v1/seleksi-jpt/{item.id}/kandidat").status_code == 404
    assert client.post(f"/api/v1/seleksi-jpt/{item.id}/kompilasi").status_code == 404
    assert client.get("/api/v1/seleksi-jpt/").json["count"] == 0
    assert client.post(f"/seleksijptview/kompilasi/{item.id}").status_code == 404
    as_user(client, clerk)  # no JPT permission
    assert client.get(f"/seleksijptview/show/{item.id}").status_code in (302, 403)
    assert client.post(f"/seleksijptview/kompilasi/{item.id}").status_code in (302, 403)
    assert client.get(f"/api/v1/seleksi-jpt/{item.id}/kandidat").status_code in (401, 403)
    assert by_key(item)["A1"].nilai_akhir is None  # nobody compiled


def test_openapi_document_lists_the_selection_resource(client, create_user, create_unit):
    as_user(client, create_user(["Analis Kepegawaian"], create_unit()))
    spec = client.get("/api/v1/_openapi").json
    paths = set(spec["paths"])
    assert {"/api/v1/seleksi-jpt/", "/api/v1/seleksi-jpt/{pk}/kandidat", "/api/v1/seleksi-jpt/{pk}/kompilasi"} <= paths
