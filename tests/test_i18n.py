"""Bahasa Indonesia by default, English selectable; the catalog is complete."""

import datetime as dt
from pathlib import Path

from babel.messages.pofile import read_po

from app.formatting import tanggal, tanggal_waktu
from tests.conftest import login

PO = Path(__file__).resolve().parent.parent / "translations" / "id" / "LC_MESSAGES" / "messages.po"


def test_catalog_has_no_untranslated_or_fuzzy_message():
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    bad = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert bad == []
    assert len(catalog) > 250  # the app's strings and FAB's own


def test_catalog_covers_fab_login_and_list_strings():
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    for msgid in ("Sign In", "Username", "Password", "List Users", "Add a new record", "Search"):
        assert catalog.get(msgid) is not None, msgid


def test_login_page_is_indonesian(client):
    page = client.get("/login/").get_data(as_text=True)
    assert "Nama Pengguna" in page
    assert "Kata Sandi" in page


def test_menus_are_indonesian_and_english_is_selectable(client, create_user, create_unit):
    login(client, create_user(["Admin"], create_unit()).username)
    page = client.get("/pegawaiview/list/").get_data(as_text=True)
    assert "Data Induk" in page and "Daftar Pegawai" in page
    client.get("/lang/en")
    page = client.get("/pegawaiview/list/").get_data(as_text=True)
    assert "Master Data" in page and "Civil Servants" in page
    client.get("/lang/id")


def test_dates_are_written_the_indonesian_way(app):
    with app.test_request_context():
        assert tanggal(dt.date(2026, 11, 22)) == "22 November 2026"
        assert tanggal(dt.date(2026, 8, 17)) == "17 Agustus 2026"
        # Stored in UTC, shown in Asia/Jakarta (UTC+7).
        assert tanggal_waktu(dt.datetime(2026, 11, 22, 20, 30)) == "23 November 2026 03:30"
