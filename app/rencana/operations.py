"""Assessment plans (Polhukam seed 3): one function per verb, shared by the screens, the REST API, the SOP
hooks, the demo and the tests.

The candidate list is computed from the agency's active civil servants each time it is asked for (a plan
prepared today sees today's ranks and positions); the review of it (exclude / add by hand, with the reason)
is stored. Plans are seen and changed by the staff of the plan's unit (the personnel section); the
civil servants considered are those of the plan unit's whole agency, because the personnel section plans
for the whole agency (the same reach as choosing a signer, `scope.agency_people`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import nip as nip_mod
from app import scope, xlsx
from app.extensions import db
from app.models import Hasil, Jabatan, Kasus, KegiatanPenilaian, Metode, Pangkat, Pegawai, StatusKasus, UnitKerja
from app.models.master import JENIS_JABATAN_LABELS, JenisJabatan
from app.models.penilaian import TUJUAN_LABELS, StatusKegiatan, TujuanPenilaian
from app.models.rencana import DasarMasa, InstrumenRencana, KoordinasiRencana, RencanaPenilaian, TinjauKandidat
from app.models.security import utcnow
from app.penilaian import operations as pops
from app.workflow.engine import TransitionError

MAX_TEKS = 2000

# Plans are records of their unit (the personnel section) and the units above it; their parts follow them.
scope.register(RencanaPenilaian, lambda r: None if r.admin else scope._in(RencanaPenilaian.unit_kerja_id, r.units))
for _model in (TinjauKandidat, InstrumenRencana, KoordinasiRencana):
    scope.register(_model, scope._via(_model.rencana_id, RencanaPenilaian))


class RencanaError(TransitionError):
    """A refused plan operation; str() is the user's message, `status` the HTTP status. A TransitionError,
    so an SOP step whose hook runs the operation is refused as a whole."""


# -- loading ---------------------------------------------------------------------------------------------


def rencana(rencana_id, user) -> RencanaPenilaian:
    """A plan the caller may see, or RencanaError 404."""
    item = scope.get(RencanaPenilaian, rencana_id, user)
    if item is None:
        raise RencanaError(_l("Assessment plan not found."), 404)
    return item


def rencana_kasus(kasus_id: int, user=None) -> RencanaPenilaian | None:
    """The plan a case prepares (None when it has none or the caller may not see it)."""
    query = scope.scoped(RencanaPenilaian, user).where(RencanaPenilaian.kasus_id == kasus_id)
    return db.session.execute(query).scalar()


def _ubah(item: RencanaPenilaian, user) -> None:
    """Changes: the staff of the plan's unit (not an assessor from elsewhere), while its case runs."""
    reach = scope.reach(user)
    if not (reach.admin or (not reach.assigned_only and item.unit_kerja_id in (reach.units or ()))):
        raise RencanaError(_l("Only the staff of the unit that prepares this plan can change it."), 403)
    if item.kasus is not None and item.kasus.status != StatusKasus.BERJALAN:
        raise RencanaError(_l("The case of this plan is finished; the plan can no longer change."), 409)


def _teks(value, label, limit: int = MAX_TEKS) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise RencanaError(_l("%(field)s is longer than %(n)d characters.", field=label, n=limit), 422)
    return text


def _angka(value, label, low: int = 0, high: int = 100) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise RencanaError(_l("%(field)s must be a whole number.", field=label), 422) from None
    if not low <= number <= high:
        raise RencanaError(_l("%(field)s must be between %(a)d and %(b)d.", field=label, a=low, b=high), 422)
    return number


# -- creating and changing a plan ----------------------------------------------------------------------------


def buat_rencana(user, nama: str, unit_kerja_id: int | None = None, kasus_id: int | None = None,
                 tujuan: str = TujuanPenilaian.PEMETAAN.value, commit: bool = True) -> RencanaPenilaian:  # fmt: skip
    """A new plan of a unit in the caller's scope, optionally for an SOP case that has none yet."""
    reach = scope.reach(user)
    kasus = None
    if kasus_id is not None:
        kasus = scope.get(Kasus, kasus_id, user)
        if kasus is None:
            raise RencanaError(_l("Case not found."), 404)
        if db.session.execute(select(RencanaPenilaian.id).where(RencanaPenilaian.kasus_id == kasus.id)).first():
            raise RencanaError(_l("This case already prepares an assessment plan."), 409)
    unit_id = unit_kerja_id or (kasus.unit_kerja_id if kasus else None) or getattr(user, "unit_kerja_id", None)
    unit = db.session.get(UnitKerja, unit_id) if unit_id else None
    if unit is None or not (reach.admin or (not reach.assigned_only and unit.id in (reach.units or ()))):
        raise RencanaError(_l("Choose a work unit within your scope to prepare the plan."), 403)
    nama = _teks(nama, _l("Name"), 250)
    if not nama:
        raise RencanaError(_l("The name of the plan is required."), 422)
    if tujuan not in {t.value for t in TujuanPenilaian}:
        raise RencanaError(_l("Choose the purpose of the assessment."), 422)
    item = RencanaPenilaian(nama=nama, unit_kerja=unit, kasus=kasus, tujuan=tujuan,
                            dibuat_oleh_id=getattr(user, "id", None))  # fmt: skip
    db.session.add(item)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return item


@dataclass
class Kriteria:
    """The candidate criteria as a form or the API sends them (empty = does not narrow)."""

    jenis_jabatan: list[str] = field(default_factory=list)
    jenjang: list[str] = field(default_factory=list)
    pangkat_min_id: int | None = None
    unit_ids: list[int] = field(default_factory=list)
    usia_min: object = None
    usia_max: object = None
    masa_min_tahun: object = None
    masa_dasar: str = DasarMasa.PANGKAT.value
    penilaian_lewat_tahun: object = None


def _pisah(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def kriteria_dari(item: RencanaPenilaian) -> Kriteria:
    return Kriteria(
        jenis_jabatan=_pisah(item.jenis_jabatan), jenjang=_pisah(item.jenjang), pangkat_min_id=item.pangkat_min_id,
        unit_ids=[u.id for u in item.unit], usia_min=item.usia_min, usia_max=item.usia_max,
        masa_min_tahun=item.masa_min_tahun, masa_dasar=item.masa_dasar or DasarMasa.PANGKAT.value,
        penilaian_lewat_tahun=item.penilaian_lewat_tahun,
    )  # fmt: skip


def unit_instansi(item: RencanaPenilaian) -> list[UnitKerja]:
    """The units a plan may name: every unit of the plan unit's agency."""
    query = select(UnitKerja).where(UnitKerja.instansi_id == item.unit_kerja.instansi_id).order_by(UnitKerja.nama)
    return list(db.session.execute(query).scalars())


def atur_kriteria(rencana_id, user, kriteria: Kriteria, periode_mulai: dt.date | None = None,
                  periode_selesai: dt.date | None = None, sasaran: str | None = None) -> RencanaPenilaian:  # fmt: skip
    """Set the plan's period, target group and candidate criteria. A set that selects nobody is refused and
    nothing changes."""
    item = rencana(rencana_id, user)
    _ubah(item, user)
    kinds = {k.value for k in JenisJabatan}
    if any(k not in kinds for k in kriteria.jenis_jabatan):
        raise RencanaError(_l("Choose position kinds from the list."), 422)
    levels = [_teks(v, _l("Level"), 60) for v in kriteria.jenjang]
    rank = None
    if kriteria.pangkat_min_id:
        rank = db.session.get(Pangkat, kriteria.pangkat_min_id)
        if rank is None:
            raise RencanaError(_l("The minimum rank does not exist."), 422)
    allowed = {u.id: u for u in unit_instansi(item)}
    if any(uid not in allowed for uid in kriteria.unit_ids):
        raise RencanaError(_l("Choose units of the plan's own agency."), 422)
    usia_min = _angka(kriteria.usia_min, _l("Minimum age"), 18, 70)
    usia_max = _angka(kriteria.usia_max, _l("Maximum age"), 18, 70)
    if usia_min is not None and usia_max is not None and usia_max < usia_min:
        raise RencanaError(_l("The maximum age is below the minimum age."), 422)
    if kriteria.masa_dasar not in {d.value for d in DasarMasa}:
        raise RencanaError(_l("Choose whether the years count in the rank or in the position."), 422)
    if periode_mulai and periode_selesai and periode_selesai < periode_mulai:
        raise RencanaError(_l("The end of the period is before its start."), 422)
    values = dict(
        jenis_jabatan=",".join(kriteria.jenis_jabatan), jenjang=",".join(levels), pangkat_min=rank,
        unit=[allowed[uid] for uid in dict.fromkeys(kriteria.unit_ids)], usia_min=usia_min, usia_max=usia_max,
        masa_min_tahun=_angka(kriteria.masa_min_tahun, _l("Minimum years"), 0, 45), masa_dasar=kriteria.masa_dasar,
        penilaian_lewat_tahun=_angka(kriteria.penilaian_lewat_tahun, _l("Last assessment older than (years)"), 0, 45),
    )  # fmt: skip
    if periode_mulai is not None or periode_selesai is not None:
        values.update(periode_mulai=periode_mulai, periode_selesai=periode_selesai)
    if sasaran is not None:
        values["sasaran"] = _teks(sasaran, _l("Target group"))
    with db.session.no_autoflush:
        old = {key: getattr(item, key) for key in values}
        for key, value in values.items():
            setattr(item, key, value)
        if not kandidat(item):
            for key, value in old.items():
                setattr(item, key, value)
            db.session.rollback()
            raise RencanaError(_l("These criteria select nobody: no active civil servant of the agency meets all of "
                                  "them. Widen a criterion (for example the units, the rank or the age range)."),
                               422)  # fmt: skip
    db.session.commit()
    return item


# -- the candidate list ------------------------------------------------------------------------------------------


@dataclass
class Kandidat:
    """One civil servant on the plan's list and why they are on it."""

    pegawai: Pegawai
    usia: int | None
    masa_tahun: int | None
    penilaian_terakhir: dt.date | None
    tinjauan: TinjauKandidat | None = None  # the review, if any
    cocok: bool = True  # meets the criteria (False: added by hand)

    @property
    def ditambahkan(self) -> bool:
        return not self.cocok

    def as_dict(self) -> dict:
        p = self.pegawai
        return {
            "pegawai_id": p.id, "nip": p.nip, "nama": p.nama_lengkap,
            "pangkat": p.pangkat.golongan if p.pangkat else "",
            "jabatan": str(p.jabatan) if p.jabatan else "", "jenis_jabatan": p.jabatan.jenis if p.jabatan else "",
            "unit_kerja": p.unit_kerja.nama, "usia": self.usia, "masa_tahun": self.masa_tahun,
            "penilaian_terakhir": self.penilaian_terakhir.isoformat() if self.penilaian_terakhir else None,
            "ditambahkan": self.ditambahkan, "alasan": self.tinjauan.alasan if self.tinjauan else "",
        }  # fmt: skip


def _tahun_antara(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end` (a birthday or anniversary counts on its day)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _usia(p: Pegawai, today: dt.date) -> int | None:
    try:
        return _tahun_antara(nip_mod.parse(p.nip, today).tanggal_lahir, today)
    except nip_mod.NipError:
        return None


def orang_instansi(item: RencanaPenilaian) -> list[Pegawai]:
    query = (
        select(Pegawai).join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .where(UnitKerja.instansi_id == item.unit_kerja.instansi_id, Pegawai.aktif.isnot(False))
        .order_by(Pegawai.nama, Pegawai.nip)
    )  # fmt: skip
    return list(db.session.execute(query).scalars().unique())


def _terakhir(pegawai_ids: Iterable[int]) -> dict[int, dt.date]:
    ids = list(pegawai_ids)
    if not ids:
        return {}
    query = (
        select(Hasil.pegawai_id, func.max(Hasil.tanggal)).where(Hasil.pegawai_id.in_(ids)).group_by(Hasil.pegawai_id)
    )
    return dict(db.session.execute(query).all())


def _cocok(item: RencanaPenilaian, k: Kandidat, today: dt.date, units: set[int] | None, kinds: set[str],
           levels: set[str]) -> bool:  # fmt: skip
    p = k.pegawai
    if kinds and not (p.jabatan and p.jabatan.jenis in kinds):
        return False
    if levels and not (p.jabatan and (p.jabatan.jenjang or "").strip().lower() in levels):
        return False
    if item.pangkat_min is not None and not (p.pangkat and p.pangkat.urutan >= item.pangkat_min.urutan):
        return False
    if units is not None and p.unit_kerja_id not in units:
        return False
    if item.usia_min is not None and (k.usia is None or k.usia < item.usia_min):
        return False
    if item.usia_max is not None and (k.usia is None or k.usia > item.usia_max):
        return False
    if item.masa_min_tahun and (k.masa_tahun is None or k.masa_tahun < item.masa_min_tahun):
        return False
    # Assessed within the last N years: the result is still fresh, no need to assess again.
    fresh = item.penilaian_lewat_tahun is not None and k.penilaian_terakhir is not None
    return not (fresh and k.penilaian_terakhir > pops._tambah_tahun(today, -item.penilaian_lewat_tahun))


def kandidat(item: RencanaPenilaian, today: dt.date | None = None, semua: bool = False) -> list[Kandidat]:
    """The plan's candidates: the agency's active civil servants who meet every criterion, minus those the
    review excluded, plus those it added by hand. With `semua`, the excluded ones too (for the review)."""
    today = today or pops.hari_ini()
    people = orang_instansi(item)
    last = _terakhir(p.id for p in people)
    units = set(scope.descendant_unit_ids(u.id for u in item.unit)) if item.unit else None
    kinds, levels = set(_pisah(item.jenis_jabatan)), {v.lower() for v in _pisah(item.jenjang)}
    reviews = {t.pegawai_id: t for t in item.tinjauan}
    result = []
    for p in people:
        since = p.tmt_jabatan if item.masa_dasar == DasarMasa.JABATAN else p.tmt_pangkat
        k = Kandidat(p, _usia(p, today), _tahun_antara(since, today) if since else None, last.get(p.id),
                     reviews.get(p.id))  # fmt: skip
        k.cocok = _cocok(item, k, today, units, kinds, levels)
        review = reviews.get(p.id)
        included = (k.cocok and not (review and not review.sertakan)) or bool(review and review.sertakan)
        if included or (semua and (k.cocok or review)):
            result.append(k)
    return result


def kandidat_terpilih(item: RencanaPenilaian, today: dt.date | None = None) -> list[Kandidat]:
    """The final list: the candidates the review kept or added."""
    return [k for k in kandidat(item, today) if not (k.tinjauan and not k.tinjauan.sertakan)]


def tinjau(rencana_id, user, pegawai_id, sertakan: bool, alasan: str) -> TinjauKandidat | None:
    """Exclude a candidate from the list, or add a civil servant of the agency by hand, with the reason.
    Taking back a review (a candidate included again who meets the criteria) removes it."""
    item = rencana(rencana_id, user)
    _ubah(item, user)
    if item.kegiatan_id is not None:
        raise RencanaError(_l("The candidates are already participants of the assessment event; change the "
                              "participants there."), 409)  # fmt: skip
    alasan = _teks(alasan, _l("Reason"))
    if not alasan:
        raise RencanaError(_l("Give the reason for excluding or adding the civil servant."), 422)
    person = (
        next((p for p in orang_instansi(item) if p.id == pegawai_id), None) if isinstance(pegawai_id, int) else None
    )
    if person is None:
        raise RencanaError(_l("The civil servant is not an active civil servant of the plan's agency."), 422)
    row = next((t for t in item.tinjauan if t.pegawai_id == person.id), None)
    if row is None:
        row = TinjauKandidat(rencana=item, pegawai=person)
        db.session.add(row)
    row.sertakan, row.alasan, row.user_id, row.waktu = bool(sertakan), alasan, getattr(user, "id", None), utcnow()
    if not kandidat_terpilih(item):
        db.session.rollback()
        raise RencanaError(_l("Excluding this civil servant would leave the plan without candidates."), 422)
    db.session.commit()
    return row


# -- Excel ----------------------------------------------------------------------------------------------------------

KOLOM_XLSX = ["No.", "NIP", "Nama", "Pangkat/Golongan", "Jabatan", "Jenis Jabatan", "Unit Kerja", "Usia (tahun)",
              "Masa (tahun)", "Penilaian terakhir", "Keterangan"]  # fmt: skip


def xlsx_kandidat(item: RencanaPenilaian) -> bytes:
    """The final candidate list as an Excel workbook (the header names the plan and its criteria)."""
    book, sheet = xlsx.workbook("Calon Peserta")
    sheet.append([f"Daftar calon peserta: {item.nama}"])
    sheet.append([ringkasan_kriteria(item)])
    sheet.append([])
    sheet.append(KOLOM_XLSX)
    header_row = sheet.max_row
    for i, k in enumerate(kandidat_terpilih(item), start=1):
        p = k.pegawai
        note = f"Ditambahkan: {k.tinjauan.alasan}" if k.ditambahkan and k.tinjauan else ""
        sheet.append([i, p.nip, p.nama_lengkap, str(p.pangkat) if p.pangkat else "", str(p.jabatan or ""),
                      p.jabatan.jenis_label if p.jabatan else "", p.unit_kerja.nama, k.usia, k.masa_tahun,
                      k.penilaian_terakhir, note])  # fmt: skip
        if k.penilaian_terakhir:
            sheet.cell(row=sheet.max_row, column=10).number_format = "[$-421]d mmmm yyyy"
        sheet.cell(row=sheet.max_row, column=2).number_format = "@"  # the NIP stays text (18 digits)
    xlsx.bold([sheet["A1"]])
    xlsx.header_row(sheet[header_row])
    xlsx.column_widths(sheet, [5, 21, 34, 24, 34, 20, 34, 8, 8, 18, 30])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return xlsx.to_bytes(book)


def ringkasan_kriteria(item: RencanaPenilaian) -> str:
    """The criteria in one Indonesian sentence (the Excel header, the report)."""
    parts = []
    kinds = [str(JENIS_JABATAN_LABELS[JenisJabatan(k)]) for k in _pisah(item.jenis_jabatan)]
    if kinds:
        parts.append(str(_l("position kind %(v)s", v=", ".join(kinds))))
    if _pisah(item.jenjang):
        parts.append(str(_l("level %(v)s", v=", ".join(_pisah(item.jenjang)))))
    if item.pangkat_min:
        parts.append(str(_l("rank at least %(v)s", v=item.pangkat_min.golongan)))
    if item.unit:
        parts.append(str(_l("units %(v)s", v=", ".join(u.nama for u in item.unit))))
    if item.usia_min is not None or item.usia_max is not None:
        parts.append(str(_l("age %(a)s-%(b)s years", a=item.usia_min if item.usia_min is not None else "…",
                            b=item.usia_max if item.usia_max is not None else "…")))  # fmt: skip
    if item.masa_min_tahun:
        basis = str(_l("in the current position") if item.masa_dasar == DasarMasa.JABATAN
                    else _l("in the current rank"))  # fmt: skip
        parts.append(str(_l("at least %(n)d years %(basis)s", n=item.masa_min_tahun, basis=basis)))
    if item.penilaian_lewat_tahun is not None:
        parts.append(str(_l("not assessed in the last %(n)d years", n=item.penilaian_lewat_tahun)))
    return pops.kalimat(parts) if parts else str(_l("No criteria: every active civil servant of the agency."))


# -- candidates become participants ------------------------------------------------------------------------------


def jadikan_peserta(rencana_id, user, kegiatan_id: int | None = None) -> tuple[KegiatanPenilaian, int]:
    """Turn the final candidate list into participants of an assessment event: the given event (one the
    caller runs, still being prepared), or a new event of the plan's unit named after the plan. A civil
    servant already a participant is not added twice; all are added or none (the event's own checks, e.g.
    full waves, apply). Returns the event and how many were added."""
    item = rencana(rencana_id, user)
    _ubah(item, user)
    chosen = kandidat_terpilih(item)
    if not chosen:
        raise RencanaError(_l("The plan has no candidates."), 422)
    if kegiatan_id is not None:
        event = pops.kegiatan(kegiatan_id, user)
        if not pops.staf_kegiatan(event, user):
            raise RencanaError(_l("Only the staff of the unit that runs this event can do this."), 403)
        if event.status == StatusKegiatan.SELESAI:
            raise RencanaError(_l("The event is finished; nothing can change any more."), 409)
    elif item.kegiatan is not None:
        event = item.kegiatan
    else:
        event = pops.buat_kegiatan(user, item.nama, item.tujuan, unit_kerja_id=item.unit_kerja_id,
                                   tanggal_mulai=item.periode_mulai, tanggal_selesai=item.periode_selesai,
                                   commit=False)  # fmt: skip
    ctx = pops.konteks_peserta(event, user)
    ready, errors = [], []
    for k in chosen:
        if k.pegawai.nip in ctx.taken:
            continue  # already a participant: never twice
        checked = pops.periksa_peserta(ctx, pops.DataPeserta(pegawai_id=k.pegawai.id))
        if isinstance(checked, list):
            errors.append(f"{k.pegawai.nama_lengkap}: {pops.kalimat(checked)}")
        else:
            ready.append(checked)
    if errors:
        db.session.rollback()
        raise RencanaError(_l("No participant was added: %(errors)s", errors=" ".join(errors)), 422)
    item.kegiatan = event
    if ready:
        pops.tambah_peserta_banyak(event, ready, user, str(_l("From assessment plan: %(nama)s", nama=item.nama)))
    else:
        db.session.commit()
    return event, len(ready)


# -- instruments and coordination ------------------------------------------------------------------------------------


def metode_katalog() -> list[Metode]:
    return list(db.session.execute(select(Metode).where(Metode.aktif.isnot(False)).order_by(Metode.nama)).scalars())


def atur_instrumen(rencana_id, user, metode_ids: Iterable[int], siap_ids: Iterable[int],
                   catatan: dict[int, str] | None = None) -> RencanaPenilaian:  # fmt: skip
    """Set the instruments checklist: the methods of the catalogue the assessment uses, and which are ready."""
    item = rencana(rencana_id, user)
    _ubah(item, user)
    catalogue = {m.id: m for m in metode_katalog()}
    wanted = list(dict.fromkeys(metode_ids))
    if any(mid not in catalogue for mid in wanted):
        raise RencanaError(_l("Choose methods from the method catalogue."), 422)
    ready, notes = set(siap_ids), catatan or {}
    if ready - set(wanted):
        raise RencanaError(_l("Only an instrument on the checklist can be marked ready."), 422)
    rows = {row.metode_id: row for row in item.instrumen}
    item.instrumen = [rows.get(mid) or InstrumenRencana(metode=catalogue[mid]) for mid in wanted]
    for row in item.instrumen:
        row.siap = row.metode_id in ready or row.metode.id in ready
        row.catatan = _teks(notes.get(row.metode.id, row.catatan or ""), _l("Note"), 500)
    db.session.commit()
    return item


def catat_koordinasi(rencana_id, user, pihak: str, tanggal: dt.date | None, hasil: str) -> KoordinasiRencana:
    """Record a technical coordination with a unit or third party: who, when and its result."""
    item = rencana(rencana_id, user)
    _ubah(item, user)
    pihak, hasil = _teks(pihak, _l("With whom"), 250), _teks(hasil, _l("Result"))
    if not pihak or not hasil or tanggal is None:
        raise RencanaError(_l("Fill in with whom, when and the result of the coordination."), 422)
    if tanggal > pops.hari_ini():
        raise RencanaError(_l("A coordination is recorded after it took place: the date is in the future."), 422)
    row = KoordinasiRencana(rencana=item, pihak=pihak, tanggal=tanggal, hasil=hasil, user_id=getattr(user, "id", None))
    db.session.add(row)
    db.session.commit()
    return row


# -- what the SOP steps wait for --------------------------------------------------------------------------------------


def kurang_rencana(item: RencanaPenilaian) -> list[str]:
    problems = []
    if item.periode_mulai is None:
        problems.append(str(_l("the plan has no period yet")))
    if not (item.sasaran or "").strip():
        problems.append(str(_l("the plan names no target group yet")))
    if not kandidat_terpilih(item):
        problems.append(str(_l("the criteria select no candidate yet")))
    return problems


def kurang_instrumen(item: RencanaPenilaian) -> list[str]:
    if not item.instrumen:
        return [str(_l("the instruments checklist is empty"))]
    waiting = [r.metode.nama for r in item.instrumen if not r.siap]
    return [str(_l("instruments not ready yet: %(names)s", names=", ".join(waiting)))] if waiting else []


def kurang_koordinasi(item: RencanaPenilaian) -> list[str]:
    return [] if item.koordinasi else [str(_l("no coordination with units or third parties is recorded yet"))]


def tujuan_choices() -> list[tuple[str, str]]:
    return [(t.value, str(TUJUAN_LABELS[t])) for t in TujuanPenilaian]


def jenis_choices() -> list[tuple[str, str]]:
    return [(k.value, str(JENIS_JABATAN_LABELS[k])) for k in JenisJabatan]


def jenjang_choices(item: RencanaPenilaian) -> list[str]:
    """The levels the positions of the agency (and the national ones) have."""
    query = (
        select(Jabatan.jenjang)
        .where(
            (Jabatan.instansi_id == item.unit_kerja.instansi_id) | Jabatan.instansi_id.is_(None),
            func.coalesce(Jabatan.jenjang, "") != "",
        )
        .distinct()
    )
    return sorted(set(db.session.execute(query).scalars()))
