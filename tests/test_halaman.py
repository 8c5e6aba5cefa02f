"""The page sweep: every list, show, add and edit page of every registered view (and every other page
without arguments) rendered as an administrator on the demo data, in Indonesian, shows no raw values
(True/False/None, __None, raw lists, stored codes), no FAB default English titles and no English
string that has a translation. Views added later are swept automatically.

A legitimate exception: mark the element with `data-sweep-skip` (its text is left out), or give the
view `sweep_exempt = {"<exact text>": "<why it is right>"}`. Coded columns that need labels are listed
in tests/sweep.py (enum_columns).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_appbuilder import ModelView
from flask_babel import force_locale
from sqlalchemy import select

from app.extensions import db
from app.models import Sop
from tests.conftest import PASSWORD, login
from tests.sweep import english_msgids, enum_columns, fab_msgids, problems, visible_texts

PO = Path(__file__).resolve().parent.parent / "translations" / "id" / "LC_MESSAGES" / "messages.po"
SKIP_PREFIXES = ("/api/", "/static", "/appbuilder", "/logout", "/lang/", "/swagger", "/login", "/verifikasi")
DETAIL_MODELS = {"MonitoringView.sop": Sop}  # pages of non-CRUD views that take a row id


@pytest.fixture(scope="module")
def sweeper(demo_app):
    """An administrator who also holds every role, so "my" lists (tasks) are not empty."""
    with demo_app.app_context():
        sm = demo_app.appbuilder.sm
        if sm.find_user(username="penyapu") is None:
            sm.add_user("penyapu", "Penyapu", "Halaman", "penyapu@example.test", sm.get_all_roles(), PASSWORD)
            db.session.commit()
    client = demo_app.test_client()
    login(client, "penyapu")
    return client


@pytest.fixture(scope="module")
def english():
    return english_msgids(PO, fab_msgids())


@pytest.fixture(scope="module")
def raw_codes(demo_app):
    with demo_app.test_request_context(), force_locale("id"):
        return {str(code) for labels in enum_columns().values() for code, label in labels.items()
                if str(label) != str(code)}  # fmt: skip


def pages(app, client) -> list[tuple[str, str, dict]]:
    """(url, what, exemptions) of every page to sweep."""
    result, seen = [], set()

    def add(url, what, view=None):
        if url not in seen:
            seen.add(url)
            result.append((url, what, getattr(view, "sweep_exempt", {}) or {}))

    for view in app.appbuilder.baseviews:
        name = view.__class__.__name__
        if not isinstance(view, ModelView) or f"{name}.list" not in app.view_functions:
            continue
        listing = f"{view.route_base}/list/"
        add(listing, f"{name} list", view)
        listed = client.get(listing).get_data(as_text=True)
        ids = re.findall(rf"{re.escape(view.route_base)}/(?:show|edit)/(\d+)", listed)
        for kind in ("show", "edit"):
            if ids and f"can_{kind}" in view.base_permissions and f"{name}.{kind}" in app.view_functions:
                add(f"{view.route_base}/{kind}/{ids[0]}", f"{name} {kind}", view)
        if "can_add" in view.base_permissions and f"{name}.add" in app.view_functions:
            add(f"{view.route_base}/add", f"{name} add", view)
    views = {v.__class__.__name__: v for v in app.appbuilder.baseviews}
    with app.app_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.rule.startswith(SKIP_PREFIXES) or "/export/" in rule.rule:
                continue
            view = views.get(rule.endpoint.split(".")[0])
            if not rule.arguments:
                add(rule.rule, rule.endpoint, view)
            elif rule.arguments == {"pk"} and rule.endpoint in DETAIL_MODELS:
                pk = db.session.execute(select(DETAIL_MODELS[rule.endpoint].id).limit(1)).scalar()
                add(rule.rule.replace("<int:pk>", str(pk)).replace("<pk>", str(pk)), rule.endpoint, view)
    return result


def test_every_page_reads_in_indonesian_without_raw_values(demo_app, sweeper, english, raw_codes):
    swept, failures = 0, []
    for url, what, exempt in pages(demo_app, sweeper):
        response = sweeper.get(url)
        if response.status_code in (302, 403, 404, 405):
            continue  # not a page of its own for this user (a redirect, an API-only or refused route)
        assert response.status_code == 200, (url, response.status_code)
        if response.mimetype != "text/html":
            continue  # a file download (PDF, Excel)
        page = response.get_data(as_text=True)
        swept += 1
        assert '<html lang="id">' in page, url
        found = problems(page, english, raw_codes, exempt)
        if found:
            failures.append(f"{what} {url}: {sorted(set(found))}")
    assert swept >= 60
    assert failures == [], "\n".join(failures)


def test_views_print_labels_for_coded_columns(demo_app):
    missing = []
    with demo_app.test_request_context(), force_locale("id"):
        coded = enum_columns()
        for view in demo_app.appbuilder.baseviews:
            if not isinstance(view, ModelView):
                continue
            shown = set(view.list_columns or []) | set(view.show_columns or [])
            for (model, column), labels in coded.items():
                if view.datamodel.obj is not model or column not in shown:
                    continue
                formatter = view.formatters_columns.get(column)
                for code, label in labels.items():
                    if formatter is None or str(formatter(str(code))) != str(label):
                        missing.append(f"{view.__class__.__name__}.{column}: {code!r}")
                        break
    assert missing == []


def test_the_sweep_itself_sees_what_it_must():
    english = {"Cancel", "Login count"}
    page = """<html lang="id"><body><td>True</td><td>None</td><select><option>__None</option></select>
      <td>[Kepala Badan]</td><h3>Add Hari Libur</h3><button>Cancel</button><th>Login count</th>
      <td>surat_dinas</td><td>Langkah saat ini None</td><input placeholder="Select Value">
      <script>var x = "True";</script><span data-sweep-skip>None</span><td>Ya</td></body></html>"""
    found = problems(page, english | {"Select Value"}, {"surat_dinas"})
    assert len(found) == 10, found
    assert "Ya" in visible_texts(page) and 'var x = "True";' not in visible_texts(page)
    assert problems("<td>True</td>", set(), set(), exempt={"True": "explained"}) == []


def test_page_language_follows_the_chosen_language(demo_app, sweeper):
    sweeper.get("/lang/en")
    try:
        assert '<html lang="en">' in sweeper.get("/").get_data(as_text=True)
    finally:
        sweeper.get("/lang/id")
    assert '<html lang="id">' in sweeper.get("/").get_data(as_text=True)
