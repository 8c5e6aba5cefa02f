"""The transfer-in application in the SOP's steps, as hooks of the workflow engine, and the outputs of the
steps it holds (the case page shows each, and whether it exists).

Effects: `mutasi_permohonan` (on entering a step, usually the first: the case's application with the
agency's checklist), `mutasi_penolakan` (on leaving a decision step by "tidak": the rejection letter
listing the unmet items), `mutasi_peserta` (on entering a step after `penilaian_kegiatan`: the applicant
becomes the participant of the case's assessment event), `mutasi_serah` (on completing the hand-over:
whom the report was given to, from the recipients' parts, and when).
Guards: `mutasi_data` (the applicant's data complete), `mutasi_verifikasi` (on "ya": every checklist item
has its file and meets the requirement; names the others).
Output `mutasi:<part>`: berkas, verifikasi, psikogram, serah (the event's own are `penilaian:<part>`).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.documents import naskah as svc
from app.extensions import db
from app.formatting import orang, tanggal_waktu
from app.models import KegiatanPenilaian, Peserta, StatusItem, TemplateNaskah
from app.mutasi import operations as ops
from app.penilaian import operations as pen
from app.workflow import hooks, providers

TEMPLATE_PENOLAKAN = "surat_penolakan_mutasi"


def _no_application():
    return _l("This case has no transfer application.")


@hooks.effect(
    "mutasi_permohonan",
    _l("On entering the step: create the case's transfer application with the agency's document checklist"),
    on="enter",
)
def create_application(ctx: hooks.HookContext):
    ops.buat_untuk_kasus(ctx.kasus, ctx.user)


@hooks.guard(ops.GUARD_DATA, _l("The transfer applicant's data is complete"), output="mutasi:berkas")
def application_complete(ctx: hooks.HookContext):
    item = ops.permohonan_kasus(ctx.kasus.id)
    if item is None:
        return _no_application()
    missing = ops.kurang_data(item)
    if missing:
        return _l("Complete the transfer application first: %(fields)s.", fields=", ".join(missing))
    return None


@hooks.guard(
    ops.GUARD_VERIFIKASI,
    _l("Every document of the transfer checklist is present and meets the requirement (to accept)"),
    output="mutasi:verifikasi",
)
def checklist_verified(ctx: hooks.HookContext):
    if ctx.transition is None or ctx.transition.id != "ya":
        return None  # a rejection names the unmet items in its letter; a return changes nothing
    item = ops.permohonan_kasus(ctx.kasus.id)
    if item is None:
        return _no_application()
    unmet = ops.belum_memenuhi(item)
    if unmet:
        names = "; ".join(f"{row.nama} ({ops.alasan_item(item, row)})" for row in unmet)
        return _l("The file cannot be accepted: %(items)s.", items=names)
    if item.jabatan_target_id is None:
        return _l("Choose the position the applicant is assessed against in the verification.")
    return None


@hooks.effect(
    "mutasi_penolakan",
    _l('On leaving the step by its "no" branch: draft the letter rejecting the transfer, listing the unmet documents'),
    output=f"naskah:{TEMPLATE_PENOLAKAN}",
)
def draft_rejection(ctx: hooks.HookContext):
    if ctx.transition is None or ctx.transition.id != "tidak":
        return
    item = ops.permohonan_kasus(ctx.kasus.id)
    template = db.session.execute(select(TemplateNaskah).where(TemplateNaskah.kode == TEMPLATE_PENOLAKAN)).scalar()
    if template is None:
        raise ops.MutasiError(_l('The document template "%(kode)s" does not exist.', kode=TEMPLATE_PENOLAKAN), 500)
    kasus = ctx.kasus
    # The case ends here: the letter is an ordinary document of the unit, signed in Official Documents.
    letter = svc.create_draft(template, ctx.user, kasus.unit_kerja, kasus)
    if item is not None:
        unmet = ops.belum_memenuhi(item)
        listed = "\n".join(f"{n}. {row.nama}: {ops.alasan_item(item, row)}" for n, row in enumerate(unmet, start=1))
        reason = (ctx.comment or "").strip()
        letter.isi = "\n\n".join(x for x in (letter.isi, listed, reason) if x)
        letter.kepada = "\n".join(
            x for x in (f"Yth. Sdr. {item.nama_lengkap}", item.jabatan_asal, item.instansi_asal) if x
        )


@hooks.effect(
    "mutasi_peserta",
    _l(
        "On entering the step: the transfer applicant becomes the participant of the "
        "case's assessment event (after penilaian_kegiatan)"
    ),
    on="enter",
)
def applicant_participant(ctx: hooks.HookContext):
    item = ops.permohonan_kasus(ctx.kasus.id)
    event = db.session.execute(select(KegiatanPenilaian).where(KegiatanPenilaian.kasus_id == ctx.kasus.id)).scalar()
    if item is None or event is None:
        return
    if db.session.execute(select(Peserta.id).where(Peserta.kegiatan_id == event.id, Peserta.nip == item.nip)).first():
        return  # back at the step after a return: the applicant is already there
    data = pen.DataPeserta(
        nip=item.nip or "",
        nama=item.nama,
        gelar_depan=item.gelar_depan or "",
        gelar_belakang=item.gelar_belakang or "",
        golongan=item.pangkat.golongan if item.pangkat else "",
        jabatan_target_id=item.jabatan_target_id,
        instansi=item.instansi_asal or "",
        unit=item.jabatan_asal or "",
    )
    pen.tambah_peserta(event.id, ctx.user, data, commit=False)


@hooks.effect(
    "mutasi_serah",
    _l(
        "On completing the step: record on the transfer application to whom the report "
        "was handed over (the recipients' parts) and when"
    ),
    output="mutasi:serah",
)
def record_handover(ctx: hooks.HookContext):
    if ctx.transition is not None and ctx.transition.id != "kembali":
        ops.catat_penyerahan(ctx.kasus)


# -- the outputs of the steps, for the case page ---------------------------------------------------------


def _applicant_participant(item, event) -> Peserta | None:
    if event is None or not item.nip:
        return None
    query = select(Peserta).where(Peserta.kegiatan_id == event.id, Peserta.nip == item.nip)
    return db.session.execute(query).scalar()


def _output(kasus, step, param: str) -> list[providers.Output]:
    item = ops.permohonan_kasus(kasus.id)
    label = PARTS.get(param, _l("Transfer application"))
    if item is None:
        return [providers.Output(str(label), exists=False)]
    link = url_for("PermohonanMutasiView.show", pk=item.id)
    if param == "berkas":
        present = sum(1 for row in item.items if ops.berkas(item, row.jenis))
        detail = str(_l("%(n)d of %(total)d documents uploaded", n=present, total=len(item.items)))
        return [providers.Output(f"{label}: {item}", exists=not ops.kurang_data(item), url=link, detail=detail)]
    if param == "verifikasi":
        checked = [row for row in item.items if row.status != StatusItem.BELUM]
        detail = str(_l("%(n)d of %(total)d items verified", n=len(checked), total=len(item.items)))
        if item.diverifikasi_at:
            detail += f", {orang(item.diverifikasi_oleh)}, {tanggal_waktu(item.diverifikasi_at)}"
        return [
            providers.Output(
                str(label), exists=bool(checked) and len(checked) == len(item.items), url=link, detail=detail
            )
        ]
    if param == "serah":
        return [
            providers.Output(
                str(label),
                exists=item.diserahkan_at is not None,
                url=link,
                detail=(item.diserahkan_kepada or "").replace("\n", "; "),
            )
        ]
    # The event's own outputs (schedule, intake, plan, sheets, results) are `penilaian:<part>`, implied by
    # the assessment guards of the same steps; the application names only the applicant's integration page.
    event = db.session.execute(select(KegiatanPenilaian).where(KegiatanPenilaian.kasus_id == kasus.id)).scalar()
    person = _applicant_participant(item, event)
    if param == "psikogram":
        ready = person is not None and not pen.kurang_penilaian(event)
        url = url_for("IntegrasiView.show", pk=person.id) if person is not None else None
        return [providers.Output(str(label), exists=ready, url=url)]
    return [providers.Output(str(label), exists=True, url=link)]


PARTS = {
    "berkas": _l("Application file (berkas lamaran)"),
    "verifikasi": _l("Verification of the checklist"),
    "psikogram": _l("Psychogram data (the applicant's integrated scores)"),
    "serah": _l("Report hand-over: recipients and time"),
}

providers.output_provider(
    "mutasi",
    _l("Transfer application outputs (mutasi:berkas, verifikasi, psikogram, serah)"),
    True,
)(_output)
