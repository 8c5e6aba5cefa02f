"""Individual competency and potential reports (issue 10 items 1-3): the assessor writes the narrative of
their own participants, QC passes or returns it, the SOP step waits for every report to pass, and the
reports of a wave are printed on the job queue (huey on SQLite; a real consumer process where the test is
about the queue, huey's immediate mode elsewhere)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.laporan import antrian, batch
from app.laporan import operations as lap
from app.models import Notifikasi
from app.models.laporan import JobLaporan, LaporanIndividu
from app.penilaian import evaluasi
from app.penilaian import operations as ops
from tests.conftest import as_user
from tests.penilaian_data import kegiatan_siap, nilai_semua, peserta_dari, pusat, rapat

ROOT = Path(__file__).resolve().parent.parent
NARASI = {
    "kekuatan": "Mampu mengorganisasi pekerjaan tim lintas unit.",
    "area_pengembangan": "Perlu memperkuat pengambilan keputusan berbasis data.",
    "rekomendasi": "Dapat dipromosikan setelah mengikuti coaching.",
    "saran_penempatan": "Jabatan pengawas bidang layanan.",
    "saran_pengembangan": "Coaching pengambilan keputusan selama tiga bulan.",
}
SECTIONS = ("IDENTITAS PESERTA", "TUJUAN DAN JABATAN SASARAN", "METODE PENILAIAN", "PROFIL POTENSI",
            "PROFIL KOMPETENSI", "PSIKOGRAM", "Job Person Match", "KEKUATAN", "AREA PENGEMBANGAN", "REKOMENDASI",
            "SARAN PENEMPATAN", "SARAN PENGEMBANGAN", "Ketua Tim Penilai", "RAHASIA")  # fmt: skip


@pytest.fixture
def immediate():
    """Tasks run at once in the test process (for tests that are not about the queue)."""
    antrian.huey.immediate = True
    yield
    antrian.huey.immediate = False


def event(create_unit, create_pegawai, create_user, n=3, n_asesor=3, lock=None):
    """An event whose participants were scored; the first `lock` (default all) have a locked result."""
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=n_asesor)
    item = kegiatan_siap(p, create_pegawai, n_peserta=n)
    nilai_semua(item, p)
    people = peserta_dari(item)
    for i, person in enumerate(people):
        rapat(item, p, person, Decimal(3) if i % 2 else Decimal("2.5"), kunci=lock is None or i < lock)
    return p, item, people


def writer_of(p, report: LaporanIndividu):
    return next(a for a in p.asesor if a.pegawai_id == report.asesor_id)


def page_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def vector_paths(data: bytes) -> int:
    """Rectangles filled on the first two pages (the psikogram's bars and grid are drawn as vector paths)."""
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(data))
    count = 0
    for page in reader.pages[:2]:
        streams = [page.get_contents()]
        xobjects = page["/Resources"].get_object().get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Form":
                streams.append(obj)
        for stream in streams:
            count += sum(op == b"re" for _, op in ContentStream(stream, reader).operations)
    return count


def images(data: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


# -- the report and its writer --------------------------------------------------------------------------


def test_no_report_for_a_participant_without_a_locked_consensus_result(
    client, create_unit, create_pegawai, create_user
):
    p, item, people = event(create_unit, create_pegawai, create_user, lock=2)
    with pytest.raises(ops.PenilaianError, match="belum memiliki hasil konsensus yang dikunci"):
        lap.laporan_peserta(people[2].id, p.staf)
    query = select(LaporanIndividu).where(LaporanIndividu.peserta_id == people[2].id)
    assert db.session.execute(query).scalar() is None
    as_user(client, p.staf)
    response = client.get(f"/api/v1/peserta/{people[2].id}/laporan.pdf")
    assert response.status_code == 409 and "hasil konsensus" in response.json["message"]


def test_the_assessor_writes_and_submits_only_their_own_participants_report(
    client, create_unit, create_pegawai, create_user
):
    p, item, people = event(create_unit, create_pegawai, create_user)
    report = lap.laporan_peserta(people[0].id, p.staf)
    writer = writer_of(p, report)
    stranger = next(a for a in p.asesor if a is not writer)
    # Another assessor of the event, and the event's staff, cannot write it.
    for other in (stranger, p.staf):
        with pytest.raises(ops.PenilaianError) as refused:
            lap.simpan(report.id, other, NARASI)
        assert refused.value.status in (403, 404)
    as_user(client, writer)
    page = client.get(f"/laporanview/show/{report.id}").get_data(as_text=True)
    assert 'id="form-narasi"' in page and "Saran dari kesenjangan" in page and 'id="psikogram"' in page
    # Submitting an empty report is refused and changes nothing.
    page = client.post(f"/laporanview/simpan/{report.id}", data={"kirim": "1"}, follow_redirects=True)
    assert "Isi terlebih dahulu" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(LaporanIndividu, report.id).status == "draf"
    client.post(f"/laporanview/simpan/{report.id}", data={**NARASI, "kirim": "1"})
    db.session.expire_all()
    row = db.session.get(LaporanIndividu, report.id)
    assert row.status == "dikirim" and row.kekuatan == NARASI["kekuatan"]
    # Submitted: the writer cannot change it any more.
    page = client.post(f"/laporanview/simpan/{report.id}", data={"kekuatan": "Diubah"}, follow_redirects=True)
    assert "sudah dikirim" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(LaporanIndividu, report.id).kekuatan == NARASI["kekuatan"]


@pytest.mark.parametrize("text", ["<b>Tebal</b>", "Baik <script>alert(1)</script>", "Pakai &lt;tag&gt;",
                                  "Baris\x00nol", "Bel\x07"])  # fmt: skip
def test_narrative_with_html_or_control_characters_is_refused_and_nothing_changes(
    create_unit, create_pegawai, create_user, text
):
    p, item, people = event(create_unit, create_pegawai, create_user, n=3)
    report = lap.laporan_peserta(people[1].id, p.staf)
    with pytest.raises(ops.PenilaianError) as refused:
        lap.simpan(report.id, writer_of(p, report), {**NARASI, "kekuatan": text})
    assert refused.value.status == 422
    assert "HTML" in str(refused.value) or "karakter kendali" in str(refused.value)
    db.session.expire_all()
    assert db.session.get(LaporanIndividu, report.id).kekuatan == ""


def test_suggestions_come_from_the_participants_gaps(create_unit, create_pegawai, create_user):
    p, item, people = event(create_unit, create_pegawai, create_user)
    report = lap.laporan_peserta(people[0].id, p.staf)  # consensus 2.5 everywhere
    hasil = lap.hasil_terkunci(people[0])
    below = [r for r in hasil.rincian if r["konsensus"] < r["standar"]]
    suggestion = lap.saran(report)
    if below:
        assert below[0]["nama"] in suggestion["area_pengembangan"]
        assert "kesenjangan" in suggestion["area_pengembangan"]
    assert f"{hasil.jpm:g}".replace(".", ",") in suggestion["rekomendasi"]


# -- QC --------------------------------------------------------------------------------------------------


def test_qc_return_goes_to_the_assessors_tasks_then_resubmit_and_pass(client, create_unit, create_pegawai, create_user):
    p, item, people = event(create_unit, create_pegawai, create_user)
    report = lap.laporan_peserta(people[0].id, p.staf)
    writer = writer_of(p, report)
    lap.simpan(report.id, writer, NARASI, kirim=True)
    items = lap.butir_qc(item)
    assert len(items) == 6
    as_user(client, p.staf)
    # Passing with an item unticked is refused; returning without notes is refused.
    page = client.post(f"/laporanview/qc/{report.id}", data={"butir": ["0", "1"], "keputusan": "lulus"},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "setiap butir" in page
    page = client.post(f"/laporanview/qc/{report.id}", data={"keputusan": "kembali"},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "catatan" in page.lower()
    db.session.expire_all()
    assert db.session.get(LaporanIndividu, report.id).status == "dikirim"
    client.post(f"/laporanview/qc/{report.id}", data={"butir": ["0"], "keputusan": "kembali",
                                                      "catatan": "Rekomendasi belum sesuai kategori."})  # fmt: skip
    db.session.expire_all()
    assert db.session.get(LaporanIndividu, report.id).status == "dikembalikan"
    # Back in the assessor's task list on the home page, with the notes on the report.
    as_user(client, writer)
    home = client.get("/").get_data(as_text=True)
    assert 'id="laporan-saya"' in home and people[0].nama in home and "dikembalikan" in home.lower()
    page = client.get(f"/laporanview/show/{report.id}").get_data(as_text=True)
    assert "Rekomendasi belum sesuai kategori." in page
    # The bell tells the writer at once, with the notes and a link to the report.
    bell = client.get("/notifikasi/").get_data(as_text=True)
    assert "QC mengembalikan laporan individu Anda" in bell and "Rekomendasi belum sesuai kategori." in bell
    mine = select(Notifikasi).where(Notifikasi.jenis == "laporan_kembali", Notifikasi.user_id == writer.id)
    (note,) = db.session.execute(mine).scalars().all()
    assert note.user_id == writer.id and note.tautan == f"/laporanview/show/{report.id}"
    assert people[0].nama in note.subjek
    client.post(f"/laporanview/simpan/{report.id}", data={"rekomendasi": "Dipertimbangkan setelah coaching.",
                                                         "kirim": "1"})  # fmt: skip
    db.session.expire_all()
    assert db.session.get(LaporanIndividu, report.id).status == "dikirim"
    # The other assessor cannot do QC; the staff passes it with every item ticked.
    with pytest.raises(ops.PenilaianError):
        lap.qc(report.id, writer, list(range(len(items))), True)
    as_user(client, p.staf)
    client.post(f"/laporanview/qc/{report.id}", data={"butir": [str(i) for i in range(len(items))],
                                                      "keputusan": "lulus"})  # fmt: skip
    db.session.expire_all()
    row = db.session.get(LaporanIndividu, report.id)
    assert row.status == "lulus" and all(b["ok"] for b in row.qc_daftar)
    # The assessor evaluation counts the return against its writer only.
    returns = {b.asesor.id: b.lain["qc_kembali"] for b in evaluasi.evaluasi(item.id, p.staf).baris}
    assert returns[writer.pegawai_id] == 1 and sum(returns.values()) == 1
    assert "Pengembalian QC" in client.get(f"/rekap/evaluasi/{item.id}").get_data(as_text=True)
    assert lap.kurang_qc(item) == ["2 dari 3 laporan individu belum lulus QC"]
    # A passed report prints without the draft mark.
    draft = lap.laporan_peserta(people[1].id, p.staf)
    assert "KONSEP" not in page_text(lap.pdf(row)) and "KONSEP" in page_text(lap.pdf(draft))


# -- batches on the queue --------------------------------------------------------------------------------


def test_a_batch_started_twice_for_the_same_wave_joins_the_running_one(
    client, create_unit, create_pegawai, create_user
):
    p, item, people = event(create_unit, create_pegawai, create_user, lock=2)
    wave = item.gelombang[0].id
    first, joined = batch.mulai(item.id, p.staf, wave)
    again, joined_again = batch.mulai(item.id, p.staf, wave)
    assert not joined and joined_again and again.id == first.id
    as_user(client, p.staf)
    response = client.post(f"/api/v1/kegiatan/{item.id}/laporan", json={"gelombang": wave})
    assert response.status_code == 200 and response.json["job_id"] == first.id and response.json["joined"]
    # Nothing is printed yet (no worker ran): no file to download.
    assert client.get(f"/api/v1/kegiatan/{item.id}/laporan.zip").status_code == 404
    # An assessor (not the ketua) may not start a batch; a wave of another event is refused.
    with pytest.raises(ops.PenilaianError):
        batch.mulai(item.id, p.asesor[1], wave)
    assert client.post(f"/api/v1/kegiatan/{item.id}/laporan", json={"gelombang": 999999}).status_code == 422
    assert db.session.execute(select(JobLaporan).where(JobLaporan.kegiatan_id == item.id)).scalars().all() == [first]
    # Run the queued tasks in this process: the participant without a locked result is an error, not a loss.
    for task_item in first.item:
        batch.cetak_item(task_item.id)
    batch.gabung(first.id)  # the merge the last item queued
    db.session.expire_all()
    done = batch.progres(db.session.get(JobLaporan, first.id))
    assert done["status"] == "selesai" and done["done"] == 3 and done["total"] == 3
    assert [e["peserta_id"] for e in done["errors"]] == [people[2].id]
    assert "hasil konsensus" in done["errors"][0]["pesan"]
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/v1/kegiatan/{item.id}/laporan.zip").data))
    assert len(archive.namelist()) == 2


def test_reports_of_an_event_print_in_immediate_mode_and_the_page_shows_the_batch(
    client, create_unit, create_pegawai, create_user, immediate
):
    p, item, people = event(create_unit, create_pegawai, create_user)
    as_user(client, p.staf)
    response = client.post(f"/laporanbatch/mulai/{item.id}", data={"gelombang": ""}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert 'id="laporan"' in page and "laporan.js" in page and "progress-bar" in page
    job_id = db.session.execute(select(JobLaporan.id).where(JobLaporan.kegiatan_id == item.id)).scalar_one()
    progress = client.get(f"/laporanbatch/progres/{job_id}").json
    assert progress["status"] == "selesai" and progress["done"] == progress["total"] == 3
    merged = client.get(f"/laporanbatch/unduh_pdf/{job_id}").data
    assert page_text(merged).count("LAPORAN INDIVIDU HASIL PENILAIAN") == 3


def test_reports_and_batches_are_scoped_both_ways(client, create_unit, create_pegawai, create_user, immediate):
    p, item, people = event(create_unit, create_pegawai, create_user)
    other, other_item, other_people = event(create_unit, create_pegawai, create_user)
    report = lap.laporan_peserta(people[0].id, p.staf)
    writer = writer_of(p, report)
    job, _ = batch.mulai(item.id, p.staf)
    # The other agency's staff sees nothing of this event's reports or batches.
    as_user(client, other.staf)
    assert client.get(f"/laporanview/show/{report.id}").status_code == 404
    assert client.get(f"/api/v1/peserta/{people[0].id}/laporan.pdf").status_code == 404
    assert client.get(f"/api/v1/jobs/{job.id}").status_code == 404
    assert client.get(f"/api/v1/kegiatan/{item.id}/laporan.pdf").status_code == 404
    assert client.post(f"/api/v1/kegiatan/{item.id}/laporan", json={}).status_code == 404
    # The writer reads their participant's PDF, but not the batch of the whole event (no permission).
    as_user(client, writer)
    response = client.get(f"/api/v1/peserta/{people[0].id}/laporan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert client.get(f"/api/v1/jobs/{job.id}").status_code == 403
    assert client.get(f"/api/v1/kegiatan/{item.id}/laporan.zip").status_code == 403
    # The staff of the event downloads them.
    as_user(client, p.staf)
    assert client.get(f"/api/v1/jobs/{job.id}").json["status"] == "selesai"
    assert client.get(f"/api/v1/kegiatan/{item.id}/laporan.pdf").mimetype == "application/pdf"


def test_reading_a_report_not_yet_begun_prints_an_empty_draft_and_writes_nothing(
    client, create_unit, create_pegawai, create_user
):
    p, item, people = event(create_unit, create_pegawai, create_user)
    as_user(client, p.staf)
    response = client.get(f"/api/v1/peserta/{people[1].id}/laporan.pdf")
    assert response.status_code == 200 and "KONSEP" in page_text(response.data)
    assert db.session.execute(select(LaporanIndividu).where(LaporanIndividu.kegiatan_id == item.id)).first() is None


def test_an_item_claimed_by_a_worker_elsewhere_goes_back_only_after_the_lease(
    create_unit, create_pegawai, create_user, app
):
    import datetime as dt

    from app.models.security import utcnow

    p, item, people = event(create_unit, create_pegawai, create_user)
    job, _ = batch.mulai(item.id, p.staf)  # queued, no worker runs here
    fresh, stale, waiting = job.item
    for row, minutes in ((fresh, 1), (stale, 11)):  # claimed on another machine 1 and 11 minutes ago
        row.status, row.token, row.pekerja = "berjalan", f"t{row.id}", "mesin-lain.example:4242"
        row.diklaim_at = utcnow() - dt.timedelta(minutes=minutes)
    db.session.commit()
    antrian.huey.immediate = True
    try:
        assert batch.lanjutkan(semua=False) == 1  # the periodic sweep: only the stale one
    finally:
        antrian.huey.immediate = False
    db.session.expire_all()
    statuses = {i.id: i.status for i in db.session.get(JobLaporan, job.id).item}
    assert statuses == {fresh.id: "berjalan", stale.id: "selesai", waiting.id: "menunggu"}
    assert app.config["PENKOM_LAPORAN_LEASE"] == 600


def test_a_merge_that_failed_is_claimed_again_after_the_lease(create_unit, create_pegawai, create_user, immediate):
    import datetime as dt

    from app.models.security import utcnow

    p, item, people = event(create_unit, create_pegawai, create_user)
    antrian.huey.immediate = False
    job, _ = batch.mulai(item.id, p.staf)
    for row in job.item:
        batch.cetak_item(row.id)  # the last one claims the merge; its task is queued, and here it never runs
    db.session.expire_all()
    row = db.session.get(JobLaporan, job.id)
    assert row.status == "berjalan" and row.pekerja
    for i in row.item:
        i.selesai_at = utcnow() - dt.timedelta(minutes=11)
    db.session.commit()
    antrian.huey.immediate = True
    batch.lanjutkan(semua=False)
    db.session.expire_all()
    row = db.session.get(JobLaporan, job.id)
    assert row.status == "selesai" and row.kunci is None and row.hasil_zip
