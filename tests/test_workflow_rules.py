"""Scope, API, concurrency, overdue list and monitoring figures (SOP revisions: tests/test_sop_revisions.py)."""

import datetime as dt
import threading

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import Kasus, KasusRiwayat
from app.workflow import engine
from app.workflow.monitoring import median, percentile, step_stats
from tests.conftest import PASSWORD, act, as_user, case, ok, start


def api_token(client, user):
    response = client.post(
        "/api/v1/security/login", json={"username": user.username, "password": PASSWORD, "provider": "db"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def test_api_lists_and_performs_transitions_with_the_same_checks(app, form_sop):
    sop, users = form_sop
    client = app.test_client()
    pemohon, verifikator = api_token(client, users["pemohon"]), api_token(client, users["verifikator"])
    detail = client.get(f"/api/v1/sop/{sop.id}", headers=pemohon).json["result"]
    assert [s["no"] for s in detail["langkah"]] == [1, 2, 3, 4]
    assert detail["pelaksana"][0]["role"] == users["pemohon"].roles[0].name
    created = client.post("/api/v1/kasus/", json={"sop_id": sop.id, "judul": "Lewat API"}, headers=pemohon)
    assert created.status_code == 201, created.json
    kasus_id = created.json["result"]["id"]
    assert created.json["result"]["langkah_no"] == 1
    # The verifier may not start this SOP nor act on step 1.
    refused = client.post("/api/v1/kasus/", json={"sop_id": sop.id, "judul": "X"}, headers=verifikator)
    assert refused.status_code == 403 and "message" in refused.json
    assert client.get(f"/api/v1/kasus/{kasus_id}/transitions", headers=verifikator).json["result"] == []
    versi = created.json["result"]["versi"]
    denied = client.post(f"/api/v1/kasus/{kasus_id}/transitions", json={"transition": "lanjut", "versi": versi},
                         headers=verifikator)  # fmt: skip
    assert denied.status_code == 403
    assert "bukan milik Anda" in denied.json["message"]
    open_ = client.get(f"/api/v1/kasus/{kasus_id}/transitions", headers=pemohon).json["result"]
    assert open_ == [{"id": "lanjut", "label": open_[0]["label"], "to_langkah_no": 2, "comment_required": False,
                      "confirm": None}]  # fmt: skip
    moved = client.post(f"/api/v1/kasus/{kasus_id}/transitions", json={"transition": "lanjut", "versi": versi},
                        headers=pemohon)  # fmt: skip
    assert moved.status_code == 200 and moved.json["result"]["langkah_no"] == 2
    shown = client.get(f"/api/v1/kasus/{kasus_id}", headers=verifikator).json["result"]
    assert shown["langkah_no"] == 2 and shown["status"] == "berjalan"
    listed = client.get("/api/v1/kasus/", headers=verifikator).json
    assert kasus_id in listed["ids"]
    pdf = client.get(f"/api/v1/sop/{sop.id}/pdf", headers=pemohon)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    spec = client.get("/api/v1/_openapi", headers=pemohon)
    assert spec.status_code == 200
    assert "/kasus/{pk}/transitions" in spec.get_data(as_text=True)


def test_case_of_another_unit_is_invisible_everywhere(app, client, form_sop, create_unit, create_user):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    outsider = create_user([users["verifikator"].roles[0].name, users["pemohon"].roles[0].name], create_unit())
    as_user(client, outsider)
    assert client.get(f"/kasusview/show/{kasus_id}").status_code == 404
    assert f"/kasusview/show/{kasus_id}" not in client.get("/kasusview/list/").get_data(as_text=True)
    client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": "lanjut", "versi": case(kasus_id).versi})
    client.post("/kasusview/action_post", data={"action": "proses", "rowid": [kasus_id]})
    assert case(kasus_id).langkah_no == 1
    headers = api_token(app.test_client(), outsider)
    api = app.test_client()
    assert api.get(f"/api/v1/kasus/{kasus_id}", headers=headers).status_code == 404
    assert api.get(f"/api/v1/kasus/{kasus_id}/transitions", headers=headers).status_code == 404
    assert api.post(f"/api/v1/kasus/{kasus_id}/transitions", json={"transition": "lanjut", "versi": 0},
                    headers=headers).status_code == 404  # fmt: skip
    assert api.get(f"/api/v1/sop/{sop.id}/pdf", headers=headers).status_code == 404
    assert client.get(f"/sopview/pdf/{sop.id}").status_code == 404
    assert case(kasus_id).langkah_no == 1


def test_double_click_performs_one_transition(client, form_sop):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    versi = case(kasus_id).versi
    for _ in range(2):  # the same page posted twice
        client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": "lanjut", "versi": versi})
    rows = db.session.execute(select(KasusRiwayat).where(KasusRiwayat.kasus_id == kasus_id)).scalars().all()
    assert len(rows) == 1
    page = client.get(f"/kasusview/show/{kasus_id}").get_data(as_text=True)
    assert "diubah oleh orang lain" in page


def test_simultaneous_transitions_produce_exactly_one_history_row(app, form_sop):
    sop, users = form_sop
    with app.test_request_context():
        kasus = engine.start_case(sop.id, "Balapan", users["pemohon"])
        kasus_id = kasus.id
    barrier = threading.Barrier(2)
    results = []

    def worker():
        with app.app_context():
            user = db.session.get(type(users["pemohon"]), users["pemohon"].id)
            with app.test_request_context():
                kasus = engine.scoped_case(kasus_id, user)
                seen = kasus.versi
                barrier.wait()
                try:
                    engine.perform(kasus_id, "lanjut", user, seen_versi=seen)
                    results.append("ok")
                except engine.TransitionError as exc:
                    results.append(exc.status)
                finally:
                    db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [409, "ok"]
    with app.app_context():
        rows = db.session.execute(select(KasusRiwayat).where(KasusRiwayat.kasus_id == kasus_id)).scalars().all()
        assert len(rows) == 1


def test_overdue_list_and_scope(app, client, form_sop, create_user, create_unit):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    late, fresh = start(client, sop, "Terlambat"), start(client, sop, "Baru")
    db.session.execute(update(Kasus).where(Kasus.id == late).values(due_at=dt.datetime(2020, 1, 1)))
    db.session.commit()
    page = client.get("/terlambatview/list/").get_data(as_text=True)
    assert f"/show/{late}" in page and f"/show/{fresh}" not in page
    outsider = create_user(["Pengawas"], create_unit())
    as_user(client, outsider)
    assert f"/show/{late}" not in client.get("/terlambatview/list/").get_data(as_text=True)
    with app.test_request_context():
        assert late in [k.id for k in engine.overdue(users["pemohon"])]
        assert late not in [k.id for k in engine.overdue(outsider)]
    result = app.test_cli_runner().invoke(args=["penkom", "sla"])
    assert result.exit_code == 0 and f"#{late}" in result.output


def test_my_tasks_lists_cases_waiting_on_my_role(client, form_sop):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    assert f"/show/{kasus_id}" in client.get("/tugassayaview/list/").get_data(as_text=True)
    ok(act(client, kasus_id, "lanjut"))
    assert f"/show/{kasus_id}" not in client.get("/tugassayaview/list/").get_data(as_text=True)
    as_user(client, users["verifikator"])
    assert f"/show/{kasus_id}" in client.get("/tugassayaview/list/").get_data(as_text=True)


def test_monitoring_figures_match_a_hand_computed_example(app, client, form_sop, create_user):
    sop, users = form_sop
    with app.test_request_context():
        for minutes in (30, 60, 90, 120, 600):
            kasus = engine.start_case(sop.id, f"Ukur {minutes}", users["pemohon"])
            db.session.add(KasusRiwayat(kasus_id=kasus.id, user_id=users["pemohon"].id, transisi="lanjut",
                                        dari_no=1, ke_no=2, durasi_menit=minutes, anggaran_menit=510))  # fmt: skip
        db.session.commit()
        stats = {s.no: s for s in step_stats(sop)}
    # Step 1, durations 30, 60, 90, 120, 600 minutes against 1 hari (510 working minutes):
    # median 90, nearest-rank p90 = 5th of 5 = 600, within budget 4 of 5 = 80%.
    assert stats[1].selesai == 5
    assert stats[1].median == 90 and stats[1].p90 == 600
    assert stats[1].tepat_persen == "80%"
    assert stats[2].selesai == 0 and stats[2].median is None
    assert median([1, 2, 3, 4]) == 2.5 and percentile([5, 1, 3], 0.9) == 5
    as_user(client, create_user(["Pejabat"], sop.unit_kerja))
    page = client.get(f"/monitoring/sop/{sop.id}").get_data(as_text=True)
    assert "80%" in page
    ok(client.post(f"/monitoring/evaluasi/{sop.id}", data={"periode": "2026-S2", "penilaian_1": "kurang",
                                                            "catatan_1": "Sering lewat waktu",
                                                            "tindakan_1": "Tambah verifikator"}))  # fmt: skip
    pdf = client.get(f"/monitoring/pdf/{sop.id}?periode=2026-S2")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_engine_refuses_unknown_transition_and_finished_case(app, form_sop):
    sop, users = form_sop
    with app.test_request_context():
        kasus = engine.start_case(sop.id, "Salah", users["pemohon"])
        with pytest.raises(engine.TransitionError) as err:
            engine.perform(kasus.id, "terbang", users["pemohon"])
        assert err.value.status == 422
        engine.perform(kasus.id, "lanjut", users["pemohon"])
        engine.perform(kasus.id, "ya", users["verifikator"])
        engine.perform(kasus.id, "lanjut", users["kepala"])
        engine.perform(kasus.id, "selesai", users["verifikator"])
        with pytest.raises(engine.TransitionError) as err:
            engine.perform(kasus.id, "selesai", users["verifikator"])
        assert err.value.status == 409
        assert len(case(kasus.id).riwayat) == 4


def test_login_required_for_api(app):
    assert app.test_client().get("/api/v1/kasus/").status_code == 401


def test_attachment_guard_blocks_until_the_document_is_attached(app, client, form_sop, create_user, create_unit):
    import io

    sop, users = form_sop
    step1 = sop.step(1)
    admin = create_user(["Admin"], sop.unit_kerja)
    as_user(client, admin)
    ok(client.post(f"/langkahview/edit/{step1.id}", data={
        "sop": sop.id, "no": 1, "kegiatan": step1.kegiatan, "simbol": "mulai", "pelaksana": step1.pelaksana_id,
        "waktu": "1 hari", "guards": "lampiran:surat_permohonan"}))  # fmt: skip
    bad = client.post(f"/langkahview/edit/{step1.id}", data={
        "sop": sop.id, "no": 1, "kegiatan": step1.kegiatan, "simbol": "mulai", "pelaksana": step1.pelaksana_id,
        "guards": "tidak_ada_pemeriksaan"})  # fmt: skip
    assert "tidak_ada_pemeriksaan" in bad.get_data(as_text=True)
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    ok(act(client, kasus_id, "lanjut"))
    assert case(kasus_id).langkah_no == 1  # refused: no request letter yet
    ok(client.post(f"/kasusview/lampiran/{kasus_id}", data={
        "jenis": "surat_permohonan", "berkas": (io.BytesIO(b"%PDF-1.4 surat"), "surat.pdf")},
        content_type="multipart/form-data"))  # fmt: skip
    ok(act(client, kasus_id, "lanjut"))
    assert case(kasus_id).langkah_no == 2
    lampiran_id = case(kasus_id).lampiran[0].id
    assert client.get(f"/kasusview/berkas/{lampiran_id}").data == b"%PDF-1.4 surat"
    as_user(client, create_user([users["pemohon"].roles[0].name], create_unit()))
    assert client.get(f"/kasusview/berkas/{lampiran_id}").status_code == 404


def test_cuti_bersama_entered_in_the_ui_moves_the_due_time(app, client, form_sop, create_user):
    from app.models import HariLibur
    from app.workflow.calendar import WorkCalendar

    sop, users = form_sop
    admin = create_user(["Admin"], sop.unit_kerja)
    as_user(client, admin)
    with app.test_request_context():
        cal = WorkCalendar()
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        expected_without = cal.due(now, sop.step(1).budget)
        # Make the day the budget would end on a day off for this agency.
        day_off = (expected_without + dt.timedelta(hours=7)).date()
    ok(client.post("/hariliburview/add", data={"tanggal": day_off.isoformat(), "keterangan": "Cuti bersama uji",
                                               "instansi": sop.instansi_id}))  # fmt: skip
    assert db.session.execute(select(HariLibur).where(HariLibur.tanggal == day_off)).scalar_one()
    as_user(client, users["pemohon"])
    kasus_id = start(client, sop)
    due = case(kasus_id).due_at
    assert due > expected_without
    assert (due + dt.timedelta(hours=7)).date() != day_off


def test_bulk_completion_reports_each_case(client, form_sop):
    sop, users = form_sop
    as_user(client, users["pemohon"])
    first, second = start(client, sop, "Satu"), start(client, sop, "Dua")
    ok(act(client, second, "lanjut"))  # now waits on the verifier, not on the applicant
    response = client.post("/kasusview/action_post", data={"action": "proses", "rowid": [first, second]},
                           follow_redirects=True)  # fmt: skip
    page = response.get_data(as_text=True)
    assert case(first).langkah_no == 2 and case(second).langkah_no == 2
    assert f"#{first}" in page and f"#{second}" in page


def test_overdue_flag_switches_at_the_due_instant(app, form_sop):
    sop, users = form_sop
    with app.test_request_context():
        kasus = engine.start_case(sop.id, "Tepat waktu", users["pemohon"])
        due = kasus.due_at
        # "1 hari" ends at closing time of a working day: 16:00 WIB is 09:00 UTC.
        assert (due.hour, due.minute) == (9, 0)
        before = [k.id for k in engine.overdue(users["pemohon"], now=due - dt.timedelta(minutes=1))]
        after = [k.id for k in engine.overdue(users["pemohon"], now=due + dt.timedelta(minutes=1))]
    assert kasus.id not in before and kasus.id in after
