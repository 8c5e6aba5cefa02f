"""Recap of an event: participants × competencies (standard, level, gap), JPM, category and nine-box
counts, per wave and for the whole event; the same figures as the results page (`ops.hasil_kegiatan`,
stored results as stored), on screen, as an Excel workbook (one sheet per wave and a summary with a
native bar chart of the categories) and in the wording of the result documents.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.documents import wording
from app.extensions import db
from app.models import Gelombang, KegiatanPenilaian, Peserta
from app.penilaian import hasil as calc
from app.penilaian import operations as ops
from app.xlsx import to_bytes

BELUM = "belum"  # no category yet (no complete consensus)
KATEGORI_SKEMA = {
    calc.PENGISIAN: ("ms", "mms", "kms"),
    calc.PEMETAAN: ("optimal", "cukup_optimal", "kurang_optimal"),
}


@dataclass
class Bagian:
    """The results of a group of participants (one wave, or the whole event) with their counts."""

    judul: str
    hasil: list[ops.HasilPeserta]
    kategori: list[tuple[str, str, int]]  # (code, label, count), the scheme's order, then "no category yet"
    kotak: dict[int, int]  # nine-box number → count
    tanpa_kotak: int

    @property
    def jumlah(self) -> int:
        return len(self.hasil)


@dataclass
class Rekap:
    kegiatan: KegiatanPenilaian
    kompetensi: list  # KompetensiKegiatan, in order
    gelombang: list[Bagian]
    semua: Bagian


def kategori_urut(item: KegiatanPenilaian) -> tuple[str, ...]:
    """The category codes of the event's scheme, best first."""
    return KATEGORI_SKEMA[calc.skema(item.tujuan, ops.ketentuan_kegiatan(item))]


def _bagian(judul: str, hasil: list[ops.HasilPeserta], codes: tuple[str, ...]) -> Bagian:
    counts = Counter(r.hitung.kategori or BELUM for r in hasil)
    kategori = [(c, str(calc.KATEGORI_LABELS[c]), counts.get(c, 0)) for c in codes]
    # A stored result of another scheme (rules changed later) still counts, under its own name.
    other = [c for c in counts if c not in codes and c != BELUM]
    kategori += [(c, str(calc.KATEGORI_LABELS.get(c, c)), counts[c]) for c in other]
    kategori.append((BELUM, str(_l("No category yet")), counts.get(BELUM, 0)))
    boxes = Counter(r.hitung.kotak for r in hasil if r.hitung.kotak)
    return Bagian(judul, hasil, kategori, {n: boxes.get(n, 0) for n in range(1, 10)},
                  sum(1 for r in hasil if not r.hitung.kotak))  # fmt: skip


def hitung_rekap(item: KegiatanPenilaian, user) -> Rekap:
    """The recap of an event already loaded through the caller's scope: the participants they may see."""
    results = ops.hasil_semua(item, ops.peserta_terlihat(item, user))
    codes = kategori_urut(item)
    waves = db.session.execute(select(Gelombang).where(Gelombang.kegiatan_id == item.id).order_by(Gelombang.nomor))
    parts = []
    for wave in waves.scalars():
        members = [r for r in results if r.peserta.gelombang_id == wave.id]
        if members:
            parts.append(_bagian(str(wave), members, codes))
    return Rekap(item, list(item.kompetensi), parts, _bagian(str(_l("All participants")), results, codes))


def rekap(kegiatan_id: int, user) -> Rekap:
    """The recap of an event the caller may see (their participants only)."""
    return hitung_rekap(ops.kegiatan(kegiatan_id, user), user)


def grafik_kategori(data: Bagian):
    """The category distribution as a bar chart (app/charts.py: the same SVG on screen and in PDFs)."""
    from app import charts

    labels = [label for _c, label, _n in data.kategori]
    total = sum(n for *_x, n in data.kategori)
    return charts.bar_chart(labels, [charts.Series(str(_l("Participants")), [n for *_x, n in data.kategori])],
                            horizontal=True, title=str(_l("Category distribution")),
                            description=str(_l("Participants per category; %(n)d in all.", n=total)))  # fmt: skip


# -- Excel ------------------------------------------------------------------------------------------


def _num(value):
    return float(value) if value is not None else None


def xlsx(kegiatan_id: int, user) -> bytes:
    """The recap as a formatted workbook: a summary sheet with the counts and a native bar chart of the
    categories, then one sheet per wave (participants × competencies, JPM, category, nine-box)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    data = rekap(kegiatan_id, user)
    item = data.kegiatan
    bold = Font(bold=True)
    title = Font(bold=True, size=13)
    head_fill = PatternFill("solid", fgColor="DDE5F0")
    thin = Side(style="thin", color="888888")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    red = Font(color="C00000")

    wb = Workbook()
    summary = wb.active
    summary.title = "Ringkasan"
    summary["A1"] = f"Rekapitulasi hasil penilaian kompetensi: {item.nama}"
    summary["A1"].font = title
    summary["A2"] = f"Tujuan: {item.tujuan_label}"
    summary["A3"] = f"Unit penyelenggara: {item.unit_kerja.nama}"
    summary["A4"] = f"Jumlah peserta: {data.semua.jumlah}"
    row = 6
    summary.cell(row, 1, "Kategori").font = bold
    for col, wave in enumerate(data.gelombang, start=2):
        summary.cell(row, col, wave.judul).font = bold
    total_col = len(data.gelombang) + 2
    summary.cell(row, total_col, "Jumlah").font = bold
    first = row + 1
    for i, (code, label, count) in enumerate(data.semua.kategori):
        r = first + i
        summary.cell(r, 1, label)
        for col, wave in enumerate(data.gelombang, start=2):
            summary.cell(r, col, dict((c, n) for c, _l2, n in wave.kategori).get(code, 0))
        summary.cell(r, total_col, count).font = bold
    last = first + len(data.semua.kategori) - 1
    for r in range(row, last + 1):
        for c in range(1, total_col + 1):
            summary.cell(r, c).border = box
            if r == row:
                summary.cell(r, c).fill = head_fill
                summary.cell(r, c).alignment = center

    chart = BarChart()
    chart.type = "col"
    chart.title = "Sebaran kategori"
    chart.y_axis.title = "Peserta"
    chart.legend = None
    chart.add_data(Reference(summary, min_col=total_col, min_row=row, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(summary, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 7.5, 16
    summary.add_chart(chart, f"{get_column_letter(total_col + 2)}{row}")

    row = last + 3
    summary.cell(row, 1, "Sembilan kotak (nine-box)").font = bold
    # The grid as DOMAIN.md draws it: potential rows (high on top) × performance columns.
    grid = [(calc.TINGGI, (6, 8, 9)), (calc.MENENGAH, (3, 5, 7)), (calc.RENDAH, (1, 2, 4))]
    summary.cell(row + 1, 1, "Potensi \\ Kinerja").font = bold
    for c, level in enumerate((calc.DI_BAWAH, calc.SESUAI, calc.DI_ATAS), start=2):
        summary.cell(row + 1, c, str(calc.KINERJA_LABELS[level])).font = bold
    for i, (kelas, boxes) in enumerate(grid):
        r = row + 2 + i
        summary.cell(r, 1, str(calc.KELAS_POTENSI_LABELS[kelas])).font = bold
        for c, number in enumerate(boxes, start=2):
            summary.cell(r, c, data.semua.kotak[number])
    for r in range(row + 1, row + 5):
        for c in range(1, 5):
            summary.cell(r, c).border = box
            summary.cell(r, c).alignment = center
    summary.cell(row + 5, 1, "Belum masuk kotak")
    summary.cell(row + 5, 2, data.semua.tanpa_kotak)
    summary.column_dimensions["A"].width = 38
    for c in range(2, total_col + 1):
        summary.column_dimensions[get_column_letter(c)].width = 16

    codes = [k.kompetensi.kode for k in data.kompetensi]
    for wave in data.gelombang:
        sheet = wb.create_sheet(wave.judul[:31])
        sheet["A1"] = f"{wave.judul} — {item.nama}"
        sheet["A1"].font = title
        top, sub = 3, 4
        fixed = ["No", "NIP", "Nama", "Jabatan"]
        for c, label in enumerate(fixed, start=1):
            sheet.cell(top, c, label)
            sheet.merge_cells(start_row=top, start_column=c, end_row=sub, end_column=c)
        col = len(fixed) + 1
        for k in data.kompetensi:
            sheet.cell(top, col, f"{k.kompetensi.kode} {k.kompetensi.nama}")
            sheet.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + 2)
            for j, label in enumerate(("Standar", "Level", "Selisih")):
                sheet.cell(sub, col + j, label)
            col += 3
        tail = ["JPM (%)", "Kategori", "Skor potensi", "Kelas potensi", "Kinerja", "Kotak", "Status"]
        for j, label in enumerate(tail):
            sheet.cell(top, col + j, label)
            sheet.merge_cells(start_row=top, start_column=col + j, end_row=sub, end_column=col + j)
        width = col + len(tail) - 1
        for r in (top, sub):
            for c in range(1, width + 1):
                cell = sheet.cell(r, c)
                cell.font, cell.fill, cell.alignment, cell.border = bold, head_fill, center, box
        r = sub + 1
        for res in wave.hasil:
            p, h = res.peserta, res.hitung
            by_code = {b.kode: b for b in h.baris}
            values = [p.nomor, p.nip, p.nama_lengkap, str(p.jabatan or "")]
            for code in codes:
                b = by_code.get(code)
                values += [_num(b.standar if b else None), _num(b.konsensus if b else None),
                           _num(b.selisih if b else None)]  # fmt: skip
            values += [
                _num(h.jpm),
                res.kategori_label,
                _num(h.skor_potensi),
                str(calc.KELAS_POTENSI_LABELS.get(h.kelas_potensi, "")) if h.kelas_potensi else "",
                str(calc.KINERJA_LABELS.get(h.tingkat_kinerja, "")) if h.tingkat_kinerja else "",
                h.kotak,
                "terkunci" if res.tersimpan else "sementara",
            ]
            for c, value in enumerate(values, start=1):
                cell = sheet.cell(r, c, value)
                cell.border = box
            for j in range(len(codes)):
                gap = sheet.cell(r, len(fixed) + 3 * j + 3)
                gap.number_format = "+0.0;-0.0;0.0"
                if isinstance(gap.value, float) and gap.value < 0:
                    gap.font = red
                for off in (1, 2):
                    sheet.cell(r, len(fixed) + 3 * j + off).number_format = "0.0"
            sheet.cell(r, col).number_format = "0.00"
            sheet.cell(r, col + 2).number_format = "0.00"
            r += 1
        sheet.freeze_panes = sheet.cell(sub + 1, len(fixed) + 1)
        sheet.column_dimensions["A"].width = 5
        sheet.column_dimensions["B"].width = 21
        sheet.column_dimensions["C"].width = 34
        sheet.column_dimensions["D"].width = 30
        for c in range(len(fixed) + 1, width + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 9
        sheet.column_dimensions[get_column_letter(col + 1)].width = 30
        sheet.column_dimensions[get_column_letter(col + 3)].width = 14
        sheet.column_dimensions[get_column_letter(col + 4)].width = 18
    return to_bytes(wb)  # formula-looking names stay text (app/xlsx.py)


# -- the wording of result documents ------------------------------------------------------------------


@wording.context_provider(
    "penilaian",
    example={
        "kegiatan": "Contoh kegiatan",
        "jumlah": 1,
        "peserta": [
            {
                "nomor": 1,
                "nama": "Contoh",
                "nip": "1",
                "jabatan": "",
                "gelombang": 1,
                "jpm": "80,00",
                "kategori": "Optimal",
                "kotak": 5,
            }
        ],  # fmt: skip
        "kategori": [{"nama": "Optimal", "jumlah": 1}],
    },
)
def _konteks_dokumen(kasus) -> dict | None:
    """The case's assessment event for the result documents ("Laporan hasil penilaian kompetensi",
    "Pengumuman hasil"): every participant with JPM and category, and the category counts. None when
    the case has no event: the wording then falls back to "terlampir"."""
    from babel.numbers import format_decimal

    if kasus is None or getattr(kasus, "id", None) is None:
        return None
    item = db.session.execute(select(KegiatanPenilaian).where(KegiatanPenilaian.kasus_id == kasus.id)).scalar()
    if item is None:
        return None
    # The case's own record: whoever drafts the case's documents sees its event.
    members = db.session.execute(select(Peserta).where(Peserta.kegiatan_id == item.id).order_by(Peserta.nomor))
    results = ops.hasil_semua(item, list(members.scalars()))
    semua = _bagian("", results, kategori_urut(item))
    return {
        "kegiatan": _sel(item.nama),
        "jumlah": len(results),
        "peserta": [
            {
                "nomor": r.peserta.nomor,
                "nama": _sel(r.peserta.nama_lengkap),
                "nip": r.peserta.nip_tampil,
                "jabatan": _sel(r.peserta.jabatan or ""),
                "gelombang": r.peserta.gelombang.nomor if r.peserta.gelombang else "",
                "jpm": format_decimal(r.hitung.jpm, format="0.00", locale="id") if r.hitung.jpm is not None else "-",
                "kategori": r.kategori_label or "-",
                "kotak": r.hitung.kotak or "-",
            }
            for r in results
        ],
        "kategori": [{"nama": label, "jumlah": n} for _c, label, n in semua.kategori],
    }


def _sel(value) -> str:
    """A table cell of the wording: "|" separates cells, a line break would end the row."""
    return " ".join(str(value).replace("|", "/").split())
