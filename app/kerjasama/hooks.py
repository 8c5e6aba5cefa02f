"""The cooperation-request steps of an SOP, as hooks and providers of the workflow engine.

Effects: `kerjasama` (on entering a step, normally the first: the case's cooperation request, created if
missing), `kerjasama_keputusan` (on completing a decision step: the request records Diterima/Ditolak
with the comment as its reason). Guards: `kerjasama_data` (the letter, the activity and the disposition
are filled in), `kerjasama_asesor` (every assigned person is an active assessor of the register and still
free on the request's dates). Outputs: `kerjasama:permintaan` (the registered request),
`kerjasama:keputusan` (the decision with its reason). The reference date `tanggal_kegiatan` of a case
with a request is the request's end date; the case page offers only the register's assessors.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.formatting import tanggal
from app.kerjasama import operations as ops
from app.workflow import hooks, providers


@hooks.effect("kerjasama", _l("On entering the step: create the case's cooperation request if it has none"),
              on="enter")  # fmt: skip
def create_request(ctx: hooks.HookContext):
    ops.buat_untuk_kasus(ctx.kasus)


@hooks.guard("kerjasama_data", _l("The cooperation request has its letter, activity and disposition"),
             output="kerjasama:permintaan")  # fmt: skip
def request_complete(ctx: hooks.HookContext):
    item = ops.permintaan_kasus(ctx.kasus.id)
    if item is None:
        return _l("This case has no cooperation request.")
    gaps = ops.missing(item)
    if gaps:
        return _l("Complete the cooperation request first: %(fields)s.", fields=", ".join(gaps))
    return None


@hooks.effect("kerjasama_keputusan", _l("On completing the decision: record it on the cooperation request with "
                                        "the comment as its reason"), output="kerjasama:keputusan")  # fmt: skip
def record_decision(ctx: hooks.HookContext):
    if ctx.transition is not None:
        ops.catat_keputusan(ctx.kasus, ctx.transition.id, ctx.comment, ctx.user)


@hooks.guard("kerjasama_asesor", _l("Every assigned person is a registered assessor free on the request's dates"))
def assessors_free(ctx: hooks.HookContext):
    if ctx.transition is not None and ctx.transition.id == "kembali":
        return None
    item = ops.permintaan_kasus(ctx.kasus.id)
    if item is None:
        return None
    for person in ctx.kasus.petugas:
        refusal = ops.assignment_refusal(item, person.pegawai)
        if refusal:
            return refusal
    return None


# -- providers ---------------------------------------------------------------------------------------------


@providers.reference_date_provider("tanggal_kegiatan")
def _end_date(kasus):
    item = ops.permintaan_kasus(kasus.id)
    return item.tanggal_selesai if item is not None else None


@providers.output_provider("kerjasama", _l("The cooperation request (kerjasama:permintaan | kerjasama:keputusan)"),
                           takes_param=True)  # fmt: skip
def _outputs(kasus, step, param: str) -> list[providers.Output]:
    item = ops.permintaan_kasus(kasus.id)
    if param == "keputusan":
        label = str(_l("Decision on the request with its reason"))
        if item is None or not item.keputusan:
            return [providers.Output(label, exists=False)]
        return [providers.Output(f"{label}: {item.keputusan_label}", exists=True,
                                 url=url_for("PermintaanKerjasamaView.show", pk=item.id),
                                 detail=item.alasan_keputusan or "")]  # fmt: skip
    label = str(_l("Registered cooperation request with its disposition"))
    if item is None or ops.missing(item):
        return [providers.Output(label, exists=False, url=url_for("PermintaanKerjasamaView.show", pk=item.id)
                                 if item is not None else None)]  # fmt: skip
    detail = f"{item.nomor_surat}, {tanggal(item.tanggal_mulai)} – {tanggal(item.tanggal_selesai)}"
    return [providers.Output(f"{label}: {item.instansi_peminta}", exists=True,
                             url=url_for("PermintaanKerjasamaView.show", pk=item.id), detail=detail)]  # fmt: skip


@providers.assignment_check
def _register_only(kasus, pegawai):
    item = ops.permintaan_kasus(kasus.id)
    return ops.assignment_refusal(item, pegawai) if item is not None else None


@providers.assignment_choices_provider
def _register_choices(kasus, user):
    item = ops.permintaan_kasus(kasus.id)
    if item is None:
        return None
    return [(row.entry.pegawai_id, f"{row.entry.pegawai.nama_lengkap} — {row.entry.jenis_label}")
            for row in ops.ketersediaan(item) if row.tersedia and not row.dipilih]  # fmt: skip
