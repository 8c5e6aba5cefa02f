"""Seed 4 steps 8 and 9 and the recap of an event: the recap workbook holds the numbers of the results
page, the assessor evaluation counts sheets on time on the working-day calendar and measures the
distance from the consensus, feedback follows the agency's eligibility rule, and each is shown only to
whom it belongs."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import KegiatanPenilaian, Sop, UmpanBalik
from app.penilaian import evaluasi as ev
from app.penilaian import operations as ops
from app.penilaian import umpan_balik as ub
from app.workflow.calendar import Budget, WorkCalendar
from tests.conftest import PASSWORD, as_user, start, uniq
from tests.penilaian_data import (
    baris_peserta,
    jabatan,
    kegiatan_siap,
    lembar,
    peserta_dari,
    pusat,
    rapat,
    siapkan,
    xlsx,
)

CODES = ["in_tray", "lgd", "cbi"]


def api(client, user):
    body = {"username": user.username, "password": PASSWORD, "provider": "db"}
    return {"Authorization": f"Bearer {client.post('/api/v1/security/login', json=body).json['access_token']}"}


def score(item, p, levels: dict[int, Decimal] | None = None) -> None:
    """Every assessor submits every sheet; `levels` gives some assessors (by pegawai id) another level."""
    users = {a.pegawai_id: a for a in p.asesor}
    for sheet in lembar(item):
        level = (levels or {}).get(sheet.asesor_id, Decimal(3))
        values = {k.id: (level, "Bukti perilaku.") for k in ops.kompetensi_metode(item, sheet.metode_id)}
        ops.simpan_lembar(sheet.id, users[sheet.asesor_id], values, kirim=True)


# -- recap ----------------------------------------------------------------------------------------------


@pytest.fixture
def acara(create_unit, create_pegawai, create_user):
    """A mapping event of 6 participants (administrators and supervisors in turn), scored and locked:
    participant 1 at level 2 on every competency, the others at level 3."""
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=6)
    item = kegiatan_siap(p, create_pegawai, n_peserta=6, codes=CODES)
    score(item, p)
    members = peserta_dari(item)
    for i, person in enumerate(members):
        rapat(item, p, person, level=Decimal(2) if i == 0 else Decimal(3))
    return p, item, members


def test_recap_workbook_holds_the_numbers_of_the_results_page(client, acara):
    p, item, members = acara
    as_user(client, p.staf)
    page = client.get(f"/kegiatanpenilaianview/hasil/{item.id}").get_data(as_text=True)
    on_page = {}
    for pid, jpm, kategori in re.findall(
        r'data-peserta="(\d+)".*?class="jpm"><strong>([^<]*)</strong>.*?class="kategori">([^<]*)<', page, re.S
    ):
        on_page[int(pid)] = (float(jpm.replace(",", ".")), kategori.strip())
    assert len(on_page) == 6

    response = client.get(f"/api/v1/kegiatan/{item.id}/rekap.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Ringkasan", "Gelombang 1"]
    sheet = wb["Gelombang 1"]
    header = [c.value for c in sheet[3]]
    jpm_col, kat_col = header.index("JPM (%)"), header.index("Kategori")
    rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    by_nomor = {m.nomor: m.id for m in members}
    for nomor, row in rows.items():
        assert (row[jpm_col], row[kat_col]) == on_page[by_nomor[nomor]]
    # Hand-computed: 9 competencies; an administrator (standard 3) at level 2 everywhere:
    # 18 / 27 × 100 = 66.67 → Kurang Optimal; a supervisor (standard 2) at level 3: 27 / 18 = 150.00 → Optimal.
    assert rows[1][jpm_col] == pytest.approx(66.67) and rows[1][kat_col] == "Kurang Optimal"
    assert rows[2][jpm_col] == pytest.approx(150.0) and rows[2][kat_col] == "Optimal"
    assert rows[1][4:7] == (3.0, 2.0, -1.0)  # first competency: standard, level, gap
    assert rows[1][-1] == "terkunci"

    summary = wb["Ringkasan"]
    total = [c.value for c in summary[6]].index("Jumlah")
    counts = {row[0]: row[total] for row in summary.iter_rows(min_row=7, max_row=10, values_only=True)}
    assert counts == {"Optimal": 5, "Cukup Optimal": 0, "Kurang Optimal": 1, "Belum ada kategori": 0}
    assert len(summary._charts) == 1  # the native bar chart of the categories

    recap = client.get(f"/rekap/kegiatan/{item.id}").get_data(as_text=True)
    assert "data:image/svg+xml;base64," in recap
    assert re.search(r'data-kategori="kurang_optimal"><td>[^<]+</td><td>1</td><td class="jumlah"><strong>1<', recap)


def test_formula_injection_participant_names_stay_text_in_the_recap_and_results_workbooks(client, acara):
    """Issue 17 finding 3: a name from an import file that looks like a formula is a text cell; the gaps
    (negative numbers) stay numbers."""
    p, item, members = acara
    hostile = '=HYPERLINK("http://x","klik")'
    members[0].nama, members[0].gelar_depan, members[0].gelar_belakang = hostile, "", ""
    db.session.commit()
    as_user(client, p.staf)
    for url, sheet_name, first_row in ((f"/rekap/xlsx/{item.id}", "Gelombang 1", 5),
                                       (f"/kegiatanpenilaianview/unduh/{item.id}", "Hasil", 2)):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        sheet = load_workbook(io.BytesIO(response.data))[sheet_name]
        row = next(r for r in sheet.iter_rows(min_row=first_row) if r[0].value == members[0].nomor)
        assert (row[2].data_type, row[2].value) == ("s", hostile), url
        standard, level, gap = row[4], row[5], row[6]  # the first competency
        assert (standard.value, level.value, gap.value) == (3.0, 2.0, -1.0), url
        assert {standard.data_type, level.data_type, gap.data_type} == {"n"}, url


def test_recap_shows_an_assessor_only_their_participants_and_other_units_nothing(
    client, acara, create_user, create_unit
):
    p, item, members = acara
    assessor = min(p.asesor[1:], key=lambda a: len({t.peserta_id for t in lembar(item, a)}) or 99)
    theirs = {t.peserta_id for t in lembar(item, assessor)}
    as_user(client, assessor)
    wb = load_workbook(io.BytesIO(client.get(f"/rekap/xlsx/{item.id}").data))
    names = {row[2] for row in wb["Gelombang 1"].iter_rows(min_row=5, values_only=True) if row[0]}
    assert names == {m.nama_lengkap for m in members if m.id in theirs} and 0 < len(names) < 6

    outsider = create_user(["Pejabat Fungsional Muda"], create_unit(nama=uniq("Unit Lain ")))
    as_user(client, outsider)
    assert client.get(f"/rekap/kegiatan/{item.id}").status_code == 404
    assert client.get(f"/api/v1/kegiatan/{item.id}/rekap.xlsx", headers=api(client, outsider)).status_code == 404


# -- the assessor evaluation -------------------------------------------------------------------------------


def test_due_time_of_a_score_sheet_counts_working_days_around_christmas():
    # Session ends Monday 7 December 2026, 09:50 WIB. 17 working days counting that Monday: 7-11, 14-18,
    # 21-23 (13), 24 December (cuti bersama) and 25 (Christmas) are off, then 28-31: Thursday 31
    # December, close of office hours 16:00 WIB = 09:00 UTC. Without the days off it would be the 29th.
    due = ev.tenggat(WorkCalendar(), Budget(17, "hari"), dt.datetime(2026, 12, 7, 2, 50))
    assert due == dt.datetime(2026, 12, 31, 9, 0)
    assert ev.tepat_waktu(dt.datetime(2026, 12, 31, 8, 59), due) is True
    assert ev.tepat_waktu(dt.datetime(2027, 1, 4, 1, 0), due) is False
    assert ev.tepat_waktu(None, due) is None


def test_mean_distance_from_consensus_by_hand():
    # |4−3| + |2.5−3| + |3−3| + |3−3| = 1.5 over 4 levels = 0.375 → 0.38 (half up).
    assert ev.jarak_rata([(4, 3), (2.5, 3), (3, 3), (3, 3)]) == Decimal("0.38")
    assert ev.jarak_rata([]) is None


def test_evaluation_of_a_kemenkumham_event_on_the_working_day_calendar(
    client, create_unit, create_pegawai, create_user
):
    sop = db.session.execute(
        select(Sop).where(Sop.kode == "kemenkumham-penilaian-oleh-asesor", Sop.berlaku.is_(True))
    ).scalar_one()
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=4, unit=sop.unit_kerja)
    madya = create_user(["Pejabat Fungsional Madya"], sop.unit_kerja)
    as_user(client, madya)
    kasus_id = start(client, sop, uniq("Pemetaan Kompetensi "))
    item = db.session.execute(select(KegiatanPenilaian).where(KegiatanPenilaian.kasus_id == kasus_id)).scalar_one()
    siapkan(item, p, p.staf, CODES)
    from app.penilaian import impor

    impor.impor_peserta(item.id, p.admin, xlsx(baris_peserta(p, 4, create_pegawai)))
    ops.atur_otomatis(item.id, p.staf)
    for person in peserta_dari(item):
        ops.atur_intake(person.id, p.admin, True, True, True)
    ops.mulai_kegiatan(item.id, p.staf)
    # The first assessor who has sheets scores one level above everybody else; the meeting agrees level 3.
    busy = [a for a in p.asesor if lembar(item, a)]
    high, late = busy[0], busy[1]
    score(item, p, {high.pegawai_id: Decimal(4)})
    for person in peserta_dari(item):
        rapat(item, p, person, level=Decimal(3))
    # Submission times: the late assessor on Monday 4 January 2027, the others on 30 December 2026
    # (on time only because 24 and 25 December are days off).
    for sheet in lembar(item):
        sheet.dikirim_at = (
            dt.datetime(2027, 1, 4, 2, 0) if sheet.asesor_id == late.pegawai_id else dt.datetime(2026, 12, 30, 2, 0)
        )
    db.session.commit()

    data = ev.evaluasi(item.id, p.staf)
    assert data.langkah.no == 7 and str(data.budget) == "17 hari"
    rows = {r.asesor.id: r for r in data.baris}
    sheets_high = lembar(item, high)
    assert rows[high.pegawai_id].lembar == len(sheets_high) == rows[high.pegawai_id].tepat
    assert rows[late.pegawai_id].terlambat == len(lembar(item, late)) and rows[late.pegawai_id].tepat == 0
    assert rows[high.pegawai_id].jarak == Decimal("1.00")
    assert rows[late.pegawai_id].jarak == Decimal("0.00")
    assert rows[high.pegawai_id].jumlah_level == sum(len(ops.kompetensi_metode(item, s.metode_id)) for s in sheets_high)

    as_user(client, p.staf)
    page = client.get(f"/rekap/evaluasi/{item.id}").get_data(as_text=True)
    row = re.search(rf'data-asesor="{late.pegawai_id}">(.*?)</tr>', page, re.S).group(1)
    assert re.search(r'class="terlambat">(\d+)<', row).group(1) == str(rows[late.pegawai_id].terlambat)
    assert 'class="persen">0,00<' in row
    pdf = client.get(f"/rekap/evaluasi_pdf/{item.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    # The result report drafted for this case lists every participant instead of "terlampir".
    from app.documents import naskah as svc
    from app.models import Kasus, TemplateNaskah

    template = db.session.execute(
        select(TemplateNaskah).where(TemplateNaskah.kode == "laporan_hasil_penilaian")
    ).scalar_one()
    draft = svc.create_draft(template, p.staf, item.unit_kerja, db.session.get(Kasus, kasus_id))
    assert "terlampir" not in draft.isi_penutup
    tables = [b for b in svc.blocks(draft.isi) if b["tabel"]]
    assert len(tables) == 1 and len(tables[0]["baris"]) == 4
    assert tables[0]["kepala"][3] == "JPM (%)" and tables[0]["baris"][0][4] == "Optimal"
    db.session.rollback()

    # Assessors do not see the evaluation, not even the ketua.
    as_user(client, p.ketua)
    assert client.get(f"/rekap/evaluasi/{item.id}").status_code in (403, 404)
    with pytest.raises(ops.PenilaianError):
        ev.evaluasi(item.id, p.ketua)


# -- feedback -------------------------------------------------------------------------------------------


@pytest.fixture
def umpan(create_unit, create_pegawai, create_user):
    """An event held on Monday 16 November 2026 with a pelaksana (participant 1) and a supervisor
    (pengawas, participant 2), every result locked."""
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=4)
    item = kegiatan_siap(p, create_pegawai, n_peserta=2, codes=CODES, mulai=False)
    day = dt.date(2026, 11, 16)
    ops.ubah_gelombang(item.gelombang[0].id, p.staf, day, day, "Ruang Asesmen")
    members = peserta_dari(item)
    members[0].jabatan = jabatan(p.unit.instansi_id, uniq("Pengadministrasi Umum "), "pelaksana")
    db.session.commit()
    ops.mulai_kegiatan(item.id, p.staf)
    score(item, p)
    for person in members:
        rapat(item, p, person, level=Decimal(3))
    return p, item, members


def test_feedback_eligibility_follows_the_position_level(umpan):
    p, item, (pelaksana, pengawas) = umpan
    # Pelaksana: from the day of the assessment, in the same year.
    assert ub.kelayakan(pelaksana, dt.date(2026, 11, 16)).boleh
    assert not ub.kelayakan(pelaksana, dt.date(2026, 11, 15)).boleh
    # Others: on request from the following year.
    refused = ub.kelayakan(pengawas, dt.date(2026, 12, 31))
    assert not refused.boleh and refused.mulai == dt.date(2027, 1, 1)
    assert "1 Januari 2027" in refused.pesan
    assert ub.kelayakan(pengawas, dt.date(2027, 1, 1)).boleh
    # The rule is the agency's: with supervisors listed, they may have it the same year.
    aturan = ops.aturan_kegiatan(item)
    aturan.umpan_balik_segera = "pelaksana, pengawas"
    assert ub.kelayakan(pengawas, dt.date(2026, 11, 20)).boleh
    db.session.rollback()


def test_feedback_request_session_and_report(client, umpan):
    p, item, (pelaksana, pengawas) = umpan
    as_user(client, p.staf)
    # A supervisor assessed this year is refused with the date it becomes possible; nothing is stored.
    page = client.post(f"/umpanbalikview/minta/{pengawas.id}", data={"tanggal": "2026-11-20"},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "1 Januari 2027" in page
    assert db.session.execute(select(UmpanBalik).where(UmpanBalik.peserta_id == pengawas.id)).scalar() is None

    request = {"tanggal": "2026-11-20", "permintaan": "Ingin mengetahui area pengembangan."}
    response = client.post(f"/umpanbalikview/minta/{pelaksana.id}", data=request)
    assert response.status_code == 302
    item_ub = db.session.execute(select(UmpanBalik).where(UmpanBalik.peserta_id == pelaksana.id)).scalar_one()
    # No report before the session took place.
    assert client.get(f"/umpanbalikview/pdf/{item_ub.id}").status_code == 302
    # A session given by someone outside the team is refused.
    client.post(f"/umpanbalikview/sesi/{item_ub.id}",
                data={"tanggal": "2026-11-23", "pemberi_id": p.staf.pegawai_id, "catatan": "Catatan."})  # fmt: skip
    db.session.expire_all()
    assert db.session.get(UmpanBalik, item_ub.id).tanggal_sesi is None
    assessor = next(a for a in p.asesor if any(t.peserta_id == pelaksana.id for t in lembar(item, a)))
    as_user(client, assessor)
    client.post(f"/umpanbalikview/sesi/{item_ub.id}",
                data={"tanggal": "2026-11-23", "pemberi_id": assessor.pegawai_id,
                      "catatan": "Kekuatan pada integritas; kembangkan komunikasi."})  # fmt: skip
    db.session.expire_all()
    done = db.session.get(UmpanBalik, item_ub.id)
    assert done.tanggal_sesi == dt.date(2026, 11, 23) and done.pemberi_id == assessor.pegawai_id
    pdf = client.get(f"/umpanbalikview/pdf/{item_ub.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "LAPORAN UMPAN BALIK" in text and "kembangkan komunikasi" in text and "Halaman 1 dari 1" in text


def test_feedback_of_another_unit_is_not_found(client, umpan, create_user, create_unit):
    p, item, (pelaksana, _administrator) = umpan
    ub.catat_permintaan(pelaksana.id, p.staf, dt.date(2026, 11, 20))
    record = db.session.execute(select(UmpanBalik).where(UmpanBalik.peserta_id == pelaksana.id)).scalar_one()
    outsider = create_user(["Pejabat Fungsional Muda"], create_unit(nama=uniq("Unit Lain ")))
    as_user(client, outsider)
    assert client.get(f"/umpanbalikview/show/{record.id}").status_code == 404
    assert client.post(f"/umpanbalikview/minta/{pelaksana.id}", data={"tanggal": "2026-11-20"}).status_code == 404
    assert "Pengadministrasi" not in client.get("/umpanbalikview/list/").get_data(as_text=True)
    # An assessor who did not assess the participant cannot record the session.
    others = [a for a in p.asesor[1:] if not any(t.peserta_id == pelaksana.id for t in lembar(item, a))]
    for other in others:
        with pytest.raises(ops.PenilaianError):
            ub.catat_sesi(record.id, other, dt.date(2026, 11, 23), other.pegawai_id, "Catatan.")
