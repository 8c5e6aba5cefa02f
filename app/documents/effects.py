"""Document steps of an SOP, as hooks of the workflow engine: draft the letter when a case enters
the drafting step, initial it when a reviewing step is completed (or return it with the comment),
sign it when the signing step is completed, mark it sent."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.documents import naskah as svc
from app.extensions import db
from app.models import NaskahDinas, NaskahPemeriksa, StatusNaskah, TemplateNaskah
from app.models.naskah import EDITABLE
from app.workflow import engine, hooks, providers

PARAF = "naskah_paraf"
SIGN = "naskah_tanda_tangan"


def _has(step, name: str) -> bool:
    return any(hooks.split(spec)[0] == name for spec in step.hook_names("efek"))


def review_path(step):
    """From the drafting step along the SOP's forward path: the steps that initial, and the step
    that signs (None if the path has none)."""
    chain, seen, current = [], set(), step
    while current is not None and current.no not in seen:
        seen.add(current.no)
        if _has(current, SIGN):
            return chain, current
        if _has(current, PARAF):
            chain.append(current)
        nxt = engine.next_step_no(current) if current.simbol != "keputusan" else None
        current = current.sop.step(nxt) if nxt else None
    return chain, None


def case_documents(kasus, statuses) -> list[NaskahDinas]:
    return list(
        db.session.execute(
            select(NaskahDinas)
            .where(NaskahDinas.kasus_id == kasus.id, NaskahDinas.status.in_(list(statuses)))
            .order_by(NaskahDinas.id)
        ).scalars()
    )


@hooks.effect("naskah_konsep", _l("On entering the step: draft the document from template (naskah_konsep:<template>)"),
              takes_param=True, on="enter", output="naskah:{param}")  # fmt: skip
def draft(ctx: hooks.HookContext):
    kasus, step = ctx.kasus, ctx.langkah
    open_docs = [n for n in case_documents(kasus, EDITABLE) if n.template_kode == ctx.param]
    if open_docs:  # back at the drafting step after a return: keep the draft and its note
        for item in open_docs:
            item.daftar = svc._people(kasus)
        return
    template = db.session.execute(select(TemplateNaskah).where(TemplateNaskah.kode == ctx.param)).scalar()
    if template is None:
        raise svc.NaskahError(_l('The document template "%(kode)s" does not exist.', kode=ctx.param), 500)
    chain, signing = review_path(step)
    signer = svc.default_signer(kasus.unit_kerja.instansi_id, signing.pelaksana.role_id if signing else None)
    item = svc.create_draft(template, ctx.user, kasus.unit_kerja, kasus, step.no, signer)
    for order, reviewer in enumerate(chain, start=1):
        item.pemeriksa.append(NaskahPemeriksa(urutan=order, peran=reviewer.pelaksana.nama, langkah_no=reviewer.no))


def _reviewed_here(item: NaskahDinas, step_no: int) -> bool:
    return any(row.langkah_no == step_no for row in item.pemeriksa)


@hooks.effect(PARAF, _l("On completing the step: initial the case's drafts; a return sends them back with the comment"),
              confirm="paraf", output="naskah")  # fmt: skip
def initial(ctx: hooks.HookContext):
    step_no = ctx.langkah.no
    if ctx.transition.id == "kembali":
        for item in case_documents(ctx.kasus, (*EDITABLE, StatusNaskah.DIPARAF.value)):
            if _reviewed_here(item, step_no):
                svc.kembalikan(item, ctx.user, ctx.comment, step_no, ctx.transition.to_no)
        return
    for item in case_documents(ctx.kasus, EDITABLE):
        row = item.pemeriksa_berikut
        if row is not None and row.langkah_no == step_no:
            svc.paraf(item, ctx.user, step_no)


@hooks.effect(SIGN, _l("On completing the step: sign the case's initialled documents (numbers them)"),
              confirm="tanda_tangan", output="naskah")  # fmt: skip
def sign(ctx: hooks.HookContext):
    if ctx.transition.id == "kembali":
        for item in case_documents(ctx.kasus, (*EDITABLE, StatusNaskah.DIPARAF.value)):
            svc.kembalikan(item, ctx.user, ctx.comment, ctx.langkah.no, ctx.transition.to_no)
        return
    waiting = case_documents(ctx.kasus, EDITABLE)
    if waiting:
        raise svc.NaskahError(_l("Document %(perihal)s has not been initialled by every reviewer yet.",
                                 perihal=waiting[0].perihal), 409)  # fmt: skip
    for item in case_documents(ctx.kasus, (StatusNaskah.DIPARAF.value,)):
        svc.sign(item, ctx.user, via_case=True)


@hooks.effect("naskah_kirim", _l("On completing the step: mark the case's signed documents as sent"), output="naskah")
def send(ctx: hooks.HookContext):
    for item in case_documents(ctx.kasus, (StatusNaskah.DITANDATANGANI.value,)):
        svc.kirim(item, ctx.user)


@hooks.guard("petugas", _l("At least one person is assigned to the case (e.g. the chosen assessors)"), output="petugas")
def assigned(ctx: hooks.HookContext):
    if not ctx.kasus.petugas:
        return _l("Assign at least one person to the case first (Assigned people).")
    return None


# -- what the confirmation of a paraf or signing step names ------------------------------------


def documents_to_confirm(kasus, step, transition) -> list[NaskahDinas]:
    """The case's documents that taking `transition` at `step` would initial or sign (and number)."""
    if transition.id == "kembali" or not transition.confirm:
        return []
    if transition.confirm == "tanda_tangan":
        return case_documents(kasus, (StatusNaskah.DIPARAF.value,))
    return [item for item in case_documents(kasus, EDITABLE)
            if item.pemeriksa_berikut is not None and item.pemeriksa_berikut.langkah_no == step.no]  # fmt: skip


# -- the documents a step produces, for the case page ------------------------------------------------


@providers.output_provider("naskah", _l("Official documents of the case (naskah:<template> for one kind)"), True)
def _documents(kasus, step, param: str) -> list[providers.Output]:
    items = [n for n in case_documents(kasus, [s.value for s in StatusNaskah if s != StatusNaskah.BATAL])
             if not param or n.template_kode == param]  # fmt: skip
    if not items:
        template = db.session.execute(select(TemplateNaskah).where(TemplateNaskah.kode == param)).scalar()
        label = template.nama if template else str(_l("Official document"))
        return [providers.Output(label, exists=False)]
    return [
        providers.Output(
            n.perihal,
            exists=True,
            url=url_for("NaskahDinasView.show", pk=n.id),
            detail=" · ".join(x for x in (n.status_label, n.nomor or "") if x),
        )  # fmt: skip
        for n in items
    ]
