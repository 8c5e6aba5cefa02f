"""The reports of a 30-participant wave printed by a real huey consumer process on SQLite storage (issue 10
item 2): every PDF complete, and a worker killed in the middle of the batch resumed by the next one with
every report written exactly once."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models.laporan import ItemLaporan, JobLaporan
from app.penilaian import hasil as calc
from tests.conftest import as_user
from tests.test_laporan import SECTIONS, event, images, page_text, vector_paths
from tests.test_naskah import fonts_embedded

ROOT = Path(__file__).resolve().parent.parent
CONSUMER = Path(sys.executable).parent / "huey_consumer"


def consumer(workers: int = 1) -> subprocess.Popen:
    """`huey_consumer` on this test's database and queue file, in its own process group."""
    env = {**os.environ, "DATABASE_URL": current_app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": current_app.config["SECRET_KEY"]}  # fmt: skip
    log = Path(os.environ["PENKOM_INSTANCE_DIR"]) / "huey-consumer.log"
    with log.open("ab") as out:  # the child keeps its own handle
        return subprocess.Popen(
            [str(CONSUMER), "app.laporan.antrian.huey", "-k", "process", "-w", str(workers), "-q"],
            cwd=ROOT, env=env, start_new_session=True, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=60)


def progress(client, job_id) -> dict:
    response = client.get(f"/api/v1/jobs/{job_id}")
    assert response.status_code == 200
    return response.json


def wait_for(client, job_id, until, timeout=900) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        state = progress(client, job_id)
        if until(state):
            return state
        time.sleep(0.5)
    raise AssertionError(f"batch {job_id} did not get there in time: {progress(client, job_id)}")


@pytest.fixture
def wave(create_unit, create_pegawai, create_user):
    return event(create_unit, create_pegawai, create_user, n=30, n_asesor=10)


def test_a_wave_of_30_reports_printed_by_the_queue_worker(client, wave):
    p, item, people = wave
    as_user(client, p.staf)
    started = client.post(f"/api/v1/kegiatan/{item.id}/laporan", json={"gelombang": item.gelombang[0].id})
    assert started.status_code == 202
    job_id = started.json["job_id"]
    assert started.json["total"] == 30 and started.json["done"] == 0
    worker = consumer(workers=2)
    try:
        state = wait_for(client, job_id, lambda s: s["status"] == "selesai")
    finally:
        stop(worker)
    assert state["done"] == state["total"] == 30 and state["errors"] == []
    db.session.expire_all()
    results = {h.peserta_id: h for h in (person.hasil for person in people)}
    items = db.session.execute(select(ItemLaporan).where(ItemLaporan.job_id == job_id)).scalars().all()
    assert len(items) == 30 and all(i.status == "selesai" and i.ditulis == 1 for i in items)
    for i in items:
        text = page_text(i.pdf)
        flat = " ".join(text.split())
        for section in SECTIONS:
            assert section in flat, (section, i.peserta.nama)
        hasil = results[i.peserta_id]
        assert f"{hasil.jpm:g}".replace(".", ",") + "%" in flat
        assert str(calc.KATEGORI_LABELS[hasil.kategori]) in flat
        assert i.peserta.nama in flat and i.peserta.nip_tampil in flat
        pages = len(PdfReader(io.BytesIO(i.pdf)).pages)
        assert f"Halaman 1 dari {pages}" in flat and f"Halaman {pages} dari {pages}" in flat
        assert vector_paths(i.pdf) >= 20 and images(i.pdf) == 0  # the psikogram is vectors, not a picture
        assert fonts_embedded(i.pdf)
    # The merged PDF and the ZIP: every report once, in participant order.
    merged = client.get(f"/api/v1/kegiatan/{item.id}/laporan.pdf")
    assert merged.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(merged.data)).pages) == sum(len(PdfReader(io.BytesIO(i.pdf)).pages) for i in items)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/v1/kegiatan/{item.id}/laporan.zip").data))
    assert archive.namelist() == [f"{n:03d}-{person.nip}.pdf" for n, person in enumerate(people, start=1)]


def test_a_worker_killed_mid_batch_is_resumed_by_the_next_with_every_report_once(client, wave):
    p, item, people = wave
    as_user(client, p.staf)
    job_id = client.post(f"/api/v1/kegiatan/{item.id}/laporan", json={}).json["job_id"]
    first = consumer(workers=1)
    try:
        wait_for(client, job_id, lambda s: s["done"] >= 3)
    finally:
        stop(first, signal.SIGKILL)  # no chance to clean up
    cut = progress(client, job_id)
    assert cut["status"] == "berjalan" and 3 <= cut["done"] < 30
    # The page shows the cut-off batch as running, not as finished, and offers no files yet.
    assert client.get(f"/api/v1/kegiatan/{item.id}/laporan.zip").status_code == 404
    second = consumer(workers=1)
    try:
        state = wait_for(client, job_id, lambda s: s["status"] == "selesai")
    finally:
        stop(second)
    assert state["done"] == 30 and state["errors"] == []
    db.session.expire_all()
    items = db.session.execute(select(ItemLaporan).where(ItemLaporan.job_id == job_id)).scalars().all()
    assert sorted(i.peserta_id for i in items) == sorted(person.id for person in people)
    assert all(i.status == "selesai" and i.ditulis == 1 for i in items)
    job = db.session.get(JobLaporan, job_id)
    assert job.kunci is None and len(zipfile.ZipFile(io.BytesIO(job.hasil_zip)).namelist()) == 30
