"""Demo work for transfer applications: what the applicant and the admin staff do on the application page
before a step of the transfer SOP is completed (app/demo/kasus.py, app/demo/penilaian.py)."""

from __future__ import annotations

import random
import re

from sqlalchemy import select

from app.demo.pegawai import NipFactory, jabatan_demo
from app.extensions import db
from app.models import Kasus, Pangkat, Pegawai, PenkomUser, StatusItem
from app.mutasi import operations as ops
from app.workflow import engine, hooks

APPLICANT = re.compile(r"a\.n\. (?P<nama>[^,]+), (?P<gelar>.+?) (?:dari|\() ?(?P<instansi>[^)]+)\)?$")
AGENCIES = {"Pemkab": "Pemerintah Kabupaten", "Pemkot": "Pemerintah Kota", "Pemprov": "Pemerintah Provinsi"}


def _agency(text: str) -> str:
    for short, full in AGENCIES.items():
        text = text.replace(short, full)
    return text.strip()


def siapkan_langkah(kasus: Kasus, actor: PenkomUser, transition: str, tanpa: tuple[str, ...] = ()) -> None:
    """Give the case's current step what its application guards wait for: the applicant's data and files
    (except the kinds in `tanpa`, which the applicant did not send), then the staff's verification (an
    item without a file does not meet the requirement; accepting chooses the position assessed against)."""
    item = ops.permohonan_kasus(kasus.id)
    if item is None or kasus.langkah is None:
        return
    guards = {hooks.split(spec)[0] for spec in kasus.langkah.hook_names("guards")}
    if ops.GUARD_DATA in guards and ops.kurang_data(item):
        found = APPLICANT.search(kasus.judul)
        rng = random.Random(kasus.id)
        nips = NipFactory(rng, set(db.session.execute(select(Pegawai.nip)).scalars()))
        rank = db.session.execute(select(Pangkat.id).where(Pangkat.golongan == rng.choice(["III/b", "III/c"]))).scalar()
        data = ops.DataPermohonan(
            nip=nips.make(rng.random() < 0.5),
            nama=found["nama"].strip() if found else item.nama,
            gelar_belakang=found["gelar"].strip() if found else "",
            pangkat_id=rank,
            instansi_asal=_agency(found["instansi"]) if found else "Pemerintah Kabupaten Tangerang",
            jabatan_asal="Analis Sumber Daya Manusia Aparatur Ahli Pertama",
            formasi="Analis Sumber Daya Manusia Aparatur, BKPSDM Kota Tangerang",
            alasan="Mengikuti pasangan yang bertugas di Kota Tangerang.",
        )
        ops.ubah(item.id, actor, data)
        for row in ops.permohonan(item.id, actor).items:
            if row.jenis not in tanpa and not ops.berkas(item, row.jenis):
                engine.attach(
                    kasus.id,
                    actor,
                    row.jenis,
                    f"{row.jenis}.pdf",
                    "application/pdf",
                    b"%PDF-1.4 berkas permohonan mutasi (demo)",
                )
    if ops.GUARD_VERIFIKASI in guards and item.diverifikasi_at is None:
        verdicts = {
            row.id: (StatusItem.SESUAI.value, "")
            if ops.berkas(item, row.jenis)
            else (StatusItem.TIDAK_SESUAI.value, "Tidak dilampirkan.")
            for row in item.items
        }
        target = None
        if transition == "ya":
            target = jabatan_demo("Analis Sumber Daya Manusia Aparatur", "fungsional", "Ahli Muda", kasus.unit_kerja).id
        ops.verifikasi(item.id, actor, verdicts, target)
    db.session.expire_all()
