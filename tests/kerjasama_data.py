"""Builders of cooperation-request test data (the request a Pemalang case keeps, the assessor register),
made with the real operations. Used by tests/test_kerjasama.py and the other Pemalang walks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.extensions import db
from app.kerjasama import operations as ops
from app.models import PermintaanKerjasama, RegisterAsesor

MULAI, SELESAI = dt.date(2026, 12, 14), dt.date(2026, 12, 16)
SURAT = dict(nomor_surat="800/412/BKPSDM/2026", tanggal_surat=dt.date(2026, 11, 20),
             instansi_peminta="BKPSDM Kabupaten Tegal", perihal="Permohonan tenaga Asesor SDMA",
             tempat="Aula BKPSDM Kabupaten Tegal, Slawi", jumlah_asesor=2, jenis_asesor="asesor_sdma",
             disposisi="Subkor PA: koordinasikan dengan Asesor SDMA dan siapkan jawaban.")  # fmt: skip


def request_of(kasus_id: int) -> PermintaanKerjasama:
    db.session.expire_all()
    return db.session.execute(select(PermintaanKerjasama).where(PermintaanKerjasama.kasus_id == kasus_id)).scalar_one()


def fill_request(kasus_id: int, user, mulai: dt.date = MULAI, selesai: dt.date = SELESAI, **changes):
    """The Kabid fills in the letter, the activity and the disposition at step 1."""
    values = {**SURAT, "tanggal_mulai": mulai, "tanggal_selesai": selesai, **changes}
    return ops.ubah(request_of(kasus_id).id, user, **values)


def register_assessor(pegawai, instansi_id: int, jenis: str = "asesor_sdma", **kw) -> RegisterAsesor:
    """Put a civil servant in the agency's assessor register (once)."""
    entry = db.session.execute(
        select(RegisterAsesor).where(RegisterAsesor.instansi_id == instansi_id, RegisterAsesor.pegawai_id == pegawai.id)
    ).scalar()
    if entry is None:
        entry = RegisterAsesor(instansi_id=instansi_id, pegawai_id=pegawai.id, jenis=jenis, jenjang="Ahli Muda", **kw)
        db.session.add(entry)
        db.session.commit()
    return entry
