"""`flask penkom init` on an empty database, twice; the CLI wraps the same function."""

from sqlalchemy import func, inspect, select

from app.extensions import db
from app.models import Pangkat
from tests.conftest import make_app


def snapshot(app):
    sm = app.appbuilder.sm
    with app.app_context():
        return {
            "tables": sorted(inspect(db.engine).get_table_names()),
            "roles": sorted(r.name for r in sm.get_all_roles()),
            "grants": sorted(
                (role.name, pv.permission.name, pv.view_menu.name)
                for role in sm.get_all_roles()
                for pv in role.permissions
            ),
            "pangkat": db.session.execute(select(func.count(Pangkat.id))).scalar_one(),
        }


def test_init_on_empty_database_then_again_changes_nothing():
    app = make_app("init_twice", fresh=True)  # runs init once on an empty database
    first = snapshot(app)
    assert {"pegawai", "unit_kerja", "instansi", "pangkat", "jabatan", "ab_user", "login_log"} <= set(first["tables"])
    assert {"Admin", "Public", "Operator", "Asesor", "Pejabat", "Pengawas"} <= set(first["roles"])
    assert first["pangkat"] == 17
    assert ("Operator", "can_add", "PegawaiView") in first["grants"]
    assert ("Pengawas", "can_add", "PegawaiView") not in first["grants"]

    result = app.test_cli_runner().invoke(args=["penkom", "init"])
    assert result.exit_code == 0, result.output
    assert "Izin peran ditambahkan: 0, pangkat diperbarui: 0" in result.output
    assert snapshot(app) == first


def test_pangkat_reference_names(app, ctx):
    rows = {p.golongan: p.nama for p in db.session.execute(select(Pangkat)).scalars()}
    assert rows["IV/c"] == "Pembina Utama Muda"
    assert rows["I/a"] == "Juru Muda"
    assert rows["IV/e"] == "Pembina Utama"
