"""Issue 17 finding 5, second part: a participant file of many rows is imported on the job queue, not while
the request waits. The page and the API follow its progress; the worker imports all rows or none and
names every bad row; one import of an event at a time; an import whose worker died is given back and
finished by the next. The real huey consumer runs the first test (as the report batches' tests do),
huey's immediate mode the others."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import socket
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.laporan import antrian
from app.models import AturanPenilaian, Peserta
from app.models.impor import JobImpor
from app.models.security import utcnow
from app.penilaian import impor_job, umum
from app.penilaian import operations as ops
from tests.conftest import PASSWORD, as_user, make_nip, uniq
from tests.penilaian_data import pusat, xlsx
from tests.test_laporan_antrian import consumer, stop

ROWS = 250  # above the queue's threshold of 200 rows


def count(item) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count(Peserta.id)).where(Peserta.kegiatan_id == item.id)).scalar_one()


@pytest.fixture
def acara(create_unit, create_pegawai, create_user):
    """An event of a centre whose waves take 300 participants."""
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=0)
    db.session.add(AturanPenilaian(instansi_id=p.unit.instansi_id,
                                   **{**umum._aturan_bawaan(), "maks_peserta_gelombang": 300}))  # fmt: skip
    db.session.commit()
    item = ops.buat_kegiatan(p.staf, uniq("Penilaian Impor Besar "), "pengisian_jabatan", unit_kerja_id=p.unit.id)
    return p, item


def rows(p, n: int = ROWS) -> list[list]:
    """n participants from another agency (not in the civil servant register), all valid."""
    position = p.jabatan["administrator"].nama
    return [[make_nip(), f"Peserta Luar {i}", "", "", "III/d", position, "", "Instansi Lain", "Bagian Umum", 1, ""]
            for i in range(n)]  # fmt: skip


def upload(client, item, data: bytes) -> str:
    response = client.post(f"/kegiatanpenilaianview/impor/{item.id}",
                           data={"berkas": (io.BytesIO(data), "peserta-besar.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)  # fmt: skip
    return html.unescape(response.get_data(as_text=True))


def progress_url(page: str) -> str:
    found = re.findall(r'class="impor-job" data-progres="([^"]+)"', page)
    assert found, "the page shows no import"
    return found[0]


@pytest.fixture
def immediate():
    antrian.huey.immediate = True
    yield
    antrian.huey.immediate = False


def test_excel_import_bomb_a_big_file_goes_on_the_queue_and_a_worker_imports_it_with_progress(client, acara):
    p, item = acara
    as_user(client, p.admin)
    page = upload(client, item, xlsx(rows(p)))
    assert f"Berkas berisi {ROWS} baris: diimpor di latar belakang" in page
    url = progress_url(page)
    assert count(item) == 0  # nothing yet: no worker runs
    queued = client.get(url).json
    assert (queued["status"], queued["done"], queued["total"], queued["selesai"]) == ("antri", 0, ROWS, False)
    assert "0</span> / 250" in page and "dalam antrean" in page  # the progress bar before the worker starts

    worker = consumer(workers=1)
    try:
        end = time.monotonic() + 300
        while (state := client.get(url).json)["status"] in ("antri", "berjalan") and time.monotonic() < end:
            assert 0 <= state["done"] <= ROWS
            time.sleep(0.3)
    finally:
        stop(worker)
    assert state["status"] == "selesai", state
    assert (state["done"], state["total"], state["jumlah"], state["errors"]) == (ROWS, ROWS, ROWS, [])
    assert state["hasil"] == f"{ROWS} peserta diimpor."
    assert count(item) == ROWS
    page = html.unescape(client.get(f"/kegiatanpenilaianview/show/{item.id}").get_data(as_text=True))
    assert f"{ROWS} peserta diimpor." in page and 'data-selesai="1"' in page
    job = db.session.get(JobImpor, queued["id"])
    assert job.kunci is None and job.berkas is None  # the event is free again, the file is not kept


def test_excel_import_bomb_a_queued_import_with_bad_rows_imports_nothing_and_names_each_row(client, acara, immediate):
    p, item = acara
    data = rows(p)
    data[3][4] = "V/z"  # sheet row 5
    data[198][0] = data[10][0]  # sheet row 200 repeats the NIP of row 12
    as_user(client, p.admin)
    page = upload(client, item, xlsx(data))
    state = client.get(progress_url(page)).json
    assert state["status"] == "ditolak" and state["jumlah"] is None
    assert state["hasil"] == "Tidak ada yang diimpor: 2 baris mengandung kesalahan."
    assert [e["baris"] for e in state["errors"]] == [5, 200]
    assert "V/z" in state["errors"][0]["teks"] and state["errors"][0]["teks"].startswith("Baris 5: ")
    assert "sudah menjadi peserta" in state["errors"][1]["pesan"]
    assert count(item) == 0
    page = html.unescape(client.get(f"/kegiatanpenilaianview/show/{item.id}").get_data(as_text=True))
    assert "Baris 5: " in page and "Baris 200: " in page and "tidak ada yang diimpor" in page


def test_excel_import_bomb_an_event_has_one_import_at_a_time_and_the_api_follows_it(
    client, acara, create_user, create_unit
):
    p, item = acara
    login = {"username": p.admin.username, "password": PASSWORD, "provider": "db"}
    token = client.post("/api/v1/security/login", json=login).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    started = client.post(f"/api/v1/kegiatan/{item.id}/peserta/import", headers=headers, data=xlsx(rows(p)),
                          content_type=xlsx_type)  # fmt: skip
    assert started.status_code == 202, started.json
    assert started.json["status"] == "antri" and started.json["total"] == ROWS
    follow = client.get(started.json["progres"], headers=headers)
    assert follow.status_code == 200 and follow.json["status"] == "antri", (started.json, follow.json)
    # A second import, big or small, waits for the first (nothing of it is imported).
    for data in (xlsx(rows(p)), xlsx(rows(p, 3))):
        again = client.post(f"/api/v1/kegiatan/{item.id}/peserta/import", headers=headers, data=data,
                            content_type=xlsx_type)  # fmt: skip
        assert again.status_code == 409
        assert again.json["message"] == "Impor kegiatan ini masih berjalan; tunggu sampai selesai."
    # Who may import into another agency's events does not see it; a supervisor may not follow imports.
    page_url = f"/kegiatanpenilaianview/impor_progres/{started.json['id']}"
    as_user(client, create_user(["Asesor Admin"], create_unit()))
    assert client.get(page_url).status_code == 404
    as_user(client, create_user(["Pengawas"], p.unit))
    assert client.get(page_url).status_code == 403
    # The queued import runs (as a worker would) and the API shows the outcome.
    assert impor_job.jalankan(started.json["id"]) is True
    client.get("/logout/")  # the token alone, as an API client
    done = client.get(started.json["progres"], headers=headers).json
    assert (done["status"], done["jumlah"], done["done"]) == ("selesai", ROWS, ROWS), done
    assert count(item) == ROWS


def test_excel_import_bomb_an_import_whose_worker_died_is_given_back_and_finished(acara, immediate):
    p, item = acara
    antrian.huey.immediate = False
    started = impor_job.mulai(item.id, p.admin, xlsx(rows(p)), "peserta.xlsx")  # queued; no worker here
    job_id = started.job.id
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process of this machine that has ended: the worker that claimed the import and died
    row = db.session.get(JobImpor, job_id)
    row.status, row.token, row.pekerja = "berjalan", "mati", f"{socket.gethostname()}:{gone.pid}"
    row.diklaim_at, row.diperiksa = utcnow(), 100
    db.session.commit()
    antrian.huey.immediate = True
    assert impor_job.lanjutkan(semua=False) == 1  # the minute's sweep gives it back and the queue runs it
    db.session.expire_all()
    row = db.session.get(JobImpor, job_id)
    assert (row.status, row.jumlah, row.token) == ("selesai", ROWS, None)
    assert count(item) == ROWS


def test_excel_import_bomb_an_import_claimed_elsewhere_stays_until_the_lease_ends(acara, immediate):
    p, item = acara
    antrian.huey.immediate = False
    job_id = impor_job.mulai(item.id, p.admin, xlsx(rows(p)), "peserta.xlsx").job.id
    row = db.session.get(JobImpor, job_id)
    row.status, row.token, row.pekerja = "berjalan", "lain", "mesin-lain.example:4242"
    row.diklaim_at = utcnow() - dt.timedelta(minutes=1)
    db.session.commit()
    antrian.huey.immediate = True
    assert impor_job.lanjutkan(semua=False) == 0  # another machine's worker, within its lease
    row.diklaim_at = utcnow() - dt.timedelta(minutes=11)
    db.session.commit()
    assert impor_job.lanjutkan(semua=False) == 1
    db.session.expire_all()
    assert db.session.get(JobImpor, job_id).status == "selesai" and count(item) == ROWS
