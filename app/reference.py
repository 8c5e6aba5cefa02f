"""Bring a database to the current schema and load reference data (idempotent)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.datafiles import load_toml
from app.extensions import db, migrate
from app.models import Pangkat
from app.roles import sync_roles


def load_pangkat() -> int:
    """Insert or update the 17 golongan/ruang; return the number of changed rows."""
    changed = 0
    for order, row in enumerate(load_toml("pangkat.toml")["pangkat"], start=1):
        item = db.session.execute(select(Pangkat).where(Pangkat.golongan == row["golongan"])).scalar()
        if item is None:
            db.session.add(Pangkat(golongan=row["golongan"], nama=row["nama"], urutan=order))
            changed += 1
        elif (item.nama, item.urutan) != (row["nama"], order):
            item.nama, item.urutan = row["nama"], order
            changed += 1
    db.session.commit()
    return changed


def init_database() -> dict[str, int]:
    """Schema (Alembic), permissions, roles, reference data. Safe to run any number of times."""
    migrate.ensure(current_app._get_current_object())
    from flask_migrate import upgrade

    upgrade()
    appbuilder = current_app.appbuilder
    sm = appbuilder.sm
    sm.add_role(sm.auth_role_admin)
    sm.add_role(sm.auth_role_public)
    appbuilder.add_permissions(update_perms=True)
    result = {"izin_peran": sync_roles(sm), "pangkat": load_pangkat()}
    from app.workflow.loader import load_seed_sops

    result["sop"] = load_seed_sops()
    result["naskah"] = load_document_reference()
    result["jenis_dokumen"] = load_document_kinds()
    from app.penilaian.referensi import load_penilaian_reference
    from app.roles import ASESOR, PENILAIAN_ROLES, mark_assignment_scoped

    result["izin_peran"] += sync_roles(sm, PENILAIAN_ROLES)
    from app.roles import JPT_ROLES

    result["izin_peran"] += sync_roles(sm, JPT_ROLES)
    from app.roles import RENCANA_ROLES

    result["izin_peran"] += sync_roles(sm, RENCANA_ROLES)
    mark_assignment_scoped(sm, ASESOR)
    result["penilaian"] = load_penilaian_reference()
    from app.laporan.template import load_template_laporan

    result["template_laporan"] = load_template_laporan()
    return result


def load_document_kinds() -> int:
    """The kinds of attachments per agency (data/dokumen/jenis_dokumen.toml); only missing ones are
    added, so what an administrator edited stays. Agencies not in the database are skipped."""
    from app.models import Instansi, JenisDokumen

    agencies = dict(db.session.execute(select(Instansi.kode, Instansi.id)).all())
    have = set(db.session.execute(select(JenisDokumen.instansi_id, JenisDokumen.kode)).all())
    added = 0
    for row in load_toml("dokumen", "jenis_dokumen.toml")["jenis"]:
        instansi_id = agencies.get(row["instansi"]) if row["instansi"] else None
        if row["instansi"] and instansi_id is None:
            continue
        if (instansi_id, row["kode"]) not in have:
            db.session.add(JenisDokumen(instansi_id=instansi_id, kode=row["kode"], nama=row["nama"],
                                         syarat_mutasi=bool(row.get("syarat_mutasi"))))  # fmt: skip
            have.add((instansi_id, row["kode"]))
            added += 1
    db.session.commit()
    return added


def load_document_reference() -> int:
    """Classification codes and document templates; only missing ones are added, so what an
    administrator edited in the UI stays."""
    from app.models import KlasifikasiArsip, TemplateNaskah

    added = 0
    for model, key, rows in (
        (KlasifikasiArsip, "kode", load_toml("naskah", "klasifikasi.toml")["klasifikasi"]),
        (TemplateNaskah, "kode", load_toml("naskah", "template.toml")["template"]),
    ):
        have = set(db.session.execute(select(getattr(model, key))).scalars())
        for row in rows:
            if row[key] not in have:
                db.session.add(model(**{k: v.strip() if isinstance(v, str) else v for k, v in row.items()}))
                added += 1
    db.session.commit()
    return added
