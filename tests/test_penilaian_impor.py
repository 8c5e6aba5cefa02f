"""Excel import of participants: the template round-trips, every bad row is named with its row number and
reason, and one bad row means nothing is imported (screen and API)."""

from __future__ import annotations

import html
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import Peserta
from app.penilaian import impor
from app.penilaian import operations as ops
from tests.conftest import PASSWORD, as_user, make_nip, uniq
from tests.penilaian_data import baris_peserta, pusat, xlsx
from tests.workbooks import NS, SHARED, SHEET, column_letter, declaring, inflated, rebuild, sheet, text_row


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


# -- issue 17 finding 5: Excel import bombs ---------------------------------------------------------------------

HEADER = [h for h, *_ in impor.KOLOM]


def _rows(n: int, start: int = 2, columns: int = 1) -> list[str]:
    return [f'<row r="{r}">' + "".join(f'<c r="{column_letter(c)}{r}" s="0"/>' for c in range(1, columns + 1))
            + "</row>" for r in range(start, start + n)]  # fmt: skip


def _shared_texts(n: int) -> str:
    items = "".join(f"<si><t>teks {i}</t></si>" for i in range(n))
    return f'<?xml version="1.0"?><sst {NS} count="{n}" uniqueCount="{n}">{items}</sst>'


ENTITY_BOMB = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
               f']><worksheet {NS}><sheetData><row r="1"><c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData>'
               "</worksheet>")  # fmt: skip

# name: (how the bomb is made from a real participant workbook, what the refusal says)
BOMBS = {
    "declares_a_million_rows": (
        lambda base: rebuild(
            base, {SHEET: sheet([text_row(1, HEADER), '<row r="1048576"><c r="XFD1048576"/></row>'], "A1:XFD1048576")}
        ),
        'Lembar "Peserta" mencapai baris 1.048.576; paling banyak 10.000 baris yang diterima.',
    ),
    "has_rows_past_the_limit": (
        lambda base: rebuild(base, {SHEET: sheet([text_row(1, HEADER), *_rows(10_000)])}),
        'Lembar "Peserta" mencapai baris 10.001; paling banyak 10.000 baris yang diterima.',
    ),
    "has_columns_past_the_limit": (
        lambda base: rebuild(base, {SHEET: sheet([text_row(1, [*HEADER, *[""] * 89, "Catatan"])])}),
        'Lembar "Peserta" mencapai kolom 101; paling banyak 100 kolom yang diterima.',
    ),
    "has_too_many_cells": (
        lambda base: rebuild(base, {SHEET: sheet([text_row(1, HEADER), *_rows(1_600, columns=100)])}),
        'Lembar "Peserta" berisi lebih dari 150.000 sel; paling banyak 150.000 yang diterima.',
    ),
    "sheet_unpacks_to_64_mb": (
        lambda base: inflated(base, 64),
        "Bagian xl/worksheets/sheet1.xml dari berkas terurai menjadi 64 MB; paling banyak 20 MB per bagian.",
    ),
    "sheet_packed_1000_times": (
        lambda base: inflated(base, 5),
        (
            "Bagian xl/worksheets/sheet1.xml dari berkas dikemas ",
            " kali lebih kecil dari isinya; paling banyak 200 kali yang diterima",
        ),
    ),
    "declares_60_mb_in_all": (
        lambda base: declaring(base, {f"xl/media/isi{i}.bin": 15 * 1024 * 1024 for i in range(4)}),
        ("Berkas terurai menjadi 60", " MB; paling banyak 50 MB yang diterima."),
    ),
    "holds_600_parts": (
        lambda base: rebuild(base, {f"xl/media/k{i}.bin": b"x" for i in range(600)}),
        "bagian terkemas",
    ),
    "holds_60000_shared_texts": (
        lambda base: rebuild(base, {SHARED: _shared_texts(60_000)}),
        "Teks dan gaya buku kerja berisi lebih dari 100.000 entri; paling banyak 100.000 yang diterima.",
    ),
    "expands_entities": (lambda base: rebuild(base, {SHEET: ENTITY_BOMB}), "bukan buku kerja Excel (.xlsx)"),
}


def upload(client, item, data: bytes) -> str:
    return client.post(
        f"/kegiatanpenilaianview/impor/{item.id}",
        data={"berkas": (io.BytesIO(data), "peserta.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_excel_import_bomb_is_refused_with_what_is_too_big_and_nothing_imported(client, acara, create_pegawai, bomb):
    p, item = acara
    make, message = BOMBS[bomb]
    data = make(xlsx(baris_peserta(p, 3, create_pegawai)))
    assert len(data) < 700 * 1024  # the bombs are small files
    as_user(client, p.admin)
    page = html.unescape(upload(client, item, data))
    assert all(part in page for part in ((message,) if isinstance(message, str) else message)), page[-3000:]
    assert count(item) == 0


def test_excel_import_bomb_is_refused_by_the_api_with_its_message(client, acara, create_pegawai):
    p, item = acara
    token = client.post(
        "/api/v1/security/login", json={"username": p.admin.username, "password": PASSWORD, "provider": "db"}
    ).json["access_token"]
    make, message = BOMBS["declares_a_million_rows"]
    response = client.post(
        f"/api/v1/kegiatan/{item.id}/peserta/import",
        headers={"Authorization": f"Bearer {token}"},
        data=make(xlsx(baris_peserta(p, 3, create_pegawai))),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert response.status_code == 422 and message in response.json["message"]
    assert count(item) == 0


def test_excel_import_bomb_check_passes_a_file_just_under_every_limit(client, acara, create_pegawai):
    """Row 10,000 and column 100 reached (a formatted cell, a notes column), three participants: imported."""
    p, item = acara
    people = baris_peserta(p, 3, create_pegawai)
    rows = [text_row(1, [*HEADER, *[""] * 88, "Catatan"])]
    rows += [text_row(i, [str(v) for v in person]) for i, person in enumerate(people, start=2)]
    rows.append('<row r="10000"><c r="A10000" s="0"/></row>')
    data = rebuild(xlsx([]), {SHEET: sheet(rows, "A1:CV10000")})
    as_user(client, p.admin)
    page = upload(client, item, data)
    assert "3 peserta diimpor" in page
    assert count(item) == 3


def test_excel_import_bomb_check_refuses_files_that_are_no_workbook(client, acara):
    p, item = acara
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    as_user(client, p.admin)
    for data in (b"NIP;Nama\n1;x\n", b"%PDF-1.4\n%\xe2\xe3\n", docx.getvalue(), b"PK\x05\x06" + b"\0" * 18, b"\0" * 64):
        page = upload(client, item, data)
        assert "Berkas bukan buku kerja Excel (.xlsx) yang valid; gunakan templat." in page
    assert count(item) == 0
