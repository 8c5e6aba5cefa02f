"""Results of competency assessment: pure arithmetic, no database, no request.

- gap per competency = consensus level − standard level;
- JPM (Job Person Match) by a configurable formula, rounded half-up to two decimals:
  `jumlah` (default) Σ consensus ÷ Σ standard × 100; `rata_rasio` mean over competencies of
  min(consensus ÷ standard, 1) × 100; `campuran` (bobot_kompetensi × JPM_jumlah + bobot_potensi ×
  potential %) ÷ (bobot_kompetensi + bobot_potensi), with potential % = mean potential rating ÷ 5 × 100;
- the category by purpose, compared on the rounded JPM (a bound belongs to the upper category):
  pengisian jabatan MS ≥ 80, MMS ≥ 68, else KMS; pemetaan Optimal ≥ 90, Cukup Optimal ≥ 78, else
  Kurang Optimal; open JPT selection and transfer use one of the two schemes (pengisian by default);
- potential: the mean of the aspect ratings (1–5), its class rendah / menengah / tinggi by two
  cut-points (a cut-point belongs to the upper class);
- performance level from the SKP predikat (configurable lists), and the nine-box number as
  DOMAIN.md numbers it (1 low/low … 9 high/high);
- the spread of several assessors' levels (max − min) and whether it needs the meeting's attention.

Every threshold comes in a `Ketentuan` built from the agency's `AturanPenilaian` row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

SERATUS = Decimal(100)
DUA_DESIMAL = Decimal("0.01")

PENGISIAN = "pengisian_jabatan"
PEMETAAN = "pemetaan"
SELEKSI_JPT = "seleksi_terbuka_jpt"
MUTASI = "mutasi"

JUMLAH, RATA_RASIO, CAMPURAN = "jumlah", "rata_rasio", "campuran"

RENDAH, MENENGAH, TINGGI = "rendah", "menengah", "tinggi"
DI_BAWAH, SESUAI, DI_ATAS = "di_bawah", "sesuai", "di_atas"

KATEGORI_LABELS = {
    "ms": _l("Meets Requirements (MS)"),
    "mms": _l("Still Meets Requirements (MMS)"),
    "kms": _l("Does Not Meet Requirements (KMS)"),
    "optimal": _l("Optimal"),
    "cukup_optimal": _l("Fairly Optimal"),
    "kurang_optimal": _l("Less than Optimal"),
}
KELAS_POTENSI_LABELS = {RENDAH: _l("low"), MENENGAH: _l("medium"), TINGGI: _l("high")}
KINERJA_LABELS = {DI_BAWAH: _l("below expectations"), SESUAI: _l("as expected"), DI_ATAS: _l("above expectations")}
SKEMA_LABELS = {
    PENGISIAN: _l("Filling a position (MS / MMS / KMS)"),
    PEMETAAN: _l("Mapping (Optimal / Cukup / Kurang)"),
}

# Nine-box: (potential class, performance level) → box number, as DOMAIN.md gives it.
KOTAK = {
    (RENDAH, DI_BAWAH): 1,
    (RENDAH, SESUAI): 2,
    (MENENGAH, DI_BAWAH): 3,
    (RENDAH, DI_ATAS): 4,
    (MENENGAH, SESUAI): 5,
    (TINGGI, DI_BAWAH): 6,
    (MENENGAH, DI_ATAS): 7,
    (TINGGI, SESUAI): 8,
    (TINGGI, DI_ATAS): 9,
}


def d(value) -> Decimal:
    """A Decimal from an int, a float read from the database, a string or a Decimal."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def bulat(value: Decimal) -> Decimal:
    """Two decimals, half up (79.995 → 80.00)."""
    return d(value).quantize(DUA_DESIMAL, rounding=ROUND_HALF_UP)


def _daftar(text: str | Iterable[str]) -> frozenset[str]:
    items = text.split(",") if isinstance(text, str) else text
    return frozenset(item.strip().lower() for item in items if item and item.strip())


@dataclass(frozen=True)
class Ketentuan:
    """The thresholds and formula results are computed with (defaults: DOMAIN.md, seed 4)."""

    rumus_jpm: str = JUMLAH
    bobot_kompetensi: Decimal = Decimal(70)
    bobot_potensi: Decimal = Decimal(30)
    pengisian_ms_min: Decimal = Decimal(80)
    pengisian_mms_min: Decimal = Decimal(68)
    pemetaan_optimal_min: Decimal = Decimal(90)
    pemetaan_cukup_min: Decimal = Decimal(78)
    skema_seleksi_jpt: str = PENGISIAN
    skema_mutasi: str = PENGISIAN
    potensi_menengah_min: Decimal = Decimal("2.5")
    potensi_tinggi_min: Decimal = Decimal("3.5")
    predikat_tinggi: frozenset[str] = field(default_factory=lambda: _daftar("Sangat Baik"))
    predikat_sesuai: frozenset[str] = field(default_factory=lambda: _daftar("Baik"))
    ambang_sebaran: Decimal = Decimal("1.5")
    setengah_level: bool = True

    @classmethod
    def dari(cls, aturan) -> Ketentuan:
        """From an `AturanPenilaian` row (or anything with the same attributes)."""
        return cls(
            rumus_jpm=aturan.rumus_jpm, bobot_kompetensi=d(aturan.bobot_kompetensi),
            bobot_potensi=d(aturan.bobot_potensi), pengisian_ms_min=d(aturan.pengisian_ms_min),
            pengisian_mms_min=d(aturan.pengisian_mms_min), pemetaan_optimal_min=d(aturan.pemetaan_optimal_min),
            pemetaan_cukup_min=d(aturan.pemetaan_cukup_min), skema_seleksi_jpt=aturan.skema_seleksi_jpt,
            skema_mutasi=aturan.skema_mutasi, potensi_menengah_min=d(aturan.potensi_menengah_min),
            potensi_tinggi_min=d(aturan.potensi_tinggi_min), predikat_tinggi=_daftar(aturan.predikat_kinerja_tinggi),
            predikat_sesuai=_daftar(aturan.predikat_kinerja_sesuai), ambang_sebaran=d(aturan.ambang_sebaran),
            setengah_level=bool(aturan.setengah_level),
        )  # fmt: skip


# -- levels, gaps, spread ----------------------------------------------------------------------


def level_sah(level, setengah: bool = True) -> bool:
    """A level on the scale: 1 to 5, in whole steps or (when allowed) half steps."""
    try:
        value = d(level)
    except (ArithmeticError, ValueError, TypeError):
        return False
    if not value.is_finite() or value < 1 or value > 5:
        return False
    step = Decimal("0.5") if setengah else Decimal(1)
    return value % step == 0


def selisih(konsensus, standar) -> Decimal:
    """Gap of one competency: consensus − standard (negative: below the standard)."""
    return d(konsensus) - d(standar)


def sebaran(levels: Sequence) -> Decimal:
    """How far apart several assessors' levels are: max − min (0 for fewer than two)."""
    values = [d(v) for v in levels]
    return max(values) - min(values) if len(values) > 1 else Decimal(0)


def sebaran_mencolok(levels: Sequence, ambang) -> bool:
    """True when the assessors are at least `ambang` levels apart: the meeting must discuss it."""
    return len(levels) > 1 and sebaran(levels) >= d(ambang)


def rata_rata_level(levels: Sequence, setengah: bool = True) -> Decimal | None:
    """The assessors' mean rounded half-up to the scale's step: a starting point for the consensus."""
    if not levels:
        return None
    mean = sum(d(v) for v in levels) / len(levels)
    step = Decimal("0.5") if setengah else Decimal(1)
    return ((mean / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step


# -- JPM and category ------------------------------------------------------------------------


def jpm_jumlah(pasangan: Sequence[tuple]) -> Decimal:
    """Σ consensus ÷ Σ standard × 100 over (consensus, standard) pairs."""
    total_standar = sum(d(s) for _, s in pasangan)
    if not pasangan or total_standar <= 0:
        raise ValueError("no standard to compare with")
    return bulat(sum(d(k) for k, _ in pasangan) / total_standar * SERATUS)


def jpm_rata_rasio(pasangan: Sequence[tuple]) -> Decimal:
    """Mean over competencies of min(consensus ÷ standard, 1) × 100."""
    if not pasangan or any(d(s) <= 0 for _, s in pasangan):
        raise ValueError("no standard to compare with")
    ratios = [min(d(k) / d(s), Decimal(1)) for k, s in pasangan]
    return bulat(sum(ratios) / len(ratios) * SERATUS)


def potensi_persen(skor) -> Decimal:
    """A mean potential rating (1–5) as a percentage of the top of the scale."""
    return d(skor) / Decimal(5) * SERATUS


def jpm_campuran(jpm_kompetensi, skor_potensi, bobot_kompetensi, bobot_potensi) -> Decimal:
    """Weighted blend of the competency JPM (Σ/Σ) and the potential percentage."""
    total = d(bobot_kompetensi) + d(bobot_potensi)
    if total <= 0:
        raise ValueError("weights add up to zero")
    blended = (d(bobot_kompetensi) * d(jpm_kompetensi) + d(bobot_potensi) * potensi_persen(skor_potensi)) / total
    return bulat(blended)


def jpm(pasangan: Sequence[tuple], ketentuan: Ketentuan, skor_potensi=None) -> Decimal:
    """JPM by the configured formula. `campuran` needs the potential score (ValueError without it)."""
    if ketentuan.rumus_jpm == RATA_RASIO:
        return jpm_rata_rasio(pasangan)
    if ketentuan.rumus_jpm == CAMPURAN:
        if skor_potensi is None:
            raise ValueError("the blended formula needs the potential score")
        return jpm_campuran(jpm_jumlah(pasangan), skor_potensi, ketentuan.bobot_kompetensi, ketentuan.bobot_potensi)
    return jpm_jumlah(pasangan)


def skema(tujuan: str, ketentuan: Ketentuan) -> str:
    """Which category scheme a purpose uses: pengisian jabatan or pemetaan."""
    if tujuan == PEMETAAN:
        return PEMETAAN
    if tujuan == SELEKSI_JPT:
        return ketentuan.skema_seleksi_jpt
    if tujuan == MUTASI:
        return ketentuan.skema_mutasi
    return PENGISIAN


def kategori(nilai_jpm, tujuan: str, ketentuan: Ketentuan) -> str:
    """The category code of a JPM for the purpose; compared after rounding to two decimals."""
    value = bulat(nilai_jpm)
    if skema(tujuan, ketentuan) == PEMETAAN:
        if value >= ketentuan.pemetaan_optimal_min:
            return "optimal"
        return "cukup_optimal" if value >= ketentuan.pemetaan_cukup_min else "kurang_optimal"
    if value >= ketentuan.pengisian_ms_min:
        return "ms"
    return "mms" if value >= ketentuan.pengisian_mms_min else "kms"


# -- potential, performance, nine-box ----------------------------------------------------------


def skor_potensi(nilai: Iterable) -> Decimal | None:
    """Mean of the potential ratings, two decimals; None when nothing was rated."""
    values = [d(v) for v in nilai]
    return bulat(sum(values) / len(values)) if values else None


def kelas_potensi(skor, ketentuan: Ketentuan) -> str | None:
    """rendah / menengah / tinggi; a score equal to a cut-point takes the upper class."""
    if skor is None:
        return None
    value = d(skor)
    if value >= ketentuan.potensi_tinggi_min:
        return TINGGI
    return MENENGAH if value >= ketentuan.potensi_menengah_min else RENDAH


def tingkat_kinerja(predikat: str | None, ketentuan: Ketentuan) -> str | None:
    """Performance level from the SKP predikat; None when no predikat is known."""
    key = (predikat or "").strip().lower()
    if not key:
        return None
    if key in ketentuan.predikat_tinggi:
        return DI_ATAS
    return SESUAI if key in ketentuan.predikat_sesuai else DI_BAWAH


def kotak_sembilan(kelas: str | None, kinerja: str | None) -> int | None:
    """The nine-box number (1–9) of a potential class and a performance level."""
    return KOTAK.get((kelas, kinerja))


# -- one participant -------------------------------------------------------------------------


@dataclass(frozen=True)
class BarisKompetensi:
    """One competency of a participant: its standard and the consensus level (None: not agreed yet)."""

    kompetensi_id: int
    kode: str
    nama: str
    standar: Decimal | None
    konsensus: Decimal | None

    @property
    def selisih(self) -> Decimal | None:
        if self.standar is None or self.konsensus is None:
            return None
        return selisih(self.konsensus, self.standar)


@dataclass(frozen=True)
class HasilHitung:
    """Everything a participant's result shows; `lengkap` is False while something is missing."""

    baris: tuple[BarisKompetensi, ...]
    jpm: Decimal | None
    kategori: str | None
    skor_potensi: Decimal | None
    kelas_potensi: str | None
    tingkat_kinerja: str | None
    kotak: int | None
    kurang: tuple[str, ...] = ()  # codes of what is missing: standar, konsensus, potensi

    @property
    def lengkap(self) -> bool:
        return not self.kurang


def hitung(
    baris: Sequence[BarisKompetensi], tujuan: str, ketentuan: Ketentuan, potensi: Iterable = (),
    predikat: str | None = None, jumlah_aspek: int | None = None,
) -> HasilHitung:  # fmt: skip
    """A participant's result from the rows, the potential ratings and the SKP predikat.
    `jumlah_aspek`: how many potential aspects must be rated for the potential to count as complete."""
    kurang = []
    if not baris:
        kurang.append("kompetensi")
    if any(b.standar is None for b in baris):
        kurang.append("standar")
    if any(b.konsensus is None for b in baris):
        kurang.append("konsensus")
    ratings = list(potensi)
    skor = skor_potensi(ratings)
    if skor is None or (jumlah_aspek is not None and len(ratings) < jumlah_aspek):
        kurang.append("potensi")
        skor = None  # a partial mean would place the participant in a class too early
    kelas = kelas_potensi(skor, ketentuan)
    kinerja = tingkat_kinerja(predikat, ketentuan)
    nilai_jpm = kat = None
    if not {"kompetensi", "standar", "konsensus"} & set(kurang):
        pasangan = [(b.konsensus, b.standar) for b in baris]
        if ketentuan.rumus_jpm != CAMPURAN or skor is not None:
            nilai_jpm = jpm(pasangan, ketentuan, skor)
            kat = kategori(nilai_jpm, tujuan, ketentuan)
    return HasilHitung(tuple(baris), nilai_jpm, kat, skor, kelas, kinerja, kotak_sembilan(kelas, kinerja),
                       tuple(kurang))  # fmt: skip
