"""Demo work of the JPT selection: what its steps wait for, made the real way (the operations, and the
assessor team's Excel through the importer)."""

from __future__ import annotations

from app import xlsx
from app.extensions import db
from app.jpt import impor
from app.jpt import operations as ops
from app.models import FormasiJpt, Kasus, PanselJpt

POSTS = ["Direktur Pelayanan Kesehatan Primer", "Kepala Biro Keuangan dan Barang Milik Negara"]
PANEL = [("dr. Sri Wahyuningsih, M.Kes.", "Sekretaris Jenderal", "ketua"),
         ("Prof. Dr. Agus Salim Harahap", "Akademisi, Universitas Indonesia", "anggota"),
         ("Dra. Ratna Kusumawati, M.Si.", "Unsur KASN", "anggota"),
         ("Hendra Gunawan, S.H., M.H.", "Kepala Biro Organisasi dan SDM", "sekretaris"),
         ("Kabag Pengembangan SDM", "Sekretariat Pansel", "sekretariat")]  # fmt: skip
# (NIP, name, post, agency of origin, scores: administrasi, assessment, makalah, wawancara, rekam jejak, kesehatan)
CANDIDATES = [
    ("197805122003121002", "dr. Bambang Kurniawan, M.P.H.", 0, "Dinkes Provinsi Jawa Barat", (85, 78, 80, 82, 80, 90)),
    ("198003152005012003", "dr. Citra Lestari, Sp.KKLP", 0, "RSUP Dr. Sardjito", (90, 74, 78, 75, 85, 100)),
    ("197911202006041001", "Dedi Firmansyah, S.K.M., M.Kes.", 0, "Kementerian Kesehatan", (70, 61, 68, 65, 70, 80)),
    ("198106082006042004", "dr. Endah Puspitasari, MARS", 0, "Dinkes Kota Surabaya", (85, 72, 75, 78, 80, 90)),
    ("197702142002121001", "Fajar Nugroho, S.E., M.Ak.", 1, "Kementerian Keuangan", (80, 76, 72, 74, 75, 85)),
    ("198204302008012005", "Gita Maharani, S.E., M.M.", 1, "Kementerian Kesehatan", (75, 69, 70, 68, 70, 90)),
]  # fmt: skip
STAGES = ["administrasi", "assessment", "makalah", "wawancara", "rekam_jejak", "kesehatan"]


def _excel() -> bytes:
    wb, sheet = xlsx.workbook(impor.SHEET, impor.KOLOM)
    for nip, nama, _post, _origin, scores in CANDIDATES:
        sheet.append([nip, nama, scores[1]])
    return xlsx.to_bytes(wb)


def siapkan_langkah_jpt(kasus: Kasus, actor) -> None:
    """Give the JPT case's current step what its guards wait for (nothing for other SOPs' steps)."""
    item = ops.seleksi_kasus(kasus.id)
    if item is None:
        return
    guards = {spec.partition(":")[0] for spec in kasus.langkah.hook_names("guards")}
    if "jpt_seleksi" in guards and not item.formasi:
        item.formasi.extend(FormasiJpt(nama=name, unit="Kementerian Kesehatan") for name in POSTS)
        item.pansel.extend(PanselJpt(nama=n, unsur=u, peran=p) for n, u, p in PANEL)
        db.session.flush()
    if "jpt_hasil_assessment" in guards and not item.kandidat:
        for nip, nama, post, origin, scores in CANDIDATES:
            row = ops.tambah_kandidat(item, nip, nama, item.formasi[post].id, origin, "Pejabat Administrator")
            ops.isi_nilai(row, {k: v for k, v in zip(STAGES, scores, strict=True) if k != "assessment"})
        impor.impor_assessment(item, _excel())
    if "jpt_kompilasi" in guards and not ops.ada_kompilasi(item):
        ops.kompilasi(item)
    db.session.commit()
