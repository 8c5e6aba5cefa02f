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
Outputs `penilaian:<part>` (each hook implies its own, so a step that uses it shows on the case page what
it produced and whether it is complete): kegiatan, jadwal, rancangan, mulai, intake, distribusi, nilai,
hasil, selesai.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.formatting import tanggal, tanggal_waktu
from app.models import Hasil, KegiatanPenilaian, Peserta
from app.models.penilaian import StatusKegiatan, TujuanPenilaian
from app.penilaian import operations as ops
from app.workflow import hooks, providers


def _event(ctx: hooks.HookContext) -> KegiatanPenilaian | None:
    return ops.kegiatan_dari(ctx.kasus)


def _guard(check):
    def run(ctx: hooks.HookContext):
        item = _event(ctx)
        if item is None:
            return _l("This case has no assessment event yet; create it on the Assessment Events page.")
        problems = check(item)
        return ops.kalimat(problems) if problems else None

    return run


@hooks.effect("penilaian_kegiatan", _l("On entering the step: create the case's assessment event if it has none "
                                       "(penilaian_kegiatan:<purpose>)"), takes_param=True, on="enter",
              output="penilaian:kegiatan")  # fmt: skip
def create_event(ctx: hooks.HookContext):
    if _event(ctx) is not None:
        return
    purpose = ctx.param or TujuanPenilaian.PEMETAAN.value
    ops.buat_kegiatan(ctx.user, ctx.kasus.judul, purpose, kasus_id=ctx.kasus.id, unit_kerja_id=ctx.kasus.unit_kerja_id,
                      tanggal_mulai=ctx.kasus.tanggal_kegiatan, commit=False)  # fmt: skip


@hooks.effect("penilaian_mulai", _l("On entering the step: start the case's assessment event (copies the "
                                    "standards into it)"), on="enter", output="penilaian:mulai")  # fmt: skip
def start_event(ctx: hooks.HookContext):
    item = _event(ctx)
    if item is None:
        raise ops.PenilaianError(_l("This case has no assessment event yet; create it on the Assessment Events page."))
    ops.mulai_kegiatan(item.id, ctx.user, commit=False)


@hooks.effect(
    "penilaian_selesai",
    _l("On completing the step: finish the case's assessment event (nothing changes in it afterwards)"),
    output="penilaian:selesai",
)  # whoever performs the step closes the event: the engine checked them
def finish_event(ctx: hooks.HookContext):
    item = _event(ctx)
    if item is not None and ctx.transition is not None and ctx.transition.id != "kembali":
        ops.tutup_kegiatan(item, ctx.user, commit=False)


hooks.guard("penilaian_jadwal", _l("Every wave of the assessment event has its date"),
            output="penilaian:jadwal")(_guard(ops.kurang_jadwal))  # fmt: skip
hooks.guard("penilaian_rancangan", _l("Assessment plan complete: methods, matrix, sessions, participants, a "
                                      "warning-free assignment"), output="penilaian:rancangan")(
    _guard(ops.kurang_rancangan))  # fmt: skip
hooks.guard("penilaian_intake", _l("Every participant's intake (DRH, QCom, CI) received"),
            output="penilaian:intake")(_guard(ops.kurang_intake))  # fmt: skip
hooks.guard("penilaian_distribusi", _l("Every participant has assessors and every assessor participants"),
            output="penilaian:distribusi")(_guard(ops.kurang_distribusi))  # fmt: skip
hooks.guard("penilaian_nilai", _l("Every score sheet submitted"), output="penilaian:nilai")(
    _guard(ops.kurang_penilaian))  # fmt: skip
hooks.guard("penilaian_hasil", _l("Every participant has a locked consensus result"), output="penilaian:hasil")(
    _guard(ops.kurang_hasil))  # fmt: skip


# -- what the steps produced, on the case page -------------------------------------------------------------

PARTS = {
    "kegiatan": _l("Assessment event"),
    "jadwal": _l("Assessment schedule"),
    "rancangan": _l("Matrix, sessions and assessor assignment"),
    "mulai": _l("Event started: standards fixed for the participants"),
    "intake": _l("Participants' intake (DRH, QCom, CI)"),
    "distribusi": _l("Participants distributed to the assessors"),
    "nilai": _l("Participants' work sheets (score sheets submitted)"),
    "hasil": _l("Competency data (locked consensus results)"),
    "selesai": _l("Assessment event closed"),
}
# The event's checks behind each part: the output exists when nothing is missing.
CHECKS = {
    "jadwal": ops.kurang_jadwal,
    "rancangan": ops.kurang_rancangan,
    "intake": ops.kurang_intake,
    "distribusi": ops.kurang_distribusi,
    "nilai": ops.kurang_penilaian,
    "hasil": ops.kurang_hasil,
}


def _single(item: KegiatanPenilaian) -> Peserta | None:
    """The participant of a one-person event (a transfer applicant), to link to them directly."""
    people = db.session.execute(select(Peserta).where(Peserta.kegiatan_id == item.id).limit(2)).scalars().all()
    return people[0] if len(people) == 1 else None


def _output(kasus, step, param: str) -> list[providers.Output]:
    label = str(PARTS.get(param, PARTS["kegiatan"]))
    item = ops.kegiatan_dari(kasus)
    if item is None:
        return [providers.Output(label, exists=False)]
    url = url_for("KegiatanPenilaianView.show", pk=item.id)
    if param == "mulai":
        started = item.status != StatusKegiatan.RANCANGAN.value
        detail = tanggal_waktu(item.dimulai_at) if item.dimulai_at else item.status_label
        return [providers.Output(label, exists=started, url=url, detail=detail)]
    if param == "selesai":
        return [providers.Output(label, exists=item.status == StatusKegiatan.SELESAI.value, url=url,
                                 detail=item.status_label)]  # fmt: skip
    check = CHECKS.get(param)
    if check is None:  # the event itself
        return [providers.Output(label, exists=True, url=url, detail=item.nama)]
    problems = check(item)
    detail = "; ".join(problems)
    person = _single(item) if param in ("intake", "hasil") else None
    if param == "jadwal" and not problems:
        detail = ", ".join(tanggal(wave.tanggal_mulai) for wave in item.gelombang)
    elif param == "intake" and person is not None:
        label, url = f"{label}: {person.nama}", url_for("PesertaView.show", pk=person.id)
    elif param == "hasil" and not problems:
        url = url_for("KegiatanPenilaianView.hasil", pk=item.id)
        result = db.session.execute(select(Hasil).where(Hasil.peserta_id == person.id)).scalar() if person else None
        if result is not None:
            url, detail = url_for("HasilView.show", pk=result.id), f"JPM {result.jpm:.2f}"
    return [providers.Output(label, exists=not problems, url=url, detail=detail)]


providers.output_provider(
    "penilaian",
    _l("Assessment event records (penilaian:kegiatan, jadwal, rancangan, mulai, intake, distribusi, nilai, "
       "hasil, selesai)"),
    True,
)(_output)  # fmt: skip
