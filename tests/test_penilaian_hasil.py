"""Results arithmetic against hand-computed examples: JPM by each formula, the categories of both
purposes at every threshold, potential classes, performance levels and the nine-box."""

from decimal import Decimal as D

import pytest

from app.penilaian import hasil as h
from app.penilaian.hasil import BarisKompetensi, Ketentuan

BAWAAN = Ketentuan()


def pairs(konsensus, standar):
    return list(zip(konsensus, standar, strict=True))


# -- JPM, default formula Σ consensus ÷ Σ standard × 100 -------------------------------------------


def test_jpm_of_an_administrator_below_standard_is_mms_for_filling_a_position():
    # Nine competencies, standard 3 each (Σ 27); the meeting agreed Σ 21.5 → 21.5 / 27 = 79.6296… → 79.63.
    konsensus = [3, 3, 2.5, 2, 3, 2, 2, 2, 2]
    jpm = h.jpm(pairs(konsensus, [3] * 9), BAWAAN)
    assert jpm == D("79.63")
    assert h.kategori(jpm, h.PENGISIAN, BAWAAN) == "mms"


def test_jpm_above_eighty_is_ms_and_below_sixty_eight_is_kms():
    assert h.jpm(pairs([3, 3, 3, 2.5, 2.5, 2, 2, 2, 2], [3] * 9), BAWAAN) == D("81.48")  # 22 / 27
    jpm = h.jpm(pairs([2] * 9, [3] * 9), BAWAAN)  # 18 / 27 = 66.666…
    assert jpm == D("66.67")
    assert h.kategori(jpm, h.PENGISIAN, BAWAAN) == "kms"


def test_jpm_of_exactly_80_is_ms_and_exactly_68_is_mms():
    eighty = h.jpm(pairs([2, 2, 1.5, 1.5, 1], [2] * 5), BAWAAN)  # 8 / 10
    assert eighty == D("80.00") and h.kategori(eighty, h.PENGISIAN, BAWAAN) == "ms"
    sixty_eight = h.jpm(pairs([4, 4, 3, 3, 3], [5] * 5), BAWAAN)  # 17 / 25
    assert sixty_eight == D("68.00") and h.kategori(sixty_eight, h.PENGISIAN, BAWAAN) == "mms"


def test_jpm_of_exactly_90_is_optimal_and_exactly_78_is_cukup_optimal_for_mapping():
    ninety = h.jpm(pairs([2, 2, 2, 1.5, 1.5], [2] * 5), BAWAAN)  # 9 / 10
    assert ninety == D("90.00") and h.kategori(ninety, h.PEMETAAN, BAWAAN) == "optimal"
    seventy_eight = h.jpm(pairs([4, 4, 4, 4, 4, 4, 4, 4, 4, 3], [5] * 10), BAWAAN)  # 39 / 50
    assert seventy_eight == D("78.00") and h.kategori(seventy_eight, h.PEMETAAN, BAWAAN) == "cukup_optimal"


@pytest.mark.parametrize(
    ("jpm", "tujuan", "expected"),
    [
        ("80.00", h.PENGISIAN, "ms"),
        ("79.99", h.PENGISIAN, "mms"),
        ("68.00", h.PENGISIAN, "mms"),
        ("67.99", h.PENGISIAN, "kms"),
        ("100", h.PENGISIAN, "ms"),
        ("0", h.PENGISIAN, "kms"),
        ("90.00", h.PEMETAAN, "optimal"),
        ("89.99", h.PEMETAAN, "cukup_optimal"),
        ("78.00", h.PEMETAAN, "cukup_optimal"),
        ("77.99", h.PEMETAAN, "kurang_optimal"),
        # Compared after rounding to two decimals, half up.
        ("79.995", h.PENGISIAN, "ms"),
        ("79.994", h.PENGISIAN, "mms"),
        # Open JPT selection and transfer use the pengisian jabatan scheme by default.
        ("80.00", h.SELEKSI_JPT, "ms"),
        ("67.99", h.MUTASI, "kms"),
    ],
)
def test_category_at_each_threshold(jpm, tujuan, expected):
    assert h.kategori(D(jpm), tujuan, BAWAAN) == expected


def test_changed_thresholds_and_schemes_apply():
    strict = Ketentuan(pengisian_ms_min=D(85), skema_mutasi=h.PEMETAAN)
    assert h.kategori(D("80.00"), h.PENGISIAN, strict) == "mms"
    assert h.kategori(D("80.00"), h.MUTASI, strict) == "cukup_optimal"


# -- the alternative formulas -----------------------------------------------------------------------


def test_mean_of_capped_ratios_does_not_let_one_strength_hide_a_weakness():
    # Standards 3, 3, 3; consensus 4, 3, 1.5: ratios 4/3 → capped at 1, 1, 0.5 → mean 0.8333… → 83.33,
    # while the sum formula gives 8.5 / 9 = 94.44.
    p = pairs([4, 3, 1.5], [3, 3, 3])
    assert h.jpm(p, Ketentuan(rumus_jpm=h.RATA_RASIO)) == D("83.33")
    assert h.jpm(p, BAWAAN) == D("94.44")


def test_weighted_blend_with_potential():
    # Competency JPM 8 / 10 = 80.00; potential mean 3.5 of 5 = 70 %; weights 70 / 30:
    # (70 × 80 + 30 × 70) / 100 = 77.00.
    blend = Ketentuan(rumus_jpm=h.CAMPURAN)
    assert h.jpm(pairs([2, 2, 1.5, 1.5, 1], [2] * 5), blend, skor_potensi=D("3.5")) == D("77.00")
    # Weights 50 / 50: (80 + 70) / 2 = 75.00.
    even = Ketentuan(rumus_jpm=h.CAMPURAN, bobot_kompetensi=D(50), bobot_potensi=D(50))
    assert h.jpm(pairs([2, 2, 1.5, 1.5, 1], [2] * 5), even, skor_potensi=D("3.5")) == D("75.00")
    with pytest.raises(ValueError):
        h.jpm(pairs([2], [2]), blend)


def test_gap_per_competency():
    assert h.selisih(2.5, 3) == D("-0.5")
    assert BarisKompetensi(1, "M.1", "Integritas", D(3), D("3.5")).selisih == D("0.5")
    assert BarisKompetensi(1, "M.1", "Integritas", D(3), None).selisih is None


# -- potential, performance, nine-box -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "skor", "kelas"),
    [
        ([3, 3, 3, 2, 2, 2, 3, 2], "2.50", h.MENENGAH),  # 20 / 8: exactly the lower cut-point
        ([3, 2, 2, 2, 2, 3, 3, 2], "2.38", h.RENDAH),  # 19 / 8 = 2.375
        ([4, 4, 3, 3, 4, 3, 4, 3], "3.50", h.TINGGI),  # 28 / 8: exactly the upper cut-point
        ([4, 3, 3, 3, 4, 3, 4, 3], "3.38", h.MENENGAH),  # 27 / 8 = 3.375
        ([1] * 8, "1.00", h.RENDAH),
        ([5] * 8, "5.00", h.TINGGI),
    ],
)
def test_potential_score_and_class_at_the_cut_points(ratings, skor, kelas):
    value = h.skor_potensi(ratings)
    assert value == D(skor)
    assert h.kelas_potensi(value, BAWAAN) == kelas


def test_performance_level_from_the_skp_predikat():
    assert h.tingkat_kinerja("Sangat Baik", BAWAAN) == h.DI_ATAS
    assert h.tingkat_kinerja(" baik ", BAWAAN) == h.SESUAI
    for predikat in ("Butuh Perbaikan", "Kurang", "Sangat Kurang"):
        assert h.tingkat_kinerja(predikat, BAWAAN) == h.DI_BAWAH
    assert h.tingkat_kinerja("", BAWAAN) is None
    assert h.tingkat_kinerja("Baik", Ketentuan(predikat_tinggi=frozenset({"baik"}))) == h.DI_ATAS


@pytest.mark.parametrize(
    ("skor", "predikat", "kotak"),
    [
        ("2.49", "Kurang", 1),
        ("2.49", "Baik", 2),
        ("2.50", "Kurang", 3),
        ("2.49", "Sangat Baik", 4),
        ("2.50", "Baik", 5),
        ("3.50", "Butuh Perbaikan", 6),
        ("3.49", "Sangat Baik", 7),
        ("3.50", "Baik", 8),
        ("3.50", "Sangat Baik", 9),
    ],
)
def test_nine_box_at_each_cut_point(skor, predikat, kotak):
    kelas = h.kelas_potensi(D(skor), BAWAAN)
    assert h.kotak_sembilan(kelas, h.tingkat_kinerja(predikat, BAWAAN)) == kotak


def test_nine_box_follows_configured_cut_points():
    moved = Ketentuan(potensi_menengah_min=D(3), potensi_tinggi_min=D(4))
    assert h.kotak_sembilan(h.kelas_potensi(D("3.5"), moved), h.SESUAI) == 5
    assert h.kotak_sembilan(h.kelas_potensi(D("2.5"), moved), h.SESUAI) == 2
    assert h.kotak_sembilan(None, h.SESUAI) is None


# -- levels and spread -------------------------------------------------------------------------------


def test_levels_on_the_scale():
    assert h.level_sah(3.5) and h.level_sah(1) and h.level_sah(5)
    assert not h.level_sah(3.25) and not h.level_sah(0.5) and not h.level_sah(5.5) and not h.level_sah("x")
    assert not h.level_sah(3.5, setengah=False) and h.level_sah(4, setengah=False)
    assert not h.level_sah(float("nan"))


def test_spread_of_assessors_levels():
    assert h.sebaran([2, 3.5, 3]) == D("1.5")
    assert h.sebaran_mencolok([2, 3.5], D("1.5"))
    assert not h.sebaran_mencolok([2, 3], D("1.5"))
    assert not h.sebaran_mencolok([2], D("1.5"))
    assert h.rata_rata_level([2, 3]) == D("2.5")
    assert h.rata_rata_level([2, 3, 3]) == D("2.5")  # 2.667 → nearest half step
    assert h.rata_rata_level([3, 4], setengah=False) == D(4)  # 3.5 rounds half up


def test_one_participants_result_complete_and_incomplete():
    rows = [BarisKompetensi(i, f"M.{i}", f"K{i}", D(3), D(level)) for i, level in enumerate([3, 3, 2.5], 1)]
    result = h.hitung(rows, h.PENGISIAN, BAWAAN, potensi=[3] * 8, predikat="Baik", jumlah_aspek=8)
    assert result.lengkap
    assert (result.jpm, result.kategori, result.kelas_potensi, result.kotak) == (D("94.44"), "ms", h.MENENGAH, 5)
    pending = h.hitung(
        rows[:2] + [BarisKompetensi(3, "M.3", "K3", D(3), None)], h.PENGISIAN, BAWAAN, potensi=[3] * 7, jumlah_aspek=8
    )
    assert not pending.lengkap and set(pending.kurang) == {"konsensus", "potensi"}
    assert pending.jpm is None and pending.kelas_potensi is None
