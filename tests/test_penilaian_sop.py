"""The assessment SOPs run on real assessment data: the Kemenkumham SOP (seed 4) from the assignment to
the activity report (the Tangerang transfer SOP, seed 0, walks with its application in tests/test_mutasi.py).
Each guarded step is refused, with the missing things on the case page, until the data is there."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.laporan import operations as lap
from app.models import Hasil, KegiatanPenilaian, Sop, StandarKegiatan
from app.penilaian import operations as ops
from app.workflow import engine
from tests.conftest import PASSWORD, as_user, case, ok, start, uniq
from tests.penilaian_data import (
    DAY,
    METODE,
    baris_peserta,
    lembar,
    metode_ids,
    peserta_dari,
    pusat,
    rapat,
    xlsx,
)


def seed(kode) -> Sop:
    return db.session.execute(select(Sop).where(Sop.kode == kode, Sop.berlaku.is_(True))).scalar_one()


def event_of(kasus_id) -> KegiatanPenilaian:
    db.session.expire_all()
    return db.session.execute(select(KegiatanPenilaian).where(KegiatanPenilaian.kasus_id == kasus_id)).scalar_one()


def move(client, kasus_id, transition="lanjut"):
    """Press a workflow button; return the page the user lands on."""
    data = {"transition": transition, "versi": case(kasus_id).versi}
    response = client.post(f"/kasusview/transisi/{kasus_id}", data=data, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def attach(client, kasus_id, kind: str):
    """Upload the document a step's kelengkapan names, as the case page does."""
    data = {"jenis": kind, "berkas": (io.BytesIO(b"%PDF-1.4 " + kind.encode()), f"{kind}.pdf")}
    client.post(f"/kasusview/lampiran/{kasus_id}", data=data, content_type="multipart/form-data")
    assert kind in {item.jenis for item in case(kasus_id).lampiran}


def refused(client, kasus_id, expected: str):
    """The step's button is refused with a message naming what is missing; the case stays."""
    before = case(kasus_id).langkah_no
    page = move(client, kasus_id)
    assert expected.lower() in page.lower(), re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', page, re.S)
    assert case(kasus_id).langkah_no == before
    # The case page says so before anyone presses the button.
    assert expected.lower() in client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True).lower()


def api(client, user):
    token = client.post(
        "/api/v1/security/login", json={"username": user.username, "password": PASSWORD, "provider": "db"}
    ).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def khm(create_unit, create_pegawai, create_user):
    sop = seed("kemenkumham-penilaian-oleh-asesor")
    p = pusat(create_unit, create_pegawai, create_user, unit=sop.unit_kerja)
    madya = create_user(["Pejabat Fungsional Madya"], sop.unit_kerja)
    return sop, p, madya


def test_kemenkumham_sop_walks_end_to_end_on_real_assessment_data(client, khm, create_pegawai):
    sop, p, madya = khm
    # Step 1: the JF Madya assigns; starting the case creates its assessment event.
    as_user(client, madya)
    kasus_id = start(client, sop, uniq("Pemetaan Kompetensi Pejabat Kanwil "))
    item = event_of(kasus_id)
    assert item.tujuan == "pemetaan" and item.unit_kerja_id == sop.unit_kerja_id
    assert len(item.kompetensi) == 9  # the 8 managerial competencies and Perekat Bangsa
    move(client, kasus_id)

    # Step 2: the JF Muda prepares matrix, schedule, team and assignment; refused while any is missing.
    as_user(client, p.staf)
    refused(client, kasus_id, "belum ada peserta")
    event_page = client.get(f"/kegiatanpenilaianview/show/{item.id}").get_data(as_text=True)
    assert "Buka kasus untuk melanjutkan" in event_page and "belum ada peserta" in event_page.lower()
    methods = metode_ids()
    form = {"kompetensi": [str(k.kompetensi_id) for k in item.kompetensi], "metode": [str(methods[c]) for c in METODE]}
    from app.models import Metode

    for code in METODE:
        metode = db.session.get(Metode, methods[code])
        for k in metode.kompetensi:
            form[f"m_{metode.id}_{k.id}"] = "1"
    ok(client.post(f"/kegiatanpenilaianview/matriks/{item.id}", data=form))
    wave = item.gelombang[0].id
    ok(
        client.post(
            f"/kegiatanpenilaianview/jadwal/{item.id}",
            data={
                "aksi": "ubah_gelombang",
                "gelombang_id": wave,
                "tanggal_mulai": DAY.isoformat(),
                "tanggal_selesai": DAY.isoformat(),
                "tempat": "Pusat Penilaian Kompetensi",
            },
        )
    )
    for i, code in enumerate(METODE):
        ok(
            client.post(
                f"/kegiatanpenilaianview/jadwal/{item.id}",
                data={
                    "gelombang_id": wave,
                    "metode_id": methods[code],
                    "mulai": f"{DAY}T{8 + 2 * i:02d}:00",
                    "selesai": f"{DAY}T{9 + 2 * i:02d}:50",
                    "ruang": f"Ruang {i + 1}",
                },
            )
        )
    for i, a in enumerate(p.asesor):
        ok(
            client.post(
                f"/kegiatanpenilaianview/tim/{item.id}",
                data={"pegawai_id": a.pegawai_id, "peran": "ketua" if i == 0 else "asesor"},
            )
        )
    ok(
        client.post(
            f"/kegiatanpenilaianview/tim/{item.id}", data={"pegawai_id": p.admin.pegawai_id, "peran": "asesor_admin"}
        )
    )
    upload = io.BytesIO(xlsx(baris_peserta(p, 30, create_pegawai)))
    page = client.post(
        f"/kegiatanpenilaianview/impor/{item.id}",
        data={"berkas": (upload, "peserta.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "30 peserta diimpor" in page
    refused(client, kasus_id, "belum memiliki asesor")
    page = client.post(f"/kegiatanpenilaianview/otomatis/{item.id}", follow_redirects=True).get_data(as_text=True)
    assert "150 penugasan dibuat; 0 peringatan tersisa" in page
    assert ops.peringatan(item.id, p.staf) == []
    move(client, kasus_id)
    assert case(kasus_id).langkah_no == 3

    # Step 3 (preparation meeting, every actor takes part) → step 4: the event starts and the
    # standards are copied into it.
    for person in (p.staf, p.admin, p.asesor[0]):
        as_user(client, person)
        client.post(f"/kasusview/tanggapan/{kasus_id}", data={"jenis": "bagian", "komentar": "Hadir."})
    as_user(client, madya)
    move(client, kasus_id)
    assert event_of(kasus_id).status == "berlangsung"
    copied = db.session.execute(select(func.count(StandarKegiatan.id)).where(StandarKegiatan.kegiatan_id == item.id))
    assert copied.scalar_one() == 2 * 9  # two positions × nine competencies
    as_user(client, p.asesor[1])
    move(client, kasus_id)  # step 4, pra ukom → 5

    # Step 5: intake data; the case page counts what is missing, per participant.
    as_user(client, p.admin)
    refused(client, kasus_id, "30 dari 30 peserta belum lengkap intake")
    people = peserta_dari(item)
    for person in people[:-1]:
        ok(client.post(f"/pesertaview/intake/{person.id}", data={"drh": "1", "qcom": "1", "ci": "1"}))
    refused(client, kasus_id, "1 dari 30 peserta belum lengkap intake")
    for kind in ("drh", "qcom", "ci"):
        ok(
            client.post(
                f"/pesertaview/intake/{people[-1].id}",
                data={"jenis": kind, "berkas": (io.BytesIO(b"%PDF-1.4 " + kind.encode()), f"{kind}.pdf")},
                content_type="multipart/form-data",
            )
        )
    move(client, kasus_id)
    move(client, kasus_id)  # step 6: every assessor has their participants → 7
    assert case(kasus_id).langkah_no == 7

    # Step 7: reports wait on every participant's locked consensus result.
    as_user(client, p.asesor[1])
    refused(client, kasus_id, "30 dari 30 peserta belum memiliki hasil konsensus")
    # One assessor scores through the score-sheet screen, the others with the same operation.
    mine = lembar(item, p.asesor[1])
    assert mine
    listing = client.get("/penilaiansayaview/list/").get_data(as_text=True)
    assert all(sheet.peserta.nama in listing for sheet in mine)
    for sheet in mine:
        data = {"kirim": "1"}
        for k in ops.kompetensi_metode(item, sheet.metode_id):
            data[f"level_{k.id}"] = "3,5"
            data[f"bukti_{k.id}"] = "Mengajak rekan lintas unit menyelesaikan masalah layanan."
        page = client.post(f"/penilaiansayaview/simpan/{sheet.id}", data=data, follow_redirects=True)
        assert "dikirim dan dikunci" in page.get_data(as_text=True)
    others = {a.pegawai_id: a for a in p.asesor if a is not p.asesor[1]}
    for sheet in lembar(item):
        if sheet.asesor_id in others:
            values = {k.id: (Decimal(3), "Bukti perilaku.") for k in ops.kompetensi_metode(item, sheet.metode_id)}
            ops.simpan_lembar(sheet.id, others[sheet.asesor_id], values, kirim=True)
    assert all(sheet.terkunci for sheet in lembar(item))
    # The ketua chairs the meeting: one participant through the screen, the others with the operation.
    as_user(client, p.ketua)
    first = people[0]
    meeting = client.get(f"/integrasiview/show/{first.id}").get_data(as_text=True)
    assert "Rapat Asesor" in meeting or "Integrasi" in meeting
    consensus = {f"level_{k.kompetensi_id}": "3" for k in item.kompetensi}
    consensus |= {f"alasan_{k.kompetensi_id}": "Disepakati rapat." for k in item.kompetensi}
    ok(client.post(f"/integrasiview/konsensus/{first.id}", data=consensus))
    from app.models import AspekPotensi

    aspects = db.session.execute(select(AspekPotensi.id)).scalars().all()
    ok(client.post(f"/integrasiview/potensi/{first.id}", data={f"aspek_{a}": "4" for a in aspects}))
    page = client.post(f"/integrasiview/kunci/{first.id}", follow_redirects=True).get_data(as_text=True)
    assert "dikunci" in page
    for person in people[1:]:
        rapat(item, p, person, Decimal("2.5"))
    as_user(client, p.asesor[1])
    move(client, kasus_id)  # 7 → 8
    # Step 8: QC waits for every participant's individual report to pass.
    as_user(client, madya)
    refused(client, kasus_id, "30 dari 30 laporan individu belum lulus QC")
    writers = {a.pegawai_id: a for a in p.asesor}
    reports = [lap.laporan_peserta(person.id, p.staf) for person in people]
    for report in reports:
        lap.simpan(report.id, writers[report.asesor_id], dict(lap.saran(report)), kirim=True)
    checklist = list(range(len(lap.butir_qc(item))))
    for report in reports[1:]:
        lap.qc(report.id, madya, checklist, True)
    # The first report is returned on the report page; its assessor finds it among their tasks, corrects it.
    ok(client.post(f"/laporanview/qc/{reports[0].id}", data={"keputusan": "kembali", "catatan": "Lengkapi bukti."}))
    refused(client, kasus_id, "1 dari 30 laporan individu belum lulus QC")
    writer = writers[reports[0].asesor_id]
    as_user(client, writer)
    assert f"/laporanview/show/{reports[0].id}" in client.get("/").get_data(as_text=True)
    ok(client.post(f"/laporanview/simpan/{reports[0].id}", data={"kekuatan": "Bukti: memimpin rapat lintas unit.",
                                                                "kirim": "1"}))  # fmt: skip
    as_user(client, madya)
    ok(client.post(f"/laporanview/qc/{reports[0].id}", data={"butir": [str(i) for i in checklist],
                                                             "keputusan": "lulus"}))  # fmt: skip
    assert "Laporan individu yang lulus QC" in client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    move(client, kasus_id)  # QC → 9
    as_user(client, p.asesor[2])
    move(client, kasus_id)  # feedback → 10
    as_user(client, p.staf)
    move(client, kasus_id, "selesai")
    assert case(kasus_id).status == "selesai"
    assert event_of(kasus_id).status == "selesai"  # finished with its case: nothing changes any more
    refused_edit = client.post(
        f"/pesertaview/ubah/{first.id}", data={"predikat_kinerja": "Kurang"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Kegiatan sudah selesai" in refused_edit

    # Results: every participant with JPM, category, potential and nine-box, in the API and on the page.
    results = client.get(f"/api/v1/kegiatan/{item.id}/hasil", headers=api(client, p.staf)).json["result"]
    assert len(results) == 30 and all(r["terkunci"] for r in results)
    top = next(r for r in results if r["peserta_id"] == first.id)
    # Consensus 3 everywhere: administrator (standard 3) → 27 / 27 = 100.00; supervisor (2) → 27 / 18 = 150.00.
    assert top["jpm"] == (100.0 if top["kompetensi"][0]["standar"] == 3 else 150.0)
    assert top["kategori"] == "optimal" and top["kelas_potensi"] == "tinggi" and top["kotak"] == 8
    second = next(r for r in results if r["peserta_id"] == people[1].id)  # supervisor, consensus 2.5 vs 2
    assert second["jpm"] == 125.0 and second["kompetensi"][0]["selisih"] == 0.5
    page = client.get(f"/kegiatanpenilaianview/hasil/{item.id}").get_data(as_text=True)
    assert "Optimal" in page and "terkunci" in page
    assert db.session.execute(select(func.count(Hasil.id)).where(Hasil.kegiatan_id == item.id)).scalar_one() == 30

    # Every step holds the output its mutu baku names, as the case page lists it (step 9 only when a
    # participant asked for feedback, none did here).
    kasus = case(kasus_id)
    for step in kasus.sop.langkah:
        shown = engine.step_outputs(kasus, step)
        assert step.no == 9 or (shown and all(o.exists for o in shown)), (step.no, shown)
    labels = [o.label for no in range(1, 7) for o in engine.step_outputs(kasus, kasus.sop.step(no))]
    assert labels == ["Kegiatan penilaian", "Matriks, sesi, dan pembagian tugas asesor",
                      "Matriks, sesi, dan pembagian tugas asesor", "Kegiatan dimulai: standar ditetapkan bagi peserta",
                      "Intake peserta (DRH, QCom, CI)", "Peserta terbagi kepada asesor"]  # fmt: skip
