"""Batches of individual reports printed on the job queue, with their state in the database.

`mulai` creates a batch (`JobLaporan`) with one item per participant of the wave (or the event) and
queues one task per item; a second start of the same wave joins the running batch. A worker claims an
item with a fresh token (`UPDATE ... WHERE status = 'menunggu'`), prints it and stores the PDF only while
its token still holds, so each participant's PDF is written exactly once even when a task runs twice.
One participant's failure is recorded as that item's error; the others go on. When no item is left,
one worker claims the merge and stores the merged PDF and the ZIP. A worker that starts (and every
worker once a minute) gives back items whose worker died on this machine or stopped answering for a
lease, and queues every item still waiting.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update

from app import scope
from app.extensions import db
from app.konkurensi import claim
from app.laporan import operations as lap
from app.models import Gelombang, Peserta
from app.models.laporan import ItemLaporan, JobLaporan, StatusItem, StatusJob
from app.models.security import utcnow
from app.pekerja import lease, mati, pekerja
from app.penilaian import operations as ops
from app.penilaian.operations import PenilaianError

OPEN = (StatusItem.MENUNGGU.value, StatusItem.BERJALAN.value)


def _antrikan(item_ids: list[int]) -> None:
    from app.laporan import antrian

    for item_id in item_ids:
        antrian.cetak(item_id)


# -- starting and reading a batch -----------------------------------------------------------------------


def boleh_batch(item, user) -> bool:
    """Batches print every participant: the event's staff and its ketua start them."""
    return ops.boleh_kelola(item, user, ketua_boleh=True)


def mulai(kegiatan_id, user, gelombang_id=None, seen_versi: int | None = None) -> tuple[JobLaporan, bool]:
    """Start printing the reports of a wave (or of every wave); returns (batch, joined an existing one).
    The event is claimed first (app/konkurensi.py): of simultaneous starts one creates the batch."""
    item = ops.kegiatan(kegiatan_id, user)
    if not boleh_batch(item, user):
        raise PenilaianError(_l("Only the staff of the unit that runs this event or its ketua can print reports."),
                             403)  # fmt: skip
    wave = None
    if gelombang_id not in (None, "", 0):
        wave = db.session.get(Gelombang, gelombang_id) if isinstance(gelombang_id, int) else None
        if wave is None or wave.kegiatan_id != item.id:
            raise PenilaianError(_l("Choose a wave of this event."), 422)
    kunci = f"{item.id}:{wave.id if wave else 0}"
    claim(item, PenilaianError, seen_versi)
    running = db.session.execute(select(JobLaporan).where(JobLaporan.kunci == kunci)).scalar()
    if running is not None:
        db.session.rollback()  # joining changes nothing
        return running, True
    query = select(Peserta).where(Peserta.kegiatan_id == item.id).order_by(Peserta.nomor, Peserta.id)
    if wave is not None:
        query = query.where(Peserta.gelombang_id == wave.id)
    members = list(db.session.execute(query).scalars())
    if not members:
        raise PenilaianError(_l("There are no participants to print reports for."), 422)
    job = JobLaporan(kegiatan_id=item.id, gelombang_id=wave.id if wave else None, kunci=kunci, total=len(members),
                     dibuat_oleh_id=user.id)  # fmt: skip
    job.item = [ItemLaporan(peserta_id=p.id, urutan=i) for i, p in enumerate(members)]
    db.session.add(job)
    db.session.commit()
    _antrikan([i.id for i in job.item])
    return job, False


def job(job_id, user) -> JobLaporan:
    """A batch the caller may see, or PenilaianError 404."""
    row = scope.get(JobLaporan, job_id, user)
    if row is None:
        raise PenilaianError(_l("Report batch not found."), 404)
    return row


def progres(row: JobLaporan) -> dict:
    """{status, done, total, errors, current} of a batch (counted from its items, not from counters)."""
    counts = dict(
        db.session.execute(
            select(ItemLaporan.status, func.count(ItemLaporan.id)).where(ItemLaporan.job_id == row.id)
            .group_by(ItemLaporan.status)
        ).all()
    )  # fmt: skip
    failed = db.session.execute(
        select(Peserta, ItemLaporan.pesan).join(ItemLaporan, ItemLaporan.peserta_id == Peserta.id)
        .where(ItemLaporan.job_id == row.id, ItemLaporan.status == StatusItem.GAGAL.value).order_by(ItemLaporan.urutan)
    ).all()  # fmt: skip
    current = db.session.execute(
        select(Peserta).join(ItemLaporan, ItemLaporan.peserta_id == Peserta.id)
        .where(ItemLaporan.job_id == row.id, ItemLaporan.status == StatusItem.BERJALAN.value)
        .order_by(ItemLaporan.diklaim_at.desc()).limit(1)
    ).scalar()  # fmt: skip
    done = counts.get(StatusItem.SELESAI.value, 0) + counts.get(StatusItem.GAGAL.value, 0)
    return {
        "id": row.id,
        "status": row.status,
        "status_label": row.status_label,
        "done": done,
        "total": row.total,
        "errors": [{"peserta_id": p.id, "nama": p.nama_lengkap, "pesan": pesan or ""} for p, pesan in failed],
        "current": current.nama_lengkap if current is not None and row.status != StatusJob.SELESAI else "",
    }


def terakhir(kegiatan_id: int, selesai: bool = False) -> JobLaporan | None:
    """The event's newest batch (optionally only a finished one)."""
    query = select(JobLaporan).where(JobLaporan.kegiatan_id == kegiatan_id)
    if selesai:
        query = query.where(JobLaporan.status == StatusJob.SELESAI.value)
    return db.session.execute(query.order_by(JobLaporan.id.desc()).limit(1)).scalar()


def hasil(kegiatan_id, user, jenis: str) -> tuple[bytes, str]:
    """The merged PDF ("pdf") or the ZIP ("zip") of the event's newest finished batch."""
    item = ops.kegiatan(kegiatan_id, user)
    row = scope.scoped(JobLaporan, user).where(JobLaporan.kegiatan_id == item.id,
                                               JobLaporan.status == StatusJob.SELESAI.value)  # fmt: skip
    found = db.session.execute(row.order_by(JobLaporan.id.desc()).limit(1)).scalar()
    if found is None:
        raise PenilaianError(_l("No report batch of this event has finished yet."), 404)
    return berkas(found, jenis)


def berkas(row: JobLaporan, jenis: str) -> tuple[bytes, str]:
    if row.status != StatusJob.SELESAI:
        raise PenilaianError(_l("The batch is still running; its files are ready when it finishes."), 409)
    data = row.hasil_zip if jenis == "zip" else row.hasil_pdf
    return data or b"", f"laporan-kegiatan-{row.kegiatan_id}-{row.id}.{jenis}"


def hapus(job_id, user, seen_versi: int | None = None) -> None:
    """Delete a finished batch and its files (the reports themselves stay)."""
    row = job(job_id, user)
    if not boleh_batch(row.kegiatan, user):
        raise PenilaianError(_l("Only the staff of the unit that runs this event or its ketua can print reports."),
                             403)  # fmt: skip
    if row.status != StatusJob.SELESAI:
        raise PenilaianError(_l("The batch is still running; delete it when it has finished."), 409)
    claim(row, PenilaianError, seen_versi)
    db.session.delete(row)
    db.session.commit()


# -- the worker's side -----------------------------------------------------------------------------------


def cetak_item(item_id: int) -> bool:
    """Claim, print and store one item; False when it was not ours to print (done, or another worker's)."""
    token = uuid.uuid4().hex
    claimed = db.session.execute(
        update(ItemLaporan).where(ItemLaporan.id == item_id, ItemLaporan.status == StatusItem.MENUNGGU.value)
        .values(status=StatusItem.BERJALAN.value, token=token, pekerja=pekerja(), diklaim_at=utcnow())
    ).rowcount  # fmt: skip
    db.session.commit()
    if claimed != 1:
        return False
    item = db.session.get(ItemLaporan, item_id)
    job_id = item.job_id
    db.session.execute(update(JobLaporan).where(JobLaporan.id == job_id, JobLaporan.status == StatusJob.ANTRI.value)
                       .values(status=StatusJob.BERJALAN.value))  # fmt: skip
    db.session.commit()
    values = {"status": StatusItem.SELESAI.value, "pesan": ""}
    try:
        row = lap.pastikan(item.peserta)
        data = lap.pdf(row)
        db.session.commit()  # the draft report, when this print created it
        values.update(pdf=data, ditulis=ItemLaporan.ditulis + 1)
    except PenilaianError as exc:
        db.session.rollback()
        values.update(status=StatusItem.GAGAL.value, pesan=str(exc))
    except Exception as exc:  # noqa: BLE001  (one participant's failure must not stop the batch)
        db.session.rollback()
        current_app.logger.exception("report of item %s failed", item_id)
        values.update(status=StatusItem.GAGAL.value, pesan=str(_l("The report could not be printed (%(error)s).",
                                                                   error=type(exc).__name__)))  # fmt: skip
    db.session.execute(
        update(ItemLaporan).where(ItemLaporan.id == item_id, ItemLaporan.token == token,
                                  ItemLaporan.status == StatusItem.BERJALAN.value)
        .values(selesai_at=utcnow(), **values)
    )  # fmt: skip
    db.session.commit()
    selesai_kah(job_id)
    return True


def selesai_kah(job_id: int) -> None:
    """When no item of the batch is open, one worker claims the merge and queues it."""
    left = db.session.execute(
        select(exists().where(ItemLaporan.job_id == job_id, ItemLaporan.status.in_(OPEN)))
    ).scalar()
    if left:
        return
    claimed = db.session.execute(
        update(JobLaporan).where(JobLaporan.id == job_id, JobLaporan.status != StatusJob.SELESAI.value,
                                 JobLaporan.pekerja.is_(None)).values(pekerja=pekerja())
    ).rowcount  # fmt: skip
    db.session.commit()
    if claimed == 1:
        from app.laporan import antrian

        antrian.gabung(job_id)


def gabung(job_id: int) -> None:
    """Store the merged PDF and the ZIP of the printed items, and finish the batch."""
    from pypdf import PdfWriter

    row = db.session.get(JobLaporan, job_id)
    if row is None or row.status == StatusJob.SELESAI:
        return
    items = db.session.execute(
        select(ItemLaporan).where(ItemLaporan.job_id == job_id, ItemLaporan.status == StatusItem.SELESAI.value)
        .order_by(ItemLaporan.urutan)
    ).scalars().all()  # fmt: skip
    writer = PdfWriter()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in items:
            writer.append(io.BytesIO(item.pdf))
            zf.writestr(f"{item.urutan + 1:03d}-{item.peserta.nip}.pdf", item.pdf)
    merged = io.BytesIO()
    writer.write(merged)
    row.hasil_pdf, row.hasil_zip = merged.getvalue(), archive.getvalue()
    row.status, row.kunci, row.selesai_at = StatusJob.SELESAI.value, None, utcnow()
    db.session.commit()


def _gabung_terhenti(job_id: int, limit: dt.datetime) -> bool:
    """Every item finished before the lease began and the batch is still not merged."""
    last = db.session.execute(select(func.max(ItemLaporan.selesai_at)).where(ItemLaporan.job_id == job_id)).scalar()
    return last is not None and last <= limit


def lanjutkan(semua: bool = True) -> int:
    """Give back items whose worker died (this machine) or passed the lease (any machine) and queue them
    again, finish batches whose merge was cut off; with `semua` (a worker starting) also queue every item
    still waiting, in case the queue itself lost them. Returns how many items were queued."""
    limit = utcnow() - lease()
    queued: list[int] = []
    running = select(ItemLaporan).where(ItemLaporan.status == StatusItem.BERJALAN.value)
    for item in db.session.execute(running).scalars().all():
        if mati(item.pekerja) or (item.diklaim_at or limit) <= limit:
            given_back = db.session.execute(
                update(ItemLaporan).where(ItemLaporan.id == item.id, ItemLaporan.token == item.token)
                .values(status=StatusItem.MENUNGGU.value, token=None, pekerja=None, diklaim_at=None)
            ).rowcount  # fmt: skip
            if given_back:
                queued.append(item.id)
    db.session.commit()
    unfinished = select(JobLaporan).where(JobLaporan.status != StatusJob.SELESAI.value)
    open_jobs = db.session.execute(unfinished).scalars().all()
    for row in open_jobs:
        if semua:
            waiting = db.session.execute(
                select(ItemLaporan.id).where(ItemLaporan.job_id == row.id,
                                             ItemLaporan.status == StatusItem.MENUNGGU.value)
                .order_by(ItemLaporan.urutan)
            ).scalars().all()  # fmt: skip
            queued += [i for i in waiting if i not in queued]
        if row.pekerja and (mati(row.pekerja) or _gabung_terhenti(row.id, limit)):
            row.pekerja = None  # the merge was cut off or failed: the next check claims it again
    db.session.commit()
    _antrikan(queued)
    for row in open_jobs:
        selesai_kah(row.id)
    return len(queued)
