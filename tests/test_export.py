"""Excel/CSV export of lists: exactly the rows the user sees (filters, order, quick search, scope)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import Kasus, Langkah, Pelaksana, Sop
from app.workflow import engine
from tests.conftest import as_user, uniq


def shown_ids(page: str, endpoint: str) -> list[int]:
    """Row ids in list order, from the show links of a list page."""
    ids = [int(i) for i in re.findall(rf"/{endpoint}/show/(\d+)", page)]
    return list(dict.fromkeys(ids))


def xlsx_rows(data: bytes) -> tuple[list, list[list]]:
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return rows[0], rows[1:]


def one_step_sop(unit, role, name):
    """An SOP of one unit whose single step belongs to `role` (built directly: the forms are tested elsewhere)."""
    sop = Sop(kode=uniq("sop-ekspor-"), nama=name, instansi_id=unit.instansi_id, unit_kerja_id=unit.id)
    actor = Pelaksana(sop=sop, urutan=1, kode="staf", nama="Staf", role_id=role.id)
    db.session.add_all([sop, actor, Langkah(sop=sop, no=1, kegiatan="Memproses", simbol="proses", pelaksana=actor,
                                            waktu="1 hari", waktu_nilai=1, waktu_satuan="hari")])  # fmt: skip
    db.session.add(Langkah(sop=sop, no=2, kegiatan="Selesai", simbol="selesai", pelaksana=actor))
    db.session.commit()
    return sop


@pytest.fixture
def two_units(app, create_unit, create_user, roles):
    """Cases in unit A (the supervisor's, with a sub-unit) and in unit B of another agency."""
    unit_a = create_unit(nama="Bidang Mutasi")
    sub_a = create_unit(induk=unit_a, nama="Subbidang Mutasi")
    unit_b = create_unit(nama="Bidang Lain")
    role = roles["pemohon"]
    sop_a, sop_sub, sop_b = (one_step_sop(unit_a, role, "SOP Mutasi"), one_step_sop(sub_a, role, "SOP Sub"),
                             one_step_sop(unit_b, role, "SOP Lain"))  # fmt: skip
    staff_a, staff_b = create_user([role.name], unit_a), create_user([role.name], unit_b)
    cases = {"a": [], "b": []}
    for i in range(14):  # more than one page
        cases["a"].append(engine.start_case(sop_a.id, f"Mutasi masuk {i:02d}", staff_a).id)
    cases["a"].append(engine.start_case(sop_sub.id, "Mutasi subbidang", staff_a).id)
    engine.perform(cases["a"][0], "lanjut", staff_a)
    engine.perform(cases["a"][0], "selesai", staff_a)  # one finished case
    for i in range(3):
        cases["b"].append(engine.start_case(sop_b.id, f"RAHASIA unit lain {i}", staff_b).id)
    supervisor = create_user(["Pengawas"], unit_a)
    return {"supervisor": supervisor, "cases": cases, "unit_a": unit_a, "unit_b": unit_b}


def test_supervisors_excel_of_the_case_list_has_exactly_their_rows(client, two_units):
    as_user(client, two_units["supervisor"])
    page = client.get("/kasusview/list/?psize_KasusView=100").get_data(as_text=True)
    seen = shown_ids(page, "kasusview")
    assert sorted(seen) == sorted(two_units["cases"]["a"])
    assert 'id="unduh-xlsx"' in page

    response = client.get("/kasusview/export/xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert re.match(r'attachment; filename="kasus-\d{8}\.xlsx"', response.headers["Content-Disposition"])
    header, rows = xlsx_rows(response.data)
    assert header == ["No.", "Judul", "SOP", "Langkah saat ini", "Status", "Tenggat", "Unit Kerja"]
    assert [row[0] for row in rows] == seen  # all pages, in the list's order
    assert not any("RAHASIA" in str(cell) for row in rows for cell in row)
    assert {row[6] for row in rows} <= {"Bidang Mutasi", "Subbidang Mutasi"}
    assert {row[4] for row in rows} == {"berjalan", "selesai"}  # labels, in Indonesian
    due = [row[5] for row in rows if row[5] is not None]
    assert due and all(isinstance(d, dt.datetime) for d in due)
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert "421" in sheet["F2"].number_format or "421" in sheet["F3"].number_format


def test_export_follows_the_filters_order_and_quick_search_on_screen(client, two_units):
    as_user(client, two_units["supervisor"])
    for query in ("_flt_2_judul=subbidang", "q=Mutasi+masuk+1", "_oc_KasusView=judul&_od_KasusView=asc",
                  f"q=%23{two_units['cases']['a'][3]}"):  # fmt: skip
        page = client.get(f"/kasusview/list/?psize_KasusView=100&{query}").get_data(as_text=True)
        _, rows = xlsx_rows(client.get(f"/kasusview/export/xlsx?{query}").data)
        assert [row[0] for row in rows] == shown_ids(page, "kasusview"), query
        assert rows, query
    _, rows = xlsx_rows(client.get("/kasusview/export/xlsx?q=RAHASIA").data)
    assert rows == []  # the quick search never widens the scope


def test_csv_is_excel_friendly_with_indonesian_values(client, create_unit, create_user, create_pegawai):
    unit = create_unit(nama="Bidang Pengembangan")
    create_pegawai(unit, nip="196403272006041002", nama=uniq("Budi Santoso "), aktif=True)
    operator = create_user(["Operator"], unit)
    as_user(client, operator)
    response = client.get("/pegawaiview/export/csv?q=19640327+200604")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["NIP", "Nama", "Pangkat/Golongan", "Jabatan", "Unit Kerja"]
    assert rows[1][0] == "19640327 200604 1 002" and rows[1][4] == "Bidang Pengembangan"
    assert len(rows) == 2


def test_case_csv_prints_dates_in_indonesian(client, two_units):
    as_user(client, two_units["supervisor"])
    text = client.get("/kasusview/export/csv").data.decode("utf-8-sig")
    assert re.search(r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|"
                     r"Desember) \d{4} \d{2}:\d{2}", text)  # fmt: skip
    assert "RAHASIA" not in text


def test_export_needs_the_list_permission_and_a_known_format(app, client, two_units, create_user):
    client.get("/logout/")
    assert client.get("/kasusview/export/xlsx").status_code == 302  # anonymous: to the login page
    as_user(client, two_units["supervisor"])
    assert client.get("/kasusview/export/pdf").status_code == 404
    # The supervisor has no "my tasks" list, so no export of it either.
    assert client.get("/tugassayaview/export/xlsx").status_code == 403


def test_my_tasks_export_lists_only_my_steps(client, two_units, roles, create_user):
    staff = create_user([roles["pemohon"].name], two_units["unit_a"])
    as_user(client, staff)
    page = client.get("/tugassayaview/list/?psize_TugasSayaView=100").get_data(as_text=True)
    _, rows = xlsx_rows(client.get("/tugassayaview/export/xlsx").data)
    assert [row[0] for row in rows] == shown_ids(page, "tugassayaview")
    assert len(rows) == 14  # the 15 cases of unit A, less the finished one


def test_export_refuses_an_order_column_the_list_does_not_offer(client, two_units):
    as_user(client, two_units["supervisor"])
    response = client.get("/kasusview/export/xlsx?_oc_KasusView=unit_kerja_id%20desc&_od_KasusView=asc")
    assert response.status_code == 400
    assert "tidak dapat diurutkan" in response.get_data(as_text=True)
    response = client.get("/kasusview/export/xlsx?_oc_KasusView=id&_od_KasusView=asc")
    _, rows = xlsx_rows(response.data)
    assert sorted(row[0] for row in rows) == sorted(two_units["cases"]["a"])


# -- issue 17 finding 3: formula injection --------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://x","klik")', "+62 812 1111", "-2+3", "@SUM(A1:A9)", "\tTab di depan",
           "\rCR di depan", "#N/A"]  # fmt: skip


@pytest.fixture
def hostile_titles(two_units, roles, create_user):
    """Cases of unit A whose titles an applicant typed to look like formulas."""
    applicant = create_user([roles["pemohon"].name], two_units["unit_a"])
    sop_id = db.session.get(Kasus, two_units["cases"]["a"][1]).sop_id
    cases = {engine.start_case(sop_id, title, applicant): title for title in HOSTILE}
    for kasus, title in cases.items():
        kasus.judul = title  # the case form strips a leading tab or CR; a title stored another way keeps it
    db.session.commit()
    return {kasus.id: title for kasus, title in cases.items()}


def sheet_xml(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode()


def test_formula_injection_case_titles_are_text_cells_in_the_excel_export(client, two_units, hostile_titles):
    as_user(client, two_units["supervisor"])
    response = client.get("/kasusview/export/xlsx")
    assert response.status_code == 200
    assert "<f>" not in sheet_xml(response.data)  # no formula anywhere in the sheet
    sheet = load_workbook(io.BytesIO(response.data)).active
    found = {}
    for row in sheet.iter_rows(min_row=2):
        number, title, due = row[0], row[1], row[5]
        assert number.data_type == "n" and isinstance(number.value, int)  # the case number stays a number
        if due.value is not None:
            assert isinstance(due.value, dt.datetime) and due.is_date  # dates stay dates
        if number.value in hostile_titles:
            found[number.value] = (title.data_type, title.value)
    assert found == {pk: ("s", text) for pk, text in hostile_titles.items()}


def test_formula_injection_case_titles_get_the_apostrophe_in_the_csv_export(client, two_units, hostile_titles):
    as_user(client, two_units["supervisor"])
    text = client.get("/kasusview/export/csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    titles = {int(row[0]): row[1] for row in rows[1:]}
    for pk, title in hostile_titles.items():
        expected = title if title == "#N/A" else "'" + title  # "#N/A" is no formula: left as typed
        assert titles[pk] == expected
    assert all(row[0].isdigit() for row in rows[1:])  # case numbers are not prefixed
    plain = [row for row in rows[1:] if int(row[0]) not in hostile_titles]
    assert plain and all(not row[1].startswith("'") for row in plain)
    assert any(re.fullmatch(r"\d{1,2} \w+ \d{4} \d{2}:\d{2}", row[5]) for row in plain)  # dates as before
