"""Load the seed SOPs (data/sop/*.toml) and their agencies; idempotent."""

from __future__ import annotations

import tomllib
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.datafiles import load_toml, sop_files
from app.extensions import db
from app.models import Instansi, Langkah, Pelaksana, PolaNomor, Sop, UnitKerja
from app.roles import WORKFLOW, mark_outside_party, sync_roles

LIST_FIELDS = ("dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan", "peringatan", "pencatatan",
               "sop_terkait", "catatan_transkripsi")  # fmt: skip


def load_agencies() -> int:
    """The agencies and units that own the seed SOPs (no people: those are demo data)."""
    added = 0
    for inst in load_toml("demo", "instansi.toml")["instansi"]:
        instansi = db.session.execute(select(Instansi).where(Instansi.kode == inst["kode"])).scalar()
        if instansi is None:
            instansi = Instansi(
                kode=inst["kode"], nama=inst["nama"], kop="\n".join(inst["kop"]), alamat=inst.get("alamat", ""),
                kota=inst.get("kota", ""), telepon=inst.get("telepon", ""), email=inst.get("email", ""),
                website=inst.get("website", ""), kode_surat=inst.get("kode_surat", ""),
            )  # fmt: skip
            db.session.add(instansi)
            added += 1
        if instansi.id is None:
            db.session.flush()
        for row in inst.get("pola_nomor", []):
            jenis = row.get("jenis") or ""
            query = select(PolaNomor).where(PolaNomor.instansi_id == instansi.id, PolaNomor.jenis == jenis)
            exists = db.session.execute(query).scalar()
            if exists is None:
                pola = PolaNomor(instansi=instansi, jenis=jenis, pola=row["pola"], lebar_nomor=row.get("lebar", 4))
                db.session.add(pola)
        units = {u.kode: u for u in db.session.execute(select(UnitKerja)).scalars()}
        for row in inst["unit"]:
            if row["kode"] not in units:
                unit = UnitKerja(kode=row["kode"], nama=row["nama"], instansi=instansi, induk=units.get(row["induk"]))
                db.session.add(unit)
                units[row["kode"]] = unit
                added += 1
    db.session.commit()
    return added


def load_sop_file(path: Path) -> Sop | None:
    """Create the SOP of one data file unless an SOP with its kode exists (edits are never overwritten)."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    if db.session.execute(select(Sop.id).where(Sop.kode == data["kode"])).first():
        return None
    instansi = db.session.execute(select(Instansi).where(Instansi.kode == data["instansi"])).scalar_one()
    unit = db.session.execute(select(UnitKerja).where(UnitKerja.kode == data["unit_kerja"])).scalar_one()
    sm = current_app.appbuilder.sm
    sync_roles(sm, {p["role"]: WORKFLOW for p in data["pelaksana"] if not p.get("pihak_luar")})
    pengesah = data.get("pengesah", {})
    mengetahui = data.get("mengetahui", {})
    sop = Sop(
        kode=data["kode"], revisi=0, berlaku=True, instansi=instansi, unit_kerja=unit, nomor=data.get("nomor", ""),
        nama=data["nama"], jenis=data.get("jenis", "mikro"), tanggal_pembuatan=data.get("tanggal_pembuatan"),
        tanggal_revisi=data.get("tanggal_revisi"), tanggal_efektif=data.get("tanggal_efektif"),
        pengesah_jabatan=pengesah.get("jabatan", ""), pengesah_nama=pengesah.get("nama", ""),
        pengesah_pangkat=pengesah.get("pangkat", ""), pengesah_nip=pengesah.get("nip", ""),
        mengetahui_jabatan=mengetahui.get("jabatan", ""), mengetahui_nama=mengetahui.get("nama", ""),
        mengetahui_pangkat=mengetahui.get("pangkat", ""), mengetahui_nip=mengetahui.get("nip", ""),
        **{field: "\n".join(data.get(field, [])) for field in LIST_FIELDS},
    )  # fmt: skip
    actors = {}
    for order, row in enumerate(data["pelaksana"], start=1):
        actors[row["kode"]] = Pelaksana(
            urutan=order, kode=row["kode"], nama=row["nama"], role=sm.find_role(row["role"])
        )
        sop.pelaksana.append(actors[row["kode"]])
    for row in data["langkah"]:
        owners = [actors[code] for code in row["pelaksana"]]
        step = Langkah(
            no=row["no"], kegiatan=row["kegiatan"], simbol=row.get("simbol", "proses"), pelaksana=owners[0],
            pelaksana_lain=owners[1:], kelengkapan=row.get("kelengkapan", ""), waktu=row.get("waktu", ""),
            output=row.get("output", ""), keterangan=row.get("keterangan", ""), lanjut_no=row.get("lanjut"),
            ya_no=row.get("ya"), tidak_no=row.get("tidak"), label_ya=row.get("label_ya", ""),
            label_tidak=row.get("label_tidak", ""), kembali_no=row.get("kembali_ke"),
            label_kembali=row.get("label_kembali", ""), guards=", ".join(row.get("guards", [])),
            efek=", ".join(row.get("efek", [])), nomor=row.get("nomor"), bersama=row.get("bersama", ""),
            ya_jika=row.get("ya_jika", ""), tidak_jika=row.get("tidak_jika", ""),
            label_lanjut=row.get("label_lanjut", ""), keluaran=", ".join(row.get("keluaran", [])),
        )  # fmt: skip
        step.parse_waktu()
        sop.langkah.append(step)
    db.session.add(sop)
    db.session.commit()
    return sop


def mark_outside_parties(path: Path) -> None:
    """Actors outside the agency (pihak_luar) get "own records only" roles, also when the SOP exists."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    for name in sorted({p["role"] for p in data["pelaksana"] if p.get("pihak_luar")}):
        mark_outside_party(current_app.appbuilder.sm, name)


def load_seed_sops() -> int:
    """Agencies first, then every SOP file; returns how many SOPs were created."""
    load_agencies()
    created = 0
    for path in sop_files():
        mark_outside_parties(path)
        created += load_sop_file(path) is not None
    return created
