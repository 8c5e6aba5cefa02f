"""Participant imports of many rows on the job queue (issue 17 finding 5: no import holds a web worker
for more than a few seconds).

`mulai` checks the uploaded workbook (app/workbook_check.py) while the request waits. A file of at most
`PENKOM_IMPOR_ANTRI_BARIS` rows (200) that is quick to read is imported at once, as before. A bigger one
is stored in a `JobImpor` and imported by a queue worker (`jalankan`), all rows or none: the worker
claims the job with a fresh token (`UPDATE ... WHERE status = 'antri'`), checks every row, writing how
many it has checked beside its own transaction, and saves the participants and the job's end in one
transaction, so a worker killed on the way leaves nothing half imported. The page follows the job's
progress and shows the number imported or every bad row. A worker that starts, and every worker once a
minute, gives back a job whose worker died or stopped answering for a lease (app/laporan/antrian.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from app import scope, workbook_check
from app.extensions import db
from app.konkurensi import refuse_stale
from app.models.impor import OPEN, JobImpor, StatusImpor
from app.models.penilaian import PeranTim
from app.models.security import utcnow
from app.pekerja import lease, mati, pekerja
from app.penilaian import impor
from app.penilaian import operations as ops
from app.penilaian.operations import PenilaianError

# Cells and entries openpyxl reads in about half a second (workbook_check.Sheet.work): above this a file
# goes to the queue however few rows it has.
ANTRI_KERJA = 20_000


def _importers(r: scope.Reach):
    """Import jobs: for those who may import into the event (its unit's staff, its ketua and assessor
    administrators), as ops._admin decides."""
    if r.admin:
        return None
    clauses = []
    if scope._staff(r):
        clauses.append(JobImpor.kegiatan_id.in_(scope._unit_events(r)))
    if r.pegawai_id:
        roles = (PeranTim.KETUA.value, PeranTim.ASESOR_ADMIN.value)
        clauses.append(JobImpor.kegiatan_id.in_(scope._team_events(r, roles)))
    return or_(*clauses) if clauses else scope.false()


scope.register(JobImpor, _importers)


@dataclass
class Mulai:
    """What an import did: `jumlah` participants imported at once, or a `job` on the queue."""

    jumlah: int | None = None
    job: JobImpor | None = None


def batas_baris() -> int:
    return int(current_app.config.get("PENKOM_IMPOR_ANTRI_BARIS", 200))


def _antrikan(job_ids: list[int]) -> None:
    from app.laporan import antrian

    for job_id in job_ids:
        antrian.impor_peserta(job_id)


def _terbuka(kegiatan_id: int) -> bool:
    query = select(JobImpor.id).where(JobImpor.kegiatan_id == kegiatan_id, JobImpor.status.in_(OPEN))
    return db.session.execute(query.limit(1)).first() is not None


def mulai(kegiatan_id, user, data: bytes, nama_berkas: str = "", seen_versi: int | None = None) -> Mulai:
    """Import an .xlsx file of participants: at once when it is small, else on the job queue.
    ImporError when the file is refused or (imported at once) has bad rows; 409 while another import
    of the event is running, or when `seen_versi` (the event's version on the user's page) is old."""
    item = impor.acara(kegiatan_id, user)
    refuse_stale(item, PenilaianError, seen_versi)  # a repeated upload of the same page
    if not data:
        raise impor.ImporError(_l("Choose the Excel file (.xlsx) to import."))
    try:
        sheet = workbook_check.check(data, "Peserta")
    except workbook_check.Refused as exc:
        raise impor.ImporError(exc.message) from None
    running = PenilaianError(_l("An import of this event is still running; wait until it has finished."), 409)
    if _terbuka(item.id):
        raise running
    rows = max(sheet.rows - 1, 0)  # the header row
    if rows <= batas_baris() and sheet.work <= ANTRI_KERJA:
        return Mulai(jumlah=impor.impor_peserta(item.id, user, data, seen_versi))
    row = JobImpor(kegiatan_id=item.id, kunci=str(item.id), nama_berkas=(nama_berkas or "")[:200], berkas=data,
                   total=rows, diperiksa=0, dibuat_oleh_id=user.id)  # fmt: skip
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:  # started at the same moment by someone else
        db.session.rollback()
        raise running from None
    job_id = row.id
    _antrikan([job_id])
    return Mulai(job=db.session.get(JobImpor, job_id))


def job(job_id, user) -> JobImpor:
    """An import the caller may follow (whoever may import into its event), or PenilaianError."""
    row = scope.get(JobImpor, job_id, user)
    if row is None:
        raise PenilaianError(_l("Import not found."), 404)
    ops._admin(row.kegiatan, user)
    return row


def progres(row: JobImpor) -> dict:
    """{status, done, total, result, errors} of an import, as the page and the API show it."""
    finished = row.status not in OPEN
    if row.status == StatusImpor.SELESAI:
        result = str(_l("%(n)d participants imported.", n=row.jumlah or 0))
    else:
        result = row.pesan or ""
    errors = row.kesalahan or []
    return {
        "id": row.id,
        "kegiatan_id": row.kegiatan_id,
        "nama_berkas": row.nama_berkas,
        "status": row.status,
        "status_label": row.status_label,
        "selesai": finished,
        "done": row.total if row.status == StatusImpor.SELESAI else row.diperiksa,
        "total": row.total,
        "jumlah": row.jumlah,
        "hasil": result,
        "errors": [{**e, "teks": str(impor.BarisGagal(e["baris"], e["pesan"]))} for e in errors],
    }


def panel(item, user, n: int = 3) -> list[tuple[JobImpor, dict]]:
    """The event's newest imports on the queue, for the event page (empty for who may not import)."""
    try:
        ops._admin(item, user)
    except PenilaianError:
        return []
    query = scope.scoped(JobImpor, user).where(JobImpor.kegiatan_id == item.id).order_by(JobImpor.id.desc())
    return [(row, progres(row)) for row in db.session.execute(query.limit(n)).scalars()]


# -- the worker's side -----------------------------------------------------------------------------------


def _akhir(**values) -> dict:
    return dict(kunci=None, berkas=None, token=None, selesai_at=utcnow(), **values)


def jalankan(job_id: int) -> bool:
    """Claim and run one import; False when it was not ours (done, or another worker's)."""
    token = uuid.uuid4().hex
    claimed = db.session.execute(
        update(JobImpor).where(JobImpor.id == job_id, JobImpor.status == StatusImpor.ANTRI.value)
        .values(status=StatusImpor.BERJALAN.value, token=token, pekerja=pekerja(), diklaim_at=utcnow(),
                diperiksa=0)
    ).rowcount  # fmt: skip
    db.session.commit()
    if claimed != 1:
        return False
    mine = (JobImpor.id == job_id, JobImpor.token == token, JobImpor.status == StatusImpor.BERJALAN.value)

    def checked(n: int) -> None:
        # Beside the import's own transaction, which must stay open until the participants are saved.
        with db.engine.begin() as conn:
            conn.execute(update(JobImpor).where(*mine).values(diperiksa=n))

    row = db.session.get(JobImpor, job_id)
    user = row.dibuat_oleh
    try:
        if user is None or not user.is_active:
            raise PenilaianError(_l("The account that started the import is no longer active."), 403)
        item = impor.acara(row.kegiatan_id, user)
        # No lock while the rows are checked (the progress is written beside); the event is claimed when
        # the participants are saved, so a change made meanwhile ends the import with a 409 message.
        ready = impor.siapkan(item, user, row.berkas or b"", checked)
        ended = db.session.execute(
            update(JobImpor).where(*mine).values(**_akhir(status=StatusImpor.SELESAI.value, jumlah=len(ready),
                                                          diperiksa=row.total))
        ).rowcount  # fmt: skip
        if ended != 1:  # the lease ran out and the job was given back: the next claim imports it
            db.session.rollback()
            return False
        impor.simpan(item, ready, user)  # commits the participants together with the job's end
    except PenilaianError as exc:
        db.session.rollback()
        _tolak(mine, str(exc), [b.as_dict() for b in getattr(exc, "baris", [])])
    except Exception as exc:  # noqa: BLE001  (the job must end with a message, not stay "running")
        db.session.rollback()
        current_app.logger.exception("import %s failed", job_id)
        _tolak(mine, str(_l("The import failed (%(error)s); nothing was imported.", error=type(exc).__name__)), [])
    return True


def _tolak(mine, message: str, errors: list[dict]) -> None:
    db.session.execute(update(JobImpor).where(*mine).values(**_akhir(status=StatusImpor.DITOLAK.value,
                                                                     pesan=message, kesalahan=errors)))  # fmt: skip
    db.session.commit()


def lanjutkan(semua: bool = True) -> int:
    """Give back imports whose worker died (this machine) or passed the lease (any machine) and queue them
    again; with `semua` (a worker starting) also queue every import still waiting. Returns how many."""
    limit = utcnow() - lease()
    queued: list[int] = []
    running = select(JobImpor).where(JobImpor.status == StatusImpor.BERJALAN.value)
    for row in db.session.execute(running).scalars().all():
        if mati(row.pekerja) or (row.diklaim_at or limit) <= limit:
            given_back = db.session.execute(
                update(JobImpor).where(JobImpor.id == row.id, JobImpor.token == row.token,
                                       JobImpor.status == StatusImpor.BERJALAN.value)
                .values(status=StatusImpor.ANTRI.value, token=None, pekerja=None, diklaim_at=None)
            ).rowcount  # fmt: skip
            if given_back:
                queued.append(row.id)
    if semua:
        waiting = select(JobImpor.id).where(JobImpor.status == StatusImpor.ANTRI.value).order_by(JobImpor.id)
        queued += [i for i in db.session.execute(waiting).scalars() if i not in queued]
    db.session.commit()
    _antrikan(queued)
    return len(queued)
