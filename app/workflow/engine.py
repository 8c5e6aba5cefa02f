"""The one transition service: every button, bulk action, API call and CLI command uses it.

Besides moving cases it answers what the case page shows: the transitions open to a user (with
branch memory applied), who takes part in the current step (co-actors and their parts), and what
the step produces (`step_outputs`, through the providers areas register)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select

from app import cache, scope
from app.extensions import db
from app.konkurensi import claim, refuse_stale
from app.models import (
    Bersama,
    HariLibur,
    Instansi,
    Kasus,
    KasusPetugas,
    KasusRiwayat,
    KasusTanggapan,
    Lampiran,
    Langkah,
    Pegawai,
    Pelaksana,
    Simbol,
    Sop,
    StatusKasus,
)
from app.models.security import utcnow
from app.models.sop import langkah_pelaksana_lain
from app.workflow import dokumen, hooks, providers, signals
from app.workflow.calendar import Budget, WorkCalendar


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
    # "paraf" | "tanda_tangan": taking it initials or signs documents, which the user confirms first.
    confirm: str = ""

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "to_langkah_no": self.to_no,
            "comment_required": self.comment_required,
            "confirm": self.confirm or None,
        }


# -- calendar ----------------------------------------------------------------------------


def calendar_for(instansi_id: int | None) -> WorkCalendar:
    """National holidays and cuti bersama (unless the agency works on them), plus this agency's
    (and all agencies') extra days off.

    The days off are kept per agency in this worker and read again when a day off or an agency is
    added, changed or removed anywhere (app/cache.py): a page that computes many durations, and
    every later request, asks the database nothing."""
    days, cuti_bersama = cache.area("kalender").get(instansi_id, lambda: _days_off(instansi_id))
    start, end = current_app.config["PENKOM_JAM_KERJA"]
    return WorkCalendar(days, start, end, cuti_bersama=cuti_bersama)


def _days_off(instansi_id: int | None) -> tuple[frozenset[dt.date], bool]:
    query = select(HariLibur.tanggal).where(or_(HariLibur.instansi_id.is_(None), HariLibur.instansi_id == instansi_id))
    cuti_bersama = instansi_id is None or db.session.execute(
        select(Instansi.libur_cuti_bersama).where(Instansi.id == instansi_id)
    ).scalar() is not False  # fmt: skip
    return frozenset(db.session.execute(query).scalars()), cuti_bersama


def working_day_minutes() -> int:
    """Minutes in one working day (office hours); needs no holiday data, so no query."""
    start, end = current_app.config["PENKOM_JAM_KERJA"]
    return WorkCalendar(frozenset(), start, end).budget_minutes(Budget(1, "hari"))


def due_time(instansi_id: int | None, entered: dt.datetime, budget: Budget | None,
             acuan: dt.date | None = None) -> dt.datetime | None:  # fmt: skip
    """The due time (naive UTC) of a step with this budget entered at `entered` (naive UTC) in this
    agency; `acuan` is the reference date of a budget counted from a date ("7 hari setelah ...").
    The engine sets exactly this; `flask penkom tenggat` prints it."""
    return calendar_for(instansi_id).due(entered, budget, acuan)


def due_for(kasus: Kasus, langkah: Langkah, entered: dt.datetime) -> dt.datetime | None:
    """The due time of a case entering a step: the step's budget, the case's agency, and the
    reference date its records supply (see `providers.reference_date`)."""
    budget = langkah.budget
    acuan = providers.reference_date(kasus, budget.acuan) if budget is not None and budget.acuan else None
    return due_time(kasus.sop.instansi_id, entered, budget, acuan)


# -- what may happen -----------------------------------------------------------------------


def next_step_no(step: Langkah) -> int | None:
    if step.lanjut_no is not None:
        return step.lanjut_no or None  # 0 means "the case ends here"
    later = [s.no for s in step.sop.langkah if s.no > step.no]
    return min(later) if later else None


def step_name(sop: Sop, no: int | None, width: int = 40) -> str:
    """How people refer to a step: its printed number, or its activity (shortened to `width`) when
    the SOP prints none."""
    step = sop.step(no)
    if step is None:
        return str(no)
    if step.nomor_tampil:
        return step.nomor_tampil
    text = step.kegiatan if len(step.kegiatan) <= width else step.kegiatan[: width - 1] + "…"
    return f"“{text}”"


def confirmation(step: Langkah) -> str:
    """What completing the step does to documents that the user must confirm: "tanda_tangan", "paraf"
    or "" (from the `confirm` of the step's leave effects; signing wins)."""
    kinds = set()
    for spec in step.hook_names("efek"):
        hook = hooks.EFFECTS.get(hooks.split(spec)[0])
        if hook is not None and hook.on == "leave" and hook.confirm:
            kinds.add(hook.confirm)
    return "tanda_tangan" if "tanda_tangan" in kinds else ("paraf" if "paraf" in kinds else "")


CONFIRM_LABELS = {"tanda_tangan": _l("Sign"), "paraf": _l("Initial (paraf)")}


def step_transitions(step: Langkah) -> list[Transition]:
    """Every transition the SOP defines for a step, regardless of who asks."""
    needs_comment = hooks.requires_comment(step.hook_names("guards"))
    confirm = confirmation(step)
    result: list[Transition] = []
    if step.simbol == Simbol.KEPUTUSAN and step.ya_no is not None and step.tidak_no is not None:
        result.append(Transition("ya", step.label_ya or _("Yes"), step.ya_no or None, needs_comment, confirm))
        result.append(Transition("tidak", step.label_tidak or _("No"), step.tidak_no or None, needs_comment, confirm))
    else:
        target = None if step.simbol == Simbol.SELESAI else next_step_no(step)
        if step.label_lanjut:
            label = step.label_lanjut
        elif confirm:
            label = str(CONFIRM_LABELS[confirm])
        elif target is None:
            label = _("Finish the case")
        else:
            label = _("Done, continue to step %(no)s", no=step_name(step.sop, target))
        result.append(Transition("selesai" if target is None else "lanjut", label, target, needs_comment, confirm))
    if step.kembali_no:
        label = step.label_kembali or _("Return to step %(no)s", no=step_name(step.sop, step.kembali_no))
        result.append(Transition("kembali", label, step.kembali_no, True))
    return result


def user_role_ids(user) -> set[int]:
    return {role.id for role in getattr(user, "roles", []) or []}


def holds(user, actor: Pelaksana) -> bool:
    return actor.role_id in user_role_ids(user)


def may_act(user, step: Langkah) -> bool:
    """May the user perform the step (take its transitions, attach files, draft)? Its first actor;
    on a "salah_satu" step, any of its actors."""
    if holds(user, step.pelaksana):
        return True
    return step.bersama == Bersama.SALAH_SATU and any(holds(user, p) for p in step.pelaksana_lain)


def is_actor(user, step: Langkah) -> bool:
    """Is the user one of the actors marked on the step (who may at least comment)?"""
    return any(holds(user, p) for p in step.aktor)


def acting_as(user, step: Langkah) -> Pelaksana | None:
    """The actor column the user acts for on this step (the first actor's if they hold it)."""
    return next((p for p in step.aktor if holds(user, p)), None)


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


BRANCH_OUTCOMES = ("ya", "tidak", "lanjut", "kembali", "selesai")


def parse_condition(spec: str | None) -> list[tuple[int, str]]:
    """ "2:ya, 5:lanjut" -> [(2, "ya"), (5, "lanjut")]; ValueError on anything else."""
    result = []
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        no, sep, outcome = part.partition(":")
        if not sep or not no.strip().isdigit() or outcome.strip() not in BRANCH_OUTCOMES:
            raise ValueError(part.strip())
        result.append((int(no), outcome.strip()))
    return result


def branch_open(kasus: Kasus, spec: str | None) -> bool:
    """Branch memory: every "<step>:<outcome>" of the condition holds when the case's latest
    transition out of that step was that outcome (a step never decided holds nothing)."""
    try:
        conditions = parse_condition(spec)
    except ValueError:
        return False  # the step form refuses bad conditions; a bad one closes the branch
    for no, outcome in conditions:
        last = db.session.execute(
            select(KasusRiwayat.transisi)
            .where(KasusRiwayat.kasus_id == kasus.id, KasusRiwayat.dari_no == no)
            .order_by(KasusRiwayat.id.desc())
            .limit(1)
        ).scalar()
        if last != outcome:
            return False
    return True


def case_transitions(kasus: Kasus) -> list[Transition]:
    """The SOP's transitions for the case's current step: branches whose condition on an earlier
    decision does not hold are left out, and the return target is resolved for this case."""
    step = kasus.langkah
    result = []
    for t in step_transitions(step):
        if t.id == "ya" and not branch_open(kasus, step.ya_jika):
            continue
        if t.id == "tidak" and not branch_open(kasus, step.tidak_jika):
            continue
        if t.id == "kembali":
            no = return_target(kasus, step)
            label = step.label_kembali or _("Return to step %(no)s", no=step_name(kasus.sop, no))
            t = Transition("kembali", label, no, True)
        result.append(t)
    return result


def waiting_on(user):
    """SQL condition on Kasus: running cases whose current step waits on one of the user's roles —
    as its first actor, as any actor of a "salah_satu" step, or as an actor of a "semua" step whose
    part is not recorded yet in this visit. For task lists and counts."""
    roles = sorted(user_role_ids(user)) or [-1]
    mine = select(Pelaksana.id).where(Pelaksana.role_id.in_(roles))
    owner = select(Langkah.id).where(Langkah.pelaksana_id.in_(mine))
    coactor = (
        select(langkah_pelaksana_lain.c.langkah_id)
        .join(Langkah, Langkah.id == langkah_pelaksana_lain.c.langkah_id)
        .where(langkah_pelaksana_lain.c.pelaksana_id.in_(mine))
    )
    any_one = coactor.where(Langkah.bersama == Bersama.SALAH_SATU.value)
    each = coactor.where(Langkah.bersama == Bersama.SEMUA.value)
    my_part_done = exists(
        select(KasusTanggapan.id).where(
            KasusTanggapan.kasus_id == Kasus.id, KasusTanggapan.masuk_at == Kasus.masuk_at,
            KasusTanggapan.jenis == "bagian", KasusTanggapan.pelaksana_id.in_(mine),
        )
    )  # fmt: skip
    return and_(
        Kasus.status == StatusKasus.BERJALAN.value,
        or_(
            Kasus.langkah_id.in_(owner), Kasus.langkah_id.in_(any_one), and_(Kasus.langkah_id.in_(each), ~my_part_done)
        ),
    )


def open_transitions(kasus: Kasus, user) -> list[Transition]:
    """Transitions valid for the case's current step that this user's roles allow."""
    if kasus.status != StatusKasus.BERJALAN or kasus.langkah is None or not may_act(user, kasus.langkah):
        return []
    return case_transitions(kasus)


# -- co-actors -----------------------------------------------------------------------------


def visit_responses(kasus: Kasus) -> list[KasusTanggapan]:
    """Comments and parts given at the current step since the case entered it."""
    if kasus.langkah is None:
        return []
    return list(
        db.session.execute(
            select(KasusTanggapan)
            .where(KasusTanggapan.kasus_id == kasus.id, KasusTanggapan.langkah_no == kasus.langkah.no,
                   KasusTanggapan.masuk_at == kasus.masuk_at)
            .order_by(KasusTanggapan.id)
        ).scalars()
    )  # fmt: skip


def missing_parts(kasus: Kasus) -> list[Pelaksana]:
    """On a "semua" step: the other actors whose part is not recorded yet in this visit of the step."""
    step = kasus.langkah
    if step is None or step.bersama != Bersama.SEMUA:
        return []
    done = {t.pelaksana_id for t in visit_responses(kasus) if t.jenis == "bagian"}
    return [p for p in step.aktor[1:] if p.id not in done]


def respond(kasus_id: int, user, jenis: str, komentar: str = "") -> list[KasusTanggapan]:
    """An actor of the current step comments ("komentar"), or another actor of a "semua" step records
    their part done ("bagian", the comment optional). Nothing moves the case."""
    kasus = scoped_case(kasus_id, user)
    if kasus is None:
        raise TransitionError(_l("Case not found."), 404)
    if kasus.status != StatusKasus.BERJALAN:
        raise TransitionError(_l("This case is no longer running."), 409)
    step = kasus.langkah
    if not is_actor(user, step):
        raise TransitionError(_l("You are not one of the actors of step %(no)s.", no=step_name(kasus.sop, step.no)),
                              403)  # fmt: skip
    komentar = (komentar or "").strip()[:4000]
    if jenis == "komentar":
        if not komentar:
            raise TransitionError(_l("Write the comment first."), 422)
        actors = [acting_as(user, step)]
    elif jenis == "bagian":
        if step.bersama != Bersama.SEMUA:
            raise TransitionError(_l("This step does not ask its actors for their parts."), 422)
        actors = [p for p in missing_parts(kasus) if holds(user, p)]
        if not actors:
            if any(holds(user, p) for p in step.aktor[1:]):
                raise TransitionError(_l("Your part of this step is already recorded."), 409)
            raise TransitionError(_l("You complete this step with its buttons once the others have done their part."),
                                  422)  # fmt: skip
    else:
        raise TransitionError(_l("Unknown kind of response."), 422)
    now = utcnow()
    rows = [
        KasusTanggapan(kasus_id=kasus.id, langkah_no=step.no, masuk_at=kasus.masuk_at, pelaksana_id=actor.id,
                       user_id=user.id, jenis=jenis, komentar=komentar, waktu=now)
        for actor in actors
    ]  # fmt: skip
    db.session.add_all(rows)
    db.session.commit()
    return rows


# -- outputs -------------------------------------------------------------------------------


def output_specs(step: Langkah) -> list[str]:
    """The outputs a step names (`keluaran`), plus those its hooks imply (a drafting effect implies
    its document); a kind named with a parameter replaces the same kind without one."""
    specs = list(step.hook_names("keluaran"))
    for kind, registry in (("efek", hooks.EFFECTS), ("guards", hooks.GUARDS)):
        for spec in step.hook_names(kind):
            name, param = hooks.split(spec)
            hook = registry.get(name)
            if hook is not None and hook.output:
                implied = hook.output.replace("{param}", param)
                if implied not in specs:
                    specs.append(implied)
    named = {providers.split(s)[0] for s in specs if providers.split(s)[1]}
    return [s for s in specs if providers.split(s)[1] or providers.split(s)[0] not in named]


def step_outputs(kasus: Kasus, step: Langkah) -> list[providers.Output]:
    """What the step has produced so far for this case (each with a link when it exists)."""
    return providers.outputs_of(kasus, step, output_specs(step))


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


def perform(
    kasus_id: int, transition_id: str, user, comment: str = "", seen_versi: int | None = None,
    confirmed: bool = False, now: dt.datetime | None = None,
) -> Kasus:  # fmt: skip
    """Move one case along one transition, or raise TransitionError and change nothing.
    A transition that initials or signs documents needs `confirmed` (the user saw the confirmation
    page naming them); bulk actions never confirm. `now` (UTC) replays a transition at a past moment
    (demo data, imports); default: the present."""
    kasus = scoped_case(kasus_id, user)
    if kasus is None:
        raise TransitionError(_l("Case not found."), 404)
    refuse_stale(kasus, TransitionError, seen_versi)
    if kasus.status != StatusKasus.BERJALAN:
        raise TransitionError(_l("This case is no longer running."), 409)
    step = kasus.langkah
    if not may_act(user, step):
        raise TransitionError(
            _l("Step %(no)s is not yours: it belongs to %(role)s.", no=step_name(kasus.sop, step.no),
               role=step.pelaksana.nama), 403,
        )  # fmt: skip
    transition = next((t for t in case_transitions(kasus) if t.id == transition_id), None)
    if transition is None:
        raise TransitionError(_l("This action is not available at step %(no)s.", no=step_name(kasus.sop, step.no)),
                              422)  # fmt: skip
    if transition.confirm and not confirmed:
        raise TransitionError(CONFIRM_REQUIRED[transition.confirm], 428)
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise TransitionError(_l("A comment is required for this action."), 422)
    if transition.id != "kembali":
        waiting = missing_parts(kasus)
        if waiting:
            raise TransitionError(
                _l("Waiting for the part of: %(names)s.", names=", ".join(p.nama for p in waiting)), 422
            )
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
    values = {"masuk_at": now}
    if target is None:
        values.update(status=StatusKasus.SELESAI.value, langkah_id=None, due_at=None, selesai_at=now)
    else:
        values.update(langkah_id=target.id, due_at=due_for(kasus, target, now))
    # The case moves in the claim itself; `kasus` keeps the values of the step it leaves for the history row.
    claim(kasus, TransitionError, **values)
    actor = acting_as(user, step) or step.pelaksana
    role = next((r.name for r in user.roles if r.id == actor.role_id), "")
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
    signals.case_moved.send(None, event=moved)
    return kasus  # expired by the commit: a caller that reads it (the API) reloads it then


CONFIRM_REQUIRED = {
    "tanda_tangan": _l("This step signs and numbers documents: confirm it on the case page, after checking them."),
    "paraf": _l("This step initials documents: confirm it on the case page, after checking them."),
}


def refresh_due(kasus: Kasus) -> None:
    """Recompute the running step's due time from when the case entered it, e.g. after an area record
    changed the date the step's budget counts from. The caller commits."""
    if kasus.status == StatusKasus.BERJALAN and kasus.langkah is not None:
        kasus.due_at = due_for(kasus, kasus.langkah, kasus.masuk_at)


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
    jenis = (jenis or "").strip()
    if not jenis:
        raise TransitionError(_l("Choose the kind of document."), 422)
    if jenis not in dict(dokumen.attachment_choices(kasus)):
        raise TransitionError(_l("Choose a kind of document from the list."), 422)
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
    refusal = providers.assignment_refusal(kasus, pegawai)  # e.g. a cooperation request's assessor rules
    if refusal:
        raise TransitionError(refusal, 422)
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
