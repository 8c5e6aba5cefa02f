"""REST API of cooperation requests under /api/v1/permintaan-kerjasama/: the register (scoped like its
views: whoever sees the case sees its request), each with its `kasus_id`, and the availability of the
agency's assessors on a request's dates. Workflow moves go through /api/v1/kasus/<kasus_id>/..."""

from __future__ import annotations

from flask import g
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.kerjasama import operations as ops
from app.models import PermintaanKerjasama
from app.rest import ScopedRestApi


class PermintaanKerjasamaApi(ScopedRestApi):
    resource_name = "permintaan-kerjasama"
    datamodel = SQLAInterface(PermintaanKerjasama)
    reads = ("asesor",)
    list_columns = ["id", "kasus_id", "nomor_surat", "tanggal_surat", "instansi_peminta", "perihal", "tanggal_mulai",
                    "tanggal_selesai", "tempat", "jumlah_asesor", "jenis_asesor", "keputusan"]  # fmt: skip
    show_columns = list_columns + ["disposisi", "alasan_keputusan", "diputuskan_at", "dibuat_at"]
    search_columns = ["kasus_id", "instansi_peminta", "perihal", "keputusan", "tanggal_mulai"]
    order_columns = ["id", "tanggal_mulai", "tanggal_selesai"]
    openapi_spec_tag = "Permintaan Kerjasama"

    @expose("/<int:pk>/asesor", methods=["GET"])
    @protect()
    @safe
    def asesor(self, pk):
        """The agency's active assessors with their availability on the request's dates.
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: One row per assessor of the register
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      result:
                        type: array
                        items:
                          type: object
                          properties:
                            register_id: {type: integer}
                            pegawai_id: {type: integer}
                            nama: {type: string}
                            jenis: {type: string}
                            dipilih: {type: boolean}
                            tersedia: {type: boolean}
                            bentrok:
                              type: array
                              items:
                                type: object
                                properties:
                                  kegiatan: {type: string}
                                  tanggal_mulai: {type: string, format: date}
                                  tanggal_selesai: {type: string, format: date}
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
        """
        try:
            item = ops.permintaan(pk, g.user)
        except ops.KerjasamaError:
            return self.response_404()
        rows = [
            {"register_id": row.entry.id, "pegawai_id": row.entry.pegawai_id, "nama": row.entry.pegawai.nama_lengkap,
             "jenis": row.entry.jenis, "dipilih": row.dipilih is not None, "tersedia": row.tersedia,
             "bentrok": [{"kegiatan": b.apa, "tanggal_mulai": b.mulai.isoformat(),
                          "tanggal_selesai": b.selesai.isoformat()} for b in row.bentrok]}
            for row in ops.ketersediaan(item)
        ]  # fmt: skip
        return self.response(200, result=rows)
