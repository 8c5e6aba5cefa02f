"""REST API of competency assessment under /api/v1/: events (with participant import, assignment, rule
warnings and results), participants and scores. Same scope and operations as the screens."""

from __future__ import annotations

import datetime as dt

from flask import g, request, url_for
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _

from app import scope
from app.api_input import FLAG, ID, ID_OR_NULL, IDS, NUMBER, TEXT, id_map
from app.extensions import db
from app.models import KegiatanPenilaian, Nilai, Penugasan, Peserta, Sesi
from app.penilaian import impor, impor_job
from app.penilaian import operations as ops
from app.rest import VERSI_INVALID, ScopedRestApi, refused, seen_versi
from app.rest import action_doc as _doc
from app.rest import json_body as _body
from app.rest import whole as _int
from app.rest import wholes as _ints


def _error(api, exc: ops.PenilaianError, **extra):
    return refused(api, exc, **extra)


def _done(api, fn, **result):
    """Run one operation; its refusal becomes the response with the user's message."""
    try:
        value = fn()
    except ops.PenilaianError as exc:
        return _error(api, exc)
    return api.response(200, message=_("Done."), **{k: f(value) for k, f in result.items()})


class KegiatanApi(ScopedRestApi):
    resource_name = "kegiatan"
    datamodel = SQLAInterface(KegiatanPenilaian)
    reads = ("hasil", "penugasan", "peringatan")
    writes = {
        "atur_penugasan": "put",
        "buat": "post",
        "impor": "post",
        "impor_status": "post",  # an import's progress: for whoever may import
        "kehadiran": "post",
        "matriks": "put",
        "mulai": "post",
        "otomatis": "post",
        "sesi": "post",
        "tambah_peserta": "post",
        "tim": "post",
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
        "versi",
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
                    jabatan_target_id: {type: integer, nullable: true}
                    kasus_id: {type: integer, nullable: true}
                    unit_kerja_id: {type: integer, nullable: true}
                    instansi_peminta_id: {type: integer, nullable: true}
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
        """Import participants from an .xlsx file (the template of the event page): all rows or none. A file
        of more than PENKOM_IMPOR_ANTRI_BARIS rows (200) is imported on the job queue: 202 with the import's
        progress; follow it at `progres`.
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
                    versi: {type: integer, description: "the event's versi you read; a repeat is refused (409)"}
              application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                schema: {type: string, format: binary}
          responses:
            200:
              description: The number of participants imported (`jumlah`)
            202:
              description: The import runs on the job queue (`id`, `status`, `done`, `total`, `progres`)
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            409:
              description: The event changed since that versi (someone else imported, or a repeated request), or
                another import of the event is still running
            422:
              description: Nothing imported; `errors` lists each bad row (`baris`, `pesan`)
        """
        upload = request.files.get("berkas")
        data = upload.read() if upload else request.get_data()
        try:
            versi = seen_versi(request.values.get("versi"))
        except ValueError:
            return self.response_400(message=str(VERSI_INVALID))
        try:
            started = impor_job.mulai(pk, g.user, data, upload.filename if upload else "", versi)
        except impor.ImporError as exc:
            return _error(self, exc, errors=[row.as_dict() for row in exc.baris])
        except ops.PenilaianError as exc:
            return _error(self, exc)
        if started.job is None:
            n = started.jumlah
            return self.response(200, jumlah=n, message=_("%(n)d participants imported.", n=n))
        message = _("The file has %(n)d rows: it is imported in the background.", n=started.job.total)
        return self.response(202, message=message, progres=url_for("KegiatanApi.impor_status", pk=started.job.id),
                             **impor_job.progres(started.job))  # fmt: skip

    @expose("/impor/<int:pk>", methods=["GET"])
    @protect()
    @safe
    def impor_status(self, pk):
        """The progress and outcome of a participant import on the job queue (pk: the import).
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: "`status` (antri, berjalan, selesai, ditolak), `done` of `total` rows checked, then
                `jumlah` imported or `errors` (`baris`, `pesan`) and `hasil`"
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
        """
        try:
            row = impor_job.job(pk, g.user)
        except ops.PenilaianError as exc:
            return _error(self, exc)
        return self.response(200, **impor_job.progres(row))

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
                    gelombang_id: {type: integer, nullable: true}
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

    @expose("/<int:pk>/tim", methods=["POST"])
    @protect()
    @safe
    @_doc(
        "Put a civil servant on the team: `pegawai_id`, `peran` (ketua, asesor, asesor_admin, tester, "
        "tenaga_pendukung).",
        "post",
        pegawai_id=ID,
        peran=TEXT,
    )
    def tim(self, pk):
        body = _body()
        return _done(
            self,
            lambda: ops.tambah_anggota(pk, g.user, _int(body.get("pegawai_id")), str(body.get("peran"))),
            id=lambda m: m.id,
        )

    @expose("/<int:pk>/matriks", methods=["PUT"])
    @protect()
    @safe
    @_doc(
        "Set the competencies (`kompetensi_ids`) and the methods with what each measures (`matriks`: "
        "{metode_id: [kompetensi ids]}), before the event starts.",
        "put",
        kompetensi_ids=IDS,
        matriks=id_map(IDS),
    )
    def matriks(self, pk):
        if scope.get(KegiatanPenilaian, pk, g.user) is None:  # the row first: out of scope is 404 whatever the body
            return self.response_404()
        body = _body()
        ids, matrix = _ints(body.get("kompetensi_ids")), body.get("matriks")
        cells = {}
        for key, values in matrix.items() if isinstance(matrix, dict) else ():
            if not str(key).isdigit() or _ints(values) is None:
                ids = None
            cells[int(key) if str(key).isdigit() else 0] = values
        if ids is None or not isinstance(matrix, dict):
            return self.response_400(message=_("Send kompetensi_ids (numbers) and matriks (method: competencies)."))
        return _done(self, lambda: ops.atur_matriks(pk, g.user, ids, cells))

    @expose("/<int:pk>/sesi", methods=["POST"])
    @protect()
    @safe
    @_doc(
        "Schedule a session: `gelombang_id` (default the first wave), `metode_id`, `mulai`, `selesai` (ISO "
        "date-time; without a time zone: UTC), `ruang`.",
        "post",
        gelombang_id=ID_OR_NULL,
        metode_id=ID,
        mulai=TEXT,
        selesai=TEXT,
        ruang=TEXT,
    )
    def sesi(self, pk):
        if scope.get(KegiatanPenilaian, pk, g.user) is None:  # the row first: out of scope is 404 whatever the body
            return self.response_404()
        body = _body()
        times = {}
        for key in ("mulai", "selesai"):
            try:
                value = dt.datetime.fromisoformat(str(body.get(key) or ""))
            except ValueError:
                return self.response_400(message=_("%(field)s must be a date and time (ISO 8601).", field=key))
            times[key] = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
        item = scope.get(KegiatanPenilaian, pk, g.user)
        if item is None:
            return self.response_404()
        wave = _int(body.get("gelombang_id")) or (item.gelombang[0].id if item.gelombang else None)
        if wave not in {w.id for w in item.gelombang}:
            return self.response_404()
        return _done(
            self,
            lambda: ops.tambah_sesi(
                wave,
                g.user,
                _int(body.get("metode_id")),
                times["mulai"],
                times["selesai"],
                str(body.get("ruang") or ""),
            ),
            id=lambda s: s.id,
        )

    @expose("/<int:pk>/peserta", methods=["POST"])
    @protect()
    @safe
    @_doc(
        "Add one participant: `pegawai_id`, or `nip`, `nama`, `golongan`, `jabatan_id`, `instansi`, `unit`; "
        "optionally `gelombang_id`, `jabatan_target_id`, `predikat_kinerja`.",
        "post",
        pegawai_id=ID_OR_NULL,
        nip=TEXT,
        nama=TEXT,
        gelar_depan=TEXT,
        gelar_belakang=TEXT,
        golongan=TEXT,
        jabatan_id=ID_OR_NULL,
        instansi=TEXT,
        unit=TEXT,
        gelombang_id=ID_OR_NULL,
        jabatan_target_id=ID_OR_NULL,
        predikat_kinerja=TEXT,
    )
    def tambah_peserta(self, pk):
        body = _body()
        data = ops.DataPeserta(
            nip=str(body.get("nip") or ""),
            nama=str(body.get("nama") or ""),
            gelar_depan=str(body.get("gelar_depan") or ""),
            gelar_belakang=str(body.get("gelar_belakang") or ""),
            golongan=str(body.get("golongan") or ""),
            instansi=str(body.get("instansi") or ""),
            unit=str(body.get("unit") or ""),
            pegawai_id=_int(body.get("pegawai_id")),
            jabatan_id=_int(body.get("jabatan_id")),
            jabatan_target_id=_int(body.get("jabatan_target_id")),
            gelombang_id=_int(body.get("gelombang_id")),
            predikat_kinerja=str(body.get("predikat_kinerja") or ""),
        )
        return _done(self, lambda: ops.tambah_peserta(pk, g.user, data), id=lambda p: p.id)

    @expose("/<int:pk>/mulai", methods=["POST"])
    @protect()
    @safe
    @_doc("Start the event (copies the standards into it).", "post")
    def mulai(self, pk):
        return _done(self, lambda: ops.mulai_kegiatan(pk, g.user), status=lambda k: k.status)

    @expose("/<int:pk>/penugasan", methods=["PUT"])
    @protect()
    @safe
    @_doc(
        "Set the assessors of cells: `penugasan`: [{peserta_id, metode_id, asesor_id (null: nobody)}].",
        "put",
        penugasan={
            "type": "array",
            "items": {"type": "object", "properties": {"peserta_id": ID, "metode_id": ID, "asesor_id": ID_OR_NULL}},
        },
    )
    def atur_penugasan(self, pk):
        if scope.get(KegiatanPenilaian, pk, g.user) is None:  # the row first: out of scope is 404 whatever the body
            return self.response_404()
        rows = _body().get("penugasan")
        cells = {}
        for r in rows if isinstance(rows, list) else [None]:
            if not isinstance(r, dict):
                return self.response_400(message=_("Send penugasan as a list of cells."))
            key = (_int(r.get("peserta_id")), _int(r.get("metode_id")))
            if None in key or (r.get("asesor_id") is not None and _int(r.get("asesor_id")) is None):
                return self.response_400(message=_("Send penugasan as a list of cells."))
            cells[key] = _int(r.get("asesor_id"))
        return _done(self, lambda: ops.atur_penugasan(pk, g.user, cells), jumlah=lambda n: n)

    @expose("/<int:pk>/kehadiran", methods=["POST"])
    @protect()
    @safe
    @_doc(
        "Record the attendance of a session: `sesi_id`, `hadir` (ids of the participants present).",
        "post",
        sesi_id=ID,
        hadir=IDS,
    )
    def kehadiran(self, pk):
        if scope.get(KegiatanPenilaian, pk, g.user) is None:  # the row first: out of scope is 404 whatever the body
            return self.response_404()
        body = _body()
        present = _ints(body.get("hadir"))
        if _int(body.get("sesi_id")) is None or present is None:
            return self.response_400(message=_("Send sesi_id and hadir (participant ids)."))
        session = scope.get(Sesi, body["sesi_id"], g.user)
        if session is None or session.gelombang.kegiatan_id != pk:
            return self.response_404()
        return _done(self, lambda: ops.catat_kehadiran(session.id, g.user, present), hadir=lambda n: n)


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
        "versi": t.versi,
    }


class PesertaApi(ScopedRestApi):
    resource_name = "peserta"
    datamodel = SQLAInterface(Peserta)
    writes = {"buka": "post", "intake": "put", "konsensus": "put", "kunci": "post", "potensi": "put", "ubah": "put"}
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
        "versi",
    ]
    show_columns = list_columns
    search_columns = ["nama", "nip", "kegiatan"]
    openapi_spec_tag = "Peserta"

    @expose("/<int:pk>", methods=["PUT"])
    @protect()
    @safe
    @_doc(
        "Change the participant's `gelombang_id`, `jabatan_target_id` or `predikat_kinerja` (SKP).",
        "put",
        gelombang_id=ID_OR_NULL,
        jabatan_target_id=ID_OR_NULL,
        predikat_kinerja=TEXT,
    )
    def ubah(self, pk):
        body = _body()
        fields = {k: body[k] for k in ("gelombang_id", "jabatan_target_id", "predikat_kinerja") if k in body}
        for key in ("gelombang_id", "jabatan_target_id"):
            if fields.get(key) is not None and _int(fields[key]) is None:
                return self.response_400(message=_("%(field)s must be a number.", field=key))
        if not isinstance(fields.get("predikat_kinerja", ""), str):
            return self.response_400(message=_("%(field)s must be text.", field="predikat_kinerja"))
        return _done(self, lambda: ops.ubah_peserta(pk, g.user, **fields))

    @expose("/<int:pk>/intake", methods=["PUT"])
    @protect()
    @safe
    @_doc("Tick the intake documents received: `drh`, `qcom`, `ci` (true/false).", "put", drh=FLAG, qcom=FLAG, ci=FLAG)
    def intake(self, pk):
        body = _body()
        return _done(
            self,
            lambda: ops.atur_intake(
                pk, g.user, body.get("drh") is True, body.get("qcom") is True, body.get("ci") is True
            ),
        )

    @expose("/<int:pk>/konsensus", methods=["PUT"])
    @protect()
    @safe
    @_doc(
        "The meeting's consensus (the ketua): `konsensus`: {kompetensi_id: {level, alasan}}.",
        "put",
        konsensus=id_map({"type": "object", "properties": {"level": NUMBER, "alasan": TEXT}}),
    )
    def konsensus(self, pk):
        if scope.get(Peserta, pk, g.user) is None:  # the row first: out of scope is 404 whatever the body
            return self.response_404()
        raw = _body().get("konsensus")
        if not isinstance(raw, dict) or not all(str(k).isdigit() and isinstance(v, dict) for k, v in raw.items()):
            return self.response_400(message=_("Send konsensus as {competency id: {level, alasan}}."))
        values = {int(k): (v.get("level"), str(v.get("alasan") or "")) for k, v in raw.items()}
        return _done(self, lambda: ops.simpan_konsensus(pk, g.user, values))

    @expose("/<int:pk>/potensi", methods=["PUT"])
    @protect()
    @safe
    @_doc("The potential ratings (the ketua): `potensi`: {aspek_id: 1-5}.", "put", potensi=id_map(ID))
    def potensi(self, pk):
        if scope.get(Peserta, pk, g.user) is None:  # the row first: out of scope is 404 whatever the body
            return self.response_404()
        raw = _body().get("potensi")
        if not isinstance(raw, dict) or not all(str(k).isdigit() for k in raw):
            return self.response_400(message=_("Send potensi as {aspect id: rating}."))
        return _done(self, lambda: ops.simpan_potensi(pk, g.user, {int(k): v for k, v in raw.items()}))

    @expose("/<int:pk>/kunci", methods=["POST"])
    @protect()
    @safe
    @_doc("Lock the participant's result (the ketua); answers the stored `jpm` and `kategori`. Optional `versi`: "
          "the participant's versi you read (a repeated request is then refused with 409).", "post",
          versi=ID_OR_NULL)  # fmt: skip
    def kunci(self, pk):
        try:
            versi = seen_versi(_body().get("versi"))
        except ValueError:
            return self.response_400(message=str(VERSI_INVALID))
        return _done(self, lambda: ops.kunci_integrasi(pk, g.user, versi), jpm=lambda h: h.jpm,
                     kategori=lambda h: h.kategori)  # fmt: skip

    @expose("/<int:pk>/buka", methods=["POST"])
    @protect()
    @safe
    @_doc("Reopen the participant's assessor meeting (the ketua), with `alasan`.", "post", alasan=TEXT)
    def buka(self, pk):
        alasan = str(_body().get("alasan") or "")
        return _done(self, lambda: ops.buka_integrasi(pk, g.user, alasan))


class NilaiApi(ScopedRestApi):
    resource_name = "nilai"
    datamodel = SQLAInterface(Nilai)
    writes = {"buka": "post", "kirim": "post", "simpan": "put"}
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
                    versi:
                      type: integer
                      nullable: true
                      description: the sheet's versi you read; a repeat is refused (409)
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
              description: The score sheet is submitted (locked), changed since that versi, or the event has not
                started
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
            versi = seen_versi(body.get("versi"))
        except ValueError:
            return self.response_400(message=str(VERSI_INVALID))
        try:
            row = ops.simpan_nilai(
                g.user,
                body["peserta_id"],
                body["metode_id"],
                body["kompetensi_id"],
                level,
                str(body.get("bukti") or ""),
                versi,
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

    @expose("/lembar/<int:pk>/kirim", methods=["POST"])
    @protect()
    @safe
    @_doc("Submit (and lock) one of the caller's own score sheets (pk: the assignment). Optional `versi`: the "
          "sheet's versi you read (a repeated request is then refused with 409).", "post",
          versi=ID_OR_NULL)  # fmt: skip
    def kirim(self, pk):
        try:
            versi = seen_versi(_body().get("versi"))
        except ValueError:
            return self.response_400(message=str(VERSI_INVALID))
        return _done(self, lambda: ops.kirim_lembar(pk, g.user, versi), status=lambda t: t.status)

    @expose("/lembar/<int:pk>/buka", methods=["POST"])
    @protect()
    @safe
    @_doc("Reopen a submitted score sheet (the ketua), with `alasan`.", "post", alasan=TEXT)
    def buka(self, pk):
        alasan = str(_body().get("alasan") or "")
        return _done(self, lambda: ops.buka_lembar(pk, g.user, alasan), status=lambda t: t.status)
