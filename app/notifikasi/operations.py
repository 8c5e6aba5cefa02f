"""Who is told what, and when: one function per verb.

- A case enters a step: the holders of the step's role who can see the case get "a new task" (or
  "returned to you" with the note, or "a document to initial / sign" when the step initials or signs
  the case's documents). The engine's `case_moved` signal calls `on_case_moved` after its commit.
- A hand-made document (no SOP step) changes: the next reviewer, the signer, or on a return the
  drafter is told (`on_document_changed`, called by the document views after their commit).
- A step passes its due time: `sync_overdue` tells the holders once per step entry; the daily
  digest (`send_digest`, `flask penkom digest`) runs it for everyone and e-mails the list.
- QC returns an individual report: its writer is told, with the notes (`report_returned`).

Every notification is stored once per person and event (`kunci`), so repeating a check is harmless.
E-mail goes out right after the in-app notification when MAIL_SERVER is configured (overdue items
only in the daily digest); a mail failure is logged and never undoes the work that caused it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app, has_request_context, url_for
from flask_appbuilder.security.sqla.models import Role
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app import scope
from app.extensions import db
from app.formatting import tanggal_waktu
from app.models import (
    JenisNotifikasi,
    Kasus,
    Langkah,
    NaskahDinas,
    Notifikasi,
    PenkomUser,
    StatusKasus,
    StatusNaskah,
)
from app.models.naskah import EDITABLE
from app.models.security import utcnow
from app.notifikasi import mail
from app.workflow import signals, tugas

# Notifications are personal: nobody, not even an administrator, reads another person's.
scope.register(Notifikasi, lambda r: Notifikasi.user_id == (r.user_id if r.user_id is not None else scope.NO_UNIT))

SIGN_EFFECT = "naskah_tanda_tangan"


def display_name(user) -> str:
    """How a person is named in a notification: the civil servant's name with titles, else the account's."""
    if user is None:
        return ""
    if getattr(user, "pegawai", None):
        return user.pegawai.nama_lengkap
    return f"{user.first_name or ''} {user.last_name or ''}".replace(" -", "").strip() or user.username


# -- who ---------------------------------------------------------------------------------------------


def sees_case(user, kasus: Kasus) -> bool:
    clause = scope.where(Kasus, user)
    if clause is None:
        return True
    return db.session.execute(select(Kasus.id).where(Kasus.id == kasus.id, clause)).first() is not None


def step_holders(kasus: Kasus, step: Langkah) -> list[PenkomUser]:
    """Active users holding the role of the step's actor who may see the case."""
    users = db.session.execute(
        select(PenkomUser)
        .join(PenkomUser.roles)
        .where(Role.id == step.pelaksana.role_id, PenkomUser.active.is_(True))
        .order_by(PenkomUser.id)
    ).scalars().unique()  # fmt: skip
    return [user for user in users if sees_case(user, kasus)]


def users_of_pegawai(pegawai_id: int | None) -> list[PenkomUser]:
    if pegawai_id is None:
        return []
    query = select(PenkomUser).where(PenkomUser.pegawai_id == pegawai_id, PenkomUser.active.is_(True))
    return list(db.session.execute(query).scalars())


# -- creating ---------------------------------------------------------------------------------------


@dataclass
class Draft:
    """One notification about to be stored (for several recipients)."""

    jenis: JenisNotifikasi
    kunci: str
    kasus: Kasus | None = None
    naskah: NaskahDinas | None = None
    catatan: str = ""
    oleh: str = ""
    extra: dict = field(default_factory=dict)
    subjek: str = ""  # for a record that is neither a case nor a document
    tautan: str = ""  # its page (a local path)


def _store(draft: Draft, recipients: list[PenkomUser]) -> list[Notifikasi]:
    """Add the notification for every recipient who does not have it yet (by `kunci`)."""
    if not recipients:
        return []
    have = set(db.session.execute(
        select(Notifikasi.user_id).where(Notifikasi.kunci == draft.kunci,
                                         Notifikasi.user_id.in_([u.id for u in recipients]))
    ).scalars())  # fmt: skip
    kasus, naskah = draft.kasus, draft.naskah
    step = kasus.langkah if kasus is not None and kasus.status == StatusKasus.BERJALAN.value else None
    created = []
    for user in recipients:
        if user.id in have:
            continue
        item = Notifikasi(
            user_id=user.id, jenis=draft.jenis.value, kunci=draft.kunci[:120],
            kasus_id=kasus.id if kasus else (naskah.kasus_id if naskah else None),
            naskah_id=naskah.id if naskah else None,
            langkah_no=step.no if step else None, langkah_nama=(step.kegiatan if step else "")[:250],
            subjek=(draft.subjek or (naskah.perihal if naskah else kasus.judul) or "")[:500],
            catatan=draft.catatan or "", tautan=draft.tautan[:300],
            oleh=draft.oleh[:200], due_at=kasus.due_at if kasus else None, dibuat_at=utcnow(),
        )  # fmt: skip
        db.session.add(item)
        created.append(item)
        have.add(user.id)
    return created


def _case_documents(kasus: Kasus, statuses) -> list[NaskahDinas]:
    query = select(NaskahDinas).where(NaskahDinas.kasus_id == kasus.id, NaskahDinas.status.in_(list(statuses)))
    return list(db.session.execute(query.order_by(NaskahDinas.id)).scalars())


def _signs_here(step: Langkah) -> bool:
    return any(spec.split(":")[0].strip() == SIGN_EFFECT for spec in step.hook_names("efek"))


def settle_done(kasus: Kasus) -> int:
    """The case has moved on: what its earlier steps asked of people is done (marked read)."""
    current = f"kasus:{kasus.id}:v{kasus.versi}:"
    return db.session.execute(
        update(Notifikasi)
        .where(Notifikasi.kasus_id == kasus.id, Notifikasi.dibaca_at.is_(None),
               Notifikasi.kunci.like(f"kasus:{kasus.id}:v%"), ~Notifikasi.kunci.startswith(current))
        .values(dibaca_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip


def case_moved(event: signals.CaseMoved) -> list[Notifikasi]:
    """Tell the holders of the step a case has just entered; return the new notifications (committed).
    Notifications about the steps it left are settled (marked read): nobody needs to act on them now."""
    kasus = db.session.get(Kasus, event.kasus_id)
    if kasus is None:
        return []
    settle_done(kasus)
    if kasus.status != StatusKasus.BERJALAN.value or kasus.langkah is None:
        db.session.commit()
        return []
    step = kasus.langkah
    actor = db.session.get(PenkomUser, event.user_id) if event.user_id else None
    recipients = [u for u in step_holders(kasus, step) if u.id != event.user_id]
    if not recipients:
        db.session.commit()
        return []
    base = f"kasus:{kasus.id}:v{kasus.versi}"
    oleh = display_name(actor)
    returned = event.transition == "kembali" or (
        event.from_no is not None and event.to_no is not None and event.to_no < event.from_no and event.comment
    )
    drafts: list[Draft] = []
    if returned:
        drafts.append(Draft(JenisNotifikasi.KEMBALI, f"{base}:kembali", kasus, catatan=event.comment, oleh=oleh))
    else:
        for naskah in _case_documents(kasus, EDITABLE):
            row = naskah.pemeriksa_berikut
            if row is not None and row.langkah_no == step.no:
                drafts.append(Draft(JenisNotifikasi.PARAF, f"{base}:paraf:{naskah.id}", kasus, naskah, oleh=oleh))
        if _signs_here(step):
            for naskah in _case_documents(kasus, (StatusNaskah.DIPARAF.value,)):
                drafts.append(Draft(JenisNotifikasi.TANDA_TANGAN, f"{base}:ttd:{naskah.id}", kasus, naskah, oleh=oleh))
        if not drafts:
            drafts.append(Draft(JenisNotifikasi.TUGAS, f"{base}:tugas", kasus, oleh=oleh))
    created = [item for draft in drafts for item in _store(draft, recipients)]
    db.session.commit()
    email_now(created)
    return created


def returned_to_drafter(naskah: NaskahDinas) -> bool:
    """Returned with a note and not changed since: it waits for its drafter, not for a reviewer."""
    return (
        naskah.status == StatusNaskah.DIKEMBALIKAN.value
        and bool(naskah.riwayat)
        and (naskah.riwayat[-1].aksi == "kembali")
    )


def _rounds(naskah: NaskahDinas) -> int:
    """How many times the document was returned: each return starts a new round of notifications."""
    return sum(1 for row in naskah.riwayat if row.aksi == "kembali")


def document_changed(naskah_id: int, actor=None) -> list[Notifikasi]:
    """After a change to a document outside an SOP step: tell whoever must act on it next."""
    from app.documents.naskah import readiness_errors

    naskah = db.session.get(NaskahDinas, naskah_id)
    if naskah is None:
        return []
    kasus = naskah.kasus
    if naskah.langkah_no is not None and kasus is not None and kasus.status == StatusKasus.BERJALAN.value:
        return []  # the case's steps carry it; `case_moved` tells their holders
    rounds, oleh = _rounds(naskah), display_name(actor)
    actor_id = getattr(actor, "id", None)
    drafts: list[tuple[Draft, list[PenkomUser]]] = []
    ready = not readiness_errors(naskah)
    row = naskah.pemeriksa_berikut
    returned = returned_to_drafter(naskah)
    if naskah.status in EDITABLE and not returned and row is not None and row.pegawai_id and ready:
        drafts.append((Draft(JenisNotifikasi.PARAF, f"naskah:{naskah.id}:r{rounds}:paraf:{row.id}", None, naskah,
                             oleh=oleh), users_of_pegawai(row.pegawai_id)))  # fmt: skip
    chainless = naskah.status == StatusNaskah.KONSEP.value and not naskah.pemeriksa
    if (naskah.status == StatusNaskah.DIPARAF.value or chainless) and ready:
        key = f"naskah:{naskah.id}:r{rounds}:ttd"
        drafts.append((Draft(JenisNotifikasi.TANDA_TANGAN, key, None, naskah, oleh=oleh),
                       users_of_pegawai(naskah.penandatangan_id)))  # fmt: skip
    if returned and naskah.dibuat_oleh is not None:
        drafts.append((Draft(JenisNotifikasi.KEMBALI, f"naskah:{naskah.id}:r{rounds}:kembali", None, naskah,
                             catatan=naskah.catatan_kembali or "", oleh=oleh), [naskah.dibuat_oleh]))  # fmt: skip
    created = []
    for draft, users in drafts:
        created += _store(draft, [u for u in users if u.id != actor_id and u.active])
    db.session.commit()
    email_now(created)
    return created


def sync_overdue(user=None, now: dt.datetime | None = None) -> dict[int, list[Kasus]]:
    """Create the "overdue" notification of every overdue step entry (for one user, or everyone);
    return {user id: overdue cases waiting on that user}. Commits."""
    from app.workflow.engine import overdue

    waiting: dict[int, list[Kasus]] = {}
    if user is not None:
        cases = tugas.overdue_for(user, now)
        for kasus in cases:
            _store(Draft(JenisNotifikasi.TERLAMBAT, f"kasus:{kasus.id}:v{kasus.versi}:terlambat", kasus), [user])
        waiting[user.id] = cases
    else:
        for kasus in overdue(None, now):
            holders = step_holders(kasus, kasus.langkah)
            _store(Draft(JenisNotifikasi.TERLAMBAT, f"kasus:{kasus.id}:v{kasus.versi}:terlambat", kasus), holders)
            for holder in holders:
                waiting.setdefault(holder.id, []).append(kasus)
    db.session.commit()
    return waiting


# -- reading ----------------------------------------------------------------------------------------


def mine(user, limit: int = 50, offset: int = 0) -> list[Notifikasi]:
    query = scope.scoped(Notifikasi, user).order_by(Notifikasi.dibuat_at.desc(), Notifikasi.id.desc())
    return list(db.session.execute(query.limit(limit).offset(offset)).scalars())


def count_mine(user) -> int:
    clause = scope.where(Notifikasi, user)
    return db.session.execute(select(func.count(Notifikasi.id)).where(clause)).scalar_one()


def unread_count(user) -> int:
    clause = scope.where(Notifikasi, user)
    return db.session.execute(
        select(func.count(Notifikasi.id)).where(clause, Notifikasi.dibaca_at.is_(None))
    ).scalar_one()


def mark_read(notifikasi_id: int, user) -> Notifikasi | None:
    """Mark one of the user's notifications read; None when it is not theirs."""
    item = scope.get(Notifikasi, notifikasi_id, user)
    if item is not None and item.dibaca_at is None:
        item.dibaca_at = utcnow()
        db.session.commit()
    return item


def mark_all_read(user) -> int:
    changed = db.session.execute(
        update(Notifikasi).where(scope.where(Notifikasi, user), Notifikasi.dibaca_at.is_(None))
        .values(dibaca_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    db.session.commit()
    return changed


def report_returned(laporan, actor) -> list[Notifikasi]:
    """QC returned an individual report: its writer (the assessor's accounts) gets it with the notes.
    Called after the QC commit; each return is its own notification."""
    draft = Draft(JenisNotifikasi.LAPORAN_KEMBALI, f"laporan:{laporan.id}:k{laporan.jumlah_kembali}",
                  catatan=laporan.qc_catatan or "", oleh=display_name(actor),
                  subjek=f"{laporan.peserta.nama_lengkap} — {laporan.kegiatan.nama}",
                  tautan=_path("LaporanView.show", pk=laporan.id))  # fmt: skip
    actor_id = getattr(actor, "id", None)
    created = _store(draft, [u for u in users_of_pegawai(laporan.asesor_id) if u.id != actor_id])
    db.session.commit()
    email_now(created)
    return created


def target_path(item: Notifikasi) -> str:
    """The page a notification is about (a path; mail.absolute_url makes a link of it)."""
    if item.tautan:
        return item.tautan
    if item.naskah_id:
        endpoint, args = "NaskahDinasView.show", {"pk": item.naskah_id}
    elif item.kasus_id:
        endpoint, args = "KasusView.show", {"pk": item.kasus_id}
    else:
        endpoint, args = "NotifikasiView.index", {}
    return _path(endpoint, **args)


def _path(endpoint: str, **args) -> str:
    if has_request_context():
        return url_for(endpoint, **args)
    with current_app.test_request_context():  # a job or command: the same routes, without a request
        return url_for(endpoint, **args)


def title(item: Notifikasi) -> str:
    """One line in the reader's language."""
    jenis = item.jenis
    if jenis == JenisNotifikasi.TUGAS:
        return _("Case #%(id)s waits for you at step %(no)s", id=item.kasus_id, no=item.langkah_no)
    if jenis == JenisNotifikasi.KEMBALI and item.naskah_id and not item.langkah_no:
        return _("Your document was returned with a note")
    if jenis == JenisNotifikasi.KEMBALI:
        return _("Case #%(id)s was returned to you at step %(no)s", id=item.kasus_id, no=item.langkah_no)
    if jenis == JenisNotifikasi.PARAF:
        return _("A document waits for your initials")
    if jenis == JenisNotifikasi.TANDA_TANGAN:
        return _("A document waits for your signature")
    if jenis == JenisNotifikasi.TERLAMBAT:
        return _("Step %(no)s of case #%(id)s is overdue", id=item.kasus_id, no=item.langkah_no)
    if jenis == JenisNotifikasi.LAPORAN_KEMBALI:
        return _("QC returned your individual report with notes")
    return item.jenis_label


def body_lines(item: Notifikasi) -> list[str]:
    """The details under the title: subject, step, due time, who, and the note of a return."""
    result = [item.subjek or ""]
    if item.langkah_no:
        result.append(_("Step %(no)s: %(name)s", no=item.langkah_no, name=item.langkah_nama or ""))
    if item.due_at:
        result.append(_("Due: %(when)s", when=tanggal_waktu(item.due_at)))
    if item.oleh:
        result.append(_("By: %(name)s", name=item.oleh))
    if item.catatan:
        result.append(_("Note: %(note)s", note=item.catatan))
    return [line for line in result if line]


# -- e-mail -------------------------------------------------------------------------------------------


def _default_locale():
    return force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "id"))


def email_now(items: list[Notifikasi]) -> int:
    """E-mail each new notification to its recipient (not overdue items: those go in the daily digest)."""
    if not items or not mail.configured():
        return 0
    sent = 0
    with _default_locale():
        for item in items:
            if item.jenis == JenisNotifikasi.TERLAMBAT or not mail.deliverable(item.user.email):
                continue
            body = "\n".join([*body_lines(item), "", mail.absolute_url(target_path(item)), "", _footer()])
            try:
                mail.send(item.user.email, f"[Penkom] {title(item)}", body)
            except mail.MailError:
                current_app.logger.exception("notification e-mail to user %s failed", item.user_id)
                continue
            item.email_at = utcnow()
            sent += 1
    db.session.commit()
    return sent


def _footer() -> str:
    return _("This message was sent by Penkom. Manage your work at %(url)s", url=mail.absolute_url("/"))


def _case_path(kasus_id: int) -> str:
    with current_app.test_request_context():
        return url_for("KasusView.show", pk=kasus_id)


@dataclass
class DigestResult:
    users: int = 0  # people with overdue work
    cases: int = 0  # overdue step entries
    emails: int = 0  # digests sent
    failed: int = 0
    mail_configured: bool = False


def send_digest(now: dt.datetime | None = None) -> DigestResult:
    """The daily overdue digest: create the overdue notifications, then e-mail each person the list
    of overdue steps waiting on them (one message per person)."""
    waiting = sync_overdue(None, now)
    result = DigestResult(users=len(waiting), mail_configured=mail.configured())
    result.cases = len({k.id for cases in waiting.values() for k in cases})
    if not result.mail_configured:
        return result
    with _default_locale():
        for user_id, cases in waiting.items():
            user = db.session.get(PenkomUser, user_id)
            if user is None or not mail.deliverable(user.email):
                continue
            lines = [_("Overdue steps waiting on you:"), ""]
            for kasus in cases:
                lines.append(f"#{kasus.id} {kasus.judul}")
                lines.append("  " + _("Step %(no)s: %(name)s", no=kasus.langkah.no, name=kasus.langkah.kegiatan))
                lines.append("  " + _("Due: %(when)s", when=tanggal_waktu(kasus.due_at)))
                lines.append("  " + mail.absolute_url(_case_path(kasus.id)))
            lines += ["", _footer()]
            subject = _("[Penkom] %(n)d overdue step(s) waiting on you", n=len(cases))
            try:
                mail.send(user.email, subject, "\n".join(lines))
            except mail.MailError:
                current_app.logger.exception("digest e-mail to user %s failed", user_id)
                result.failed += 1
                continue
            db.session.execute(
                update(Notifikasi).where(Notifikasi.user_id == user_id, Notifikasi.jenis == JenisNotifikasi.TERLAMBAT,
                                         Notifikasi.email_at.is_(None)).values(email_at=utcnow())
            )  # fmt: skip
            result.emails += 1
    db.session.commit()
    return result


# -- the engine's signal --------------------------------------------------------------------------------


@signals.case_moved.connect
def on_case_moved(sender, event: signals.CaseMoved, **extra) -> None:
    """After a transition's commit: notify. A failure is logged; the transition itself stands."""
    try:
        case_moved(event)
    except Exception:
        db.session.rollback()
        current_app.logger.exception("notifications for case %s failed", event.kasus_id)


def on_document_changed(naskah_id: int, actor) -> None:
    """For the document views and API, after their commit; never raises."""
    try:
        document_changed(naskah_id, actor)
    except Exception:
        db.session.rollback()
        current_app.logger.exception("notifications for document %s failed", naskah_id)
