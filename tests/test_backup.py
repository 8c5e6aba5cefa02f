"""Backup and restore: the round trip gives back identical data (every table's count and checksum,
signed PDFs, the uploaded logo), on SQLite and on PostgreSQL; bad archives are refused. The
`test_restore_from_command_line_*` tests (issue 17, finding 1) run `flask --app app penkom backup/restore`
as an administrator does: new processes on an installation of their own."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import select, text, update

from app import backup
from app.documents import naskah as svc
from app.extensions import db
from app.models import (
    Instansi,
    Jabatan,
    Kasus,
    Lampiran,
    NaskahDinas,
    Pangkat,
    Pegawai,
    Sop,
    StatusKasus,
    TemplateNaskah,
    UnitKerja,
)
from tests.conftest import PASSWORD, login, make_app, make_nip, uniq

UPLOADS = Path(tempfile.mkdtemp(prefix="penkom-backup-files-"))
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bapp():
    """Its own database and upload folders: a restore replaces everything."""
    return make_app("backup", UPLOAD_FOLDER=str(UPLOADS / "uploads"), IMG_UPLOAD_FOLDER=str(UPLOADS / "img"))


def run(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=["penkom", *args], **kwargs)


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 120), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def checksums(app) -> dict:
    with app.app_context(), db.engine.connect() as conn:
        return backup.table_checksums(conn)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def fill(app, uploads: Path, username: str) -> dict:
    """What a restore must give back: an agency whose logo an administrator uploaded, a civil servant,
    two signed letters, a case with an attachment and a file in the upload folder."""
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "lampiran-lama.txt").write_text("berkas unggahan lama", encoding="utf-8")
    (uploads / "arsip" / "biner.bin").parent.mkdir(exist_ok=True)
    (uploads / "arsip" / "biner.bin").write_bytes(bytes(range(256)) * 40)
    with app.app_context():
        sm = app.appbuilder.sm
        admin = sm.add_user(username, "Admin", "Cadangan", f"{username}@example.test", sm.find_role("Admin"),
                            password=PASSWORD)  # fmt: skip
        admin_id = admin.id
    client = app.test_client()
    login(client, username)
    kode = uniq("CAD")
    response = client.post(
        "/instansiview/add",
        data={"kode": kode, "nama": f"BKPSDM Kabupaten Cadangan {kode}", "kop": "PEMERINTAH KABUPATEN CADANGAN",
              "kota": "Cadangan", "kode_surat": "BKPSDM", "logo": (io.BytesIO(logo_png()), "logo.png")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        instansi = db.session.execute(select(Instansi).where(Instansi.kode == kode)).scalar_one()
        assert instansi.logo and (Path(app.config["IMG_UPLOAD_FOLDER"]) / instansi.logo).is_file()
        unit = UnitKerja(kode=uniq("CAD-"), nama="Bidang Cadangan", instansi=instansi)
        rank = db.session.execute(select(Pangkat).where(Pangkat.golongan == "IV/c")).scalar_one()
        kepala = Pegawai(nip=make_nip(), nama="Kepala Cadangan", gelar_depan="Dr.", unit_kerja=unit, pangkat=rank,
                         jabatan=Jabatan(nama="Kepala BKPSDM", jenis="jpt_pratama"))  # fmt: skip
        sop = Sop(kode=uniq("SOP-CAD"), nama="SOP Cadangan", instansi=instansi, unit_kerja=unit)
        kasus = Kasus(sop=sop, judul="Permohonan dengan lampiran", unit_kerja=unit, status=StatusKasus.SELESAI.value)
        lampiran = Lampiran(kasus=kasus, jenis="surat_permohonan", nama_file="permohonan.pdf",
                            mime="application/pdf", isi=b"%PDF-1.4 lampiran\x00\xff" + bytes(range(256)))  # fmt: skip
        db.session.add_all([unit, kepala, lampiran])
        db.session.commit()
        admin = sm.get_user_by_id(admin_id)
        admin.pegawai = kepala
        db.session.commit()
        template = db.session.execute(
            select(TemplateNaskah).where(TemplateNaskah.kode == "surat_penolakan")
        ).scalar_one()
        with app.test_request_context():
            for kepada in ("Kepala BKPSDM Kabupaten Tegal", "Kepala BKD Kabupaten Brebes"):
                naskah = svc.create_draft(template, admin, unit, None, None, kepala)
                naskah.kepada = kepada
                db.session.flush()
                svc.sign(naskah, admin)
                db.session.commit()
        pdfs = {n.id: n.pdf for n in db.session.execute(select(NaskahDinas)).scalars()}
        assert len(pdfs) == 2 and all(p.startswith(b"%PDF") for p in pdfs.values())
        attachments = {a.id: a.isi for a in db.session.execute(select(Lampiran)).scalars()}
    return {"pdfs": pdfs, "attachments": attachments, "logo": instansi.logo}


def stored_bytes(app) -> tuple[dict, dict]:
    """Every signed PDF and every attachment, byte for byte."""
    with app.app_context():
        pdfs = dict(db.session.execute(select(NaskahDinas.id, NaskahDinas.pdf)).all())
        attachments = dict(db.session.execute(select(Lampiran.id, Lampiran.isi)).all())
    return pdfs, attachments


@pytest.fixture(scope="module")
def data(bapp):
    return fill(bapp, UPLOADS / "uploads", "cadangan.admin")


def test_backup_then_restore_gives_back_identical_data(bapp, data, tmp_path):
    archive = tmp_path / "penkom-cadangan.tar.gz"
    before, files_before = checksums(bapp), files_of(UPLOADS)
    result = run(bapp, "backup", str(archive))
    assert result.exit_code == 0, result.output
    assert "Cadangan ditulis" in result.output

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["tables"] == before
    with bapp.app_context():
        assert manifest["engine"] == db.engine.dialect.name
        assert manifest["alembic_revision"] == backup.expected_revision()
    assert f"files/img_uploads/{data['logo']}" in names and "files/uploads/lampiran-lama.txt" in names
    assert manifest["tables"]["naskah_dinas"]["rows"] == 2

    # Wipe: change, delete and add data, drop a table, lose the logo, leave a stray upload.
    with bapp.app_context():
        db.session.execute(update(Pegawai).values(nama="Diubah Setelah Cadangan"))
        db.session.execute(text("UPDATE naskah_dinas SET pdf = NULL, sha256 = NULL"))
        db.session.execute(text("DELETE FROM naskah_riwayat"))
        db.session.add(Instansi(kode=uniq("BARU"), nama="Instansi setelah cadangan", kop="X"))
        db.session.commit()
        db.session.execute(text("DROP TABLE hari_libur"))
        db.session.commit()
    (UPLOADS / "img" / data["logo"]).unlink()
    (UPLOADS / "uploads" / "sisa.txt").write_text("tidak ada di cadangan", encoding="utf-8")
    assert checksums(bapp) != before

    result = run(bapp, "restore", str(archive), "--yes")
    assert result.exit_code == 0, result.output
    assert "cocok dengan cadangan" in result.output

    after = checksums(bapp)
    assert after == before  # every table: same row count and checksum
    assert files_of(UPLOADS) == files_before  # the logo is back, the stray file is gone
    with bapp.app_context():
        restored = {n.id: n for n in db.session.execute(select(NaskahDinas)).scalars()}
        assert {i: n.pdf for i, n in restored.items()} == data["pdfs"]
        assert all(svc.matches(n, data["pdfs"][i]) for i, n in restored.items())
        # The restored database works as before: new rows get fresh ids.
        db.session.add(Instansi(kode=uniq("SESUDAH"), nama="Instansi sesudah pemulihan", kop="X"))
        db.session.commit()


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of an archive with its manifest changed."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            content = src.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(content)
                change(manifest)
                content = json.dumps(manifest).encode()
                member.size = len(content)
            dst.addfile(member, io.BytesIO(content))
    return target


def test_restore_refuses_a_backup_of_another_schema_revision(bapp, data, tmp_path):
    archive = tmp_path / "asli.tar.gz"
    assert run(bapp, "backup", str(archive)).exit_code == 0
    old = _rewrite(archive, tmp_path / "lama.tar.gz", lambda m: m.update(alembic_revision="f3ecc8384a90"))
    before = checksums(bapp)
    result = run(bapp, "restore", str(old), "--yes")
    assert result.exit_code != 0
    assert "revisi basis data cadangan adalah f3ecc8384a90" in result.output.lower()
    assert checksums(bapp) == before


def test_restore_refuses_a_backup_of_the_other_engine(bapp, data, tmp_path):
    archive = tmp_path / "asli.tar.gz"
    assert run(bapp, "backup", str(archive)).exit_code == 0
    with bapp.app_context():
        ours = db.engine.dialect.name
    theirs = "postgresql" if ours == "sqlite" else "sqlite"
    other = _rewrite(archive, tmp_path / "lain.tar.gz", lambda m: m.update(engine=theirs))
    result = run(bapp, "restore", str(other), "--yes")
    assert result.exit_code != 0
    assert f"basis data {theirs}; instalasi ini menggunakan {ours}" in result.output


def test_missing_postgresql_tools_get_a_clear_message(bapp):
    with bapp.app_context(), pytest.raises(backup.BackupError, match="apt-get install postgresql-client-99"):
        backup.pg_tool("pg_dump", 99)


def test_restore_refuses_a_damaged_archive_and_changes_nothing(bapp, data, tmp_path):
    archive = tmp_path / "asli.tar.gz"
    assert run(bapp, "backup", str(archive)).exit_code == 0
    broken = _rewrite(archive, tmp_path / "rusak.tar.gz", lambda m: m["database"].update(sha256="0" * 64))
    before = checksums(bapp)
    result = run(bapp, "restore", str(broken), "--yes")
    assert result.exit_code != 0 and "rusak" in result.output
    assert checksums(bapp) == before
    not_a_backup = tmp_path / "bukan.tar.gz"
    not_a_backup.write_bytes(b"bukan arsip")
    result = run(bapp, "restore", str(not_a_backup), "--yes")
    assert result.exit_code != 0 and "bukan cadangan Penkom" in result.output


def test_restore_reports_tables_that_differ_from_the_manifest(bapp, data, tmp_path):
    archive = tmp_path / "asli.tar.gz"
    assert run(bapp, "backup", str(archive)).exit_code == 0

    def lie(manifest):
        manifest["tables"]["pegawai"]["rows"] += 1
        manifest["tables"]["instansi"]["sha256"] = "0" * 64

    result = run(bapp, "restore", str(_rewrite(archive, tmp_path / "beda.tar.gz", lie)), "--yes")
    assert result.exit_code == 1
    assert "TIDAK cocok" in result.output
    assert re.search(r"tabel pegawai: \d+ baris, cadangan berisi \d+", result.output)
    assert "tabel instansi: isinya berbeda dari cadangan" in result.output


def test_restore_asks_for_confirmation(bapp, data, tmp_path):
    archive = tmp_path / "asli.tar.gz"
    assert run(bapp, "backup", str(archive)).exit_code == 0
    with bapp.app_context():
        db.session.add(Instansi(kode=uniq("TANYA"), nama="Instansi sebelum konfirmasi", kop="X"))
        db.session.commit()
    before = checksums(bapp)
    result = run(bapp, "restore", str(archive), input="n\n")
    assert result.exit_code != 0
    assert "Lanjutkan?" in result.output
    assert checksums(bapp) == before


# -- issue 17, finding 1: backup and restore through the real command, in a fresh process ---------------

# What a checkout needs to run `flask --app app ...` (the copy keeps its own logo folder, app/static/uploads).
CODE = ("app", "templates", "translations", "data", "migrations", "config.py", "pyproject.toml")


@pytest.fixture(scope="module")
def install(tmp_path_factory):
    """An installation of its own, as an administrator has one: a copy of this code, an instance folder and a
    database (SQLite, or a database of its own on PENKOM_TEST_DATABASE_URL's server), with data in it."""
    root = tmp_path_factory.mktemp("penkom-pasang")
    code, instance = root / "penkom", root / "instance"
    for name in CODE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, code / name, ignore=shutil.ignore_patterns("__pycache__", "uploads"))
        else:
            shutil.copy2(source, code / name)
    app = make_app("pulih_perintah", UPLOAD_FOLDER=str(instance / "uploads"),
                   IMG_UPLOAD_FOLDER=str(code / "app" / "static" / "uploads"))  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PENKOM_", "DATABASE_URL"))}
    env.update(DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], PENKOM_INSTANCE_DIR=str(instance))
    data = fill(app, instance / "uploads", "pulih.admin")
    folders = [instance / "uploads", code / "app" / "static" / "uploads"]
    return SimpleNamespace(app=app, code=code, env=env, data=data, folders=folders, root=root)


def penkom(install, *args) -> subprocess.CompletedProcess:
    """`flask --app app penkom ...` in a new process, in the installation's folder."""
    flask = Path(sys.executable).with_name("flask")
    return subprocess.run([str(flask), "--app", "app", "penkom", *args], cwd=install.code, env=install.env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip


def files_in(install) -> list[dict[str, bytes]]:
    return [files_of(folder) for folder in install.folders]


def test_restore_from_command_line_gives_back_identical_data(install):
    archive = install.root / "penkom-cadangan.tar.gz"
    before, files_before, stored_before = checksums(install.app), files_in(install), stored_bytes(install.app)
    assert stored_before == (install.data["pdfs"], install.data["attachments"])
    done = penkom(install, "backup", str(archive))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Cadangan ditulis" in done.stdout and "3 berkas unggahan" in done.stdout

    # Wipe: change, delete and add rows, overwrite PDFs and attachments, drop a table, lose the logo,
    # change an uploaded file and leave a stray one.
    with install.app.app_context():
        db.session.execute(update(Pegawai).values(nama="Diubah Setelah Cadangan"))
        db.session.execute(update(NaskahDinas).values(pdf=b"%PDF-1.4 palsu"))
        db.session.execute(update(Lampiran).values(isi=b"bukan lampiran aslinya"))
        db.session.execute(text("DELETE FROM naskah_riwayat"))
        db.session.add(Instansi(kode=uniq("BARU"), nama="Instansi setelah cadangan", kop="X"))
        db.session.commit()
        db.session.execute(text("DROP TABLE hari_libur"))
        db.session.commit()
    uploads, logos = install.folders
    (logos / install.data["logo"]).unlink()
    (uploads / "arsip" / "biner.bin").write_bytes(b"diubah")
    (uploads / "sisa.txt").write_text("tidak ada di cadangan", encoding="utf-8")
    assert checksums(install.app) != before

    done = penkom(install, "restore", str(archive), "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Pemulihan selesai dan terverifikasi: setiap tabel cocok dengan cadangan." in done.stdout

    assert checksums(install.app) == before  # every table: same row count and checksum
    assert files_in(install) == files_before  # uploads and logo byte for byte; the stray file is gone
    assert stored_bytes(install.app) == stored_before  # signed PDFs and attachments byte for byte
    with install.app.app_context():
        # The restored database takes new rows (PostgreSQL's sequences came back too).
        db.session.add(Instansi(kode=uniq("SESUDAH"), nama="Instansi sesudah pemulihan", kop="X"))
        db.session.commit()


def _truncated(archive: Path, target: Path) -> Path:
    target.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return target


def _corrupted(archive: Path, target: Path) -> Path:
    content = bytearray(archive.read_bytes())
    middle = len(content) // 2
    content[middle : middle + 16] = bytes(b ^ 0x5A for b in content[middle : middle + 16])
    target.write_bytes(bytes(content))
    return target


def _foreign_tar(archive: Path, target: Path) -> Path:
    with tarfile.open(target, "w:gz") as tar:
        tar.add(ROOT / "pyproject.toml", arcname="pyproject.toml")
    return target


def _foreign_file(archive: Path, target: Path) -> Path:
    target.write_bytes(b"PK\x03\x04 ini arsip zip, bukan cadangan")
    return target


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_truncated, "terpotong: arsip berhenti di tengah jalan"),
        (_corrupted, "rusak: data terkompresinya tidak lolos pemeriksaan"),
        (_foreign_tar, "bukan cadangan Penkom: arsip ini tidak berisi manifest.json"),
        (_foreign_file, "bukan cadangan Penkom: berkas ini bukan arsip .tar.gz"),
    ],
    ids=["terpotong", "rusak", "tar-gz-lain", "bukan-tar"],
)
def test_restore_from_command_line_refuses_a_broken_or_foreign_archive(install, make, message):
    archive = install.root / "penkom-utuh.tar.gz"
    if not archive.exists():
        done = penkom(install, "backup", str(archive))
        assert done.returncode == 0, done.stdout + done.stderr
    with install.app.app_context():  # the database now differs from the archive: a restore would show
        db.session.add(Instansi(kode=uniq("SETELAH"), nama="Instansi setelah cadangan utuh", kop="X"))
        db.session.commit()
    bad = make(archive, install.root / f"{make.__name__}.tar.gz")
    before, files_before = checksums(install.app), files_in(install)

    done = penkom(install, "restore", str(bad), "--yes")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert f"Kesalahan: {bad} {message}" in output and "Tidak ada yang diubah." in output
    assert "Aborted" not in output and "Traceback" not in output
    assert checksums(install.app) == before
    assert files_in(install) == files_before
