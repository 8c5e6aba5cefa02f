"""Trust (issue 8), the scope findings: shared reference data, names leaking through filters and
forms, applicants seeing each other, unknown actions, profiles and first-login passwords.
Each test is named after the finding of the outside sweep it closes."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Jabatan, Kasus, Pegawai, PenkomUser, Sop, UnitKerja
from tests.conftest import PASSWORD, as_user, login, ok, start, uniq


def seed(kode) -> Sop:
    return db.session.execute(select(Sop).where(Sop.kode == kode, Sop.berlaku.is_(True))).scalar_one()


def unit(kode) -> UnitKerja:
    return db.session.execute(select(UnitKerja).where(UnitKerja.kode == kode)).scalar_one()


@pytest.fixture
def two_agencies(create_unit):
    """Agency A (root unit and a sub-unit) and agency B, with distinctive names."""
    a = create_unit(nama=uniq("Bidang Alfa "))
    a_child = create_unit(induk=a, nama=uniq("Subbidang Alfa "))
    b = create_unit(nama=uniq("Bidang Bravo Rahasia "))
    return a, a_child, b


# -- finding 1: shared reference data ------------------------------------------------------------


def test_finding_1_operator_cannot_delete_or_edit_another_agencys_position(client, create_user, two_agencies):
    a, _, b = two_agencies
    theirs = Jabatan(nama=uniq("Kepala Seksi Bravo "), jenis="pengawas", instansi_id=b.instansi_id)
    db.session.add(theirs)
    db.session.commit()
    login(client, create_user(["Operator"], a).username)
    assert client.post(f"/jabatanview/delete/{theirs.id}").status_code == 404
    assert client.get(f"/jabatanview/edit/{theirs.id}").status_code == 404
    assert theirs.nama not in client.get("/jabatanview/list/?psize_JabatanView=500").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Jabatan, theirs.id) is not None


def test_finding_1_national_positions_are_read_only_except_for_administrators(client, create_user, two_agencies):
    a, _, _ = two_agencies
    national = Jabatan(nama=uniq("Asesor SDM Aparatur "), jenis="fungsional", jenjang="Ahli Muda")
    db.session.add(national)
    db.session.commit()
    login(client, create_user(["Operator"], a).username)
    assert national.nama in client.get("/jabatanview/list/?psize_JabatanView=500").get_data(as_text=True)
    page = client.get(f"/jabatanview/edit/{national.id}", follow_redirects=True).get_data(as_text=True)
    assert "hanya administrator" in page
    client.post(f"/jabatanview/edit/{national.id}", data={"nama": "Diubah", "jenis": "fungsional"})
    client.post(f"/jabatanview/delete/{national.id}")
    db.session.expire_all()
    assert db.session.get(Jabatan, national.id).nama == national.nama


def test_finding_1_operator_keeps_only_their_own_agencys_positions(client, create_user, two_agencies):
    a, _, b = two_agencies
    login(client, create_user(["Operator"], a).username)
    form = client.get("/jabatanview/add").get_data(as_text=True)
    assert a.instansi.nama in form and b.instansi.nama not in form
    name = uniq("Penata Layanan Operasional ")
    # Another agency's id is not a valid choice; no agency at all is refused for a non-administrator.
    client.post("/jabatanview/add", data={"nama": name, "jenis": "pelaksana", "instansi": b.instansi_id})
    page = client.post("/jabatanview/add", data={"nama": name, "jenis": "pelaksana"},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "Pilih instansi" in page
    assert db.session.execute(select(Jabatan).where(Jabatan.nama == name)).first() is None
    ok(client.post("/jabatanview/add", data={"nama": name, "jenis": "pelaksana", "instansi": a.instansi_id}))
    created = db.session.execute(select(Jabatan).where(Jabatan.nama == name)).scalar_one()
    assert created.instansi_id == a.instansi_id


def test_finding_1_delete_refused_while_still_used_naming_what_uses_it(client, create_user, create_pegawai,
                                                                        two_agencies):  # fmt: skip
    a, _, _ = two_agencies
    used = Jabatan(nama=uniq("Analis Kepegawaian "), jenis="pelaksana", instansi_id=a.instansi_id)
    unused = Jabatan(nama=uniq("Pengadministrasi Umum "), jenis="pelaksana", instansi_id=a.instansi_id)
    db.session.add_all([used, unused])
    db.session.commit()
    used_id, unused_id = used.id, unused.id
    holder = create_pegawai(a, jabatan=used)
    login(client, create_user(["Operator"], a).username)
    page = client.post(f"/jabatanview/delete/{used_id}", follow_redirects=True).get_data(as_text=True)
    assert "masih dipakai oleh 1 pegawai" in page
    ok(client.post(f"/jabatanview/delete/{unused_id}"))
    db.session.expire_all()
    assert db.session.get(Jabatan, used_id) is not None
    assert db.session.get(Pegawai, holder.id).jabatan_id == used_id
    assert db.session.get(Jabatan, unused_id) is None


def test_finding_1_admin_cannot_delete_a_rank_or_unit_that_is_still_used(client, create_user, create_pegawai,
                                                                          two_agencies):  # fmt: skip
    a, a_child, _ = two_agencies
    create_pegawai(a_child)
    login(client, create_user(["Admin"], a).username)
    page = client.post(f"/unitkerjaview/delete/{a.id}", follow_redirects=True).get_data(as_text=True)
    assert "masih dipakai oleh" in page and "unit kerja" in page
    db.session.expire_all()
    assert db.session.get(UnitKerja, a.id) is not None


# -- finding 2: names of other units through filters and forms --------------------------------------


def test_finding_2_filters_and_form_choices_show_no_other_agency(client, create_user, create_pegawai, two_agencies):
    a, _, b = two_agencies
    other_sop = seed("pemalang-kerjasama-penilaian-kompetensi")  # an SOP of another agency (Pemalang)
    create_pegawai(b, nama=uniq("Pegawai Bravo "))
    # The control: an administrator does see the other agency in the same drop-downs.
    login(client, create_user(["Admin"], a).username)
    assert b.nama in client.get("/pegawaiview/add").get_data(as_text=True)
    # List filters load their options when opened (app/search_choices.py).
    assert other_sop.nama in client.get("/kasusview/choices/sop").get_data(as_text=True)
    client.get("/logout/")
    login(client, create_user(["Pejabat", "Operator"], a).username)
    pages = {
        url: client.get(url).get_data(as_text=True)
        for url in ("/kasusview/list/", "/tugassayaview/list/", "/terlambatview/list/", "/sopview/list/",
                    "/naskahdinasview/list/", "/pegawaiview/list/", "/pegawaiview/add", "/jabatanview/list/",
                    "/naskahdinasview/add", "/unitkerjaview/list/", "/kasusview/choices/sop",
                    "/kasusview/choices/unit_kerja", "/tugassayaview/choices/sop",
                    "/terlambatview/choices/unit_kerja", "/sopview/choices/unit_kerja",
                    "/naskahdinasview/choices/unit_kerja", "/pegawaiview/choices/jabatan",
                    "/pegawaiview/choices/unit_kerja")
    }  # fmt: skip
    for url, html in pages.items():
        assert b.nama not in html, url
        assert other_sop.nama not in html, url
        assert other_sop.unit_kerja.nama not in html, url
    assert a.nama in pages["/pegawaiview/add"]


def test_finding_2_step_form_lists_only_the_sops_own_actors(app, client, form_sop):
    sop, users = form_sop
    other = seed("tangerang-seleksi-mutasi-masuk")
    login(client, uniq_admin(app, sop.unit_kerja))
    own = {p.nama for p in sop.pelaksana}
    foreign = {p.nama for p in other.pelaksana} - own
    for page in (client.get(f"/langkahview/add?_flt_0_sop={sop.id}").get_data(as_text=True),
                 client.get(f"/langkahview/edit/{sop.langkah[1].id}").get_data(as_text=True)):  # fmt: skip
        options = set(re.findall(r"<option[^>]*>([^<]+)</option>", page))
        assert own <= options
        assert not (foreign & options), foreign & options


def uniq_admin(app, unit_kerja) -> str:
    sm = app.appbuilder.sm
    name = uniq("admin")
    user = sm.add_user(name, name, "Uji", f"{name}@example.test", sm.find_role("Admin"), password=PASSWORD)
    user.unit_kerja = unit_kerja
    db.session.commit()
    return name


# -- finding 3: applicants see each other ---------------------------------------------------------


@pytest.fixture
def tangerang(create_user):
    sop = seed("tangerang-seleksi-mutasi-masuk")
    upt = unit("TNG-UPT-PKA")
    return sop, {
        "a": create_user(["Pemohon"], upt),
        "b": create_user(["Pemohon"], upt),
        "staf": create_user(["Staf Admin"], upt),
    }


def api_token(client, user):
    response = client.post("/api/v1/security/login",
                           json={"username": user.username, "password": PASSWORD, "provider": "db"})  # fmt: skip
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def test_finding_3_an_applicant_sees_only_their_own_application_and_files(app, client, tangerang):
    sop, users = tangerang
    as_user(client, users["a"])
    mine = start(client, sop, judul=uniq("Permohonan mutasi Andi "))
    ok(client.post(f"/kasusview/lampiran/{mine}", data={"jenis": "surat_permohonan",
                                                         "berkas": (io.BytesIO(b"%PDF-1.4 rahasia"), "surat.pdf")},
                   content_type="multipart/form-data"))  # fmt: skip
    file_id = db.session.get(Kasus, mine).lampiran[0].id
    title = db.session.get(Kasus, mine).judul

    as_user(client, users["b"])
    theirs = start(client, sop, judul=uniq("Permohonan mutasi Budi "))
    for url in ("/kasusview/list/", "/tugassayaview/list/"):
        page = client.get(url).get_data(as_text=True)
        assert title not in page and db.session.get(Kasus, theirs).judul in page
    assert client.get(f"/kasusview/show/{mine}").status_code == 404
    assert client.get(f"/kasusview/berkas/{file_id}").status_code == 404
    headers = api_token(client, users["b"])
    assert client.get(f"/api/v1/kasus/{mine}", headers=headers).status_code == 404
    assert mine not in client.get("/api/v1/kasus/", headers=headers).json["ids"]
    # No drafting, no civil-servant register for an outside party.
    assert client.get("/naskahdinasview/add").status_code == 403
    assert client.get("/pegawaiview/list/").status_code == 403

    # The agency's staff on the SOP see both applications.
    as_user(client, users["staf"])
    page = client.get("/kasusview/list/").get_data(as_text=True)
    assert title in page
    assert client.get(f"/kasusview/berkas/{file_id}").status_code == 200


def test_finding_3_outside_party_role_holds_no_drafting_permission(app, ctx):
    role = app.appbuilder.sm.find_role("Pemohon")
    grants = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
    assert ("can_add", "NaskahDinasView") not in grants
    assert ("can_edit", "NaskahDinasView") not in grants
    assert ("can_show", "NaskahDinasView") in grants
    assert ("can_add", "KasusView") in grants


# -- finding 6: unknown action names ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "operator"])
def test_finding_6_unknown_action_names_answer_404(client, create_user, create_pegawai, two_agencies, who):
    a, _, _ = two_agencies
    row = create_pegawai(a)
    if who == "operator":
        login(client, create_user(["Operator"], a).username)
    assert client.post(f"/pegawaiview/action/none/{row.id}").status_code == 404
    assert client.post("/pegawaiview/action_post", data={"action": "bogus", "rowid": [row.id]}).status_code == 404
    assert client.post("/pegawaiview/action_post", data={"rowid": [row.id]}).status_code == 404
    assert client.post("/users/action/none/1").status_code == 404


# -- finding 11: profiles and passwords --------------------------------------------------------------


@pytest.mark.parametrize("role", ["Operator", "Asesor", "Pejabat", "Pengawas", "Kepala Badan", "Pemohon"])
def test_finding_11_every_user_sees_their_profile_and_changes_their_password(client, create_user, two_agencies, role):
    user = create_user([role], two_agencies[0])
    login(client, user.username)
    profile = client.get("/users/userinfo/")
    assert profile.status_code == 200
    assert "/resetmypassword/form" in profile.get_data(as_text=True) or "resetmypassword" in profile.get_data(
        as_text=True)  # fmt: skip
    assert client.get("/resetmypassword/form").status_code == 200
    new = "Sandi!Baru2026ab"
    ok(client.post("/resetmypassword/form", data={"password": new, "conf_password": new}))
    client.get("/logout/")
    login(client, user.username, new)


def test_finding_11_generated_password_must_be_changed_at_first_login(app, client, two_agencies):
    a, _, _ = two_agencies
    runner = app.test_cli_runner()
    name = uniq("baru")
    result = runner.invoke(args=["penkom", "user", "add", "--username", name, "--password", PASSWORD,
                                 "--role", "Operator", "--unit", a.kode])  # fmt: skip
    assert result.exit_code == 0, result.output
    # No API token before the password is the user's own.
    body = {"username": name, "password": PASSWORD, "provider": "db"}
    assert client.post("/api/v1/security/login", json=body).status_code == 401
    login(client, name)
    response = client.get("/pegawaiview/list/")
    assert response.status_code == 302 and "/resetmypassword/form" in response.headers["Location"]
    page = client.get("/resetmypassword/form").get_data(as_text=True)
    assert "kata sandi" in page.lower()
    new = "Sandi!Sendiri2026ab"
    ok(client.post("/resetmypassword/form", data={"password": new, "conf_password": new}))
    assert client.get("/pegawaiview/list/").status_code == 200
    assert client.post("/api/v1/security/login", json={**body, "password": new}).status_code == 200
    db.session.expire_all()
    assert (
        db.session.execute(select(PenkomUser).where(PenkomUser.username == name)).scalar_one().wajib_ganti_sandi
        is False
    )


def test_finding_11_a_password_reset_by_the_administrator_must_be_replaced(app, client, create_user, two_agencies):
    a, _, _ = two_agencies
    clerk = create_user(["Operator"], a)
    login(client, uniq_admin(app, a))
    given = "Diberi!Admin2026ab"
    ok(client.post(f"/resetpassword/form?pk={clerk.id}", data={"password": given, "conf_password": given}))
    client.get("/logout/")
    login(client, clerk.username, given)
    response = client.get("/kasusview/list/")
    assert response.status_code == 302 and "/resetmypassword/form" in response.headers["Location"]


def test_every_penkom_view_and_api_goes_through_the_scope_module(app):
    """A new view that forgets scope fails here without anyone writing a new test."""
    from flask_appbuilder import ModelView
    from flask_appbuilder.api import ModelRestApi

    from app.scope import ScopeFilter
    from app.views.base import ScopedModelView

    exempt = {"PenkomUserDBModelView"}  # FAB's user administration: administrators only
    # FAB's security views with Indonesian labels (app/tampilan.py): administrators only, like FAB's own.
    exempt |= {"PenkomRoleModelView", "PenkomGroupModelView", "PenkomPermissionViewModelView"}
    checked = 0
    for view in app.appbuilder.baseviews:
        if not type(view).__module__.startswith("app.") or type(view).__name__ in exempt:
            continue
        if isinstance(view, ModelView):
            assert isinstance(view, ScopedModelView), type(view).__name__
            checked += 1
        if isinstance(view, ModelRestApi):
            assert any(f[1] is ScopeFilter for f in view.base_filters), type(view).__name__
            checked += 1
    assert checked >= 15


def test_finding_3_administrator_marks_a_role_as_outside_party_in_the_ui(app, client, create_user, two_agencies):
    a, _, _ = two_agencies
    name = uniq("Instansi Peminta ")
    from app.roles import WORKFLOW, sync_roles

    sync_roles(app.appbuilder.sm, {name: WORKFLOW})
    role = app.appbuilder.sm.find_role(name)
    login(client, uniq_admin(app, a))
    ok(client.post("/lingkupperanview/add", data={"role": role.id, "lingkup": "sendiri"}))
    db.session.expire_all()
    grants = {(pv.permission.name, pv.view_menu.name) for pv in app.appbuilder.sm.find_role(name).permissions}
    assert ("can_add", "NaskahDinasView") not in grants
    holder = create_user([name], a)
    from app import scope

    assert scope.reach(holder).own_records is True
