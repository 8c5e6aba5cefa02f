"""Excel import of participants: the template round-trips, every bad row is named with its row number and
reason, and one bad row means nothing is imported (screen and API)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import Peserta
from app.penilaian import impor
from app.penilaian import operations as ops
from tests.conftest import PASSWORD, as_user, make_nip, uniq
from tests.penilaian_data import baris_peserta, pusat, xlsx


def count(item) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count(Peserta.id)).where(Peserta.kegiatan_id == item.id)).scalar_one()


@pytest.fixture
def acara(create_unit, create_pegawai, create_user):
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=0)
    item = ops.buat_kegiatan(p.staf, uniq("Penilaian Impor "), "pengisian_jabatan", unit_kerja_id=p.unit.id)
    return p, item


def test_the_template_has_the_indonesian_headers_and_a_text_nip_column(client, acara):
    p, _ = acara
    as_user(client, p.admin)
    response = client.get("/kegiatanpenilaianview/templat")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.data))
    sheet = wb["Peserta"]
    assert [c.value for c in sheet[1]][:3] == ["NIP", "Nama", "Gelar Depan"]
    assert "Gelombang" in [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=1).number_format == "@"
    assert {"Petunjuk", "Contoh"} <= set(wb.sheetnames)


def test_a_bad_row_in_the_middle_imports_nothing_and_names_the_row(client, acara, create_pegawai):
    p, item = acara
    rows = baris_peserta(p, 5, create_pegawai)
    rows[2][0] = "19800231 200501 1 001"  # row 4 of the sheet: 31 February is no birth date
    as_user(client, p.admin)
    page = client.post(
        f"/kegiatanpenilaianview/impor/{item.id}",
        data={"berkas": (io.BytesIO(xlsx(rows)), "p.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Tidak ada yang diimpor: 1 baris mengandung kesalahan." in page
    assert "Baris 4:" in page and "tanggal lahir" in page
    assert count(item) == 0
    rows[2][0] = make_nip()
    ok_page = client.post(
        f"/kegiatanpenilaianview/impor/{item.id}",
        data={"berkas": (io.BytesIO(xlsx(rows)), "p.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "5 peserta diimpor" in ok_page
    assert count(item) == 5


def test_every_bad_row_is_reported_with_its_reason(acara, create_pegawai):
    p, item = acara
    good = baris_peserta(p, 2, create_pegawai)
    rows = [
        good[0],
        [make_nip(), "Tanpa Jabatan Dikenal", "", "", "III/c", "Jabatan Yang Tidak Ada", "", "", "", 1, ""],
        [good[0][0], "Dobel Dalam Berkas", "", "", "", good[0][5], "", "", "", 1, ""],
        [make_nip(), "", "", "", "", good[0][5], "", "", "", 1, ""],
        [make_nip(), "Gelombang Tidak Ada", "", "", "", good[0][5], "", "", "", 9, ""],
        [make_nip(), "Golongan Salah", "", "", "V/z", good[0][5], "", "", "", 1, ""],
        [198001012005011001, "NIP Sebagai Angka", "", "", "", good[0][5], "", "", "", 1, ""],
        [make_nip(), "Gelombang Huruf", "", "", "", good[0][5], "", "", "", "satu", ""],
    ]
    with pytest.raises(impor.ImporError) as refused:
        impor.impor_peserta(item.id, p.admin, xlsx(rows))
    reasons = {row.baris: row.pesan for row in refused.value.baris}
    assert set(reasons) == {3, 4, 5, 6, 7, 8, 9}
    assert "jabatan" in reasons[3] and "tidak dikenal" in reasons[3]
    assert "sudah menjadi peserta" in reasons[4]
    assert "nama kosong" in reasons[5]
    assert "gelombang 9 tidak ada" in reasons[6]
    assert "V/z" in reasons[7]
    assert "format kolom NIP sebagai teks" in reasons[8]
    assert "gelombang harus berupa angka" in reasons[9]
    assert count(item) == 0


def test_duplicates_in_the_event_and_a_full_wave_are_refused(acara, create_pegawai):
    p, item = acara
    impor.impor_peserta(item.id, p.admin, xlsx(baris_peserta(p, 1, create_pegawai)))
    again = db.session.execute(select(Peserta).where(Peserta.kegiatan_id == item.id)).scalar_one()
    with pytest.raises(impor.ImporError) as refused:
        impor.impor_peserta(item.id, p.admin, xlsx([[again.nip, again.nama, "", "", "", "", "", "", "", 1, ""]]))
    assert "sudah menjadi peserta" in refused.value.baris[0].pesan
    rules = ops.aturan_kegiatan(item)
    with pytest.raises(impor.ImporError) as full:
        impor.impor_peserta(item.id, p.admin, xlsx(baris_peserta(p, rules.maks_peserta_gelombang, create_pegawai)))
    last = full.value.baris[-1]
    assert last.baris == rules.maks_peserta_gelombang + 1 and "sudah penuh" in last.pesan
    assert count(item) == 1


def test_a_file_that_is_no_workbook_or_lacks_a_column_is_refused(acara):
    p, item = acara
    with pytest.raises(impor.ImporError, match="bukan buku kerja Excel"):
        impor.impor_peserta(item.id, p.admin, b"NIP;Nama\n1;x\n")
    with pytest.raises(impor.ImporError, match='Kolom "NIP" tidak ada'):
        impor.impor_peserta(item.id, p.admin, xlsx([["x"]], header=["Nama"]))
    with pytest.raises(impor.ImporError, match="tidak berisi baris peserta"):
        impor.impor_peserta(item.id, p.admin, impor.templat())
    assert count(item) == 0


def test_the_api_import_answers_row_errors_or_the_number_imported(client, acara, create_pegawai):
    p, item = acara
    token = client.post(
        "/api/v1/security/login", json={"username": p.admin.username, "password": PASSWORD, "provider": "db"}
    ).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    rows = baris_peserta(p, 3, create_pegawai)
    rows[1][5] = "Jabatan Khayalan"
    bad = client.post(
        f"/api/v1/kegiatan/{item.id}/peserta/import",
        headers=headers,
        data={"berkas": (io.BytesIO(xlsx(rows)), "p.xlsx")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert bad.json["errors"] == [{"baris": 3, "pesan": bad.json["errors"][0]["pesan"]}]
    assert "Jabatan Khayalan" in bad.json["errors"][0]["pesan"]
    assert count(item) == 0
    rows[1][5] = rows[0][5]
    good = client.post(
        f"/api/v1/kegiatan/{item.id}/peserta/import",
        headers=headers,
        data=xlsx(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert good.status_code == 200 and good.json["jumlah"] == 3
    assert count(item) == 3
