"""Parts of pages that several pages show: the current-step panel of a case (templates/kasus/_langkah.html)
on the case page and on the pages of records that follow a case, and the lists and labels around it.
Pages import these; a page never imports another page."""

from __future__ import annotations

from app.documents import effects
from app.formatting import tanggal_waktu
from app.models import Kasus, NaskahDinas, StatusKasus, StatusNaskah
from app.models.security import utcnow
from app.models.sop import BERSAMA_LABELS, Bersama
from app.scope import agency_people
from app.workflow import dokumen, engine, providers
from app.workflow.monitoring import durasi


def remaining(kasus: Kasus) -> dict:
    """Time spent on the current step and time left, in working minutes."""
    if kasus.status != StatusKasus.BERJALAN:
        return {}
    cal = engine.calendar_for(kasus.sop.instansi_id)
    now = utcnow()
    spent = cal.working_minutes_between(kasus.masuk_at, now)
    left = None
    if kasus.due_at is not None:
        left = (
            cal.working_minutes_between(now, kasus.due_at)
            if kasus.due_at > now
            else -cal.working_minutes_between(kasus.due_at, now)
        )
    return {"spent": spent, "left": left}


def current_step(kasus: Kasus, user) -> dict:
    """What the case page shows about the current step: its actors and how they take part, their
    parts so far, the inputs it asks for (with the attachments present), what it produces."""
    step = kasus.langkah
    if step is None or kasus.status != StatusKasus.BERJALAN:
        return {}
    responses = engine.visit_responses(kasus)
    parts = {t.pelaksana_id: t for t in responses if t.jenis == "bagian"}
    actors = [
        {"nama": p.nama, "pertama": i == 0, "bagian": parts.get(p.id),
         "perlu_bagian": step.bersama == Bersama.SEMUA and i > 0}
        for i, p in enumerate(step.aktor)
    ]  # fmt: skip
    missing = engine.missing_parts(kasus)
    return {
        "langkah": step,
        "nama": engine.step_name(kasus.sop, step.no),
        "aktor": actors,
        "cara": BERSAMA_LABELS.get(step.bersama or "", "") if len(step.aktor) > 1 else "",
        "menunggu": missing,
        "boleh_tanggapi": len(step.aktor) > 1 and engine.is_actor(user, step),
        "boleh_bagian": any(engine.holds(user, p) for p in missing),
        "kelengkapan": dokumen.kind_status(kasus, step),
        "keluaran": engine.step_outputs(kasus, step),
    }


def case_panel(kasus: Kasus, user) -> dict:
    """What the current-step panel (templates/kasus/_langkah.html) needs, for the case page and for the
    pages of records that follow a case."""
    return {
        "kasus": kasus, "transitions": engine.open_transitions(kasus, user), "langkah": current_step(kasus, user),
        "times": remaining(kasus), "durasi": durasi, "tanggal_waktu": tanggal_waktu,
        "pending": engine.pending(kasus, user),
    }  # fmt: skip


def assignable(kasus: Kasus, user) -> list[tuple[int, str]]:
    """The people the case page offers to assign: an area's own list (e.g. the assessor register for a
    cooperation request), else the agency's civil servants."""
    offered = providers.assignment_choices(kasus, user)
    return signer_choices(kasus.unit_kerja.instansi_id) if offered is None else offered


def engine_status_label(value):
    from app.models.kasus import STATUS_LABELS

    try:
        return STATUS_LABELS[StatusKasus(value)]
    except ValueError:
        return value


def signer_choices(instansi_id: int) -> list[tuple[int, str]]:
    """The agency's civil servants in the caller's scope, as a document's signer (or a case's assignee) choice."""
    return [(p.id, f"{p.nama_lengkap} — {p.jabatan or ''}") for p in agency_people(instansi_id)]


def case_documents(kasus: Kasus) -> list[NaskahDinas]:
    """The case's official documents in every state, for the case page."""
    return effects.case_documents(kasus, [status.value for status in StatusNaskah])
