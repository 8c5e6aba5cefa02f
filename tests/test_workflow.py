"""The engine through HTTP on an SOP built in the generated forms only (no code, no data file)."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Kasus, KasusRiwayat, Sop
from app.roles import WORKFLOW, sync_roles
from tests.conftest import PASSWORD, login, uniq


@pytest.fixture
def roles(app, ctx):
    names = {"pemohon": uniq("Pemohon"), "verifikator": uniq("Verifikator"), "kepala": uniq("Kepala")}
    sync_roles(app.appbuilder.sm, {name: WORKFLOW for name in names.values()})
    return {k: app.appbuilder.sm.find_role(v) for k, v in names.items()}


def ok(response):
    assert response.status_code in (200, 302), response.status_code
    return response


@pytest.fixture
def form_sop(app, client, create_user, create_unit, roles):
    """An SOP made through the SOP, actor and step forms by an administrator."""
    unit = create_unit()
    admin = create_user(["Admin"], unit)
    login(client, admin.username)
    name = uniq("SOP Uji Formulir ")
    ok(client.post("/sopview/add", data={"nama": name, "nomor": "800/1/UJI/2026", "jenis": "mikro",
                                         "instansi": unit.instansi_id, "unit_kerja": unit.id,
                                         "dasar_hukum": "UU 5/2014\nPP 11/2017"}))  # fmt: skip
    sop = db.session.execute(select(Sop).where(Sop.nama == name)).scalar_one()
    for order, (kode, role) in enumerate(roles.items(), start=1):
        ok(client.post("/pelaksanaview/add", data={"sop": sop.id, "urutan": order, "kode": kode,
                                                   "nama": kode.title(), "role": role.id}))  # fmt: skip
    db.session.refresh(sop)
    actor = {p.kode: p.id for p in sop.pelaksana}
    steps = [
        {"no": 1, "kegiatan": "Mengajukan permohonan", "simbol": "mulai", "pelaksana": actor["pemohon"],
         "waktu": "1 hari", "output": "Berkas"},
        {"no": 2, "kegiatan": "Memverifikasi berkas", "simbol": "keputusan", "pelaksana": actor["verifikator"],
         "waktu": "2 jam", "ya_no": 3, "label_ya": "Lengkap", "tidak_no": 1, "label_tidak": "Tidak lengkap"},
        {"no": 3, "kegiatan": "Menyetujui", "simbol": "proses", "pelaksana": actor["kepala"], "waktu": "30 menit",
         "kembali_no": 2, "label_kembali": "Kembalikan ke verifikator"},
        {"no": 4, "kegiatan": "Mengarsipkan", "simbol": "selesai", "pelaksana": actor["verifikator"],
         "waktu": "menyesuaikan"},
    ]  # fmt: skip
    for step in steps:
        ok(client.post("/langkahview/add", data={"sop": sop.id, **step}))
    db.session.refresh(sop)
    assert [s.no for s in sop.langkah] == [1, 2, 3, 4]
    client.get("/logout/")
    users = {k: create_user([r.name], unit) for k, r in roles.items()}
    return sop, users


def start(client, sop, judul="Permohonan uji"):
    response = client.post("/kasusview/add", data={"sop": sop.id, "judul": judul})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(re.search(r"/show/(\d+)", response.headers["Location"]).group(1))


def act(client, kasus_id, transition, comment=""):
    return client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": transition, "comment": comment})


def case(kasus_id):
    db.session.expire_all()
    return db.session.get(Kasus, kasus_id)


def as_user(client, user):
    client.get("/logout/")
    login(client, user.username, PASSWORD)


def test_form_built_sop_walks_to_the_end_with_branch_and_return(client, form_sop):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    assert case(kasus_id).langkah_no == 1 and case(kasus_id).due_at is not None
    ok(act(client, kasus_id, "lanjut"))
    as_user(client, users["verifikator"])
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert "Lengkap" in page and "Tidak lengkap" in page
    ok(act(client, kasus_id, "tidak"))  # incomplete: back to the applicant
    assert case(kasus_id).langkah_no == 1
    as_user(client, users["pemohon"])
    ok(act(client, kasus_id, "lanjut"))
    as_user(client, users["verifikator"])
    ok(act(client, kasus_id, "ya"))
    as_user(client, users["kepala"])
    ok(act(client, kasus_id, "kembali"))  # no comment: refused
    assert case(kasus_id).langkah_no == 3
    ok(act(client, kasus_id, "kembali", "Periksa lagi tanggalnya"))
    assert case(kasus_id).langkah_no == 2
    as_user(client, users["verifikator"])
    ok(act(client, kasus_id, "ya"))
    as_user(client, users["kepala"])
    ok(act(client, kasus_id, "lanjut"))
    as_user(client, users["verifikator"])
    ok(act(client, kasus_id, "selesai"))
    final = case(kasus_id)
    assert final.status == "selesai" and final.langkah_id is None
    history = db.session.execute(
        select(KasusRiwayat).where(KasusRiwayat.kasus_id == kasus_id).order_by(KasusRiwayat.id)
    ).scalars().all()
    assert [(h.dari_no, h.ke_no) for h in history] == [(1, 2), (2, 1), (1, 2), (2, 3), (3, 2), (2, 3), (3, 4), (4, None)]
    assert all(h.durasi_menit is not None for h in history)
    assert history[4].komentar == "Periksa lagi tanggalnya"
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert "Periksa lagi tanggalnya" in page


def test_wrong_role_sees_no_button_and_forced_post_changes_nothing(client, form_sop):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    ok(act(client, kasus_id, "lanjut"))  # now at step 2 (verifikator)
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert 'name="transition"' not in page
    before = case(kasus_id).versi
    act(client, kasus_id, "ya")
    assert case(kasus_id).versi == before and case(kasus_id).langkah_no == 2


def test_sop_document_pdf_lists_every_step(client, form_sop):
    import io

    from pypdf import PdfReader

    sop, users = form_sop
    as_user(client, users["kepala"])
    response = client.get(f"/sopview/pdf/{sop.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    positions = [text.find(s.kegiatan) for s in sop.langkah]
    assert -1 not in positions and positions == sorted(positions)
