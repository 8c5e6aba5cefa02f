"""Roles both ways, CSRF, unit scope, rate limit, login log, session cookie."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import LoginLog, Pegawai
from tests.conftest import PASSWORD, login, make_app


@pytest.fixture
def units(create_unit):
    """An agency with a root unit, a sub-unit under it, and a sibling unit."""
    root = create_unit()
    child = create_unit(induk=root)
    other = create_unit(instansi=root.instansi)
    return root, child, other


def test_anonymous_is_sent_to_login(client):
    response = client.get("/pegawaiview/list/")
    assert response.status_code == 302
    assert "/login/" in response.headers["Location"]


def test_user_without_permission_gets_403_on_list(client, create_user, units):
    user = create_user(["Asesor"], units[0])
    login(client, user.username)
    assert client.get("/pegawaiview/list/").status_code == 200
    assert client.get("/unitkerjaview/list/").status_code == 403
    assert client.get("/loginlogview/list/").status_code == 403


def test_supervisor_sees_own_unit_and_sub_units_only(client, create_user, create_pegawai, units):
    root, child, other = units
    mine, below, theirs = create_pegawai(root), create_pegawai(child), create_pegawai(other)
    user = create_user(["Pengawas"], root)
    login(client, user.username)
    page = client.get("/pegawaiview/list/?psize_PegawaiView=100").get_data(as_text=True)
    assert mine.nama in page and below.nama in page
    assert theirs.nama not in page
    assert client.get(f"/pegawaiview/show/{below.id}").status_code == 200
    assert client.get(f"/pegawaiview/show/{theirs.id}").status_code == 404


def test_sub_unit_supervisor_does_not_see_parent_unit(client, create_user, create_pegawai, units):
    root, child, _ = units
    parent_row = create_pegawai(root)
    user = create_user(["Pengawas"], child)
    login(client, user.username)
    assert client.get(f"/pegawaiview/show/{parent_row.id}").status_code == 404


def test_admin_sees_all(client, create_user, create_pegawai, units):
    theirs = create_pegawai(units[2])
    user = create_user(["Admin"], units[0])
    login(client, user.username)
    assert client.get(f"/pegawaiview/show/{theirs.id}").status_code == 200


def test_user_without_unit_sees_nothing(client, create_user, create_pegawai, units):
    row = create_pegawai(units[0])
    user = create_user(["Pengawas"], None)
    login(client, user.username)
    assert row.nama not in client.get("/pegawaiview/list/").get_data(as_text=True)
    assert client.get(f"/pegawaiview/show/{row.id}").status_code == 404


def test_operator_cannot_edit_or_delete_outside_scope(client, create_user, create_pegawai, units):
    theirs = create_pegawai(units[2])
    user = create_user(["Operator"], units[0])
    login(client, user.username)
    assert client.get(f"/pegawaiview/edit/{theirs.id}").status_code == 404
    client.post(f"/pegawaiview/delete/{theirs.id}")
    db.session.expire_all()
    assert db.session.get(Pegawai, theirs.id) is not None


def test_denied_action_changes_nothing(client, create_user, create_pegawai, units):
    row = create_pegawai(units[0])
    user = create_user(["Pengawas"], units[0])
    login(client, user.username)
    response = client.post("/pegawaiview/action_post", data={"action": "nonaktifkan", "rowid": [row.id]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Pegawai, row.id).aktif is True


def test_action_skips_rows_outside_scope(client, create_user, create_pegawai, units):
    mine, theirs = create_pegawai(units[0]), create_pegawai(units[2])
    user = create_user(["Operator"], units[0])
    login(client, user.username)
    response = client.post("/pegawaiview/action_post", data={"action": "nonaktifkan", "rowid": [mine.id, theirs.id]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Pegawai, mine.id).aktif is False
    assert db.session.get(Pegawai, theirs.id).aktif is True
    page = client.get("/pegawaiview/list/").get_data(as_text=True)
    assert "di luar unit kerja Anda" in page


@pytest.fixture(scope="module")
def csrf_app():
    return make_app("csrf", WTF_CSRF_ENABLED=True)


def test_post_without_csrf_token_is_refused(csrf_app):
    from app.extensions import db as _db

    with csrf_app.app_context():
        sm = csrf_app.appbuilder.sm
        sm.add_user("csrfadmin", "A", "B", "csrf@example.test", sm.find_role("Admin"), password=PASSWORD)
        from app.models import Instansi

        _db.session.add(Instansi(kode="CSRF1", nama="Instansi CSRF", kop="X"))
        _db.session.commit()
        instansi_id = _db.session.execute(select(Instansi.id).where(Instansi.kode == "CSRF1")).scalar_one()
    client = csrf_app.test_client()
    # Login itself needs the token.
    assert client.post("/login/", data={"username": "csrfadmin", "password": PASSWORD}).status_code == 400
    page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert (
        client.post("/login/", data={"username": "csrfadmin", "password": PASSWORD, "csrf_token": token}).status_code
        == 302
    )
    # A delete without the token (GET or POST) removes nothing.
    assert client.post(f"/instansiview/delete/{instansi_id}").status_code == 400
    client.get(f"/instansiview/delete/{instansi_id}")
    with csrf_app.app_context():
        from app.models import Instansi

        assert _db.session.get(Instansi, instansi_id) is not None


@pytest.fixture(scope="module")
def limited_app():
    return make_app("ratelimit", AUTH_RATE_LIMIT="3 per minute")


def test_login_form_rate_limit_answers_429(limited_app):
    client = limited_app.test_client()
    codes = [client.post("/login/", data={"username": "nobody", "password": "x"}).status_code for _ in range(5)]
    assert codes[:3] == [302, 302, 302]
    assert codes[-1] == 429


def test_api_login_rate_limit_answers_429(limited_app):
    client = limited_app.test_client()
    body = {"username": "nobody", "password": "x", "provider": "db"}
    codes = [
        client.post("/api/v1/security/login", json=body, environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
        for _ in range(5)
    ]
    assert codes[0] == 401
    assert codes[-1] == 429


def test_logins_are_logged_and_visible_to_admins_only(client, create_user, units):
    admin = create_user(["Admin"], units[0])
    clerk = create_user(["Operator"], units[0])
    client.post("/login/", data={"username": clerk.username, "password": "salah"})
    client.post("/login/", data={"username": "tidak-ada-orangnya", "password": "salah"})
    login(client, clerk.username)
    rows = (
        db.session.execute(select(LoginLog).where(LoginLog.username.in_([clerk.username, "tidak-ada-orangnya"])))
        .scalars()
        .all()
    )
    assert sorted((r.username, r.berhasil) for r in rows) == sorted(
        [(clerk.username, False), ("tidak-ada-orangnya", False), (clerk.username, True)]
    )
    assert client.get("/loginlogview/list/").status_code == 403
    client.get("/logout/")
    login(client, admin.username)
    page = client.get("/loginlogview/list/?psize_LoginLogView=100").get_data(as_text=True)
    assert "tidak-ada-orangnya" in page


def test_session_cookie_flags_and_idle_expiry(client, create_user, units):
    user = create_user(["Operator"], units[0])
    response = login(client, user.username)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # permanent session: expires after the idle timeout


# -- SOP actors and roles without guesswork -----------------------------------------------------------


def test_adding_an_actor_creates_its_role_with_the_workflow_permissions(app, client, create_user, form_sop):
    from app.models import Pelaksana
    from app.roles import WORKFLOW
    from tests.conftest import uniq

    sop, _ = form_sop
    login(client, create_user(["Admin"], sop.unit_kerja).username)
    form = client.get(f"/pelaksanaview/add?_flt_0_sop={sop.id}").get_data(as_text=True)
    assert 'name="peran_baru"' in form
    name = uniq("Verifikator Berkas ")
    any_role = sop.pelaksana[0].role_id
    response = client.post("/pelaksanaview/add", data={"sop": sop.id, "urutan": 9, "kode": "verberkas",
                                                       "nama": "Verifikator Berkas", "role": any_role,
                                                       "peran_baru": name})  # fmt: skip
    assert response.status_code == 302
    role = app.appbuilder.sm.find_role(name)
    assert role is not None
    actor = db.session.execute(select(Pelaksana).where(Pelaksana.kode == "verberkas")).scalar_one()
    assert actor.role_id == role.id
    grants = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
    assert set(WORKFLOW) <= grants
    # A holder of the new role can start and move cases (the role is the actor's).
    assert ("can_transisi", "KasusView") in grants and ("can_add", "KasusView") in grants


def test_actor_form_refuses_a_new_role_name_that_already_exists(app, client, create_user, form_sop):
    from app.models import Pelaksana

    sop, _ = form_sop
    login(client, create_user(["Admin"], sop.unit_kerja).username)
    before = {(pv.permission.name, pv.view_menu.name) for pv in app.appbuilder.sm.find_role("Pengawas").permissions}
    page = client.post("/pelaksanaview/add", data={"sop": sop.id, "urutan": 9, "kode": "dobel", "nama": "Dobel",
                                                   "role": sop.pelaksana[0].role_id, "peran_baru": "pengawas"},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "sudah ada" in page
    assert db.session.execute(select(Pelaksana).where(Pelaksana.kode == "dobel")).first() is None
    db.session.expire_all()
    after = {(pv.permission.name, pv.view_menu.name) for pv in app.appbuilder.sm.find_role("Pengawas").permissions}
    assert after == before  # no workflow permissions slipped onto an existing role


def test_copying_a_role_twice_gives_two_named_copies(app, client, create_user, units):
    from flask_appbuilder.security.sqla.models import Role

    from app.models import LingkupPeran

    login(client, create_user(["Admin"], units[0]).username)
    pemohon = app.appbuilder.sm.find_role("Pemohon")
    for _ in range(2):
        response = client.post("/roles/action_post", data={"action": "copyrole", "rowid": [pemohon.id]})
        assert response.status_code == 302
    names = set(db.session.execute(select(Role.name).where(Role.name.like("Pemohon copy%"))).scalars())
    assert {"Pemohon copy", "Pemohon copy 2"} <= names
    copy = app.appbuilder.sm.find_role("Pemohon copy 2")
    assert {pv.id for pv in copy.permissions} == {pv.id for pv in pemohon.permissions}
    # A copy of an "own records only" role keeps that scope.
    scope = db.session.execute(select(LingkupPeran).where(LingkupPeran.role_id == copy.id)).scalar_one()
    assert scope.lingkup == "sendiri"


def test_position_choice_lists_only_the_users_agency_and_national_positions(client, create_user, create_unit):
    from app.models import Jabatan
    from tests.conftest import uniq

    mine, theirs = create_unit(), create_unit()
    own = Jabatan(nama=uniq("Penelaah Alfa "), jenis="pelaksana", instansi_id=mine.instansi_id)
    foreign = Jabatan(nama=uniq("Penelaah Bravo "), jenis="pelaksana", instansi_id=theirs.instansi_id)
    national = Jabatan(nama=uniq("Asesor SDM Aparatur "), jenis="fungsional", jenjang="Ahli Pertama")
    db.session.add_all([own, foreign, national])
    db.session.commit()
    login(client, create_user(["Operator"], mine).username)
    # The list's search drop-down loads its options from /choices/ when opened (app/search_choices.py).
    for url in ("/pegawaiview/add", "/pegawaiview/choices/jabatan"):
        page = client.get(url).get_data(as_text=True)
        assert own.nama in page and national.nama in page, url
        assert foreign.nama not in page, url
