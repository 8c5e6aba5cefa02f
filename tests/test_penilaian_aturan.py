"""Organisation rules of an assessment event (pure): each rule warns in the case it names, and the
automatic rotation gives 30 participants and 10 assessors a warning-free plan."""

import datetime as dt

from app.penilaian.aturan import AsesorR, Batas, PesertaR, Rancangan, SesiR, Sibuk, TugasR, atur_otomatis, periksa

START = dt.datetime(2026, 12, 7, 1, 0)  # 08:00 WIB
KOMPETENSI = {i: f"M.{i}" for i in range(1, 9)} | {9: "SK.1"}
# Five methods, each competency measured by at least two of them (seed 4's demo matrix).
MATRIKS = {
    101: {1, 4, 5, 6, 7, 8},  # in-tray
    102: {4, 5, 7, 8, 9},  # analisis kasus
    103: {2, 3, 7, 8, 9},  # LGD
    104: {1, 2, 3, 5, 6, 9},  # role play
    105: set(KOMPETENSI),  # CBI
}
METODE = {101: "In-Tray", 102: "Analisis Kasus", 103: "LGD", 104: "Role Play", 105: "CBI"}
UNIT_ASESOR = 500  # the assessment centre
# Units: 500 the centre, 600 a regional office whose head sits in 600, 601 a section below 600.
INDUK = {500: None, 600: None, 601: 600, 602: None}


def plan(n_peserta=30, n_asesor=10, sessions=True, units=None, **kw) -> Rancangan:
    peserta = [PesertaR(i, f"Peserta {i}", 1, (units or {}).get(i, 602)) for i in range(1, n_peserta + 1)]
    asesor = [AsesorR(1000 + i, f"Asesor {i}", UNIT_ASESOR) for i in range(n_asesor)]
    sesi = []
    if sessions:
        for j, mid in enumerate(METODE):
            begin = START + dt.timedelta(hours=2 * j)
            sesi.append(SesiR(10 + j, 1, mid, begin, begin + dt.timedelta(minutes=110), f"{METODE[mid]} {j}"))
    values = dict(
        peserta=peserta,
        asesor=asesor,
        jumlah_admin=1,
        gelombang={1: "Gelombang 1"},
        metode=dict(METODE),
        kompetensi=dict(KOMPETENSI),
        matriks={k: set(v) for k, v in MATRIKS.items()},
        sesi=sesi,
        induk=dict(INDUK),
        batas=Batas(),
    )
    values.update(kw)
    return Rancangan(**values)


def codes(warnings):
    return [w.kode for w in warnings]


def test_auto_assignment_for_30_participants_and_10_assessors_is_warning_free():
    r = plan()
    r.tugas = atur_otomatis(r)
    assert periksa(r) == []
    assert len(r.tugas) == 30 * 5
    for p in r.peserta:
        assessors = [t.asesor_id for t in r.tugas if t.peserta_id == p.id]
        assert len(assessors) == 5 and len(set(assessors)) == 5  # a new assessor in every method
    # Deterministic: the same plan gives the same rotation.
    assert atur_otomatis(plan()) == r.tugas


def test_auto_assignment_avoids_conflicts_of_interest_and_busy_assessors():
    # Assessor 1000 works in unit 600 and is a structural official there; participants 1-6 work in 600
    # (same unit) and 7-9 in 601 (the unit below: he is their direct superior).
    units = {i: 600 for i in range(1, 7)} | {i: 601 for i in range(7, 10)}
    r = plan(n_asesor=11, units=units)
    r.asesor[0] = AsesorR(1000, "Asesor Kepala Kantor", 600, struktural=True)
    # Assessor 1009 is taken elsewhere during the first session (the eleventh assessor steps in).
    r.sibuk = [Sibuk(1009, START, START + dt.timedelta(hours=1), "kegiatan lain")]
    r.tugas = atur_otomatis(r)
    assert periksa(r) == []
    assert not any(t.asesor_id == 1000 and t.peserta_id <= 9 for t in r.tugas)
    assert not any(t.asesor_id == 1009 and t.sesi_id == 10 for t in r.tugas)


def test_auto_assignment_without_sessions_and_for_one_person():
    r = plan(n_peserta=1, n_asesor=2, sessions=False)
    r.tugas = atur_otomatis(r)
    assert periksa(r) == []
    assert {t.asesor_id for t in r.tugas} == {1000, 1001}


def test_too_few_assessors_leave_warnings_not_errors():
    r = plan(n_asesor=8)
    r.tugas = atur_otomatis(r)
    assert "belum_ditugaskan" in codes(periksa(r))


def test_more_than_three_participants_per_assessor_in_a_session_warns():
    r = plan(n_peserta=4, n_asesor=2)
    r.tugas = [TugasR(p, 101, 1000, 10) for p in range(1, 5)]
    warnings = [w for w in periksa(r) if w.kode == "rasio"]
    assert len(warnings) == 1 and "Asesor 0" in str(warnings[0].pesan) and "4" in str(warnings[0].pesan)
    # Three in one session is within the ratio.
    r.tugas = [TugasR(p, 101, 1000, 10) for p in range(1, 4)] + [TugasR(4, 101, 1001, 10)]
    assert "rasio" not in codes(periksa(r))


def test_a_participant_needs_two_different_assessors():
    r = plan(n_peserta=1, n_asesor=2)
    r.tugas = [TugasR(1, mid, 1000, 10 + j) for j, mid in enumerate(METODE)]
    assert "min_asesor" in codes(periksa(r))
    r.tugas[0] = TugasR(1, 101, 1001, 10)
    assert "min_asesor" not in codes(periksa(r))


def test_an_assessor_in_two_sessions_at_the_same_time_warns_across_events():
    r = plan(n_peserta=2, n_asesor=2)
    r.tugas = atur_otomatis(r)
    assert periksa(r) == []
    taken = r.tugas[0]
    session = next(s for s in r.sesi if s.id == taken.sesi_id)
    r.sibuk = [Sibuk(taken.asesor_id, session.mulai + dt.timedelta(minutes=30), session.selesai, "Kegiatan lain")]
    warnings = [w for w in periksa(r) if w.kode == "bentrok"]
    assert len(warnings) == 1 and "Kegiatan lain" in str(warnings[0].pesan)
    # Two sessions of the same event at the same time.
    r.sibuk = []
    r.sesi[1] = SesiR(11, 1, 102, session.mulai, session.selesai, "Analisis paralel")
    r.tugas = [TugasR(1, 101, 1000, 10), TugasR(2, 102, 1000, 11)]
    assert "bentrok" in codes(periksa(r))


def test_conflict_of_interest_same_unit_and_direct_superior():
    r = plan(n_peserta=3, n_asesor=2, units={1: 500, 2: 601, 3: 601})
    r.asesor[1] = AsesorR(1001, "Kepala Kantor Wilayah", 600, struktural=True)
    r.tugas = [TugasR(1, 101, 1000, 10), TugasR(2, 101, 1001, 10), TugasR(3, 101, 1000, 10)]
    warnings = [w for w in periksa(r) if w.kode == "konflik"]
    assert {(w.peserta_id, w.asesor_id) for w in warnings} == {(1, 1000), (2, 1001)}
    assert "unit" in str(warnings[0].pesan)
    # A functional (non-structural) colleague in the unit above is no superior.
    r.asesor[1] = AsesorR(1001, "Analis Kantor Wilayah", 600, struktural=False)
    assert {w.peserta_id for w in periksa(r) if w.kode == "konflik"} == {1}


def test_assessing_oneself_is_a_conflict():
    r = plan(n_peserta=1, n_asesor=1)
    r.peserta[0] = PesertaR(1, "Asesor 0 sebagai peserta", 1, None, pegawai_id=1000)
    r.tugas = [TugasR(1, 101, 1000)]
    assert "konflik" in codes(periksa(r))


def test_wave_size_admin_ratio_and_method_coverage_warn():
    r = plan(n_peserta=31, n_asesor=11, jumlah_admin=1)
    r.tugas = atur_otomatis(r)
    found = codes(periksa(r))
    assert "gelombang" in found and "admin" in found
    r = plan(n_peserta=30, jumlah_admin=0)
    assert "admin" in codes(periksa(r))
    r = plan(matriks={101: {1, 2}, 102: {1}}, metode={101: "In-Tray", 102: "Analisis Kasus"})
    coverage = [str(w.pesan) for w in periksa(r) if w.kode == "cakupan"]
    assert any("M.1" in m for m in coverage) is False  # M.1 is in two methods
    assert any("M.2" in m for m in coverage) and any("SK.1" in m for m in coverage)


def test_configured_limits_change_the_warnings():
    r = plan(n_peserta=4, n_asesor=2, batas=Batas(maks_peserta_per_asesor=4, min_metode_per_kompetensi=1))
    r.tugas = [TugasR(p, mid, 1000 + (p + j) % 2, 10 + j) for p in range(1, 5) for j, mid in enumerate(METODE)]
    assert periksa(r) == []
