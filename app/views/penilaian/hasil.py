"""Results: an event's results page and workbook (KegiatanPenilaianView mixes them in) and the stored
results."""

from __future__ import annotations

from flask import abort, g
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.formatting import angka_level, persen, tanggal, tanggal_waktu
from app.models import Hasil
from app.models.penilaian import RUMUS_LABELS, TUJUAN_LABELS
from app.penilaian import hasil as calc
from app.penilaian import impor
from app.penilaian import operations as ops
from app.views.base import ScopedModelView
from app.views.export import ExportMixin
from app.views.impor import xlsx_response
from app.views.penilaian.umum import _dash, _label


class HasilKegiatanMixin:
    """Routes of KegiatanPenilaianView: `hasil` (the results page), `unduh` (the results workbook)."""

    @expose("/hasil/<int:pk>", methods=["GET"])
    @has_access
    def hasil(self, pk):
        item = self._item(pk)
        return self.render_template(
            "penilaian/hasil.html",
            item=item,
            hasil=ops.hasil_kegiatan(pk, g.user),
            labels=calc,
            level=angka_level,
            persen=persen,
            tanggal=tanggal,
            title=_l("Results"),
        )

    @expose("/unduh/<int:pk>", methods=["GET"])
    @has_access
    def unduh(self, pk):
        self._item(pk)
        return xlsx_response(impor.ekspor_hasil(pk, g.user), f"hasil-penilaian-{pk}.xlsx")


class HasilView(ExportMixin, ScopedModelView):
    datamodel = SQLAInterface(Hasil)
    base_permissions = ["can_list", "can_show"]
    list_title = _l("Assessment Results")
    show_title = _l("Assessment Result")
    show_template = "penilaian/hasil_show.html"
    list_columns = ["peserta", "kegiatan", "jpm", "kategori", "kelas_potensi", "kotak", "berlaku_sampai"]
    search_columns = ["kegiatan", "kategori", "kelas_potensi", "berlaku_sampai"]
    order_columns = ["jpm", "berlaku_sampai"]
    base_order = ("id", "desc")
    label_columns = {
        "peserta": _l("Participant"),
        "kegiatan": _l("Event"),
        "jpm": _l("JPM (%)"),
        "kategori": _l("Category"),
        "kelas_potensi": _l("Potential"),
        "kotak": _l("Nine-box"),
        "berlaku_sampai": _l("Valid until"),
    }
    formatters_columns = {
        "jpm": persen,
        "kategori": _label(calc.KATEGORI_LABELS),
        "kelas_potensi": _label(calc.KELAS_POTENSI_LABELS),
        "berlaku_sampai": tanggal,
        "kotak": _dash,
    }

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        row = self.datamodel.get(pk, self._base_filters)
        if row is None:
            abort(404)
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            row=row,
            labels=calc,
            level=angka_level,
            persen=persen,
            tanggal=tanggal,
            tanggal_waktu=tanggal_waktu,
            rumus=RUMUS_LABELS,
            tujuan=TUJUAN_LABELS,
        )
