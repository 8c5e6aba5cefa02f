"""Competency assessment screens (menu "Penilaian"): events with their team, waves, sessions, matrix,
participants, assignment and results; participants with their intake; the assessor's own score sheets;
the assessor meeting; stored results; and the reference data (dictionary, potential aspects, methods,
standards, rules, assessor register). Thin: each POST parses the form and calls one operation of
`app.penilaian.operations`; every row comes through the scope module."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, g, make_response, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError
from wtforms.validators import Optional as OptionalV

from app import bounds, scope
from app import nip as nip_mod
from app.extensions import db
from app.formatting import tanggal, tanggal_waktu
from app.models import (
    AnggotaTim,
    AspekPotensi,
    AturanPenilaian,
    BerkasPeserta,
    Hasil,
    Instansi,
    Jabatan,
    KegiatanPenilaian,
    Kompetensi,
    LevelKompetensi,
    Metode,
    Penugasan,
    Peserta,
    RegisterAsesor,
    Sesi,
    SkalaPotensi,
    StandarBawaan,
    StandarKompetensi,
    TingkatMetode,
    UnitKerja,
)
from app.models.master import JENIS_JABATAN_LABELS
from app.models.penilaian import (
    JENIS_ASESOR_LABELS,
    JENIS_BERKAS_LABELS,
    JENIS_KOMPETENSI_LABELS,
    PERAN_TIM_LABELS,
    RUMUS_LABELS,
    STATUS_KEGIATAN_LABELS,
    STATUS_LEMBAR_LABELS,
    TUJUAN_LABELS,
    PeranTim,
)
from app.penilaian import hasil as calc
from app.penilaian import (
    hooks,  # noqa: F401  (registers the assessment steps in the workflow hooks)
    impor,
)
from app.penilaian import operations as ops
from app.validators import select_choices
from app.views.base import ScopedModelView
from app.views.export import ExportMixin
from app.views.impor import ImporPesertaMixin, xlsx_response
from app.workflow import engine

CATEGORY = "Penilaian"
CATEGORY_LABEL = _l("Assessment")
PREDIKAT_KINERJA = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]


def _label(mapping):
    return lambda v: str(mapping.get(v, v)) if v else ""


def _dash(v) -> str:
    """An empty relation or value as a dash, never "None"."""
    return "—" if v is None or v == "" else str(v)


def _yes_no(v) -> str:
    return str(_l("yes") if v else _l("no"))


def _level(v) -> str:
    return f"{v:g}".replace(".", ",") if isinstance(v, int | float) else ("" if v is None else str(v))


def _persen(v) -> str:
    return f"{v:.2f}".replace(".", ",") if isinstance(v, int | float) else ""


def _jam(value: str) -> dt.datetime | None:
    """A `datetime-local` input in the office time zone, as naive UTC (how times are stored)."""
    try:
        local = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return local.replace(tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)


_int = bounds.whole  # a number typed into the form; None when it is none or beyond the database's range


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _refused(exc: ops.PenilaianError):
    """404 for what the caller may not see; a flash message for everything else."""
    if exc.status == 404:
        abort(404)
    flash(str(exc), "danger")


class LevelOnScale:
    """A level on the 1–5 scale (half steps allowed)."""

    def __call__(self, form, field):
        if field.data is not None and not calc.level_sah(field.data):
            raise ValidationError(_l("A level is a number from 1 to 5 in steps of 0.5."))


def _agency_unless_admin(item):
    if (
        getattr(item, "instansi_id", None) is None
        and getattr(item, "instansi", None) is None
        and not scope.reach().admin
    ):
        raise ValueError(_l("Choose your agency; national reference data is kept by administrators."))


# -- reference data ------------------------------------------------------------------------------------


class LevelKompetensiView(ScopedModelView):
    datamodel = SQLAInterface(LevelKompetensi)
    list_title = show_title = _l("Competency Levels")
    add_title = _l("Add Competency Level")
    edit_title = _l("Edit Competency Level")
    list_columns = ["kompetensi", "level", "deskripsi"]
    show_columns = add_columns = edit_columns = ["kompetensi", "level", "deskripsi", "indikator"]
    search_columns = ["kompetensi", "level"]
    order_columns = ["level"]
    base_order = ("level", "asc")
    label_columns = {
        "kompetensi": _l("Competency"),
        "level": _l("Level"),
        "deskripsi": _l("Description"),
        "indikator": _l("Behavioural indicators (one per line)"),
    }
    validators_columns = {
        "level": [DataRequired(), NumberRange(min=1, max=5, message=_l("Levels run from 1 to 5."))],
        "deskripsi": [DataRequired()],
    }


class KompetensiView(ScopedModelView):
    """The competency dictionary: national managerial and socio-cultural competencies (administrators) and
    each agency's technical ones."""

    datamodel = SQLAInterface(Kompetensi)
    list_title = _l("Competency Dictionary")
    show_title = _l("Competency")
    add_title = _l("Add Competency")
    edit_title = _l("Edit Competency")
    related_views = [LevelKompetensiView]
    list_columns = ["kode", "nama", "jenis", "instansi", "jabatan", "aktif"]
    show_columns = ["kode", "nama", "jenis", "definisi", "instansi", "jabatan", "urutan", "aktif"]
    add_columns = edit_columns = show_columns
    search_columns = ["kode", "nama", "jenis", "instansi", "aktif"]
    order_columns = ["kode", "nama", "urutan"]
    base_order = ("urutan", "asc")
    label_columns = {
        "kode": _l("Code"),
        "nama": _l("Name"),
        "jenis": _l("Kind"),
        "definisi": _l("Definition"),
        "instansi": _l("Agency"),
        "jabatan": _l("Position"),
        "urutan": _l("Order"),
        "aktif": _l("Active"),
    }
    description_columns = {
        "instansi": _l(
            "Empty: national (managerial, socio-cultural), kept by administrators; technical competencies "
            "belong to an agency."
        ),
        "jabatan": _l("For a technical competency of one position."),
    }
    formatters_columns = {
        "jenis": _label(JENIS_KOMPETENSI_LABELS),
        "instansi": _dash,
        "jabatan": _dash,
        "aktif": _yes_no,
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis": SelectField(
            _l("Kind"),
            validators=[DataRequired()],
            choices=select_choices((k.value, v) for k, v in JENIS_KOMPETENSI_LABELS.items()),
        )
    }
    validators_columns = {"kode": [DataRequired(), Length(max=20)], "nama": [DataRequired(), Length(max=150)]}

    def _unique(self, item):
        _agency_unless_admin(item)
        instansi_id = item.instansi.id if item.instansi else item.instansi_id
        query = select(Kompetensi.id).where(Kompetensi.kode == (item.kode or "").strip())
        query = query.where(
            Kompetensi.instansi_id.is_(None) if instansi_id is None else Kompetensi.instansi_id == instansi_id
        )
        owner = db.session.execute(query).scalar()
        if owner is not None and owner != item.id:
            raise ValueError(_l("This code is already used in the dictionary."))

    pre_add = pre_update = _unique


class AspekPotensiView(ScopedModelView):
    datamodel = SQLAInterface(AspekPotensi)
    list_title = _l("Potential Aspects")
    show_title = _l("Potential Aspect")
    add_title = _l("Add Potential Aspect")
    edit_title = _l("Edit Potential Aspect")
    list_columns = ["kode", "nama", "aktif"]
    show_columns = add_columns = edit_columns = ["kode", "nama", "definisi", "indikator", "urutan", "aktif"]
    search_columns = ["kode", "nama"]
    base_order = ("urutan", "asc")
    label_columns = {
        "kode": _l("Code"),
        "nama": _l("Name"),
        "definisi": _l("Definition"),
        "indikator": _l("Behavioural indicators (one per line)"),
        "urutan": _l("Order"),
        "aktif": _l("Active"),
    }
    formatters_columns = {"aktif": _yes_no}
    validators_columns = {"kode": [DataRequired(), Length(max=10)], "nama": [DataRequired()]}


class SkalaPotensiView(ScopedModelView):
    datamodel = SQLAInterface(SkalaPotensi)
    list_title = show_title = _l("Potential Rating Scale")
    add_title = _l("Add Potential Rating")
    edit_title = _l("Edit Potential Rating")
    list_columns = show_columns = ["nilai", "kode", "nama", "keterangan"]
    add_columns = edit_columns = list_columns
    search_columns = ["kode", "nama"]
    base_order = ("nilai", "asc")
    label_columns = {"nilai": _l("Rating"), "kode": _l("Code"), "nama": _l("Name"), "keterangan": _l("Meaning")}
    validators_columns = {"nilai": [DataRequired(), NumberRange(min=1, max=5)], "kode": [DataRequired()]}


class TingkatMetodeView(ScopedModelView):
    datamodel = SQLAInterface(TingkatMetode)
    list_title = show_title = _l("Method Tiers")
    add_title = _l("Add Method Tier")
    edit_title = _l("Edit Method Tier")
    list_columns = ["nama", "keterangan"]
    show_columns = add_columns = edit_columns = ["kode", "nama", "keterangan", "urutan"]
    search_columns = ["kode", "nama"]
    base_order = ("urutan", "asc")
    label_columns = {"kode": _l("Code"), "nama": _l("Name"), "keterangan": _l("Description"), "urutan": _l("Order")}
    validators_columns = {"kode": [DataRequired()], "nama": [DataRequired()]}


class MetodeView(ScopedModelView):
    datamodel = SQLAInterface(Metode)
    list_title = _l("Methods and Simulations")
    show_title = _l("Method")
    add_title = _l("Add Method")
    edit_title = _l("Edit Method")
    list_columns = ["nama", "tingkat", "durasi_menit", "aktif"]
    show_columns = ["kode", "nama", "tingkat", "deskripsi", "durasi_menit", "kompetensi", "potensi", "aktif"]
    add_columns = edit_columns = show_columns
    search_columns = ["kode", "nama", "tingkat", "aktif"]
    base_order = ("nama", "asc")
    formatters_columns = {"aktif": _yes_no, "tingkat": _dash, "durasi_menit": _dash}
    label_columns = {
        "kode": _l("Code"),
        "nama": _l("Name"),
        "tingkat": _l("Tier"),
        "deskripsi": _l("Description"),
        "durasi_menit": _l("Duration (minutes)"),
        "kompetensi": _l("Competencies it usually measures"),
        "potensi": _l("Potential aspects it shows"),
        "aktif": _l("Active"),
    }
    validators_columns = {
        "kode": [DataRequired(), Length(max=40)],
        "nama": [DataRequired()],
        "durasi_menit": [OptionalV(), NumberRange(min=1, max=1440)],
    }


class StandarBawaanView(ScopedModelView):
    datamodel = SQLAInterface(StandarBawaan)
    list_title = show_title = _l("Default Standard Levels")
    add_title = _l("Add Default Standard Level")
    edit_title = _l("Edit Default Standard Level")
    list_columns = ["jenis", "jenjang", "level", "keterangan"]
    show_columns = add_columns = edit_columns = list_columns
    search_columns = ["jenis", "jenjang"]
    base_order = ("jenis", "asc")
    label_columns = {
        "jenis": _l("Kind of position"),
        "jenjang": _l("Level (jenjang)"),
        "level": _l("Standard level"),
        "keterangan": _l("Notes"),
    }
    description_columns = {"jenjang": _l("Only for functional positions, e.g. Ahli Muda; empty for the others.")}
    formatters_columns = {"jenis": _label(JENIS_JABATAN_LABELS), "level": _level}
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis": SelectField(
            _l("Kind of position"),
            validators=[DataRequired()],
            choices=select_choices((k.value, v) for k, v in JENIS_JABATAN_LABELS.items()),
        )
    }
    validators_columns = {"level": [DataRequired(), LevelOnScale()]}


class StandarKompetensiView(ScopedModelView):
    """The required level per position × competency (overrides the default of the position's kind)."""

    datamodel = SQLAInterface(StandarKompetensi)
    list_title = _l("Position Competency Standards")
    show_title = _l("Position Competency Standard")
    add_title = _l("Add Position Competency Standard")
    edit_title = _l("Edit Position Competency Standard")
    list_columns = ["jabatan", "kompetensi", "level"]
    show_columns = add_columns = edit_columns = ["jabatan", "kompetensi", "level"]
    search_columns = ["jabatan", "kompetensi"]
    label_columns = {"jabatan": _l("Position"), "kompetensi": _l("Competency"), "level": _l("Standard level")}
    description_columns = {"level": _l("1 to 5; without a row here the default of the position's kind applies.")}
    formatters_columns = {"level": _level}
    validators_columns = {
        "jabatan": [DataRequired()],
        "kompetensi": [DataRequired()],
        "level": [DataRequired(), LevelOnScale()],
    }

    def _check(self, item):
        if item.jabatan is not None and not scope.reach().admin and item.jabatan.instansi_id is None:
            raise ValueError(_l("Standards of national positions are kept by administrators."))
        owner = db.session.execute(
            select(StandarKompetensi.id).where(
                StandarKompetensi.jabatan_id == item.jabatan.id, StandarKompetensi.kompetensi_id == item.kompetensi.id
            )
        ).scalar()
        if owner is not None and owner != item.id:
            raise ValueError(_l("This position already has a standard for this competency."))

    pre_add = pre_update = _check


class AturanPenilaianView(ScopedModelView):
    """Rules and thresholds per agency; the row without an agency is the national default."""

    datamodel = SQLAInterface(AturanPenilaian)
    list_title = _l("Assessment Rules")
    show_title = _l("Assessment Rules")
    add_title = _l("Add Assessment Rules")
    edit_title = _l("Edit Assessment Rules")
    list_columns = ["instansi", "rumus_jpm", "pengisian_ms_min", "pemetaan_optimal_min", "maks_peserta_per_asesor"]
    fields = [
        "instansi",
        "maks_peserta_gelombang",
        "maks_peserta_per_asesor",
        "maks_peserta_per_admin",
        "min_asesor_per_peserta",
        "min_metode_per_kompetensi",
        "setengah_level",
        "ambang_sebaran",
        "rumus_jpm",
        "bobot_kompetensi",
        "bobot_potensi",
        "pengisian_ms_min",
        "pengisian_mms_min",
        "pemetaan_optimal_min",
        "pemetaan_cukup_min",
        "skema_seleksi_jpt",
        "skema_mutasi",
        "potensi_menengah_min",
        "potensi_tinggi_min",
        "predikat_kinerja_tinggi",
        "predikat_kinerja_sesuai",
        "masa_berlaku_tahun",
        "umpan_balik_segera",
        "umpan_balik_jeda_tahun",
        "butir_qc",
    ]
    show_columns = add_columns = edit_columns = fields
    search_columns = ["instansi"]
    label_columns = {
        "instansi": _l("Agency"),
        "butir_qc": _l("Report QC checklist (one item per line)"),
        "maks_peserta_gelombang": _l("Participants per wave (at most)"),
        "maks_peserta_per_asesor": _l("Participants per assessor in a session (at most)"),
        "maks_peserta_per_admin": _l("Participants per assessor administrator (at most)"),
        "min_asesor_per_peserta": _l("Different assessors per participant (at least)"),
        "min_metode_per_kompetensi": _l("Methods per competency (at least)"),
        "setengah_level": _l("Half levels allowed (e.g. 2.5)"),
        "ambang_sebaran": _l("Spread that needs discussion (levels apart)"),
        "rumus_jpm": _l("JPM formula"),
        "bobot_kompetensi": _l("Weight of competency (blend)"),
        "bobot_potensi": _l("Weight of potential (blend)"),
        "pengisian_ms_min": _l("Filling a position: MS from JPM"),
        "pengisian_mms_min": _l("Filling a position: MMS from JPM"),
        "pemetaan_optimal_min": _l("Mapping: Optimal from JPM"),
        "pemetaan_cukup_min": _l("Mapping: Cukup Optimal from JPM"),
        "skema_seleksi_jpt": _l("Categories of an open JPT selection"),
        "skema_mutasi": _l("Categories of a transfer"),
        "potensi_menengah_min": _l("Potential: medium from score"),
        "potensi_tinggi_min": _l("Potential: high from score"),
        "predikat_kinerja_tinggi": _l("SKP predikat above expectations"),
        "predikat_kinerja_sesuai": _l("SKP predikat as expected"),
        "masa_berlaku_tahun": _l("Results valid (years)"),
        "umpan_balik_segera": _l("Feedback in the year of assessment for"),
        "umpan_balik_jeda_tahun": _l("Feedback for other positions after (years)"),
    }
    description_columns = {
        "instansi": _l("Empty: the national default (administrators); an agency's row overrides it for that agency."),
        "pengisian_ms_min": _l("JPM in %, two decimals; a JPM equal to the bound belongs to the upper category."),
        "potensi_menengah_min": _l(
            "Mean of the potential ratings (1–5); a score equal to the bound takes the upper "
            "class. The nine-box uses these classes."
        ),
        "predikat_kinerja_tinggi": _l("Comma-separated; any other predikat counts as below expectations."),
        "bobot_kompetensi": _l("Only for the blended formula; potential counts as mean ÷ 5 × 100."),
        "umpan_balik_segera": _l(
            "Kinds of position, comma-separated (jpt_utama, jpt_madya, jpt_pratama, administrator, pengawas, "
            "pelaksana, fungsional); participants in other positions get feedback on request from the year "
            "given below."
        ),
    }
    formatters_columns = {
        "instansi": lambda v: str(v) if v else str(_l("National default")),
        "setengah_level": _yes_no,
        "rumus_jpm": _label(RUMUS_LABELS),
        "skema_seleksi_jpt": _label(calc.SKEMA_LABELS),
        "skema_mutasi": _label(calc.SKEMA_LABELS),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "rumus_jpm": SelectField(
            _l("JPM formula"), choices=select_choices((k.value, v) for k, v in RUMUS_LABELS.items())
        ),
        "skema_seleksi_jpt": SelectField(
            _l("Categories of an open JPT selection"), choices=select_choices(calc.SKEMA_LABELS.items())
        ),
        "skema_mutasi": SelectField(_l("Categories of a transfer"), choices=select_choices(calc.SKEMA_LABELS.items())),
    }
    validators_columns = {
        **{
            name: [DataRequired(), NumberRange(min=1, max=1000)]
            for name in (
                "maks_peserta_gelombang",
                "maks_peserta_per_asesor",
                "maks_peserta_per_admin",
                "min_asesor_per_peserta",
                "min_metode_per_kompetensi",
                "masa_berlaku_tahun",
            )
        },
        **{
            name: [DataRequired(), NumberRange(min=0, max=100)]
            for name in ("pengisian_ms_min", "pengisian_mms_min", "pemetaan_optimal_min", "pemetaan_cukup_min")
        },
        **{name: [OptionalV(), NumberRange(min=0, max=100)] for name in ("bobot_kompetensi", "bobot_potensi")},
        **{
            name: [DataRequired(), NumberRange(min=1, max=5)] for name in ("potensi_menengah_min", "potensi_tinggi_min")
        },
        "ambang_sebaran": [DataRequired(), NumberRange(min=0.5, max=4)],
        "umpan_balik_jeda_tahun": [OptionalV(), NumberRange(min=0, max=10)],
        "umpan_balik_segera": [OptionalV(), Length(max=200)],
    }

    def _check(self, item):
        _agency_unless_admin(item)
        if item.pengisian_mms_min > item.pengisian_ms_min or item.pemetaan_cukup_min > item.pemetaan_optimal_min:
            raise ValueError(_l("A lower category cannot start above the higher one."))
        if item.potensi_menengah_min > item.potensi_tinggi_min:
            raise ValueError(_l("The medium potential bound cannot be above the high one."))
        from app.penilaian import umpan_balik

        unknown = umpan_balik.jenis_tidak_dikenal(item.umpan_balik_segera)
        if unknown:
            raise ValueError(_l("Unknown kind of position: %(kinds)s.", kinds=", ".join(unknown)))
        instansi_id = item.instansi.id if item.instansi else None
        query = select(AturanPenilaian.id).where(
            AturanPenilaian.instansi_id.is_(None) if instansi_id is None else AturanPenilaian.instansi_id == instansi_id
        )
        owner = db.session.execute(query).scalar()
        if owner is not None and owner != item.id:
            raise ValueError(_l("These rules already exist; edit that row."))

    pre_add = pre_update = _check


class RegisterAsesorView(ScopedModelView):
    """Who an agency counts as a qualified assessor."""

    datamodel = SQLAInterface(RegisterAsesor)
    list_title = _l("Assessor Register")
    show_title = _l("Registered Assessor")
    add_title = _l("Register an Assessor")
    edit_title = _l("Edit Registered Assessor")
    list_columns = ["pegawai", "jenis", "jenjang", "nomor_sertifikat", "berlaku_sampai", "aktif", "instansi"]
    show_columns = add_columns = edit_columns = [
        "instansi",
        "pegawai",
        "jenis",
        "jenjang",
        "nomor_sertifikat",
        "berlaku_sampai",
        "aktif",
    ]
    search_columns = ["pegawai", "jenis", "aktif", "instansi"]
    label_columns = {
        "instansi": _l("Agency"),
        "pegawai": _l("Civil Servant"),
        "jenis": _l("Kind"),
        "jenjang": _l("Level (jenjang)"),
        "nomor_sertifikat": _l("Certificate number"),
        "berlaku_sampai": _l("Valid until"),
        "aktif": _l("Active"),
    }
    description_columns = {
        "pegawai": _l("An external assessor is recorded as a civil servant of any unit first (Master Data)."),
        "jenjang": _l("For an Asesor SDM Aparatur: Ahli Pertama, Ahli Muda, Ahli Madya or Ahli Utama."),
    }
    formatters_columns = {
        "jenis": _label(JENIS_ASESOR_LABELS),
        "berlaku_sampai": tanggal,
        "aktif": _yes_no,
        "jenjang": _dash,
        "nomor_sertifikat": _dash,
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis": SelectField(
            _l("Kind"),
            validators=[DataRequired()],
            choices=select_choices((k.value, v) for k, v in JENIS_ASESOR_LABELS.items()),
        )
    }
    validators_columns = {"instansi": [DataRequired()], "pegawai": [DataRequired()]}

    def _unique(self, item):
        owner = db.session.execute(
            select(RegisterAsesor.id).where(
                RegisterAsesor.instansi_id == item.instansi.id, RegisterAsesor.pegawai_id == item.pegawai.id
            )
        ).scalar()
        if owner is not None and owner != item.id:
            raise ValueError(_l("This civil servant is already in the agency's register."))

    pre_add = pre_update = _unique


# -- events -------------------------------------------------------------------------------------------


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


class KegiatanPenilaianView(ImporPesertaMixin, ExportMixin, ScopedModelView):
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
        if form.validate_on_submit():
            try:
                item = ops.buat_kegiatan(
                    g.user,
                    form.nama.data,
                    form.tujuan.data,
                    unit_kerja_id=form.unit.data,
                    jabatan_target_id=form.jabatan_target.data or None,
                    instansi_peminta_id=form.instansi_peminta.data or None,
                    tempat=form.tempat.data,
                    tanggal_mulai=form.tanggal_mulai.data,
                    tanggal_selesai=form.tanggal_selesai.data,
                )
            except ops.PenilaianError as exc:
                flash(str(exc), "danger")
            else:
                flash(_l("Event created; set its team, methods, sessions and participants."), "success")
                return self._back(item.id)
        fields = [
            form.nama,
            form.tujuan,
            form.unit,
            form.jabatan_target,
            form.instansi_peminta,
            form.tempat,
            form.tanggal_mulai,
            form.tanggal_selesai,
        ]
        return self.render_template(
            "penilaian/form.html",
            form=form,
            fields=fields,
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
        if form.validate_on_submit():
            try:
                ops.ubah_kegiatan(
                    item.id,
                    g.user,
                    nama=form.nama.data,
                    tujuan=form.tujuan.data,
                    tempat=form.tempat.data,
                    tanggal_mulai=form.tanggal_mulai.data,
                    tanggal_selesai=form.tanggal_selesai.data,
                    jabatan_target_id=form.jabatan_target.data or None,
                    instansi_peminta_id=form.instansi_peminta.data or None,
                )
            except ops.PenilaianError as exc:
                db.session.rollback()
                _refused(exc)
            else:
                flash(_l("Saved."), "success")
                return self._back(item.id)
        fields = [
            form.nama,
            form.tujuan,
            form.jabatan_target,
            form.instansi_peminta,
            form.tempat,
            form.tanggal_mulai,
            form.tanggal_selesai,
        ]
        return self.render_template(
            "penilaian/form.html",
            form=form,
            fields=fields,
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

    # team, waves, sessions
    @expose("/tim/<int:pk>", methods=["POST"])
    @has_access
    def tim(self, pk):
        try:
            if request.form.get("hapus"):
                ops.hapus_anggota(_int(request.form.get("hapus")), g.user)
            else:
                ops.tambah_anggota(pk, g.user, _int(request.form.get("pegawai_id")), request.form.get("peran", ""))
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Team updated."), "success")
        return self._back(pk, "#tim")

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
                    _date(form.get("tanggal_mulai")),
                    _date(form.get("tanggal_selesai")),
                    form.get("tempat", ""),
                )
            elif form.get("aksi") == "ubah_gelombang":
                ops.ubah_gelombang(
                    _int(form.get("gelombang_id")),
                    g.user,
                    _date(form.get("tanggal_mulai")),
                    _date(form.get("tanggal_selesai")),
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

    # participants
    @expose("/peserta/<int:pk>", methods=["POST"])
    @has_access
    def peserta(self, pk):
        form = request.form
        data = ops.DataPeserta(
            nip=form.get("nip", ""),
            nama=form.get("nama", ""),
            gelar_depan=form.get("gelar_depan", ""),
            gelar_belakang=form.get("gelar_belakang", ""),
            golongan=form.get("golongan", ""),
            instansi=form.get("instansi", ""),
            unit=form.get("unit", ""),
            pegawai_id=_int(form.get("pegawai_id")),
            jabatan_id=_int(form.get("jabatan_id")),
            gelombang_id=_int(form.get("gelombang_id")),
            predikat_kinerja=form.get("predikat_kinerja", ""),
        )
        try:
            added = ops.tambah_peserta(pk, g.user, data)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Participant %(name)s added.", name=added.nama_lengkap), "success")
        return self._back(pk, "#peserta")

    @expose("/kehadiran/<int:pk>", methods=["GET", "POST"])
    @has_access
    def kehadiran(self, pk):
        session = scope.get(Sesi, pk, g.user)
        if session is None:
            abort(404)
        if request.method == "POST":
            try:
                n = ops.catat_kehadiran(pk, g.user, [i for i in (_int(v) for v in request.form.getlist("hadir")) if i])
            except ops.PenilaianError as exc:
                db.session.rollback()
                _refused(exc)
            else:
                flash(_l("Attendance saved: %(n)d present.", n=n), "success")
                return self._back(session.gelombang.kegiatan_id, "#jadwal")
        members = (
            db.session.execute(
                scope.scoped(Peserta, g.user)
                .where(Peserta.gelombang_id == session.gelombang_id)
                .order_by(Peserta.nomor)
            )
            .scalars()
            .all()
        )
        return self.render_template(
            "penilaian/kehadiran.html",
            sesi=session,
            peserta=members,
            hadir=ops.kehadiran(pk, g.user),
            label=ops.sesi_label(session),
            title=_l("Attendance"),
        )

    # assignment
    @expose("/penugasan/<int:pk>", methods=["GET", "POST"])
    @has_access
    def penugasan(self, pk):
        item = self._item(pk)
        if not ops.boleh_kelola(item, g.user, ketua_boleh=True):
            abort(403)
        if request.method == "POST":
            cells = {}
            for key, value in request.form.items():
                match = re.fullmatch(r"a_(\d+)_(\d+)", key)
                if match:
                    cells[(int(match.group(1)), int(match.group(2)))] = _int(value)
            try:
                n = ops.atur_penugasan(pk, g.user, cells)
            except ops.PenilaianError as exc:
                db.session.rollback()
                _refused(exc)
            else:
                flash(_l("Assignment saved (%(n)d change(s)).", n=n), "success")
                return redirect(url_for("KegiatanPenilaianView.penugasan", pk=pk))
        plan = ops.rancangan(item)
        current = {}
        for t in db.session.execute(select(Penugasan).where(Penugasan.kegiatan_id == item.id)).scalars():
            current[(t.peserta_id, t.metode_id)] = t
        members = ops.peserta_terlihat(item, g.user)
        return self.render_template(
            "penilaian/penugasan.html",
            item=item,
            peserta=members,
            current=current,
            warnings=ops.rules.periksa(plan),
            penilai=[m for m in item.tim if m.peran in ("ketua", "asesor")],
            title=_l("Assignment of assessors"),
        )

    @expose("/otomatis/<int:pk>", methods=["POST"])
    @has_access
    def otomatis(self, pk):
        try:
            n, warnings = ops.atur_otomatis(pk, g.user, _int(request.form.get("gelombang_id")))
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(
                _l("%(n)d assignments made; %(w)d warning(s) remain.", n=n, w=len(warnings)),
                "success" if not warnings else "warning",
            )
        return redirect(url_for("KegiatanPenilaianView.penugasan", pk=pk))

    # results
    @expose("/hasil/<int:pk>", methods=["GET"])
    @has_access
    def hasil(self, pk):
        item = self._item(pk)
        return self.render_template(
            "penilaian/hasil.html",
            item=item,
            hasil=ops.hasil_kegiatan(pk, g.user),
            labels=calc,
            level=_level,
            persen=_persen,
            tanggal=tanggal,
            title=_l("Results"),
        )

    @expose("/unduh/<int:pk>", methods=["GET"])
    @has_access
    def unduh(self, pk):
        self._item(pk)
        return _xlsx(impor.ekspor_hasil(pk, g.user), f"hasil-penilaian-{pk}.xlsx")


_xlsx = xlsx_response  # the results workbook here, the recap in app/views/rekap.py


# -- participants ---------------------------------------------------------------------------------------


class PesertaView(ExportMixin, ScopedModelView):
    datamodel = SQLAInterface(Peserta)
    quick_search_columns = ["nama", "nip", "instansi_nama"]
    export_columns = [
        "nomor",
        "nama_lengkap",
        "nip",
        "pangkat",
        "jabatan",
        "instansi_nama",
        "unit_nama",
        "kegiatan",
        "gelombang",
        "predikat_kinerja",
        "intake_lengkap",
        "terkunci",
    ]
    base_permissions = ["can_list", "can_show", "can_intake", "can_berkas", "can_ubah", "can_hapus"]
    list_title = _l("Participants")
    show_title = _l("Participant")
    show_template = "penilaian/peserta.html"
    list_columns = ["nomor", "nama_lengkap", "nip", "jabatan", "kegiatan", "gelombang", "intake_lengkap", "terkunci"]
    show_columns = [
        "nomor",
        "nama_lengkap",
        "nip",
        "pangkat",
        "jabatan",
        "jabatan_target",
        "instansi_nama",
        "unit_nama",
        "kegiatan",
        "gelombang",
        "predikat_kinerja",
    ]
    search_columns = ["nama", "nip", "kegiatan", "gelombang", "jabatan"]
    order_columns = ["nomor", "nip"]
    base_order = ("nomor", "asc")
    label_columns = {
        "nomor": _l("No."),
        "nama_lengkap": _l("Name"),
        "nama": _l("Name"),
        "nip": _l("NIP"),
        "pangkat": _l("Rank/Grade"),
        "jabatan": _l("Position"),
        "jabatan_target": _l("Position compared with"),
        "instansi_nama": _l("Agency"),
        "unit_nama": _l("Work Unit"),
        "kegiatan": _l("Event"),
        "gelombang": _l("Wave"),
        "predikat_kinerja": _l("Performance rating (SKP)"),
        "intake_lengkap": _l("Intake complete"),
        "terkunci": _l("Result locked"),
    }
    formatters_columns = {
        "nip": nip_mod.format_nip,
        "intake_lengkap": _yes_no,
        "terkunci": _yes_no,
        "pangkat": _dash,
        "jabatan": _dash,
        "jabatan_target": _dash,
        "instansi_nama": _dash,
        "unit_nama": _dash,
        "predikat_kinerja": _dash,
    }

    def _item(self, pk) -> Peserta:
        try:
            return ops.peserta(pk, g.user)
        except ops.PenilaianError:
            abort(404)

    def _back(self, pk):
        return redirect(url_for("PesertaView.show", pk=pk))

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        p = self._item(pk)
        widgets = self._show(pk)
        files = (
            db.session.execute(
                scope.scoped(BerkasPeserta, g.user).where(BerkasPeserta.peserta_id == p.id).order_by(BerkasPeserta.id)
            )
            .scalars()
            .all()
        )
        sheets = (
            db.session.execute(
                scope.scoped(Penugasan, g.user).where(Penugasan.peserta_id == p.id).order_by(Penugasan.metode_id)
            )
            .scalars()
            .all()
        )
        item = p.kegiatan
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=[],
            p=p,
            files=files,
            sheets=sheets,
            berkas_labels=JENIS_BERKAS_LABELS,
            can_admin=_can(ops._admin, item),
            jabatan=db.session.execute(scope.scoped(Jabatan, g.user).order_by(Jabatan.nama)).scalars().all(),
            predikat=PREDIKAT_KINERJA,
            tanggal_waktu=tanggal_waktu,
            status_labels=STATUS_LEMBAR_LABELS,
        )

    @expose("/intake/<int:pk>", methods=["POST"])
    @has_access
    def intake(self, pk):
        try:
            upload = request.files.get("berkas")
            if upload and upload.filename:
                ops.unggah_berkas(
                    pk, g.user, request.form.get("jenis", ""), upload.filename, upload.mimetype, upload.read()
                )
            else:
                ops.atur_intake(
                    pk,
                    g.user,
                    bool(request.form.get("drh")),
                    bool(request.form.get("qcom")),
                    bool(request.form.get("ci")),
                )
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Intake updated."), "success")
        return self._back(pk)

    @expose("/berkas/<int:pk>", methods=["GET"])
    @has_access
    def berkas(self, pk):
        try:
            item = ops.berkas(pk, g.user)
        except ops.PenilaianError:
            abort(404)
        response = make_response(item.isi)
        response.headers["Content-Type"] = item.mime
        safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", item.nama_file)
        response.headers["Content-Disposition"] = f'attachment; filename="{safe_name}"'
        return response

    @expose("/ubah/<int:pk>", methods=["POST"])
    @has_access
    def ubah(self, pk):
        form = request.form
        fields = {}
        if "gelombang_id" in form:
            fields["gelombang_id"] = _int(form.get("gelombang_id"))
        if "jabatan_target_id" in form:
            fields["jabatan_target_id"] = _int(form.get("jabatan_target_id")) or None
        if "predikat_kinerja" in form:
            fields["predikat_kinerja"] = form.get("predikat_kinerja", "")
        try:
            ops.ubah_peserta(pk, g.user, **fields)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Saved."), "success")
        return self._back(pk)

    @expose("/hapus/<int:pk>", methods=["POST"])
    @has_access
    def hapus(self, pk):
        p = self._item(pk)
        kegiatan_id = p.kegiatan_id
        try:
            ops.hapus_peserta(pk, g.user)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
            return self._back(pk)
        flash(_l("Participant removed."), "success")
        return redirect(url_for("KegiatanPenilaianView.show", pk=kegiatan_id) + "#peserta")


def _can(check, item) -> bool:
    try:
        check(item, g.user)
    except ops.PenilaianError:
        return False
    return True


# -- the assessor's own score sheets --------------------------------------------------------------------


def _my_pegawai_id():
    return getattr(g.user, "pegawai_id", None) or -1


class PenilaianSayaView(ScopedModelView):
    """My assignments: the score sheets of the participants assigned to me."""

    datamodel = SQLAInterface(Penugasan)
    base_filters = [["asesor_id", FilterEqualFunction, _my_pegawai_id]]
    base_permissions = ["can_list", "can_show", "can_simpan", "can_kirim"]

    def _mine(self, pk) -> None:
        """404 unless the sheet is one of mine (the list's own filter, not only the row scope)."""
        if self.datamodel.get(pk, self._base_filters) is None:
            abort(404)

    list_title = _l("My Assessments")
    show_title = _l("Score Sheet")
    show_template = "penilaian/lembar.html"
    list_columns = ["peserta", "metode", "kegiatan", "sesi", "status"]
    search_columns = ["peserta", "metode", "kegiatan", "status"]
    order_columns = ["status"]
    base_order = ("id", "asc")
    label_columns = {
        "peserta": _l("Participant"),
        "metode": _l("Method"),
        "kegiatan": _l("Event"),
        "sesi": _l("Session"),
        "status": _l("Status"),
    }
    formatters_columns = {"status": _label(STATUS_LEMBAR_LABELS)}

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        sheet = self.datamodel.get(pk, self._base_filters)
        if sheet is None:
            abort(404)
        given = {n.kompetensi_id: n for n in sheet.nilai}
        files = (
            db.session.execute(scope.scoped(BerkasPeserta, g.user).where(BerkasPeserta.peserta_id == sheet.peserta_id))
            .scalars()
            .all()
        )
        aturan = ops.aturan_kegiatan(sheet.kegiatan)
        steps = [x / 2 for x in range(2, 11)] if aturan.setengah_level else [1, 2, 3, 4, 5]
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            sheet=sheet,
            given=given,
            files=files,
            steps=steps,
            competencies=ops.kompetensi_metode(sheet.kegiatan, sheet.metode_id),
            level=_level,
            started=sheet.kegiatan.status != "rancangan",
            tanggal_waktu=tanggal_waktu,
        )

    @expose("/simpan/<int:pk>", methods=["POST"])
    @has_access
    def simpan(self, pk):
        self._mine(pk)
        form = request.form
        values = {}
        for key in form:
            match = re.fullmatch(r"level_(\d+)", key)
            if match:
                kid = int(match.group(1))
                values[kid] = (form.get(key), form.get(f"bukti_{kid}", ""))
        try:
            ops.simpan_lembar(pk, g.user, values, form.get("catatan"), seen_versi=_int(form.get("versi")))
            if form.get("kirim"):
                ops.kirim_lembar(pk, g.user)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Score sheet submitted and locked.") if form.get("kirim") else _l("Score sheet saved."), "success")
        return redirect(url_for("PenilaianSayaView.show", pk=pk))

    @expose("/kirim/<int:pk>", methods=["POST"])
    @has_access
    def kirim(self, pk):
        self._mine(pk)
        try:
            ops.kirim_lembar(pk, g.user)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Score sheet submitted and locked."), "success")
        return redirect(url_for("PenilaianSayaView.show", pk=pk))


# -- the assessor meeting --------------------------------------------------------------------------------


class MeetingFilter(BaseFilter):
    """The participants whose meeting the caller sits in: all in scope for staff, the ketua's events for an
    assessor who sees only their assignments."""

    name = "Assessor meeting"
    arg_name = "rapat"

    def apply(self, query, value):
        reach = scope.reach()
        if reach.admin or not reach.assigned_only:
            return query
        chaired = select(AnggotaTim.kegiatan_id).where(
            AnggotaTim.pegawai_id == _my_pegawai_id(), AnggotaTim.peran == PeranTim.KETUA.value
        )
        return query.filter(Peserta.kegiatan_id.in_(chaired))


class IntegrasiView(ScopedModelView):
    datamodel = SQLAInterface(Peserta)
    base_filters = [["id", MeetingFilter, lambda: None]]
    base_permissions = [
        "can_list",
        "can_show",
        "can_konsensus",
        "can_potensi",
        "can_kunci",
        "can_buka",
        "can_buka_lembar",
    ]
    list_title = _l("Assessor meeting (integration)")
    show_title = _l("Assessor meeting (integration)")
    show_template = "penilaian/integrasi.html"
    list_columns = ["nomor", "nama_lengkap", "kegiatan", "gelombang", "terkunci"]
    search_columns = ["nama", "nip", "kegiatan"]
    order_columns = ["nomor"]
    base_order = ("nomor", "asc")
    label_columns = PesertaView.label_columns
    formatters_columns = {"terkunci": _yes_no}

    def _back(self, pk):
        return redirect(url_for("IntegrasiView.show", pk=pk))

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        if self.datamodel.get(pk, self._base_filters) is None:
            abort(404)
        view = ops.integrasi(pk, g.user)
        aturan = ops.aturan_kegiatan(view.peserta.kegiatan)
        steps = [x / 2 for x in range(2, 11)] if aturan.setengah_level else [1, 2, 3, 4, 5]
        skala = db.session.execute(select(SkalaPotensi).order_by(SkalaPotensi.nilai)).scalars().all()
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            v=view,
            level=_level,
            persen=_persen,
            steps=steps,
            skala=skala,
            labels=calc,
            status_labels=STATUS_LEMBAR_LABELS,
            tanggal=tanggal,
        )

    def _do(self, pk, fn, message):
        try:
            fn()
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(message, "success")
        return self._back(pk)

    @expose("/konsensus/<int:pk>", methods=["POST"])
    @has_access
    def konsensus(self, pk):
        values = {}
        for key in request.form:
            match = re.fullmatch(r"level_(\d+)", key)
            if match:
                kid = int(match.group(1))
                values[kid] = (request.form.get(key), request.form.get(f"alasan_{kid}", ""))
        versi = _int(request.form.get("versi"))
        return self._do(pk, lambda: ops.simpan_konsensus(pk, g.user, values, versi), _l("Consensus saved."))

    @expose("/potensi/<int:pk>", methods=["POST"])
    @has_access
    def potensi(self, pk):
        values = {}
        for key in request.form:
            match = re.fullmatch(r"aspek_(\d+)", key)
            if match:
                values[int(match.group(1))] = request.form.get(key)
        versi = _int(request.form.get("versi"))
        return self._do(pk, lambda: ops.simpan_potensi(pk, g.user, values, versi), _l("Potential ratings saved."))

    @expose("/kunci/<int:pk>", methods=["POST"])
    @has_access
    def kunci(self, pk):
        versi = _int(request.form.get("versi"))
        return self._do(pk, lambda: ops.kunci_integrasi(pk, g.user, versi), _l("The result is locked and stored."))

    @expose("/buka/<int:pk>", methods=["POST"])
    @has_access
    def buka(self, pk):
        return self._do(
            pk,
            lambda: ops.buka_integrasi(pk, g.user, request.form.get("alasan", "")),
            _l("The assessor meeting is open again; the reason is recorded."),
        )

    @expose("/buka_lembar/<int:pk>", methods=["POST"])
    @has_access
    def buka_lembar(self, pk):
        """Reopen one score sheet (pk: the sheet) and go back to its participant's meeting."""
        try:
            sheet = ops.buka_lembar(pk, g.user, request.form.get("alasan", ""))
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
            back = _int(request.form.get("peserta_id"))
            return self._back(back) if back else redirect(url_for("IntegrasiView.list"))
        flash(_l("The score sheet is open again; the reason is recorded."), "success")
        return self._back(sheet.peserta_id)


# -- stored results --------------------------------------------------------------------------------------


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
        "jpm": _persen,
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
            level=_level,
            persen=_persen,
            tanggal=tanggal,
            tanggal_waktu=tanggal_waktu,
            rumus=RUMUS_LABELS,
            tujuan=TUJUAN_LABELS,
        )
