"""The report steps of an SOP: the guard `laporan_qc` (every participant's report passed QC; seed 4
step 8) and the step outputs `laporan_individu` (seed 4 step 7: the individual reports) and
`laporan_qc` (step 8: the reports that passed QC), shown on the case page; and the QC returns of each
assessor as a column of the assessor evaluation (the other output of step 8)."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.laporan import operations as lap
from app.models import KegiatanPenilaian, Peserta
from app.models.laporan import LaporanIndividu, StatusLaporan
from app.penilaian import evaluasi
from app.penilaian import operations as ops
from app.workflow import hooks, providers


def _event(kasus) -> KegiatanPenilaian | None:
    return ops.kegiatan_dari(kasus)


@hooks.guard("laporan_qc", _l("Every participant's individual report passed QC"))
def every_report_passed(ctx: hooks.HookContext):
    item = _event(ctx.kasus)
    if item is None:
        return _l("This case has no assessment event yet; create it on the Assessment Events page.")
    problems = lap.kurang_qc(item)
    return ops.kalimat(problems) if problems else None


def _output(kasus, label, statuses) -> list[providers.Output]:
    item = _event(kasus)
    if item is None:
        return [providers.Output(str(label), exists=False)]
    total = db.session.execute(select(func.count(Peserta.id)).where(Peserta.kegiatan_id == item.id)).scalar_one()
    count = db.session.execute(
        select(func.count(LaporanIndividu.id)).where(LaporanIndividu.kegiatan_id == item.id,
                                                     LaporanIndividu.status.in_(statuses))
    ).scalar_one()  # fmt: skip
    return [providers.Output(str(label), exists=bool(total) and count >= total,
                             url=url_for("LaporanView.list", _flt_0_kegiatan=item.id),
                             detail=str(_l("%(n)d of %(total)d", n=count, total=total)))]  # fmt: skip


@providers.output_provider("laporan_individu", _l("Individual competency and potential reports (submitted)"))
def _submitted(kasus, step, param) -> list[providers.Output]:
    done = (StatusLaporan.DIKIRIM.value, StatusLaporan.LULUS.value)
    return _output(kasus, _l("Individual competency and potential reports"), done)


@providers.output_provider("laporan_qc", _l("Individual reports that passed QC"))
def _passed(kasus, step, param) -> list[providers.Output]:
    return _output(kasus, _l("Individual reports that passed QC"), (StatusLaporan.LULUS.value,))


@evaluasi.kolom("qc_kembali", _l("QC returns"))
def qc_returns(item: KegiatanPenilaian, asesor_ids: list[int]) -> dict[int, int]:
    """How many times QC returned each assessor's reports of the event (0 for an assessor without returns)."""
    rows = db.session.execute(
        select(LaporanIndividu.asesor_id, func.coalesce(func.sum(LaporanIndividu.jumlah_kembali), 0))
        .where(LaporanIndividu.kegiatan_id == item.id)
        .group_by(LaporanIndividu.asesor_id)
    ).all()  # fmt: skip
    found = {asesor_id: int(total) for asesor_id, total in rows}
    return {asesor_id: found.get(asesor_id, 0) for asesor_id in asesor_ids}
