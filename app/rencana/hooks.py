"""The plan steps of an SOP (Polhukam seed 3) as hooks of the workflow engine, the outputs the case page
shows per step, and the plan's data for document templates (the readiness report).

Effect `rencana_buat` (on entering a step: the case's assessment plan, created if missing). Guards (each
names what is missing, and the case page shows it while the step is open): `rencana_kriteria` (period,
target group and criteria that select at least one candidate), `rencana_instrumen` (an instruments
checklist whose every item is ready), `rencana_koordinasi` (at least one coordination recorded).
Outputs: `rencana` (the plan and its candidate list), `rencana_instrumen`, `rencana_koordinasi`,
`komentar` (the comment recorded when the step was completed: a direction, a disposition).
Template data: `rencana` (name, purpose, period, target group, criteria, candidates, instruments,
coordination) for `data/naskah` templates such as `laporan_kesiapan_assessment`.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.documents import wording
from app.extensions import db
from app.formatting import tanggal
from app.models.rencana import RencanaPenilaian
from app.penilaian.operations import kalimat
from app.rencana import operations as ops
from app.workflow import hooks, providers


def _plan(kasus) -> RencanaPenilaian | None:
    # The engine (and the case page) already loaded the case through the caller's scope: the plan goes with it.
    if kasus is None:
        return None
    return db.session.execute(select(RencanaPenilaian).where(RencanaPenilaian.kasus_id == kasus.id)).scalar()


NO_PLAN = _l("This case has no assessment plan yet; it is created when the case reaches the planning step.")


def _guard(check):
    def run(ctx: hooks.HookContext):
        item = _plan(ctx.kasus)
        if item is None:
            return NO_PLAN
        problems = check(item)
        return kalimat(problems) if problems else None

    return run


@hooks.effect("rencana_buat", _l("On entering the step: create the case's assessment plan if it has none"),
              on="enter", output="rencana")  # fmt: skip
def create_plan(ctx: hooks.HookContext):
    if _plan(ctx.kasus) is None:
        ops.buat_rencana(ctx.user, ctx.kasus.judul, unit_kerja_id=ctx.kasus.unit_kerja_id, kasus_id=ctx.kasus.id,
                         commit=False)  # fmt: skip


hooks.guard("rencana_kriteria", _l("Assessment plan: period, target group and criteria that select candidates"),
            output="rencana")(_guard(ops.kurang_rencana))  # fmt: skip
hooks.guard("rencana_instrumen", _l("Assessment plan: every instrument on the checklist is ready"),
            output="rencana_instrumen")(_guard(ops.kurang_instrumen))  # fmt: skip
hooks.guard("rencana_koordinasi", _l("Assessment plan: the technical coordination is recorded"),
            output="rencana_koordinasi")(_guard(ops.kurang_koordinasi))  # fmt: skip


# -- outputs on the case page ------------------------------------------------------------------------------


def _link(item: RencanaPenilaian) -> str:
    return url_for("RencanaPenilaianView.show", pk=item.id)


@providers.output_provider("rencana", _l("The assessment plan with its candidate criteria and list"))
def _plan_output(kasus, step, param: str) -> list[providers.Output]:
    item = _plan(kasus)
    if item is None:
        return [providers.Output(str(_l("Assessment plan")), exists=False)]
    chosen = ops.kandidat_terpilih(item) if item.periode_mulai else []
    ready = bool(chosen) and not ops.kurang_rencana(item)
    detail = str(_l("%(n)d candidates", n=len(chosen))) if chosen else str(_l("criteria not set yet"))
    return [providers.Output(item.nama, exists=ready, url=_link(item), detail=detail)]


@providers.output_provider("rencana_instrumen", _l("The instruments checklist of the assessment plan"))
def _instruments_output(kasus, step, param: str) -> list[providers.Output]:
    item = _plan(kasus)
    label = str(_l("Instruments checklist"))
    if item is None or not item.instrumen:
        return [providers.Output(label, exists=False)]
    ready = sum(1 for row in item.instrumen if row.siap)
    return [providers.Output(label, exists=ready == len(item.instrumen), url=_link(item) + "#instrumen",
                             detail=str(_l("%(a)d of %(b)d ready", a=ready, b=len(item.instrumen))))]  # fmt: skip


@providers.output_provider("rencana_koordinasi", _l("The coordination log of the assessment plan"))
def _coordination_output(kasus, step, param: str) -> list[providers.Output]:
    item = _plan(kasus)
    if item is None or not item.koordinasi:
        return [providers.Output(str(_l("Coordination log")), exists=False)]
    return [
        providers.Output(row.pihak, exists=True, url=_link(item) + "#koordinasi", detail=tanggal(row.tanggal))
        for row in item.koordinasi
    ]


# -- the plan in document templates ---------------------------------------------------------------------------

EXAMPLE = {
    "nama": "Contoh", "tujuan": "Pemetaan", "periode": "Juli - Desember 2026", "sasaran": "Contoh",
    "kriteria": "Contoh",
    "kandidat": [{"nama": "Contoh", "nip": "1", "pangkat": "III/a", "jabatan": "Contoh", "unit": "Contoh"}],
    "instrumen": [{"nama": "Contoh", "siap": "Siap", "catatan": ""}],
    "koordinasi": [{"pihak": "Contoh", "tanggal": "1 Juli 2026", "hasil": "Contoh"}],
}  # fmt: skip


@wording.context_provider("rencana", EXAMPLE)
def template_data(kasus) -> dict:
    """The case's plan as plain values for the wording (empty values when the case has none)."""
    item = _plan(kasus)
    if item is None:
        return {key: [] if isinstance(value, list) else "" for key, value in EXAMPLE.items()}
    c = wording.cell
    period = " - ".join(tanggal(d) for d in (item.periode_mulai, item.periode_selesai) if d)
    return {
        "nama": item.nama, "tujuan": item.tujuan_label, "periode": period, "sasaran": c(item.sasaran),
        "kriteria": ops.ringkasan_kriteria(item),
        "kandidat": [
            {"nama": c(k.pegawai.nama_lengkap), "nip": k.pegawai.nip_tampil,
             "pangkat": k.pegawai.pangkat.golongan if k.pegawai.pangkat else "", "jabatan": c(k.pegawai.jabatan or ""),
             "unit": c(k.pegawai.unit_kerja.nama)}
            for k in ops.kandidat_terpilih(item)
        ],
        "instrumen": [{"nama": c(r.metode.nama), "siap": "Siap" if r.siap else "Belum siap", "catatan": c(r.catatan)}
                      for r in item.instrumen],
        "koordinasi": [{"pihak": c(r.pihak), "tanggal": tanggal(r.tanggal), "hasil": c(r.hasil)}
                       for r in item.koordinasi],
    }  # fmt: skip
