"""Backup and restore: the round trip gives back identical data (every table's count and checksum,
signed PDFs, the uploaded logo), on SQLite and on PostgreSQL; bad archives are refused."""

from __future__ import annotations

import io
import json
import re
import tarfile
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select, text, update

from app import backup
from app.documents import naskah as svc
from app.extensions import db
from app.models import Instansi, Jabatan, NaskahDinas, Pangkat, Pegawai, TemplateNaskah, UnitKerja
from tests.conftest import PASSWORD, login, make_app, make_nip, uniq

UPLOADS = Path(tempfile.mkdtemp(prefix="penkom-backup-files-"))


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


@pytest.fixture(scope="module")
def data(bapp):
    """An agency whose logo an administrator uploaded, a civil servant, and two signed letters."""
    (UPLOADS / "uploads").mkdir(parents=True, exist_ok=True)
    (UPLOADS / "uploads" / "lampiran-lama.txt").write_text("berkas unggahan lama", encoding="utf-8")
    with bapp.app_context():
        sm = bapp.appbuilder.sm
        admin = sm.add_user("cadangan.admin", "Admin", "Cadangan", "cadangan@example.test", sm.find_role("Admin"),
                            password=PASSWORD)  # fmt: skip
        admin_id = admin.id
    client = bapp.test_client()
    login(client, "cadangan.admin")
    response = client.post(
        "/instansiview/add",
        data={"kode": "BKPSDM-CAD", "nama": "BKPSDM Kabupaten Cadangan", "kop": "PEMERINTAH KABUPATEN CADANGAN",
              "kota": "Cadangan", "kode_surat": "BKPSDM", "logo": (io.BytesIO(logo_png()), "logo.png")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with bapp.app_context():
        instansi = db.session.execute(select(Instansi).where(Instansi.kode == "BKPSDM-CAD")).scalar_one()
        assert instansi.logo and (UPLOADS / "img" / instansi.logo).is_file()
        unit = UnitKerja(kode="CAD-1", nama="Bidang Cadangan", instansi=instansi)
        rank = db.session.execute(select(Pangkat).where(Pangkat.golongan == "IV/c")).scalar_one()
        kepala = Pegawai(nip=make_nip(), nama="Kepala Cadangan", gelar_depan="Dr.", unit_kerja=unit, pangkat=rank,
                         jabatan=Jabatan(nama="Kepala BKPSDM", jenis="jpt_pratama"))  # fmt: skip
        db.session.add_all([unit, kepala])
        db.session.commit()
        admin = sm.get_user_by_id(admin_id)
        admin.pegawai = kepala
        db.session.commit()
        template = db.session.execute(
            select(TemplateNaskah).where(TemplateNaskah.kode == "surat_penolakan")
        ).scalar_one()
        with bapp.test_request_context():
            for kepada in ("Kepala BKPSDM Kabupaten Tegal", "Kepala BKD Kabupaten Brebes"):
                naskah = svc.create_draft(template, admin, unit, None, None, kepala)
                naskah.kepada = kepada
                db.session.flush()
                svc.sign(naskah, admin)
                db.session.commit()
        pdfs = {n.id: n.pdf for n in db.session.execute(select(NaskahDinas)).scalars()}
        assert len(pdfs) == 2 and all(p.startswith(b"%PDF") for p in pdfs.values())
    return {"pdfs": pdfs, "logo": instansi.logo}


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
