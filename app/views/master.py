"""CRUD views of the master data (Data Induk)."""

from __future__ import annotations

from flask import flash, g, redirect
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import SelectField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from app import nip as nip_mod
from app import scope, uploads
from app.formatting import tanggal, tanggal_waktu
from app.master import operations
from app.models import Instansi, Jabatan, JenisJabatan, LingkupPeran, LoginLog, Pangkat, Pegawai, UnitKerja
from app.models.master import JENIS_JABATAN_LABELS
from app.validators import NoNormalizedDuplicate, UniqueJabatan, UnitParentValidator, nip_field, select_choices
from app.views.base import ScopedModelView
from app.views.export import ExportMixin

CATEGORY = "Data Induk"
# Room for a NIP with spaces or dots between its groups ("19640327.199201.1.002" is 21 characters).


def code_validators(model, duplicate_message) -> list:
    """A short unique code (used in letter numbers and imports)."""
    return [
        DataRequired(),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters, digits, dots, dashes or underscores only.")),
        NoNormalizedDuplicate(model, "kode", duplicate_message),
    ]


CATEGORY_LABEL = _l("Master Data")


class InstansiInterface(SQLAInterface):
    """FAB deletes a row's image files before the commit, so a refused delete lost the logo;
    InstansiView deletes the file after the row is gone instead."""

    def _delete_files(self, item):
        pass


class InstansiView(ScopedModelView):
    datamodel = InstansiInterface(Instansi)
    list_title = _l("List of Agencies")
    show_title = _l("Agency")
    add_title = _l("Add Agency")
    edit_title = _l("Edit Agency")
    list_columns = ["kode", "nama", "kota", "kode_surat"]
    search_columns = ["kode", "nama", "kota"]
    order_columns = ["kode", "nama", "kota"]
    add_columns = edit_columns = [
        "kode",
        "nama",
        "kop",
        "alamat",
        "kota",
        "telepon",
        "email",
        "website",
        "logo",
        "kode_surat",
        "nomor_eoffice",
        "libur_cuti_bersama",
    ]
    show_columns = add_columns
    base_order = ("nama", "asc")
    label_columns = {
        "kode": _l("Code"),
        "nama": _l("Name"),
        "kop": _l("Letterhead lines"),
        "alamat": _l("Address"),
        "kota": _l("City"),
        "telepon": _l("Telephone"),
        "email": _l("Email"),
        "website": _l("Website"),
        "logo": _l("Logo"),
        "kode_surat": _l("Unit code in letter numbers"),
        "nomor_eoffice": _l("Letters numbered in the national e-office"),
        "libur_cuti_bersama": _l("Cuti bersama are days off"),
    }
    formatters_columns = {
        "libur_cuti_bersama": lambda v: _l("Yes") if v is not False else _l("No"),
        "nomor_eoffice": lambda v: _l("Yes") if v else _l("No"),
    }
    description_columns = {
        "kop": _l("One line per row, e.g. PEMERINTAH KABUPATEN PEMALANG / BADAN KEPEGAWAIAN DAERAH."),
        "kode_surat": _l("Used in letter numbers, e.g. 800.1.3/123/BKPSDM/2026."),
        "nomor_eoffice": _l(
            "Tick if the agency must number its letters in the national e-office (SRIKANDI): the number it gives "
            "is recorded on each document before signing and printed instead of Penkom's."
        ),
        "libur_cuti_bersama": _l(
            "The government's cuti bersama count as days off in this agency's step deadlines. "
            "Untick if the agency works on them; add its own days off under Extra Days Off."
        ),
    }
    validators_columns = {
        "kode": code_validators(Instansi, _l("This code is already used by another agency.")),
        "nama": [DataRequired(), Length(max=200)],
        "kop": [DataRequired()],
        "email": [Optional(), Email(message=_l("Invalid email address."))],
    }
    # The logo is checked (PNG/JPEG, size, dimensions) and stored under a generated name (app/uploads.py).
    add_form_extra_fields = edit_form_extra_fields = {
        "logo": uploads.LogoUploadField(
            _l("Logo"), description=_l("PNG or JPEG, at most 2 MB; printed on the letterhead of every letter.")
        )
    }

    def post_add(self, item):
        uploads.delete_replaced()

    def post_update(self, item):
        uploads.delete_replaced()  # the old logo goes only now that the row points to the new one

    def pre_delete(self, item):
        super().pre_delete(item)  # refused while units or documents point at the agency
        if item.logo:
            uploads.delete_after_commit(uploads.LogoManager(), item.logo)

    def post_delete(self, item):
        uploads.delete_replaced()


class UnitKerjaView(ExportMixin, ScopedModelView):
    datamodel = SQLAInterface(UnitKerja)
    list_title = _l("List of Work Units")
    show_title = _l("Work Unit")
    add_title = _l("Add Work Unit")
    edit_title = _l("Edit Work Unit")
    list_columns = ["kode", "nama", "induk", "instansi"]
    search_columns = ["kode", "nama", "instansi"]
    quick_search_columns = ["nama", "kode"]
    order_columns = ["kode", "nama"]
    add_columns = edit_columns = show_columns = ["kode", "nama", "instansi", "induk"]
    base_order = ("kode", "asc")
    label_columns = {
        "kode": _l("Code"),
        "nama": _l("Name"),
        "instansi": _l("Agency"),
        "induk": _l("Parent unit"),
    }
    validators_columns = {
        "kode": code_validators(UnitKerja, _l("This code is already used by another unit.")),
        "nama": [DataRequired(), Length(max=200)],
        "instansi": [DataRequired()],
        "induk": [UnitParentValidator()],
    }


class PangkatView(ScopedModelView):
    datamodel = SQLAInterface(Pangkat)
    list_title = _l("List of Ranks and Grades")
    show_title = _l("Rank")
    add_title = _l("Add Rank")
    edit_title = _l("Edit Rank")
    list_columns = ["golongan", "nama"]
    search_columns = ["golongan", "nama"]
    order_columns = ["golongan", "nama"]
    add_columns = edit_columns = show_columns = ["golongan", "nama", "urutan"]
    base_order = ("urutan", "asc")
    label_columns = {"golongan": _l("Grade"), "nama": _l("Rank"), "urutan": _l("Order")}
    validators_columns = {
        "golongan": [
            DataRequired(),
            Regexp(r"^(I|II|III|IV)/[a-e]$", message=_l("Write the grade as I/a ... IV/e.")),
            NoNormalizedDuplicate(Pangkat, "golongan", _l("This grade already exists.")),
        ],
        "nama": [DataRequired()],
        "urutan": [DataRequired()],
    }


class JabatanView(ExportMixin, ScopedModelView):
    """Positions: each agency keeps its own; national (functional) positions are read-only but for
    administrators."""

    datamodel = SQLAInterface(Jabatan)
    list_title = _l("List of Positions")
    show_title = _l("Position")
    add_title = _l("Add Position")
    edit_title = _l("Edit Position")
    list_columns = ["nama", "jenis", "jenjang", "instansi"]
    search_columns = ["nama", "jenis", "jenjang", "instansi"]
    quick_search_columns = ["nama"]
    order_columns = ["nama", "jenis", "jenjang"]
    add_columns = edit_columns = show_columns = ["instansi", "nama", "jenis", "jenjang"]
    base_order = ("nama", "asc")
    label_columns = {"nama": _l("Position name"), "jenis": _l("Kind"), "jenjang": _l("Level (jenjang)"),
                     "instansi": _l("Agency")}  # fmt: skip
    description_columns = {
        "jenjang": _l("For functional positions, e.g. Ahli Muda."),
        "instansi": _l("The agency whose structure has this position; empty: a national position (administrators)."),
    }
    formatters_columns = {"jenis": lambda v: JENIS_JABATAN_LABELS.get(JenisJabatan(v), v) if v else ""}
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis": SelectField(
            _l("Kind"),
            choices=select_choices((k.value, label) for k, label in JENIS_JABATAN_LABELS.items()),
            validators=[DataRequired()],
        )
    }
    validators_columns = {"nama": [DataRequired(), Length(max=200), UniqueJabatan()]}

    def _agency_unless_admin(self, item):
        """Only administrators keep national positions (no agency); everyone else adds their agency's."""
        if item.instansi_id is None and item.instansi is None and not scope.reach().admin:
            raise ValueError(_l("Choose the agency whose structure has this position."))

    pre_add = pre_update = _agency_unless_admin


class PegawaiView(ExportMixin, ScopedModelView):
    datamodel = SQLAInterface(Pegawai)
    show_template = "master/pegawai_show.html"
    list_title = _l("List of Civil Servants")
    show_title = _l("Civil Servant")
    add_title = _l("Add Civil Servant")
    edit_title = _l("Edit Civil Servant")
    list_columns = ["nip", "nama_lengkap", "pangkat", "jabatan", "unit_kerja"]
    search_columns = ["nip", "nama", "pangkat", "jabatan", "unit_kerja", "aktif"]
    quick_search_columns = ["nama", "nip"]
    order_columns = ["nip", "nama_lengkap"]
    add_columns = edit_columns = [
        "nip",
        "gelar_depan",
        "nama",
        "gelar_belakang",
        "pangkat",
        "jabatan",
        "unit_kerja",
        "tmt_pangkat",
        "tmt_jabatan",
        "email",
        "telepon",
        "aktif",
    ]
    show_columns = [
        "nip",
        "nama_lengkap",
        "pangkat",
        "jabatan",
        "unit_kerja",
        "tmt_pangkat",
        "tmt_jabatan",
        "email",
        "telepon",
        "aktif",
    ]
    base_order = ("nama", "asc")
    page_size = 25
    label_columns = {
        "nip": _l("NIP"),
        "gelar_depan": _l("Title before name"),
        "nama": _l("Name"),
        "nama_lengkap": _l("Name"),
        "gelar_belakang": _l("Title after name"),
        "pangkat": _l("Rank/Grade"),
        "jabatan": _l("Position"),
        "unit_kerja": _l("Work Unit"),
        "tmt_pangkat": _l("In current rank since (TMT)"),
        "tmt_jabatan": _l("In current position since (TMT)"),
        "email": _l("Email"),
        "telepon": _l("Telephone"),
        "aktif": _l("Active"),
    }
    description_columns = {
        "gelar_depan": _l("e.g. Drs., Dr., Ir."),
        "gelar_belakang": _l("e.g. S.Psi., M.Si., Psikolog"),
    }
    formatters_columns = {
        "nip": lambda v: Markup('<span class="nip">%s</span>') % nip_mod.format_nip(v),
        "tmt_pangkat": tanggal,
        "tmt_jabatan": tanggal,
    }
    add_form_extra_fields = edit_form_extra_fields = {"nip": nip_field(_l("NIP"), Pegawai)}
    validators_columns = {
        "nama": [DataRequired(), Length(max=150)],
        "unit_kerja": [DataRequired()],
        "email": [Optional(), Email(message=_l("Invalid email address."))],
    }

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """The civil servant, with their assessment history (results in the caller's scope, and expiry)."""
        from app.penilaian.hasil import KATEGORI_LABELS
        from app.penilaian.operations import hari_ini, riwayat_pegawai

        widgets = self._show(pk)
        return self.render_template(
            self.show_template, pk=pk, title=self.show_title, widgets=widgets, related_views=self._related_views,
            riwayat=riwayat_pegawai(int(pk), g.user), hari_ini=hari_ini(), kategori=KATEGORI_LABELS,
        )  # fmt: skip

    @action(
        "nonaktifkan",
        _l("Deactivate"),
        _l("Mark the selected civil servants as inactive?"),
        "fa-user-slash",
    )
    def nonaktifkan(self, items):
        items = items if isinstance(items, list) else [items]
        changed, refused = operations.nonaktifkan_pegawai(item.id for item in items)
        flash(_l("%(n)d civil servant(s) marked inactive.", n=changed), "success")
        if refused:
            flash(_l("%(n)d row(s) are outside your work unit and were not changed.", n=refused), "warning")
        return redirect(self.get_redirect())


class LoginLogView(ScopedModelView):
    """Successful and failed logins, for administrators."""

    datamodel = SQLAInterface(LoginLog)
    base_permissions = ["can_list", "can_show"]
    list_title = _l("Login Log")
    show_title = _l("Login attempt")
    list_columns = ["waktu", "username", "berhasil", "alamat_ip", "saluran"]
    show_columns = list_columns
    search_columns = ["username", "berhasil", "alamat_ip", "waktu", "saluran"]
    order_columns = ["waktu", "username", "berhasil"]
    base_order = ("waktu", "desc")
    label_columns = {
        "waktu": _l("Time"),
        "username": _l("Username"),
        "berhasil": _l("Successful"),
        "alamat_ip": _l("IP address"),
        "saluran": _l("Channel"),
    }
    formatters_columns = {"waktu": tanggal_waktu}


LINGKUP_LABELS = {"sendiri": _l("Own records only (people outside the agency)")}


class LingkupPeranView(ScopedModelView):
    """Roles whose holders see only the records they started (administrators)."""

    datamodel = SQLAInterface(LingkupPeran)
    list_title = _l("Role Scope")
    show_title = _l("Role Scope")
    add_title = _l("Add Role Scope")
    edit_title = _l("Edit Role Scope")
    list_columns = add_columns = edit_columns = show_columns = ["role", "lingkup"]
    search_columns = ["role"]
    label_columns = {"role": _l("Role"), "lingkup": _l("Scope")}
    description_columns = {
        "lingkup": _l("Holders see only the cases they started, their files and signed documents; the role loses "
                      "drafting permissions."),
    }  # fmt: skip
    formatters_columns = {"lingkup": lambda v: str(LINGKUP_LABELS.get(v, v))}
    add_form_extra_fields = edit_form_extra_fields = {
        "lingkup": SelectField(_l("Scope"), choices=select_choices(LINGKUP_LABELS.items()), validators=[DataRequired()])
    }
    validators_columns = {"role": [DataRequired()]}

    def pre_add(self, item):
        """Penkom's own roles keep their permissions: making one "own records only" would strip them."""
        from app.roles import outside_party_refusal

        refusal = outside_party_refusal(self.appbuilder.sm, item.role) if item.role is not None else None
        if refusal:
            raise ValueError(refusal)

    pre_update = pre_add

    def post_add(self, item):
        from app.roles import mark_outside_party

        mark_outside_party(self.appbuilder.sm, item.role.name)

    post_update = post_add
