"""REST API of competency assessment under /api/v1/: events (with participant import, assignment, rule
warnings and results), participants and scores. Same scope and operations as the screens."""

from __future__ import annotations

import datetime as dt

from flask import g, request
from flask_appbuilder.api import ModelRestApi, expose, protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _

from app import scope
from app.extensions import db
from app.models import KegiatanPenilaian, Nilai, Penugasan, Peserta
from app.penilaian import impor
from app.penilaian import operations as ops
from app.scope import scope_filter


def _error(api, exc: ops.PenilaianError, **extra):
    db.session.rollback()
    return api.response(exc.status, message=str(exc), **extra)


class KegiatanApi(ModelRestApi):
    resource_name = "kegiatan"
    datamodel = SQLAInterface(KegiatanPenilaian)
    allow_browser_login = True
    base_filters = [scope_filter()]
    include_route_methods = {"get", "get_list", "buat", "impor", "penugasan", "otomatis", "peringatan", "hasil"}
    method_permission_name = {
        "get": "get",
        "get_list": "get",
        "buat": "post",
        "impor": "post",
        "penugasan": "get",
        "otomatis": "post",
        "peringatan": "get",
        "hasil": "get",
    }
    list_columns = [
        "id",
        "nama",
        "tujuan",
        "status",
        "unit_kerja.kode",
        "jabatan_target_id",
        "kasus_id",
        "tanggal_mulai",
        "tanggal_selesai",
    ]
    show_columns = list_columns + ["tempat", "instansi_peminta_id", "dimulai_at"]
    search_columns = ["nama", "tujuan", "status"]
    openapi_spec_tag = "Kegiatan Penilaian"

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def buat(self):
        """Create an assessment event (optionally for an SOP case that has none).
        ---
        post:
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    nama: {type: string}
                    tujuan: {type: string, enum: [pengisian_jabatan, pemetaan, seleksi_terbuka_jpt, mutasi]}
                    jabatan_target_id: {type: integer}
                    kasus_id: {type: integer}
                    unit_kerja_id: {type: integer}
                    instansi_peminta_id: {type: integer}
                    tempat: {type: string}
                    tanggal_mulai: {type: string, format: date}
                    tanggal_selesai: {type: string, format: date}
          responses:
            201:
              description: The event
            400:
              $ref: '#/components/responses/400'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            409:
              description: The case already runs an event
            422:
              $ref: '#/components/responses/422'
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response_400(message=_("Send the event as a JSON object."))
        numbers = {}
        for key in ("jabatan_target_id", "kasus_id", "unit_kerja_id", "instansi_peminta_id"):
            value = body.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                return self.response_400(message=_("%(field)s must be a number.", field=key))
            numbers[key] = value
        dates = {}
        for key in ("tanggal_mulai", "tanggal_selesai"):
            try:
                dates[key] = dt.date.fromisoformat(str(body[key])) if body.get(key) else None
            except ValueError:
                return self.response_400(message=_("%(field)s must be a date (YYYY-MM-DD).", field=key))
        try:
            item = ops.buat_kegiatan(
                g.user,
                str(body.get("nama") or ""),
                str(body.get("tujuan") or ""),
                tempat=str(body.get("tempat") or ""),
                **numbers,
                **dates,
            )
        except ops.PenilaianError as exc:
            return _error(self, exc)
        return self.response(
            201,
            id=item.id,
            result={
                "id": item.id,
                "nama": item.nama,
                "tujuan": item.tujuan,
                "status": item.status,
                "kasus_id": item.kasus_id,
                "jabatan_target_id": item.jabatan_target_id,
            },
        )

    @expose("/<int:pk>/peserta/import", methods=["POST"])
    @protect()
    @safe
    def impor(self, pk):
        """Import participants from an .xlsx file (the template of the event page): all rows or none.
        ---
        post:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          requestBody:
            required: true
            content:
              multipart/form-data:
                schema:
                  type: object
                  properties:
                    berkas: {type: string, format: binary}
              application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                schema: {type: string, format: binary}
          responses:
            200:
              description: The number of participants imported (`jumlah`)
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            422:
              description: Nothing imported; `errors` lists each bad row (`baris`, `pesan`)
        """
        upload = request.files.get("berkas")
        data = upload.read() if upload else request.get_data()
        try:
            n = impor.impor_peserta(pk, g.user, data)
        except impor.ImporError as exc:
            return _error(self, exc, errors=[row.as_dict() for row in exc.baris])
        except ops.PenilaianError as exc:
            return _error(self, exc)
        return self.response(200, jumlah=n, message=_("%(n)d participants imported.", n=n))

    @expose("/<int:pk>/penugasan", methods=["GET"])
    @protect()
    @safe
    def penugasan(self, pk):
        """The assignments of an event the caller may see (an assessor: their own).
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: Assignments
            404:
              $ref: '#/components/responses/404'
        """
        try:
            item = ops.kegiatan(pk, g.user)
        except ops.PenilaianError:
            return self.response_404()
        rows = db.session.execute(
            scope.scoped(Penugasan, g.user)
            .where(Penugasan.kegiatan_id == item.id)
            .order_by(Penugasan.peserta_id, Penugasan.metode_id)
        ).scalars()
        return self.response(200, result=[_penugasan(t) for t in rows])

    @expose("/<int:pk>/penugasan/otomatis", methods=["POST"])
    @protect()
    @safe
    def otomatis(self, pk):
        """Replace the assignment of a wave (`gelombang_id`, default every wave) with the automatic rotation.
        ---
        post:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    gelombang_id: {type: integer}
          responses:
            200:
              description: The number of assignments made and the warnings that remain
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            409:
              description: Scoring has begun
        """
        body = request.get_json(silent=True) or {}
        wave = body.get("gelombang_id") if isinstance(body, dict) else None
        if wave is not None and (not isinstance(wave, int) or isinstance(wave, bool)):
            return self.response_400(message=_("%(field)s must be a number.", field="gelombang_id"))
        try:
            n, warnings = ops.atur_otomatis(pk, g.user, wave)
        except ops.PenilaianError as exc:
            return _error(self, exc)
        return self.response(200, jumlah=n, peringatan=[w.as_dict() for w in warnings])

    @expose("/<int:pk>/peringatan", methods=["GET"])
    @protect()
    @safe
    def peringatan(self, pk):
        """The rule warnings of an event (ratios, conflicts of interest, coverage, double booking...).
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: Warnings (`kode`, `pesan`, `peserta_id`, `asesor_id`)
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
        """
        try:
            item = ops.kegiatan(pk, g.user)
        except ops.PenilaianError:
            return self.response_404()
        if not ops.boleh_kelola(item, g.user, ketua_boleh=True):
            return self.response_403()
        return self.response(200, result=[w.as_dict() for w in ops.rules.periksa(ops.rancangan(item))])

    @expose("/<int:pk>/hasil", methods=["GET"])
    @protect()
    @safe
    def hasil(self, pk):
        """Per participant the consensus, standard and gap per competency, JPM, category, potential and nine-box.
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: Results (locked ones as stored, the others computed now)
            404:
              $ref: '#/components/responses/404'
        """
        try:
            rows = ops.hasil_kegiatan(pk, g.user)
        except ops.PenilaianError:
            return self.response_404()
        return self.response(200, result=[r.as_dict() for r in rows])


def _penugasan(t: Penugasan) -> dict:
    return {
        "id": t.id,
        "peserta_id": t.peserta_id,
        "peserta": t.peserta.nama_lengkap,
        "metode_id": t.metode_id,
        "metode": t.metode.nama,
        "asesor_id": t.asesor_id,
        "asesor": t.asesor.nama_lengkap,
        "sesi_id": t.sesi_id,
        "status": t.status,
    }


class PesertaApi(ModelRestApi):
    resource_name = "peserta"
    datamodel = SQLAInterface(Peserta)
    allow_browser_login = True
    base_filters = [scope_filter()]
    include_route_methods = {"get", "get_list"}
    list_columns = [
        "id",
        "kegiatan_id",
        "gelombang_id",
        "nomor",
        "nip",
        "nama",
        "gelar_depan",
        "gelar_belakang",
        "jabatan_id",
        "jabatan_target_id",
        "instansi_nama",
        "unit_nama",
        "predikat_kinerja",
        "intake_drh",
        "intake_qcom",
        "intake_ci",
    ]
    show_columns = list_columns
    search_columns = ["nama", "nip", "kegiatan"]
    openapi_spec_tag = "Peserta"


class NilaiApi(ModelRestApi):
    resource_name = "nilai"
    datamodel = SQLAInterface(Nilai)
    allow_browser_login = True
    base_filters = [scope_filter()]
    include_route_methods = {"get", "get_list", "simpan"}
    method_permission_name = {"get": "get", "get_list": "get", "simpan": "put"}
    list_columns = ["id", "penugasan_id", "kompetensi_id", "level", "bukti", "diubah_at"]
    show_columns = list_columns
    search_columns = ["penugasan", "kompetensi"]
    openapi_spec_tag = "Nilai"

    @expose("/", methods=["PUT"])
    @protect()
    @safe
    def simpan(self):
        """Save one score of the caller's own assignment (participant × method) for one competency.
        ---
        put:
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    peserta_id: {type: integer}
                    metode_id: {type: integer}
                    kompetensi_id: {type: integer}
                    level: {type: number}
                    bukti: {type: string}
          responses:
            200:
              description: The score
            400:
              $ref: '#/components/responses/400'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            409:
              description: The score sheet is submitted (locked) or the event has not started
            422:
              $ref: '#/components/responses/422'
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response_400(message=_("Send the score as a JSON object."))
        for key in ("peserta_id", "metode_id", "kompetensi_id"):
            if not isinstance(body.get(key), int) or isinstance(body.get(key), bool):
                return self.response_400(message=_("%(field)s (a number) is required.", field=key))
        level = body.get("level")
        if not isinstance(level, int | float | str) or isinstance(level, bool):
            return self.response_400(message=_("%(field)s (a number) is required.", field="level"))
        try:
            row = ops.simpan_nilai(
                g.user,
                body["peserta_id"],
                body["metode_id"],
                body["kompetensi_id"],
                level,
                str(body.get("bukti") or ""),
            )
        except ops.PenilaianError as exc:
            return _error(self, exc)
        return self.response(
            200,
            id=row.id,
            result={
                "id": row.id,
                "penugasan_id": row.penugasan_id,
                "kompetensi_id": row.kompetensi_id,
                "level": row.level,
                "bukti": row.bukti,
            },
        )
