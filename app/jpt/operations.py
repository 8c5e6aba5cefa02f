"""Open JPT selection (seleksi terbuka JPT): one function per verb, shared by the screens, the API, the
SOP's step hooks, the demo and the tests.

The compilation (SOP step 4) puts every candidate's stage scores together: weighted total = Σ score ×
weight / 100 (weights in percent, summing to 100), rank per vacant post (ties share a rank). The
check (step 5) may return it with a note; the refinement (step 6) recompiles; the approval (step 7)
freezes it: from then on nothing about the candidates changes. The secretariat meeting (step 8) sets
every candidate standar / di bawah standar by the selection's rule and marks the three best standar
candidates of each post.

Functions do not commit unless they say so: the caller (view, API, engine transition) commits or
rolls back the whole operation.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, select

from app import nip as nip_mod
from app import scope
from app.extensions import db
from app.models import Hasil, Kasus, Peserta
from app.models.jpt import (
    KODE_TAHAP,
    TAHAP,
    AturanStandar,
    FormasiJpt,
    KandidatJpt,
    PanselJpt,
    PeranPansel,
    SeleksiJpt,
    StatusKompilasi,
    SumberAssessment,
)
from app.models.security import utcnow
from app.workflow.engine import TransitionError


class JptError(TransitionError):
    """A refused selection operation; str() is the user's message. A TransitionError, so an SOP step
    whose hook runs the operation is refused as a whole."""


# -- scope: the selection belongs to its unit; its posts, panel and candidates go with it -------------


def _seleksi_rule(r: scope.Reach):
    if r.admin:
        return None
    return SeleksiJpt.unit_kerja_id.in_(sorted(r.units)) if r.units else false()


def _child_rule(column):
    def rule(r: scope.Reach):
        parent = _seleksi_rule(r)
        return None if parent is None else column.in_(select(SeleksiJpt.id).where(parent))

    return rule


scope.register(SeleksiJpt, _seleksi_rule)
scope.register(FormasiJpt, _child_rule(FormasiJpt.seleksi_id))
scope.register(PanselJpt, _child_rule(PanselJpt.seleksi_id))
scope.register(KandidatJpt, _child_rule(KandidatJpt.seleksi_id))

NAMA_TAHAP = {kode: label for kode, label, _bobot in TAHAP}


# -- loading -------------------------------------------------------------------------------------


def seleksi(pk, user=None) -> SeleksiJpt:
    """A selection through the caller's scope; 404 when missing or not visible."""
    item = scope.get(SeleksiJpt, pk, user)
    if item is None:
        raise JptError(_l("Not found."), 404)
    return item


def seleksi_kasus(kasus_id: int) -> SeleksiJpt | None:
    """The selection a case runs (the engine already loaded the case through the caller's scope)."""
    return db.session.execute(select(SeleksiJpt).where(SeleksiJpt.kasus_id == kasus_id)).scalar()


def kandidat(pk, user=None) -> KandidatJpt:
    item = scope.get(KandidatJpt, pk, user)
    if item is None:
        raise JptError(_l("Not found."), 404)
    return item


def _belum_beku(item: SeleksiJpt) -> None:
    if item.beku:
        raise JptError(
            _l("The compilation of %(nama)s has been approved and is frozen; its candidates and scores can no "
               "longer be changed.", nama=item.nama), 409,
        )  # fmt: skip


def _reset(item: SeleksiJpt) -> None:
    """A change to the inputs makes an earlier compilation stale: it must be compiled again."""
    if item.status_kompilasi != StatusKompilasi.BELUM.value or item.dikompilasi_at is not None:
        item.status_kompilasi = StatusKompilasi.BELUM.value
        item.dikompilasi_at = None
    for row in item.kandidat:
        row.nilai_akhir = row.peringkat = row.standar = None
        row.tiga_besar = False


# -- the selection and its set-up ------------------------------------------------------------------


def buat_seleksi(user, nama: str, unit_kerja_id: int, tahun: int, kasus_id: int | None = None) -> SeleksiJpt:
    """A new selection of a unit the caller sees (user None: the system, e.g. demo data), with the default
    stage weights."""
    nama = (nama or "").strip()
    if not nama:
        raise JptError(_l("The name of the selection is required."))
    if user is not None and not scope.can_see_unit(unit_kerja_id, user):
        raise JptError(_l("Choose a work unit within your scope."), 422)
    item = SeleksiJpt(nama=nama[:250], unit_kerja_id=unit_kerja_id, tahun=tahun, kasus_id=kasus_id,
                      **{f"bobot_{kode}": bobot for kode, _label, bobot in TAHAP})  # fmt: skip
    db.session.add(item)
    db.session.flush()
    return item


def kesalahan_bobot(values: dict[str, float | None]) -> str | None:
    """Why a set of stage weights is not acceptable (each 0–100, together exactly 100 %), or None."""
    total = 0.0
    for kode in KODE_TAHAP:
        value = values.get(kode)
        if value is None or not 0 <= float(value) <= 100:
            return str(_l("The weight of %(stage)s must be between 0 and 100.", stage=NAMA_TAHAP[kode]))
        total += float(value)
    if abs(total - 100) > 0.001:
        return str(_l("The stage weights must add up to 100%%; now they add up to %(total)s%%.",
                      total=f"{total:g}"))  # fmt: skip
    return None


def atur_bobot(item: SeleksiJpt, values: dict[str, float]) -> None:
    """Set the stage weights (refused once the compilation is approved)."""
    _belum_beku(item)
    error = kesalahan_bobot(values)
    if error:
        raise JptError(error)
    for kode in KODE_TAHAP:
        setattr(item, f"bobot_{kode}", float(values[kode]))
    _reset(item)


def kesalahan_aturan(aturan: str | None, ambang) -> str | None:
    if aturan not in {a.value for a in AturanStandar}:
        return str(_l("Choose the rule that decides standar / di bawah standar."))
    if ambang is None or not 0 <= float(ambang) <= 100:
        return str(_l("The threshold must be between 0 and 100."))
    return None


def kurang_seleksi(item: SeleksiJpt | None) -> list[str]:
    """What the selection still lacks before the case moves on from its first step."""
    if item is None:
        return [str(_l("This case has no JPT selection yet."))]
    problems = []
    if not item.formasi:
        problems.append(str(_l("at least one vacant post")))
    peran = [p.peran for p in item.pansel]
    if peran.count(PeranPansel.KETUA.value) != 1:
        problems.append(str(_l("exactly one chair of the selection panel")))
    if PeranPansel.SEKRETARIS.value not in peran:
        problems.append(str(_l("a secretary of the selection panel")))
    error = kesalahan_bobot(item.bobot())
    if error:
        problems.append(error)
    return problems


def periksa_pansel(item: SeleksiJpt, peran: str, kecuali: int | None = None) -> None:
    """A panel has one chair and one secretary."""
    if peran not in {p.value for p in PeranPansel}:
        raise JptError(_l("Choose the member's role in the panel."))
    unique = peran in (PeranPansel.KETUA.value, PeranPansel.SEKRETARIS.value)
    if unique and any(p.peran == peran and p.id != kecuali for p in item.pansel):
        raise JptError(_l("The panel already has a chair or secretary in this role; change that member first."))


# -- candidates and stage scores -------------------------------------------------------------------


def periksa_kandidat(item: SeleksiJpt, nip: str, formasi_id: int | None, kecuali: int | None = None) -> str:
    """The candidate's NIP (18 digits) once it is valid and not yet in the selection."""
    try:
        digits = nip_mod.parse(nip).digits
    except nip_mod.NipError as exc:
        raise JptError(str(exc)) from None
    if any(k.nip == digits and k.id != kecuali for k in item.kandidat):
        raise JptError(_l("NIP %(nip)s is already a candidate of this selection.", nip=nip_mod.format_nip(digits)))
    if formasi_id not in {f.id for f in item.formasi}:
        raise JptError(_l("Choose one of the vacant posts of this selection."))
    return digits


def tambah_kandidat(item: SeleksiJpt, nip: str, nama: str, formasi_id: int, instansi_asal: str = "",
                    jabatan_asal: str = "") -> KandidatJpt:  # fmt: skip
    """Register a candidate for one vacant post (refused once the compilation is approved)."""
    _belum_beku(item)
    digits = periksa_kandidat(item, nip, formasi_id)
    if not (nama or "").strip():
        raise JptError(_l("The candidate's name is required."))
    row = KandidatJpt(seleksi=item, nip=digits, nama=nama.strip()[:200], formasi_id=formasi_id,
                      instansi_asal=(instansi_asal or "")[:250], jabatan_asal=(jabatan_asal or "")[:250])  # fmt: skip
    db.session.add(row)
    _reset(item)
    db.session.flush()
    return row


def kesalahan_nilai(value) -> str | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(_l("a score is a number from 0 to 100"))
    if isinstance(value, bool) or not 0 <= number <= 100:
        return str(_l("a score is a number from 0 to 100"))
    return None


def isi_nilai(row: KandidatJpt, values: dict) -> None:
    """Set some stage scores of a candidate (0–100; empty clears). Refused once approved."""
    _belum_beku(row.seleksi)
    errors = []
    for kode, value in values.items():
        if kode not in KODE_TAHAP:
            errors.append(str(_l("unknown stage %(kode)s", kode=kode)))
        elif kesalahan_nilai(value):
            errors.append(f"{NAMA_TAHAP[kode]}: {kesalahan_nilai(value)}")
    if errors:
        raise JptError("; ".join(errors))
    for kode, value in values.items():
        setattr(row, f"nilai_{kode}", None if value in (None, "") else float(value))
        if kode == "assessment":
            row.sumber_assessment = SumberAssessment.MANUAL.value if value not in (None, "") else None
    _reset(row.seleksi)


def ambil_dari_kegiatan(item: SeleksiJpt, user) -> int:
    """Take every candidate's assessment-center score from the JPM locked at the selection's assessment
    event (matched by NIP). All or nothing: a candidate without a locked result is named and nothing
    changes. Returns the number of candidates filled."""
    _belum_beku(item)
    if item.kegiatan_id is None or scope.get(type(item.kegiatan), item.kegiatan_id, user) is None:
        raise JptError(_l("Choose the assessment event of this selection first."))
    if not item.kandidat:
        raise JptError(_l("The selection has no candidates yet."))
    query = (select(Peserta.nip, Hasil.jpm).join(Hasil, Hasil.peserta_id == Peserta.id)
             .where(Hasil.kegiatan_id == item.kegiatan_id))  # fmt: skip
    jpm = dict(db.session.execute(query).all())
    missing = [k for k in item.kandidat if k.nip not in jpm]
    if missing:
        raise JptError(_l("No locked result in %(event)s for: %(names)s. Nothing was taken.",
                          event=item.kegiatan.nama, names=", ".join(str(k) for k in missing)))  # fmt: skip
    for row in item.kandidat:
        row.nilai_assessment = float(jpm[row.nip])
        row.sumber_assessment = SumberAssessment.KEGIATAN.value
    _reset(item)
    return len(item.kandidat)


# -- the compilation and its life ------------------------------------------------------------------


@dataclass(frozen=True)
class Baris:
    """One candidate in the arithmetic of the compilation."""

    id: int
    formasi_id: int
    nilai: dict[str, float | None]


def nilai_akhir(bobot: dict[str, float], nilai: dict[str, float | None]) -> float:
    """Σ score × weight / 100, rounded to two decimals."""
    return round(sum((nilai.get(k) or 0) * w / 100 for k, w in bobot.items() if w), 2)


def peringkat(totals: dict[int, tuple[int, float, float]]) -> dict[int, int]:
    """Rank per post: candidate id → rank, by total (then assessment-center score) descending; equal
    totals and assessment scores share a rank (1, 2, 2, 4)."""
    by_post: dict[int, list[tuple[int, float, float]]] = {}
    for cid, (post, total, ac) in totals.items():
        by_post.setdefault(post, []).append((cid, total, ac))
    result: dict[int, int] = {}
    for rows in by_post.values():
        rows.sort(key=lambda r: (-r[1], -r[2], r[0]))
        for i, (cid, total, ac) in enumerate(rows):
            prev = rows[i - 1] if i else None
            result[cid] = result[prev[0]] if prev and (prev[1], prev[2]) == (total, ac) else i + 1
    return result


def kurang_nilai(item: SeleksiJpt) -> list[str]:
    """The scores still missing for a compilation: per candidate, the weighted stages without a score."""
    bobot = item.bobot()
    problems = []
    for row in item.kandidat:
        gaps = [str(NAMA_TAHAP[k]) for k, v in row.nilai().items() if v is None and bobot[k] > 0]
        if gaps:
            problems.append(f"{row.nama}: {', '.join(gaps)}")
    return problems


def kompilasi(item: SeleksiJpt) -> None:
    """Compile: weighted totals and ranks per post (SOP step 4; again at step 6 after a return)."""
    _belum_beku(item)
    if not item.kandidat:
        raise JptError(_l("The selection has no candidates yet."))
    problems = kurang_nilai(item)
    if problems:
        raise JptError(_l("Scores are missing: %(items)s.", items="; ".join(problems)))
    bobot = item.bobot()
    totals = {k.id: (k.formasi_id, nilai_akhir(bobot, k.nilai()), k.nilai_assessment or 0) for k in item.kandidat}
    ranks = peringkat(totals)
    for row in item.kandidat:
        row.nilai_akhir = totals[row.id][1]
        row.peringkat = ranks[row.id]
        row.standar, row.tiga_besar = None, False
    item.status_kompilasi = StatusKompilasi.DRAF.value
    item.dikompilasi_at = utcnow()


def ada_kompilasi(item: SeleksiJpt | None) -> bool:
    return item is not None and item.dikompilasi_at is not None and item.status_kompilasi != StatusKompilasi.BELUM


def kembalikan(item: SeleksiJpt, catatan: str) -> None:
    """The check or the approval returns the compilation with a note: it is open for correction again."""
    catatan = (catatan or "").strip()
    if not catatan:
        raise JptError(_l("Say in the comment what must be corrected in the compilation."))
    item.status_kompilasi = StatusKompilasi.DIKEMBALIKAN.value
    item.catatan_kompilasi = catatan
    item.disetujui_at = item.disetujui_oleh_id = None


def periksa(item: SeleksiJpt) -> None:
    """Step 5 found the compilation in order."""
    if not ada_kompilasi(item):
        raise JptError(_l("Compile the candidates' scores first."))
    item.status_kompilasi = StatusKompilasi.DIPERIKSA.value


def setujui(item: SeleksiJpt, user) -> None:
    """Step 7 approves the compilation: frozen from now on."""
    if not ada_kompilasi(item):
        raise JptError(_l("Compile the candidates' scores first."))
    item.status_kompilasi = StatusKompilasi.DISETUJUI.value
    item.disetujui_at = utcnow()
    item.disetujui_oleh_id = getattr(user, "id", None)


def standar(item: SeleksiJpt, row: KandidatJpt) -> bool:
    """The selection's rule: the weighted total (or the assessment-center score) at or above the threshold."""
    value = row.nilai_assessment if item.aturan_standar == AturanStandar.ASSESSMENT.value else row.nilai_akhir
    return value is not None and float(value) >= float(item.ambang_standar)


def tetapkan(item: SeleksiJpt) -> None:
    """Step 8: every candidate standar / di bawah standar by the rule, and the three best standar
    candidates of each post (by rank)."""
    if item.status_kompilasi not in (StatusKompilasi.DISETUJUI.value, StatusKompilasi.DITETAPKAN.value):
        raise JptError(_l("The compilation must be approved before the secretariat meeting sets the results."), 409)
    by_post: dict[int, list[KandidatJpt]] = {}
    for row in item.kandidat:
        row.standar = standar(item, row)
        row.tiga_besar = False
        by_post.setdefault(row.formasi_id, []).append(row)
    for rows in by_post.values():
        best = sorted((r for r in rows if r.standar), key=lambda r: (r.peringkat, r.id))[:3]
        for row in best:
            row.tiga_besar = True
    item.status_kompilasi = StatusKompilasi.DITETAPKAN.value
    item.ditetapkan_at = utcnow()


def tabel_kompilasi(item: SeleksiJpt) -> list[KandidatJpt]:
    """The candidates as the compilation lists them: by post, then rank."""
    return sorted(item.kandidat, key=lambda r: (r.formasi_id, r.peringkat or 10**6, r.nama))


def kasus_seleksi_terlihat(kasus_id: int | None, user) -> Kasus | None:
    """The case a selection links to, if the caller may see it."""
    return scope.get(Kasus, kasus_id, user) if kasus_id else None
