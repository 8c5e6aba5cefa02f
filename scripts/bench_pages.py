"""Benchmark (not a test): Penkom's pages against a bare Flask-AppBuilder app on the same data.

    .venv/bin/python scripts/bench_pages.py [--n 10000] [--rounds 100] [--json]

Builds a throw-away database (SQLite, or --database-url) of N cases with 10 history rows each
through Penkom's own models, then serves it twice with gunicorn (2 workers each): Penkom, and a bare
FAB app that registers only a plain ModelView of the same `Kasus` model (stock security manager,
default templates, the model's joined loading, a related view of the case history). Requests are
interleaved one by one between Penkom and the baseline, so the noise of the machine hits both alike.

Targets: the case list (administrator and a unit-scoped supervisor), the case page, a transition
POST (baseline: an edit-save), throughput at 8 connections, the one-page letter (in this process,
against raw xhtml2pdf on the same HTML) and a worker's memory after the runs. Prints p50/p95 per
target, the ratio Penkom ÷ baseline (p50), the SQL statements per page (counted in this process
with the test client) and, with --json, one JSON object instead of the table.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Bench!Mark2026ab"
BASELINE_ROLE = "Bench Baseline"
BASELINE_VIEW = "KasusBaselineView"
HISTORY_PER_CASE = 10
SUPERVISOR_UNIT = "PML-BKD-PA"  # owns the Pemalang SOP: the supervisor sees about a fifth of the cases
POST_SOP = "pemalang-kerjasama-penilaian-kompetensi"  # step 1 has no guard and no effect

# Targets of the issue (ratios Penkom ÷ baseline, p50; throughput: higher is better).
TARGETS = {"list": 0.8, "list_supervisor": 0.8, "list_throughput": 1.2, "show": 1.0, "post": 1.0, "letter": 1.2,
           "memory": 1.2}  # fmt: skip


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# -- the baseline: a bare FAB app with one ModelView of the same model ----------------------------


def baseline_app(database_url: str | None = None, update_perms: bool = False):
    """A bare Flask-AppBuilder app: stock security manager, default templates, one ModelView of Kasus."""
    from flask import Flask
    from flask_appbuilder import AppBuilder, Model, ModelView
    from flask_appbuilder.const import AUTH_DB
    from flask_appbuilder.models.sqla.interface import SQLAInterface
    from flask_sqlalchemy import SQLAlchemy

    from app.models import Kasus, KasusRiwayat

    class RiwayatBaselineView(ModelView):
        datamodel = SQLAInterface(KasusRiwayat)
        list_columns = ["waktu", "user", "peran", "dari_no", "label", "ke_no", "durasi_menit", "komentar"]

    class KasusBaselineView(ModelView):
        datamodel = SQLAInterface(Kasus)
        list_columns = ["id", "judul", "sop", "langkah", "status", "due_at", "unit_kerja"]
        show_columns = ["judul", "sop", "unit_kerja", "status", "langkah", "masuk_at", "due_at", "tanggal_kegiatan",
                        "dibuat_oleh", "dibuat_at", "selesai_at"]  # fmt: skip
        search_columns = ["judul", "sop", "status", "unit_kerja", "due_at"]
        order_columns = ["id", "judul", "due_at", "status"]
        edit_columns = ["judul", "tanggal_kegiatan"]
        base_order = ("id", "desc")
        related_views = [RiwayatBaselineView]

    app = Flask("fab_baseline", template_folder=None)  # FAB's own templates, not Penkom's overrides
    app.config.update(
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench"),
        SQLALCHEMY_DATABASE_URI=database_url or os.environ["BENCH_DATABASE_URL"],
        AUTH_TYPE=AUTH_DB,
        AUTH_ROLE_ADMIN="Admin",
        AUTH_ROLE_PUBLIC="Public",
        FAB_CREATE_DB=False,
        FAB_UPDATE_PERMS=update_perms,
        FAB_ADD_SECURITY_API=False,
    )
    db = SQLAlchemy(metadata=Model.metadata)
    db.init_app(app)
    with app.app_context():
        appbuilder = AppBuilder()
        appbuilder.init_app(app, db.session)
        appbuilder.add_view(KasusBaselineView, "Kasus Baseline")
        appbuilder.add_view_no_menu(RiwayatBaselineView)
    return app


# -- the data ------------------------------------------------------------------------------------


def build(n: int) -> dict:
    """Schema, reference data, users and N cases with their history, all through Penkom's models."""
    import datetime as dt

    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import Kasus, KasusRiwayat, Sop, StatusKasus, UnitKerja
    from app.reference import init_database

    app = create_app()
    with app.app_context():
        init_database()
        sm = app.appbuilder.sm
        sops = db.session.execute(select(Sop).where(Sop.berlaku.is_(True)).order_by(Sop.id)).scalars().all()
        post_sop = next(s for s in sops if s.kode == POST_SOP)
        first_role = post_sop.langkah[0].pelaksana.role
        workers = []
        for i in range(HISTORY_PER_CASE):
            roles = {s.langkah[i % len(s.langkah)].pelaksana.role for s in sops}
            workers.append(sm.add_user(f"bench.user{i}", "Bench", f"User {i}", f"bench.user{i}@example.test",
                                       list(roles), password=PASSWORD))  # fmt: skip
        admin = sm.add_user("bench.admin", "Bench", "Admin", "bench.admin@example.test",
                            [sm.find_role("Admin"), first_role], password=PASSWORD)  # fmt: skip
        sm.add_role(BASELINE_ROLE)
        unit = db.session.execute(select(UnitKerja).where(UnitKerja.kode == SUPERVISOR_UNIT)).scalar_one()
        roles = [sm.find_role("Pengawas"), sm.find_role(BASELINE_ROLE)]
        supervisor = sm.add_user("bench.pengawas", "Bench", "Pengawas", "bench.pengawas@example.test", roles,
                                 password=PASSWORD)  # fmt: skip
        supervisor.unit_kerja = unit
        admin.unit_kerja = unit
        db.session.commit()

        # Plain values: the loop below expunges every batch, so it must not touch ORM rows.
        plan = [(s.id, s.unit_kerja_id, s.nama, [(st.id, st.no, st.pelaksana.role.name) for st in s.langkah])
                for s in sops]  # fmt: skip
        worker_ids, post_sop_id = [w.id for w in workers], post_sop.id
        now = dt.datetime(2026, 11, 20, 3, 0)
        rng = random.Random(13)
        batch = []
        for i in range(n):
            sop_id, unit_id, nama, steps = plan[i % len(plan)]
            step = steps[0] if sop_id == post_sop_id else steps[rng.randrange(len(steps))]
            start = now - dt.timedelta(days=rng.randrange(5, 400))
            kasus = Kasus(sop_id=sop_id, judul=f"Permohonan nomor {i + 1} untuk {nama[:80]}", unit_kerja_id=unit_id,
                          status=StatusKasus.BERJALAN.value, langkah_id=step[0], dibuat_oleh_id=worker_ids[0],
                          masuk_at=now - dt.timedelta(days=rng.randrange(0, 20)), dibuat_at=start,
                          due_at=now + dt.timedelta(days=rng.randrange(-10, 10)))  # fmt: skip
            for h in range(HISTORY_PER_CASE):
                waktu = start + dt.timedelta(days=h + 1)
                _, prev_no, prev_role = steps[h % len(steps)]
                kasus.riwayat.append(
                    KasusRiwayat(
                        user_id=worker_ids[h],
                        peran=prev_role,
                        transisi="lanjut",
                        label="Selesai, lanjut",
                        dari_no=prev_no,
                        ke_no=prev_no + 1,
                        komentar="Berkas diperiksa." if h % 3 == 0 else "",
                        waktu=waktu,
                        masuk_at=waktu - dt.timedelta(hours=5),
                        durasi_menit=300,
                        anggaran_menit=480,
                        due_at=waktu + dt.timedelta(hours=3),
                    )  # fmt: skip
                )
            batch.append(kasus)
            if len(batch) == 500:
                db.session.add_all(batch)
                db.session.commit()
                db.session.expunge_all()
                batch = []
                if (i + 1) % 2000 == 0:
                    log(f"  {i + 1} cases")
        db.session.add_all(batch)
        db.session.commit()
        versions = dict(db.session.execute(
            select(Kasus.id, Kasus.versi).where(Kasus.sop_id == post_sop_id).order_by(Kasus.id)
        ).all())  # fmt: skip
        post_ids = list(versions)
        total = db.session.execute(select(func.count(Kasus.id))).scalar()
        history = db.session.execute(select(func.count(KasusRiwayat.id))).scalar()
        log(f"  {total} cases, {history} history rows")
        letter_id = make_letter(app, db.session.get(Sop, post_sop_id), db.session.get(type(workers[0]), worker_ids[0]))

    # The baseline's permissions: FAB gives new permissions to Admin; the supervisor gets a role with them.
    base = baseline_app(app.config["SQLALCHEMY_DATABASE_URI"], update_perms=True)
    with base.app_context():
        bsm = base.appbuilder.sm
        role = bsm.find_role(BASELINE_ROLE)
        for perm, view in (("can_list", BASELINE_VIEW), ("can_show", BASELINE_VIEW), ("can_edit", BASELINE_VIEW),
                           ("can_list", "RiwayatBaselineView"), ("menu_access", "Kasus Baseline")):  # fmt: skip
            bsm.add_permission_role(role, bsm.find_permission_view_menu(perm, view))
        bsm.session.commit()
    # A transition posts the case version it saw (optimistic concurrency); each case is posted once.
    return {"post_ids": post_ids, "versions": versions, "letter_id": letter_id, "total": total}


def make_letter(app, sop, drafter) -> int:
    """A signed one-page letter (number, date, QR) to render in the letter benchmark."""
    from sqlalchemy import select

    from app.documents import naskah as svc
    from app.extensions import db
    from app.models import Pangkat, Pegawai, TemplateNaskah

    rank = db.session.execute(select(Pangkat).where(Pangkat.golongan == "IV/c")).scalar_one()
    signer = Pegawai(nip="196403271992011002", nama="MA. Puntodewo", gelar_depan="Drs.", gelar_belakang="M.Si.",
                     unit_kerja=sop.unit_kerja, pangkat=rank)  # fmt: skip
    db.session.add(signer)
    template = db.session.execute(select(TemplateNaskah).order_by(TemplateNaskah.kode)).scalars().first()
    with app.test_request_context():
        item = svc.create_draft(template, drafter, sop.unit_kerja, None, None, signer)
        item.kepada = "Kepala BKPSDM Kabupaten Tegal\ndi Slawi"
        item.isi = ("Sehubungan dengan surat Saudara tentang permohonan tenaga asesor, bersama ini kami sampaikan "
                    "bahwa permohonan tersebut dapat kami penuhi sesuai jadwal yang diusulkan.\n\n"
                    "Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.")  # fmt: skip
        item.nomor, item.tanggal, item.token = "800.1/0001/BKD/2026", svc.local_today(), secrets.token_urlsafe(24)
        item.status = "ditandatangani"
        db.session.commit()
        return item.id


# -- HTTP client (stdlib only) ------------------------------------------------------------------


class Client:
    """One browser: its own cookies; a new connection per request (gunicorn sync workers close them)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, bytes, float]:
        body = urlencode(data) if data is not None else None
        headers = {"Host": "localhost"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        elapsed = (time.perf_counter() - start) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, elapsed

    def get(self, path: str) -> tuple[int, bytes, float]:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> tuple[int, bytes, float]:
        return self.request("POST", path, data)

    def csrf(self, path: str) -> str:
        status, body, _ = self.get(path)
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body) or re.search(
            rb'id="csrf_token"[^>]*value="([^"]+)"', body
        )
        if not match:
            raise RuntimeError(f"no CSRF token on {path} (HTTP {status})")
        return match.group(1).decode()

    def login(self, username: str) -> Client:
        token = self.csrf("/login/")
        status, _, _ = self.post("/login/", {"username": username, "password": PASSWORD, "csrf_token": token})
        if status != 302:
            raise RuntimeError(f"login of {username} on port {self.port} failed (HTTP {status})")
        return self

    def clone(self) -> Client:
        other = Client(self.port)
        other.cookies = dict(self.cookies)
        return other


# -- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now (several engineers share the machine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name: str, app_spec: str, port: int, env: dict, workers: int):
        self.name, self.port = name, port
        cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--chdir", str(ROOT), "--log-level", "warning", app_spec]  # fmt: skip
        self.process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
        self.requests = 0

    def wait(self) -> None:
        deadline = time.time() + 60
        while time.time() < deadline:
            with contextlib.suppress(OSError):
                if Client(self.port).get("/login/")[0] == 200:
                    return
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited")
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} server did not start")

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each worker process (children of the gunicorn master)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    stat = (entry / "stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                        pids.append(entry)
        result = []
        for entry in pids:
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    result.append(int(line.split()[1]) / 1024)
        return result

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


# -- measuring ---------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * (len(ordered) - 1))))]


def interleaved(pairs: dict[str, tuple], rounds: int) -> dict[str, dict[str, list[float]]]:
    """Each round runs every target once on Penkom and once on the baseline, in a shuffled order."""
    times = {name: {"penkom": [], "baseline": []} for name in pairs}
    rng = random.Random(7)
    for r in range(rounds):
        jobs = [(name, side) for name in pairs for side in ("penkom", "baseline")]
        rng.shuffle(jobs)
        for name, side in jobs:
            fn = pairs[name][0 if side == "penkom" else 1]
            times[name][side].append(fn(r))
        if (r + 1) % 20 == 0:
            log(f"  round {r + 1}/{rounds}")
    return times


def throughput(clients: dict[str, Client], paths: dict[str, str], concurrency: int, seconds: float,
               slices: int) -> dict[str, float]:  # fmt: skip
    """Requests per second with `concurrency` connections, alternating Penkom and baseline slices."""
    done = {side: 0 for side in clients}
    spent = {side: 0.0 for side in clients}
    for _ in range(slices):
        for side, client in clients.items():
            stop = time.perf_counter() + seconds / slices
            counts = [0] * concurrency

            def hammer(i, client=client, side=side, stop=stop, counts=counts):
                mine = client.clone()
                while time.perf_counter() < stop:
                    status, _, _ = mine.get(paths[side])
                    if status == 200:
                        counts[i] += 1

            start = time.perf_counter()
            threads = [threading.Thread(target=hammer, args=(i,)) for i in range(concurrency)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            spent[side] += time.perf_counter() - start
            done[side] += sum(counts)
    return {side: done[side] / spent[side] for side in clients}


@contextlib.contextmanager
def counting(engine):
    """Count the SQL statements run on `engine` inside the block."""
    from sqlalchemy import event

    seen = []

    def record(*args):
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count_statements(data: dict) -> dict[str, int]:
    """SQL statements per page (warm: the second request), counted in this process with test clients."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Sop

    penkom = create_app({"WTF_CSRF_ENABLED": False})
    baseline = baseline_app(os.environ["BENCH_DATABASE_URL"])
    baseline.config["WTF_CSRF_ENABLED"] = False
    with penkom.app_context():
        sop_id = db.session.execute(select(Sop.id).where(Sop.kode == POST_SOP)).scalar()
        kasus_id = data["post_ids"][0]
    posts = iter(data["post_ids"][-3:])  # the first POST warms, the second is counted
    pages = {
        "kasus_list": (penkom, "bench.admin", "/kasusview/list/"),
        "kasus_list_supervisor": (penkom, "bench.pengawas", "/kasusview/list/"),
        "kasus_show": (penkom, "bench.admin", f"/kasusview/show/{kasus_id}"),
        "kasus_transisi": (penkom, "bench.admin", "POST /kasusview/transisi/{post}"),
        "naskah_show": (penkom, "bench.admin", f"/naskahdinasview/show/{data['letter_id']}"),
        "sop_show": (penkom, "bench.admin", f"/sopview/show/{sop_id}"),
        "monitoring_sop": (penkom, "bench.admin", f"/monitoring/sop/{sop_id}"),
        "baseline_list": (baseline, "bench.admin", "/kasusbaselineview/list/"),
        "baseline_show": (baseline, "bench.admin", f"/kasusbaselineview/show/{kasus_id}"),
        "baseline_edit_save": (baseline, "bench.admin", "POST /kasusbaselineview/edit/{post}"),
    }
    clients, result = {}, {}
    for name, (app, user, path) in pages.items():
        client = clients.get((app, user))
        if client is None:
            client = clients[app, user] = app.test_client()
            with app.app_context():
                client.post("/login/", data={"username": user, "password": PASSWORD})
        with app.app_context():
            engine = db.engine if app is penkom else app.extensions["sqlalchemy"].engine
        if path.startswith("POST "):

            def form(pk, ours=app is penkom):
                if ours:
                    return {"transition": "lanjut", "versi": data["versions"][pk]}
                return {"judul": "Diubah", "tanggal_kegiatan": ""}

            warm = data["post_ids"][-4]
            client.post(path[5:].format(post=warm), data=form(warm))
            post = next(posts)
            with counting(engine) as seen:
                status = client.post(path[5:].format(post=post), data=form(post)).status_code
        else:
            client.get(path)  # warm
            with counting(engine) as seen:
                status = client.get(path).status_code
        if status not in (200, 302):
            raise RuntimeError(f"{name}: HTTP {status}")
        result[name] = len(seen)
    return result


def letter_times(letter_id: int, rounds: int) -> dict[str, list[float]]:
    """Penkom's render of a signed one-page letter against raw xhtml2pdf on the same HTML, interleaved.

    The baseline gets the HTML Penkom's letter template makes for this letter, with the shipped
    fonts declared by @font-face (as any xhtml2pdf document that embeds fonts must), and renders
    it with one plain `pisa.CreatePDF` call."""
    from flask import render_template
    from xhtml2pdf import pisa

    from app import create_app
    from app.documents import naskah as svc
    from app.documents import pdf as pdfmod
    from app.extensions import db
    from app.models import NaskahDinas

    app = create_app({"SERVER_NAME": "localhost"})
    times = {"penkom": [], "baseline": []}
    with app.app_context(), app.test_request_context():
        item = db.session.get(NaskahDinas, letter_id)
        html = with_font_faces(render_template("pdf/naskah.html", halaman=False, **svc.letter_context(item, True)))

        def raw():
            out = io.BytesIO()
            pisa.CreatePDF(html, dest=out, link_callback=pdfmod._link_callback, encoding="utf-8")
            return out.getvalue()

        jobs = {"penkom": lambda: svc.render(item, final=True), "baseline": raw}
        for job in jobs.values():  # warm both once
            job()
        rng = random.Random(3)
        for _ in range(rounds):
            order = list(jobs)
            rng.shuffle(order)
            for side in order:
                start = time.perf_counter()
                data = jobs[side]()
                times[side].append((time.perf_counter() - start) * 1000)
                if not data.startswith(b"%PDF"):
                    raise RuntimeError(f"{side} letter render failed")
    return times


def with_font_faces(html: str) -> str:
    """The HTML with one @font-face rule per shipped font file, as a plain xhtml2pdf document needs."""
    if "@font-face" in html:  # the template declares them itself
        return html
    from app.documents.pdf import FONTS

    rules = []
    for family, files in FONTS.items():
        seen = set()
        for (bold, italic), stem in zip(((0, 0), (1, 0), (0, 1), (1, 1)), files, strict=True):
            if stem in seen:
                continue
            seen.add(stem)
            style = (" font-weight: bold;" if bold else "") + (" font-style: italic;" if italic else "")
            rules.append(f'@font-face {{ font-family: "{family}"; src: url("/static/fonts/{stem}.ttf");{style} }}')
    return html.replace("<style>", "<style>\n" + "\n".join(rules), 1)


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="cases (each with 10 history rows)")
    parser.add_argument("--rounds", type=int, default=100, help="requests per target and side")
    parser.add_argument("--letter-rounds", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=12.0, help="throughput time per side")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--memory-requests", type=int, default=1000, help="requests served before memory is read")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="first of two ports (default: two free ones)")
    parser.add_argument("--database-url", default="", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="penkom-bench-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    env = dict(os.environ, PENKOM_INSTANCE_DIR=tmp, DATABASE_URL=url, BENCH_DATABASE_URL=url,
               SECRET_KEY=secrets.token_hex(32), AUTH_RATE_LIMIT="100000 per second", FAB_UPDATE_PERMS="0",
               FAB_CREATE_DB="0", PYTHONDONTWRITEBYTECODE="1")  # fmt: skip
    os.environ.update(env)

    try:
        log(f"building {args.n} cases in {url}")
        t0 = time.time()
        data = build(args.n)
        log(f"  built in {time.time() - t0:.0f} s")
        statements = count_statements(data)
        ports = (args.port, args.port + 1) if args.port else (free_port(), free_port())
        servers = {
            "penkom": Server("penkom", "app:create_app()", ports[0], env, args.workers),
            "baseline": Server("baseline", "scripts.bench_pages:baseline_app()", ports[1], env, args.workers),
        }
        try:
            for server in servers.values():
                server.wait()
            result = run(args, data, servers, statements)
        finally:
            for server in servers.values():
                server.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_table(result)


def run(args, data: dict, servers: dict, statements: dict) -> dict:
    p_port, b_port = servers["penkom"].port, servers["baseline"].port
    admin = {"penkom": Client(p_port).login("bench.admin"), "baseline": Client(b_port).login("bench.admin")}
    sup = {"penkom": Client(p_port).login("bench.pengawas"), "baseline": Client(b_port).login("bench.pengawas")}
    edit_token = admin["baseline"].csrf(f"/kasusbaselineview/edit/{data['post_ids'][0]}")
    show_ids = random.Random(5).sample(range(1, data["total"] + 1), min(50, data["total"]))
    post_ids = data["post_ids"][:-4]  # the last four were posted by the statement count
    rounds = min(args.rounds, len(post_ids))

    def timed(client, method, path, body=None, expect=200):
        def fn(r):
            status, content, ms = client.request(method, path(r) if callable(path) else path, body)
            if status != expect:
                raise RuntimeError(f"{method} {path if not callable(path) else path(r)}: HTTP {status}")
            return ms

        return fn

    def post_penkom(r):
        status, _, ms = admin["penkom"].post(f"/kasusview/transisi/{post_ids[r]}",
                                             {"transition": "lanjut", "versi": data["versions"][post_ids[r]],
                                              "csrf_token": penkom_token})  # fmt: skip
        if status != 302:
            raise RuntimeError(f"transition POST: HTTP {status}")
        return ms

    def post_baseline(r):
        status, _, ms = admin["baseline"].post(f"/kasusbaselineview/edit/{post_ids[r]}",
                                               {"judul": f"Diubah {r}", "tanggal_kegiatan": "",
                                                "csrf_token": edit_token})  # fmt: skip
        if status != 302:
            raise RuntimeError(f"baseline edit POST: HTTP {status}")
        return ms

    penkom_token = admin["penkom"].csrf(f"/kasusview/show/{post_ids[-1]}")
    pairs = {
        "list": (timed(admin["penkom"], "GET", "/kasusview/list/"),
                 timed(admin["baseline"], "GET", "/kasusbaselineview/list/")),
        "list_supervisor": (timed(sup["penkom"], "GET", "/kasusview/list/"),
                            timed(sup["baseline"], "GET", "/kasusbaselineview/list/")),
        "show": (timed(admin["penkom"], "GET", lambda r: f"/kasusview/show/{show_ids[r % len(show_ids)]}"),
                 timed(admin["baseline"], "GET", lambda r: f"/kasusbaselineview/show/{show_ids[r % len(show_ids)]}")),
        "post": (post_penkom, post_baseline),
    }  # fmt: skip
    # Warm every worker on every page before timing.
    for _ in range(2 * args.workers):
        for fns in pairs.values():
            if fns[0] is not post_penkom:
                fns[0](0), fns[1](0)
    log(f"latency: {rounds} rounds")
    times = interleaved(pairs, rounds)
    log(f"throughput: {args.concurrency} connections, {args.seconds:.0f} s per side")
    rps = throughput({"penkom": admin["penkom"], "baseline": admin["baseline"]},
                     {"penkom": "/kasusview/list/", "baseline": "/kasusbaselineview/list/"},
                     args.concurrency, args.seconds * 2, 4)  # fmt: skip
    log("memory")
    for side in servers:
        client = admin[side]
        paths = ["/kasusview/list/", *(f"/kasusview/show/{i}" for i in show_ids)] if side == "penkom" else [
            "/kasusbaselineview/list/", *(f"/kasusbaselineview/show/{i}" for i in show_ids)]  # fmt: skip
        for i in range(args.memory_requests):
            client.get(paths[i % len(paths)])
    rss = {side: server.worker_rss_mib() for side, server in servers.items()}
    log(f"letter: {args.letter_rounds} rounds")
    letters = letter_times(data["letter_id"], args.letter_rounds)

    rows = {}
    for name, sides in times.items():
        rows[name] = {side: {"p50": statistics.median(v), "p95": pct(v, 0.95)} for side, v in sides.items()}
    rows["letter"] = {side: {"p50": statistics.median(v), "p95": pct(v, 0.95)} for side, v in letters.items()}
    ratios = {f"{name}_ratio": row["penkom"]["p50"] / row["baseline"]["p50"] for name, row in rows.items()}
    ratios["list_throughput_ratio"] = rps["penkom"] / rps["baseline"]
    ratios["memory_ratio"] = max(rss["penkom"]) / max(rss["baseline"])
    return {
        "n": args.n,
        "rounds": rounds,
        **{k: round(v, 3) for k, v in ratios.items()},
        "ms": {
            name: {side: {k: round(v, 1) for k, v in s.items()} for side, s in row.items()}
            for name, row in rows.items()
        },  # fmt: skip
        "throughput_rps": {k: round(v, 1) for k, v in rps.items()},
        "worker_rss_mib": {k: [round(x, 1) for x in v] for k, v in rss.items()},
        "statements": statements,
    }


def print_table(result: dict) -> None:
    print(f"Penkom vs bare Flask-AppBuilder, {result['n']} cases x {HISTORY_PER_CASE} history rows, "
          f"{result['rounds']} interleaved rounds")  # fmt: skip
    print(f"{'target':<18}{'penkom p50':>11}{'p95':>8}{'FAB p50':>10}{'p95':>8}{'ratio':>8}{'goal':>8}  met")
    for name, row in result["ms"].items():
        ratio, goal = result[f"{name}_ratio"], TARGETS[name]
        base = "raw xhtml2pdf" if name == "letter" else ""
        print(f"{name:<18}{row['penkom']['p50']:>11.1f}{row['penkom']['p95']:>8.1f}{row['baseline']['p50']:>10.1f}"
              f"{row['baseline']['p95']:>8.1f}{ratio:>8.2f}{'≤' + str(goal):>8}  {'yes' if ratio <= goal else 'NO'}"
              f" {base}")  # fmt: skip
    rps, ratio = result["throughput_rps"], result["list_throughput_ratio"]
    print(
        f"{'list c8 req/s':<18}{rps['penkom']:>11.1f}{'':>8}{rps['baseline']:>10.1f}{'':>8}{ratio:>8.2f}"
        f"{'≥' + str(TARGETS['list_throughput']):>8}  {'yes' if ratio >= TARGETS['list_throughput'] else 'NO'}"
    )
    rss, ratio = result["worker_rss_mib"], result["memory_ratio"]
    print(
        f"{'worker MiB (max)':<18}{max(rss['penkom']):>11.1f}{'':>8}{max(rss['baseline']):>10.1f}{'':>8}"
        f"{ratio:>8.2f}{'≤' + str(TARGETS['memory']):>8}  {'yes' if ratio <= TARGETS['memory'] else 'NO'}"
    )
    print("SQL statements per page (warm):")
    for page, count in result["statements"].items():
        print(f"  {page:<24}{count:>4}")


if __name__ == "__main__":
    main()
