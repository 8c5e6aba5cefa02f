"""Demo people: the agencies of the seed SOPs, ~200 civil servants, one login per role; the helpers the
other demo modules make people and positions with (`NipFactory`, `jabatan_demo`).

DEMO ONLY: names, addresses and most NIPs are invented (the officials named in the seed
SOPs keep the NIPs printed there).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from app import accounts
from app import nip as nip_mod
from app.datafiles import load_toml
from app.extensions import db
from app.models import Jabatan, LingkupPeran, Pangkat, Pegawai, UnitKerja
from app.roles import PLATFORM_ROLES, WORKFLOW, sync_roles
from app.workflow.loader import load_agencies

TARGET_PEGAWAI = 200
DEMO_MARKER = "demo.operator"  # present once the demo has been loaded


@dataclass
class DemoResult:
    skipped: bool = False
    instansi: int = 0
    unit: int = 0
    pegawai: int = 0
    password: str = ""
    kasus: int = 0  # demo cases moved to realistic steps
    sertifikat: list[str] = field(default_factory=list)  # agency codes given a demo signing certificate
    users: list[tuple[str, list[str]]] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", text.lower()).strip(".")


def jabatan_demo(nama: str, jenis: str, jenjang: str, unit: UnitKerja) -> Jabatan:
    """Functional positions are national; the others belong to the agency of the unit."""
    instansi_id = None if jenis == "fungsional" else unit.instansi_id
    query = select(Jabatan).where(Jabatan.nama == nama, Jabatan.jenjang == jenjang)
    query = query.where(Jabatan.instansi_id.is_(None) if instansi_id is None else Jabatan.instansi_id == instansi_id)
    item = db.session.execute(query).scalar()
    if item is None:
        item = Jabatan(nama=nama, jenis=jenis, jenjang=jenjang, instansi_id=instansi_id)
        db.session.add(item)
        db.session.flush()
    return item


class NipFactory:
    """Internally consistent NIPs: birth date, TMT at age 22-35, sex digit, unique serial."""

    def __init__(self, rng: random.Random, taken: set[str]):
        self.rng, self.taken = rng, taken

    def make(self, perempuan: bool) -> str:
        today = dt.date.today()
        while True:
            lahir = dt.date(1966, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 365 * 32))
            tmt_year = lahir.year + self.rng.randint(22, 35)
            if tmt_year > today.year:
                continue
            tmt_month = self.rng.randint(1, 12 if tmt_year < today.year else today.month)
            digits = f"{lahir:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{2 if perempuan else 1}{self.rng.randint(1, 999):03d}"
            if digits not in self.taken:
                nip_mod.parse(digits)  # never produce what the validator would refuse
                self.taken.add(digits)
                return digits


def load_pegawai(password: str | None = None) -> DemoResult:
    """The agencies, civil servants and logins (skipped when the demo is loaded already)."""
    data = load_toml("demo", "instansi.toml")
    sm = current_app.appbuilder.sm
    if sm.find_user(username=DEMO_MARKER):
        return DemoResult(skipped=True)
    load_agencies()  # the seed SOPs' agencies and units (also loaded by `penkom init`)
    sync_roles(sm, {name: WORKFLOW for name in _workflow_roles(data)})
    rng = random.Random(2026)
    names = load_toml("demo", "nama.toml")
    pangkat = {p.golongan: p for p in db.session.execute(select(Pangkat)).scalars()}
    taken = set(db.session.execute(select(Pegawai.nip)).scalars())
    nips = NipFactory(rng, taken)
    password = password or accounts.generate_password()
    result = DemoResult(password=password)
    logins: list[tuple[accounts.AccountRequest, Pegawai | None]] = []
    units = {u.kode: u for u in db.session.execute(select(UnitKerja)).scalars()}

    for inst in data["instansi"]:
        result.instansi += 1
        result.unit += len(inst["unit"])
        for row in inst.get("pejabat", []):
            pegawai = None
            digits = nip_mod.normalize(row.get("nip"))
            if digits and digits not in taken:
                pegawai = Pegawai(
                    nip=nip_mod.parse(digits).digits, nama=row["nama"], gelar_depan=row.get("gelar_depan", ""),
                    gelar_belakang=row.get("gelar_belakang", ""), pangkat=pangkat.get(row.get("pangkat")),
                    jabatan=jabatan_demo(row["jabatan"], row.get("jenis_jabatan", "pelaksana"), row.get("jenjang", ""),
                                     units[row["unit"]]),
                    unit_kerja=units[row["unit"]],
                )  # fmt: skip
                taken.add(digits)
                db.session.add(pegawai)
                result.pegawai += 1
            if row.get("roles"):
                # The login sees the unit that owns the agency's SOP (unit_akses), not only the person's own unit.
                base = f"{inst['kode'].lower()}.{_slug(row['roles'][0])}"
                req = accounts.AccountRequest(base, password, list(row["roles"]), row.get("unit_akses", row["unit"]))
                req.first_name = row["nama"]
                logins.append((req, pegawai))
        # One platform login per role in the first agency's root unit (demo.operator, ...).
        if inst is data["instansi"][0]:
            root = inst["unit"][0]["kode"]
            for role in PLATFORM_ROLES:
                logins.append((accounts.AccountRequest(f"demo.{_slug(role)}", password, [role], root), None))

    all_units = [units[row["kode"]] for inst in data["instansi"] for row in inst["unit"]]
    golongan = [g for g in pangkat if g.startswith(("II/", "III/", "IV/a", "IV/b"))]
    while result.pegawai < TARGET_PEGAWAI:
        perempuan = rng.random() < 0.45
        first_name = rng.choice(names["perempuan" if perempuan else "laki"])
        fungsional = rng.random() < 0.4
        if fungsional:
            spec = rng.choice(names["jabatan_fungsional"])
            position = (spec["nama"], "fungsional", rng.choice(spec["jenjang"]))
        else:
            position = (rng.choice(names["jabatan_pelaksana"]), "pelaksana", "")
        item = Pegawai(
            nip=nips.make(perempuan),
            nama=f"{first_name} {rng.choice(names['belakang'])}",
            gelar_belakang=rng.choice(names["gelar_belakang"]),
            pangkat=pangkat.get(rng.choice(golongan)) if golongan else None,
            unit_kerja=rng.choice(all_units),
        )
        item.jabatan = jabatan_demo(*position, item.unit_kerja)
        db.session.add(item)
        result.pegawai += 1
    db.session.flush()

    used: set[str] = set()
    for req, pegawai in logins:
        username, n = req.username, 2
        while username in used or current_app.appbuilder.sm.find_user(username=username):
            username, n = f"{req.username}{n}", n + 1
        req.username = username
        used.add(username)
        if pegawai is not None:
            req.last_name = pegawai.gelar_belakang or "-"
            req.nip = pegawai.nip
        accounts.add_account(req, commit=False)
        result.users.append((username, req.roles))
    db.session.commit()
    return result


def _workflow_roles(data: dict) -> set[str]:
    """Roles named by the demo officials (the SOP actors) that are not platform roles yet, nor roles
    of people outside the agency (those keep their narrower permissions)."""
    names = {role for inst in data["instansi"] for row in inst.get("pejabat", []) for role in row.get("roles", [])}
    outside = {r.role.name for r in db.session.execute(select(LingkupPeran)).scalars()}
    return names - set(PLATFORM_ROLES) - {current_app.config["AUTH_ROLE_ADMIN"]} - outside
