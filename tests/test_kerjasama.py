"""Kerja sama penilaian kompetensi (Pemalang, seed 1) with its cooperation request: registered by the Kabid
(step 1), decided with its reason (step 2), assessors chosen from the register and free on the request's
dates (step 4), letters drafted, reviewed, signed and sent (3, 5-9), the activity and its report (10, 11),
the report due 7 working days after the activity's end date on the request."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.kerjasama import operations as ops
from app.models import HariLibur, KasusPetugas, KasusRiwayat, Pangkat, PermintaanKerjasama, Sop
from app.penilaian import operations as penilaian
from app.workflow import engine
from tests.conftest import as_user, attach, case, complete_drafts, give_part, link_pegawai, ok, uniq
from tests.kerjasama_data import MULAI, SELESAI, SURAT, fill_request, register_assessor, request_of

KODE = "pemalang-kerjasama-penilaian-kompetensi"


@pytest.fixture
def sop(ctx) -> Sop:
    return db.session.execute(select(Sop).where(Sop.kode == KODE, Sop.berlaku.is_(True))).scalar_one()


@pytest.fixture
def team(sop, create_user, create_pegawai):
    """One user per Pemalang actor, each a civil servant of BKD Pemalang; two more registered assessors."""
    rank = db.session.execute(select(Pangkat).where(Pangkat.golongan == "IV/a")).scalar_one()
    users = {a.kode: link_pegawai(create_user([a.role.name], sop.unit_kerja),
                                  create_pegawai(sop.unit_kerja, pangkat=rank)) for a in sop.pelaksana}  # fmt: skip
    users["_asesor"] = [create_pegawai(sop.unit_kerja, nama=uniq("Asesor Cadangan "), pangkat=rank) for _ in range(2)]
    for pegawai in [users["asesor"].pegawai, *users["_asesor"]]:
        register_assessor(pegawai, sop.instansi_id)
    return users


def register(client, team, sop, mulai=MULAI, selesai=SELESAI, **changes) -> PermintaanKerjasama:
    """The Kabid registers the incoming letter on the request form: its case starts at step 1."""
    as_user(client, team["kabid"])
    data = {**SURAT, "sop": sop.id, "tanggal_mulai": mulai.isoformat(), "tanggal_selesai": selesai.isoformat(),
            "tanggal_surat": SURAT["tanggal_surat"].isoformat(), **changes}  # fmt: skip
    response = client.post("/permintaankerjasamaview/add", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    pk = int(re.search(r"/show/(\d+)", response.headers["Location"]).group(1))
    db.session.expire_all()
    return db.session.get(PermintaanKerjasama, pk)


def press(client, team, item, transition, comment="") -> str:
    """The actor of the current step presses a workflow button on the request's own page."""
    kasus = case(item.kasus_id)
    as_user(client, team[kasus.langkah.pelaksana.kode])
    page = client.get(f"/permintaankerjasamaview/show/{item.id}").get_data(as_text=True)
    assert 'id="transisi-form"' in page and f'data-transition="{transition}"' in page, page[:200]
    back = f"/permintaankerjasamaview/show/{item.id}"
    response = client.post(
        f"/kasusview/transisi/{kasus.id}",
        data={
            "transition": transition,
            "comment": comment,
            "versi": kasus.versi,
            "konfirmasi": "1",
            "kembali_ke": back,
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(back)  # fmt: skip
    return client.get(back).get_data(as_text=True)


def outputs_exist(kasus_id, no) -> list[str]:
    """The outputs step `no` names, each asserted to exist; returns their labels."""
    kasus = case(kasus_id)
    found = engine.step_outputs(kasus, kasus.sop.step(no))
    assert found and all(o.exists for o in found), [(o.label, o.exists) for o in found]
    return [o.label for o in found]


def at_step(kasus_id) -> int | None:
    return case(kasus_id).langkah_no


# -- the SOP walked by role, each step's output kept ------------------------------------------------


def test_accepted_request_walks_every_step_by_role_and_keeps_each_output(client, sop, team):
    item = register(client, team, sop)
    kasus_id = item.kasus_id
    assert at_step(kasus_id) == 1 and item.instansi_peminta == "BKPSDM Kabupaten Tegal"
    # 1 Kabid: the request letter attached, the request registered with the disposition.
    attach(client, kasus_id, "surat_permohonan")
    press(client, team, item, "lanjut")
    assert at_step(kasus_id) == 2
    assert any("BKPSDM Kabupaten Tegal" in label for label in outputs_exist(kasus_id, 1))
    # 2 Subkor with the assessor: accepted, with its reason, recorded on the request.
    give_part(client, kasus_id, team["asesor"], "Jadwal internal kosong pada 14-16 Desember")
    page = press(client, team, item, "ya", "Asesor tersedia pada tanggal kegiatan")
    assert at_step(kasus_id) == 4 and "Asesor tersedia pada tanggal kegiatan" in page
    assert (request_of(kasus_id).keputusan, request_of(kasus_id).alasan_keputusan) == (
        "diterima", "Asesor tersedia pada tanggal kegiatan")  # fmt: skip
    outputs_exist(kasus_id, 2)
    # 4 Subkor: the register with availability; two assessors chosen on the request's page.
    as_user(client, team["subkor"])
    page = client.get(f"/permintaankerjasamaview/show/{item.id}").get_data(as_text=True)
    assert team["asesor"].pegawai.nama_lengkap in page and "tersedia" in page
    for pegawai in [team["asesor"].pegawai, team["_asesor"][0]]:
        entry = register_assessor(pegawai, sop.instansi_id)
        ok(client.post(f"/permintaankerjasamaview/asesor/{item.id}", data={"register_id": entry.id}))
    assert sorted(p.pegawai_id for p in case(kasus_id).petugas) == sorted(
        [team["asesor"].pegawai_id, team["_asesor"][0].id])  # fmt: skip
    press(client, team, item, "lanjut")
    assert at_step(kasus_id) == 5
    outputs_exist(kasus_id, 4)
    # 5 Subkor: the reply letter and the assignment letter drafted, completed and initialled.
    as_user(client, team["subkor"])
    complete_drafts(client, kasus_id, team["kepala"].pegawai)
    press(client, team, item, "lanjut")
    assert len(outputs_exist(kasus_id, 5)) == 2
    # 6 Kabid, 7 Sekretaris: initial; 8 Kepala BKD: signs; 9 Subkor: sends the reply and the assignment.
    for no in (6, 7, 8):
        assert at_step(kasus_id) == no
        press(client, team, item, "lanjut")
        outputs_exist(kasus_id, no)
    assert at_step(kasus_id) == 9
    press(client, team, item, "ya")
    outputs_exist(kasus_id, 9)
    # 10 Asesor: the activity held, the report written (attached to the case).
    assert at_step(kasus_id) == 10
    as_user(client, team["asesor"])
    attach(client, kasus_id, "laporan_kegiatan", name="laporan-tegal.pdf")
    press(client, team, item, "lanjut")
    outputs_exist(kasus_id, 10)
    # 11 Asesor: the report handed in; the request's page links it; the case is finished.
    assert at_step(kasus_id) == 11
    page = press(client, team, item, "selesai")
    outputs_exist(kasus_id, 11)
    assert case(kasus_id).status == "selesai" and "laporan-tegal.pdf" in page
    history = db.session.execute(select(KasusRiwayat).where(KasusRiwayat.kasus_id == kasus_id)
                                 .order_by(KasusRiwayat.id)).scalars().all()  # fmt: skip
    assert [h.dari_no for h in history] == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11]
    assert all(h.peran == sop.step(h.dari_no).pelaksana.role.name for h in history)


def test_step_1_needs_the_registered_letter_and_step_2_a_reason(client, sop, team, create_user):
    as_user(client, team["kabid"])
    response = client.post("/kasusview/add", data={"sop": sop.id, "judul": uniq("Permohonan asesor ")})
    kasus_id = int(re.search(r"/show/(\d+)", response.headers["Location"]).group(1))
    item = request_of(kasus_id)  # the case's first step made its request
    attach(client, kasus_id, "surat_permohonan")
    data = {"transition": "lanjut", "versi": case(kasus_id).versi}
    refused = client.post(f"/kasusview/transisi/{kasus_id}", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Lengkapi permintaan kerja sama terlebih dahulu" in refused and "Nomor surat" in refused
    assert at_step(kasus_id) == 1
    # Bad input on the request is refused in Indonesian and changes nothing.
    bad = {**SURAT, "tanggal_mulai": "2026-12-16", "tanggal_selesai": "2026-12-14",
           "tanggal_surat": "2026-11-20"}  # fmt: skip
    page = client.post(f"/permintaankerjasamaview/edit/{item.id}", data=bad, follow_redirects=True)
    assert "Kegiatan tidak dapat berakhir sebelum dimulai" in page.get_data(as_text=True)
    assert request_of(kasus_id).nomor_surat in ("", None)
    fill_request(kasus_id, team["kabid"])
    ok(client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": "lanjut", "versi": case(kasus_id).versi}))
    give_part(client, kasus_id, team["asesor"])
    as_user(client, team["subkor"])
    silent = client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": "ya", "versi": case(kasus_id).versi},
                         follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "Komentar wajib" in silent and at_step(kasus_id) == 2 and request_of(kasus_id).keputusan is None


# -- branch memory ---------------------------------------------------------------------------------


def test_rejected_request_cannot_reach_the_assessor_step(client, sop, team):
    item = register(client, team, sop)
    kasus_id = item.kasus_id
    attach(client, kasus_id, "surat_permohonan")
    press(client, team, item, "lanjut")
    give_part(client, kasus_id, team["asesor"])
    press(client, team, item, "tidak", "Seluruh asesor bertugas pada tanggal tersebut")
    assert at_step(kasus_id) == 3
    assert (request_of(kasus_id).keputusan, request_of(kasus_id).keputusan_label) == ("ditolak", "Ditolak")
    as_user(client, team["subkor"])
    page = client.get(f"/permintaankerjasamaview/show/{item.id}").get_data(as_text=True)
    assert "Seluruh asesor bertugas pada tanggal tersebut" in page and "data-pilih" not in page
    complete_drafts(client, kasus_id, team["kepala"].pegawai)
    for no in (3, 6, 7, 8):
        assert at_step(kasus_id) == no
        press(client, team, item, "lanjut")
        outputs_exist(kasus_id, no)
    # 9: only the rejection letter may be sent; the assignment branch is not offered nor accepted.
    as_user(client, team["subkor"])
    page = client.get(f"/permintaankerjasamaview/show/{item.id}").get_data(as_text=True)
    assert 'data-transition="tidak"' in page and 'data-transition="ya"' not in page
    refused = client.post(f"/kasusview/transisi/{kasus_id}", data={"transition": "ya", "versi": case(kasus_id).versi},
                          follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "tidak tersedia" in refused and at_step(kasus_id) == 9
    press(client, team, item, "tidak")
    assert case(kasus_id).status == "selesai" and case(kasus_id).petugas == []
    visited = {h.dari_no for h in case(kasus_id).riwayat} | {h.ke_no for h in case(kasus_id).riwayat}
    assert not visited & {4, 5, 10, 11}


# -- assessors: the register only, never booked twice --------------------------------------------


def at_assessor_step(client, team, sop, mulai=MULAI, selesai=SELESAI) -> PermintaanKerjasama:
    item = register(client, team, sop, mulai, selesai)
    attach(client, item.kasus_id, "surat_permohonan")
    press(client, team, item, "lanjut")
    give_part(client, item.kasus_id, team["asesor"])
    press(client, team, item, "ya", "Diterima")
    assert at_step(item.kasus_id) == 4
    return item


def assigned(kasus_id) -> int:
    return db.session.execute(select(func.count(KasusPetugas.id)).where(KasusPetugas.kasus_id == kasus_id)).scalar()


def test_double_booked_assessor_is_refused_and_nothing_changes(client, sop, team, create_user, create_pegawai):
    asesor = team["asesor"].pegawai
    first = at_assessor_step(client, team, sop)
    ok(client.post(f"/permintaankerjasamaview/asesor/{first.id}",
                   data={"register_id": register_assessor(asesor, sop.instansi_id).id}))  # fmt: skip
    assert assigned(first.kasus_id) == 1
    # A second request overlapping on 16 December: the assessor shows as not available and is refused.
    second = at_assessor_step(client, team, sop, dt.date(2026, 12, 16), dt.date(2026, 12, 17))
    as_user(client, team["subkor"])
    page = client.get(f"/permintaankerjasamaview/show/{second.id}").get_data(as_text=True)
    row = re.search(rf'<tr data-pegawai="{asesor.id}".*?</tr>', page, re.S).group(0)
    assert "tidak tersedia" in row and "BKPSDM Kabupaten Tegal" in row and "data-pilih" not in row
    versi = case(second.kasus_id).versi
    refused = client.post(
        f"/permintaankerjasamaview/asesor/{second.id}",
        data={"register_id": register_assessor(asesor, sop.instansi_id).id},
        follow_redirects=True,
    )
    message = f"{asesor.nama_lengkap} sudah bertugas pada permintaan kerja sama BKPSDM Kabupaten Tegal"
    assert message in refused.get_data(as_text=True)
    # The case page's own assignment applies the same rule, and does not even offer them.
    case_page = client.get(f"/kasusview/show/{second.kasus_id}").get_data(as_text=True)
    assert f'<option value="{asesor.id}">' not in case_page
    again = client.post(f"/kasusview/petugas/{second.kasus_id}", data={"pegawai_id": asesor.id}, follow_redirects=True)
    assert message in again.get_data(as_text=True)
    assert assigned(second.kasus_id) == 0 and case(second.kasus_id).versi == versi
    # Someone outside the register is refused too.
    outsider = create_pegawai(sop.unit_kerja, nama=uniq("Bukan Asesor "))
    page = client.post(f"/kasusview/petugas/{second.kasus_id}", data={"pegawai_id": outsider.id}, follow_redirects=True)
    assert "bukan asesor aktif dalam register asesor instansi" in page.get_data(as_text=True)
    assert assigned(second.kasus_id) == 0
    # The second activity moves to 18-19 December: the assessor is free then and is chosen.
    ops.ubah(second.id, team["subkor"], tanggal_mulai=dt.date(2026, 12, 18), tanggal_selesai=dt.date(2026, 12, 19))
    ok(client.post(f"/permintaankerjasamaview/asesor/{second.id}",
                   data={"register_id": register_assessor(asesor, sop.instansi_id).id}))  # fmt: skip
    assert assigned(second.kasus_id) == 1
    # Moving it back onto a day of the first request would book them twice: refused, the dates stay.
    with pytest.raises(ops.KerjasamaError, match="sudah bertugas"):
        ops.ubah(second.id, team["subkor"], tanggal_mulai=dt.date(2026, 12, 16))
    db.session.rollback()
    assert request_of(second.kasus_id).tanggal_mulai == dt.date(2026, 12, 18)


def test_assessor_on_an_assessment_events_team_is_not_free_on_its_wave_days(client, sop, team, create_user):
    asesor = team["_asesor"][0]
    admin = create_user(["Admin"], sop.unit_kerja)
    event = penilaian.buat_kegiatan(admin, uniq("Pemetaan kompetensi "), "pemetaan", unit_kerja_id=sop.unit_kerja_id)
    penilaian.tambah_anggota(event.id, admin, asesor.id, "asesor")
    penilaian.ubah_gelombang(event.gelombang[0].id, admin, dt.date(2026, 12, 15), dt.date(2026, 12, 15), "Aula BKD")
    item = at_assessor_step(client, team, sop)
    as_user(client, team["subkor"])
    refused = client.post(
        f"/permintaankerjasamaview/asesor/{item.id}",
        data={"register_id": register_assessor(asesor, sop.instansi_id).id},
        follow_redirects=True,
    )
    assert f"sudah bertugas pada kegiatan penilaian {event.nama}" in refused.get_data(as_text=True)
    assert assigned(item.kasus_id) == 0
    # The API lists the same availability.
    as_user(client, team["subkor"])
    rows = client.get(f"/api/v1/permintaan-kerjasama/{item.id}/asesor").json["result"]
    mine = next(r for r in rows if r["pegawai_id"] == asesor.id)
    assert mine["tersedia"] is False and mine["bentrok"][0]["tanggal_mulai"] == "2026-12-15"
    assert next(r for r in rows if r["pegawai_id"] == team["asesor"].pegawai_id)["tersedia"] is True


# -- the report's due time -------------------------------------------------------------------------


def test_report_is_due_seven_working_days_after_the_requests_end_date(app, client, sop, team):
    item = at_assessor_step(client, team, sop, dt.date(2026, 12, 1), dt.date(2026, 12, 3))
    day_off = HariLibur(tanggal=dt.date(2026, 12, 8), keterangan="Libur daerah (uji)", instansi_id=sop.instansi_id)
    db.session.add(day_off)
    db.session.commit()
    try:
        kasus = case(item.kasus_id)
        kasus.langkah = sop.step(11)  # the activity is over: the case waits for the report
        db.session.commit()
        # Ends Thu 3 Dec 2026: Fri 4, Mon 7, (Tue 8 off), Wed 9, Thu 10, Fri 11, Mon 14, Tue 15 = the 7th
        # working day; due at its close, 16:00 WIB = 09:00 UTC.
        ops.ubah(item.id, team["asesor"], tanggal_selesai=dt.date(2026, 12, 3))
        assert case(item.kasus_id).due_at == dt.datetime(2026, 12, 15, 9, 0)
        # The activity was extended to Fri 4 Dec: the due time follows the request (Wed 16 Dec).
        ops.ubah(item.id, team["asesor"], tanggal_selesai=dt.date(2026, 12, 4))
        assert case(item.kasus_id).due_at == dt.datetime(2026, 12, 16, 9, 0)
        with app.test_request_context():
            assert engine.due_for(case(item.kasus_id), sop.step(11), case(item.kasus_id).masuk_at) == dt.datetime(
                2026, 12, 16, 9, 0)  # fmt: skip
    finally:
        db.session.delete(db.session.get(HariLibur, day_off.id))
        db.session.commit()


# -- who may do what -----------------------------------------------------------------------------


def test_roles_both_ways(app, client, sop, team, create_user, create_unit):
    item = at_assessor_step(client, team, sop)
    # The Kabid, who does not hold step 4, cannot change the request or choose assessors now.
    with pytest.raises(ops.KerjasamaError, match="Hanya pelaksana langkah"):
        ops.ubah(item.id, team["kabid"], tempat="Tempat lain")
    as_user(client, team["kabid"])
    entry = register_assessor(team["asesor"].pegawai, sop.instansi_id)
    page = client.post(f"/permintaankerjasamaview/asesor/{item.id}", data={"register_id": entry.id},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "Hanya pelaksana langkah saat ini" in page and assigned(item.kasus_id) == 0
    # The supervisor reads the register but changes nothing.
    pengawas = create_user(["Pengawas"], sop.unit_kerja)
    as_user(client, pengawas)
    assert item.instansi_peminta in client.get("/permintaankerjasamaview/list/").get_data(as_text=True)
    assert client.get(f"/permintaankerjasamaview/show/{item.id}").status_code == 200
    assert client.get(f"/permintaankerjasamaview/edit/{item.id}").status_code in (302, 403)
    assert request_of(item.kasus_id).tempat == SURAT["tempat"]
    # Staff of another agency see nothing of it: not in the list, 404 on its page and in the API.
    other = create_user(["Kepala Subbagian"], create_unit())
    as_user(client, other)
    assert f"/permintaankerjasamaview/show/{item.id}" not in client.get("/permintaankerjasamaview/list/").get_data(
        as_text=True)  # fmt: skip
    assert client.get(f"/permintaankerjasamaview/show/{item.id}").status_code == 404
    assert client.post(f"/permintaankerjasamaview/asesor/{item.id}", data={"register_id": entry.id}).status_code == 404
    assert client.get(f"/api/v1/permintaan-kerjasama/{item.id}").status_code == 404
    assert client.get(f"/api/v1/permintaan-kerjasama/{item.id}/asesor").status_code == 404
    assert item.id not in [r["id"] for r in client.get("/api/v1/permintaan-kerjasama/").json["result"]]
    # The Subkor of Pemalang reads it through the API with its case.
    as_user(client, team["subkor"])
    shown = client.get(f"/api/v1/permintaan-kerjasama/{item.id}").json["result"]
    assert shown["kasus_id"] == item.kasus_id and shown["keputusan"] == "diterima"


def test_api_resource_is_in_the_openapi_document(client, team):
    as_user(client, team["subkor"])
    spec = client.get("/api/v1/_openapi").json
    paths = spec["paths"]
    assert "/api/v1/permintaan-kerjasama/" in paths and "/api/v1/permintaan-kerjasama/{pk}/asesor" in paths


# -- demo ------------------------------------------------------------------------------------------


def test_demo_pemalang_cases_keep_their_requests_in_realistic_states(demo_app):
    with demo_app.app_context():
        rows = db.session.execute(select(PermintaanKerjasama).order_by(PermintaanKerjasama.id)).scalars().all()
        states = {r.instansi_peminta: (r.keputusan, r.kasus.langkah_no, len(r.kasus.petugas)) for r in rows}
        assert states == {"BKPSDM Kabupaten Tegal": ("diterima", 6, 2), "BKPSDM Kabupaten Batang": ("ditolak", 8, 0),
                          "BKPSDM Kabupaten Brebes": ("diterima", 11, 1)}  # fmt: skip
        brebes = next(r for r in rows if r.instansi_peminta == "BKPSDM Kabupaten Brebes")
        assert brebes.kasus.due_at == engine.due_for(brebes.kasus, brebes.kasus.langkah, brebes.kasus.masuk_at)
        assert all(r.alasan_keputusan and not ops.missing(r) for r in rows)
