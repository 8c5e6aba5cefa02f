"""Row scope: who may see which rows. The one place that decides it.

Every list, show page, filter drop-down, form choice, action, export, download and API call
asks this module for the WHERE clause of the model it shows (`where(Model, user)`), through
`ScopeFilter` (FAB base filters and related-field choices) or directly in services.

- Administrators see everything.
- Staff see the rows of their unit kerja and of every unit below it; agency-wide reference
  rows (positions, numbering patterns, days off) of the agencies those units belong to; and
  national reference data (ranks, archive codes, national positions).
- Holders of "own records only" roles (people outside the agency, such as the applicant of a
  transfer, `LingkupPeran`) see the cases they started, those cases' files, and the signed
  documents of those cases — nothing else. They still read the SOPs of their unit, to start one.
- Assessment records (events, participants, assignments, scores, results) are seen by the staff
  of the event's unit, by the team of the event according to their team role, and (participants
  and their results only) by the staff of the participant's own unit. A user whose every role is
  "assigned only" (`LingkupPeran` "penugasan", the Asesor role) sees no assessment record through
  their unit: only the events whose team they are on, the participants assigned to them (every
  participant of the event when they are its ketua) and only their own assignments and scores
  (every one of the event when ketua). Their unit still shows them the SOP cases and civil
  servants of their unit, as for staff.
- A user without a unit sees nothing.

A model without a rule here cannot be shown by a Penkom view: `where()` raises, so a new view
that forgets scope fails at start-up and in the route × role matrix test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app, g, has_request_context
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.models import (
    AuditLog,
    EvaluasiSop,
    HariLibur,
    Instansi,
    Jabatan,
    JenisDokumen,
    Kasus,
    KasusPetugas,
    KasusRiwayat,
    KasusTanggapan,
    KlasifikasiArsip,
    Lampiran,
    Langkah,
    LingkupPeran,
    LoginLog,
    NaskahDinas,
    NaskahPemeriksa,
    NaskahRiwayat,
    Pangkat,
    Pegawai,
    Pelaksana,
    PenkomUser,
    PolaNomor,
    Sop,
    TemplateNaskah,
    UnitKerja,
)
from app.models.naskah import FINAL
from app.models.penilaian import (
    AnggotaTim,
    AspekPotensi,
    AturanPenilaian,
    BerkasPeserta,
    Gelombang,
    Hasil,
    KegiatanPenilaian,
    Kehadiran,
    Kompetensi,
    KompetensiKegiatan,
    Konsensus,
    LevelKompetensi,
    Metode,
    MetodeKegiatan,
    Nilai,
    NilaiPotensi,
    Penugasan,
    PeranTim,
    Peserta,
    RegisterAsesor,
    RiwayatPenilaian,
    Sesi,
    SkalaPotensi,
    StandarBawaan,
    StandarKegiatan,
    StandarKompetensi,
    TingkatMetode,
)

NO_UNIT = -1  # sentinel kept for callers that need "a set that matches nothing"
SENDIRI = "sendiri"
PENUGASAN = "penugasan"  # assessment records: only what the holder is assigned to (the Asesor role)


class UnscopedModel(LookupError):
    """A view or service asked for rows of a model that has no scope rule."""


@dataclass(frozen=True)
class Reach:
    """What one user may see. `units` None means every unit (administrator)."""

    user_id: int | None
    units: frozenset[int] | None  # units whose records the user sees
    agencies: frozenset[int] | None  # agencies of those units (reference data per agency)
    sop_units: frozenset[int] | None  # units whose SOPs the user may read and start
    own_records: bool  # sees the cases they started (outside parties)
    pegawai_id: int | None = None  # the civil servant linked to the account (team membership, assignments)
    assigned_only: bool = False  # assessment records: only through team membership and assignments

    @property
    def admin(self) -> bool:
        return self.units is None


NOBODY = Reach(None, frozenset(), frozenset(), frozenset(), False)


def is_admin(user) -> bool:
    admin = current_app.config["AUTH_ROLE_ADMIN"]
    return any(role.name == admin for role in getattr(user, "roles", []) or [])


def _organisation() -> tuple[dict, dict, frozenset[int]]:
    """The unit tree (children by parent, agency by unit) and the roles' scopes, from the
    process cache: every request asks for them and they change rarely (app/cache.py)."""
    from app.cache import area

    def load():
        children: dict[int | None, list[int]] = {}
        agency: dict[int, int] = {}
        for unit_id, parent_id, instansi_id in db.session.execute(
            select(UnitKerja.id, UnitKerja.induk_id, UnitKerja.instansi_id)
        ):
            children.setdefault(parent_id, []).append(unit_id)
            agency[unit_id] = instansi_id
        scopes = dict(db.session.execute(select(LingkupPeran.role_id, LingkupPeran.lingkup)).all())
        return children, agency, scopes

    return area("organisasi").get("semua", load)


def descendant_unit_ids(root_ids: Iterable[int]) -> set[int]:
    """The given units and every unit below them in the tree."""
    children = _organisation()[0]
    result: set[int] = set()
    stack = [i for i in root_ids if i is not None]
    while stack:
        unit_id = stack.pop()
        if unit_id in result:
            continue
        result.add(unit_id)
        stack.extend(children.get(unit_id, []))
    return result


def own_records_role_ids() -> set[int]:
    """Roles whose holders see only their own records."""
    return {role_id for role_id, lingkup in role_scopes().items() if lingkup == SENDIRI}


def role_scopes() -> dict[int, str]:
    """Role id → its scope value, for roles that have one (absent: staff)."""
    return _organisation()[2]


def _current_user():
    user = getattr(g, "user", None) if has_request_context() else None
    return user


def reach(user=None) -> Reach:
    """The user's reach, computed once per request."""
    if user is None:
        user = _current_user()
    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    cache = g.setdefault("_penkom_reach", {}) if has_request_context() else {}
    if user.id in cache:
        return cache[user.id]
    if is_admin(user):
        result = Reach(user.id, None, None, None, False)
    else:
        unit_id = user.unit_kerja_id or (user.pegawai.unit_kerja_id if user.pegawai else None)
        subtree = frozenset(descendant_unit_ids([unit_id])) if unit_id else frozenset()
        role_ids = {role.id for role in user.roles}
        scopes = role_scopes()
        own_only = bool(role_ids) and all(scopes.get(r) == SENDIRI for r in role_ids)
        # Assessment records narrow to assignments only when no role of the user is a staff role.
        assigned_only = bool(role_ids) and not own_only and all(scopes.get(r) in (SENDIRI, PENUGASAN) for r in role_ids)
        units = frozenset() if own_only else subtree
        agency = _organisation()[1]
        agencies = frozenset(agency[u] for u in units if agency.get(u) is not None)
        result = Reach(user.id, units, agencies, subtree, own_only, user.pegawai_id, assigned_only)
    cache[user.id] = result
    return result


def allowed_unit_ids(user=None) -> set[int] | None:
    """None means "all units" (administrator); otherwise the set of units whose records are visible."""
    r = reach(user)
    if r.admin:
        return None
    return set(r.units) or {NO_UNIT}


def keeps_agency(r: Reach, instansi_id: int | None) -> bool:
    """The user's units take in the whole agency (each of its top units): records the agency's every unit
    relies on (its document kinds) are theirs to change. A sub-unit's staff only read them."""
    if r.admin:
        return True
    children, agency, _scopes = _organisation()
    tops = {u for u in children.get(None, []) if agency.get(u) == instansi_id}
    return bool(tops) and tops <= r.units


def can_see_unit(unit_id: int | None, user=None) -> bool:
    allowed = allowed_unit_ids(user)
    return allowed is None or unit_id in allowed


# -- the rules, one per model ------------------------------------------------------------------


def _in(column, ids: frozenset[int]) -> ColumnElement:
    return column.in_(sorted(ids)) if ids else false()


def _units(column) -> Callable[[Reach], ColumnElement | None]:
    return lambda r: None if r.admin else _in(column, r.units)


def _agency_or_national(column) -> Callable[[Reach], ColumnElement | None]:
    return lambda r: None if r.admin else or_(column.is_(None), _in(column, r.agencies))


def _agency(column) -> Callable[[Reach], ColumnElement | None]:
    return lambda r: None if r.admin else _in(column, r.agencies)


def _national(r: Reach) -> ColumnElement | None:
    return None


def _sop(r: Reach) -> ColumnElement | None:
    return None if r.admin else _in(Sop.unit_kerja_id, r.sop_units)


def _kasus(r: Reach) -> ColumnElement | None:
    if r.admin:
        return None
    clauses = [_in(Kasus.unit_kerja_id, r.units)] if r.units else []
    if r.own_records:
        clauses.append(Kasus.dibuat_oleh_id == r.user_id)
    return or_(*clauses) if clauses else false()


def _naskah(r: Reach) -> ColumnElement | None:
    if r.admin:
        return None
    clauses = [_in(NaskahDinas.unit_kerja_id, r.units)] if r.units else []
    if r.own_records:
        own_cases = select(Kasus.id).where(Kasus.dibuat_oleh_id == r.user_id)
        clauses.append(NaskahDinas.kasus_id.in_(own_cases) & NaskahDinas.status.in_(FINAL))
    return or_(*clauses) if clauses else false()


def _via(column, parent) -> Callable[[Reach], ColumnElement | None]:
    """Rows that belong to a scoped parent row (a case's files, an SOP's steps, ...)."""

    def rule(r: Reach) -> ColumnElement | None:
        parent_clause = RULES[parent](r)
        if parent_clause is None:
            return None
        return column.in_(select(parent.id).where(parent_clause))

    return rule


def _own_user(column) -> Callable[[Reach], ColumnElement | None]:
    return lambda r: None if r.admin else column == (r.user_id if r.user_id is not None else NO_UNIT)


# -- assessment records ------------------------------------------------------------------------
# Three ways in: the event's unit (staff, not "assigned only"), the event's team (by team role),
# and, for participants and their results, the participant's own unit (its staff).
# Team roles that see every participant of the event; a plain assessor sees those assigned to them.
_TEAM_ALL_PARTICIPANTS = (PeranTim.KETUA.value, PeranTim.ASESOR_ADMIN.value, PeranTim.TESTER.value,
                          PeranTim.TENAGA_PENDUKUNG.value)  # fmt: skip


def _team_events(r: Reach, roles: tuple[str, ...] | None = None):
    """Ids of the events on whose team the user is (with one of `roles`)."""
    query = select(AnggotaTim.kegiatan_id).where(AnggotaTim.pegawai_id == r.pegawai_id)
    return query if roles is None else query.where(AnggotaTim.peran.in_(roles))


def _unit_events(r: Reach):
    return select(KegiatanPenilaian.id).where(_in(KegiatanPenilaian.unit_kerja_id, r.units))


def _staff(r: Reach) -> bool:
    return not r.assigned_only and bool(r.units)


def _kegiatan(r: Reach) -> ColumnElement | None:
    if r.admin:
        return None
    clauses = []
    if _staff(r):
        clauses.append(_in(KegiatanPenilaian.unit_kerja_id, r.units))
    if r.pegawai_id:
        clauses.append(KegiatanPenilaian.id.in_(_team_events(r)))
    return or_(*clauses) if clauses else false()


def _peserta(r: Reach) -> ColumnElement | None:
    if r.admin:
        return None
    clauses = []
    if _staff(r):
        clauses += [Peserta.kegiatan_id.in_(_unit_events(r)), _in(Peserta.unit_kerja_id, r.units)]
    if r.pegawai_id:
        clauses += [
            Peserta.kegiatan_id.in_(_team_events(r, _TEAM_ALL_PARTICIPANTS)),
            Peserta.id.in_(select(Penugasan.peserta_id).where(Penugasan.asesor_id == r.pegawai_id)),
        ]
    return or_(*clauses) if clauses else false()


def _penugasan(r: Reach) -> ColumnElement | None:
    """Assignments (score sheets): the event's staff and its ketua see all; an assessor their own.
    Support roles of the team see who assesses whom (not the scores: see `_nilai`)."""
    if r.admin:
        return None
    clauses = []
    if _staff(r):
        clauses.append(Penugasan.kegiatan_id.in_(_unit_events(r)))
    if r.pegawai_id:
        clauses += [Penugasan.asesor_id == r.pegawai_id,
                    Penugasan.kegiatan_id.in_(_team_events(r, _TEAM_ALL_PARTICIPANTS))]  # fmt: skip
    return or_(*clauses) if clauses else false()


def _nilai(r: Reach) -> ColumnElement | None:
    """Scores: the event's staff and its ketua see all; an assessor only the scores they gave."""
    if r.admin:
        return None
    sheets = select(Penugasan.id)
    clauses = []
    if _staff(r):
        clauses.append(Nilai.penugasan_id.in_(sheets.where(Penugasan.kegiatan_id.in_(_unit_events(r)))))
    if r.pegawai_id:
        ketua = _team_events(r, (PeranTim.KETUA.value,))
        clauses.append(Nilai.penugasan_id.in_(
            sheets.where(or_(Penugasan.asesor_id == r.pegawai_id, Penugasan.kegiatan_id.in_(ketua)))
        ))  # fmt: skip
    return or_(*clauses) if clauses else false()


def _riwayat_penilaian(r: Reach) -> ColumnElement | None:
    """The event log: the event's staff and ketua; others see the rows of participants they see."""
    if r.admin:
        return None
    clauses = []
    if _staff(r):
        clauses.append(RiwayatPenilaian.kegiatan_id.in_(_unit_events(r)))
    if r.pegawai_id:
        clauses.append(RiwayatPenilaian.kegiatan_id.in_(_team_events(r, (PeranTim.KETUA.value,))))
    clauses.append(RiwayatPenilaian.peserta_id.in_(select(Peserta.id).where(_peserta(r))))
    return or_(*clauses)


RULES: dict[type, Callable[[Reach], ColumnElement | None]] = {
    # Master data
    UnitKerja: _units(UnitKerja.id),
    Pegawai: _units(Pegawai.unit_kerja_id),
    Instansi: lambda r: None if r.admin else _in(Instansi.id, r.agencies),
    Jabatan: _agency_or_national(Jabatan.instansi_id),
    Pangkat: _national,
    # SOPs and their calendar
    Sop: _sop,
    Pelaksana: _via(Pelaksana.sop_id, Sop),
    Langkah: _via(Langkah.sop_id, Sop),
    EvaluasiSop: _via(EvaluasiSop.sop_id, Sop),
    HariLibur: _agency_or_national(HariLibur.instansi_id),
    Role: _national,
    # Cases
    Kasus: _kasus,
    KasusRiwayat: _via(KasusRiwayat.kasus_id, Kasus),
    Lampiran: _via(Lampiran.kasus_id, Kasus),
    KasusPetugas: _via(KasusPetugas.kasus_id, Kasus),
    KasusTanggapan: _via(KasusTanggapan.kasus_id, Kasus),
    JenisDokumen: _agency_or_national(JenisDokumen.instansi_id),
    # Official documents and their reference data
    NaskahDinas: _naskah,
    NaskahPemeriksa: _via(NaskahPemeriksa.naskah_id, NaskahDinas),
    NaskahRiwayat: _via(NaskahRiwayat.naskah_id, NaskahDinas),
    TemplateNaskah: _national,
    KlasifikasiArsip: _national,
    PolaNomor: _agency(PolaNomor.instansi_id),
    # Competency assessment: reference data (national, or an agency's technical competencies and rules)
    Kompetensi: _agency_or_national(Kompetensi.instansi_id),
    LevelKompetensi: _via(LevelKompetensi.kompetensi_id, Kompetensi),
    AspekPotensi: _national,
    SkalaPotensi: _national,
    TingkatMetode: _national,
    Metode: _national,
    StandarBawaan: _national,
    StandarKompetensi: _via(StandarKompetensi.jabatan_id, Jabatan),
    AturanPenilaian: _agency_or_national(AturanPenilaian.instansi_id),
    RegisterAsesor: _agency(RegisterAsesor.instansi_id),
    # Assessment events and their records
    KegiatanPenilaian: _kegiatan,
    AnggotaTim: _via(AnggotaTim.kegiatan_id, KegiatanPenilaian),
    Gelombang: _via(Gelombang.kegiatan_id, KegiatanPenilaian),
    Sesi: lambda r: None if r.admin else Sesi.gelombang_id.in_(select(Gelombang.id).where(RULES[Gelombang](r))),
    MetodeKegiatan: _via(MetodeKegiatan.kegiatan_id, KegiatanPenilaian),
    KompetensiKegiatan: _via(KompetensiKegiatan.kegiatan_id, KegiatanPenilaian),
    StandarKegiatan: _via(StandarKegiatan.kegiatan_id, KegiatanPenilaian),
    Peserta: _peserta,
    BerkasPeserta: _via(BerkasPeserta.peserta_id, Peserta),
    Kehadiran: _via(Kehadiran.peserta_id, Peserta),
    Penugasan: _penugasan,
    Nilai: _nilai,
    Konsensus: _via(Konsensus.peserta_id, Peserta),
    NilaiPotensi: _via(NilaiPotensi.peserta_id, Peserta),
    Hasil: _via(Hasil.peserta_id, Peserta),
    RiwayatPenilaian: _riwayat_penilaian,
    # Accounts
    PenkomUser: _units(PenkomUser.unit_kerja_id),
    LoginLog: _own_user(LoginLog.user_id),
    LingkupPeran: _national,
    AuditLog: lambda r: None if r.admin else false(),  # administrators only
}


def register(model: type, rule: Callable[[Reach], ColumnElement | None]) -> None:
    """Areas add the rules of their own models (e.g. assessment records) at import time."""
    RULES[model] = rule


def where_rule(model: type) -> Callable[[Reach], ColumnElement | None]:
    """The rule of a model (or of its nearest mapped base); UnscopedModel if it has none."""
    for cls in getattr(model, "__mro__", (model,)):
        if cls in RULES:
            return RULES[cls]
    raise UnscopedModel(f"no scope rule for {getattr(model, '__name__', model)}")


def where(model: type, user=None) -> ColumnElement | None:
    """The WHERE clause that limits `model` to the user's rows; None when nothing is hidden."""
    return where_rule(model)(reach(user))


# Rows some may read but only some may change: agency reference data next to national rows.
WRITE_RULES: dict[type, Callable[[Reach, object], bool]] = {
    Jabatan: lambda r, item: r.admin or item.instansi_id in r.agencies,
    HariLibur: lambda r, item: r.admin or item.instansi_id in r.agencies,
    JenisDokumen: lambda r, item: keeps_agency(r, item.instansi_id),
    Pangkat: lambda r, item: r.admin,
    KlasifikasiArsip: lambda r, item: r.admin,
    # National assessment reference data: administrators; an agency's own rows: its staff.
    Kompetensi: lambda r, item: r.admin or item.instansi_id in r.agencies,
    LevelKompetensi: lambda r, item: (
        r.admin or (item.kompetensi is not None and item.kompetensi.instansi_id in r.agencies)
    ),
    AspekPotensi: lambda r, item: r.admin,
    SkalaPotensi: lambda r, item: r.admin,
    TingkatMetode: lambda r, item: r.admin,
    Metode: lambda r, item: r.admin,
    StandarBawaan: lambda r, item: r.admin,
    StandarKompetensi: lambda r, item: r.admin or (item.jabatan is not None and item.jabatan.instansi_id in r.agencies),
    AturanPenilaian: lambda r, item: r.admin or item.instansi_id in r.agencies,
    # An event is changed (and deleted) by the staff of its unit, not by a team member from elsewhere.
    KegiatanPenilaian: lambda r, item: r.admin or (not r.assigned_only and item.unit_kerja_id in r.units),
}


def writable(item, user=None) -> bool:
    """May the user change this (visible) row? Permissions decide the rest."""
    rule = WRITE_RULES.get(type(item))
    return True if rule is None else rule(reach(user), item)


def scoped(model: type, user=None):
    """`select(model)` limited to the user's rows."""
    query = select(model)
    clause = where(model, user)
    return query if clause is None else query.where(clause)


def get(model: type, pk, user=None):
    """One row by primary key through the scope; None when missing or not visible."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return db.session.execute(scoped(model, user).where(model.id == pk)).scalar()


def visible(model: type, user=None, ids: Iterable[int] | None = None) -> list:
    """Rows of `model` the user may see (optionally only these ids)."""
    query = scoped(model, user)
    if ids is not None:
        query = query.where(model.id.in_(list(ids)))
    return list(db.session.execute(query).scalars())


class ScopeFilter(BaseFilter):
    """FAB filter: the caller's scope on the filtered model (base filters and drop-down choices)."""

    name = "Scope"
    arg_name = "scope"

    def apply(self, query, value):
        clause = where(self.model)
        return query if clause is None else query.filter(clause)


def scope_filter() -> list:
    """A `base_filters` / `*_query_rel_fields` entry that applies the caller's scope."""
    return ["id", ScopeFilter, lambda: None]


def agency_people(instansi_id: int, user=None) -> list[Pegawai]:
    """Active civil servants of one agency, for choosing a signer, reviewer or assigned person.
    Agency-wide (a letter of a sub-unit is signed by the head of the agency), but only for an
    agency the user belongs to."""
    r = reach(user)
    if not r.admin and instansi_id not in (r.agencies or ()):
        return []
    query = (
        select(Pegawai).join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .where(UnitKerja.instansi_id == instansi_id, Pegawai.aktif.isnot(False)).order_by(Pegawai.nama)
    )  # fmt: skip
    return list(db.session.execute(query).scalars())


def scoped_sops(user=None):
    """Query of the SOP revisions the caller may read (by the SOP's unit)."""
    return scoped(Sop, user)
