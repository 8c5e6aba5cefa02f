"""A delete must never leave references dangling: which records still point at a row (`references`), and
the refusal that names them (`refuse_if_referenced`), used by every record's delete and FAB's user admin."""

from __future__ import annotations

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db

# Readable names of the tables that refer to others (the rest show their table name).
TABLE_LABELS = {
    "pegawai": _l("civil servant(s)"),
    "unit_kerja": _l("work unit(s)"),
    "jabatan": _l("position(s)"),
    "ab_user": _l("user account(s)"),
    "sop": _l("SOP(s)"),
    "sop_pelaksana": _l("SOP actor(s)"),
    "sop_langkah": _l("SOP step(s)"),
    "kasus": _l("case(s)"),
    "kasus_petugas": _l("case assignment(s)"),
    "naskah_dinas": _l("official document(s)"),
    "naskah_pemeriksa": _l("document reviewer(s)"),
    "naskah_pola_nomor": _l("numbering pattern(s)"),
    "naskah_nomor_urut": _l("number counter(s)"),
    "hari_libur": _l("day(s) off"),
    "kasus_tanggapan": _l("case comment(s)"),
    "jenis_dokumen": _l("document kind(s)"),
    "sop_evaluasi": _l("SOP evaluation(s)"),
}


def label(table_name: str) -> str:
    return str(TABLE_LABELS.get(table_name, table_name))


def references(item) -> list[tuple[str, int]]:
    """(label, count) of rows in other tables whose foreign keys point at `item`.

    Foreign keys declared ON DELETE CASCADE are the row's own parts (an SOP's steps) and go with
    it; everything else blocks the delete."""
    table = item.__table__
    pk = item.id
    found: dict[str, int] = {}
    for other in Model.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table or (fk.ondelete or "").upper() in ("CASCADE", "SET NULL"):
                continue
            count = db.session.execute(select(func.count()).select_from(other).where(fk.parent == pk)).scalar_one()
            if count:
                key = label(other.name)
                found[key] = found.get(key, 0) + count
    return sorted(found.items())


def refuse_if_referenced(item, extra: list[tuple[str, int]] | None = None) -> None:
    """Raise ValueError (FAB shows it) naming what still uses the row."""
    used = references(item) + list(extra or [])
    if used:
        raise ValueError(
            _l("Cannot delete: still used by %(items)s. Change or remove those first.",
               items=", ".join(f"{n} {label}" for label, n in used))
        )  # fmt: skip
