"""Platform roles declared in code; `flask penkom init` creates them with these permissions.

The sync only adds what is missing, so permissions an administrator grants later stay.
"""

from __future__ import annotations

READ = ("can_list", "can_show")
WRITE = ("can_add", "can_edit", "can_delete")

ADMIN = "Admin"
OPERATOR = "Operator"
ASESOR = "Asesor"
PEJABAT = "Pejabat"
PENGAWAS = "Pengawas"

# Every logged-in user may see and change their own account (the view is Penkom's user view).
USER_VIEW = "PenkomUserDBModelView"
SELF_SERVICE = [
    ("can_userinfo", USER_VIEW),
    ("resetmypassword", USER_VIEW),
    ("userinfoedit", USER_VIEW),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_this_form_post", "UserInfoEditView"),
    # Everyone's own notifications (the bell).
    ("can_index", "NotifikasiView"),
    ("can_buka", "NotifikasiView"),
    ("can_baca_semua", "NotifikasiView"),
]


def _view(view: str, perms: tuple[str, ...], menu: str | None = None, category: str | None = None):
    pairs = [(perm, view) for perm in perms]
    if menu:
        pairs.append(("menu_access", menu))
    if category:
        pairs.append(("menu_access", category))
    return pairs


MASTER = "Data Induk"
MASTER_READ = (
    _view("PegawaiView", READ, "Pegawai", MASTER)
    + _view("UnitKerjaView", READ, "Unit Kerja")
    + _view("JabatanView", READ, "Jabatan")
    + _view("PangkatView", READ, "Pangkat")
    + _view("InstansiView", READ, "Instansi")
)

SOP_MENU = "SOP"
SOP_READ = (
    _view("SopView", READ + ("can_pdf",), "SOP", SOP_MENU)
    + _view("LangkahView", READ)
    + _view("PelaksanaView", READ)
    + _view("MonitoringView", ("can_sop", "can_index", "can_pdf"), "Monitoring SOP")
    + _view("SopApi", ("can_get",))
)
CASES = (
    _view(
        "KasusView",
        READ
        + (
            "can_add",
            "can_transisi",
            "can_lampiran",
            "can_berkas",
            "can_petugas",
            "proses",
            "can_konfirmasi",
            "can_tanggapan",
        ),
        "Kasus",
        SOP_MENU,
    )
    + _view("TugasSayaView", READ, "Tugas Saya")
    + _view("TerlambatView", READ, "Terlambat")
    + _view("KasusApi", ("can_get", "can_post"))
)
DOCS_MENU = "Naskah Dinas"
# Drafting, initialling and signing: the service checks who is next in the chain and who signs.
DOCUMENTS = _view(
    "NaskahDinasView",
    READ + ("can_add", "can_edit", "can_pdf", "can_paraf", "can_kembalikan", "can_tandatangani", "can_kirim",
            "can_batal", "can_pemeriksa"),
    "Naskah",
    DOCS_MENU,
) + _view("NaskahApi", ("can_get", "can_put"))  # fmt: skip
DOCUMENTS_READ = _view("NaskahDinasView", READ + ("can_pdf",), "Naskah", DOCS_MENU) + _view("NaskahApi", ("can_get",))
# The API description (OpenAPI spec and Swagger UI) for those who use the API.
API_DOCS = [("can_get", "OpenApi"), ("can_show", "SwaggerView")]
# Transfer-in applications (seed 0): applying, uploading and verifying follow the case's steps (the
# operations check the step and its actor); the scope shows each their own.
MUTASI = _view("PermohonanMutasiView", READ + ("can_add", "can_ubah", "can_unggah", "can_verifikasi"),
               "Permohonan Mutasi", SOP_MENU) + _view("PermohonanMutasiApi", ("can_get",))  # fmt: skip

# Cooperation requests: registering one starts its case; the operations check who acts at each step.
KERJASAMA = _view(
    "PermintaanKerjasamaView", READ + ("can_add", "can_edit", "can_asesor"), "Permintaan Kerjasama", SOP_MENU
) + _view("PermintaanKerjasamaApi", ("can_get",))
KERJASAMA_READ = _view("PermintaanKerjasamaView", READ, "Permintaan Kerjasama", SOP_MENU) + _view(
    "PermintaanKerjasamaApi", ("can_get",)
)
# Every SOP actor role: read SOPs, start and move cases (the engine checks each step's role).
WORKFLOW = SOP_READ + CASES + DOCUMENTS + API_DOCS + SELF_SERVICE + MUTASI + KERJASAMA
# Actors outside the agency (an applicant): read the SOP, start and follow their own cases, read the
# signed documents of their cases; no drafting, no monitoring, no assigning people.
OUTSIDE_PARTY = (
    _view("SopView", READ + ("can_pdf",), "SOP", SOP_MENU)
    + _view("SopApi", ("can_get",))
    + _view(
        "KasusView",
        READ + ("can_add", "can_transisi", "can_lampiran", "can_berkas", "can_tanggapan"),
        "Kasus",
        SOP_MENU,
    )
    + _view("TugasSayaView", READ, "Tugas Saya")
    + _view("KasusApi", ("can_get", "can_post"))
    + DOCUMENTS_READ
    + API_DOCS
    + SELF_SERVICE
    + _view("PermohonanMutasiView", READ + ("can_add", "can_ubah", "can_unggah"), "Permohonan Mutasi")
    + _view("PermohonanMutasiApi", ("can_get",))
)
# What an outside party's role must never hold, even if an older version granted it.
OUTSIDE_PARTY_FORBIDDEN = [pair for pair in WORKFLOW if pair not in OUTSIDE_PARTY]

# -- competency assessment (menu "Penilaian") ---------------------------------------------------
PENILAIAN_MENU = "Penilaian"
EVENT = "KegiatanPenilaianView"
EVENT_ADMIN = ("can_peserta", "can_impor", "can_templat", "can_kehadiran", "can_hasil")
EVENT_RUN = ("can_tim", "can_jadwal", "can_matriks", "can_penugasan", "can_otomatis", "can_mulai", "can_unduh")
MEETING = ("can_konsensus", "can_potensi", "can_kunci", "can_buka", "can_buka_lembar")
PENILAIAN_REF_READ = (
    _view("KompetensiView", READ, "Kamus Kompetensi", PENILAIAN_MENU)
    + _view("LevelKompetensiView", READ)
    + _view("AspekPotensiView", READ, "Aspek Potensi")
    + _view("SkalaPotensiView", READ, "Skala Potensi")
    + _view("MetodeView", READ, "Metode")
    + _view("TingkatMetodeView", READ, "Tingkat Metode")
    + _view("StandarKompetensiView", READ, "Standar Kompetensi Jabatan")
    + _view("StandarBawaanView", READ, "Standar Bawaan")
    + _view("AturanPenilaianView", READ, "Aturan Penilaian")
    + _view("RegisterAsesorView", READ, "Register Asesor")
)
# Supervisors and officials: read events, participants, results (in their scope).
PENILAIAN_READ = (
    PENILAIAN_REF_READ
    + _view(EVENT, READ + ("can_hasil", "can_unduh"), "Kegiatan Penilaian")
    + _view("PesertaView", READ + ("can_berkas",), "Peserta")
    + _view("IntegrasiView", READ, "Integrasi")
    + _view("HasilView", READ, "Hasil")
    + _view("KegiatanApi", ("can_get",))
    + _view("PesertaApi", ("can_get",))
    + _view("NilaiApi", ("can_get",))
)
# Assessors: their own score sheets; as ketua also the meeting, the matrix and the assignment of their
# event (the operations check the team role; the scope shows only what they are assigned to).
PENILAIAN_ASESOR = (
    PENILAIAN_REF_READ
    + _view(
        EVENT,
        READ + ("can_hasil", "can_unduh", "can_matriks", "can_jadwal", "can_penugasan", "can_otomatis"),
        "Kegiatan Penilaian",
    )
    + _view("PesertaView", READ + ("can_berkas",), "Peserta")
    + _view("PenilaianSayaView", READ + ("can_simpan", "can_kirim"), "Penilaian Saya")
    + _view("IntegrasiView", READ + MEETING, "Integrasi")
    + _view("HasilView", READ, "Hasil")
    + _view("KegiatanApi", ("can_get", "can_post", "can_put"))
    + _view("PesertaApi", ("can_get", "can_put", "can_post"))
    + _view("NilaiApi", ("can_get", "can_put", "can_post"))
)
# Assessor administrators (seed 4 step 5) and the UPT's admin staff (seed 0 step 4): participants,
# import, intake files, attendance.
PENILAIAN_ADMIN = (
    PENILAIAN_REF_READ
    + _view(EVENT, READ + EVENT_ADMIN, "Kegiatan Penilaian")
    + _view("PesertaView", READ + ("can_intake", "can_berkas", "can_ubah", "can_hapus"), "Peserta")
    + _view("HasilView", READ, "Hasil")
    + _view("KegiatanApi", ("can_get", "can_post"))
    + _view("PesertaApi", ("can_get", "can_put"))
)
# Those who run events (seed 4's JF Madya and JF Muda, seed 0's Ka. UPT): everything of the event, the
# agency's rules, standards, technical competencies and assessor register.
PENILAIAN_KELOLA = (
    PENILAIAN_ADMIN
    + PENILAIAN_READ
    + _view(EVENT, WRITE + EVENT_RUN)
    + _view("KompetensiView", WRITE)
    + _view("LevelKompetensiView", WRITE)
    + _view("StandarKompetensiView", WRITE)
    + _view("AturanPenilaianView", WRITE)
    + _view("RegisterAsesorView", WRITE)
    + _view("KegiatanApi", ("can_put",))
    + _view("PesertaApi", ("can_post",))
)
# Individual reports: assessors write their own; the event's staff check them (QC) and print batches;
# officials and supervisors read them and download the printed batches.
LAPORAN = "LaporanView"
LAPORAN_READ = (
    _view(LAPORAN, READ + ("can_pdf",), "Laporan Individu", PENILAIAN_MENU)
    + _view("LaporanBatchView", ("can_progres", "can_unduh"))
    + _view("LaporanKegiatanApi", ("can_get",))
    + _view("JobApi", ("can_get",))
    + _view("LaporanPesertaApi", ("can_get",))
)
LAPORAN_ASESOR = _view(LAPORAN, READ + ("can_simpan", "can_pdf", "can_buat"), "Laporan Individu",
                       PENILAIAN_MENU) + _view("LaporanPesertaApi", ("can_get",))  # fmt: skip
LAPORAN_KELOLA = (
    LAPORAN_READ
    + _view(LAPORAN, ("can_buat", "can_qc"))
    + _view("LaporanBatchView", ("can_mulai", "can_delete"))
    + _view("LaporanKegiatanApi", ("can_post",))
)
# The agency's report wording (its own template; the national default read-only, app/laporan/template.py).
LAPORAN_KELOLA += _view("TemplateLaporanView", READ + WRITE, "Template Laporan", DOCS_MENU)
PENILAIAN_READ = PENILAIAN_READ + LAPORAN_READ
PENILAIAN_ASESOR = PENILAIAN_ASESOR + LAPORAN_ASESOR
PENILAIAN_KELOLA = PENILAIAN_KELOLA + LAPORAN_KELOLA
PENILAIAN_PENDUKUNG = _view(EVENT, READ + ("can_kehadiran",), "Kegiatan Penilaian", PENILAIAN_MENU)
# Recap (everyone who sees the results, over the participants they see), the assessor evaluation (the
# staff of the event's unit: the operation checks it; assessors do not hold it) and feedback.
REKAP = _view("RekapView", ("can_kegiatan", "can_xlsx")) + _view("RekapApi", ("can_get",))
EVALUASI = _view("RekapView", ("can_evaluasi", "can_evaluasi_pdf"))
UMPAN_BALIK_READ = _view("UmpanBalikView", READ + ("can_pdf",), "Umpan Balik")
UMPAN_BALIK = _view("UmpanBalikView", READ + ("can_pdf", "can_minta", "can_sesi"), "Umpan Balik")
PENILAIAN_READ += REKAP + EVALUASI + UMPAN_BALIK_READ
PENILAIAN_ASESOR += REKAP + _view("UmpanBalikView", READ + ("can_pdf", "can_sesi"), "Umpan Balik")
PENILAIAN_ADMIN += REKAP
PENILAIAN_KELOLA += REKAP + EVALUASI + UMPAN_BALIK
# SOP actor roles (created by the seed SOPs) and what they do in an assessment.
PENILAIAN_ROLES: dict[str, list[tuple[str, str]]] = {
    "Pejabat Fungsional Madya": PENILAIAN_KELOLA,
    "Pejabat Fungsional Muda": PENILAIAN_KELOLA,
    "Kepala UPT": PENILAIAN_KELOLA,
    # Tangerang step 3: the head of the UPT's administration (Ka. TU UPT) sets the assessment schedule.
    "Kepala Subbagian": PENILAIAN_KELOLA,
    "Asesor Admin": PENILAIAN_ADMIN,
    "Staf Admin": PENILAIAN_ADMIN,
    "Tenaga Pendukung": PENILAIAN_PENDUKUNG,
}

# -- open JPT selection (seed 2): its actors keep the selection; officials and supervisors read it ----
JPT_VIEW = "SeleksiJptView"
JPT_PARTS = ("FormasiJptView", "PanselJptView", "KandidatJptView")
JPT_READ = (
    _view(JPT_VIEW, READ, "Seleksi JPT", PENILAIAN_MENU)
    + [pair for part in JPT_PARTS for pair in _view(part, READ)]
    + _view("SeleksiJptApi", ("can_get",))
)
JPT_KELOLA = (
    JPT_READ
    + _view(JPT_VIEW, WRITE + ("can_kompilasi", "can_ambil", "can_impor", "can_templat"))
    + [pair for part in JPT_PARTS for pair in _view(part, WRITE)]
    + _view("SeleksiJptApi", ("can_post",))
)
# The SOP's actors: Kabag Pengembangan, Kasubbag PP JPT dan JA, Analis Kepegawaian.
JPT_ROLES: dict[str, list[tuple[str, str]]] = {
    "Kepala Bagian": JPT_KELOLA,
    "Kepala Subbagian": JPT_KELOLA,
    "Analis Kepegawaian": JPT_KELOLA,
    "Pejabat": JPT_READ,
    "Pengawas": JPT_READ,
}

# -- assessment plans (Polhukam seed 3, menu "Penilaian") ---------------------------------------------------
PLAN = "RencanaPenilaianView"
RENCANA_READ = _view(PLAN, READ + ("can_unduh",), "Rencana Penilaian", PENILAIAN_MENU) + _view(
    "RencanaPenilaianApi", ("can_get",)
)
# Kasubbag MutJab prepares the plan (criteria, review, participants, coordination); the Pelaksana prepares
# the instruments; the Kabag and the units or third parties read it. The operations check the plan's unit.
RENCANA_ROLES: dict[str, list[tuple[str, str]]] = {
    "Kepala Subbagian": RENCANA_READ
    + _view(PLAN, WRITE + ("can_kriteria", "can_tinjau", "can_peserta", "can_instrumen", "can_koordinasi")),
    "Staf Pelaksana": RENCANA_READ + _view(PLAN, ("can_instrumen",)),
    "Kepala Bagian": RENCANA_READ,
    "Pihak Terkait": RENCANA_READ,
}

PLATFORM_ROLES: dict[str, list[tuple[str, str]]] = {
    # Clerk: keeps the records of their unit.
    OPERATOR: MASTER_READ
    + _view("PegawaiView", WRITE + ("nonaktifkan",))
    + _view("JabatanView", WRITE)
    + _view("JenisDokumenView", READ + WRITE, "Jenis Dokumen")
    + DOCUMENTS
    + SELF_SERVICE,
    # Assessor, official and supervisor: read what is in their scope; later issues add their steps.
    ASESOR: _view("PegawaiView", READ, "Pegawai", MASTER) + WORKFLOW + PENILAIAN_ASESOR,
    PEJABAT: MASTER_READ + WORKFLOW + _view("MonitoringView", ("can_evaluasi",)) + PENILAIAN_READ + RENCANA_READ,
    # Supervisor: read-only, including SOPs, cases, overdue lists and monitoring.
    PENGAWAS: MASTER_READ
    + SOP_READ
    + _view("KasusView", READ + ("can_berkas",), "Kasus", SOP_MENU)
    + _view("TerlambatView", READ, "Terlambat")
    + _view("KasusApi", ("can_get",))
    + _view("MonitoringView", ("can_evaluasi",))
    + DOCUMENTS_READ
    + API_DOCS
    + SELF_SERVICE
    + PENILAIAN_READ
    + RENCANA_READ
    + KERJASAMA_READ,
}


def sync_roles(sm, roles: dict[str, list[tuple[str, str]]] = PLATFORM_ROLES,
               revoke: dict[str, list[tuple[str, str]]] | None = None) -> int:  # fmt: skip
    """Create the declared roles and grant missing permissions; return how many grants were added.
    `revoke` names grants a role must not hold (e.g. drafting for an outside party)."""
    added = 0
    for name, pairs in (revoke or {}).items():
        role = sm.find_role(name)
        if role is not None:
            role.permissions = [pv for pv in role.permissions
                                if (pv.permission.name, pv.view_menu.name) not in set(pairs)]  # fmt: skip
    for name, pairs in roles.items():
        role = sm.find_role(name) or sm.add_role(name)
        have = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
        for perm, view in pairs:
            if (perm, view) in have:
                continue
            pv = sm.add_permission_view_menu(perm, view)
            role.permissions.append(pv)
            have.add((perm, view))
            added += 1
    sm.session.commit()
    return added


def mark_outside_party(sm, name: str) -> None:
    """Give a role the outside party's permissions and "own records only" scope (idempotent)."""
    from app.extensions import db
    from app.models import LingkupPeran

    sync_roles(sm, {name: OUTSIDE_PARTY}, revoke={name: OUTSIDE_PARTY_FORBIDDEN})
    role = sm.find_role(name)
    row = db.session.query(LingkupPeran).filter_by(role_id=role.id).one_or_none()
    if row is None:
        db.session.add(LingkupPeran(role_id=role.id, lingkup="sendiri"))
    else:
        row.lingkup = "sendiri"
    db.session.commit()


def builtin_role_names(sm) -> set[str]:
    """The roles Penkom itself declares: the administrators', those declared here and the staff actors of
    the seed SOPs (data/sop)."""
    import tomllib

    from app.datafiles import sop_files

    names = {sm.auth_role_admin, *PLATFORM_ROLES, *PENILAIAN_ROLES, *JPT_ROLES, *RENCANA_ROLES}
    for path in sop_files():
        with path.open("rb") as fh:
            names.update(p["role"] for p in tomllib.load(fh)["pelaksana"] if not p.get("pihak_luar"))
    return names


def outside_party_refusal(sm, role) -> str | None:
    """Why the role may not become "own records only" (which takes away its drafting and other staff
    permissions, see mark_outside_party), or None. The administrators' role never; Penkom's own roles not
    when they would lose permissions (a role made for people outside the agency may)."""
    from flask_babel import gettext as _

    held = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
    lost = held & set(OUTSIDE_PARTY_FORBIDDEN)
    if role.name == sm.auth_role_admin or (lost and role.name in builtin_role_names(sm)):
        return _('The role %(role)s cannot be set to "own records only": it is one of Penkom\'s own roles and '
                 "would lose %(n)d of its permissions. Create a separate role for people outside the agency.",
                 role=role.name, n=len(lost))  # fmt: skip
    return None


def mark_assignment_scoped(sm, name: str) -> None:
    """Give a role the "assigned only" scope of assessment records (`app.scope`), unless an administrator
    already set a scope for it (idempotent)."""
    from app.extensions import db
    from app.models import LingkupPeran

    role = sm.find_role(name)
    if role is None:
        return
    if db.session.query(LingkupPeran).filter_by(role_id=role.id).one_or_none() is None:
        db.session.add(LingkupPeran(role_id=role.id, lingkup="penugasan"))
        db.session.commit()
