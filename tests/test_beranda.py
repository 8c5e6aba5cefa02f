"""The home page (Beranda): each role's own work first, sections registered by areas, offline charts."""

from __future__ import annotations

import base64
import re

import pytest

from app import beranda
from tests.conftest import login


def home(client, username) -> str:
    client.get("/logout/")
    login(client, username)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_the_login_page(demo_app):
    client = demo_app.test_client()
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


def test_my_tasks_come_overdue_first_with_their_due_times(demo_app):
    page = home(demo_app.test_client(), "demo.asesor")
    rows = re.findall(r'<tr class="(danger)?">.*?class="tenggat">(.*?)</td>', page, re.S)
    assert rows and rows[0][0] == "danger"  # the overdue case leads
    flags = [bool(late) for late, _due in rows]
    assert flags == sorted(flags, reverse=True)
    assert all(re.search(r"\d{1,2} \w+ \d{4} \d{2}:\d{2}", due) for _late, due in rows)


def test_supervisor_sees_the_unit_with_server_drawn_charts_and_nothing_from_outside(demo_app):
    page = home(demo_app.test_client(), "demo.pengawas")
    pattern = r'<img class="img-responsive grafik" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"'
    charts = re.findall(pattern, page)
    assert len(charts) == 2
    svg = base64.b64decode(charts[0][0]).decode()
    assert "<svg" in svg and "Kasus berjalan per SOP" in svg
    assert "Pelaksanaan Seleksi Mutasi Masuk" in svg  # the SOP names are the chart's categories
    # Every resource of the page comes from Penkom itself (no CDN, no Google Charts).
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert url.startswith(("/", "data:", "#")), url


def test_an_area_registers_its_own_section(demo_app):
    calls = []

    def build(user):
        """An assessor sees their participants; other roles do not get the section."""
        calls.append(user.username)
        if user.username != "demo.asesor":
            return None
        return {"links": [("KasusView.list", "7 peserta", "fa-user")]}

    beranda.register(beranda.Section("uji", "Peserta untuk dinilai", "beranda/pintasan.html", build, order=15))
    try:
        client = demo_app.test_client()
        assert "7 peserta" in home(client, "demo.asesor")
        assert 'id="bagian-uji"' not in home(client, "demo.pengawas")  # not for this role
    finally:
        beranda.SECTIONS.pop("uji")
    assert "demo.asesor" in calls


def test_a_failing_section_does_not_take_the_page_down(demo_app, caplog):
    def broken(user):
        raise RuntimeError("boom")

    beranda.register(beranda.Section("rusak", "Rusak", "beranda/pintasan.html", broken, order=1))
    try:
        page = home(demo_app.test_client(), "demo.pengawas")
    finally:
        beranda.SECTIONS.pop("rusak")
    assert "Bagian ini tidak dapat dimuat" in page and 'id="bagian-unit"' in page
    assert "home page section rusak failed" in caplog.text


@pytest.mark.parametrize("username", ["demo.operator", "demo.asesor", "demo.pejabat", "demo.pengawas"])
def test_each_demo_home_page_says_what_to_do_next_when_empty(demo_app, username):
    page = home(demo_app.test_client(), username)
    assert "Selamat datang" in page and "Pintasan" in page
