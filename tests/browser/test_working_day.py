"""In a real browser, with the network outside Penkom closed: each role's home page on the demo data (the
work `make run` prepares) shows that person's own work and, for a supervisor, charts drawn by the server.

This module loads the demo data into the shared live app, so it runs after the other browser modules
(files run in name order) and asserts only on the demo agencies' records."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.demo import load_demo
from app.extensions import db
from app.models import PenkomUser
from tests.conftest import PASSWORD

# Who opens Penkom in the morning, and what their home page must show them.
ROLES = {
    "operator": ("demo.operator", ["#bagian-pintasan"]),
    "asesor": ("khm.ketua", ["#bagian-penilaian", "#lembar-saya"]),
    "pejabat": ("pml.kepala.badan", ["#bagian-tugas"]),
    "pengawas": ("demo.pengawas", ["#bagian-unit", "#jumlah-berjalan", "#waktu-per-sop"]),
    "admin": ("admin", ["#bagian-unit", "#bagian-pintasan"]),
}


@pytest.fixture(scope="module")
def demo(live_server):
    """The demo agencies, people, cases and assessment work, with one known password; the accounts'
    first-login password change is waived here as `penkom demo` does for its printed logins."""
    with live_server.app.app_context():
        load_demo(PASSWORD)
        sm = live_server.app.appbuilder.sm
        if sm.find_user(username="admin") is None:  # `make run` makes it with `penkom admin`
            sm.add_user("admin", "Administrator", "Penkom", "admin@example.test", sm.find_role("Admin"),
                        password=PASSWORD)  # fmt: skip
        users = db.session.execute(select(PenkomUser).where(PenkomUser.username.in_([u for u, _ in ROLES.values()])))
        found = {user.username: user for user in users.scalars()}
        for user in found.values():
            user.wajib_ganti_sandi = False
        db.session.commit()
        missing = sorted({u for u, _ in ROLES.values()} - set(found))
        assert not missing, f"the demo has no account {missing}"
    return found


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_finds_its_own_work_on_the_home_page(open_tab, demo, role):
    username, sections = ROLES[role]
    tab = open_tab(f"beranda-{role}")
    tab.login(username, PASSWORD)
    page = tab.goto("/")
    for selector in sections:
        assert page.locator(selector).count() == 1, f"{role}: {selector} missing from the home page"
    text = page.locator("body").inner_text()
    assert not re.search(r"\b(True|False|None)\b", text), f"{role}: a raw value on the home page"
    if role in ("pengawas", "admin"):
        # The unit's charts are SVG drawn by the server, shown as images from data: URIs (no request out).
        charts = page.locator('#bagian-unit img[src^="data:image/svg+xml"]')
        assert charts.count() >= 1, f"{role}: no chart in the unit overview"
        assert all(charts.nth(i).evaluate("img => img.naturalWidth > 0") for i in range(charts.count()))
    if role == "asesor":
        assert page.locator("#lembar-saya").inner_text().strip(), "the assessor's sheets are listed"
    tab.shot("beranda")
