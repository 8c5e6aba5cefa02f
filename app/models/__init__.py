"""All models; importing this package puts every table on FAB's metadata."""

from app.models.audit import AuditLog
from app.models.kasus import EvaluasiSop, Kasus, KasusPetugas, KasusRiwayat, Lampiran, StatusKasus
from app.models.master import Instansi, Jabatan, JenisJabatan, Pangkat, Pegawai, UnitKerja
from app.models.naskah import (
    JenisNaskah,
    KlasifikasiArsip,
    NaskahDinas,
    NaskahPemeriksa,
    NaskahRiwayat,
    NomorUrut,
    PolaNomor,
    StatusNaskah,
    TemplateNaskah,
)
from app.models.security import LingkupPeran, LoginLog, PenkomUser
from app.models.sop import HariLibur, Langkah, Pelaksana, Simbol, Sop

__all__ = [
    "AuditLog",
    "EvaluasiSop",
    "HariLibur",
    "Instansi",
    "Jabatan",
    "JenisJabatan",
    "Kasus",
    "KasusPetugas",
    "JenisNaskah",
    "KlasifikasiArsip",
    "NaskahDinas",
    "NaskahPemeriksa",
    "NaskahRiwayat",
    "NomorUrut",
    "PolaNomor",
    "StatusNaskah",
    "TemplateNaskah",
    "KasusRiwayat",
    "Lampiran",
    "LingkupPeran",
    "LoginLog",
    "Langkah",
    "Pangkat",
    "Pegawai",
    "Pelaksana",
    "PenkomUser",
    "Simbol",
    "Sop",
    "StatusKasus",
    "UnitKerja",
]
