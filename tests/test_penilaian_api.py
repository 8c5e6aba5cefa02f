"""What a clerk, an assessor and the ketua do on the screens they can also do through the REST API: an
event from creation to a locked result, with the same checks, and every endpoint in the OpenAPI spec."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AspekPotensi, Metode
from tests.conftest import PASSWORD, make_nip
from tests.penilaian_data import DAY, pusat


def token(client, user) -> dict:
    body = {"username": user.username, "password": PASSWORD, "provider": "db"}
    return {"Authorization": f"Bearer {client.post('/api/v1/security/login', json=body).json['access_token']}"}


def test_an_event_runs_from_creation_to_a_locked_result_through_the_api(
    client, create_unit, create_pegawai, create_user
):
    p = pusat(create_unit, create_pegawai, create_user, n_asesor=2)
    staff, admin = token(client, p.staf), token(client, p.admin)
    ketua, other = token(client, p.ketua), token(client, p.asesor[1])
    created = client.post(
        "/api/v1/kegiatan/",
        headers=staff,
        json={
            "nama": "Pengisian Kepala Bidang Uji",
            "tujuan": "pengisian_jabatan",
            "unit_kerja_id": p.unit.id,
            "jabatan_target_id": p.jabatan["administrator"].id,
            "tanggal_mulai": DAY.isoformat(),
        },
    )
    assert created.status_code == 201, created.json
    pk = created.json["id"]
    for i, a in enumerate(p.asesor):
        response = client.post(
            f"/api/v1/kegiatan/{pk}/tim",
            headers=staff,
            json={"pegawai_id": a.pegawai_id, "peran": "ketua" if i == 0 else "asesor"},
        )
        assert response.status_code == 200, response.json
    assert (
        client.post(
            f"/api/v1/kegiatan/{pk}/tim",
            headers=staff,
            json={"pegawai_id": p.admin.pegawai_id, "peran": "asesor_admin"},
        ).status_code
        == 200
    )
    bad_role = client.post(f"/api/v1/kegiatan/{pk}/tim", headers=staff, json={"pegawai_id": 1, "peran": "raja"})
    assert bad_role.status_code == 422 and bad_role.json["message"] == "Pilih peran anggota dalam tim."
    methods = {
        m.kode: m
        for m in db.session.execute(select(Metode).where(Metode.kode.in_(["in_tray", "lgd", "cbi"]))).scalars()
    }
    shown = client.get(f"/api/v1/kegiatan/{pk}", headers=staff).json["result"]
    assert shown["tujuan"] == "pengisian_jabatan"
    from app.models import Kompetensi

    competencies = [
        k.id
        for k in db.session.execute(
            select(Kompetensi).where(Kompetensi.instansi_id.is_(None)).order_by(Kompetensi.urutan)
        ).scalars()
    ]
    matrix = {str(m.id): [k.id for k in m.kompetensi] for m in methods.values()}
    assert (
        client.put(
            f"/api/v1/kegiatan/{pk}/matriks", headers=staff, json={"kompetensi_ids": competencies, "matriks": matrix}
        ).status_code
        == 200
    )
    assert client.put(f"/api/v1/kegiatan/{pk}/matriks", headers=staff, json={"matriks": []}).status_code == 400
    for i, m in enumerate(methods.values()):
        begin = f"{DAY}T{1 + 2 * i:02d}:00:00"
        response = client.post(
            f"/api/v1/kegiatan/{pk}/sesi",
            headers=ketua,
            json={"metode_id": m.id, "mulai": begin, "selesai": f"{DAY}T{2 + 2 * i:02d}:30:00"},
        )
        assert response.status_code == 200, response.json
    backwards = client.post(
        f"/api/v1/kegiatan/{pk}/sesi",
        headers=ketua,
        json={"metode_id": methods["cbi"].id, "mulai": f"{DAY}T09:00:00", "selesai": f"{DAY}T08:00:00"},
    )
    assert backwards.status_code == 422 and "sesudah waktu mulainya" in backwards.json["message"]
    people = []
    for _ in range(2):
        person = create_pegawai(p.kanwil[0], jabatan=p.jabatan["pengawas"])
        added = client.post(f"/api/v1/kegiatan/{pk}/peserta", headers=admin, json={"nip": person.nip})
        assert added.status_code == 200, added.json
        people.append(added.json["id"])
    outsider = client.post(
        f"/api/v1/kegiatan/{pk}/peserta",
        headers=admin,
        json={
            "nip": make_nip(),
            "nama": "Peserta Instansi Lain",
            "golongan": "III/c",
            "instansi": "Pemkab Uji",
            "jabatan_id": p.jabatan["pengawas"].id,
        },
    )
    assert outsider.status_code == 200
    people.append(outsider.json["id"])
    auto = client.post(f"/api/v1/kegiatan/{pk}/penugasan/otomatis", headers=ketua, json={})
    assert auto.status_code == 200 and auto.json["jumlah"] == 9
    assert client.get(f"/api/v1/kegiatan/{pk}/peringatan", headers=ketua).json["result"] == []
    sheets = client.get(f"/api/v1/kegiatan/{pk}/penugasan", headers=ketua).json["result"]
    moved = sheets[0]
    swap = p.asesor[1].pegawai_id if moved["asesor_id"] == p.ketua.pegawai_id else p.ketua.pegawai_id
    cell = {"peserta_id": moved["peserta_id"], "metode_id": moved["metode_id"], "asesor_id": swap}
    assert client.put(f"/api/v1/kegiatan/{pk}/penugasan", headers=staff, json={"penugasan": [cell]}).json["jumlah"] == 1
    cell["asesor_id"] = moved["asesor_id"]
    client.put(f"/api/v1/kegiatan/{pk}/penugasan", headers=staff, json={"penugasan": [cell]})
    assert client.post(f"/api/v1/kegiatan/{pk}/mulai", headers=staff).json["status"] == "berlangsung"
    for person in people:
        assert (
            client.put(
                f"/api/v1/peserta/{person}/intake", headers=admin, json={"drh": True, "qcom": True, "ci": True}
            ).status_code
            == 200
        )
    assert (
        client.put(f"/api/v1/peserta/{people[0]}", headers=admin, json={"predikat_kinerja": "Sangat Baik"}).status_code
        == 200
    )
    first_session = client.get(f"/api/v1/kegiatan/{pk}/penugasan", headers=staff).json["result"][0]["sesi_id"]
    attended = client.post(
        f"/api/v1/kegiatan/{pk}/kehadiran", headers=admin, json={"sesi_id": first_session, "hadir": people[:2]}
    )
    assert attended.status_code == 200 and attended.json["hadir"] == 2
    # Each assessor scores their own sheets and submits them.
    for headers in (ketua, other):
        for sheet in client.get(f"/api/v1/kegiatan/{pk}/penugasan", headers=headers).json["result"]:
            if sheet["asesor_id"] != (p.ketua if headers is ketua else p.asesor[1]).pegawai_id:
                continue
            for kid in [k.id for k in db.session.get(Metode, sheet["metode_id"]).kompetensi]:
                saved = client.put(
                    "/api/v1/nilai/",
                    headers=headers,
                    json={
                        "peserta_id": sheet["peserta_id"],
                        "metode_id": sheet["metode_id"],
                        "kompetensi_id": kid,
                        "level": 2.5,
                        "bukti": "Mengoordinasikan tim lintas seksi.",
                    },
                )
                assert saved.status_code == 200, saved.json
            sent = client.post(f"/api/v1/nilai/lembar/{sheet['id']}/kirim", headers=headers)
            assert sent.status_code == 200 and sent.json["status"] == "dikirim"
    locked_sheet = next(t["id"] for t in sheets if t["asesor_id"] == p.asesor[1].pegawai_id)  # their own sheet
    refused = client.post(f"/api/v1/nilai/lembar/{locked_sheet}/buka", headers=other, json={"alasan": "x"})
    assert refused.status_code == 403
    assert client.post(f"/api/v1/nilai/lembar/{locked_sheet}/buka", headers=ketua, json={}).status_code == 422
    # The meeting, by the ketua.
    aspects = db.session.execute(select(AspekPotensi.id)).scalars().all()
    for person in people:
        body = {"konsensus": {str(k): {"level": 2.5, "alasan": "Disepakati."} for k in competencies}}
        assert client.put(f"/api/v1/peserta/{person}/konsensus", headers=ketua, json=body).status_code == 200
        assert client.put(f"/api/v1/peserta/{person}/konsensus", headers=other, json=body).status_code == 403
        too_high = {"potensi": {str(a): 6 for a in aspects}}
        assert client.put(f"/api/v1/peserta/{person}/potensi", headers=ketua, json=too_high).status_code == 422
        assert (
            client.put(
                f"/api/v1/peserta/{person}/potensi", headers=ketua, json={"potensi": {str(a): 4 for a in aspects}}
            ).status_code
            == 200
        )
        locked = client.post(f"/api/v1/peserta/{person}/kunci", headers=ketua)
        assert locked.status_code == 200, locked.json
        # Target: an administrator position (standard 3); 2.5 on nine → 22.5 / 27 = 83.33 → MS.
        assert (locked.json["jpm"], locked.json["kategori"]) == (83.33, "ms")
    assert (
        client.post(f"/api/v1/peserta/{people[2]}/buka", headers=ketua, json={"alasan": "Periksa ulang"}).status_code
        == 200
    )
    results = {r["peserta_id"]: r for r in client.get(f"/api/v1/kegiatan/{pk}/hasil", headers=staff).json["result"]}
    assert results[people[0]]["kotak"] == 9 and results[people[0]]["terkunci"]
    assert not results[people[2]]["terkunci"] and results[people[2]]["jpm"] == 83.33  # live again
    spec = client.get("/api/v1/_openapi", headers=staff).get_data(as_text=True)
    for path in (
        "/kegiatan/{pk}/peserta/import",
        "/kegiatan/{pk}/penugasan/otomatis",
        "/kegiatan/{pk}/peringatan",
        "/kegiatan/{pk}/hasil",
        "/kegiatan/{pk}/matriks",
        "/peserta/{pk}/konsensus",
        "/peserta/{pk}/kunci",
        "/nilai/lembar/{pk}/kirim",
    ):
        assert path in spec, path
