"""Reference data of the assessment (menu "Penilaian"): the competency dictionary and its levels,
potential aspects and their scale, methods and their tiers, standards, rules and the assessor register."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import DataRequired, Length, NumberRange
from wtforms.validators import Optional as OptionalV

from app import scope
from app.extensions import db
from app.formatting import angka_level, tanggal
from app.models import (
    AspekPotensi,
    AturanPenilaian,
    Kompetensi,
    LevelKompetensi,
    Metode,
    RegisterAsesor,
    SkalaPotensi,
    StandarBawaan,
    StandarKompetensi,
    TingkatMetode,
)
from app.models.master import JENIS_JABATAN_LABELS
from app.models.penilaian import JENIS_ASESOR_LABELS, JENIS_KOMPETENSI_LABELS, RUMUS_LABELS
from app.penilaian import hasil as calc
from app.validators import select_choices
from app.views.base import ScopedModelView, agency_unless_admin
from app.views.penilaian.umum import LevelOnScale, _dash, _label, _yes_no


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
        agency_unless_admin(item)
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
    formatters_columns = {"jenis": _label(JENIS_JABATAN_LABELS), "level": angka_level}
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
    formatters_columns = {"level": angka_level}
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
        agency_unless_admin(item)
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
