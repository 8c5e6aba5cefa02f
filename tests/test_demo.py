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


def test_demo_letters_are_signed_with_demo_certificates_marked_as_demo(demo_app):
    """`penkom demo` makes a demo CA and a certificate per agency; the demo's signed letters carry a PAdES
    signature that checks as intact and trusted, and the certificate says DEMO on the letter and the page."""
    from pathlib import Path

    from sqlalchemy import select

    from app.documents import naskah as svc
    from app.documents import tte
    from app.extensions import db
    from app.models import Instansi, NaskahDinas
    from app.models.naskah import FINAL

    with demo_app.app_context():
        assert (Path(demo_app.config["PENKOM_SERTIFIKAT_DIR"]) / "akar" / "penkom-demo-ca.pem").is_file()
        for instansi in db.session.execute(select(Instansi)).scalars():
            holder = tte.penanda_for(instansi).sertifikat
            assert holder.demo and holder.organisasi == "Penkom DEMO — bukan sertifikat resmi"
            assert holder.nama == instansi.nama and "DEMO" in holder.penerbit
        letters = db.session.execute(select(NaskahDinas).where(NaskahDinas.status.in_(FINAL))).scalars().all()
        assert letters, "the demo signs letters"
        for letter in letters:
            check = svc.signature_check(letter.pdf)
            assert check.sah and check.sertifikat.demo, letter.nomor
        token = letters[0].token
    page = demo_app.test_client().get(f"/verifikasi/{token}").get_data(as_text=True)
    assert "Tanda tangan elektronik utuh dan tepercaya" in page and "Sertifikat demo: bukan sertifikat resmi" in page
