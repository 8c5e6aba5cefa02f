"""IT staff commands: user add, user import (all or nothing), admin, demo."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import Instansi, Pegawai, PenkomUser
from app.nip import parse
from tests.conftest import PASSWORD, login, make_app, make_nip, uniq


def run(app, *args, env=None):
    return app.test_cli_runner().invoke(args=list(args), env=env)


def test_user_add_creates_a_scoped_account_that_can_log_in(app, client, create_unit):
    unit = create_unit()
    username = uniq("clerk")
    result = run(
        app, "penkom", "user", "add", "--username", username, "--password", PASSWORD,
        "--role", "Operator", "--role", "Asesor", "--unit", unit.kode,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Akun {username} dibuat." in result.output
    user = db.session.execute(select(PenkomUser).where(PenkomUser.username == username)).scalar_one()
    assert sorted(r.name for r in user.roles) == ["Asesor", "Operator"]
    assert user.unit_kerja_id == unit.id
    login(client, username)


def test_user_add_refuses_weak_password_unknown_role_and_unit(app, ctx):
    result = run(
        app, "penkom", "user", "add", "--username", uniq("x"), "--password", "lemah",
        "--role", "TidakAda", "--unit", "TIDAK-ADA",
    )  # fmt: skip
    assert result.exit_code != 0
    assert "peran TidakAda tidak ada" in result.output
    assert "unit kerja TIDAK-ADA tidak ada" in result.output
    assert "huruf kapital" in result.output  # FAB's complexity rule, in Indonesian


def test_user_import_reports_bad_lines_and_imports_nothing(app, ctx, create_unit, tmp_path):
    unit = create_unit()
    good, dup = uniq("imp"), uniq("imp")
    csv_file = tmp_path / "akun.csv"
    csv_file.write_text(
        "username,password,roles,unit,email\n"
        f"{good},{PASSWORD},Operator,{unit.kode},\n"
        f"{dup},{PASSWORD},Pengawas;Asesor,{unit.kode},\n"
        f"{dup},{PASSWORD},Pengawas,{unit.kode},\n"
        f"{uniq('imp')},{PASSWORD},Operator,TIDAK-ADA,\n",
        encoding="utf-8",
    )
    before = db.session.execute(select(func.count(PenkomUser.id))).scalar_one()
    result = run(app, "penkom", "user", "import", str(csv_file))
    assert result.exit_code != 0
    assert "Tidak ada akun yang dibuat" in result.output
    assert "baris 4:" in result.output and "baris 5:" in result.output
    assert "baris 2:" not in result.output
    assert db.session.execute(select(func.count(PenkomUser.id))).scalar_one() == before


def test_user_import_all_good_creates_every_account(app, ctx, create_unit, create_pegawai, tmp_path):
    unit = create_unit()
    pegawai = create_pegawai(unit)
    names = [uniq("imp"), uniq("imp")]
    csv_file = tmp_path / "akun.csv"
    csv_file.write_text(
        "username;password;roles;unit;nip\n"
        f"{names[0]};{PASSWORD};Pengawas;{unit.kode};{pegawai.nip}\n"
        f"{names[1]};{PASSWORD};Operator|Asesor;{unit.kode};\n",
        encoding="utf-8",
    )
    result = run(app, "penkom", "user", "import", str(csv_file))
    assert result.exit_code == 0, result.output
    assert "2 akun dibuat" in result.output
    linked = db.session.execute(select(PenkomUser).where(PenkomUser.username == names[0])).scalar_one()
    assert linked.pegawai_id == pegawai.id


def test_excel_import_bombs_account_csv_too_big_too_long_or_unreadable_is_refused(app, ctx, create_unit, tmp_path):
    """Issue 17 finding 5, the CSV side: size and row caps, a huge field, not UTF-8; nothing is created."""
    unit = create_unit()
    header = "username,password,roles,unit\n"
    line = f"{{}},{PASSWORD},Operator,{unit.kode}\n"
    files = {
        "besar.csv": (header + "#" * (6 * 1024 * 1024), "ukuran berkas 6 MB; paling banyak 5 MB yang diterima"),
        "panjang.csv": (header + "".join(line.format(uniq("massal")) for _ in range(5001)),
                        "berkas berisi lebih dari 5000 akun; pecah berkasnya"),
        "sel.csv": (header + line.format("x" * 200_000), "berkas bukan berkas CSV yang dapat dibaca"),
        "latin1.csv": ((header + line.format("Jos\xe9")).encode("latin-1"), "berkas bukan teks UTF-8"),
    }  # fmt: skip
    before = db.session.execute(select(func.count(PenkomUser.id))).scalar_one()
    for name, (content, message) in files.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        result = run(app, "penkom", "user", "import", str(path))
        assert result.exit_code != 0 and "Tidak ada akun yang dibuat" in result.output, name
        assert message in result.output, (name, result.output)
    assert db.session.execute(select(func.count(PenkomUser.id))).scalar_one() == before


def test_admin_command_uses_environment_password_once(app, client):
    env = {"PENKOM_ADMIN_USER": "kepala.it", "PENKOM_ADMIN_PASSWORD": PASSWORD}
    first = run(app, "penkom", "admin", env=env)
    assert "Akun administrator dibuat: kepala.it" in first.output
    second = run(app, "penkom", "admin", env=env)
    assert "sudah ada" in second.output
    login(client, "kepala.it")
    assert client.get("/loginlogview/list/").status_code == 200


def test_admin_command_generates_and_prints_a_password():
    app = make_app("admin_generated")
    result = run(app, "penkom", "admin", env={"PENKOM_ADMIN_USER": "admin", "PENKOM_ADMIN_PASSWORD": ""})
    line = next(line for line in result.output.splitlines() if line.startswith("Kata sandi"))
    password = line.rsplit(" ", 1)[-1]
    login(app.test_client(), "admin", password)


def test_demo_loads_agencies_200_valid_pegawai_and_logins():
    app = make_app("demo")
    result = run(app, "penkom", "demo", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert "HANYA UNTUK DEMO" in result.output
    with app.app_context():
        assert db.session.execute(select(func.count(Instansi.id))).scalar_one() == 5
        nips = list(db.session.execute(select(Pegawai.nip)).scalars())
        assert 190 <= len(nips) <= 260
        assert len(set(nips)) == len(nips)
        for value in nips:
            parse(value)  # raises if any demo NIP is invalid
        users = {u.username: u for u in db.session.execute(select(PenkomUser)).scalars()}
        for role in ("operator", "asesor", "pejabat", "pengawas"):
            assert f"demo.{role}" in users
            assert users[f"demo.{role}"].unit_kerja_id is not None
    client = app.test_client()
    login(client, "demo.pengawas")
    # The shared demo password is someone else's choice: first replace it, then work.
    refused = client.get("/pegawaiview/list/")
    assert refused.status_code == 302 and "/resetmypassword/form" in refused.headers["Location"]
    changed = client.post(
        "/resetmypassword/form", data={"password": "Baru!Sandi2026xy", "conf_password": "Baru!Sandi2026xy"}
    )
    assert changed.status_code == 302
    assert client.get("/pegawaiview/list/").status_code == 200
    again = run(app, "penkom", "demo")
    assert "sudah ada" in again.output
    demo_assessments_are_ready_for_each_login(app)


def demo_assessments_are_ready_for_each_login(app):
    """The demo's Kemenkumham mapping (30 participants, 10 assessors, 5 methods, most meetings finished)
    and Tangerang one-person transfer event, as a supervisor, an assessor and the ketua see them."""
    from app.models import Hasil, KegiatanPenilaian, Nilai, Penugasan
    from app.workflow import engine

    with app.app_context():
        events = {k.nama: k for k in db.session.execute(select(KegiatanPenilaian)).scalars()}
        khm = events["Pemetaan Kompetensi Pejabat Administrator dan Pengawas Kanwil 2026"]
        tng = events["Permohonan mutasi masuk a.n. Agus Setiabudi, S.E. (Pemkab Tegal)"]
        ids = (khm.id, tng.id)
        assert sum(m.peran in ("ketua", "asesor") for m in khm.tim) == 10 and len(khm.metode) == 5
        assert db.session.execute(select(func.count(Hasil.id)).where(Hasil.kegiatan_id == khm.id)).scalar_one() == 26
        assert khm.kasus.langkah_no == 7
        assert engine.pending(khm.kasus, None) == ["4 dari 30 peserta belum memiliki hasil konsensus yang dikunci."]
        scorers = db.session.execute(
            select(Nilai.kompetensi_id, func.count(func.distinct(Penugasan.asesor_id)))
            .join(Penugasan, Nilai.penugasan_id == Penugasan.id)
            .where(Penugasan.kegiatan_id == khm.id)
            .group_by(Penugasan.peserta_id, Nilai.kompetensi_id)
        ).all()
        assert len(scorers) == 30 * 9 and min(n for _, n in scorers) >= 2
        assert tng.kasus.langkah_no == 6 and tng.status == "berlangsung"
    client = app.test_client()
    for username, url, expected in (
        ("khm.pengawas", f"/kegiatanpenilaianview/show/{ids[0]}", "Pemetaan Kompetensi"),
        ("khm.ketua", "/integrasiview/list/", "Rapat Asesor"),
        ("khm.asesor", "/penilaiansayaview/list/", "terkirim"),
        ("tng.asesor", f"/kegiatanpenilaianview/show/{ids[1]}", "Agus Setiabudi"),
    ):
        client.get("/logout/")
        login(client, username)
        new = "Baru!Sandi2026xy"
        client.post("/resetmypassword/form", data={"password": new, "conf_password": new})
        page = client.get(url)
        assert page.status_code == 200 and expected in page.get_data(as_text=True), (username, url)


def test_make_nip_helper_is_valid():
    parse(make_nip(sex=2))


# -- tenggat: the due time the engine would set -------------------------------------------------------


def test_tenggat_prints_the_engines_due_time_for_a_step_entered_friday_evening(app, ctx):
    result = run(app, "penkom", "tenggat", "--mulai", "2026-03-13 16:30", "--waktu", "1 hari")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2026-03-16T16:00:00+07:00"


def test_tenggat_follows_the_agencys_cuti_bersama_setting(app, create_instansi):
    libur = create_instansi()
    kerja = create_instansi(libur_cuti_bersama=False)
    args = ["penkom", "tenggat", "--mulai", "2026-03-17 10:00", "--waktu", "2 hari", "--instansi"]
    # 18-24 March: cuti bersama and Lebaran; an agency that works on cuti bersama is only closed on 19 March.
    assert run(app, *args, libur.kode).output.strip() == "2026-03-25T16:00:00+07:00"
    assert run(app, *args, kerja.kode).output.strip() == "2026-03-18T16:00:00+07:00"


def test_tenggat_counts_from_the_activity_date_when_the_budget_says_so(app, ctx):
    waktu = "Maksimal 7 hari setelah pelaksanaan kegiatan"
    args = ["penkom", "tenggat", "--mulai", "2026-03-13 09:00", "--waktu", waktu]
    missing = run(app, *args)
    assert missing.exit_code != 0 and "--tanggal-kegiatan" in missing.output
    # Activity on Friday 13 March: 16, 17, 25, 26, 27, 30 and 31 March are the 7 working days after it.
    result = run(app, *args, "--tanggal-kegiatan", "2026-03-13")
    assert result.output.strip() == "2026-03-31T16:00:00+07:00"


def test_tenggat_refuses_bad_input_in_indonesian(app, ctx):
    bad_time = run(app, "penkom", "tenggat", "--mulai", "kemarin", "--waktu", "1 hari")
    assert bad_time.exit_code != 0 and "--mulai" in bad_time.output
    unknown = run(app, "penkom", "tenggat", "--mulai", "2026-03-13 09:00", "--waktu", "1 hari", "--instansi", "ZZZ")
    assert unknown.exit_code != 0 and "ZZZ" in unknown.output
    none = run(app, "penkom", "tenggat", "--mulai", "2026-03-13 09:00", "--waktu", "menyesuaikan lamanya kegiatan")
    assert none.exit_code == 0 and "tidak" in none.output.lower()
