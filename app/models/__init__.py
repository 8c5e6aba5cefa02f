"""All models; importing this package puts every table on FAB's metadata."""

from app.models.audit import AuditLog
from app.models.cache import CacheVersi
from app.models.kasus import (
    EvaluasiSop,
    JenisDokumen,
    Kasus,
    KasusPetugas,
    KasusRiwayat,
    KasusTanggapan,
    Lampiran,
    StatusKasus,
)
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
from app.models.notifikasi import JenisNotifikasi, Notifikasi
from app.models.security import LingkupPeran, LoginLog, PenkomUser
from app.models.sop import Bersama, HariLibur, Langkah, Pelaksana, Simbol, Sop

__all__ = [
    "AuditLog",
    "Bersama",
    "CacheVersi",
    "EvaluasiSop",
    "HariLibur",
    "Instansi",
    "Jabatan",
    "JenisJabatan",
    "JenisDokumen",
    "Kasus",
    "KasusPetugas",
    "KasusTanggapan",
    "JenisNaskah",
    "KlasifikasiArsip",
    "NaskahDinas",
    "NaskahPemeriksa",
    "NaskahRiwayat",
    "JenisNotifikasi",
    "Notifikasi",
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
