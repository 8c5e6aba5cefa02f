"""Test fixtures: one real app per session on SQLite (default) or PostgreSQL (PENKOM_TEST_DATABASE_URL)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient

# pytest imports this file as "conftest"; test modules import it as "tests.conftest". One module
# object for both, so that the counters behind uniq() and make_nip() are shared (two copies handed
# out the same NIPs).
sys.modules.setdefault("tests.conftest", sys.modules[__name__])

_TMP = tempfile.mkdtemp(prefix="penkom-test-")
os.environ["PENKOM_INSTANCE_DIR"] = _TMP  # before config.py is imported
os.environ.pop("DATABASE_URL", None)

from sqlalchemy import event, select, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Instansi, Kasus, Pegawai, Sop, UnitKerja  # noqa: E402
from app.reference import init_database  # noqa: E402
from app.roles import WORKFLOW, sync_roles  # noqa: E402

PASSWORD = "Uji!Coba2026ab"


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # an xdist hook: absent with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    """`make test` runs the suite in parallel by file (pytest-xdist, --dist loadfile): a file's tests share one
    worker, so an app a file builds for itself is built once; the browser tests (three files) share one
    worker too: one live server, one Chromium, one screenshot folder. (xdist's own --dist loadgroup would
    group by mark, but it loses its groups on pytest 9.2: pytest-dev/pytest-xdist#1386.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ByFile(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "tests/browser/" if path.startswith("tests/browser/") else path

    return ByFile(config, log)


_BROWSER_SUMMARIES: list[dict] = []


@pytest.hookimpl(optionalhook=True)  # an xdist hook: absent with -p no:xdist
def pytest_testnodedown(node, error):
    """The worker that ran the browser tests hands over what they saw (tests/browser/conftest.py)."""
    if summary := getattr(node, "workeroutput", {}).get("penkom_browser"):
        _BROWSER_SUMMARIES.append(summary)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for summary in _BROWSER_SUMMARIES:
        print_summary(terminalreporter, summary)


def print_summary(terminalreporter, summary: dict) -> None:
    terminalreporter.write_sep("-", "browser tests")
    pages, external = summary["pages"], summary["external"]
    terminalreporter.write_line(f"{pages} pages checked for <html lang>; {external} requests outside the app")
    terminalreporter.write_line(f"{summary['taken']} screenshots in {summary['folder']}")


_seq = itertools.count(1)


def _pg_name(name: str) -> str:
    # Parallel runs (pytest-xdist workers, or several checkouts on one server) get their own databases.
    suffix = os.environ.get("PENKOM_TEST_DB_SUFFIX", "") + os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"penkom_{name}{'_' + suffix if suffix else ''}"


def database_url(name: str, copy_of: str | None = None) -> str:
    """A database for one app: empty, or a copy of the database `copy_of`; a SQLite file, or a PostgreSQL
    database made anew."""
    pg = os.environ.get("PENKOM_TEST_DATABASE_URL")
    if not pg:
        path = Path(_TMP) / f"{name}.db"
        if copy_of:
            shutil.copyfile(Path(_TMP) / f"{copy_of}.db", path)
        return f"sqlite:///{path}"
    from sqlalchemy import create_engine

    engine = create_engine(pg, isolation_level="AUTOCOMMIT")
    db_name = _pg_name(name)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        template = f' TEMPLATE "{_pg_name(copy_of)}"' if copy_of else ""
        conn.execute(text(f'CREATE DATABASE "{db_name}"{template}'))
    engine.dispose()
    return re.sub(r"/[^/]*$", f"/{db_name}", pg)


@event.listens_for(Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, _record):
    """SQLite test databases skip the fsync of every commit, as the CI's PostgreSQL runs with fsync=off:
    nothing here has to survive a power cut, and the suite spends far less time waiting on the disk."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (fresh `g` and DB session), as in production,
    even while a test holds an app context of its own."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


_APPS: list = []  # every app built in this session, kept alive and disposed of at the end


@pytest.fixture(scope="session", autouse=True)
def _dispose_engines():
    """Close each app's pooled connections when the session ends (PostgreSQL warns otherwise)."""
    yield
    for built in _APPS:
        with built.app_context():
            db.engine.dispose()


# The first database `penkom init` prepares in this process is kept as a template: every later app starts
# from a copy and runs init on it again (which then has nothing to add), instead of building the schema,
# permissions and reference data anew (tens of seconds per app).
_INITIALISED = "initialised"
_template_ready = False


def make_app(name: str, fresh: bool = False, **overrides):
    """An app on its own database, prepared by `penkom init` (init_database); `fresh`: init runs on an empty
    database, not on a copy of one it prepared before."""
    global _template_ready
    copy_of = _INITIALISED if _template_ready and not fresh else None
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(name, copy_of),
        "WTF_CSRF_ENABLED": False,
        "AUTH_RATE_LIMIT": "10000 per second",
        "SERVER_NAME": "localhost",
        # Uploaded logos in this process's folder, not the checkout's app/static/uploads (parallel workers).
        "IMG_UPLOAD_FOLDER": str(Path(_TMP) / "img"),
        # Signing certificates per app: the demo's certificates sign only the demo app's letters.
        "PENKOM_SERTIFIKAT_DIR": str(Path(_TMP) / "sertifikat" / name),
        # Passwords hashed with one PBKDF2 round, not FAB's scrypt (a third of a second or more per login
        # and per new account): no test password has to resist guessing. Production keeps scrypt.
        "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        init_database()
        if not _template_ready:
            db.session.remove()
            db.engine.dispose()  # no open connection: PostgreSQL copies only a database nobody is using
            database_url(_INITIALISED, copy_of=name)
            _template_ready = True
    _APPS.append(app)
    return app


@pytest.fixture(scope="session")
def app():
    return make_app("main")


@pytest.fixture(scope="session")
def demo_app():
    """An app with the demo data and demo work loaded (`penkom demo`); every login may work at once."""
    built = make_app("demo_data")
    with built.app_context():
        from app.demo import load_demo
        from app.models import PenkomUser

        load_demo(PASSWORD)
        for user in db.session.execute(select(PenkomUser)).scalars():
            user.wajib_ganti_sandi = False
        db.session.commit()
    return built


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


def uniq(prefix: str) -> str:
    return f"{prefix}{next(_seq)}"


def make_nip(sex: int = 1, serial: int | None = None) -> str:
    """A valid NIP that no other test uses (the serial and birth day vary)."""
    n = next(_seq)
    serial = serial if serial is not None else n % 999 + 1
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    return f"1980{month:02d}{day:02d}2005{(n % 12) + 1:02d}{sex}{serial:03d}"


@pytest.fixture
def create_instansi(ctx):
    def factory(**kw):
        kode = kw.pop("kode", uniq("INS"))
        item = Instansi(kode=kode, nama=kw.pop("nama", f"Instansi {kode}"), kop=kw.pop("kop", "PEMERINTAH UJI"), **kw)
        db.session.add(item)
        db.session.commit()
        return item

    return factory


@pytest.fixture
def create_unit(ctx, create_instansi):
    def factory(induk=None, instansi=None, **kw):
        instansi = instansi or (induk.instansi if induk else create_instansi())
        kode = kw.pop("kode", uniq("UNIT"))
        item = UnitKerja(kode=kode, nama=kw.pop("nama", f"Unit {kode}"), instansi=instansi, induk=induk)
        db.session.add(item)
        db.session.commit()
        return item

    return factory


@pytest.fixture
def create_pegawai(ctx):
    def factory(unit, **kw):
        item = Pegawai(nip=kw.pop("nip", make_nip()), nama=kw.pop("nama", uniq("Pegawai ")), unit_kerja=unit, **kw)
        db.session.add(item)
        db.session.commit()
        return item

    return factory


@pytest.fixture
def create_user(app, ctx):
    def factory(roles, unit=None, password=PASSWORD, username=None):
        sm = app.appbuilder.sm
        username = username or uniq("user")
        user = sm.add_user(
            username=username,
            first_name=username,
            last_name="Uji",
            email=f"{username}@example.test",
            role=[sm.find_role(r) for r in roles],
            password=password,
        )
        assert user, f"could not create {username}"
        user.unit_kerja = unit
        db.session.commit()
        return user

    return factory


def login(client, username, password=PASSWORD):
    response = client.post("/login/", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


# -- workflow helpers -------------------------------------------------------------


@pytest.fixture
def roles(app, ctx):
    names = {"pemohon": uniq("Pemohon"), "verifikator": uniq("Verifikator"), "kepala": uniq("Kepala")}
    sync_roles(app.appbuilder.sm, {name: WORKFLOW for name in names.values()})
    return {k: app.appbuilder.sm.find_role(v) for k, v in names.items()}


def ok(response):
    assert response.status_code in (200, 302), response.status_code
    return response


@pytest.fixture
def form_sop(app, client, create_user, create_unit, roles):
    """An SOP made through the SOP, actor and step forms by an administrator."""
    unit = create_unit()
    admin = create_user(["Admin"], unit)
    login(client, admin.username)
    name = uniq("SOP Uji Formulir ")
    ok(client.post("/sopview/add", data={"nama": name, "nomor": "800/1/UJI/2026", "jenis": "mikro",
                                         "instansi": unit.instansi_id, "unit_kerja": unit.id,
                                         "dasar_hukum": "UU 5/2014\nPP 11/2017"}))  # fmt: skip
    sop = db.session.execute(select(Sop).where(Sop.nama == name)).scalar_one()
    for order, (kode, role) in enumerate(roles.items(), start=1):
        ok(client.post("/pelaksanaview/add", data={"sop": sop.id, "urutan": order, "kode": kode,
                                                   "nama": kode.title(), "role": role.id}))  # fmt: skip
    db.session.refresh(sop)
    actor = {p.kode: p.id for p in sop.pelaksana}
    steps = [
        {"no": 1, "kegiatan": "Mengajukan permohonan", "simbol": "mulai", "pelaksana": actor["pemohon"],
         "waktu": "1 hari", "output": "Berkas"},
        {"no": 2, "kegiatan": "Memverifikasi berkas", "simbol": "keputusan", "pelaksana": actor["verifikator"],
         "waktu": "2 jam", "ya_no": 3, "label_ya": "Lengkap", "tidak_no": 1, "label_tidak": "Tidak lengkap"},
        {"no": 3, "kegiatan": "Menyetujui", "simbol": "proses", "pelaksana": actor["kepala"], "waktu": "30 menit",
         "kembali_no": 2, "label_kembali": "Kembalikan ke verifikator"},
        {"no": 4, "kegiatan": "Mengarsipkan", "simbol": "selesai", "pelaksana": actor["verifikator"],
         "waktu": "menyesuaikan"},
    ]  # fmt: skip
    for step in steps:
        ok(client.post("/langkahview/add", data={"sop": sop.id, **step}))
    db.session.refresh(sop)
    assert [s.no for s in sop.langkah] == [1, 2, 3, 4]
    client.get("/logout/")
    users = {k: create_user([r.name], unit) for k, r in roles.items()}
    return sop, users


def start(client, sop, judul="Permohonan uji"):
    response = client.post("/kasusview/add", data={"sop": sop.id, "judul": judul})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(re.search(r"/show/(\d+)", response.headers["Location"]).group(1))


def act(client, kasus_id, transition, comment="", konfirmasi=True):
    """Post a transition as the case page does: with the case version the page was rendered at;
    `konfirmasi` as the confirmation page of an initialling or signing step posts it (other
    transitions ignore it)."""
    data = {"transition": transition, "comment": comment, "versi": case(kasus_id).versi}
    if konfirmasi:
        data["konfirmasi"] = "1"
    return client.post(f"/kasusview/transisi/{kasus_id}", data=data)


def attach(client, kasus_id, jenis, content=b"%PDF-1.4 uji", name="berkas.pdf"):
    """Attach a file of a kind to a case, as the actor of its current step does on the case page."""
    import io

    data = {"jenis": jenis, "berkas": (io.BytesIO(content), name)}
    response = client.post(f"/kasusview/lampiran/{kasus_id}", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    return response


def give_part(client, kasus_id, user, komentar=""):
    """A co-actor of a "semua" step records their part on the case page."""
    as_user(client, user)
    response = client.post(f"/kasusview/tanggapan/{kasus_id}", data={"jenis": "bagian", "komentar": komentar})
    assert response.status_code == 302
    return response


def case(kasus_id):
    db.session.expire_all()
    return db.session.get(Kasus, kasus_id)


def as_user(client, user):
    client.get("/logout/")
    login(client, user.username, PASSWORD)


# -- documents helpers ------------------------------------------------------------


def link_pegawai(user, pegawai):
    user.pegawai = pegawai
    db.session.commit()
    return user


def draft_form(naskah, **changes) -> dict:
    """The edit form of a draft as the browser would post it, with some fields changed."""
    from app.documents.naskah import EDITABLE_FIELDS

    data = {f: getattr(naskah, f) or "" for f in EDITABLE_FIELDS}
    data["penandatangan_id"] = naskah.penandatangan_id or 0
    data.update(changes)
    return data


def case_drafts(kasus_id):
    from app.models import NaskahDinas

    db.session.expire_all()
    return (
        db.session.execute(select(NaskahDinas).where(NaskahDinas.kasus_id == kasus_id).order_by(NaskahDinas.id))
        .scalars()
        .all()
    )


def complete_drafts(client, kasus_id, signer, kepada="Kepala BKPSDM Kabupaten Tegal\ndi Slawi", **changes):
    """The drafter fills the addressee and chooses the signer of each open draft of the case."""
    for naskah in case_drafts(kasus_id):
        if naskah.status in ("konsep", "dikembalikan"):
            data = draft_form(naskah, kepada=kepada, penandatangan_id=signer.id, **changes)
            response = client.post(f"/naskahdinasview/edit/{naskah.id}", data=data)
            assert response.status_code == 302, response.get_data(as_text=True)[:3000]
