"""Demo work for the Polhukam plan SOP: what the Kasubbag MutJab and the Pelaksana do on the plan page before
completing their steps, made with the plan's own operations (DEMO ONLY: the target group and notes are
invented)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.extensions import db
from app.models import Kasus, Pangkat, PenkomUser
from app.rencana import hooks as plan_hooks
from app.rencana import operations as ops
from app.workflow import engine, hooks


def siapkan_langkah(kasus: Kasus, actor: PenkomUser) -> None:
    """Give the case's current step what its plan guards wait for (nothing for other steps)."""
    guards = {hooks.split(spec)[0] for spec in kasus.langkah.hook_names("guards")}
    item = plan_hooks._plan(kasus)
    if item is None or not guards & {"rencana_kriteria", "rencana_instrumen", "rencana_koordinasi"}:
        return
    if "rencana_kriteria" in guards:
        year = dt.date.today().year
        rank = db.session.execute(select(Pangkat).where(Pangkat.golongan == "III/a")).scalar()
        criteria = ops.Kriteria(jenis_jabatan=["pelaksana", "fungsional"], pangkat_min_id=rank.id if rank else None,
                                usia_min=30, usia_max=55)  # fmt: skip
        ops.atur_kriteria(item.id, actor, criteria, dt.date(year + 1, 1, 1), dt.date(year + 1, 6, 30),
                          "Pejabat pelaksana dan fungsional golongan III ke atas")  # fmt: skip
        chosen = ops.kandidat_terpilih(item)
        if len(chosen) > 1:
            ops.tinjau(item.id, actor, chosen[0].pegawai.id, False, "Sedang menjalani tugas belajar")
    if "petugas" in guards and not kasus.petugas:
        users = db.session.execute(select(PenkomUser).where(PenkomUser.active.is_(True))).scalars()
        staff = next((u for u in users if u.pegawai_id and any(r.name == "Staf Pelaksana" for r in u.roles)
                      and u.pegawai.unit_kerja.instansi_id == kasus.unit_kerja.instansi_id), None)  # fmt: skip
        if staff is not None:
            engine.assign(kasus.id, actor, staff.pegawai_id, "Penyiap bahan/instrumen")
    if "rencana_instrumen" in guards:
        methods = [m.id for m in ops.metode_katalog()[:4]]
        ops.atur_instrumen(item.id, actor, methods, methods)
    if "rencana_koordinasi" in guards and not item.koordinasi:
        ops.catat_koordinasi(item.id, actor, "Biro Sumber Daya Manusia dan Organisasi", ops.pops.hari_ini(),
                             "Ruang asesmen dan jadwal disepakati")  # fmt: skip
    db.session.expire_all()
