"""Register every view and API on a fresh AppBuilder."""
from flask_babel import lazy_gettext as _l

from app.views import master


def register_views(appbuilder) -> None:
    cat, cat_label = master.CATEGORY, master.CATEGORY_LABEL
    # Names are permission names: keep them stable; labels are what users read.
    appbuilder.add_view(master.PegawaiView, "Pegawai", label=_l("Civil Servants"), icon="fa-id-card",
                        category=cat, category_label=cat_label, category_icon="fa-database")
    appbuilder.add_view(master.UnitKerjaView, "Unit Kerja", label=_l("Work Units"), icon="fa-sitemap",
                        category=cat, category_label=cat_label)
    appbuilder.add_view(master.JabatanView, "Jabatan", label=_l("Positions"), icon="fa-briefcase",
                        category=cat, category_label=cat_label)
    appbuilder.add_view(master.PangkatView, "Pangkat", label=_l("Ranks and Grades"), icon="fa-signal",
                        category=cat, category_label=cat_label)
    appbuilder.add_view(master.InstansiView, "Instansi", label=_l("Agencies"), icon="fa-building",
                        category=cat, category_label=cat_label)
    appbuilder.add_view(master.LoginLogView, "Log Masuk", label=_l("Login Log"), icon="fa-list",
                        category="Security", category_label=_l("Security"))
