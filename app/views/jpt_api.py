"""REST API of the JPT selection under /api/v1/seleksi-jpt/: the selections (with `kasus_id`), their
candidates and their compilation. Same scope and operations as the screens."""

from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _

from app.extensions import db
from app.jpt import operations as ops
from app.models import SeleksiJpt
from app.models.jpt import KODE_TAHAP
from app.rest import ScopedRestApi


def _kandidat(row) -> dict:
    return {
        "id": row.id, "nip": row.nip, "nama": row.nama, "formasi_id": row.formasi_id, "formasi": row.formasi.nama,
        "instansi_asal": row.instansi_asal, "jabatan_asal": row.jabatan_asal,
        "nilai": row.nilai(), "sumber_assessment": row.sumber_assessment, "nilai_akhir": row.nilai_akhir,
        "peringkat": row.peringkat, "standar": row.standar, "tiga_besar": row.tiga_besar,
    }  # fmt: skip


def _kompilasi(item: SeleksiJpt) -> dict:
    return {
        "status": item.status_kompilasi, "catatan": item.catatan_kompilasi or "", "bobot": item.bobot(),
        "aturan_standar": item.aturan_standar, "ambang_standar": item.ambang_standar,
        "kandidat": [_kandidat(r) for r in ops.tabel_kompilasi(item)],
    }  # fmt: skip


class SeleksiJptApi(ScopedRestApi):
    resource_name = "seleksi-jpt"
    datamodel = SQLAInterface(SeleksiJpt)
    reads = ("kandidat", "kompilasi")
    writes = {"kompilasi_buat": "post", "tambah_kandidat": "post"}
    list_columns = ["id", "nama", "tahun", "unit_kerja.kode", "kasus_id", "kegiatan_id", "status_kompilasi"]
    show_columns = list_columns + [f"bobot_{k}" for k in KODE_TAHAP] + ["aturan_standar", "ambang_standar",
                                                                        "catatan_kompilasi"]  # fmt: skip
    search_columns = ["nama", "tahun", "status_kompilasi"]
    openapi_spec_tag = "Seleksi JPT"

    def _item(self, pk):
        try:
            return ops.seleksi(pk)
        except ops.JptError:
            return None

    @expose("/<int:pk>/kandidat", methods=["GET"])
    @protect()
    @safe
    def kandidat(self, pk):
        """The candidates of a selection with their stage scores and compiled values.
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: Candidates (`result`)
            404:
              $ref: '#/components/responses/404'
        """
        item = self._item(pk)
        if item is None:
            return self.response_404()
        return self.response(200, result=[_kandidat(r) for r in item.kandidat])

    @expose("/<int:pk>/kandidat", methods=["POST"])
    @protect()
    @safe
    def tambah_kandidat(self, pk):
        """Register a candidate (NIP validated, once per selection) for one vacant post, with optional scores.
        ---
        post:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    nip: {type: string}
                    nama: {type: string}
                    formasi_id: {type: integer}
                    instansi_asal: {type: string}
                    jabatan_asal: {type: string}
                    nilai:
                      type: object
                      description: stage code → score 0–100
          responses:
            201:
              description: The candidate (`result`)
            404:
              $ref: '#/components/responses/404'
            409:
              description: The compilation is approved and frozen
            422:
              description: Refused; `message` says why (in the user's language)
        """
        item = self._item(pk)
        if item is None:
            return self.response_404()
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        text = {k: body.get(k) if isinstance(body.get(k), str) else "" for k in ("nip", "nama", "instansi_asal",
                                                                              "jabatan_asal")}  # fmt: skip
        formasi_id = body.get("formasi_id") if isinstance(body.get("formasi_id"), int) else None
        nilai = body.get("nilai") if isinstance(body.get("nilai"), dict) else {}
        try:
            row = ops.tambah_kandidat(item, text["nip"], text["nama"], formasi_id, text["instansi_asal"],
                                      text["jabatan_asal"])  # fmt: skip
            if nilai:
                ops.isi_nilai(row, nilai)
        except ops.JptError as exc:
            db.session.rollback()
            return self.response(exc.status, message=str(exc))
        db.session.commit()
        return self.response(201, result=_kandidat(row))

    @expose("/<int:pk>/kompilasi", methods=["GET"])
    @protect()
    @safe
    def kompilasi(self, pk):
        """The compilation: status, weights, rule, and per candidate the weighted total, rank, category.
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: The compilation (`result`)
            404:
              $ref: '#/components/responses/404'
        """
        item = self._item(pk)
        if item is None:
            return self.response_404()
        return self.response(200, result=_kompilasi(item))

    @expose("/<int:pk>/kompilasi", methods=["POST"])
    @protect()
    @safe
    def kompilasi_buat(self, pk):
        """Compile the weighted totals and ranks per post (refused once approved).
        ---
        post:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: The compilation (`result`)
            404:
              $ref: '#/components/responses/404'
            409:
              description: The compilation is approved and frozen
            422:
              description: Scores are missing; `message` names them
        """
        item = self._item(pk)
        if item is None:
            return self.response_404()
        try:
            ops.kompilasi(item)
        except ops.JptError as exc:
            db.session.rollback()
            return self.response(exc.status, message=str(exc))
        db.session.commit()
        return self.response(200, result=_kompilasi(item), message=_("Done."))
