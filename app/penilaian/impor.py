"""Excel in and out (openpyxl): the participant import template, the import itself (all rows or none;
every bad row named by its row number and reason) and the results table of an event.

The template's sheet "Peserta" has one header row (Indonesian headers, matched without regard to case)
and one participant per row; the NIP column is formatted as text, because Excel rounds an 18-digit
number. Other sheets explain the columns and list the positions the importer may use.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app import workbook_check, xlsx
from app.konkurensi import claim
from app.penilaian import hasil as calc
from app.penilaian import operations as ops

# (header, field of DataPeserta, required, explanation) — the headers are the template's, in Indonesian.
KOLOM = [
    ("NIP", "nip", True, "18 digit, ditulis sebagai teks (spasi boleh)."),
    ("Nama", "nama", True, "Nama tanpa gelar; boleh kosong bila NIP terdaftar sebagai pegawai instansi."),
    ("Gelar Depan", "gelar_depan", False, "Mis. Drs., Dr., Ir."),
    ("Gelar Belakang", "gelar_belakang", False, "Mis. S.Psi., M.Si."),
    ("Pangkat/Golongan", "golongan", False, "Ditulis III/c, IV/a, ..."),
    ("Jabatan", "jabatan", False, "Nama jabatan persis seperti pada Data Induk → Jabatan."),
    ("Jenjang", "jenjang", False, "Untuk jabatan fungsional, mis. Ahli Muda."),
    ("Instansi", "instansi", False, "Instansi asal peserta (untuk peserta dari instansi lain)."),
    ("Unit Kerja", "unit", False, "Unit kerja peserta."),
    ("Gelombang", "gelombang", False, "Nomor gelombang (1, 2, ...); kosong: gelombang pertama yang masih muat."),
    ("Predikat Kinerja (SKP)", "predikat_kinerja", False, "Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang."),
]
MAKS_BARIS = 2000


@dataclass(frozen=True)
class BarisGagal:
    baris: int
    pesan: str

    def __str__(self) -> str:
        return str(_l("Row %(n)d: %(reason)s", n=self.baris, reason=self.pesan))

    def as_dict(self) -> dict:
        return {"baris": self.baris, "pesan": self.pesan}


class ImporError(ops.PenilaianError):
    """The import was refused; nothing was imported. `baris` lists the bad rows."""

    def __init__(self, message, baris: list[BarisGagal] | None = None):
        super().__init__(message, 422)
        self.baris = baris or []


def templat() -> bytes:
    """The empty participant template, with the column explanations and an example row on other sheets."""
    wb, sheet = xlsx.workbook("Peserta", [header for header, *_ in KOLOM])
    for col, (header, *_rest) in enumerate(KOLOM, start=1):
        letter = sheet.cell(row=1, column=col).column_letter
        sheet.column_dimensions[letter].width = max(14, len(header) + 4)
    for row in range(2, 1002):  # the NIP column is text, so Excel keeps all 18 digits
        sheet.cell(row=row, column=1).number_format = "@"
    guide = wb.create_sheet("Petunjuk")
    guide.append(["Kolom", "Wajib", "Keterangan"])
    for header, _field, required, text in KOLOM:
        guide.append([header, "ya" if required else "tidak", text])
    guide.append([])
    guide.append(
        [
            "Seluruh baris diperiksa lebih dahulu; bila ada satu baris yang salah, tidak ada peserta yang "
            "diimpor dan setiap kesalahan disebutkan dengan nomor barisnya."
        ]
    )
    example = wb.create_sheet("Contoh")
    example.append([header for header, *_ in KOLOM])
    example.append(
        [
            "198403072009011009",
            "Dimas Saputra",
            "",
            "S.Psi., M.Psi.",
            "III/d",
            "Analis SDM Aparatur",
            "Ahli Muda",
            "Kementerian Hukum dan HAM",
            "Kantor Wilayah Jawa Barat",
            1,
            "Baik",
        ]
    )
    example.cell(row=2, column=1).number_format = "@"
    return xlsx.to_bytes(wb)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def baca(data: bytes) -> list[tuple[int, ops.DataPeserta | str]]:
    """The rows of an import file: (row number, participant) or (row number, reason it cannot be read)."""
    if not data:
        raise ImporError(_l("Choose the Excel file (.xlsx) to import."))
    try:
        sheet = xlsx.open_sheet(data, "Peserta")
    except workbook_check.Refused as exc:  # no workbook, or too big to open (a zip bomb)
        raise ImporError(exc.message) from None
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = {str(h).strip().lower(): i for i, h in enumerate(header) if h is not None and str(h).strip()}
    columns = {}
    for title, field_name, required, _explanation in KOLOM:
        if title.lower() in names:
            columns[field_name] = names[title.lower()]
        elif required:
            raise ImporError(_l('The column "%(c)s" is missing from the first row; use the template.', c=title))
    result: list[tuple[int, ops.DataPeserta | str]] = []
    for number, row in enumerate(rows, start=2):
        if not row or all(v is None or str(v).strip() == "" for v in row):
            continue
        if len(result) >= MAKS_BARIS:
            raise ImporError(_l("At most %(n)d participants per file.", n=MAKS_BARIS))
        values = {f: (row[i] if i < len(row) else None) for f, i in columns.items()}
        raw_nip = values.get("nip")
        if isinstance(raw_nip, float) or (isinstance(raw_nip, int) and len(str(raw_nip)) != 18):
            result.append(
                (number, str(_l("the NIP was saved as a number and Excel rounded it; format the NIP column as text")))
            )
            continue
        wave = _text(values.get("gelombang"))
        if wave and not wave.isdigit():
            result.append((number, str(_l("the wave must be a number"))))
            continue
        data_row = ops.DataPeserta(**{f: _text(v) for f, v in values.items() if f != "gelombang"})
        data_row.gelombang = int(wave) if wave else None
        result.append((number, data_row))
    sheet.parent.close()  # a read-only workbook keeps its file open until closed
    return result


def acara(kegiatan_id: int, user):
    """The event to import into: one the caller sees and may add participants to, not finished."""
    item = ops.kegiatan(kegiatan_id, user)
    ops._admin(item, user)
    ops._bukan_selesai(item)
    return item


def siapkan(item, user, data: bytes, progres=None) -> list:
    """Everything of an import but saving: every row is checked (NIP, name, rank, position, duplicates
    in the file or the event, room in the wave); ImporError naming every bad row, or the participants
    ready to add. Writes nothing. `progres(n)` hears how many rows are checked, every 100 rows."""
    rows = baca(data)
    if not rows:
        raise ImporError(_l("The file has no participant rows."))
    ctx = ops.konteks_peserta(item, user)
    ready, bad = [], []
    for i, (number, row) in enumerate(rows, start=1):
        if progres is not None and i % 100 == 0:
            progres(i)
        if isinstance(row, str):
            bad.append(BarisGagal(number, row))
            continue
        checked = ops.periksa_peserta(ctx, row)
        if isinstance(checked, list):
            bad.append(BarisGagal(number, "; ".join(checked)))
        else:
            ready.append(checked)
    if bad:
        raise ImporError(_l("Nothing was imported: %(n)d row(s) have errors.", n=len(bad)), bad)
    return ready


def simpan(item, ready: list, user) -> int:
    """Add the checked participants in one transaction (committed with whatever the session holds); the
    event is claimed first (app/konkurensi.py), so a change made meanwhile makes it a 409, not a double."""
    ops.tambah_peserta_banyak(item, ready, user, str(_l("%(n)d participants imported from Excel", n=len(ready))))
    return len(ready)


def impor_peserta(kegiatan_id: int, user, data: bytes, seen_versi: int | None = None) -> int:
    """Import the participants of an .xlsx file into an event: one bad row and nothing is imported.
    Returns the number imported. `seen_versi`: the event's version on the page that sent it. (A file of
    many rows goes to the job queue instead: app/penilaian/impor_job.py.)"""
    item = acara(kegiatan_id, user)
    # Claimed before the rows are checked: a repeated upload is refused as such, not for its duplicate NIPs.
    claim(item, ops.PenilaianError, seen_versi)
    return simpan(item, siapkan(item, user, data), user)


def ekspor_hasil(kegiatan_id: int, user) -> bytes:
    """The results table of an event (the participants the caller may see) as .xlsx."""
    item = ops.kegiatan(kegiatan_id, user)
    results = ops.hasil_kegiatan(kegiatan_id, user)
    codes = [k.kompetensi.kode for k in item.kompetensi]
    header = ["No", "NIP", "Nama", "Jabatan acuan"]
    for code in codes:
        header += [f"{code} standar", f"{code} konsensus", f"{code} selisih"]
    header += ["JPM (%)", "Kategori", "Skor potensi", "Kelas potensi", "Kinerja", "Kotak", "Terkunci", "Berlaku sampai"]
    wb, sheet = xlsx.workbook("Hasil", header)
    for r in results:
        p, h = r.peserta, r.hitung
        jabatan = ops.jabatan_acuan(p, item)
        label = str(p.jabatan_target or p.jabatan or item.jabatan_target or "") if jabatan else ""
        line = [p.nomor, p.nip, p.nama_lengkap, label]
        by_code = {b.kode: b for b in h.baris}
        for code in codes:
            b = by_code.get(code)
            line += [_num(b.standar if b else None), _num(b.konsensus if b else None), _num(b.selisih if b else None)]
        line += [
            _num(h.jpm),
            str(calc.KATEGORI_LABELS.get(h.kategori, "")) if h.kategori else "",
            _num(h.skor_potensi),
            str(calc.KELAS_POTENSI_LABELS.get(h.kelas_potensi, "")) if h.kelas_potensi else "",
            str(calc.KINERJA_LABELS.get(h.tingkat_kinerja, "")) if h.tingkat_kinerja else "",
            h.kotak,
            "ya" if r.tersimpan else "tidak",
            r.berlaku_sampai.isoformat() if r.berlaku_sampai else "",
        ]
        sheet.append(line)
    return xlsx.to_bytes(wb)


def _num(value):
    return float(value) if value is not None else None
