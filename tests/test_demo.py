"""The demo data leaves work waiting for every demo login, and a demo password can be reset."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD, login


def home(client, username) -> str:
    client.get("/logout/")
    login(client, username)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(page: str, key: str) -> str:
    match = re.search(rf'id="bagian-{key}".*?(?=id="bagian-|\Z)', page, re.S)
    return match.group(0) if match else ""


def test_every_demo_role_finds_work_on_its_home_page(demo_app):
    client = demo_app.test_client()
    asesor = section(home(client, "demo.asesor"), "tugas")
    assert 'id="tugas-saya"' in asesor and "Pengolahan Data" in asesor and "terlambat" in asesor

    pejabat = section(home(client, "demo.pejabat"), "naskah")
    assert {"paraf", "tanda_tangan"} <= set(re.findall(r'data-aksi="(\w+)"', pejabat))

    operator = section(home(client, "demo.operator"), "naskah")
    assert 'data-aksi="perbaiki"' in operator and "Lengkapi jumlah peserta" in operator

    unit = section(home(client, "demo.pengawas"), "unit")
    running = int(re.search(r'id="jumlah-berjalan">(\d+)<', unit).group(1))
    late = int(re.search(r'id="jumlah-terlambat">(\d+)<', unit).group(1))
    assert running >= 3 and late >= 1
    assert 'id="waktu-per-sop"' in unit  # finished cases give a median time against the mutu baku

    # The agencies' own officials: the Pemalang letters wait for the Kabid's initials and the Kepala's signature.
    assert 'data-aksi="paraf"' in section(home(client, "pml.kepala.bidang"), "naskah")
    assert 'data-aksi="tanda_tangan"' in section(home(client, "pml.kepala.badan"), "naskah")
    staf = section(home(client, "tng.staf.admin"), "tugas")
    assert "Verifikasi berkas permohonan" in staf and "label-danger" in staf


def test_demo_logins_have_unread_notifications_about_their_current_work(demo_app):
    client = demo_app.test_client()
    for username in ("demo.asesor", "demo.pejabat", "demo.operator", "pml.kepala.bidang"):
        page = home(client, username)
        assert re.search(r'id="jumlah-notifikasi">\s*[1-9]', page), username


def test_a_demo_password_is_reset_from_the_command_line(demo_app):
    result = demo_app.test_cli_runner().invoke(args=["penkom", "user", "password", "demo.operator"])
    assert result.exit_code == 0, result.output
    new = result.output.strip().rsplit(" ", 1)[-1]
    client = demo_app.test_client()
    old = client.post("/login/", data={"username": "demo.operator", "password": PASSWORD})
    assert "/login/" in old.headers["Location"]  # the old password no longer opens the account
    login(client, "demo.operator", new)
    # Someone else chose it: the owner replaces it first.
    assert "/resetmypassword/form" in client.get("/").headers["Location"]
    unknown = demo_app.test_cli_runner().invoke(args=["penkom", "user", "password", "nobody.here"])
    assert unknown.exit_code != 0 and "tidak ada akun" in unknown.output
    weak = demo_app.test_cli_runner().invoke(args=["penkom", "user", "password", "demo.asesor", "--password", "abc"])
    assert weak.exit_code != 0
    login(client, "demo.asesor")  # unchanged
