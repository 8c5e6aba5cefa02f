"""SQL statements per page: a small constant, whatever the size of the menu or the number of related
rows (history, documents, steps, cases), and permission changes that apply on the next request.

Statements are counted with a SQLAlchemy `before_cursor_execute` listener on a warm page (the
second request), as the benchmark (scripts/bench_pages.py) does. No timings here: speed is
measured by the benchmark only.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app import create_app
from app.documents import naskah as svc
from app.extensions import db
from app.models import (
    Kasus,
    KasusPetugas,
    KasusRiwayat,
    Lampiran,
    NaskahPemeriksa,
    NaskahRiwayat,
    Pegawai,
    Sop,
    StatusKasus,
    TemplateNaskah,
)
from app.models.security import utcnow
from tests.conftest import PASSWORD, login, make_app, make_nip, uniq

PEMALANG = "pemalang-kerjasama-penilaian-kompetensi"

# A list page: the user with roles, groups and the cache versions, the row count, the page of rows
# and the count of unread notifications. Permissions and the unit tree come from the worker's
# cache (app/cache.py); relation filters of the search form load their options only when opened
# (app/search_choices.py).
LIST_PAGE_STATEMENTS = 4


@contextmanager
def statements(app):
    """Collect the SQL statements run inside the block (all connections of the app's engine)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def page_statements(app, client, path: str) -> int:
    """Statements of a warm GET of `path` (the first request fills template and mapper caches)."""
    assert client.get(path).status_code == 200
    with statements(app) as seen:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(seen)


def pemalang() -> Sop:
    return db.session.execute(select(Sop).where(Sop.kode == PEMALANG, Sop.berlaku.is_(True))).scalar_one()


def workers(app, count: int) -> list:
    """Users who appear in history rows (distinct, so a per-row user load would show)."""
    sm = app.appbuilder.sm
    role = sm.find_role("Kepala Subbagian")
    result = []
    for _ in range(count):
        name = uniq("petugas")
        result.append(sm.add_user(name, name, "Uji", f"{name}@example.test", role, hashed_password="-"))
    return result


def make_case(sop: Sop, rows: int, people: list, related: int | None = None) -> Kasus:
    """A running case on step 2 with `rows` history rows and `related` (default: as many) attachments
    and assigned civil servants."""
    related = rows if related is None else related
    now = utcnow()
    kasus = Kasus(sop=sop, judul=uniq("Kasus uji "), unit_kerja_id=sop.unit_kerja_id, status=StatusKasus.BERJALAN,
                  langkah=sop.step(2), masuk_at=now, dibuat_at=now - dt.timedelta(days=60),
                  due_at=now + dt.timedelta(days=2))  # fmt: skip
    for i in range(rows):
        waktu = now - dt.timedelta(days=rows - i)
        done = sop.langkah[i % len(sop.langkah)]  # rows spread over the steps, as the monitoring page counts them
        kasus.riwayat.append(KasusRiwayat(user_id=people[i].id, peran="Kepala Bidang", transisi="lanjut", label="Maju",
                                          dari_no=done.no, ke_no=done.no + 1, komentar=f"catatan {i}", waktu=waktu,
                                          masuk_at=waktu - dt.timedelta(hours=3), durasi_menit=180 + i,
                                          anggaran_menit=480, due_at=waktu))  # fmt: skip
    for i in range(related):
        kasus.lampiran.append(Lampiran(jenis="surat_permohonan", nama_file=f"surat-{i}.pdf", isi=b"%PDF-1.4 " * 100))
        pegawai = Pegawai(nip=make_nip(), nama=uniq("Asesor "), unit_kerja_id=sop.unit_kerja_id)
        kasus.petugas.append(KasusPetugas(pegawai=pegawai, peran="Asesor"))
    db.session.add(kasus)
    db.session.commit()
    return kasus


@pytest.fixture(scope="module")
def perf_app():
    """An app of its own: the menu test adds menu items."""
    return make_app("perf")


@pytest.fixture
def perf_ctx(perf_app):
    with perf_app.app_context():
        yield perf_app
        db.session.rollback()


def new_user(app, roles: list[str], unit=None):
    sm = app.appbuilder.sm
    name = uniq("perf")
    user = sm.add_user(name, name, "Uji", f"{name}@example.test", [sm.find_role(r) for r in roles], PASSWORD)
    user.unit_kerja = unit
    db.session.commit()
    return user


# -- permissions ---------------------------------------------------------------------------------


def test_list_page_statements_do_not_grow_with_the_menu(perf_ctx):
    app = perf_ctx
    sop = pemalang()
    admin = new_user(app, ["Admin"], sop.unit_kerja)
    pengawas = new_user(app, ["Pengawas"], sop.unit_kerja)
    clients = {user.username: app.test_client() for user in (admin, pengawas)}
    for username, client in clients.items():
        login(client, username)
    before = {name: page_statements(app, client, "/kasusview/list/") for name, client in clients.items()}

    # Twenty more menu items, visible to both users: FAB would check each with its own query.
    sm = app.appbuilder.sm
    for i in range(20):
        name = f"Tautan Uji {i}"
        app.appbuilder.add_link(name, href=f"/kasusview/list/?uji={i}", category="Menu Uji")
        for role in (sm.find_role("Admin"), sm.find_role("Pengawas")):
            sm.add_permission_role(role, sm.add_permission_view_menu("menu_access", name))
    for role in (sm.find_role("Admin"), sm.find_role("Pengawas")):
        sm.add_permission_role(role, sm.add_permission_view_menu("menu_access", "Menu Uji"))
    db.session.commit()

    for name, client in clients.items():
        assert "Tautan Uji 19" in client.get("/kasusview/list/").get_data(as_text=True)
        assert page_statements(app, client, "/kasusview/list/") == before[name] <= LIST_PAGE_STATEMENTS
    assert before[admin.username] == before[pengawas.username]  # a unit scope costs no query


def test_granted_and_revoked_permissions_apply_on_the_next_request(perf_ctx):
    app = perf_ctx
    sm = app.appbuilder.sm
    role = sm.add_role(uniq("Peran Uji "))
    user = new_user(app, [role.name], pemalang().unit_kerja)
    client = app.test_client()
    login(client, user.username)
    assert client.get("/unitkerjaview/list/").status_code == 403

    sm.add_permission_role(role, sm.find_permission_view_menu("can_list", "UnitKerjaView"))
    db.session.commit()
    assert client.get("/unitkerjaview/list/").status_code == 200

    sm.del_permission_role(role, sm.find_permission_view_menu("can_list", "UnitKerjaView"))
    db.session.commit()
    assert client.get("/unitkerjaview/list/").status_code == 403

    # A new role for the user, and then none: each applies on the user's next request.
    user = db.session.get(type(user), user.id)
    user.roles = [role, sm.find_role("Pengawas")]
    db.session.commit()
    assert client.get("/unitkerjaview/list/").status_code == 200
    user.roles = [role]
    db.session.commit()
    assert client.get("/unitkerjaview/list/").status_code == 403


def test_the_menu_follows_each_users_roles_on_the_next_request(perf_ctx):
    """The rendered menu is kept per set of roles and language (app/menu.py): a grant or a revoke shows at
    once, and users with other roles never get someone else's menu."""
    app = perf_ctx
    sm = app.appbuilder.sm
    role = sm.add_role(uniq("Peran Menu "))
    user = new_user(app, [role.name], pemalang().unit_kerja)
    other = new_user(app, ["Pengawas"], pemalang().unit_kerja)
    clients = {u.username: app.test_client() for u in (user, other)}
    for username, client in clients.items():
        login(client, username)
    app.appbuilder.add_link("Tautan Peran Uji", href="/kasusview/list/?peran=uji", category="Menu Peran Uji")

    def sees(u) -> bool:
        return "Tautan Peran Uji" in clients[u.username].get("/kasusview/list/").get_data(as_text=True)

    assert not sees(user) and not sees(other)
    for name in ("Tautan Peran Uji", "Menu Peran Uji"):
        sm.add_permission_role(role, sm.add_permission_view_menu("menu_access", name))
    db.session.commit()
    assert sees(user) and not sees(other)
    english = clients[user.username]
    english.get("/lang/en")
    page = english.get("/kasusview/list/").get_data(as_text=True)
    assert 'lang="en"' in page and "Tautan Peran Uji" in page  # each language has its own copy
    english.get("/lang/id")
    sm.del_permission_role(role, sm.find_permission_view_menu("menu_access", "Tautan Peran Uji"))
    db.session.commit()
    assert not sees(user)


def second_worker(app):
    """Another app on the same database: a second gunicorn worker, with caches of its own."""
    keys = ("SQLALCHEMY_DATABASE_URI", "WTF_CSRF_ENABLED", "SERVER_NAME", "TESTING", "AUTH_RATE_LIMIT")
    other = create_app({key: app.config[key] for key in keys})
    other.test_client_class = type(app.test_client())
    return other


def test_a_permission_granted_in_one_worker_applies_in_another(perf_ctx):
    """Two apps on one database stand for two gunicorn workers, each with its own cache."""
    app = perf_ctx
    other = second_worker(app)
    sm = app.appbuilder.sm
    role = sm.add_role(uniq("Peran Uji "))
    user = new_user(app, [role.name], pemalang().unit_kerja)
    client = other.test_client()
    login(client, user.username)
    assert client.get("/unitkerjaview/list/").status_code == 403  # the other worker caches this

    sm.add_permission_role(role, sm.find_permission_view_menu("can_list", "UnitKerjaView"))
    db.session.commit()
    assert client.get("/unitkerjaview/list/").status_code == 200
    sm.del_permission_role(role, sm.find_permission_view_menu("can_list", "UnitKerjaView"))
    db.session.commit()
    assert client.get("/unitkerjaview/list/").status_code == 403
    with other.app_context():
        db.engine.dispose()


def test_a_day_off_entered_in_one_worker_moves_due_times_in_another(perf_ctx):
    from app.models import HariLibur
    from app.workflow import engine

    app = perf_ctx
    other = second_worker(app)
    instansi_id = pemalang().instansi_id
    day = dt.date(2027, 3, 3)  # a Wednesday
    with other.test_request_context():
        assert engine.calendar_for(instansi_id).is_working_day(day)  # cached in the other worker
    item = HariLibur(tanggal=day, keterangan="Cuti bersama uji", instansi_id=instansi_id)
    db.session.add(item)
    db.session.commit()
    with other.test_request_context():
        assert not engine.calendar_for(instansi_id).is_working_day(day)
    db.session.delete(item)
    db.session.commit()
    with other.test_request_context():
        assert engine.calendar_for(instansi_id).is_working_day(day)
    with other.app_context():
        db.engine.dispose()


def test_anonymous_pages_answer_from_the_public_role(perf_ctx):
    client = perf_ctx.test_client()
    assert client.get("/login/").status_code == 200
    response = client.get("/kasusview/list/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


# -- constant statements per page ------------------------------------------------------------------


def test_case_page_statements_do_not_grow_with_its_history(perf_ctx):
    app = perf_ctx
    sop = pemalang()
    people = workers(app, 50)
    small, large = make_case(sop, 1, people), make_case(sop, 50, people)
    # The actor of step 2 sees the transition buttons, the upload form and the people to assign.
    user = new_user(app, ["Admin", sop.step(2).pelaksana.role.name], sop.unit_kerja)
    client = app.test_client()
    login(client, user.username)
    counts = [page_statements(app, client, f"/kasusview/show/{k.id}") for k in (small, large)]
    page = client.get(f"/kasusview/show/{large.id}").get_data(as_text=True)
    assert people[49].username in page and "surat-49.pdf" in page and 'name="transition"' in page
    assert counts[0] == counts[1]


def test_document_page_statements_do_not_grow_with_its_history_and_reviewers(perf_ctx):
    app = perf_ctx
    sop = pemalang()
    template = db.session.execute(select(TemplateNaskah).order_by(TemplateNaskah.kode)).scalars().first()
    user = new_user(app, ["Admin"], sop.unit_kerja)
    documents = []
    for rows in (1, 50):
        with app.test_request_context():
            item = svc.create_draft(template, user, sop.unit_kerja)
        for i in range(rows):
            reviewer = Pegawai(nip=make_nip(), nama=uniq("Pemeriksa "), unit_kerja_id=sop.unit_kerja_id)
            item.pemeriksa.append(NaskahPemeriksa(urutan=i + 1, pegawai=reviewer, peran="Kepala Subbagian"))
            item.riwayat.append(NaskahRiwayat(aksi="ubah", oleh=f"Penyusun {i}", waktu=utcnow()))
        db.session.commit()
        documents.append(item)
    client = app.test_client()
    login(client, user.username)
    counts = [page_statements(app, client, f"/naskahdinasview/show/{n.id}") for n in documents]
    assert counts[0] == counts[1]


def test_sop_and_monitoring_pages_do_not_grow_with_steps_cases_and_history(perf_ctx):
    from app.models import Langkah
    from app.workflow.revisions import new_revision

    app = perf_ctx
    people = workers(app, 50)
    base = pemalang()
    user = new_user(app, ["Admin"], base.unit_kerja)
    client = app.test_client()
    login(client, user.username)
    counts = {}
    for rows in (1, 50):
        sop = new_revision(base)  # a revision of its own, with its own steps and cases
        actor = sop.langkah[0].pelaksana
        for i in range(rows):
            sop.langkah.append(Langkah(no=100 + i, kegiatan=f"Langkah tambahan {i}", pelaksana=actor, waktu="1 hari"))
        db.session.commit()
        for _ in range(rows):
            make_case(sop, rows, people, related=0)
        counts[rows] = [page_statements(app, client, f"/sopview/show/{sop.id}"),
                        page_statements(app, client, f"/monitoring/sop/{sop.id}")]  # fmt: skip
    assert counts[1] == counts[50]


# -- search filters ----------------------------------------------------------------------------------


def search_form(response) -> str:
    """The page with the search widgets FAB embeds as JSON strings made readable."""
    page = response.get_data(as_text=True)
    return page.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')


def test_relation_filters_load_their_options_when_opened(perf_ctx):
    app = perf_ctx
    sop = pemalang()
    user = new_user(app, ["Pengawas"], sop.unit_kerja)
    client = app.test_client()
    login(client, user.username)
    page = search_form(client.get("/kasusview/list/"))
    assert 'data-url="/kasusview/choices/sop"' in page and 'name="sop"></select>' in page

    options = client.get("/kasusview/choices/sop").json["results"]
    assert {"id": str(sop.id), "text": str(sop)} in options
    narrowed = client.get("/kasusview/choices/sop?q=KERJASAMA kegiatan").json["results"]
    assert [o["text"] for o in narrowed] == [o["text"] for o in options if "kerjasama kegiatan" in o["text"].lower()]
    # An active filter keeps its value shown; unknown and non-relation columns have no options.
    page = search_form(client.get(f"/kasusview/list/?_flt_0_sop={sop.id}"))
    assert f'name="sop"><option value="{sop.id}">{sop}</option></select>' in page
    assert client.get("/kasusview/choices/judul").status_code == 404
    assert client.get("/kasusview/choices/tidak_ada").status_code == 404
    # The options are part of the list: without the list permission there are none.
    assert client.get("/hariliburview/list/").status_code == 403
    assert client.get("/hariliburview/choices/instansi").status_code == 403


# -- letters -------------------------------------------------------------------------------------


def test_warm_letter_renders_read_no_font_file(perf_ctx, monkeypatch):
    """The shipped fonts are parsed once per process; later letters only embed them."""
    import builtins

    from app.documents.pdf import FONT_DIR, html_to_pdf

    html = '<html><head><style>p { font-family: "Liberation Serif"; }</style></head><body><p>Surat</p></body></html>'
    html_to_pdf(html)
    opened = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    data = html_to_pdf(html.replace("Surat", "Surat kedua"))
    monkeypatch.undo()
    assert data.startswith(b"%PDF") and b"LiberationSerif" in data
    assert not [name for name in opened if name.startswith(str(FONT_DIR))]


# -- memory --------------------------------------------------------------------------------------


def test_a_worker_serving_pages_loads_no_pdf_migration_or_foreign_holiday_code(perf_app, tmp_path):
    """What a web worker holds: the PDF libraries load with the first PDF, openpyxl with the first
    workbook, Alembic with the first migration, and the calendar loads Indonesia's holidays only (not the
    other countries')."""
    import subprocess
    import sys

    script = """
import sys
from app import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "WTF_CSRF_ENABLED": False})
from app.workflow.calendar import WorkCalendar
import datetime as dt
assert not WorkCalendar().is_working_day(dt.date(2026, 8, 17))  # Hari Kemerdekaan
loaded = {m.split(".")[0] for m in sys.modules} | set(sys.modules)
print(",".join(sorted(m for m in ("xhtml2pdf", "reportlab", "pypdf", "segno", "openpyxl", "alembic", "flask_migrate",
                                  "holidays.countries", "holidays.countries.germany") if m in loaded)))
"""
    with perf_app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "PENKOM_INSTANCE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True, env=env, check=True,
                          cwd=Path(__file__).resolve().parent.parent)  # fmt: skip
    assert done.stdout.strip() == ""
