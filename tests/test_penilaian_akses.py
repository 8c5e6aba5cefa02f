"""Who sees which assessment records: an assessor sees and scores only their own assignments — in lists,
show pages, the results table and its export, the API and forged posts — the ketua sees the whole event,
the staff of the unit run it, other units see nothing. Ends with the route × role matrix."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import Nilai, Penugasan
from app.penilaian import operations as ops
from tests.conftest import PASSWORD, login, uniq
from tests.penilaian_data import kegiatan_siap, lembar, peserta_dari, pusat

_DATA: dict = {}


def api(client, username):
    body = {"username": username, "password": PASSWORD, "provider": "db"}
    return {"Authorization": f"Bearer {client.post('/api/v1/security/login', json=body).json['access_token']}"}


@pytest.fixture
def dunia(create_unit, create_pegawai, create_user):
    """One event of 6 participants and 4 assessors, built once for the module; ids and usernames only."""
    if not _DATA:
        p = pusat(create_unit, create_pegawai, create_user, n_asesor=6)
        item = kegiatan_siap(p, create_pegawai, n_peserta=9, codes=["in_tray", "lgd", "cbi"])
        sheets = lembar(item)
        of = {a.pegawai_id: {t.peserta_id for t in sheets if t.asesor_id == a.pegawai_id} for a in p.asesor}
        # Two assessors (not the ketua) who each have a participant the other does not.
        a, b = next(
            (a, b)
            for a in p.asesor[1:]
            for b in p.asesor[1:]
            if a is not b and of[a.pegawai_id] - of[b.pegawai_id] and of[b.pegawai_id] - of[a.pegawai_id]
        )
        x = min(of[a.pegawai_id] - of[b.pegawai_id])
        y = min(of[b.pegawai_id] - of[a.pegawai_id])
        # A scores one of X's sheets: B must never see it.
        sheet_a = next(t for t in sheets if t.asesor_id == a.pegawai_id and t.peserta_id == x)
        ops.simpan_lembar(
            sheet_a.id, a, {k.id: (Decimal(3), "Bukti A.") for k in ops.kompetensi_metode(item, sheet_a.metode_id)}
        )
        sheet_b = next(t for t in sheets if t.asesor_id == b.pegawai_id and t.peserta_id == y)
        other_unit = create_unit(nama=uniq("Unit Lain "))
        names = {person.id: person.nama for person in peserta_dari(item)}
        _DATA.update(
            kegiatan=item.id,
            x=x,
            y=y,
            x_nama=names[x],
            y_nama=names[y],
            sheet_a=sheet_a.id,
            sheet_b=sheet_b.id,
            metode_y=sheet_b.metode_id,
            metode_x=sheet_a.metode_id,
            kompetensi_x=ops.kompetensi_metode(item, sheet_a.metode_id)[0].id,
            kompetensi_y=ops.kompetensi_metode(item, sheet_b.metode_id)[0].id,
            users={
                "ketua": p.ketua.username,
                "asesor": a.username,
                "asesor_b": b.username,
                "asesor_lain": create_user(["Asesor"], p.unit).username,
                "asesor_admin": p.admin.username,
                "jf_muda": p.staf.username,
                "pengawas": create_user(["Pengawas"], p.unit).username,
                "operator": create_user(["Operator"], p.unit).username,
                "staf_lain": create_user(["Pejabat Fungsional Muda"], other_unit).username,
            },
        )
    return _DATA


def _login(client, d, who):
    client.get("/logout/")
    login(client, d["users"][who])


def test_an_assessor_lists_and_opens_only_the_participants_assigned_to_them(client, dunia):
    d = dunia
    _login(client, d, "asesor")
    listing = client.get("/pesertaview/list/?psize_PesertaView=100").get_data(as_text=True)
    assert d["x_nama"] in listing and d["y_nama"] not in listing
    assert client.get(f"/pesertaview/show/{d['x']}").status_code == 200
    assert client.get(f"/pesertaview/show/{d['y']}").status_code == 404
    sheets = client.get("/penilaiansayaview/list/?psize_PenilaianSayaView=100").get_data(as_text=True)
    assert d["x_nama"] in sheets and d["y_nama"] not in sheets
    assert client.get(f"/penilaiansayaview/show/{d['sheet_a']}").status_code == 200
    assert client.get(f"/penilaiansayaview/show/{d['sheet_b']}").status_code == 404
    results = client.get(f"/kegiatanpenilaianview/hasil/{d['kegiatan']}").get_data(as_text=True)
    assert d["x_nama"] in results and d["y_nama"] not in results
    # Not the ketua: no meeting screen, no warnings, no assignment page.
    assert d["x_nama"] not in client.get("/integrasiview/list/").get_data(as_text=True)
    assert client.get(f"/integrasiview/show/{d['x']}").status_code == 404
    assert client.get(f"/kegiatanpenilaianview/penugasan/{d['kegiatan']}").status_code == 403
    assert 'id="peringatan"' not in client.get(f"/kegiatanpenilaianview/show/{d['kegiatan']}").get_data(as_text=True)


def test_an_assessor_cannot_export_another_assessors_participant(client, dunia):
    d = dunia
    _login(client, d, "asesor")
    response = client.get(f"/kegiatanpenilaianview/unduh/{d['kegiatan']}")
    assert response.status_code == 200
    names = {row[2] for row in load_workbook(io.BytesIO(response.data)).active.iter_rows(min_row=2, values_only=True)}
    assert any(d["x_nama"] in (n or "") for n in names) and not any(d["y_nama"] in (n or "") for n in names)


def test_a_forged_post_cannot_score_another_assessors_sheet(client, dunia):
    d = dunia
    before = db.session.execute(select(Nilai.id).where(Nilai.penugasan_id == d["sheet_b"])).all()
    _login(client, d, "asesor")
    forged = {f"level_{d['kompetensi_y']}": "5", f"bukti_{d['kompetensi_y']}": "palsu", "kirim": "1"}
    assert client.post(f"/penilaiansayaview/simpan/{d['sheet_b']}", data=forged).status_code == 404
    assert client.post(f"/penilaiansayaview/kirim/{d['sheet_b']}").status_code == 404
    # The ketua sees every sheet but fills none that is not theirs.
    _login(client, d, "ketua")
    page = client.post(f"/penilaiansayaview/simpan/{d['sheet_b']}", data=forged, follow_redirects=True)
    assert page.status_code == 404
    with pytest.raises(ops.PenilaianError) as refused:
        ops.simpan_lembar(d["sheet_b"], _user(d, "ketua"), {d["kompetensi_y"]: (5, "palsu")})
    assert refused.value.status == 403 and "Hanya asesor yang ditugaskan" in str(refused.value)
    db.session.expire_all()
    assert db.session.execute(select(Nilai.id).where(Nilai.penugasan_id == d["sheet_b"])).all() == before
    assert db.session.get(Penugasan, d["sheet_b"]).status == "draf"


def _user(d, who):
    from app.models import PenkomUser

    return db.session.execute(select(PenkomUser).where(PenkomUser.username == d["users"][who])).scalar_one()


def test_the_api_shows_and_takes_only_an_assessors_own_assignments(client, dunia):
    d = dunia
    headers = api(client, d["users"]["asesor"])
    listed = client.get("/api/v1/peserta/?q=(page_size:100)", headers=headers).json["ids"]
    assert d["x"] in listed and d["y"] not in listed
    assert client.get(f"/api/v1/peserta/{d['y']}", headers=headers).status_code == 404
    sheets = client.get(f"/api/v1/kegiatan/{d['kegiatan']}/penugasan", headers=headers).json["result"]
    assert sheets and {s["peserta_id"] for s in sheets} <= set(listed)
    assert d["y"] not in {
        r["peserta_id"] for r in client.get(f"/api/v1/kegiatan/{d['kegiatan']}/hasil", headers=headers).json["result"]
    }
    assert client.get(f"/api/v1/kegiatan/{d['kegiatan']}/peringatan", headers=headers).status_code == 403
    scores = client.get("/api/v1/nilai/?q=(page_size:100)", headers=headers).json["result"]
    assert scores and all(s["penugasan_id"] == d["sheet_a"] for s in scores)
    refused = client.put(
        "/api/v1/nilai/",
        headers=headers,
        json={
            "peserta_id": d["y"],
            "metode_id": d["metode_y"],
            "kompetensi_id": d["kompetensi_y"],
            "level": 5,
            "bukti": "palsu",
        },
    )
    assert refused.status_code == 404 and "tidak memiliki penugasan" in refused.json["message"]
    saved = client.put(
        "/api/v1/nilai/",
        headers=headers,
        json={
            "peserta_id": d["x"],
            "metode_id": d["metode_x"],
            "kompetensi_id": d["kompetensi_x"],
            "level": 3.5,
            "bukti": "Menyusun prioritas dengan jelas.",
        },
    )
    assert saved.status_code == 200 and saved.json["result"]["level"] == 3.5
    # The ketua sees every participant and the warnings.
    boss = api(client, d["users"]["ketua"])
    assert d["y"] in client.get("/api/v1/peserta/?q=(page_size:100)", headers=boss).json["ids"]
    assert client.get(f"/api/v1/kegiatan/{d['kegiatan']}/peringatan", headers=boss).status_code == 200


def test_the_ketua_sees_every_assessors_levels_in_the_meeting(client, dunia):
    d = dunia
    _login(client, d, "ketua")
    page = client.get(f"/integrasiview/show/{d['x']}").get_data(as_text=True)
    assert "Bukti A." in page  # the other assessor's evidence, shown to the chair
    _login(client, d, "asesor_b")
    assert client.get(f"/integrasiview/show/{d['x']}").status_code == 404


# -- the route × role matrix ------------------------------------------------------------------------------

ROUTES = {
    "event_list": "/kegiatanpenilaianview/list/",
    "event_show": "/kegiatanpenilaianview/show/{kegiatan}",
    "assignment": "/kegiatanpenilaianview/penugasan/{kegiatan}",
    "results": "/kegiatanpenilaianview/hasil/{kegiatan}",
    "export": "/kegiatanpenilaianview/unduh/{kegiatan}",
    "participant_x": "/pesertaview/show/{x}",
    "participant_y": "/pesertaview/show/{y}",
    "my_sheet_a": "/penilaiansayaview/show/{sheet_a}",
    "meeting_x": "/integrasiview/show/{x}",
    "api_participant_y": "/api/v1/peserta/{y}",
    "api_results": "/api/v1/kegiatan/{kegiatan}/hasil",
    "api_warnings": "/api/v1/kegiatan/{kegiatan}/peringatan",
}
# Expected status per role (the assessor "asesor" is assigned to X, not to Y; "ketua" chairs the team).
MATRIX = {
    "asesor": dict(
        event_list=200,
        event_show=200,
        assignment=403,
        results=200,
        export=200,
        participant_x=200,
        participant_y=404,
        my_sheet_a=200,
        meeting_x=404,
        api_participant_y=404,
        api_results=200,
        api_warnings=403,
    ),
    "ketua": dict(
        event_list=200,
        event_show=200,
        assignment=200,
        results=200,
        export=200,
        participant_x=200,
        participant_y=200,
        my_sheet_a=404,
        meeting_x=200,
        api_participant_y=200,
        api_results=200,
        api_warnings=200,
    ),
    "asesor_lain": dict(
        event_list=200,
        event_show=404,
        assignment=404,
        results=404,
        export=404,
        participant_x=404,
        participant_y=404,
        my_sheet_a=404,
        meeting_x=404,
        api_participant_y=404,
        api_results=404,
        api_warnings=404,
    ),
    "asesor_admin": dict(
        event_list=200,
        event_show=200,
        assignment=403,
        results=200,
        export=403,
        participant_x=200,
        participant_y=200,
        my_sheet_a=403,
        meeting_x=403,
        api_participant_y=200,
        api_results=200,
        api_warnings=200,
    ),
    "jf_muda": dict(
        event_list=200,
        event_show=200,
        assignment=200,
        results=200,
        export=200,
        participant_x=200,
        participant_y=200,
        my_sheet_a=403,
        meeting_x=200,
        api_participant_y=200,
        api_results=200,
        api_warnings=200,
    ),
    "pengawas": dict(
        event_list=200,
        event_show=200,
        assignment=403,
        results=200,
        export=200,
        participant_x=200,
        participant_y=200,
        my_sheet_a=403,
        meeting_x=200,
        api_participant_y=200,
        api_results=200,
        api_warnings=200,
    ),
    "operator": dict(
        event_list=403,
        event_show=403,
        assignment=403,
        results=403,
        export=403,
        participant_x=403,
        participant_y=403,
        my_sheet_a=403,
        meeting_x=403,
        api_participant_y=403,
        api_results=403,
        api_warnings=403,
    ),
    "staf_lain": dict(
        event_list=200,
        event_show=404,
        assignment=404,
        results=404,
        export=404,
        participant_x=404,
        participant_y=404,
        my_sheet_a=403,
        meeting_x=404,
        api_participant_y=404,
        api_results=404,
        api_warnings=404,
    ),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_route_role_matrix(client, dunia, role):
    d = dunia
    headers = api(client, d["users"][role])
    as_user_name = d["users"][role]
    client.get("/logout/")
    login(client, as_user_name)
    got = {}
    for name, url in ROUTES.items():
        url = url.format(**d)
        got[name] = (client.get(url, headers=headers) if url.startswith("/api/") else client.get(url)).status_code
    assert got == MATRIX[role]
    if role in ("asesor_lain", "staf_lain"):
        assert d["x_nama"] not in client.get("/pesertaview/list/?psize_PesertaView=100").get_data(as_text=True)


def test_the_home_page_shows_an_assessor_their_open_score_sheets_and_the_ketua_the_meeting(client, dunia):
    d = dunia
    _login(client, d, "asesor")
    page = client.get("/").get_data(as_text=True)
    assert 'id="bagian-penilaian"' in page and 'id="lembar-saya"' in page
    assert d["x_nama"] in page and d["y_nama"] not in page
    _login(client, d, "ketua")
    assert 'id="rapat-asesor"' in client.get("/").get_data(as_text=True)
    _login(client, d, "operator")  # no part in assessments: no section
    assert 'id="bagian-penilaian"' not in client.get("/").get_data(as_text=True)


def test_the_participant_list_exports_only_what_the_assessor_sees(client, dunia):
    d = dunia
    _login(client, d, "asesor")
    response = client.get("/pesertaview/export/xlsx")
    assert response.status_code == 200
    cells = {c for row in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True) for c in row}
    assert any(d["x_nama"] in str(c) for c in cells) and not any(d["y_nama"] in str(c) for c in cells)
