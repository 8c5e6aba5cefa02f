"""Document numbers: a pattern per agency and kind, and a yearly counter taken inside the signing
transaction (the counter row stays locked until commit, so numbers never repeat and a rolled-back
signing leaves no gap)."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import NaskahDinas, NomorUrut, PolaNomor

POLA_BAWAAN = "{kode_klasifikasi}/{nomor}/{kode_unit}/{tahun}"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
ROMAWI = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
NAMES = {"nomor", "kode_klasifikasi", "kode_unit", "kode_instansi", "tahun", "bulan", "bulan_romawi"}


def pattern_errors(pola: str) -> list[str]:
    """Messages for a pattern an administrator typed (empty list: the pattern is usable)."""
    errors = []
    names = PLACEHOLDER.findall(pola or "")
    unknown = sorted({n for n in names if n not in NAMES})
    if unknown:
        errors.append(str(_l("Unknown placeholder(s): %(names)s. Allowed: %(allowed)s.",
                             names=", ".join("{" + n + "}" for n in unknown),
                             allowed=", ".join("{" + n + "}" for n in sorted(NAMES)))))  # fmt: skip
    if "nomor" not in names:
        errors.append(str(_l("The pattern must contain {nomor}.")))
    if re.sub(PLACEHOLDER, "", pola or "").count("{") or re.sub(PLACEHOLDER, "", pola or "").count("}"):
        errors.append(str(_l("Unbalanced braces in the pattern.")))
    return errors


def pattern_for(naskah: NaskahDinas) -> tuple[str, int, str]:
    """(pattern, digits, counter key): the kind's own pattern, else the agency-wide one, else the default."""
    rows = db.session.execute(select(PolaNomor).where(PolaNomor.instansi_id == naskah.instansi_id)).scalars().all()
    own = next((p for p in rows if p.jenis == naskah.jenis), None)
    if own is not None:
        return own.pola, own.lebar_nomor or 1, naskah.jenis
    shared = next((p for p in rows if not p.jenis), None)
    if shared is not None:
        return shared.pola, shared.lebar_nomor or 1, "*"
    return POLA_BAWAAN, 4, "*"


def _values(naskah: NaskahDinas, urut: int | None, lebar: int, tanggal: dt.date) -> dict[str, str]:
    return {
        "nomor": f"{urut:0{lebar}d}" if urut is not None else "....",
        "kode_klasifikasi": (naskah.kode_klasifikasi or "").strip(),
        "kode_unit": (naskah.instansi.kode_surat or naskah.instansi.kode or "").strip(),
        "kode_instansi": (naskah.instansi.kode or "").strip(),
        "tahun": str(tanggal.year),
        "bulan": f"{tanggal.month:02d}",
        "bulan_romawi": ROMAWI[tanggal.month - 1],
    }


def format_number(naskah: NaskahDinas, pola: str, lebar: int, urut: int | None, tanggal: dt.date) -> str:
    """The number as printed; `urut` None gives the draft form with dots in place of the number."""
    values = _values(naskah, urut, lebar, tanggal)
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), pola)


# What to fill in when a placeholder of the document's pattern has no value.
MISSING = {
    "kode_klasifikasi": _l("the classification code is not filled in (choose the archive classification code "
                           "on this document)"),
    "kode_unit": _l("the unit code for letter numbers is not filled in (fill it in on the agency record under "
                    "Master Data, Agencies)"),
    "kode_instansi": _l("the agency code is not filled in (fill it in on the agency record under Master Data, "
                        "Agencies)"),
}  # fmt: skip


def missing_parts(naskah: NaskahDinas) -> list[str]:
    """What must be filled in before the document can be numbered: a number like `/0001/BKPSDM/2026`
    (an empty placeholder) must never be issued."""
    pola, lebar, _kunci = pattern_for(naskah)
    values = _values(naskah, 1, lebar, dt.date.today())
    names = dict.fromkeys(PLACEHOLDER.findall(pola))
    return [str(MISSING[name]) for name in names if name in MISSING and not values.get(name)]


def next_number(instansi_id: int, kunci: str, tahun: int) -> int:
    """Increment and return this year's counter. Must run inside the transaction that commits the
    signed document: the UPDATE locks the counter row until then."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(NomorUrut)
        .values(instansi_id=instansi_id, kunci=kunci, tahun=tahun, terakhir=0)
        .on_conflict_do_nothing(index_elements=["instansi_id", "kunci", "tahun"])
    )
    return db.session.execute(
        update(NomorUrut)
        .where(NomorUrut.instansi_id == instansi_id, NomorUrut.kunci == kunci, NomorUrut.tahun == tahun)
        .values(terakhir=NomorUrut.terakhir + 1)
        .returning(NomorUrut.terakhir)
        .execution_options(synchronize_session=False)
    ).scalar_one()
