"""Register every view and API on a fresh AppBuilder."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.api import KasusApi, NaskahApi, SopApi
from app.views import audit, kasus, laporan, laporan_api, master, monitoring, naskah, notifikasi, penilaian, sop
from app.views import mutasi as mutasi_views
from app.views.mutasi_api import PermohonanMutasiApi
from app.views.penilaian_api import KegiatanApi, NilaiApi, PesertaApi
from app.views.rencana import RencanaPenilaianApi, RencanaPenilaianView


def register_views(appbuilder) -> None:
    # The SOP page lists its cases below it: pages are wired together here, where they are registered,
    # never by importing each other.
    sop.SopView.related_views = [sop.PelaksanaView, sop.LangkahView, kasus.KasusView]
    # Names are permission names: keep them stable; labels are what users read.
    s_cat, s_label = sop.CATEGORY, sop.CATEGORY_LABEL
    appbuilder.add_view(
        kasus.TugasSayaView,
        "Tugas Saya",
        label=_l("My Tasks"),
        icon="fa-inbox",
        category=s_cat,
        category_label=s_label,
        category_icon="fa-project-diagram",
    )
    appbuilder.add_view(
        kasus.TerlambatView, "Terlambat", label=_l("Overdue"), icon="fa-clock", category=s_cat, category_label=s_label
    )
    appbuilder.add_view(
        kasus.KasusView, "Kasus", label=_l("All Cases"), icon="fa-folder-open", category=s_cat, category_label=s_label
    )
    appbuilder.add_view(mutasi_views.PermohonanMutasiView, "Permohonan Mutasi", label=_l("Transfer Applications"),
                        icon="fa-people-arrows", category=s_cat, category_label=s_label)  # fmt: skip
    appbuilder.add_view(
        sop.SopView, "SOP", label=_l("SOP List"), icon="fa-list-ol", category=s_cat, category_label=s_label
    )
    appbuilder.add_view(
        monitoring.MonitoringView,
        "Monitoring SOP",
        label=_l("SOP Monitoring"),
        icon="fa-chart-bar",
        category=s_cat,
        category_label=s_label,
    )
    appbuilder.add_view(
        sop.HariLiburView,
        "Hari Libur",
        label=_l("Extra Days Off"),
        icon="fa-calendar",
        category=s_cat,
        category_label=s_label,
    )
    d_cat, d_label = "Naskah Dinas", _l("Official Documents")
    appbuilder.add_view(naskah.NaskahDinasView, "Naskah", label=_l("Documents"), icon="fa-file-signature",
                        category=d_cat, category_label=d_label, category_icon="fa-envelope-open-text")  # fmt: skip
    appbuilder.add_view(naskah.TemplateNaskahView, "Template Naskah", label=_l("Document Templates"),
                        icon="fa-file-alt", category=d_cat, category_label=d_label)  # fmt: skip
    appbuilder.add_view(laporan.TemplateLaporanView, "Template Laporan", label=_l("Report Templates"),
                        icon="fa-file-invoice", category=d_cat, category_label=d_label)  # fmt: skip
    appbuilder.add_view(naskah.PolaNomorView, "Pola Nomor", label=_l("Numbering Patterns"), icon="fa-hashtag",
                        category=d_cat, category_label=d_label)  # fmt: skip
    appbuilder.add_view(naskah.KlasifikasiArsipView, "Klasifikasi Arsip", label=_l("Archive Classification Codes"),
                        icon="fa-archive", category=d_cat, category_label=d_label)  # fmt: skip
    verifikasi = appbuilder.add_view_no_menu(naskah.VerifikasiView)
    # The public verification page (GET and upload) is throttled per client address.
    appbuilder.sm.limiter.limit(current_app.config["PENKOM_VERIFIKASI_LIMIT"])(verifikasi.blueprint)
    appbuilder.add_view_no_menu(sop.PelaksanaView)
    appbuilder.add_view_no_menu(sop.LangkahView)

    m_cat, m_label = master.CATEGORY, master.CATEGORY_LABEL
    appbuilder.add_view(
        master.PegawaiView,
        "Pegawai",
        label=_l("Civil Servants"),
        icon="fa-id-card",
        category=m_cat,
        category_label=m_label,
        category_icon="fa-database",
    )
    appbuilder.add_view(
        master.UnitKerjaView,
        "Unit Kerja",
        label=_l("Work Units"),
        icon="fa-sitemap",
        category=m_cat,
        category_label=m_label,
    )
    appbuilder.add_view(
        master.JabatanView,
        "Jabatan",
        label=_l("Positions"),
        icon="fa-briefcase",
        category=m_cat,
        category_label=m_label,
    )
    appbuilder.add_view(
        master.PangkatView,
        "Pangkat",
        label=_l("Ranks and Grades"),
        icon="fa-signal",
        category=m_cat,
        category_label=m_label,
    )
    appbuilder.add_view(sop.JenisDokumenView, "Jenis Dokumen", label=_l("Document Kinds"), icon="fa-paperclip",
                        category=m_cat, category_label=m_label)  # fmt: skip
    appbuilder.add_view(
        master.InstansiView,
        "Instansi",
        label=_l("Agencies"),
        icon="fa-building",
        category=m_cat,
        category_label=m_label,
    )
    appbuilder.add_view(
        master.LingkupPeranView,
        "Lingkup Peran",
        label=_l("Role Scope"),
        icon="fa-user-lock",
        category="Security",
        category_label=_l("Security"),
    )
    appbuilder.add_view(
        master.LoginLogView,
        "Log Masuk",
        label=_l("Login Log"),
        icon="fa-list",
        category="Security",
        category_label=_l("Security"),
    )

    appbuilder.add_view(
        audit.AuditLogView,
        "Jejak Audit",
        label=_l("Audit Trail"),
        icon="fa-history",
        category="Security",
        category_label=_l("Security"),
    )

    appbuilder.add_view_no_menu(notifikasi.NotifikasiView)
    notifikasi.register_globals()

    register_penilaian(appbuilder)
    register_kerjasama(appbuilder)

    appbuilder.add_api(SopApi)
    appbuilder.add_api(KasusApi)
    appbuilder.add_api(NaskahApi)
    appbuilder.add_api(KegiatanApi)
    appbuilder.add_api(PesertaApi)
    appbuilder.add_api(NilaiApi)
    register_jpt(appbuilder)
    appbuilder.add_api(PermohonanMutasiApi)
    register_rekap(appbuilder)
    appbuilder.add_api(RencanaPenilaianApi)
    register_laporan(appbuilder)

    from app.tampilan import blank_choice_text

    blank_choice_text(appbuilder)  # last: after every view, FAB's own included, has its forms


def register_penilaian(appbuilder) -> None:
    """Menu "Penilaian": the assessment work first, then its reference data."""
    cat, label = penilaian.CATEGORY, penilaian.CATEGORY_LABEL
    items = [
        (penilaian.KegiatanPenilaianView, "Kegiatan Penilaian", _l("Assessment Events"), "fa-clipboard-list"),
        (penilaian.PesertaView, "Peserta", _l("Participants"), "fa-users"),
        (penilaian.PenilaianSayaView, "Penilaian Saya", _l("My Assessments"), "fa-pen"),
        (penilaian.IntegrasiView, "Integrasi", _l("Assessor meeting (integration)"), "fa-handshake"),
        (penilaian.HasilView, "Hasil", _l("Results"), "fa-chart-line"),
        (penilaian.KompetensiView, "Kamus Kompetensi", _l("Competency Dictionary"), "fa-book"),
        (penilaian.AspekPotensiView, "Aspek Potensi", _l("Potential Aspects"), "fa-seedling"),
        (penilaian.SkalaPotensiView, "Skala Potensi", _l("Potential Rating Scale"), "fa-sort-numeric-up"),
        (penilaian.MetodeView, "Metode", _l("Methods and Simulations"), "fa-tasks"),
        (penilaian.TingkatMetodeView, "Tingkat Metode", _l("Method Tiers"), "fa-layer-group"),
        (
            penilaian.StandarKompetensiView,
            "Standar Kompetensi Jabatan",
            _l("Position Competency Standards"),
            "fa-ruler",
        ),
        (penilaian.StandarBawaanView, "Standar Bawaan", _l("Default Standard Levels"), "fa-ruler-combined"),
        (penilaian.AturanPenilaianView, "Aturan Penilaian", _l("Assessment Rules"), "fa-sliders-h"),
        (penilaian.RegisterAsesorView, "Register Asesor", _l("Assessor Register"), "fa-user-check"),
    ]
    items.insert(1, (RencanaPenilaianView, "Rencana Penilaian", _l("Assessment Plans"), "fa-calendar-check"))
    for view, name, text, icon in items:
        appbuilder.add_view(
            view, name, label=text, icon=icon, category=cat, category_label=label, category_icon="fa-clipboard-check"
        )
    appbuilder.add_view_no_menu(penilaian.LevelKompetensiView)
    from flask import current_app

    from app.views import impor

    current_app.jinja_env.globals["impor_panel"] = impor.panel  # the event page's imports on the queue


def register_jpt(appbuilder) -> None:
    """The open JPT selection (seed 2): the selection in the assessment menu, its parts without a menu."""
    from app.views import jpt
    from app.views.jpt_api import SeleksiJptApi

    appbuilder.add_view(jpt.SeleksiJptView, "Seleksi JPT", label=_l("JPT Selections"), icon="fa-user-tie",
                        category=penilaian.CATEGORY, category_label=penilaian.CATEGORY_LABEL)  # fmt: skip
    appbuilder.add_view_no_menu(jpt.FormasiJptView)
    appbuilder.add_view_no_menu(jpt.PanselJptView)
    appbuilder.add_view_no_menu(jpt.KandidatJptView)
    appbuilder.add_api(SeleksiJptApi)


def register_rekap(appbuilder) -> None:
    """Recap, assessor evaluation and feedback of assessment events (issue 10 items 4-6)."""
    from app.views import rekap

    appbuilder.add_view(rekap.UmpanBalikView, "Umpan Balik", label=_l("Feedback"), icon="fa-comments",
                        category=penilaian.CATEGORY, category_label=penilaian.CATEGORY_LABEL)  # fmt: skip
    appbuilder.add_view_no_menu(rekap.RekapView)
    appbuilder.add_api(rekap.RekapApi)


def register_laporan(appbuilder) -> None:
    """Individual reports (menu "Penilaian"), their batches and their API."""
    appbuilder.add_view(laporan.LaporanView, "Laporan Individu", label=_l("Individual Reports"), icon="fa-file-pdf",
                        category=penilaian.CATEGORY, category_label=penilaian.CATEGORY_LABEL)  # fmt: skip
    appbuilder.add_view_no_menu(laporan.LaporanBatchView)
    appbuilder.add_api(laporan_api.LaporanKegiatanApi)
    appbuilder.add_api(laporan_api.JobApi)
    appbuilder.add_api(laporan_api.LaporanPesertaApi)
    from flask import current_app

    current_app.jinja_env.globals["laporan_panel"] = laporan.panel  # the event page's report panel


def register_kerjasama(appbuilder) -> None:
    """Cooperation requests (kerja sama penilaian kompetensi), under the SOP menu next to the cases."""
    from app.views import kerjasama
    from app.views.kerjasama_api import PermintaanKerjasamaApi

    appbuilder.add_view(kerjasama.PermintaanKerjasamaView, "Permintaan Kerjasama", label=_l("Cooperation Requests"),
                        icon="fa-handshake", category=sop.CATEGORY, category_label=sop.CATEGORY_LABEL)  # fmt: skip
    appbuilder.add_api(PermintaanKerjasamaApi)
