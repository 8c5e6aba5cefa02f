"""Assessment events (menu "Penilaian"): create and edit, the event page, waves and sessions, the
start, and the method × competency matrix. The event page's other parts are mixed in from tim.py,
peserta.py and hasil.py."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.validators import Optional as OptionalV

from app import scope
from app.extensions import db
from app.formatting import tanggal, tanggal_waktu
from app.models import Instansi, Jabatan, KegiatanPenilaian, Kompetensi, Metode, UnitKerja
from app.models.penilaian import PERAN_TIM_LABELS, STATUS_KEGIATAN_LABELS, TUJUAN_LABELS, PeranTim
from app.penilaian import operations as ops
from app.validators import select_choices
from app.views.base import ScopedModelView, form_date, form_page
from app.views.export import ExportMixin
from app.views.impor import ImporPesertaMixin
from app.views.penilaian.hasil import HasilKegiatanMixin
from app.views.penilaian.peserta import PesertaKegiatanMixin
from app.views.penilaian.tim import TimKegiatanMixin
from app.views.penilaian.umum import PREDIKAT_KINERJA, _dash, _int, _jam, _label, _refused
from app.workflow import engine


class KegiatanForm(FlaskForm):
    nama = StringField(_l("Name of the event"), validators=[DataRequired(), Length(max=250)])
    tujuan = SelectField(_l("Purpose"), choices=select_choices((k.value, v) for k, v in TUJUAN_LABELS.items()))
    unit = SelectField(_l("Work unit that runs it"), coerce=int, validators=[DataRequired()])
    jabatan_target = SelectField(
        _l("Target position"),
        coerce=int,
        validators=[OptionalV()],
        description=_l("For filling a position: its standard applies to every participant."),
    )
    instansi_peminta = SelectField(
        _l("Requesting agency"),
        coerce=int,
        validators=[OptionalV()],
        description=_l("When another agency asked for the assessment (cooperation)."),
    )
    tempat = StringField(_l("Place"), validators=[Length(max=250)])
    tanggal_mulai = DateField(_l("Start date"), validators=[OptionalV()])
    tanggal_selesai = DateField(_l("End date"), validators=[OptionalV()])

    ORDER = [
        "nama",
        "tujuan",
        "unit",
        "jabatan_target",
        "instansi_peminta",
        "tempat",
        "tanggal_mulai",
        "tanggal_selesai",
    ]

    def values(self) -> dict:
        """What the create and the edit page pass to their operation (0 of a choice is its "—")."""
        return {
            "nama": self.nama.data,
            "tujuan": self.tujuan.data,
            "jabatan_target_id": self.jabatan_target.data or None,
            "instansi_peminta_id": self.instansi_peminta.data or None,
            "tempat": self.tempat.data,
            "tanggal_mulai": self.tanggal_mulai.data,
            "tanggal_selesai": self.tanggal_selesai.data,
        }

    def shown(self) -> list:
        """The fields of the page (`unit` only when creating: an event stays with the unit that runs it)."""
        return [self[name] for name in self.ORDER if name in self]

    def prepare(self, user, item: KegiatanPenilaian | None = None) -> KegiatanForm:
        units = sorted(scope.visible(UnitKerja, user), key=lambda u: u.nama)
        self.unit.choices = select_choices((u.id, f"{u.nama} ({u.instansi.kode})") for u in units)
        positions = db.session.execute(scope.scoped(Jabatan, user).order_by(Jabatan.nama)).scalars()
        self.jabatan_target.choices = select_choices([(0, "—")] + [(j.id, str(j)) for j in positions])
        # Only agencies in the user's scope: which other agencies use this Penkom is not shown to a unit
        # (an outside requester is recorded with its cooperation request).
        agencies = sorted(scope.visible(Instansi, user), key=lambda i: i.nama)
        self.instansi_peminta.choices = select_choices([(0, "—")] + [(i.id, i.nama) for i in agencies])
        return self


class KegiatanPenilaianView(
    TimKegiatanMixin, PesertaKegiatanMixin, HasilKegiatanMixin, ImporPesertaMixin, ExportMixin, ScopedModelView
):
    """The event page: the event, its waves and sessions and its method × competency matrix here; its
    team and assignment (tim.py), participants and attendance (peserta.py), results (hasil.py) and
    participant import (app/views/impor.py) are mixed in."""

    datamodel = SQLAInterface(KegiatanPenilaian)
    quick_search_columns = ["nama", "tempat"]
    base_permissions = [
        "can_list",
        "can_show",
        "can_add",
        "can_edit",
        "can_delete",
        "can_tim",
        "can_jadwal",
        "can_matriks",
        "can_peserta",
        "can_impor",
        "can_templat",
        "can_penugasan",
        "can_otomatis",
        "can_mulai",
        "can_hasil",
        "can_unduh",
        "can_kehadiran",
    ]
    list_title = _l("Assessment Events")
    show_title = _l("Assessment Event")
    show_template = "penilaian/kegiatan.html"
    list_columns = ["nama", "tujuan", "status", "unit_kerja", "tanggal_mulai", "kasus"]
    show_columns = [
        "nama",
        "tujuan",
        "status",
        "unit_kerja",
        "jabatan_target",
        "instansi_peminta",
        "tempat",
        "tanggal_mulai",
        "tanggal_selesai",
        "kasus",
    ]
    search_columns = ["nama", "tujuan", "status", "unit_kerja", "tanggal_mulai"]
    order_columns = ["nama", "tanggal_mulai", "status"]
    base_order = ("id", "desc")
    label_columns = {
        "nama": _l("Name"),
        "tujuan": _l("Purpose"),
        "status": _l("Status"),
        "unit_kerja": _l("Work Unit"),
        "jabatan_target": _l("Target position"),
        "instansi_peminta": _l("Requesting agency"),
        "tempat": _l("Place"),
        "tanggal_mulai": _l("Start date"),
        "tanggal_selesai": _l("End date"),
        "kasus": _l("Case"),
    }
    formatters_columns = {
        "tujuan": _label(TUJUAN_LABELS),
        "status": _label(STATUS_KEGIATAN_LABELS),
        "tanggal_mulai": tanggal,
        "tanggal_selesai": tanggal,
        "jabatan_target": _dash,
        "instansi_peminta": _dash,
        "kasus": _dash,
        "tempat": _dash,
    }

    def _item(self, pk) -> KegiatanPenilaian:
        try:
            return ops.kegiatan(pk, g.user)
        except ops.PenilaianError:
            abort(404)

    def _back(self, pk, anchor=""):
        return redirect(url_for("KegiatanPenilaianView.show", pk=pk) + anchor)

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        form = KegiatanForm().prepare(g.user)
        return form_page(
            self,
            form,
            lambda: ops.buat_kegiatan(g.user, unit_kerja_id=form.unit.data, **form.values()),
            _l("Event created; set its team, methods, sessions and participants."),
            lambda item: url_for("KegiatanPenilaianView.show", pk=item.id),
            fields=form.shown(),
            title=_l("New assessment event"),
            submit=_l("Create"),
            back=url_for("KegiatanPenilaianView.list"),
        )

    @expose("/edit/<int:pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        item = self._item(pk)
        form = KegiatanForm(obj=None if request.method == "POST" else item).prepare(g.user, item)
        if request.method == "GET":
            form.unit.data, form.jabatan_target.data = item.unit_kerja_id, item.jabatan_target_id or 0
            form.instansi_peminta.data = item.instansi_peminta_id or 0
        del form.unit
        return form_page(
            self,
            form,
            lambda: ops.ubah_kegiatan(item.id, g.user, **form.values()),
            _l("Saved."),
            lambda _: url_for("KegiatanPenilaianView.show", pk=item.id),
            fields=form.shown(),
            title=_l("Edit assessment event"),
            submit=_l("Save"),
            back=url_for("KegiatanPenilaianView.show", pk=pk),
        )

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        item = self._item(pk)
        widgets = self._show(pk)
        manage = ops.boleh_kelola(item, g.user, ketua_boleh=True)
        kasus = item.kasus if item.kasus_id and engine.scoped_case(item.kasus_id, g.user) else None
        agency = scope.agency_people(item.unit_kerja.instansi_id, g.user) if ops.staf_kegiatan(item, g.user) else []
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=[],
            item=item,
            manage=manage,
            staff=ops.staf_kegiatan(item, g.user),
            warnings=ops.rules.periksa(ops.rancangan(item)) if manage else None,
            kasus=kasus,
            pending=engine.pending(kasus, g.user) if kasus else [],
            ringkasan=ops.ringkasan(item),
            intake=ops.progres_intake(item),
            peserta=ops.peserta_terlihat(item, g.user),
            agency=agency,
            peran_labels=PERAN_TIM_LABELS,
            peran_choices=[(p.value, PERAN_TIM_LABELS[p]) for p in PeranTim],
            sesi_label=ops.sesi_label,
            tanggal=tanggal,
            tanggal_waktu=tanggal_waktu,
            jabatan=db.session.execute(scope.scoped(Jabatan, g.user).order_by(Jabatan.nama)).scalars().all(),
            predikat=PREDIKAT_KINERJA,
        )

    @expose("/jadwal/<int:pk>", methods=["POST"])
    @has_access
    def jadwal(self, pk):
        """Waves and sessions: add a wave, set a wave's dates, add or remove a session."""
        self._item(pk)  # 404 outside the caller's scope
        form = request.form
        try:
            if form.get("aksi") == "gelombang":
                ops.tambah_gelombang(
                    pk,
                    g.user,
                    form_date(form.get("tanggal_mulai")),
                    form_date(form.get("tanggal_selesai")),
                    form.get("tempat", ""),
                )
            elif form.get("aksi") == "ubah_gelombang":
                ops.ubah_gelombang(
                    _int(form.get("gelombang_id")),
                    g.user,
                    form_date(form.get("tanggal_mulai")),
                    form_date(form.get("tanggal_selesai")),
                    form.get("tempat", ""),
                )
            elif form.get("aksi") == "hapus_sesi":
                ops.hapus_sesi(_int(form.get("sesi_id")), g.user)
            else:
                ops.tambah_sesi(
                    _int(form.get("gelombang_id")),
                    g.user,
                    _int(form.get("metode_id")),
                    _jam(form.get("mulai")),
                    _jam(form.get("selesai")),
                    form.get("ruang", ""),
                )
        except ops.PenilaianError as exc:
            db.session.rollback()
            # The event is in scope: a wave or session id that is not found is a bad form, not a missing page.
            flash(str(exc) if exc.status != 404 else _l("Choose a wave or session of this event."), "danger")
        else:
            flash(_l("Schedule updated."), "success")
        return self._back(pk, "#jadwal")

    @expose("/mulai/<int:pk>", methods=["POST"])
    @has_access
    def mulai(self, pk):
        try:
            ops.mulai_kegiatan(pk, g.user)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("The event has started; the standards are copied into it."), "success")
        return self._back(pk)

    # the method × competency matrix
    @expose("/matriks/<int:pk>", methods=["GET", "POST"])
    @has_access
    def matriks(self, pk):
        item = self._item(pk)
        if request.method == "POST":
            chosen = [i for i in (_int(v) for v in request.form.getlist("kompetensi")) if i]
            matrix = {}
            for mid in (_int(v) for v in request.form.getlist("metode")):
                if mid:
                    matrix[mid] = [k for k in chosen if request.form.get(f"m_{mid}_{k}")]
            try:
                ops.atur_matriks(pk, g.user, chosen, matrix)
            except ops.PenilaianError as exc:
                db.session.rollback()
                _refused(exc)
            else:
                flash(_l("Methods and matrix saved."), "success")
                return self._back(pk, "#matriks")
        competencies = (
            db.session.execute(
                scope.scoped(Kompetensi, g.user)
                .where(Kompetensi.aktif.isnot(False))
                .order_by(Kompetensi.urutan, Kompetensi.kode)
            )
            .scalars()
            .all()
        )
        methods = (
            db.session.execute(select(Metode).where(Metode.aktif.isnot(False)).order_by(Metode.nama)).scalars().all()
        )
        used = {m.metode_id: {k.id for k in m.kompetensi} for m in item.metode}
        return self.render_template(
            "penilaian/matriks.html",
            item=item,
            competencies=competencies,
            methods=methods,
            used=used,
            assessed={k.kompetensi_id for k in item.kompetensi},
            title=_l("Methods and competency matrix"),
            editable=ops.boleh_kelola(item, g.user, ketua_boleh=True) and item.status == "rancangan",
        )
