"""REST API of transfer-in applications under /api/v1/permohonan-mutasi/: the applications (with their
case and checklist) the caller may see, scoped like the pages."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.models import PermohonanMutasi
from app.rest import ScopedRestApi


class PermohonanMutasiApi(ScopedRestApi):
    resource_name = "permohonan-mutasi"
    datamodel = SQLAInterface(PermohonanMutasi)
    list_columns = [
        "id",
        "kasus_id",
        "kasus.status",
        "nip",
        "nama",
        "gelar_depan",
        "gelar_belakang",
        "instansi_asal",
        "jabatan_asal",
        "pangkat.golongan",
        "formasi",
        "jabatan_target_id",
        "dibuat_at",
    ]
    show_columns = list_columns + [
        "alasan",
        "diverifikasi_at",
        "diserahkan_kepada",
        "diserahkan_at",
        "items.jenis",
        "items.nama",
        "items.status",
        "items.catatan",
    ]
    search_columns = ["nama", "nip", "instansi_asal", "kasus"]
    openapi_spec_tag = "Permohonan Mutasi"
