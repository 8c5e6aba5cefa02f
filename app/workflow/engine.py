"""The one transition service: every button, bulk action, API call and CLI command uses it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from app import scope
from app.extensions import db
from app.models import (
    HariLibur,
    Kasus,
    KasusPetugas,
    KasusRiwayat,
    Lampiran,
    Langkah,
    Pegawai,
    Simbol,
    Sop,
    StatusKasus,
)
from app.models.security import utcnow
from app.workflow import hooks, signals
from app.workflow.calendar import WorkCalendar


class TransitionError(Exception):
    """A refused transition; `status` is the HTTP status, str() the user's message."""

    def __init__(self, message, status: int = 422):
        super().__init__(str(message))
        self.status = status


@dataclass(frozen=True)
class Transition:
    id: str  # lanjut | ya | tidak | kembali | selesai
    label: str
    to_no: int | None  # None: the case ends
    comment_required: bool = False

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "to_langkah_no": self.to_no,
            "comment_required": self.comment_required,
        }


# -- calendar ----------------------------------------------------------------------------


def calendar_for(instansi_id: int | None) -> WorkCalendar:
    """National holidays plus this agency's (and all agencies') extra days off."""
    query = select(HariLibur.tanggal).where(or_(HariLibur.instansi_id.is_(None), HariLibur.instansi_id == instansi_id))
    start, end = current_app.config["PENKOM_JAM_KERJA"]
    return WorkCalendar(frozenset(db.session.execute(query).scalars()), start, end)


def due_for(kasus: Kasus, langkah: Langkah, entered: dt.datetime) -> dt.datetime | None:
    return calendar_for(kasus.sop.instansi_id).due(entered, langkah.budget, kasus.tanggal_kegiatan)


# -- what may happen -----------------------------------------------------------------------


def next_step_no(step: Langkah) -> int | None:
    if step.lanjut_no is not None:
        return step.lanjut_no or None  # 0 means "the case ends here"
    later = [s.no for s in step.sop.langkah if s.no > step.no]
    return min(later) if later else None


def step_transitions(step: Langkah) -> list[Transition]:
    """Every transition the SOP defines for a step, regardless of who asks."""
    needs_comment = hooks.requires_comment(step.hook_names("guards"))
    result: list[Transition] = []
    if step.simbol == Simbol.KEPUTUSAN and step.ya_no is not None and step.tidak_no is not None:
        result.append(Transition("ya", step.label_ya or _("Yes"), step.ya_no or None, needs_comment))
        result.append(Transition("tidak", step.label_tidak or _("No"), step.tidak_no or None, needs_comment))
    else:
        target = None if step.simbol == Simbol.SELESAI else next_step_no(step)
        if target is None:
            result.append(Transition("selesai", _("Finish the case"), None, needs_comment))
        else:
            result.append(Transition("lanjut", _("Done, continue to step %(no)d", no=target), target, needs_comment))
    if step.kembali_no:
        label = step.label_kembali or _("Return to step %(no)d", no=step.kembali_no)
        result.append(Transition("kembali", label, step.kembali_no, True))
    return result


def user_role_ids(user) -> set[int]:
    return {role.id for role in getattr(user, "roles", []) or []}


def may_act(user, step: Langkah) -> bool:
    return step.pelaksana.role_id in user_role_ids(user)


def scoped_case(kasus_id: int, user) -> Kasus | None:
    """Load a case through the caller's scope (FAB actions and the API skip base filters)."""
    return scope.get(Kasus, kasus_id, user)


def return_target(kasus: Kasus, step: Langkah) -> int:
    """Where "return" sends this case: to the actor of step `kembali_no`, at the step that actor last
    worked on in this case (a reviewer returns a rejection draft to the rejection draft, not to the
    reply draft), or to `kembali_no` itself when that actor has not worked on the case yet."""
    target = kasus.sop.step(step.kembali_no)
    if target is None:
        return step.kembali_no
    rows = db.session.execute(
        select(KasusRiwayat.dari_no).where(KasusRiwayat.kasus_id == kasus.id).order_by(KasusRiwayat.id.desc())
    ).scalars()
    for no in rows:
        done = kasus.sop.step(no)
        if done is not None and done.no < step.no and done.pelaksana_id == target.pelaksana_id:
            return done.no
    return step.kembali_no


def case_transitions(kasus: Kasus) -> list[Transition]:
    """The SOP's transitions for the case's current step, with the return target resolved for this case."""
    step = kasus.langkah
    result = []
    for t in step_transitions(step):
        if t.id == "kembali":
            no = return_target(kasus, step)
            label = step.label_kembali or _("Return to step %(no)d", no=no)
            t = Transition("kembali", label, no, True)
        result.append(t)
    return result


def open_transitions(kasus: Kasus, user) -> list[Transition]:
    """Transitions valid for the case's current step that this user's roles allow."""
    if kasus.status != StatusKasus.BERJALAN or kasus.langkah is None or not may_act(user, kasus.langkah):
        return []
    return case_transitions(kasus)


def pending(kasus: Kasus, user) -> list[str]:
    """What the current step's guards still miss, as messages (read-only: nothing moves). Guards on the
    comment typed with the button are not evaluated; the case page shows the rest while the step is open."""
    if kasus.status != StatusKasus.BERJALAN or kasus.langkah is None:
        return []
    step = kasus.langkah
    transitions = case_transitions(kasus)
    forward = next((t for t in transitions if t.id in ("lanjut", "ya", "selesai")), None)
    messages = []
    for spec in step.hook_names("guards"):
        name, param = hooks.split(spec)
        hook = hooks.GUARDS.get(name)
        if hook is None or hooks.requires_comment([spec]):
            continue
        error = hook.fn(hooks.HookContext(kasus, step, forward or (transitions[0] if transitions else None), user,
                                          "", param))  # fmt: skip
        if error:
            messages.append(str(error))
    return messages


# -- doing it ------------------------------------------------------------------------------


def perform(kasus_id: int, transition_id: str, user, comment: str = "", seen_versi: int | None = None,
            now: dt.datetime | None = None) -> Kasus:  # fmt: skip
    """Move one case along one transition, or raise TransitionError and change nothing.
    `now` (UTC) replays a transition at a past moment (demo data, imports); default: the present."""
    kasus = scoped_case(kasus_id, user)
    if kasus is None:
        raise TransitionError(_l("Case not found."), 404)
    if seen_versi is not None and seen_versi != kasus.versi:
        raise TransitionError(_l("This case was changed by someone else in the meantime; reload the page."), 409)
    if kasus.status != StatusKasus.BERJALAN:
        raise TransitionError(_l("This case is no longer running."), 409)
    step = kasus.langkah
    if not may_act(user, step):
        raise TransitionError(
            _l("Step %(no)d is not yours: it belongs to %(role)s.", no=step.no, role=step.pelaksana.nama), 403
        )
    transition = next((t for t in case_transitions(kasus) if t.id == transition_id), None)
    if transition is None:
        raise TransitionError(_l("This action is not available at step %(no)d.", no=step.no), 422)
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise TransitionError(_l("A comment is required for this action."), 422)
    for spec in step.hook_names("guards"):
        name, param = hooks.split(spec)
        hook = hooks.GUARDS.get(name)
        if hook is None:
            raise TransitionError(_l('The SOP names an unknown check "%(name)s".', name=name), 500)
        error = hook.fn(hooks.HookContext(kasus, step, transition, user, comment, param))
        if error:
            raise TransitionError(error, 422)

    now = now or utcnow()
    target = kasus.sop.step(transition.to_no) if transition.to_no else None
    if transition.to_no and target is None:
        raise TransitionError(_l("The SOP has no step %(no)d.", no=transition.to_no), 500)
    cal = calendar_for(kasus.sop.instansi_id)
    values = {"versi": Kasus.versi + 1, "masuk_at": now}
    if target is None:
        values.update(status=StatusKasus.SELESAI.value, langkah_id=None, due_at=None, selesai_at=now)
    else:
        values.update(langkah_id=target.id, due_at=cal.due(now, target.budget, kasus.tanggal_kegiatan))
    seen = kasus.versi
    changed = db.session.execute(
        update(Kasus)
        .where(Kasus.id == kasus.id, Kasus.versi == seen, Kasus.status == StatusKasus.BERJALAN.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise TransitionError(_l("This case was changed by someone else in the meantime; reload the page."), 409)
    role = next((r.name for r in user.roles if r.id == step.pelaksana.role_id), "")
    db.session.add(
        KasusRiwayat(
            kasus_id=kasus.id,
            user_id=user.id,
            peran=role,
            transisi=transition.id,
            label=transition.label,
            dari_no=step.no,
            ke_no=transition.to_no,
            komentar=comment,
            waktu=now,
            masuk_at=kasus.masuk_at,
            durasi_menit=cal.working_minutes_between(kasus.masuk_at, now),
            anggaran_menit=cal.budget_minutes(step.budget),
            due_at=kasus.due_at,
        )
    )
    db.session.flush()
    moved = signals.CaseMoved(kasus.id, user.id, transition.id, step.no, transition.to_no, comment)
    db.session.expire(kasus)
    try:
        _run_effects(kasus, step, "leave", transition, user, comment)
        if target is not None:
            _run_effects(kasus, target, "enter", transition, user, comment)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    db.session.refresh(kasus)
    signals.case_moved.send(None, event=moved)
    return kasus


def _run_effects(kasus: Kasus, step: Langkah, on: str, transition: Transition | None, user, comment: str) -> None:
    """The step's effects of one timing, inside the transition's database transaction."""
    for spec in step.hook_names("efek"):
        name, param = hooks.split(spec)
        hook = hooks.EFFECTS.get(name)
        if hook is None:
            raise TransitionError(_l('The SOP names an unknown effect "%(name)s".', name=name), 500)
        if hook.on == on:
            hook.fn(hooks.HookContext(kasus, step, transition, user, comment, param))


def start_case(
    sop_id: int, judul: str, user, tanggal_kegiatan: dt.date | None = None, unit_id: int | None = None,
    now: dt.datetime | None = None,
) -> Kasus:  # fmt: skip
    """Start a case on the current revision of an SOP; the caller must hold the first step's role."""
    sop = scope.get(Sop, sop_id, user)
    if sop is None:
        raise TransitionError(_l("SOP not found."), 404)
    if not sop.berlaku:
        raise TransitionError(_l("This SOP revision has been replaced; start the case on the current revision."), 409)
    if not sop.langkah:
        raise TransitionError(_l("This SOP has no steps yet."), 422)
    first = sop.langkah[0]
    if not may_act(user, first):
        raise TransitionError(
            _l("Only %(role)s can start this SOP (step %(no)d).", role=first.pelaksana.nama, no=first.no), 403
        )
    judul = (judul or "").strip()
    if not judul:
        raise TransitionError(_l("A title is required."), 422)
    # The case belongs to the unit that owns the SOP, so every actor of the SOP sees it.
    unit_id = unit_id or sop.unit_kerja_id
    reach = scope.reach(user)
    if not reach.admin and unit_id not in reach.sop_units:
        raise TransitionError(_l("You cannot start a case for a unit outside your scope."), 403)
    now = now or utcnow()
    kasus = Kasus(
        sop=sop, judul=judul[:250], unit_kerja_id=unit_id, status=StatusKasus.BERJALAN.value,
        langkah=first, masuk_at=now, dibuat_at=now, dibuat_oleh_id=user.id, tanggal_kegiatan=tanggal_kegiatan,
    )  # fmt: skip
    db.session.add(kasus)
    db.session.flush()
    kasus.due_at = due_for(kasus, first, now)
    try:
        _run_effects(kasus, first, "enter", None, user, "")
    except Exception:
        db.session.rollback()
        raise
    moved = signals.CaseMoved(kasus.id, user.id, None, None, first.no)
    db.session.commit()
    signals.case_moved.send(None, event=moved)
    return kasus


def running_in_scope(user):
    """Base query of running cases the user may see (user None: the system, e.g. a cron job)."""
    query = select(Kasus).where(Kasus.status == StatusKasus.BERJALAN.value)
    clause = None if user is None else scope.where(Kasus, user)
    return query if clause is None else query.where(clause)


def overdue(user, now: dt.datetime | None = None) -> list[Kasus]:
    """Running cases past their due time, computed in the query (never a stored flag)."""
    now = now or utcnow()
    query = running_in_scope(user).where(Kasus.due_at.isnot(None), Kasus.due_at < now).order_by(Kasus.due_at)
    return list(db.session.execute(query).scalars())


MAX_LAMPIRAN = 10 * 1024 * 1024


def attach(kasus_id: int, user, jenis: str, filename: str, mime: str, data: bytes) -> Lampiran:
    """Attach a file to a running case; only a holder of the current step's role may."""
    kasus = scoped_case(kasus_id, user)
    if kasus is None:
        raise TransitionError(_l("Case not found."), 404)
    if kasus.status != StatusKasus.BERJALAN or not may_act(user, kasus.langkah):
        raise TransitionError(_l("Only the actor of the current step can attach documents."), 403)
    jenis = re.sub(r"[^a-z0-9_]+", "_", (jenis or "").strip().lower()).strip("_")
    if not jenis:
        raise TransitionError(_l("Choose the kind of document."), 422)
    if not data:
        raise TransitionError(_l("Choose a file to upload."), 422)
    if len(data) > MAX_LAMPIRAN:
        raise TransitionError(_l("The file is larger than 10 MB."), 422)
    item = Lampiran(kasus_id=kasus.id, jenis=jenis[:60], nama_file=(filename or "berkas")[:200],
                    mime=(mime or "application/octet-stream")[:100], isi=data, diunggah_oleh_id=user.id)  # fmt: skip
    db.session.add(item)
    db.session.commit()
    return item


def scoped_attachment(lampiran_id: int, user) -> Lampiran | None:
    return scope.get(Lampiran, lampiran_id, user)


def _current_actor_case(kasus_id: int, user) -> Kasus:
    kasus = scoped_case(kasus_id, user)
    if kasus is None:
        raise TransitionError(_l("Case not found."), 404)
    if kasus.status != StatusKasus.BERJALAN or not may_act(user, kasus.langkah):
        raise TransitionError(_l("Only the actor of the current step can change who is assigned."), 403)
    return kasus


def assign(kasus_id: int, user, pegawai_id: int | None, peran: str = "") -> KasusPetugas:
    """Assign a civil servant of the case's agency to the case (e.g. an assessor)."""
    kasus = _current_actor_case(kasus_id, user)
    pegawai = db.session.get(Pegawai, pegawai_id) if pegawai_id else None
    if pegawai is None or pegawai.unit_kerja.instansi_id != kasus.unit_kerja.instansi_id or pegawai.aktif is False:
        raise TransitionError(_l("Choose an active civil servant of this agency."), 422)
    if any(p.pegawai_id == pegawai.id for p in kasus.petugas):
        raise TransitionError(_l("%(name)s is already assigned.", name=pegawai.nama_lengkap), 422)
    item = KasusPetugas(kasus_id=kasus.id, pegawai_id=pegawai.id, peran=(peran or "").strip()[:120])
    db.session.add(item)
    db.session.commit()
    return item


def unassign(kasus_id: int, petugas_id: int | None, user) -> None:
    item = db.session.get(KasusPetugas, petugas_id) if petugas_id else None
    if item is None or item.kasus_id != kasus_id:
        raise TransitionError(_l("Case not found."), 404)
    _current_actor_case(item.kasus_id, user)
    db.session.delete(item)
    db.session.commit()
