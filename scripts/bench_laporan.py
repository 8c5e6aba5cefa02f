"""Benchmark (not a test): individual reports printed end to end through the job queue (huey on SQLite,
real `huey_consumer` processes) against raw xhtml2pdf renders of the same HTML in the same run.

    .venv/bin/python scripts/bench_laporan.py [--wave 30] [--event 300] [--workers 1 2]

Builds a throw-away SQLite database with one event whose participants have a locked result (planted
directly: the benchmark measures printing, not scoring), in waves of 30. For each size (a wave, the
whole event) it times: N raw `html_to_pdf` renders in this process of the very HTML the reports are made
of, and the batch from `batch.mulai` until the merged PDF and ZIP are stored, with 1 and 2 worker
processes. Prints seconds, reports per second, and the ratio queue ÷ raw (lower is better; below 1
means the workers more than paid for the queue).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TMP = tempfile.mkdtemp(prefix="penkom-bench-laporan-")
os.environ["PENKOM_INSTANCE_DIR"] = TMP  # before config.py is imported: the queue file lives here
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.db"
sys.path.insert(0, str(ROOT))

from flask import render_template  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.documents.pdf import html_to_pdf  # noqa: E402
from app.extensions import db  # noqa: E402
from app.laporan import batch  # noqa: E402
from app.laporan import operations as lap  # noqa: E402
from app.models import (  # noqa: E402
    AnggotaTim,
    AspekPotensi,
    Gelombang,
    Hasil,
    KegiatanPenilaian,
    Kompetensi,
    Metode,
    MetodeKegiatan,
    NilaiPotensi,
    Pangkat,
    Pegawai,
    PenkomUser,
    Penugasan,
    Peserta,
    UnitKerja,
)
from app.models.laporan import JobLaporan  # noqa: E402
from app.reference import init_database  # noqa: E402
from app.textclean import for_document  # noqa: E402

PASSWORD = "Bench!Mark2026ab"


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def nip(i: int) -> str:
    return f"1980{1 + i % 12:02d}{1 + i % 28:02d}2005{1 + i % 12:02d}1{i % 999 + 1:03d}"


def plant(n: int) -> int:
    """One event with n participants (waves of 30), each with a locked result, potential ratings and two
    assessors; returns the event id."""
    unit = db.session.execute(select(UnitKerja).order_by(UnitKerja.id)).scalars().first()
    rank = db.session.execute(select(Pangkat).where(Pangkat.golongan == "III/d")).scalar_one()
    item = KegiatanPenilaian(nama="Pemetaan kompetensi (benchmark)", tujuan="pemetaan", status="berlangsung",
                             unit_kerja=unit)  # fmt: skip
    asesor = [Pegawai(nip=nip(9000 + i), nama=f"Asesor {i + 1}", gelar_belakang="S.Psi.", unit_kerja=unit,
                      pangkat=rank) for i in range(10)]  # fmt: skip
    db.session.add_all([item, *asesor])
    db.session.flush()
    db.session.add(AnggotaTim(kegiatan=item, pegawai=asesor[0], peran="ketua"))
    for a in asesor[1:]:
        db.session.add(AnggotaTim(kegiatan=item, pegawai=a, peran="asesor"))
    methods = db.session.execute(select(Metode).order_by(Metode.id).limit(5)).scalars().all()
    for i, m in enumerate(methods):
        db.session.add(MetodeKegiatan(kegiatan=item, metode=m, urutan=i))
    comps = db.session.execute(select(Kompetensi).where(Kompetensi.instansi_id.is_(None))
                               .order_by(Kompetensi.urutan).limit(9)).scalars().all()  # fmt: skip
    aspects = db.session.execute(select(AspekPotensi).order_by(AspekPotensi.urutan)).scalars().all()
    waves = [Gelombang(kegiatan=item, nomor=w + 1, tanggal_mulai=dt.date(2026, 12, 7)) for w in range((n + 29) // 30)]
    db.session.add_all(waves)
    db.session.flush()
    for i in range(n):
        person = Peserta(kegiatan=item, gelombang=waves[i // 30], nomor=i + 1, nip=nip(i), nama=f"Peserta {i + 1}",
                         gelar_belakang="S.H.", pangkat=rank, unit_nama="Kantor Wilayah")  # fmt: skip
        db.session.add(person)
        db.session.flush()
        levels = [3.0 - 0.5 * ((i + k) % 3) for k in range(len(comps))]
        rincian = [{"kompetensi_id": c.id, "kode": c.kode, "nama": c.nama, "standar": 3.0, "konsensus": v,
                    "selisih": v - 3.0} for c, v in zip(comps, levels, strict=True)]  # fmt: skip
        jpm = round(100 * sum(levels) / (3.0 * len(levels)), 2)
        kategori = "optimal" if jpm >= 90 else "cukup_optimal" if jpm >= 78 else "kurang_optimal"
        db.session.add(Hasil(peserta=person, kegiatan=item, tujuan="pemetaan", rumus="jumlah", jpm=jpm,
                             kategori=kategori, skor_potensi=3.25, kelas_potensi="menengah", rincian=rincian,
                             tanggal=dt.date(2026, 12, 7), berlaku_sampai=dt.date(2029, 12, 7)))  # fmt: skip
        for a in aspects:
            db.session.add(NilaiPotensi(peserta_id=person.id, aspek=a, nilai=3 + (i + a.id) % 2))
        for k in (1 + i % 9, 1 + (i + 3) % 9):
            db.session.add(Penugasan(kegiatan=item, peserta=person, metode=methods[k % len(methods)],
                                     asesor=asesor[k]))  # fmt: skip
    db.session.commit()
    return item.id


def raw(reports) -> float:
    """N raw xhtml2pdf renders of the reports' own HTML (rendered to HTML first, not timed)."""
    pages = [for_document(render_template("laporan/pdf.html", **lap.isi(r))) for r in reports]
    start = time.perf_counter()
    for html in pages:
        html_to_pdf(html)
    return time.perf_counter() - start


def queued(app, kegiatan_id: int, gelombang_id: int | None, user_id: int, workers: int) -> float:
    """From the start of a batch until its merged PDF and ZIP are stored, with `workers` processes."""
    env = {**os.environ, "SECRET_KEY": app.config["SECRET_KEY"]}
    consumer = Path(sys.executable).parent / "huey_consumer"
    proc = subprocess.Popen([str(consumer), "app.laporan.antrian.huey", "-k", "process", "-w", str(workers), "-q"],
                            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        time.sleep(3)  # the workers are up (imports, app) before the clock starts: the queue is what is timed
        with app.app_context():
            user = db.session.get(PenkomUser, user_id)
            start = time.perf_counter()
            job, _ = batch.mulai(kegiatan_id, user, gelombang_id)
            job_id = job.id
            db.session.commit()
        while True:
            with app.app_context():
                status = db.session.execute(select(JobLaporan.status).where(JobLaporan.id == job_id)).scalar_one()
            if status == "selesai":
                elapsed = time.perf_counter() - start
                break
            time.sleep(0.1)
        with app.app_context():
            progress = batch.progres(db.session.get(JobLaporan, job_id))
            assert progress["done"] == progress["total"] and not progress["errors"], progress
            db.session.delete(db.session.get(JobLaporan, job_id))
            db.session.commit()
        return elapsed
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wave", type=int, default=30, help="reports of one wave")
    parser.add_argument("--event", type=int, default=300, help="reports of the whole event")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker process counts")
    args = parser.parse_args()
    app = create_app({"SERVER_NAME": "localhost"})
    with app.app_context():
        init_database()
        log(f"planting {args.event} participants ...")
        kegiatan_id = plant(args.event)
        first_wave = db.session.execute(select(Gelombang.id).where(Gelombang.kegiatan_id == kegiatan_id)
                                        .order_by(Gelombang.nomor)).scalars().first()  # fmt: skip
        sm = app.appbuilder.sm
        admin = sm.add_user("bench", "Bench", "Admin", "bench@example.test", [sm.find_role("Admin")], PASSWORD)
        people = db.session.execute(select(Peserta).where(Peserta.kegiatan_id == kegiatan_id)
                                    .order_by(Peserta.nomor)).scalars().all()  # fmt: skip
        reports = [lap.pastikan(p) for p in people]
        db.session.commit()
        admin_id = admin.id
    print(f"cores: {os.cpu_count()}  (machine shared; figures vary with its load)")
    print(f"{'run':<28}{'reports':>8}{'seconds':>10}{'reports/s':>11}{'÷ raw':>8}")
    for label, n, wave in (("wave", args.wave, first_wave), ("event", args.event, None)):
        with app.app_context(), app.test_request_context():
            subset = [db.session.merge(r) for r in reports[:n]]
            base = raw(subset)
        print(f"{'raw xhtml2pdf, ' + label:<28}{n:>8}{base:>10.1f}{n / base:>11.2f}{1:>8.2f}")
        for workers in args.workers:
            if wave is not None and n != 30:
                log("the wave run prints the first wave (30 reports)")
            seconds = queued(app, kegiatan_id, wave, admin_id, workers)
            count = min(n, 30) if wave is not None else n
            print(f"{f'queue, {workers} worker(s), {label}':<28}{count:>8}{seconds:>10.1f}{count / seconds:>11.2f}"
                  f"{seconds / base * n / count:>8.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
