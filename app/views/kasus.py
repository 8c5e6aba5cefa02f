"""Cases: start, show with the state-aware workflow buttons, history, task and overdue lists."""

from __future__ import annotations

import re

from flask import abort, flash, g, make_response, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.validators import Optional as OptionalV

from app import bounds
from app.errors import abort_with
from app.extensions import db
from app.formatting import orang, tanggal, tanggal_waktu
from app.models import Kasus, KasusRiwayat, KasusTanggapan, PenkomUser, StatusKasus
from app.models.kasus import TANGGAPAN_LABELS
from app.models.security import utcnow
from app.validators import select_choices
from app.views.base import ScopedModelView
from app.views.export import ExportMixin
from app.views.panels import assignable, case_documents, case_panel, engine_status_label
from app.workflow import dokumen, engine, tugas


class MyTasksFilter(BaseFilter):
    """Running cases whose current step waits on one of the caller's roles (co-actors included)."""

    name = "My tasks"
    arg_name = "my_tasks"

    def apply(self, query, value):
        return query.filter(engine.waiting_on(g.user))


class OverdueFilter(BaseFilter):
    """Running cases past their due time, evaluated in the query at request time."""

    name = "Overdue"
    arg_name = "overdue"

    def apply(self, query, value):
        return query.filter(Kasus.status == StatusKasus.BERJALAN.value, Kasus.due_at.isnot(None),
                            Kasus.due_at < utcnow())  # fmt: skip


class StartCaseForm(FlaskForm):
    sop = SelectField(_l("SOP"), coerce=int, validators=[DataRequired()])
    judul = StringField(_l("Title / subject"), validators=[DataRequired(), Length(max=250)])
    tanggal_kegiatan = DateField(
        _l("Activity date"), validators=[OptionalV()],
        description=_l("Only for SOPs with deadlines counted from the activity (e.g. report within 7 days)."),
    )  # fmt: skip


def history(kasus: Kasus) -> list[dict]:
    """The case's transitions and the co-actors' comments and parts, in time order, as people read
    them (names with titles and positions, printed step numbers)."""
    rows = []
    query = (select(KasusRiwayat).options(joinedload(KasusRiwayat.user).joinedload(PenkomUser.pegawai))
             .where(KasusRiwayat.kasus_id == kasus.id))  # fmt: skip
    for r in db.session.execute(query).scalars():
        rows.append({
            "waktu": r.waktu, "urut": (r.waktu, 1, r.id), "oleh": orang(r.user), "peran": r.peran,
            "dari": engine.step_name(kasus.sop, r.dari_no), "aksi": r.label,
            "ke": engine.step_name(kasus.sop, r.ke_no) if r.ke_no else str(_l("end")), "durasi": r.durasi_menit,
            "anggaran": r.anggaran_menit, "telat": r.tepat_waktu is False, "komentar": r.komentar,
        })  # fmt: skip
    query = (select(KasusTanggapan).options(joinedload(KasusTanggapan.user).joinedload(PenkomUser.pegawai))
             .where(KasusTanggapan.kasus_id == kasus.id))  # fmt: skip
    for t in db.session.execute(query).scalars():
        rows.append({
            "waktu": t.waktu, "urut": (t.waktu, 0, t.id), "oleh": orang(t.user),
            "peran": t.pelaksana.nama if t.pelaksana else "", "dari": engine.step_name(kasus.sop, t.langkah_no),
            "aksi": str(TANGGAPAN_LABELS.get(t.jenis, t.jenis)), "ke": "—", "durasi": None, "anggaran": None,
            "telat": False, "komentar": t.komentar,
        })  # fmt: skip
    return sorted(rows, key=lambda row: row["urut"])


def back_to_case(pk: int):
    """Back to the page the case's buttons were pressed on: a local path the form names (a record that
    follows the case), else the case page."""
    return redirect(back_to(request.form.get("kembali_ke", "")) or url_for("KasusView.show", pk=pk))


class KasusView(ExportMixin, ScopedModelView):
    datamodel = SQLAInterface(Kasus)
    base_permissions = ["can_list", "can_show", "can_add", "can_transisi", "can_lampiran", "can_berkas",
                        "can_petugas", "can_konfirmasi", "can_tanggapan"]  # fmt: skip
    list_title = _l("Cases")
    show_title = _l("Case")
    show_template = "kasus/show.html"
    list_columns = ["id", "judul", "sop", "langkah_tampil", "status", "due_at", "unit_kerja"]
    show_columns = ["judul", "sop", "unit_kerja", "status", "langkah_tampil", "masuk_at", "due_at",
                    "tanggal_kegiatan", "dibuat_oleh", "dibuat_at", "selesai_at"]  # fmt: skip
    search_columns = ["judul", "sop", "status", "unit_kerja", "due_at"]
    quick_search_columns = ["judul", "id"]
    order_columns = ["id", "judul", "due_at", "status"]
    base_order = ("id", "desc")
    label_columns = {
        "id": _l("No."), "judul": _l("Title"), "sop": _l("SOP"), "langkah": _l("Current step"),
        "langkah_tampil": _l("Current step"), "status": _l("Status"), "due_at": _l("Due"),
        "unit_kerja": _l("Work Unit"), "masuk_at": _l("Entered step at"), "tanggal_kegiatan": _l("Activity date"),
        "dibuat_oleh": _l("Started by"), "dibuat_at": _l("Started at"), "selesai_at": _l("Finished at"),
    }  # fmt: skip
    formatters_columns = {
        "due_at": tanggal_waktu, "masuk_at": tanggal_waktu, "dibuat_at": tanggal_waktu, "selesai_at": tanggal_waktu,
        "status": lambda v: str(engine_status_label(v)),
        "tanggal_kegiatan": tanggal, "dibuat_oleh": orang,
    }  # fmt: skip

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        form = StartCaseForm()
        sops = tugas.startable_sops(g.user)
        form.sop.choices = select_choices((s.id, str(s)) for s in sops)
        if not sops:
            flash(_l("None of your roles starts an SOP in your scope."), "warning")
        if form.validate_on_submit():
            try:
                kasus = engine.start_case(form.sop.data, form.judul.data, g.user, form.tanggal_kegiatan.data)
            except engine.TransitionError as exc:
                flash(str(exc), "danger")
            else:
                flash(_l("Case %(id)d started.", id=kasus.id), "success")
                return redirect(url_for(f"{self.endpoint}.show", pk=kasus.id))
        return self.render_template("kasus/start.html", form=form, title=_l("Start a case"))

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        # FAB's _show, with the case loaded once; everything the page lists comes in one query per
        # kind of row (history with its users, attachments, people, documents), never one per row.
        kasus = self.datamodel.get(pk, self._base_filters)
        if kasus is None:
            abort(404)
        widgets = self._get_show_widget(pk, kasus)
        self.update_redirect()
        from app.mutasi.operations import permohonan_kasus
        from app.penilaian.operations import kegiatan_kasus

        panel = case_panel(kasus, g.user)
        transitions = panel["transitions"]
        return self.render_template(
            self.show_template, pk=pk, title=self.show_title, widgets=widgets, related_views=self._related_views,
            riwayat=history(kasus), naskah=case_documents(kasus),
            jenis_lampiran=dokumen.attachment_choices(kasus) if transitions else [],
            nama_jenis=dokumen.agency_kinds(kasus.unit_kerja.instansi_id),
            pegawai_choices=assignable(kasus, g.user) if transitions else [],
            kegiatan=kegiatan_kasus(kasus.id, g.user), permohonan_mutasi=permohonan_kasus(kasus.id, g.user), **panel,
        )  # fmt: skip

    @expose("/konfirmasi/<int:pk>", methods=["GET"])
    @has_access
    def konfirmasi(self, pk):
        """Before a step that initials or signs: the documents it will initial or sign and number, their
        draft PDFs, the confirm button and the return with a note."""
        from app.documents.effects import documents_to_confirm

        kasus = engine.scoped_case(pk, g.user)
        if kasus is None:
            abort(404)
        transitions = engine.open_transitions(kasus, g.user)
        chosen = next((t for t in transitions if t.id == request.args.get("transition") and t.confirm), None)
        if chosen is None:
            flash(_l("No action that initials or signs is open to you on this case now."), "warning")
            return redirect(url_for("KasusView.show", pk=pk))
        return self.render_template(
            "kasus/konfirmasi.html", title=chosen.label, kasus=kasus, transition=chosen,
            step_name=engine.step_name(kasus.sop, kasus.langkah.no),
            dokumen=documents_to_confirm(kasus, kasus.langkah, chosen),
            kembali=next((t for t in transitions if t.id == "kembali"), None),
        )  # fmt: skip

    @expose("/transisi/<int:pk>", methods=["POST"])
    @has_access
    def transisi(self, pk):
        versi = request.form.get("versi", type=bounds.whole)
        if versi is None:  # the case page always sends it; without it a repeated post could move twice
            abort_with(400, _l("The form is incomplete (the case version is missing). "
                               "Reload the case page and try again."))  # fmt: skip
        transition = request.form.get("transition", "")
        try:
            engine.perform(pk, transition, g.user, request.form.get("comment", ""), versi,
                           confirmed=request.form.get("konfirmasi") == "1")  # fmt: skip
        except engine.TransitionError as exc:
            if exc.status == 404:
                abort(404)
            flash(str(exc), "danger")
            if exc.status == 428:
                return redirect(url_for("KasusView.konfirmasi", pk=pk, transition=transition))
        else:
            flash(_l("Done."), "success")
        return back_to_case(pk)

    @expose("/tanggapan/<int:pk>", methods=["POST"])
    @has_access
    def tanggapan(self, pk):
        """A comment by an actor of the current step, or a co-actor's part done."""
        try:
            engine.respond(pk, g.user, request.form.get("jenis", ""), request.form.get("komentar", ""))
        except engine.TransitionError as exc:
            if exc.status == 404:
                abort(404)
            flash(str(exc), "danger")
        else:
            flash(_l("Recorded."), "success")
        return back_to_case(pk)

    @expose("/lampiran/<int:pk>", methods=["POST"])
    @has_access
    def lampiran(self, pk):
        upload = request.files.get("berkas")
        try:
            engine.attach(pk, g.user, request.form.get("jenis", ""), upload.filename if upload else "",
                          upload.mimetype if upload else "", upload.read() if upload else b"")  # fmt: skip
        except engine.TransitionError as exc:
            if exc.status == 404:
                abort(404)
            flash(str(exc), "danger")
        else:
            flash(_l("Document attached."), "success")
        return redirect(url_for("KasusView.show", pk=pk))

    @expose("/petugas/<int:pk>", methods=["POST"])
    @has_access
    def petugas(self, pk):
        """Assign (or, with `hapus`, unassign) a civil servant; only the current step's actor may."""
        try:
            if request.form.get("hapus"):
                engine.unassign(pk, request.form.get("hapus", type=bounds.whole), g.user)
            else:
                pegawai_id = request.form.get("pegawai_id", type=bounds.whole)
                engine.assign(pk, g.user, pegawai_id, request.form.get("peran", ""))
        except engine.TransitionError as exc:
            if exc.status == 404:
                abort(404)
            flash(str(exc), "danger")
        else:
            flash(_l("Assigned people updated."), "success")
        return redirect(url_for("KasusView.show", pk=pk))

    @expose("/berkas/<int:pk>")
    @has_access
    def berkas(self, pk):
        item = engine.scoped_attachment(pk, g.user)
        if item is None:
            abort(404)
        response = make_response(item.isi)
        response.headers["Content-Type"] = item.mime
        safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", item.nama_file)
        response.headers["Content-Disposition"] = f'attachment; filename="{safe_name}"'
        return response

    @action("proses", _l("Complete current step"), _l("Complete the current step of every selected case?"),
            "fa-forward", single=False)  # fmt: skip
    def proses(self, items):
        """Bulk: the forward transition (continue / yes / finish) on each case, with a per-case report."""
        items = items if isinstance(items, list) else [items]
        done, failed = [], []
        for item in items:
            try:
                kasus = engine.scoped_case(item.id, g.user)
                forward = engine.open_transitions(kasus, g.user) if kasus else []
                forward = [t for t in forward if t.id in ("lanjut", "ya", "selesai")]
                if not forward:
                    raise engine.TransitionError(_l("no action of yours is open on this case"), 403)
                engine.perform(item.id, forward[0].id, g.user, seen_versi=kasus.versi)
                done.append(f"#{item.id}")
            except engine.TransitionError as exc:
                failed.append(f"#{item.id}: {exc}")
        if done:
            flash(_l("Completed: %(ids)s", ids=", ".join(done)), "success")
        for line in failed:
            flash(_l("Not completed %(line)s", line=line), "danger")
        return redirect(self.get_redirect())


def back_to(path: str) -> str | None:
    """Where a page that carries the case's buttons (a record that follows the SOP) asked to come back
    to: a path of this app only, never another site."""
    path = (path or "").strip()
    unsafe = any(c.isspace() or not c.isprintable() or c == "\\" for c in path)
    if path.startswith("/") and not path.startswith("//") and not unsafe and len(path) < 500:
        return path
    return None


class TugasSayaView(KasusView):
    """Cases waiting on one of my roles, oldest due first."""

    base_filters = [["id", MyTasksFilter, lambda: None]]
    base_permissions = ["can_list", "can_show"]
    list_title = _l("My Tasks")
    base_order = ("due_at", "asc")
    list_columns = ["id", "judul", "sop", "langkah_tampil", "due_at"]


class TerlambatView(KasusView):
    """Overdue running cases in my scope."""

    base_filters = [["id", OverdueFilter, lambda: None]]
    base_permissions = ["can_list", "can_show"]
    list_title = _l("Overdue")
    base_order = ("due_at", "asc")
    list_columns = ["id", "judul", "sop", "langkah_tampil", "due_at", "unit_kerja"]
