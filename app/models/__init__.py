"""All models; importing this package puts every table on FAB's metadata."""
from app.models.master import Instansi, Jabatan, JenisJabatan, Pangkat, Pegawai, UnitKerja
from app.models.security import LoginLog, PenkomUser

__all__ = [
    "Instansi",
    "Jabatan",
    "JenisJabatan",
    "LoginLog",
    "Pangkat",
    "Pegawai",
    "PenkomUser",
    "UnitKerja",
]
