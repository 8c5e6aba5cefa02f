"""Polhukam seed 3, "Penyiapan Rencana Pelaksanaan Assesment Pegawai": the assessment plan with its
candidate criteria, the computed and reviewed candidate list (Excel, participants of an event), the
instruments checklist, the coordination log and the readiness report, walked step by step by role."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.documents import naskah as docs
from app.extensions import db
from app.models import (
    Gelombang,
    Hasil,
    Jabatan,
    KegiatanPenilaian,
    Metode,
    NaskahDinas,
    Pangkat,
    Peserta,
    RencanaPenilaian,
    Sop,
)
from app.rencana import operations as ops
from app.workflow import engine
from tests.conftest import as_user, case, link_pegawai, login, ok, start, uniq

TODAY = dt.date.today()
Y = TODAY.year
SOP = "polhukam-rencana-assessment"


def seed() -> Sop:
    return db.session.execute(select(Sop).where(Sop.kode == SOP, Sop.berlaku.is_(True))).scalar_one()


def rank(golongan: str) -> Pangkat:
    return db.session.execute(select(Pangkat).where(Pangkat.golongan == golongan)).scalar_one()


def nip(age: int) -> str:
    """A valid NIP of someone born on 1 January `age` years ago (so their age today is exactly `age`)."""
    serial = int(re.sub(r"\D", "", uniq(""))) % 999 + 1
    return f"{Y - age}0101{Y - age + 24}0{serial % 9 + 1}1{serial:03d}"


def plan_of(kasus_id) -> RencanaPenilaian:
    db.session.expire_all()
    return db.session.execute(select(RencanaPenilaian).where(RencanaPenilaian.kasus_id == kasus_id)).scalar_one()


@pytest.fixture
def people(create_unit, create_pegawai):
    """An agency like the demo's: a personnel section with a subunit and another bureau, and civil servants
    whose position, rank, unit, age, years in rank and last assessment are known."""

    def make(root=None):
        root = root or create_unit(nama=uniq("Sekretariat "))
        bagian = create_unit(induk=root, nama=uniq("Bagian Umum "))
        subbag = create_unit(induk=bagian, nama=uniq("Subbagian Rumah Tangga "))
        lain = create_unit(induk=root, nama=uniq("Biro Lain "))
        jab = {kind: Jabatan(nama=uniq(f"Jabatan {kind} "), jenis=kind, instansi_id=root.instansi_id)
               for kind in ("administrator", "pengawas", "pelaksana")}  # fmt: skip
        db.session.add_all(jab.values())
        db.session.commit()

        def person(nama, kind, golongan, unit, age, years_in_rank, aktif=True):
            return create_pegawai(unit, nama=f"{nama} {uniq('')}", nip=nip(age), jabatan=jab[kind],
                                  pangkat=rank(golongan), aktif=aktif,
                                  tmt_pangkat=dt.date(Y - years_in_rank, 1, 1))  # fmt: skip

        p = {
            "A": person("Adi Nugroho", "administrator", "III/d", bagian, 40, 5),  # meets every criterion
            "B": person("Bagus Santoso", "administrator", "III/b", bagian, 38, 4),  # rank below III/c
            "C": person("Citra Lestari", "pengawas", "IV/a", bagian, 45, 3),  # assessed last year
            "D": person("Dedi Kurniawan", "pengawas", "III/c", lain, 42, 3),  # outside the chosen unit
            "E": person("Eka Putri", "pelaksana", "III/d", bagian, 40, 5),  # position kind pelaksana
            "F": person("Fajar Hidayat", "pengawas", "IV/a", bagian, 52, 6),  # older than 50
            "G": person("Gita Anggraini", "administrator", "IV/a", bagian, 36, 1),  # one year in rank
            "H": person("Hendra Wijaya", "pengawas", "III/c", subbag, 50, 2),  # subunit, 50, 2 years, old result
            "I": person("Indah Permata", "administrator", "IV/b", bagian, 41, 8, aktif=False),  # inactive
        }  # fmt: skip
        assessed(p["C"], dt.date(Y - 1, 1, 1), root)
        assessed(p["H"], dt.date(Y - 4, 1, 1), root)
        return root, bagian, p

    return make


def assessed(pegawai, day: dt.date, unit) -> None:
    """A locked result of an earlier assessment of this civil servant."""
    event = KegiatanPenilaian(nama=uniq("Penilaian lama "), tujuan="pemetaan", unit_kerja=unit, status="selesai")
    wave = Gelombang(kegiatan=event, nomor=1)
    p = Peserta(kegiatan=event, gelombang=wave, pegawai=pegawai, nip=pegawai.nip, nama=pegawai.nama)
    db.session.add_all([event, wave, p])
    db.session.flush()
    db.session.add(Hasil(peserta=p, kegiatan=event, pegawai_id=pegawai.id, tujuan="pemetaan", rumus="jumlah", jpm=80,
                         kategori="ms", tanggal=day, berlaku_sampai=dt.date(day.year + 3, 1, 1)))  # fmt: skip
    db.session.commit()


def criteria(client, plan_id, bagian, **extra):
    data = {"periode_mulai": f"{Y}-07-01", "periode_selesai": f"{Y}-12-31", "sasaran": "Pejabat administrator dan "
            "pengawas Bagian Umum", "jenis_jabatan": ["administrator", "pengawas"], "pangkat_min_id": rank("III/c").id,
            "unit_ids": [bagian.id], "usia_min": "35", "usia_max": "50", "masa_min_tahun": "2",
            "masa_dasar": "pangkat", "penilaian_lewat_tahun": "3", **extra}  # fmt: skip
    return client.post(f"/rencanapenilaianview/kriteria/{plan_id}", data=data, follow_redirects=True)


def names(plan) -> list[str]:
    db.session.expire_all()
    return [k.pegawai.nama.rsplit(" ", 1)[0] for k in ops.kandidat_terpilih(db.session.get(RencanaPenilaian, plan.id))]


@pytest.fixture
def kasubbag(create_user, create_pegawai):
    def make(unit):
        return link_pegawai(create_user(["Kepala Subbagian"], unit), create_pegawai(unit, nama=uniq("Kasubbag ")))

    return make


def new_plan(user, unit) -> RencanaPenilaian:
    return ops.buat_rencana(user, uniq("Rencana assessment "), unit_kerja_id=unit.id)


# -- the candidate list --------------------------------------------------------------------------------------


def test_criteria_select_the_hand_checked_candidates_reviewed_exported_and_made_participants(client, people, kasubbag):
    root, bagian, p = people()
    user = kasubbag(root)
    plan = new_plan(user, root)
    login(client, user.username)
    page = criteria(client, plan.id, bagian).get_data(as_text=True)
    assert "2 calon peserta" in page or "Kriteria disimpan" in page
    # Hand-checked: Adi (all criteria) and Hendra (a subunit of the chosen unit, exactly 50, exactly two years
    # in rank, last assessed four years ago); everyone else fails exactly one criterion.
    assert names(plan) == ["Adi Nugroho", "Hendra Wijaya"]

    # Review: Adi is excluded, Bagus added by hand, each with a reason.
    ok(client.post(f"/rencanapenilaianview/tinjau/{plan.id}",
                   data={"pegawai_id": p["A"].id, "sertakan": "0", "alasan": "Sedang tugas belajar"}))  # fmt: skip
    ok(client.post(f"/rencanapenilaianview/tinjau/{plan.id}",
                   data={"pegawai_id": p["B"].id, "sertakan": "1", "alasan": "Usulan pimpinan unit"}))  # fmt: skip
    assert names(plan) == ["Bagus Santoso", "Hendra Wijaya"]
    page = client.get(f"/rencanapenilaianview/show/{plan.id}").get_data(as_text=True)
    assert "Sedang tugas belajar" in page and "Usulan pimpinan unit" in page

    response = client.get(f"/rencanapenilaianview/unduh/{plan.id}")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]
    assert [(r[1], r[2].split(" ")[0], r[7]) for r in rows] == [(p["B"].nip, "Bagus", 38), (p["H"].nip, "Hendra", 50)]
    assert "Ditambahkan: Usulan pimpinan unit" in rows[0][10]

    page = client.post(f"/rencanapenilaianview/peserta/{plan.id}", follow_redirects=True).get_data(as_text=True)
    assert "2 peserta ditambahkan" in page
    db.session.expire_all()
    event = db.session.get(RencanaPenilaian, plan.id).kegiatan
    members = db.session.execute(select(Peserta).where(Peserta.kegiatan_id == event.id)).scalars().all()
    assert sorted(m.pegawai_id for m in members) == sorted([p["B"].id, p["H"].id])
    # Pressing it again adds nobody twice.
    client.post(f"/rencanapenilaianview/peserta/{plan.id}")
    assert db.session.execute(select(Peserta).where(Peserta.kegiatan_id == event.id)).scalars().all() == members


def test_criteria_that_select_nobody_are_refused_and_nothing_changes(client, people, kasubbag):
    root, bagian, _p = people()
    user = kasubbag(root)
    plan = new_plan(user, root)
    login(client, user.username)
    criteria(client, plan.id, bagian)
    before = names(plan)
    page = criteria(client, plan.id, bagian, usia_min="60", usia_max="65").get_data(as_text=True)
    assert "Kriteria ini tidak menjaring seorang pun" in page
    db.session.expire_all()
    item = db.session.get(RencanaPenilaian, plan.id)
    assert (item.usia_min, item.usia_max) == (35, 50) and names(plan) == before


def test_bad_criteria_input_gets_an_indonesian_message(client, people, kasubbag):
    root, bagian, _p = people()
    user = kasubbag(root)
    plan = new_plan(user, root)
    login(client, user.username)
    page = criteria(client, plan.id, bagian, usia_min="abc").get_data(as_text=True)
    assert "harus berupa bilangan bulat" in page
    page = criteria(client, plan.id, bagian, unit_ids=["x"]).get_data(as_text=True)
    assert "Formulir tidak lengkap" in page
    assert db.session.get(RencanaPenilaian, plan.id).usia_min is None


# -- roles both ways -----------------------------------------------------------------------------------------------


def test_roles_and_agencies_both_ways(client, people, kasubbag, create_user, create_unit):
    root, bagian, _p = people()
    owner = kasubbag(root)
    plan = new_plan(owner, root)
    ops.atur_kriteria(plan.id, owner, ops.Kriteria(unit_ids=[bagian.id]), dt.date(Y, 7, 1))
    other = kasubbag(create_unit())
    staf = create_user(["Staf Pelaksana"], root)
    pihak = create_user(["Pihak Terkait"], root)

    # Another agency's Kasubbag: not found, in pages, downloads, actions and the API.
    login(client, other.username)
    assert client.get(f"/rencanapenilaianview/show/{plan.id}").status_code == 404
    assert client.get(f"/rencanapenilaianview/unduh/{plan.id}").status_code == 404
    log = {"pihak": "X", "tanggal": str(TODAY), "hasil": "X"}
    assert client.post(f"/rencanapenilaianview/koordinasi/{plan.id}", data=log).status_code == 404
    assert plan.nama not in client.get("/rencanapenilaianview/list/").get_data(as_text=True)
    assert client.get(f"/api/v1/rencana-penilaian/{plan.id}/kandidat").status_code == 404
    assert client.get(f"/api/v1/rencana-penilaian/{plan.id}").status_code == 404

    # The Pelaksana reads the plan and keeps the instruments, but does not set criteria.
    as_user(client, staf)
    assert client.get(f"/rencanapenilaianview/show/{plan.id}").status_code == 200
    assert client.post(f"/rencanapenilaianview/kriteria/{plan.id}", data={"usia_min": "30"}).status_code == 403
    metode = db.session.execute(select(Metode).order_by(Metode.id)).scalars().first()
    ok(client.post(f"/rencanapenilaianview/instrumen/{plan.id}", data={"metode_ids": [metode.id]}))
    assert [r.metode_id for r in db.session.get(RencanaPenilaian, plan.id).instrumen] == [metode.id]

    # A unit or third party reads it (and its candidates) but does not write the coordination log.
    as_user(client, pihak)
    assert client.get(f"/rencanapenilaianview/show/{plan.id}").status_code == 200
    assert client.post(f"/rencanapenilaianview/koordinasi/{plan.id}", data=log).status_code == 403
    body = client.get(f"/api/v1/rencana-penilaian/{plan.id}/kandidat").json
    assert body["count"] == len(ops.kandidat_terpilih(db.session.get(RencanaPenilaian, plan.id))) > 0

    # The owner's Kasubbag records the coordination.
    as_user(client, owner)
    ok(client.post(f"/rencanapenilaianview/koordinasi/{plan.id}",
                   data={"pihak": "Biro SDM", "tanggal": str(TODAY), "hasil": "Ruang siap"}))  # fmt: skip
    assert [c.pihak for c in db.session.get(RencanaPenilaian, plan.id).koordinasi] == ["Biro SDM"]
    page = client.post(
        f"/rencanapenilaianview/koordinasi/{plan.id}",
        data={"pihak": "", "tanggal": "", "hasil": ""},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Isi dengan siapa, kapan dan hasil koordinasi" in page


def test_rest_resource_is_in_the_openapi_document(client, create_user, create_unit):
    login(client, create_user(["Admin"], create_unit()).username)
    spec = client.get("/api/v1/_openapi").json
    assert "/api/v1/rencana-penilaian/" in spec["paths"] and "/api/v1/rencana-penilaian/{pk}/kandidat" in spec["paths"]


# -- the SOP, step by step, by role ------------------------------------------------------------------------------------


def press(client, kasus_id, transition="lanjut", comment="", page=None):
    """Press a workflow button on the plan's page (or the case page): the panel is the case page's own."""
    data = {"transition": transition, "comment": comment, "versi": case(kasus_id).versi}
    if page:
        data["kembali_ke"] = page
    return client.post(f"/kasusview/transisi/{kasus_id}", data=data, follow_redirects=True).get_data(as_text=True)


def outputs_exist(kasus_id, no) -> list:
    kasus = case(kasus_id)
    found = engine.step_outputs(kasus, kasus.sop.step(no))
    assert found and all(o.exists for o in found), [(o.label, o.exists) for o in found]
    return found


def test_polhukam_sop_walks_to_the_end_with_each_step_output_kept(client, people, create_user, create_pegawai):
    sop = seed()
    unit = sop.unit_kerja
    root, bagian, p = people(root=unit)
    users = {}
    for actor in sop.pelaksana:
        users[actor.kode] = link_pegawai(
            create_user([actor.role.name], unit),
            create_pegawai(unit, nama=uniq(f"{actor.nama} "), pangkat=rank("IV/a")),
        )

    # Step 1, Kabag Kepegawaian: the direction is the comment the step requires.
    as_user(client, users["kabag"])
    kasus_id = start(client, sop, "Rencana assessment pegawai semester II")
    page = press(client, kasus_id)
    assert "Komentar wajib diisi" in page and case(kasus_id).langkah_no == 1
    press(client, kasus_id, comment="Siapkan rencana assessment bagi administrator dan pengawas Bagian Umum.")
    assert case(kasus_id).langkah_no == 2
    assert "administrator dan pengawas" in outputs_exist(kasus_id, 1)[0].detail

    # Step 2, Kasubbag MutJab: the plan exists (made when the case arrived); its page carries the buttons.
    as_user(client, users["kasubbag"])
    plan = plan_of(kasus_id)
    here = f"/rencanapenilaianview/show/{plan.id}"
    page = client.get(here).get_data(as_text=True)
    assert 'id="langkah-saat-ini"' in page and 'id="transisi-form"' in page and 'name="kembali_ke"' in page
    page = press(client, kasus_id, page=here)
    assert "rencana belum memiliki periode" in page.lower(), re.findall(
        r'class="alert[^"]*"[^>]*>(.*?)</div>', page, re.S
    )
    assert case(kasus_id).langkah_no == 2
    criteria(client, plan.id, bagian)
    ok(client.post(f"/kasusview/petugas/{kasus_id}",
                   data={"pegawai_id": users["pelaksana"].pegawai_id, "peran": "Penyiap instrumen"}))  # fmt: skip
    page = press(client, kasus_id, page=here)
    assert case(kasus_id).langkah_no == 3 and 'id="kandidat"' in page  # back on the plan's page
    assert {o.label for o in outputs_exist(kasus_id, 2)} >= {plan.nama}

    # Step 3, Pelaksana: the instruments checklist from the method catalogue, every item ready.
    as_user(client, users["pelaksana"])
    methods = db.session.execute(select(Metode).where(Metode.aktif.isnot(False)).order_by(Metode.id)).scalars().all()
    chosen = [m.id for m in methods[:3]]
    ok(client.post(f"/rencanapenilaianview/instrumen/{plan.id}", data={"metode_ids": chosen, "siap_ids": chosen[:2]}))
    assert "belum siap" in press(client, kasus_id, page=here) and case(kasus_id).langkah_no == 3
    ok(client.post(f"/rencanapenilaianview/instrumen/{plan.id}", data={"metode_ids": chosen, "siap_ids": chosen}))
    press(client, kasus_id, page=here)
    assert case(kasus_id).langkah_no == 4
    outputs_exist(kasus_id, 3)

    # Step 4, Kasubbag with the units / third parties: the coordination log.
    as_user(client, users["kasubbag"])
    assert "koordinasi" in press(client, kasus_id, page=here).lower() and case(kasus_id).langkah_no == 4
    ok(client.post(f"/rencanapenilaianview/koordinasi/{plan.id}",
                   data={"pihak": "Biro Sumber Daya Manusia", "tanggal": str(TODAY),
                         "hasil": "Ruang asesmen dan jadwal disepakati"}))  # fmt: skip
    press(client, kasus_id, page=here)
    assert case(kasus_id).langkah_no == 5
    outputs_exist(kasus_id, 4)

    # Step 5, Kabag: the readiness report, drafted when the case arrived, with its tables from the plan.
    as_user(client, users["kabag"])
    report = db.session.execute(select(NaskahDinas).where(NaskahDinas.kasus_id == kasus_id)).scalar_one()
    assert report.template_kode == "laporan_kesiapan_assessment"
    assert "| 1 | Adi Nugroho" in report.isi and "Biro Sumber Daya Manusia" in report.isi
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(docs.render(report))).pages).split())
    assert "Hendra Wijaya" in text and methods[0].nama in text and "Ruang asesmen dan jadwal disepakati" in text
    press(client, kasus_id, "selesai")
    assert case(kasus_id).status == "selesai"
    outputs_exist(kasus_id, 5)
    # The finished case freezes its plan.
    as_user(client, users["kasubbag"])
    page = criteria(client, plan.id, bagian, usia_max="45").get_data(as_text=True)
    assert "tidak dapat diubah lagi" in page
