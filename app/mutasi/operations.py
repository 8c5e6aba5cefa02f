"""Transfer-in applications (mutasi masuk): one function per verb, shared by the views, the API, the SOP
hooks, the demo and the tests. Each refusal is a `MutasiError` (a TransitionError, so a hook that runs
an operation refuses its SOP step as a whole) with the user's message and an HTTP status.

The application belongs to its case: whoever sees the case sees the application (the applicant, an
outside party, only the cases they started; the staff of the case's unit theirs). It is created when
the case starts (the SOP's first step has the effect `mutasi_permohonan`); the applicant completes it
at that step, the administrative staff verify its checklist at the step guarded by `mutasi_verifikasi`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import nip as nip_mod
from app import scope
from app.extensions import db
from app.formatting import orang, tanggal_waktu
from app.models import (
    ItemBerkasMutasi,
    Jabatan,
    JenisDokumen,
    Kasus,
    KasusTanggapan,
    Lampiran,
    Pangkat,
    PermohonanMutasi,
    StatusItem,
    StatusKasus,
)
from app.models.security import utcnow
from app.workflow import engine, hooks
from app.workflow.engine import TransitionError

# The hooks that mark the application's steps in the SOP (any SOP may reuse them).
GUARD_DATA = "mutasi_data"
GUARD_VERIFIKASI = "mutasi_verifikasi"
EFFECT_SERAH = "mutasi_serah"
MAX_TEKS = 5000


class MutasiError(TransitionError):
    """A refused operation on a transfer application; str() is the user's message."""


def _case_rule(r: scope.Reach):
    clause = scope.where_rule(Kasus)(r)
    return None if clause is None else PermohonanMutasi.kasus_id.in_(select(Kasus.id).where(clause))


def _item_rule(r: scope.Reach):
    clause = _case_rule(r)
    return None if clause is None else ItemBerkasMutasi.permohonan_id.in_(select(PermohonanMutasi.id).where(clause))


# The application is seen with its case; its checklist with the application.
scope.register(PermohonanMutasi, _case_rule)
scope.register(ItemBerkasMutasi, _item_rule)


# -- loading ---------------------------------------------------------------------------------------


def permohonan(permohonan_id, user) -> PermohonanMutasi:
    """An application the caller may see, or MutasiError 404."""
    item = scope.get(PermohonanMutasi, permohonan_id, user)
    if item is None:
        raise MutasiError(_l("Transfer application not found."), 404)
    return item


def permohonan_kasus(kasus_id: int, user=None) -> PermohonanMutasi | None:
    """The application of a case (None when it has none or the caller may not see it). Without a user:
    the hooks, which run on a case the engine already loaded through the caller's scope."""
    query = select(PermohonanMutasi) if user is None else scope.scoped(PermohonanMutasi, user)
    return db.session.execute(query.where(PermohonanMutasi.kasus_id == kasus_id)).scalar()


def berkas(item: PermohonanMutasi, jenis: str) -> list[Lampiran]:
    """The case's files of one checklist kind."""
    return [f for f in item.kasus.lampiran if f.jenis == jenis]


def checklist_kinds(instansi_id: int | None) -> list[JenisDokumen]:
    """The agency's document kinds marked as required for a transfer (its own and every agency's)."""
    query = (
        select(JenisDokumen)
        .where(JenisDokumen.syarat_mutasi.is_(True))
        .where((JenisDokumen.instansi_id == instansi_id) | JenisDokumen.instansi_id.is_(None))
        .order_by(JenisDokumen.instansi_id.is_(None), JenisDokumen.id)
    )
    kinds: dict[str, JenisDokumen] = {}
    for row in db.session.execute(query).scalars():
        kinds.setdefault(row.kode, row)
    return list(kinds.values())


# -- creating and completing -----------------------------------------------------------------------


def buat_untuk_kasus(kasus: Kasus, user) -> PermohonanMutasi:
    """The case's application, created empty with the agency's checklist (the caller commits)."""
    found = permohonan_kasus(kasus.id)
    if found is not None:
        return found
    pegawai = getattr(user, "pegawai", None)
    item = PermohonanMutasi(
        kasus=kasus,
        dibuat_oleh_id=getattr(user, "id", None),
        dibuat_at=utcnow(),
        nama=(pegawai.nama if pegawai else orang(user))[:150],
    )
    for order, kind in enumerate(checklist_kinds(kasus.unit_kerja.instansi_id), start=1):
        item.items.append(ItemBerkasMutasi(urutan=order, jenis=kind.kode, nama=kind.nama))
    db.session.add(item)
    db.session.flush()
    return item


@dataclass
class DataPermohonan:
    """The applicant's data as typed in the form or sent to the API."""

    nip: str = ""
    nama: str = ""
    gelar_depan: str = ""
    gelar_belakang: str = ""
    instansi_asal: str = ""
    jabatan_asal: str = ""
    pangkat_id: int | None = None
    formasi: str = ""
    alasan: str = ""


TEXT_LIMITS = {
    "nama": 150,
    "gelar_depan": 40,
    "gelar_belakang": 80,
    "instansi_asal": 200,
    "jabatan_asal": 200,
    "formasi": 250,
    "alasan": MAX_TEKS,
}
LABELS = {
    "nip": _l("NIP"),
    "nama": _l("Name"),
    "gelar_depan": _l("Title before the name"),
    "gelar_belakang": _l("Title after the name"),
    "instansi_asal": _l("Agency of origin"),
    "jabatan_asal": _l("Current position"),
    "pangkat": _l("Rank/grade"),
    "jabatan_target": _l("Position assessed against"),
    "formasi": _l("Formation / unit applied for"),
    "alasan": _l("Reason for the transfer"),
}


def _at_step(item: PermohonanMutasi, user, guard: str) -> None:
    """The case is at the step marked by `guard` and the user is its actor; else MutasiError."""
    kasus = item.kasus
    step = kasus.langkah
    if kasus.status != StatusKasus.BERJALAN or step is None:
        raise MutasiError(_l("The case of this application is no longer running."), 409)
    if guard not in {hooks.split(s)[0] for s in step.hook_names("guards")}:
        raise MutasiError(
            _l("This cannot be done at the current step (%(step)s).", step=engine.step_name(kasus.sop, step.no)), 409
        )
    if not engine.may_act(user, step):
        raise MutasiError(_l("Only the actor of the current step can do this."), 403)


def _values(data: DataPermohonan) -> dict:
    """The applicant's data checked (NIP by the BKN rules, lengths, rank), or MutasiError naming every problem."""
    errors: list[str] = []
    values: dict = {}
    try:
        values["nip"] = nip_mod.parse(data.nip).digits
    except nip_mod.NipError as exc:
        errors.append(str(exc))
    for field, limit in TEXT_LIMITS.items():
        text = (getattr(data, field) or "").strip()
        if len(text) > limit:
            errors.append(str(_l("%(field)s is longer than %(n)d characters.", field=LABELS[field], n=limit)))
        values[field] = text
    if not values["nama"]:
        errors.append(str(_l("The name is required.")))
    values["pangkat"] = db.session.get(Pangkat, data.pangkat_id) if data.pangkat_id else None
    if data.pangkat_id and values["pangkat"] is None:
        errors.append(str(_l("The rank/grade does not exist.")))
    if errors:
        raise MutasiError(" ".join(e if e.endswith(".") else e + "." for e in errors), 422)
    return values


def ubah(permohonan_id: int, user, data: DataPermohonan) -> PermohonanMutasi:
    """Fill in or correct the applicant's data while the application is being submitted (its step)."""
    item = permohonan(permohonan_id, user)
    _at_step(item, user, GUARD_DATA)
    for field, value in _values(data).items():
        setattr(item, field, value)
    db.session.commit()
    return item


def ajukan(user, sop_id: int, data: DataPermohonan) -> PermohonanMutasi:
    """Apply: start a case of the transfer SOP (its first step creates the application) with the data."""
    values = _values(data)  # checked before anything starts
    judul = str(_l("Transfer-in application of %(name)s", name=values["nama"]))
    kasus = engine.start_case(sop_id, judul, user)
    item = buat_untuk_kasus(kasus, user)
    for field, value in values.items():
        setattr(item, field, value)
    db.session.commit()
    return item


def kurang_data(item: PermohonanMutasi) -> list[str]:
    """The applicant's data still missing, as field names."""
    missing = [LABELS[f] for f in ("nip", "nama", "instansi_asal", "jabatan_asal", "alasan") if not getattr(item, f)]
    if item.pangkat_id is None:
        missing.append(LABELS["pangkat"])
    if not item.formasi:
        missing.append(LABELS["formasi"])
    return [str(m) for m in missing]


def unggah(permohonan_id: int, user, jenis: str, filename: str, mime: str, data: bytes) -> Lampiran:
    """Upload the file of one checklist item: an attachment of the case (the actor of the current step)."""
    item = permohonan(permohonan_id, user)
    if jenis not in {i.jenis for i in item.items}:
        raise MutasiError(_l("Choose a document of the checklist."), 422)
    return engine.attach(item.kasus_id, user, jenis, filename, mime, data)


# -- verification (step 2) -------------------------------------------------------------------------


def verifikasi(
    permohonan_id: int, user, putusan: Mapping[int, tuple[str, str]], jabatan_target_id: int | None = None
) -> PermohonanMutasi:
    """Record the verdict on checklist items: {item id: (status, note)}, and the position of the agency
    whose standard the applicant is assessed against. "tidak_sesuai" needs a note; "sesuai" needs the
    file. All or nothing: one bad verdict refuses them all."""
    item = permohonan(permohonan_id, user)
    _at_step(item, user, GUARD_VERIFIKASI)
    by_id = {i.id: i for i in item.items}
    errors: list[str] = []
    target = scope.get(Jabatan, jabatan_target_id, user) if jabatan_target_id else None
    if jabatan_target_id and target is None:
        errors.append(str(_l("the target position does not exist")))
    changes: list[tuple[ItemBerkasMutasi, str, str]] = []
    for item_id, (status, catatan) in putusan.items():
        row = by_id.get(item_id)
        if row is None:
            errors.append(str(_l("item %(id)s is not on this application's checklist", id=item_id)))
            continue
        catatan = (catatan or "").strip()
        if status not in {s.value for s in StatusItem}:
            errors.append(str(_l("%(item)s: choose meets or does not meet the requirement", item=row.nama)))
        elif status == StatusItem.TIDAK_SESUAI and not catatan:
            errors.append(str(_l("%(item)s: write why it does not meet the requirement", item=row.nama)))
        elif status == StatusItem.SESUAI and not berkas(item, row.jenis):
            errors.append(
                str(_l("%(item)s: no file has been uploaded, so it cannot meet the requirement", item=row.nama))
            )
        elif len(catatan) > MAX_TEKS:
            errors.append(str(_l("%(item)s: the note is too long", item=row.nama)))
        else:
            changes.append((row, status, catatan))
    if errors:
        raise MutasiError(_kalimat(errors), 422)
    for row, status, catatan in changes:
        row.status, row.catatan = status, catatan
    if target is not None:
        item.jabatan_target = target
    item.diverifikasi_oleh_id, item.diverifikasi_at = user.id, utcnow()
    db.session.commit()
    return item


def belum_memenuhi(item: PermohonanMutasi) -> list[ItemBerkasMutasi]:
    """Checklist items that stop the file: no file, not verified, or verified as not meeting it."""
    return [i for i in item.items if not berkas(item, i.jenis) or i.status != StatusItem.SESUAI]


def alasan_item(item: PermohonanMutasi, row: ItemBerkasMutasi) -> str:
    """Why one item stops the file, as the rejection letter and the refusal say it."""
    if not berkas(item, row.jenis):
        return str(_l("not submitted"))
    if row.status == StatusItem.TIDAK_SESUAI:
        return str(_l("does not meet the requirement")) + (f" ({row.catatan})" if row.catatan else "")
    return str(_l("not verified yet"))


def _kalimat(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


# -- hand-over of the report (step 10) --------------------------------------------------------------


def langkah_serah(kasus: Kasus):
    """The SOP's hand-over step (the one whose completion records it), or None."""
    return next(
        (s for s in kasus.sop.langkah if EFFECT_SERAH in {hooks.split(x)[0] for x in s.hook_names("efek")}), None
    )


def penerimaan(kasus: Kasus) -> list[KasusTanggapan]:
    """The recipients' parts at the hand-over step, in its latest visit."""
    step = langkah_serah(kasus)
    if step is None:
        return []
    rows = list(
        db.session.execute(
            select(KasusTanggapan)
            .where(
                KasusTanggapan.kasus_id == kasus.id,
                KasusTanggapan.langkah_no == step.no,
                KasusTanggapan.jenis == "bagian",
            )
            .order_by(KasusTanggapan.id)
        ).scalars()
    )
    latest = max((r.masuk_at for r in rows), default=None)
    return [r for r in rows if r.masuk_at == latest]


def catat_penyerahan(kasus: Kasus, now: dt.datetime | None = None) -> PermohonanMutasi | None:
    """On completing the hand-over: whom the report was given to (each recipient's part, with its time)
    and when, kept on the application (the caller commits)."""
    item = permohonan_kasus(kasus.id)
    if item is None:
        return None
    item.diserahkan_kepada = "\n".join(
        f"{t.pelaksana.nama if t.pelaksana else ''}: {orang(t.user)} ({tanggal_waktu(t.waktu)})"
        for t in penerimaan(kasus)
    )
    item.diserahkan_at = now or utcnow()
    return item
