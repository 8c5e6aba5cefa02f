"""Issue 17, finding 8 (reference integrity): a document kind that an SOP step names cannot be deleted or
have its code changed, and only the staff of the agency's main unit (or an administrator) change or delete
the agency's kinds; Penkom's own roles, the administrators' first, cannot be made "own records only"."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import JenisDokumen, Langkah, LingkupPeran, Pelaksana, Sop
from app.roles import WORKFLOW, sync_roles
from tests.conftest import login, uniq


def sop_naming(unit, role, kode: str) -> Sop:
    """An SOP of the unit's agency whose step 2 checks for an attachment of the kind and step 3 keeps one."""
    sop = Sop(kode=uniq("sop-rujukan-"), revisi=0, berlaku=True, nama=uniq("SOP Rujukan "), nomor="800/1/2026",
              instansi_id=unit.instansi_id, unit_kerja_id=unit.id)  # fmt: skip
    actor = Pelaksana(urutan=1, kode="petugas", nama="Petugas", role=role)
    sop.pelaksana.append(actor)
    sop.langkah.extend([
        Langkah(no=1, kegiatan="Menerima berkas", simbol="mulai", pelaksana=actor, waktu="1 hari"),
        Langkah(no=2, kegiatan="Memeriksa berkas", pelaksana=actor, waktu="1 hari",
                guards=f"komentar_wajib, lampiran:{kode}"),
        Langkah(no=3, kegiatan="Mengarsipkan", simbol="selesai", pelaksana=actor, waktu="1 hari",
                keluaran=f"lampiran:{kode}"),
    ])  # fmt: skip
    db.session.add(sop)
    db.session.commit()
    return sop


def kind(unit, kode: str, instansi_id: int | None = -1) -> JenisDokumen:
    row = JenisDokumen(instansi_id=unit.instansi_id if instansi_id == -1 else instansi_id, kode=kode,
                       nama=f"Dokumen {kode}")  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture(autouse=True)
def _ids_not_reused(create_unit):
    """SQLite hands the id of a deleted last row out again; other tests find rows by id in the audit
    trail. A row added after each test keeps the deleted ids unused."""
    yield
    kind(create_unit(), uniq("penjaga_"))


def exists(row_id: int) -> JenisDokumen | None:
    db.session.expire_all()
    return db.session.get(JenisDokumen, row_id)


def test_reference_integrity_a_document_kind_an_sop_step_names_cannot_be_deleted_or_recoded(
    app, client, create_user, create_unit, roles
):
    unit = create_unit()
    row = kind(unit, "sk_pangkat")
    sop = sop_naming(unit, roles["verifikator"], "sk_pangkat")
    login(client, create_user(["Operator"], unit).username)

    page = client.post(f"/jenisdokumenview/delete/{row.id}", follow_redirects=True).get_data(as_text=True)
    assert exists(row.id) is not None
    assert f"{sop.nama} langkah 2" in page and f"{sop.nama} langkah 3" in page  # the SOP and its steps by name
    assert "Tidak dapat dihapus" in page

    form = {"instansi": unit.instansi_id, "kode": "sk_pangkat_terakhir", "nama": "SK pangkat terakhir"}
    page = client.post(f"/jenisdokumenview/edit/{row.id}", data=form, follow_redirects=True).get_data(as_text=True)
    assert "Kode tidak dapat diubah" in page and f"{sop.nama} langkah 2" in page
    assert exists(row.id).kode == "sk_pangkat"
    # The name is only what people read: it may change.
    client.post(f"/jenisdokumenview/edit/{row.id}", data={**form, "kode": "sk_pangkat"})
    assert exists(row.id).nama == "SK pangkat terakhir"

    # Both ways: once no step names it (or another kind of the code remains for the agency), it goes.
    national = kind(unit, "sk_pangkat", instansi_id=None)
    client.post(f"/jenisdokumenview/delete/{row.id}")
    assert exists(row.id) is None
    db.session.delete(exists(national.id))
    db.session.commit()
    unused = kind(unit, "surat_lain")
    client.post(f"/jenisdokumenview/delete/{unused.id}")
    assert exists(unused.id) is None


def test_reference_integrity_a_sub_unit_operator_does_not_delete_the_agency_kinds(client, create_user, create_unit):
    main = create_unit()
    branch = create_unit(induk=main)
    row = kind(main, "ijazah_terakhir")
    login(client, create_user(["Operator"], branch).username)
    assert "Dokumen ijazah_terakhir" in client.get("/jenisdokumenview/list/").get_data(as_text=True)  # read: yes
    page = client.post(f"/jenisdokumenview/delete/{row.id}", follow_redirects=True).get_data(as_text=True)
    assert exists(row.id) is not None and "hanya staf unit induknya atau administrator" in page
    client.post(f"/jenisdokumenview/edit/{row.id}", data={"instansi": main.instansi_id, "kode": "ijazah",
                                                          "nama": "Diubah"})  # fmt: skip
    assert exists(row.id).kode == "ijazah_terakhir"
    # The staff of the main unit keep them.
    client.get("/logout/")
    login(client, create_user(["Operator"], main).username)
    client.post(f"/jenisdokumenview/delete/{row.id}")
    assert exists(row.id) is None


def grants(app, name: str) -> set:
    db.session.expire_all()
    return {(pv.permission.name, pv.view_menu.name) for pv in app.appbuilder.sm.find_role(name).permissions}


def test_reference_integrity_penkom_roles_cannot_become_own_records_only(app, client, create_user, create_unit):
    sm = app.appbuilder.sm
    unit = create_unit()
    login(client, create_user(["Admin"], unit).username)
    for name in (sm.auth_role_admin, "Operator", "Pengawas"):
        before = grants(app, name)
        role = sm.find_role(name)
        page = client.post("/lingkupperanview/add", data={"role": role.id, "lingkup": "sendiri"},
                           follow_redirects=True).get_data(as_text=True)  # fmt: skip
        assert f"Peran {name} tidak dapat diatur menjadi" in page, name
        assert grants(app, name) == before
        assert db.session.execute(select(LingkupPeran).where(LingkupPeran.role_id == role.id)).first() is None
    assert len(grants(app, sm.auth_role_admin)) > 100

    # A role made for people outside the agency may, and loses its drafting as documented.
    name = uniq("Pemohon Luar ")
    sync_roles(sm, {name: WORKFLOW})
    outside = sm.find_role(name)
    client.post("/lingkupperanview/add", data={"role": outside.id, "lingkup": "sendiri"})
    row = db.session.execute(select(LingkupPeran).where(LingkupPeran.role_id == outside.id)).scalar_one()
    assert ("can_add", "NaskahDinasView") not in grants(app, name)
    # Its row cannot be turned to a Penkom role either.
    data = {"role": sm.find_role("Operator").id, "lingkup": "sendiri"}
    page = client.post(f"/lingkupperanview/edit/{row.id}", data=data, follow_redirects=True)
    assert "Peran Operator tidak dapat diatur menjadi" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(LingkupPeran, row.id).role_id == outside.id
    count = db.session.execute(select(func.count(LingkupPeran.id))).scalar_one()
    assert count >= 1
