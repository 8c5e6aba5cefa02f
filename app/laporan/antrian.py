"""The job queue of Penkom: huey, with its SQLite storage under the instance folder by default, or Redis
when `PENKOM_HUEY_REDIS_URL` is set (then workers on several machines share the queue).

Start workers with `huey_consumer app.laporan.antrian.huey -k process -w <n>` (`make run` starts one
beside gunicorn; `PENKOM_HUEY_WORKERS` sets n). xhtml2pdf holds a process-wide lock, so parallel PDF
printing comes from worker processes, not threads. The state of every batch, and of every participant
import of many rows (app/penilaian/impor_job.py), is in the database, not in the queue: a worker that
starts re-queues what a killed one left.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, has_app_context
from huey import RedisHuey, SqliteHuey, crontab


def _buat():
    url = os.environ.get("PENKOM_HUEY_REDIS_URL", "").strip()
    if url:
        return RedisHuey("penkom", url=url, results=False)
    from config import INSTANCE_DIR

    path = Path(os.environ.get("PENKOM_HUEY_FILE") or INSTANCE_DIR / "huey.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("penkom", filename=str(path), results=False, timeout=30)


huey = _buat()
_worker_app: Flask | None = None


@contextmanager
def _konteks():
    """The app context a task runs in: the caller's (immediate mode, tests) or the worker's own app."""
    global _worker_app
    if has_app_context():
        yield
        return
    if _worker_app is None:
        from app import create_app

        overrides = {}
        if os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite") or not os.environ.get("DATABASE_URL"):
            # Several worker processes write to one SQLite file: wait for the lock instead of failing.
            overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, "connect_args": {"timeout": 60}}
        _worker_app = create_app(overrides)
    with _worker_app.app_context():
        yield


@huey.task()
def cetak(item_id: int) -> None:
    """Print one participant's report of a batch (skipped when another worker has it or it is done)."""
    from app.laporan import batch

    with _konteks():
        batch.cetak_item(item_id)


@huey.task(retries=2, retry_delay=30)
def gabung(job_id: int) -> None:
    """Merge a finished batch into one PDF and one ZIP."""
    from app.laporan import batch

    with _konteks():
        batch.gabung(job_id)


@huey.task()
def impor_peserta(job_id: int) -> None:
    """Import the participants of one Excel file (skipped when another worker has it or it is done)."""
    from app.penilaian import impor_job

    with _konteks():
        impor_job.jalankan(job_id)


@huey.on_startup()
def lanjutkan() -> None:
    """A worker that starts resumes the batches and imports a killed worker left unfinished."""
    from app.laporan import batch
    from app.penilaian import impor_job

    with _konteks():
        batch.lanjutkan(semua=True)
        impor_job.lanjutkan(semua=True)


@huey.periodic_task(crontab(minute="*"))
def sapu() -> None:
    """Every minute: give back items and imports whose worker (on any machine) stopped answering for a lease."""
    from app.laporan import batch
    from app.penilaian import impor_job

    with _konteks():
        batch.lanjutkan(semua=False)
        impor_job.lanjutkan(semua=False)
