"""Backup and restore of a whole Penkom installation: database, uploaded files and a manifest.

A backup is one `.tar.gz`:
- `manifest.json`: Penkom version, Alembic revision, engine, time, the database file's SHA-256,
  each uploaded file's SHA-256, and per table the row count and a content checksum;
- `database/penkom.sqlite3` (SQLite's online backup API: a consistent copy while the app runs) or
  `database/penkom.dump` (`pg_dump --format=custom`, taken in the same snapshot as the checksums);
- `files/uploads/...` and `files/img_uploads/...`: UPLOAD_FOLDER and IMG_UPLOAD_FOLDER (logos).
  Signed PDFs and case attachments are bytes inside the database.

The table checksum is engine-independent: every row becomes a canonical JSON list of
(column name, value) pairs with values normalised (dates in ISO form, binary as its SHA-256,
JSON sorted), each row is hashed, and the sorted row hashes are hashed again; so the same data
gives the same checksum on SQLite and PostgreSQL whatever the row order or collation.

Restore checks the archive first (a whole .tar.gz: not truncated, gzip's CRC intact, with a Penkom
manifest), then the manifest (same engine, the Alembic revision this code expects, the archive's
files intact), then replaces the database and the upload folders, and finally
recomputes every table's count and checksum against the manifest.
"""

from __future__ import annotations

import datetime as dt
import decimal
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app
from flask_appbuilder import Model
from flask_babel import gettext as _

from app.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
FOLDERS = {"uploads": "UPLOAD_FOLDER", "img_uploads": "IMG_UPLOAD_FOLDER"}
ROOT = Path(__file__).resolve().parent.parent


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


# -- checksums ---------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"sha256": hashlib.sha256(bytes(value)).hexdigest()}
    if isinstance(value, dict | list):
        return json.loads(json.dumps(value, sort_keys=True, default=str))
    return str(value)


def table_checksums(connection: sa.Connection) -> dict[str, dict[str, Any]]:
    """Row count and content checksum of every table in the database, independent of the engine."""
    result = {}
    reflected = sa.MetaData()
    for name in sorted(sa.inspect(connection).get_table_names()):
        # The app's column types (Boolean, DateTime, JSON) read values alike on both engines.
        table = Model.metadata.tables.get(name)
        if table is None:
            table = sa.Table(name, reflected, autoload_with=connection)
        # Custom types (FAB's ImageColumn) are read as their underlying type.
        columns = [
            sa.column(c.name, c.type.impl_instance if isinstance(c.type, sa.TypeDecorator) else c.type)
            for c in sorted(table.columns, key=lambda c: c.name)
        ]
        digests = []
        for row in connection.execute(sa.select(*columns).select_from(sa.table(name))):
            pairs = [[c.name, _canonical(v)] for c, v in zip(columns, row, strict=True)]
            digests.append(hashlib.sha256(json.dumps(pairs, separators=(",", ":"), sort_keys=True).encode()).digest())
        digests.sort()
        total = hashlib.sha256()
        for digest in digests:
            total.update(digest)
        result[name] = {"rows": len(digests), "sha256": total.hexdigest()}
    return result


def compare_tables(expected: dict, actual: dict) -> list[str]:
    """Readable differences between two table summaries (empty: identical)."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if got is None:
            problems.append(_("table %(t)s is missing", t=name))
        elif want is None:
            problems.append(_("table %(t)s is not in the backup", t=name))
        elif want["rows"] != got["rows"]:
            problems.append(_("table %(t)s: %(got)d rows, the backup has %(want)d", t=name, got=got["rows"],
                              want=want["rows"]))  # fmt: skip
        elif want["sha256"] != got["sha256"]:
            problems.append(_("table %(t)s: the content differs from the backup", t=name))
    return problems


# -- helpers -----------------------------------------------------------------------------


def penkom_version() -> str:
    try:
        with (ROOT / "pyproject.toml").open("rb") as fh:
            return tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def expected_revision() -> str:
    """The Alembic head(s) of this code: the schema a restored database must have. Read from the
    migrations folder itself: Flask-Migrate is loaded only by `flask db` and `penkom init`."""
    _db, directory = current_app.extensions["penkom_migrate"]
    return ",".join(sorted(ScriptDirectory(directory).get_heads()))


def database_revision(connection: sa.Connection) -> str:
    return ",".join(sorted(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine_name() -> str:
    name = db.engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(name)s.", name=name))
    return name


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError(_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while other connections write."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


# -- PostgreSQL tools --------------------------------------------------------------------


def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def pg_tool(name: str, server_major: int) -> str:
    """pg_dump/pg_restore of the server's major version (or newer): PENKOM_PG_BIN, Debian's
    /usr/lib/postgresql/<major>/bin, then PATH."""
    candidates = []
    if current_app.config.get("PENKOM_PG_BIN"):
        candidates.append(str(Path(current_app.config["PENKOM_PG_BIN"]) / name))
    candidates.append(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    if shutil.which(name):
        candidates.append(shutil.which(name))
    candidates += sorted(
        (str(p) for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")),
        key=lambda p: int(re.search(r"/(\d+)/bin/", p).group(1)) if re.search(r"/(\d+)/bin/", p) else 0,
    )
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            major = _tool_major(candidate)
            if major is not None and major >= server_major:
                return candidate
    raise BackupError(
        _("%(tool)s for PostgreSQL %(major)d was not found. Install it (Debian: apt-get install "
          "postgresql-client-%(major)d) or set PENKOM_PG_BIN to the folder that contains it.",
          tool=name, major=server_major)
    )  # fmt: skip


def _pg_connection() -> tuple[str, dict[str, str]]:
    """A libpq address without the password, and an environment that carries it."""
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _server_major(connection: sa.Connection) -> int:
    return int(connection.execute(sa.text("SHOW server_version_num")).scalar()) // 10000


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise BackupError(_("%(tool)s failed: %(error)s", tool=Path(args[0]).name, error=tail))


# -- backup ------------------------------------------------------------------------------


def create_backup(target: str | Path) -> dict:
    """Write a backup archive of the database and the upload folders; return its manifest."""
    target = Path(target)
    engine_name = _engine_name()
    with tempfile.TemporaryDirectory(prefix="penkom-backup-") as tmp:
        work = Path(tmp)
        if engine_name == "sqlite":
            dump = work / "penkom.sqlite3"
            _sqlite_copy(_sqlite_path(), dump)
            copy = sa.create_engine(f"sqlite:///{dump}")
            try:
                with copy.connect() as conn:  # checksums of the copy itself: consistent by construction
                    tables, revision = table_checksums(conn), database_revision(conn)
            finally:
                copy.dispose()
        else:
            dump = work / "penkom.dump"
            address, env = _pg_connection()
            with db.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    # pg_dump reads the same snapshot as the checksums below.
                    snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar()
                    tool = pg_tool("pg_dump", _server_major(conn))
                    _run([tool, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                          f"--file={dump}", f"--dbname={address}"], env)  # fmt: skip
                    tables, revision = table_checksums(conn), database_revision(conn)
        files = {}
        for key, setting in FOLDERS.items():
            folder = Path(current_app.config[setting])
            for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []:
                files[f"files/{key}/{path.relative_to(folder).as_posix()}"] = (path, _sha256_file(path))
        manifest = {
            "format": FORMAT,
            "penkom_version": penkom_version(),
            "alembic_revision": revision,
            "engine": engine_name,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {"file": f"database/{dump.name}", "sha256": _sha256_file(dump)},
            "files": {name: digest for name, (_path, digest) in files.items()},
            "tables": tables,
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=manifest["database"]["file"])
            for name, (path, _digest) in files.items():
                tar.add(path, arcname=name)
        os.replace(partial, target)
    return manifest


# -- restore -----------------------------------------------------------------------------


def check_archive(source: str | Path) -> None:
    """Refuse, naming the fault, a file that is not a whole .tar.gz: another kind of file, a copy that
    ended early, or bytes changed on the way (gzip's CRC covers the whole stream, so it is read once to
    its end before anything is touched)."""
    try:
        with open(source, "rb") as fh:
            magic = fh.read(2)
        if magic != b"\x1f\x8b":
            raise BackupError(_("%(file)s is not a Penkom backup: it is not a .tar.gz archive.", file=source))
        with gzip.open(source, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except EOFError:
        raise BackupError(
            _("%(file)s is truncated: the archive stops part-way (a copy or download that did not finish?).",
              file=source)
        ) from None  # fmt: skip
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(_("%(file)s is damaged: its compressed data does not check out (%(error)s).", file=source,
                            error=exc)) from None  # fmt: skip
    except OSError as exc:
        raise BackupError(_("%(file)s cannot be read: %(error)s", file=source, error=exc.strerror or exc)) from None


def read_manifest(source: str | Path) -> dict:
    """The manifest of a backup archive; BackupError, naming the fault, if it is not a whole Penkom backup."""
    check_archive(source)
    try:
        with tarfile.open(source, "r:gz") as tar:
            member = tar.getmember(MANIFEST)
            manifest = json.loads(tar.extractfile(member).read())
    except tarfile.ReadError:
        raise BackupError(_("%(file)s is not a Penkom backup: it is compressed, but not a tar archive.",
                            file=source)) from None  # fmt: skip
    except KeyError:
        raise BackupError(
            _("%(file)s is not a Penkom backup: the archive has no manifest.json.", file=source)
        ) from None
    except (OSError, tarfile.TarError, ValueError, AttributeError):
        raise BackupError(_("%(file)s is damaged: its manifest.json cannot be read.", file=source)) from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("tables"), dict)
        or not isinstance(manifest.get("files", {}), dict)
        or not isinstance(manifest.get("database"), dict)
        or not {"file", "sha256"} <= set(manifest["database"])
    ):
        raise BackupError(_("%(file)s has an unknown manifest format.", file=source))
    return manifest


def check_manifest(manifest: dict) -> None:
    """Refuse a backup this installation cannot take: another engine or another schema revision."""
    engine_name = _engine_name()
    if manifest.get("engine") != engine_name:
        raise BackupError(
            _("This backup is of a %(theirs)s database; this installation uses %(ours)s.",
              theirs=manifest.get("engine"), ours=engine_name)
        )  # fmt: skip
    expected = expected_revision()
    if manifest.get("alembic_revision") != expected:
        raise BackupError(
            _("The backup's database revision is %(theirs)s (Penkom %(version)s), but this version of Penkom "
              "expects revision %(ours)s. Restore it with the Penkom version that made it, then upgrade.",
              theirs=manifest.get("alembic_revision"), version=manifest.get("penkom_version"), ours=expected)
        )  # fmt: skip


def _safe_member_path(base: Path, name: str) -> Path:
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts:
        raise BackupError(_("The backup contains an unsafe path: %(name)s", name=name))
    return base.joinpath(*parts)


def _extract(source: str | Path, manifest: dict, work: Path) -> None:
    """Extract only what the manifest lists, and check every file against its SHA-256."""
    wanted = {manifest["database"]["file"]: manifest["database"]["sha256"], **manifest.get("files", {})}
    try:
        with tarfile.open(source, "r:gz") as tar:
            for member in tar.getmembers():
                if member.name not in wanted:
                    continue
                if not member.isfile():
                    raise BackupError(_("The backup contains an unsafe path: %(name)s", name=member.name))
                path = _safe_member_path(work, member.name)
                path.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src, path.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
    except (EOFError, zlib.error, gzip.BadGzipFile, tarfile.TarError) as exc:  # changed since check_archive
        raise BackupError(_("%(file)s is damaged: its compressed data does not check out (%(error)s).", file=source,
                            error=exc)) from None  # fmt: skip
    for name, digest in wanted.items():
        path = _safe_member_path(work, name)
        if not path.is_file() or _sha256_file(path) != digest:
            raise BackupError(_("The backup is damaged: %(name)s is missing or changed.", name=name))


def _replace_folder(folder: Path, source: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if source.is_dir():
        shutil.copytree(source, folder, dirs_exist_ok=True)


def restore_backup(source: str | Path) -> list[str]:
    """Replace the database and the upload folders with a backup's; return the differences found when
    the restored tables are checked against the manifest (empty: identical to the backup)."""
    manifest = read_manifest(source)
    check_manifest(manifest)
    with tempfile.TemporaryDirectory(prefix="penkom-restore-") as tmp:
        work = Path(tmp)
        try:
            _extract(source, manifest, work)  # nothing is touched before the archive is known to be whole
        except BackupError as exc:
            raise BackupError(_("%(reason)s Nothing was changed.", reason=exc)) from None
        dump = work / manifest["database"]["file"]
        db.session.remove()
        db.engine.dispose()  # our pooled connections would hold locks on what is replaced
        if manifest["engine"] == "sqlite":
            _sqlite_copy(dump, _sqlite_path())
        else:
            address, env = _pg_connection()
            with db.engine.connect() as conn:
                tool = pg_tool("pg_restore", _server_major(conn))
            db.engine.dispose()
            _run([tool, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                  "--exit-on-error", f"--dbname={address}", str(dump)], env)  # fmt: skip
        for key, setting in FOLDERS.items():
            _replace_folder(Path(current_app.config[setting]), work / "files" / key)
    with db.engine.connect() as conn:
        return compare_tables(manifest["tables"], table_checksums(conn))
