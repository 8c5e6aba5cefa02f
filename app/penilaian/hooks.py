"""The assessment steps of an SOP, as hooks of the workflow engine (chosen per step in the step form).

Effects: `penilaian_kegiatan:<purpose>` (on entering a step: the case's assessment event, created if
missing), `penilaian_mulai` (on entering a step: the event starts; standards are copied into it),
`penilaian_selesai` (on completing a step: the event is finished and frozen).
Guards (each names everything still missing, and the case page shows it while the step is open):
`penilaian_jadwal` (every wave has its date), `penilaian_rancangan` (methods, a matrix that measures
every competency often enough, waves with sessions, participants, a team, a warning-free assignment),
`penilaian_intake` (every participant's DRH, QCom and CI), `penilaian_distribusi` (every participant
has an assessor in every method and every assessor has participants), `penilaian_nilai` (every score
sheet submitted), `penilaian_hasil` (every participant has a locked consensus result).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import KegiatanPenilaian
from app.models.penilaian import TujuanPenilaian
from app.penilaian import operations as ops
from app.workflow import hooks


def _event(ctx: hooks.HookContext) -> KegiatanPenilaian | None:
    # The engine already loaded the case through the caller's scope: the event goes with it.
    return db.session.query(KegiatanPenilaian).filter_by(kasus_id=ctx.kasus.id).one_or_none()


def _guard(check):
    def run(ctx: hooks.HookContext):
        item = _event(ctx)
        if item is None:
            return _l("This case has no assessment event yet; create it on the Assessment Events page.")
        problems = check(item)
        return ops.kalimat(problems) if problems else None

    return run


@hooks.effect("penilaian_kegiatan", _l("On entering the step: create the case's assessment event if it has none "
                                       "(penilaian_kegiatan:<purpose>)"), takes_param=True, on="enter")  # fmt: skip
def create_event(ctx: hooks.HookContext):
    if _event(ctx) is not None:
        return
    purpose = ctx.param or TujuanPenilaian.PEMETAAN.value
    ops.buat_kegiatan(ctx.user, ctx.kasus.judul, purpose, kasus_id=ctx.kasus.id, unit_kerja_id=ctx.kasus.unit_kerja_id,
                      tanggal_mulai=ctx.kasus.tanggal_kegiatan, commit=False)  # fmt: skip


@hooks.effect("penilaian_mulai", _l("On entering the step: start the case's assessment event (copies the "
                                    "standards into it)"), on="enter")  # fmt: skip
def start_event(ctx: hooks.HookContext):
    item = _event(ctx)
    if item is None:
        raise ops.PenilaianError(_l("This case has no assessment event yet; create it on the Assessment Events page."))
    ops.mulai_kegiatan(item.id, ctx.user, commit=False)


@hooks.effect(
    "penilaian_selesai",
    _l("On completing the step: finish the case's assessment event (nothing changes in it afterwards)"),
)  # whoever performs the step closes the event: the engine checked them
def finish_event(ctx: hooks.HookContext):
    item = _event(ctx)
    if item is not None and ctx.transition is not None and ctx.transition.id != "kembali":
        ops.tutup_kegiatan(item, ctx.user, commit=False)


hooks.guard("penilaian_jadwal", _l("Every wave of the assessment event has its date"))(_guard(ops.kurang_jadwal))
hooks.guard("penilaian_rancangan", _l("Assessment plan complete: methods, matrix, sessions, participants, a "
                                      "warning-free assignment"))(_guard(ops.kurang_rancangan))  # fmt: skip
hooks.guard("penilaian_intake", _l("Every participant's intake (DRH, QCom, CI) received"))(_guard(ops.kurang_intake))
hooks.guard("penilaian_distribusi", _l("Every participant has assessors and every assessor participants"))(
    _guard(ops.kurang_distribusi)
)
hooks.guard("penilaian_nilai", _l("Every score sheet submitted"))(_guard(ops.kurang_penilaian))
hooks.guard("penilaian_hasil", _l("Every participant has a locked consensus result"))(_guard(ops.kurang_hasil))
