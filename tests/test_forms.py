"""Master data forms: bad input shows an Indonesian message, keeps what was typed, saves nothing."""

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Pegawai, UnitKerja
from tests.conftest import login, make_nip


def count_pegawai():
    return db.session.execute(select(func.count(Pegawai.id))).scalar_one()


def add_pegawai(client, unit, nip, nama="Rina Lestari"):
    return client.post(
        "/pegawaiview/add",
        data={"nip": nip, "nama": nama, "unit_kerja": unit.id, "gelar_depan": "", "gelar_belakang": "S.Psi."},
        follow_redirects=True,
    )


def test_valid_nip_with_spaces_is_saved_normalised_and_shown_grouped(client, create_user, create_unit):
    unit = create_unit()
    login(client, create_user(["Operator"], unit).username)
    response = add_pegawai(client, unit, "19850101 201001 2 003")
    assert response.status_code == 200
    row = db.session.execute(select(Pegawai).where(Pegawai.nip == "198501012010012003")).scalar_one()
    assert row.nama_lengkap == "Rina Lestari, S.Psi."
    page = client.get(f"/pegawaiview/show/{row.id}").get_data(as_text=True)
    assert "19850101 201001 2 003" in page


def test_nip_field_has_room_for_a_nip_typed_with_spaces_or_dots(client, create_user, create_unit, create_pegawai):
    """A browser cuts typing and pasting at the input's maxlength: "19850101 201001 2 003" must fit."""
    unit = create_unit()
    row = create_pegawai(unit)
    login(client, create_user(["Operator"], unit).username)
    for url in ("/pegawaiview/add", f"/pegawaiview/edit/{row.id}"):
        field = re.search(r'<input[^>]*id="nip"[^>]*>', client.get(url).get_data(as_text=True)).group(0)
        assert 'class="form-control"' in field and "required" in field
        assert int(re.search(r'maxlength="(\d+)"', field).group(1)) >= len("19850101.201001.2.003")


def test_invalid_nip_shows_message_and_saves_nothing(client, create_user, create_unit):
    unit = create_unit()
    login(client, create_user(["Operator"], unit).username)
    before = count_pegawai()
    page = add_pegawai(client, unit, "19851301 201001 2 003", nama="Nama Yang Diketik").get_data(as_text=True)
    assert "bukan tanggal lahir yang sah" in page
    assert 'value="Nama Yang Diketik"' in page  # what the clerk typed is still in the form
    assert count_pegawai() == before


def test_duplicate_nip_shows_message_and_saves_nothing(client, create_user, create_unit, create_pegawai):
    unit = create_unit()
    existing = create_pegawai(unit)
    login(client, create_user(["Operator"], unit).username)
    before = count_pegawai()
    page = add_pegawai(client, unit, existing.nip).get_data(as_text=True)
    assert "sudah terdaftar untuk pegawai lain" in page
    assert count_pegawai() == before


def test_editing_a_pegawai_keeps_its_own_nip(client, create_user, create_unit, create_pegawai):
    unit = create_unit()
    row = create_pegawai(unit)
    login(client, create_user(["Operator"], unit).username)
    client.post(
        f"/pegawaiview/edit/{row.id}",
        data={"nip": row.nip, "nama": "Nama Baru", "unit_kerja": unit.id},
        follow_redirects=True,
    )
    db.session.expire_all()
    assert db.session.get(Pegawai, row.id).nama == "Nama Baru"


def test_operator_cannot_place_pegawai_in_a_unit_outside_scope(client, create_user, create_unit):
    unit, foreign = create_unit(), create_unit()
    login(client, create_user(["Operator"], unit).username)
    before = count_pegawai()
    add_pegawai(client, foreign, make_nip())
    assert count_pegawai() == before


def test_unit_cannot_be_moved_under_its_own_sub_unit(client, create_user, create_unit):
    root = create_unit()
    child = create_unit(induk=root)
    login(client, create_user(["Admin"], root).username)
    page = client.post(
        f"/unitkerjaview/edit/{root.id}",
        data={"kode": root.kode, "nama": root.nama, "instansi": root.instansi_id, "induk": child.id},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "tidak dapat ditempatkan di bawah dirinya sendiri" in page
    db.session.expire_all()
    assert db.session.get(UnitKerja, root.id).induk_id is None
