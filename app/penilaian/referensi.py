"""Load the competency dictionary, potential aspects, methods, default standards and the national default
rules (data/kompetensi/*.toml). Idempotent: only what is missing is added, so whatever an administrator
edited in the screens stays as edited."""

from __future__ import annotations

from sqlalchemy import select

from app.datafiles import load_toml
from app.extensions import db
from app.models import (
    AspekPotensi,
    AturanPenilaian,
    Kompetensi,
    LevelKompetensi,
    Metode,
    SkalaPotensi,
    StandarBawaan,
    TingkatMetode,
)


def _lines(items) -> str:
    return "\n".join(item.strip() for item in items or [] if item and item.strip())


def load_penilaian_reference() -> int:
    """Add the missing reference rows; return how many were added."""
    kamus = load_toml("kompetensi", "kamus.toml")
    potensi = load_toml("kompetensi", "potensi.toml")
    metode = load_toml("kompetensi", "metode.toml")
    added = 0

    national = {
        k.kode: k for k in db.session.execute(select(Kompetensi).where(Kompetensi.instansi_id.is_(None))).scalars()
    }
    for order, row in enumerate(kamus["kompetensi"], start=1):
        item = national.get(row["kode"])
        if item is None:
            item = Kompetensi(
                kode=row["kode"],
                nama=row["nama"],
                jenis=row["jenis"],
                definisi=row["definisi"].strip(),
                urutan=order,
                aktif=True,
            )
            db.session.add(item)
            national[item.kode] = item
            added += 1
        have = {level.level for level in item.level}
        for level in row.get("level", []):
            if level["level"] not in have:
                item.level.append(
                    LevelKompetensi(
                        level=level["level"],
                        deskripsi=level["deskripsi"].strip(),
                        indikator=_lines(level.get("indikator")),
                    )
                )
                added += 1

    have = {(s.jenis, s.jenjang or "") for s in db.session.execute(select(StandarBawaan)).scalars()}
    for row in kamus.get("standar_bawaan", []):
        key = (row["jenis"], row.get("jenjang", ""))
        if key not in have:
            db.session.add(
                StandarBawaan(jenis=key[0], jenjang=key[1], level=row["level"], keterangan=row.get("keterangan", ""))
            )
            have.add(key)
            added += 1

    aspects = {a.kode: a for a in db.session.execute(select(AspekPotensi)).scalars()}
    for order, row in enumerate(potensi["potensi"], start=1):
        if row["kode"] not in aspects:
            aspects[row["kode"]] = AspekPotensi(
                kode=row["kode"],
                nama=row["nama"],
                definisi=row["definisi"].strip(),
                indikator=_lines(row.get("indikator")),
                urutan=order,
                aktif=True,
            )
            db.session.add(aspects[row["kode"]])
            added += 1
    scale = set(db.session.execute(select(SkalaPotensi.nilai)).scalars())
    for row in potensi.get("skala", []):
        if row["nilai"] not in scale:
            db.session.add(
                SkalaPotensi(
                    nilai=row["nilai"], kode=row["kode"], nama=row["nama"], keterangan=row.get("keterangan", "")
                )
            )
            added += 1

    tiers = {t.kode: t for t in db.session.execute(select(TingkatMetode)).scalars()}
    for order, row in enumerate(metode.get("tingkat", []), start=1):
        if row["kode"] not in tiers:
            tiers[row["kode"]] = TingkatMetode(
                kode=row["kode"], nama=row["nama"], keterangan=row.get("keterangan", ""), urutan=order
            )
            db.session.add(tiers[row["kode"]])
            added += 1
    methods = set(db.session.execute(select(Metode.kode)).scalars())
    for row in metode["metode"]:
        if row["kode"] in methods:
            continue
        db.session.add(
            Metode(
                kode=row["kode"],
                nama=row["nama"],
                tingkat=tiers.get(row.get("tingkat")),
                deskripsi=row.get("deskripsi", ""),
                durasi_menit=row.get("durasi_menit"),
                aktif=True,
                kompetensi=[national[k] for k in row.get("kompetensi", []) if k in national],
                potensi=[aspects[k] for k in row.get("potensi", []) if k in aspects],
            )
        )
        added += 1

    if db.session.execute(select(AturanPenilaian.id).where(AturanPenilaian.instansi_id.is_(None))).first() is None:
        db.session.add(AturanPenilaian(instansi_id=None))  # the model's defaults are the national defaults
        added += 1
    db.session.commit()
    return added
