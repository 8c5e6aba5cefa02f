"""Builders of assessment test data (an agency's assessment centre, its people, an event ready to score),
made with the real operations. Used by the tests/test_penilaian_*.py modules."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import select

from app.extensions import db
from app.models import Jabatan, KegiatanPenilaian, Metode, Penugasan, Peserta, RegisterAsesor, UnitKerja
from app.models.penilaian import PeranTim
from app.penilaian import impor
from app.penilaian import operations as ops
from tests.conftest import link_pegawai, uniq

METODE = ["in_tray", "analisis_kasus", "lgd", "role_play", "cbi"]
DAY = dt.date(2026, 12, 7)


@dataclass
class Pusat:
    """An assessment centre: its unit, the units of participants, staff, admin and registered assessors."""

    unit: UnitKerja
    kanwil: list[UnitKerja]
    staf: object
    admin: object
    asesor: list = field(default_factory=list)  # users with a linked pegawai, first one is the ketua
    jabatan: dict = field(default_factory=dict)

    @property
    def ketua(self):
        return self.asesor[0]


def jabatan(instansi_id: int, nama: str, jenis: str, jenjang: str = "") -> Jabatan:
    item = db.session.execute(
        select(Jabatan).where(Jabatan.instansi_id == instansi_id, Jabatan.nama == nama, Jabatan.jenjang == jenjang)
    ).scalar()
    if item is None:
        item = Jabatan(instansi_id=instansi_id, nama=nama, jenis=jenis, jenjang=jenjang)
        db.session.add(item)
        db.session.commit()
    return item


def pusat(
    create_unit,
    create_pegawai,
    create_user,
    n_asesor=10,
    unit=None,
    staff_role="Pejabat Fungsional Muda",
    admin_role="Asesor Admin",
) -> Pusat:
    """A centre (a fresh agency, or the given unit) with staff, an assessor admin and registered assessors."""
    unit = unit or create_unit(nama=uniq("Pusat Penilaian Kompetensi "))
    kanwil = [create_unit(induk=unit.induk or unit, nama=uniq("Kantor Wilayah ")) for _ in range(2)]
    asesor_jab = jabatan(unit.instansi_id, "Asesor SDM Aparatur", "fungsional", "Ahli Muda")
    staf = link_pegawai(create_user([staff_role], unit), create_pegawai(unit, nama=uniq("Staf Pusat ")))
    admin = link_pegawai(create_user([admin_role], unit), create_pegawai(unit, nama=uniq("Admin Asesor ")))
    result = Pusat(unit, kanwil, staf, admin)
    for i in range(n_asesor):
        person = create_pegawai(unit, nama=uniq(f"Asesor {i} "), jabatan=asesor_jab)
        db.session.add(
            RegisterAsesor(
                instansi_id=unit.instansi_id, pegawai=person, jenis="asesor_sdma", jenjang="Ahli Muda", aktif=True
            )
        )
        result.asesor.append(link_pegawai(create_user(["Asesor"], unit), person))
    db.session.commit()
    result.jabatan = {
        "administrator": jabatan(unit.instansi_id, uniq("Kepala Bidang Uji "), "administrator"),
        "pengawas": jabatan(unit.instansi_id, uniq("Kepala Subbidang Uji "), "pengawas"),
    }
    return result


def baris_peserta(p: Pusat, n: int, create_pegawai) -> list[list]:
    """n import rows of civil servants of the regional offices (half administrators, half supervisors)."""
    rows = []
    for i in range(n):
        kind = "administrator" if i % 2 == 0 else "pengawas"
        person = create_pegawai(p.kanwil[i % 2], nama=uniq("Peserta "), jabatan=p.jabatan[kind])
        rows.append(
            [
                person.nip,
                person.nama,
                "",
                "S.H.",
                "III/d",
                p.jabatan[kind].nama,
                "",
                "",
                p.kanwil[i % 2].nama,
                1,
                "Baik",
            ]
        )
    return rows


def xlsx(rows: list[list], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Peserta"
    sheet.append(header or [h for h, *_ in impor.KOLOM])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def metode_ids(codes=METODE) -> dict[str, int]:
    return dict(db.session.execute(select(Metode.kode, Metode.id).where(Metode.kode.in_(list(codes)))).all())


def siapkan(item: KegiatanPenilaian, p: Pusat, user, codes=METODE, sessions=True) -> None:
    """Matrix from the catalogue, one session per method, the team (ketua, assessors, admin), wave date."""
    methods = {m.kode: m for m in db.session.execute(select(Metode).where(Metode.kode.in_(list(codes)))).scalars()}
    ops.atur_matriks(
        item.id,
        user,
        [k.kompetensi_id for k in item.kompetensi],
        {methods[c].id: [k.id for k in methods[c].kompetensi] for c in codes},
    )
    ops.ubah_gelombang(item.gelombang[0].id, user, DAY, DAY, "Ruang Asesmen")
    if sessions:
        start = dt.datetime.combine(DAY, dt.time(1, 0))
        for i, c in enumerate(codes):
            begin = start + dt.timedelta(hours=2 * i)
            ops.tambah_sesi(item.gelombang[0].id, user, methods[c].id, begin, begin + dt.timedelta(minutes=110))
    for i, a in enumerate(p.asesor):
        ops.tambah_anggota(item.id, user, a.pegawai_id, PeranTim.KETUA.value if i == 0 else PeranTim.ASESOR.value)
    ops.tambah_anggota(item.id, user, p.admin.pegawai_id, PeranTim.ASESOR_ADMIN.value)


def kegiatan_siap(p: Pusat, create_pegawai, n_peserta=30, tujuan="pemetaan", mulai=True, codes=METODE):
    """An event of the centre with participants imported, the plan clean, intake done, and started."""
    item = ops.buat_kegiatan(p.staf, uniq("Penilaian Uji "), tujuan, unit_kerja_id=p.unit.id)
    siapkan(item, p, p.staf, codes)
    impor.impor_peserta(item.id, p.admin, xlsx(baris_peserta(p, n_peserta, create_pegawai)))
    ops.atur_otomatis(item.id, p.staf)
    for peserta in ops.peserta_terlihat(item, p.staf):
        ops.atur_intake(peserta.id, p.admin, True, True, True)
    if mulai:
        ops.mulai_kegiatan(item.id, p.staf)
    return item


def lembar(item, asesor=None) -> list[Penugasan]:
    query = select(Penugasan).where(Penugasan.kegiatan_id == item.id).order_by(Penugasan.id)
    if asesor is not None:
        query = query.where(Penugasan.asesor_id == asesor.pegawai_id)
    db.session.expire_all()
    return list(db.session.execute(query).scalars())


def peserta_dari(item) -> list[Peserta]:
    return list(
        db.session.execute(select(Peserta).where(Peserta.kegiatan_id == item.id).order_by(Peserta.nomor)).scalars()
    )


def nilai_semua(item, p: Pusat, level=Decimal(3)) -> None:
    """Every assessor scores and submits every sheet at the given level."""
    users = {a.pegawai_id: a for a in p.asesor}
    for sheet in lembar(item):
        values = {k.id: (level, "Bukti perilaku yang diamati.") for k in ops.kompetensi_metode(item, sheet.metode_id)}
        ops.simpan_lembar(sheet.id, users[sheet.asesor_id], values, kirim=True)


def rapat(item, p: Pusat, peserta, level=Decimal(3), potensi=3, kunci=True) -> None:
    """The ketua records the consensus and potential of a participant (and locks the result)."""
    from app.models import AspekPotensi

    aspects = db.session.execute(select(AspekPotensi.id).where(AspekPotensi.aktif.isnot(False))).scalars().all()
    ops.simpan_konsensus(peserta.id, p.ketua, {k.kompetensi_id: (level, "Disepakati rapat.") for k in item.kompetensi})
    ops.simpan_potensi(peserta.id, p.ketua, dict.fromkeys(aspects, potensi))
    if kunci:
        ops.kunci_integrasi(peserta.id, p.ketua)
