"""Rules of an assessment event's organisation, and the automatic assignment: pure, no database.

The rules warn (they never refuse an edit): the SOP step that needs a clean plan refuses while any
warning stands. Limits come from the agency's `AturanPenilaian` (defaults: seed 4 and the
regulation):

- a wave has at most `maks_peserta_gelombang` participants (30);
- an assessor observes at most `maks_peserta_per_asesor` participants in one session, i.e. one
  method at one time (1:3); without sessions, in one method of one wave;
- one assessor administrator serves at most `maks_peserta_per_admin` participants of a wave (1:30);
- each participant is assessed by at least `min_asesor_per_peserta` different assessors across the
  methods (2), and has an assessor for every method of the event;
- each competency of the event is measured by at least `min_metode_per_kompetensi` methods (2);
- no assessor is in two overlapping sessions (across waves and events);
- no conflict of interest: an assessor never assesses themselves, anyone of their own work unit, nor
  anyone whose unit is directly below a unit where the assessor holds a structural position (JPT,
  administrator, pengawas) — the direct superior, as far as the unit tree and the position kinds tell.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

STRUKTURAL = frozenset({"jpt_utama", "jpt_madya", "jpt_pratama", "administrator", "pengawas"})


@dataclass(frozen=True)
class Batas:
    maks_peserta_gelombang: int = 30
    maks_peserta_per_asesor: int = 3
    maks_peserta_per_admin: int = 30
    min_asesor_per_peserta: int = 2
    min_metode_per_kompetensi: int = 2

    @classmethod
    def dari(cls, aturan) -> Batas:
        """From an `AturanPenilaian` row."""
        return cls(
            aturan.maks_peserta_gelombang,
            aturan.maks_peserta_per_asesor,
            aturan.maks_peserta_per_admin,
            aturan.min_asesor_per_peserta,
            aturan.min_metode_per_kompetensi,
        )


@dataclass(frozen=True)
class PesertaR:
    id: int
    nama: str
    gelombang_id: int
    unit_id: int | None = None
    pegawai_id: int | None = None


@dataclass(frozen=True)
class AsesorR:
    """A team member who scores (ketua or asesor)."""

    pegawai_id: int
    nama: str
    unit_id: int | None = None
    struktural: bool = False


@dataclass(frozen=True)
class SesiR:
    id: int
    gelombang_id: int
    metode_id: int
    mulai: dt.datetime
    selesai: dt.datetime
    label: str = ""


@dataclass(frozen=True)
class TugasR:
    """An assignment: assessor × participant × method (in a session, when the wave has one)."""

    peserta_id: int
    metode_id: int
    asesor_id: int
    sesi_id: int | None = None


@dataclass(frozen=True)
class Sibuk:
    """A time the assessor is already taken elsewhere (a session of another event)."""

    asesor_id: int
    mulai: dt.datetime
    selesai: dt.datetime
    label: str = ""


@dataclass
class Rancangan:
    """Everything the rules look at, for one event."""

    peserta: list[PesertaR]
    asesor: list[AsesorR]
    jumlah_admin: int
    gelombang: dict[int, str]  # id → label, in order
    metode: dict[int, str]  # the event's methods in order: id → name
    kompetensi: dict[int, str]  # the event's competencies: id → label
    matriks: dict[int, set[int]]  # method id → competency ids it measures in this event
    sesi: list[SesiR] = field(default_factory=list)
    tugas: list[TugasR] = field(default_factory=list)
    sibuk: list[Sibuk] = field(default_factory=list)
    induk: dict[int, int | None] = field(default_factory=dict)  # unit → parent unit
    batas: Batas = field(default_factory=Batas)
    standar_kurang: dict[int, list[int]] = field(default_factory=dict)  # participant → competencies


@dataclass(frozen=True)
class Peringatan:
    kode: str
    pesan: object  # a lazy translated string
    peserta_id: int | None = None
    asesor_id: int | None = None

    def as_dict(self) -> dict:
        return {"kode": self.kode, "pesan": str(self.pesan), "peserta_id": self.peserta_id, "asesor_id": self.asesor_id}


def konflik(asesor: AsesorR, peserta: PesertaR, induk: dict[int, int | None]) -> object | None:
    """Why this assessor may not assess this participant (a message), or None."""
    if peserta.pegawai_id is not None and peserta.pegawai_id == asesor.pegawai_id:
        return _l("an assessor cannot assess themselves")
    if peserta.unit_id is None or asesor.unit_id is None:
        return None
    if peserta.unit_id == asesor.unit_id:
        return _l("they work in the same unit")
    if asesor.struktural and induk.get(peserta.unit_id) == asesor.unit_id:
        return _l("the assessor holds a structural position in the unit directly above (direct superior)")
    return None


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def _group(t: TugasR, gelombang_of: dict[int, int]) -> tuple:
    """Where the 1:N ratio is counted: the session, or the method within the participant's wave."""
    return ("sesi", t.sesi_id) if t.sesi_id is not None else ("metode", gelombang_of.get(t.peserta_id), t.metode_id)


def periksa(r: Rancangan) -> list[Peringatan]:
    """Every rule warning of the plan, in a stable order."""
    out: list[Peringatan] = []
    b = r.batas
    peserta = {p.id: p for p in r.peserta}
    asesor = {a.pegawai_id: a for a in r.asesor}
    sesi = {s.id: s for s in r.sesi}

    # Methods and the method × competency matrix
    if not r.metode:
        out.append(Peringatan("metode", _l("The event has no methods yet.")))
    if not r.kompetensi:
        out.append(Peringatan("kompetensi", _l("The event assesses no competency yet.")))
    for kid, label in r.kompetensi.items():
        n = sum(1 for mid in r.metode if kid in r.matriks.get(mid, set()))
        if n < b.min_metode_per_kompetensi:
            out.append(
                Peringatan(
                    "cakupan",
                    _l(
                        "Competency %(k)s is measured by %(n)d method(s); at least %(min)d are required.",
                        k=label,
                        n=n,
                        min=b.min_metode_per_kompetensi,
                    ),
                )
            )
    if not r.asesor and r.peserta:
        out.append(Peringatan("asesor", _l("The team has no assessors yet.")))

    # Waves and administrators
    per_wave: dict[int, int] = defaultdict(int)
    for p in r.peserta:
        per_wave[p.gelombang_id] += 1
    for gid, label in r.gelombang.items():
        n = per_wave.get(gid, 0)
        if n > b.maks_peserta_gelombang:
            out.append(
                Peringatan(
                    "gelombang",
                    _l(
                        "%(g)s has %(n)d participants; at most %(max)d are allowed.",
                        g=label,
                        n=n,
                        max=b.maks_peserta_gelombang,
                    ),
                )
            )
        if n and n > r.jumlah_admin * b.maks_peserta_per_admin:
            out.append(
                Peringatan(
                    "admin",
                    _l(
                        "%(g)s has %(n)d participants for %(a)d assessor administrator(s); one "
                        "administrator serves at most %(max)d.",
                        g=label,
                        n=n,
                        a=r.jumlah_admin,
                        max=b.maks_peserta_per_admin,
                    ),
                )
            )

    # Assignments: who is not on the team, ratio per session, coverage per participant
    gelombang_of = {p.id: p.gelombang_id for p in r.peserta}
    load: dict[tuple, set[int]] = defaultdict(set)
    by_peserta: dict[int, list[TugasR]] = defaultdict(list)
    for t in r.tugas:
        if t.peserta_id not in peserta:
            continue
        by_peserta[t.peserta_id].append(t)
        if t.asesor_id not in asesor:
            out.append(
                Peringatan(
                    "bukan_tim",
                    _l(
                        "%(p)s is assigned to someone who is no longer an assessor of the team.",
                        p=peserta[t.peserta_id].nama,
                    ),
                    t.peserta_id,
                    t.asesor_id,
                )
            )
            continue
        load[(_group(t, gelombang_of), t.asesor_id)].add(t.peserta_id)
    for (group, asesor_id), members in sorted(load.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        if len(members) > b.maks_peserta_per_asesor:
            if group[0] == "sesi" and group[1] in sesi:
                where = sesi[group[1]].label
            else:
                where = _l("%(m)s in %(g)s", m=r.metode.get(group[2], "?"), g=r.gelombang.get(group[1], "?"))
            out.append(
                Peringatan(
                    "rasio",
                    _l(
                        "%(a)s assesses %(n)d participants in %(where)s; at most %(max)d per assessor.",
                        a=asesor[asesor_id].nama,
                        n=len(members),
                        where=where,
                        max=b.maks_peserta_per_asesor,
                    ),
                    asesor_id=asesor_id,
                )
            )
    for p in r.peserta:
        tugas = by_peserta.get(p.id, [])
        missing = [name for mid, name in r.metode.items() if not any(t.metode_id == mid for t in tugas)]
        if missing and r.metode:
            out.append(
                Peringatan(
                    "belum_ditugaskan", _l("%(p)s has no assessor for: %(m)s.", p=p.nama, m=", ".join(missing)), p.id
                )
            )
        distinct = {t.asesor_id for t in tugas if t.asesor_id in asesor}
        if tugas and len(distinct) < b.min_asesor_per_peserta:
            out.append(
                Peringatan(
                    "min_asesor",
                    _l(
                        "%(p)s is assessed by %(n)d different assessor(s); at least %(min)d are required.",
                        p=p.nama,
                        n=len(distinct),
                        min=b.min_asesor_per_peserta,
                    ),
                    p.id,
                )
            )
        for t in tugas:
            a = asesor.get(t.asesor_id)
            reason = konflik(a, p, r.induk) if a else None
            if reason:
                out.append(
                    Peringatan(
                        "konflik",
                        _l("%(a)s may not assess %(p)s: %(why)s.", a=a.nama, p=p.nama, why=reason),
                        p.id,
                        a.pegawai_id,
                    )
                )
    for kid in sorted({k for ks in r.standar_kurang.values() for k in ks}):
        names = [peserta[pid].nama for pid, ks in r.standar_kurang.items() if kid in ks and pid in peserta]
        out.append(
            Peringatan(
                "standar",
                _l(
                    "No standard level of %(k)s for the position of: %(p)s.",
                    k=r.kompetensi.get(kid, "?"),
                    p=", ".join(names),
                ),
            )
        )

    # Double booking: one assessor in two overlapping sessions (this event and others)
    for a in r.asesor:
        own = sorted(
            {t.sesi_id for t in r.tugas if t.asesor_id == a.pegawai_id and t.sesi_id in sesi},
            key=lambda i: sesi[i].mulai,
        )
        slots = [(sesi[i].mulai, sesi[i].selesai, sesi[i].label) for i in own]
        slots += [(s.mulai, s.selesai, s.label) for s in r.sibuk if s.asesor_id == a.pegawai_id]
        slots.sort(key=lambda s: s[0])
        for i, first in enumerate(slots):
            for second in slots[i + 1 :]:
                if _overlap(first[0], first[1], second[0], second[1]):
                    out.append(
                        Peringatan(
                            "bentrok",
                            _l(
                                "%(a)s is in two sessions at the same time: %(s1)s and %(s2)s.",
                                a=a.nama,
                                s1=first[2],
                                s2=second[2],
                            ),
                            asesor_id=a.pegawai_id,
                        )
                    )
    return out


# -- automatic assignment ------------------------------------------------------------------------


def _cocokkan(
    peserta: list[int],
    kapasitas: int,
    urutan: dict[int, list[int]],
    boleh: Callable[[int, int], bool],
    sudah: dict[int, int],
    muatan: dict[int, list[int]],
) -> None:
    """Fill `sudah` (participant → assessor) by augmenting paths over assessor slots (Kuhn), trying
    each participant's assessors in its preference order; deterministic."""

    def coba(p: int, dilihat: set[int]) -> bool:
        for a in urutan[p]:
            if a in dilihat or not boleh(p, a):
                continue
            dilihat.add(a)
            if len(muatan[a]) < kapasitas:
                muatan[a].append(p)
                sudah[p] = a
                return True
            for q in list(muatan[a]):
                if coba(q, dilihat):
                    muatan[a].remove(q)
                    muatan[a].append(p)
                    sudah[p] = a
                    return True
        return False

    for p in peserta:
        if p not in sudah:
            coba(p, set())


def _potong(items: list, n: int) -> list[list]:
    """Split in n consecutive chunks of near-equal size."""
    size, rest = divmod(len(items), n)
    chunks, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < rest else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def atur_otomatis(r: Rancangan, gelombang_ids: Iterable[int] | None = None) -> list[TugasR]:
    """A rotation of assessors over the participants of the given waves (default: all), method by method:
    each assessor takes at most the ratio per session, a participant meets a new assessor in each method
    as long as there are enough, never an assessor with a conflict of interest or one who is elsewhere
    at the session's time. Assignments of other waves are kept and count as the assessors' busy times.
    Returns the assignments of the regenerated waves; what cannot be placed stays unassigned (and warns)."""
    waves = list(r.gelombang) if gelombang_ids is None else [g for g in r.gelombang if g in set(gelombang_ids)]
    peserta = {p.id: p for p in r.peserta}
    asesor = sorted(r.asesor, key=lambda a: a.pegawai_id)
    if not asesor or not r.metode:
        return []
    ids = [a.pegawai_id for a in asesor]
    by_id = {a.pegawai_id: a for a in asesor}
    sesi = {s.id: s for s in r.sesi}
    busy: dict[int, list[tuple]] = defaultdict(list)
    for s in r.sibuk:
        busy[s.asesor_id].append((s.mulai, s.selesai, None))
    for t in r.tugas:
        if peserta.get(t.peserta_id) and peserta[t.peserta_id].gelombang_id not in waves and t.sesi_id in sesi:
            busy[t.asesor_id].append((sesi[t.sesi_id].mulai, sesi[t.sesi_id].selesai, t.sesi_id))
    kapasitas = max(1, r.batas.maks_peserta_per_asesor)
    result: list[TugasR] = []
    used: dict[int, set[int]] = defaultdict(set)
    for gid in waves:
        members = sorted((p for p in r.peserta if p.gelombang_id == gid), key=lambda p: p.id)
        index = {p.id: i for i, p in enumerate(members)}
        for j, metode_id in enumerate(r.metode):
            sessions = sorted(
                (s for s in r.sesi if s.gelombang_id == gid and s.metode_id == metode_id), key=lambda s: (s.mulai, s.id)
            )
            chunks = _potong(members, len(sessions)) if sessions else [members]
            for chunk, session in zip(chunks, sessions or [None], strict=True):

                def free(a: int, session=session) -> bool:
                    return session is None or not any(
                        sid != session.id and _overlap(start, end, session.mulai, session.selesai)
                        for start, end, sid in busy[a]
                    )

                available = [a for a in ids if free(a)]
                order = {
                    p.id: [
                        available[(index[p.id] // kapasitas + j + k) % len(available)] for k in range(len(available))
                    ]
                    if available
                    else []
                    for p in chunk
                }

                def allowed(p: int, a: int, strict: bool) -> bool:
                    if konflik(by_id[a], peserta[p], r.induk):
                        return False
                    return not strict or a not in used[p]

                matched: dict[int, int] = {}
                load: dict[int, list[int]] = {a: [] for a in ids}
                pids = [p.id for p in chunk]
                _cocokkan(pids, kapasitas, order, lambda p, a: allowed(p, a, True), matched, load)
                _cocokkan(pids, kapasitas, order, lambda p, a: allowed(p, a, False), matched, load)
                for pid in pids:
                    if pid in matched:
                        a = matched[pid]
                        used[pid].add(a)
                        result.append(TugasR(pid, metode_id, a, session.id if session else None))
                if session is not None:
                    for a, taken in load.items():
                        if taken:
                            busy[a].append((session.mulai, session.selesai, session.id))
    return result
