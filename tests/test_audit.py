"""Audit trail: who changed which master data, SOP step, user or role, old and new; administrators only;
the database refuses to change or delete the trail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from app.audit import SYSTEM
from app.extensions import db
from app.models import AuditLog, Jabatan, Langkah, Pegawai, PenkomUser
from tests.conftest import PASSWORD, as_user, login, make_nip, uniq


def trail(tabel: str, row_id: int) -> list[AuditLog]:
    db.session.expire_all()
    query = select(AuditLog).where(AuditLog.tabel == tabel, AuditLog.row_id == row_id).order_by(AuditLog.id)
    return list(db.session.execute(query).scalars())


def changes_table(page: str) -> dict[str, tuple[str, str]]:
    """The before/after table of an audit show page: field label -> (before, after) as text."""
    body = page.split('id="perubahan"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if len(cells) == 3 and cells[0] != "Kolom":
            rows[cells[0]] = (cells[1], cells[2])
    return rows


@pytest.fixture
def admin(create_user, create_unit):
    return create_user(["Admin"], create_unit())


def test_civil_servant_edited_in_the_form_shows_before_and_after(client, admin, create_unit, create_pegawai):
    unit, other_unit = admin.unit_kerja, create_unit()
    pegawai = create_pegawai(unit, nama="Siti Rahayu", gelar_belakang="S.E.")
    login(client, admin.username)
    form = {"nip": pegawai.nip, "nama": "Siti Rahayu Lestari", "gelar_belakang": "S.E.", "unit_kerja": other_unit.id,
            "aktif": "y"}  # fmt: skip
    assert client.post(f"/pegawaiview/edit/{pegawai.id}", data=form).status_code == 302

    entry = trail("pegawai", pegawai.id)[-1]
    assert (entry.aksi, entry.user_id, entry.username) == ("update", admin.id, admin.username)
    assert entry.perubahan["nama"] == ["Siti Rahayu", "Siti Rahayu Lestari"]
    assert entry.perubahan["unit_kerja"] == [unit.nama, other_unit.nama]
    assert "gelar_belakang" not in entry.perubahan  # unchanged fields are not listed

    listing = client.get(f"/auditlogview/list/?_flt_0_tabel=pegawai&_flt_0_row_id={pegawai.id}").get_data(as_text=True)
    assert f"/auditlogview/show/{entry.id}" in listing and "diubah" in listing and "Pegawai" in listing
    page = client.get(f"/auditlogview/show/{entry.id}").get_data(as_text=True)
    table = changes_table(page)
    assert table["Nama"] == ("Siti Rahayu", "Siti Rahayu Lestari")
    assert table["Unit Kerja"] == (unit.nama, other_unit.nama)
    assert admin.username in page


def test_sop_step_edited_in_the_form_shows_before_and_after(client, form_sop, admin):
    sop, _users = form_sop
    step = sop.step(2)
    actors = {p.kode: p for p in sop.pelaksana}
    login(client, admin.username)
    form = {"sop": sop.id, "no": 2, "kegiatan": "Memverifikasi kelengkapan berkas", "simbol": "keputusan",
            "pelaksana": actors["verifikator"].id, "pelaksana_lain": [actors["kepala"].id], "waktu": "3 jam",
            "ya_no": 3, "label_ya": "Lengkap", "tidak_no": 1, "label_tidak": "Tidak lengkap"}  # fmt: skip
    assert client.post(f"/langkahview/edit/{step.id}", data=form).status_code == 302

    entry = trail("sop_langkah", step.id)[-1]
    assert entry.aksi == "update" and entry.username == admin.username
    assert entry.perubahan["kegiatan"] == ["Memverifikasi berkas", "Memverifikasi kelengkapan berkas"]
    assert entry.perubahan["waktu_nilai"] == [2, 3]
    assert entry.perubahan["pelaksana_lain"] == {"added": [actors["kepala"].nama]}
    steps = client.get(f"/auditlogview/list/?_flt_0_tabel=sop_langkah&_flt_0_row_id={step.id}").get_data(as_text=True)
    sops = client.get("/auditlogview/list/?_flt_0_tabel=sop&psize_AuditLogView=100").get_data(as_text=True)
    assert f"/auditlogview/show/{entry.id}" in steps and f"/auditlogview/show/{entry.id}" not in sops
    table = changes_table(client.get(f"/auditlogview/show/{entry.id}").get_data(as_text=True))
    assert table["Kegiatan"] == ("Memverifikasi berkas", "Memverifikasi kelengkapan berkas")
    assert table["Waktu (sesuai tertulis)"] == ("2 jam", "3 jam")
    assert table["Pelaksana lain"] == ("", f"+ {actors['kepala'].nama}")


def test_creating_and_deleting_a_position_are_recorded(client, admin):
    login(client, admin.username)
    name = uniq("Analis SDM Aparatur ")
    form = {"nama": name, "jenis": "fungsional", "jenjang": "Ahli Muda"}
    assert client.post("/jabatanview/add", data=form).status_code == 302
    jabatan = db.session.execute(select(Jabatan).where(Jabatan.nama == name)).scalar_one()
    assert client.post(f"/jabatanview/delete/{jabatan.id}").status_code == 302

    created, deleted = trail("jabatan", jabatan.id)
    assert (created.aksi, deleted.aksi) == ("create", "delete")
    assert created.label == deleted.label == f"{name} Ahli Muda"
    assert created.perubahan == {"nama": [None, name], "jenis": [None, "fungsional"], "jenjang": [None, "Ahli Muda"]}
    assert deleted.perubahan == {"nama": [name, None], "jenis": ["fungsional", None], "jenjang": ["Ahli Muda", None]}
    page = client.get(f"/auditlogview/show/{created.id}").get_data(as_text=True)
    assert changes_table(page)["Jenis"] == ("—", "Fungsional")  # the form's label, not the stored value


def test_role_permission_change_is_recorded(app, client, admin):
    sm = app.appbuilder.sm
    role = sm.add_role(uniq("Peran Uji "))
    keep = sm.add_permission_view_menu("can_list", "PegawaiView")
    add = sm.add_permission_view_menu("can_show", "PegawaiView")
    sm.add_permission_role(role, keep)
    login(client, admin.username)
    response = client.post(f"/roles/edit/{role.id}", data={"name": role.name, "permissions": [keep.id, add.id]})
    assert response.status_code == 302

    entries = trail("ab_role", role.id)
    assert [e.aksi for e in entries] == ["create", "update", "update"]
    assert entries[1].username == SYSTEM and entries[1].perubahan == {
        "permissions": {"added": ["can list on PegawaiView"]}
    }
    assert entries[2].username == admin.username
    assert entries[2].perubahan == {"permissions": {"added": ["can show on PegawaiView"]}}
    sm.del_permission_role(role, keep)
    assert trail("ab_role", role.id)[-1].perubahan == {"permissions": {"removed": ["can list on PegawaiView"]}}


def test_user_role_change_and_password_change_are_recorded_without_the_hash(app, client, admin, create_user):
    clerk = create_user(["Operator"], admin.unit_kerja)
    login(client, admin.username)
    form = {"first_name": clerk.first_name, "last_name": clerk.last_name, "username": clerk.username, "active": "y",
            "email": clerk.email, "roles": [r.id for r in clerk.roles] + [app.appbuilder.sm.find_role("Pengawas").id],
            "unit_kerja": clerk.unit_kerja_id}  # fmt: skip
    assert client.post(f"/users/edit/{clerk.id}", data=form).status_code == 302
    app.appbuilder.sm.reset_password(clerk.id, "Baru!Sandi2026xy")

    created, _unit, role_change, password_change = trail("ab_user", clerk.id)  # one entry per transaction
    assert created.aksi == "create" and created.label == clerk.username
    assert created.perubahan["roles"] == {"added": ["Operator"]}
    assert created.perubahan["password"] is None  # set, value not recorded
    assert role_change.username == admin.username
    assert role_change.perubahan == {"roles": {"added": ["Pengawas"]}}
    # An administrator's reset: the value is not recorded, and its owner must replace it.
    assert password_change.perubahan == {"password": None, "wajib_ganti_sandi": [False, True]}
    db.session.refresh(clerk)
    stored = " ".join(str(e.perubahan) for e in trail("ab_user", clerk.id))
    assert clerk.password not in stored and "pbkdf2" not in stored and "scrypt" not in stored
    page = client.get(f"/auditlogview/show/{password_change.id}").get_data(as_text=True)
    assert "diubah (nilai tidak dicatat)" in page


def test_login_bookkeeping_is_not_in_the_trail(client, create_user, create_unit):
    user = create_user(["Operator"], create_unit())
    before = len(trail("ab_user", user.id))
    login(client, user.username)
    client.post("/login/", data={"username": user.username, "password": "salah"})
    assert len(trail("ab_user", user.id)) == before


def test_changes_in_one_transaction_make_one_entry_per_row(ctx, create_unit, create_pegawai):
    pegawai = create_pegawai(create_unit(), nama="Budi")
    pegawai.nama = "Budi Santoso"
    db.session.flush()  # an intermediate flush (e.g. autoflush while a form is read)
    pegawai.nama = "Budi Santoso Putra"
    pegawai.email = "budi@example.test"
    db.session.flush()
    pegawai.email = ""
    db.session.commit()
    assert [e.perubahan for e in trail("pegawai", pegawai.id)][1:] == [{"nama": ["Budi", "Budi Santoso Putra"]}]
    temporary = create_pegawai(pegawai.unit_kerja)
    temporary.nama = "Sementara"
    db.session.rollback()
    assert [e.aksi for e in trail("pegawai", temporary.id)] == ["create"]  # the rolled-back change is not recorded


def test_changes_outside_a_request_are_by_system(ctx, create_unit, create_pegawai):
    pegawai = create_pegawai(create_unit())
    pegawai.telepon = "0284-321000"
    db.session.commit()
    created, changed = trail("pegawai", pegawai.id)
    assert created.username == changed.username == SYSTEM and changed.user_id is None
    assert changed.perubahan == {"telepon": ["", "0284-321000"]}


def test_orm_bulk_insert_update_and_delete_are_recorded(ctx, create_unit):
    unit = create_unit()
    nips = [make_nip(), make_nip()]
    db.session.execute(
        insert(Pegawai), [{"nip": n, "nama": f"Massal {n[-3:]}", "unit_kerja_id": unit.id} for n in nips]
    )
    db.session.commit()
    ids = list(db.session.execute(select(Pegawai.id).where(Pegawai.nip.in_(nips)).order_by(Pegawai.id)).scalars())
    db.session.execute(update(Pegawai).where(Pegawai.id.in_(ids)).values(aktif=False))
    db.session.commit()
    db.session.execute(delete(Pegawai).where(Pegawai.id == ids[0]))
    db.session.commit()

    first = trail("pegawai", ids[0])
    assert [e.aksi for e in first] == ["create", "update", "delete"]
    assert first[0].perubahan["unit_kerja"] == [None, unit.nama]
    assert first[1].perubahan == {"aktif": [True, False]}
    assert first[2].perubahan["nama"][0].startswith("Massal ")
    assert [e.aksi for e in trail("pegawai", ids[1])] == ["create", "update"]


def test_deleting_an_sop_records_its_steps_and_actors(ctx, form_sop):
    sop, _users = form_sop
    step_ids = [s.id for s in sop.langkah]
    db.session.delete(sop)
    db.session.commit()
    assert trail("sop", sop.id)[-1].aksi == "delete"
    assert all(trail("sop_langkah", i)[-1].aksi == "delete" for i in step_ids)
    assert db.session.get(Langkah, step_ids[0]) is None


def test_only_administrators_see_the_trail(client, admin, create_user):
    entry = db.session.execute(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).scalar_one()
    for role in ("Operator", "Pengawas"):
        as_user(client, create_user([role], admin.unit_kerja))
        assert client.get("/auditlogview/list/").status_code == 403
        assert client.get(f"/auditlogview/show/{entry.id}").status_code == 403
    as_user(client, admin)
    assert client.get("/auditlogview/list/").status_code == 200
    assert client.get(f"/auditlogview/show/{entry.id}").status_code == 200
    # No way to add, edit or delete an entry through the app.
    for url in (f"/auditlogview/edit/{entry.id}", "/auditlogview/add"):
        assert client.get(url).status_code in (403, 404)
    client.post(f"/auditlogview/delete/{entry.id}")
    assert db.session.get(AuditLog, entry.id) is not None


def test_trail_filters_by_user_action_and_date(client, admin, create_unit, create_pegawai):
    pegawai = create_pegawai(create_unit())
    login(client, admin.username)
    today = dt.datetime.now(dt.UTC).date()
    query = (f"?_flt_3_username={admin.username}&_flt_0_aksi=create&_flt_1_waktu={today - dt.timedelta(days=1)}"
             f"&_flt_2_waktu={today + dt.timedelta(days=1)}&psize_AuditLogView=100")  # fmt: skip
    client.post("/jabatanview/add", data={"nama": uniq("Jabatan Saring "), "jenis": "pelaksana"})
    page = client.get("/auditlogview/list/" + query).get_data(as_text=True)
    assert "Jabatan Saring" in page
    assert pegawai.nama not in page  # created by system/CLI, not by the administrator


def test_database_refuses_to_change_or_delete_audit_rows(ctx, create_unit):
    create_unit()
    entry_id = db.session.execute(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1)).scalar_one()
    for statement in (
        "UPDATE audit_log SET username = 'penyusup' WHERE id = :id",
        "DELETE FROM audit_log WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement), {"id": entry_id})
        db.session.rollback()
    assert db.session.get(AuditLog, entry_id).username != "penyusup"


def test_account_deletion_keeps_its_trail(app, ctx, create_user, create_unit):
    user = create_user(["Operator"], create_unit())
    user_id = user.id
    app.appbuilder.sm.session.delete(db.session.get(PenkomUser, user_id))
    db.session.commit()
    assert [e.aksi for e in trail("ab_user", user_id)][-1] == "delete"
    assert PASSWORD not in str(trail("ab_user", user_id)[-1].perubahan)
