"""Operations on cooperation requests (kerja sama penilaian kompetensi): one function per state change,
shared by the screens, the REST API, the SOP hooks, the demo and the tests.

A request belongs to its SOP case: whoever sees the case sees the request (the scope rule below). It is
created when the case starts (the step-1 effect `kerjasama`; the register's "add" page starts the case),
changed while the case runs, and never deleted on its own. The assessors it receives are the case's
assigned people (`KasusPetugas`, through `engine.assign`): only active assessors of the agency's assessor
register, and only when they are free on the request's dates — not on the team of another assessment
event, nor assigned to another cooperation request, on overlapping days. Bad input raises
`KerjasamaError` with a message for the user and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from app import scope
from app.extensions import db
from app.formatting import tanggal
from app.models import (
    AnggotaTim,
    Gelombang,
    Kasus,
    KasusPetugas,
    KegiatanPenilaian,
    Pegawai,
    PermintaanKerjasama,
    RegisterAsesor,
    Sop,
    StatusKasus,
)
from app.models.kerjasama import Keputusan
from app.models.penilaian import JenisAsesor
from app.models.security import utcnow
from app.workflow import engine
from app.workflow.engine import TransitionError

MAX_TEKS = 5000
MAX_ASESOR = 100


class KerjasamaError(TransitionError):
    """A refused operation on a cooperation request; str() is the user's message, `status` the HTTP status."""


def _rule(r: scope.Reach):
    """A request is seen by whoever sees its case."""
    clause = scope.where_rule(Kasus)(r)
    if clause is None:
        return None
    return PermintaanKerjasama.kasus_id.in_(select(Kasus.id).where(clause))


scope.register(PermintaanKerjasama, _rule)


# -- loading -------------------------------------------------------------------------------------------


def permintaan(pk, user) -> PermintaanKerjasama:
    """A request the caller may see, or KerjasamaError 404."""
    item = scope.get(PermintaanKerjasama, pk, user)
    if item is None:
        raise KerjasamaError(_l("Cooperation request not found."), 404)
    return item


def permintaan_kasus(kasus_id: int) -> PermintaanKerjasama | None:
    """The request of a case the caller already loaded through the scope (hooks, providers)."""
    return db.session.execute(select(PermintaanKerjasama).where(PermintaanKerjasama.kasus_id == kasus_id)).scalar()


def uses_request(sop: Sop) -> bool:
    """Does this SOP keep a cooperation request (one of its steps creates it)?"""
    return any(spec.split(":")[0].strip() == "kerjasama" for step in sop.langkah for spec in step.hook_names("efek"))


def startable_sops(user) -> list[Sop]:
    """SOP revisions in force the caller may start whose cases keep a cooperation request."""
    query = scope.scoped_sops(user).where(Sop.berlaku.is_(True)).order_by(Sop.nama)
    return [s for s in db.session.execute(query).scalars()
            if s.langkah and uses_request(s) and engine.may_act(user, s.langkah[0])]  # fmt: skip


# -- the register's fields -------------------------------------------------------------------------------

TEXT_FIELDS = {"nomor_surat": 100, "instansi_peminta": 250, "perihal": 250, "tempat": 250, "disposisi": MAX_TEKS}
DATE_FIELDS = ("tanggal_surat", "tanggal_mulai", "tanggal_selesai")
FIELDS = (*TEXT_FIELDS, *DATE_FIELDS, "jumlah_asesor", "jenis_asesor")


def clean(values: dict) -> dict:
    """The request's fields checked and normalised; KerjasamaError 422 naming the first bad one."""
    result = {}
    for name, value in values.items():
        if name not in FIELDS:
            continue
        if name in TEXT_FIELDS:
            text = " ".join(str(value or "").split()) if name != "disposisi" else str(value or "").strip()
            if len(text) > TEXT_FIELDS[name]:
                raise KerjasamaError(_l("%(field)s is too long (at most %(n)d characters).", field=LABELS[name],
                                        n=TEXT_FIELDS[name]), 422)  # fmt: skip
            result[name] = text
        elif name in DATE_FIELDS:
            if value is not None and not isinstance(value, dt.date):
                raise KerjasamaError(_l("%(field)s must be a date.", field=LABELS[name]), 422)
            result[name] = value
        elif name == "jumlah_asesor":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not 1 <= value <= MAX_ASESOR):  # fmt: skip
                raise KerjasamaError(_l("The number of assessors asked must be between 1 and %(n)d.", n=MAX_ASESOR),
                                     422)  # fmt: skip
            result[name] = value
        elif name == "jenis_asesor":
            try:
                result[name] = JenisAsesor(value).value if value else None
            except ValueError:
                raise KerjasamaError(_l("Choose the kind of assessors asked from the list."), 422) from None
    return result


LABELS = {
    "nomor_surat": _l("Letter number"),
    "tanggal_surat": _l("Letter date"),
    "instansi_peminta": _l("Requesting agency"),
    "perihal": _l("Subject"),
    "tanggal_mulai": _l("Activity start date"),
    "tanggal_selesai": _l("Activity end date"),
    "tempat": _l("Place of the activity"),
    "jumlah_asesor": _l("Number of assessors asked"),
    "jenis_asesor": _l("Kind of assessors asked"),
    "disposisi": _l("Disposition"),
}
# What step 1 needs before the request goes to the discussion with the assessors.
REQUIRED = ("nomor_surat", "tanggal_surat", "instansi_peminta", "perihal", "tanggal_mulai", "tanggal_selesai",
            "tempat", "jumlah_asesor", "jenis_asesor", "disposisi")  # fmt: skip


def missing(item: PermintaanKerjasama) -> list[str]:
    """The names of the fields step 1 still needs."""
    return [str(LABELS[name]) for name in REQUIRED if getattr(item, name) in (None, "")]


def _check_dates(values: dict, item: PermintaanKerjasama | None) -> None:
    start = values.get("tanggal_mulai", item.tanggal_mulai if item else None)
    end = values.get("tanggal_selesai", item.tanggal_selesai if item else None)
    if start and end and end < start:
        raise KerjasamaError(_l("The activity cannot end before it starts."), 422)
    letter = values.get("tanggal_surat", item.tanggal_surat if item else None)
    if letter and start and start < letter:
        raise KerjasamaError(_l("The activity cannot start before the date of the request letter."), 422)


def _may_change(item: PermintaanKerjasama, user) -> None:
    """Whoever holds the case now (an actor of its current step) keeps its request up to date."""
    kasus = item.kasus
    if kasus.status != StatusKasus.BERJALAN:
        raise KerjasamaError(_l("The case of this request has ended; the request can no longer be changed."), 409)
    if not scope.is_admin(user) and not engine.is_actor(user, kasus.langkah):
        raise KerjasamaError(_l("Only the actors of the case's current step can change the request."), 403)


def ubah(pk, user, **values) -> PermintaanKerjasama:
    """Change the request's letter, activity and disposition while its case runs. New dates must leave
    every assessor already chosen free on them; a new end date moves the report's due time."""
    item = permintaan(pk, user)
    _may_change(item, user)
    values = clean(values)
    _check_dates(values, item)
    start = values.get("tanggal_mulai", item.tanggal_mulai)
    end = values.get("tanggal_selesai", item.tanggal_selesai)
    for person in item.kasus.petugas:
        clash = conflicts(person.pegawai_id, start, end, item.kasus_id)
        if clash:
            raise KerjasamaError(double_booking(person.pegawai, clash[0]), 409)
    for name, value in values.items():
        setattr(item, name, value)
    engine.refresh_due(item.kasus)  # step 11 counts from the end date
    db.session.commit()
    return item


def daftar(user, sop_id: int, **values) -> PermintaanKerjasama:
    """Register an incoming request: start the SOP case (its first step creates the request) and fill in
    the request. The fields are checked before the case starts, so a refusal leaves nothing behind."""
    values = clean(values)
    _check_dates(values, None)
    sop = next((s for s in startable_sops(user) if s.id == sop_id), None)
    if sop is None:
        raise KerjasamaError(_l("Choose an SOP for cooperation requests that you may start."), 422)
    judul = values.get("perihal") or ""
    if not judul:
        raise KerjasamaError(_l("%(field)s is required.", field=LABELS["perihal"]), 422)
    if values.get("instansi_peminta"):
        judul = f"{judul} — {values['instansi_peminta']}"
    kasus = engine.start_case(sop.id, judul, user)
    item = permintaan_kasus(kasus.id)
    for name, value in values.items():
        setattr(item, name, value)
    engine.refresh_due(kasus)
    db.session.commit()
    return item


def buat_untuk_kasus(kasus: Kasus) -> PermintaanKerjasama:
    """The request of a case that is starting (the step-1 effect); inside the case's transaction."""
    item = permintaan_kasus(kasus.id)
    if item is None:
        item = PermintaanKerjasama(kasus_id=kasus.id, perihal=kasus.judul[:250], tanggal_mulai=kasus.tanggal_kegiatan,
                                   tanggal_selesai=kasus.tanggal_kegiatan)  # fmt: skip
        db.session.add(item)
        db.session.flush()
    return item


def catat_keputusan(kasus: Kasus, transition_id: str, alasan: str, user) -> None:
    """Step 2: the decision (Diterima = ya, Ditolak = tidak) with its reason, inside the transition."""
    item = permintaan_kasus(kasus.id)
    if item is None:
        raise KerjasamaError(_l("This case has no cooperation request; it cannot record a decision."), 422)
    if transition_id not in ("ya", "tidak"):
        return
    item.keputusan = Keputusan.DITERIMA.value if transition_id == "ya" else Keputusan.DITOLAK.value
    item.alasan_keputusan = (alasan or "").strip()[:MAX_TEKS]
    item.diputuskan_at = utcnow()
    item.diputuskan_oleh_id = getattr(user, "id", None)


# -- availability of assessors ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bentrok:
    """Another engagement of an assessor on overlapping days."""

    apa: str  # "the assessment event X" / "the cooperation request X"
    mulai: dt.date
    selesai: dt.date

    @property
    def tanggal(self) -> str:
        if self.mulai == self.selesai:
            return tanggal(self.mulai)
        return f"{tanggal(self.mulai)} – {tanggal(self.selesai)}"


def _overlap(start_col, end_col, start: dt.date, end: dt.date):
    """Rows whose [start_col, end_col] (an open end means one day) meets [start, end]."""
    return and_(start_col.isnot(None), start_col <= end,
                or_(and_(end_col.is_(None), start_col >= start), end_col >= start))  # fmt: skip


def schedules(pegawai_ids: list[int], start: dt.date | None, end: dt.date | None,
              except_kasus_id: int | None = None) -> dict[int, list[Bentrok]]:  # fmt: skip
    """Per civil servant: their other engagements that meet [start, end] — team membership of an
    assessment event (by its waves' dates, or the event's own dates when no wave has one) and
    assignments to other cooperation requests that were not rejected (running or done)."""
    result: dict[int, list[Bentrok]] = {pid: [] for pid in pegawai_ids}
    if not pegawai_ids or start is None:
        return result
    end = end or start
    waves = db.session.execute(
        select(AnggotaTim.pegawai_id, KegiatanPenilaian.nama, Gelombang.tanggal_mulai, Gelombang.tanggal_selesai)
        .join(KegiatanPenilaian, KegiatanPenilaian.id == AnggotaTim.kegiatan_id)
        .join(Gelombang, Gelombang.kegiatan_id == KegiatanPenilaian.id)
        .where(AnggotaTim.pegawai_id.in_(pegawai_ids), _overlap(Gelombang.tanggal_mulai, Gelombang.tanggal_selesai,
                                                                  start, end))
    ).all()  # fmt: skip
    dated_waves = select(Gelombang.kegiatan_id).where(Gelombang.tanggal_mulai.isnot(None))
    events = db.session.execute(
        select(AnggotaTim.pegawai_id, KegiatanPenilaian.nama, KegiatanPenilaian.tanggal_mulai,
               KegiatanPenilaian.tanggal_selesai)
        .join(KegiatanPenilaian, KegiatanPenilaian.id == AnggotaTim.kegiatan_id)
        .where(AnggotaTim.pegawai_id.in_(pegawai_ids), KegiatanPenilaian.id.not_in(dated_waves),
               _overlap(KegiatanPenilaian.tanggal_mulai, KegiatanPenilaian.tanggal_selesai, start, end))
    ).all()  # fmt: skip
    for pid, nama, mulai, selesai in [*waves, *events]:
        result[pid].append(Bentrok(str(_l("the assessment event %(name)s", name=nama)), mulai, selesai or mulai))
    requests = select(KasusPetugas.pegawai_id, PermintaanKerjasama.instansi_peminta, PermintaanKerjasama.perihal,
                      PermintaanKerjasama.tanggal_mulai, PermintaanKerjasama.tanggal_selesai)  # fmt: skip
    requests = (
        requests.join(PermintaanKerjasama, PermintaanKerjasama.kasus_id == KasusPetugas.kasus_id)
        .join(Kasus, Kasus.id == KasusPetugas.kasus_id)
        .where(KasusPetugas.pegawai_id.in_(pegawai_ids), Kasus.status != StatusKasus.DIBATALKAN.value,
               or_(PermintaanKerjasama.keputusan.is_(None), PermintaanKerjasama.keputusan != Keputusan.DITOLAK.value),
               _overlap(PermintaanKerjasama.tanggal_mulai, PermintaanKerjasama.tanggal_selesai, start, end))
    )  # fmt: skip
    if except_kasus_id is not None:
        requests = requests.where(KasusPetugas.kasus_id != except_kasus_id)
    for pid, peminta, perihal, mulai, selesai in db.session.execute(requests).all():
        what = str(_l("the cooperation request of %(agency)s (%(subject)s)", agency=peminta or "—",
                      subject=perihal or "—"))  # fmt: skip
        result[pid].append(Bentrok(what, mulai, selesai or mulai))
    for rows in result.values():
        rows.sort(key=lambda b: b.mulai)
    return result


def conflicts(pegawai_id: int, start: dt.date | None, end: dt.date | None,
              except_kasus_id: int | None) -> list[Bentrok]:  # fmt: skip
    return schedules([pegawai_id], start, end, except_kasus_id)[pegawai_id]


def double_booking(pegawai: Pegawai, clash: Bentrok) -> str:
    return str(_l("%(name)s is already on duty in %(what)s on %(dates)s; choose another assessor.",
                  name=pegawai.nama_lengkap, what=clash.apa, dates=clash.tanggal))  # fmt: skip


def register_entries(instansi_id: int) -> list[RegisterAsesor]:
    """The agency's active assessors (certificate not expired on the activity's dates is checked when chosen)."""
    query = (select(RegisterAsesor).join(Pegawai, Pegawai.id == RegisterAsesor.pegawai_id)
             .where(RegisterAsesor.instansi_id == instansi_id, RegisterAsesor.aktif.isnot(False),
                    Pegawai.aktif.isnot(False))
             .order_by(RegisterAsesor.jenis, Pegawai.nama))  # fmt: skip
    return list(db.session.execute(query).scalars())


def _entry(kasus: Kasus, pegawai_id: int) -> RegisterAsesor | None:
    return db.session.execute(
        select(RegisterAsesor).where(RegisterAsesor.instansi_id == kasus.unit_kerja.instansi_id,
                                     RegisterAsesor.pegawai_id == pegawai_id, RegisterAsesor.aktif.isnot(False))
    ).scalar()  # fmt: skip


def assignment_refusal(item: PermintaanKerjasama, pegawai: Pegawai) -> str | None:
    """Why `pegawai` may not be assigned to this request now, or None: the request needs its dates,
    the person must be an active assessor of the agency's register whose certificate is valid through
    the activity, and free on its dates."""
    if item.tanggal_mulai is None or item.tanggal_selesai is None:
        return str(_l("Enter the activity dates on the cooperation request before choosing assessors."))
    entry = _entry(item.kasus, pegawai.id)
    if entry is None:
        return str(_l("%(name)s is not an active assessor in the agency's assessor register.",
                      name=pegawai.nama_lengkap))  # fmt: skip
    if entry.berlaku_sampai is not None and entry.berlaku_sampai < item.tanggal_selesai:
        return str(_l("The assessor certificate of %(name)s is valid only until %(date)s.", name=pegawai.nama_lengkap,
                      date=tanggal(entry.berlaku_sampai)))  # fmt: skip
    clash = conflicts(pegawai.id, item.tanggal_mulai, item.tanggal_selesai, item.kasus_id)
    return double_booking(pegawai, clash[0]) if clash else None


@dataclass
class Ketersediaan:
    """One assessor of the register as the step-4 list shows them for a request."""

    entry: RegisterAsesor
    dipilih: int | None  # the KasusPetugas id when chosen for this request
    bentrok: list[Bentrok] = field(default_factory=list)
    catatan: str = ""  # another reason they cannot be chosen (certificate)

    @property
    def tersedia(self) -> bool:
        return not self.bentrok and not self.catatan


def ketersediaan(item: PermintaanKerjasama) -> list[Ketersediaan]:
    """Every active assessor of the agency's register with their availability on the request's dates."""
    entries = register_entries(item.kasus.unit_kerja.instansi_id)
    chosen = {p.pegawai_id: p.id for p in item.kasus.petugas}
    busy = schedules([e.pegawai_id for e in entries], item.tanggal_mulai, item.tanggal_selesai, item.kasus_id)
    rows = []
    for e in entries:
        note = ""
        if e.berlaku_sampai is not None and item.tanggal_selesai and e.berlaku_sampai < item.tanggal_selesai:
            note = str(_l("certificate valid until %(date)s", date=tanggal(e.berlaku_sampai)))
        rows.append(Ketersediaan(e, chosen.get(e.pegawai_id), busy.get(e.pegawai_id, []), note))
    return rows


def pilih_asesor(pk, user, register_id) -> KasusPetugas:
    """Step 4: assign an assessor of the register to the request (through the engine's assignment, which
    applies the register and availability rules; only the actor of the current step may)."""
    item = permintaan(pk, user)
    entry = scope.get(RegisterAsesor, register_id, user)
    if entry is None or entry.instansi_id != item.kasus.unit_kerja.instansi_id:
        raise KerjasamaError(_l("Choose an assessor from the agency's assessor register."), 422)
    return engine.assign(item.kasus_id, user, entry.pegawai_id, entry.jenis_label)


def lepas_asesor(pk, user, petugas_id) -> None:
    """Step 4: take a chosen assessor off the request."""
    item = permintaan(pk, user)
    if not any(p.id == petugas_id for p in item.kasus.petugas):
        raise KerjasamaError(_l("Choose one of the assessors chosen for this request."), 422)
    engine.unassign(item.kasus_id, petugas_id, user)
