"""The independent assessor team's Excel (openpyxl): the assessment-center score of each candidate of a
JPT selection. All rows or none: every bad row (unknown NIP, a candidate twice, a score that is not
0–100) is named by its row number and nothing changes.

Sheet "Hasil Assessment" (or the first sheet), one header row matched without regard to case:
NIP (text, 18 digits), Nama (for the reader; not checked), Nilai (0–100, e.g. the JPM in percent).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import nip as nip_mod
from app import workbook_check, xlsx
from app.jpt import operations as ops
from app.models.jpt import SeleksiJpt, SumberAssessment
from app.penilaian.impor import BarisGagal

SHEET = "Hasil Assessment"
KOLOM = ["NIP", "Nama", "Nilai"]
MAKS_BARIS = 2000
# The file is read while the request waits (a selection has tens of candidates): limits that keep the
# slowest accepted file near one second (app/workbook_check.py).
LIMITS = workbook_check.Limits(rows=5_000, cells=40_000, elements=30_000)


class ImporError(ops.JptError):
    """The import was refused; nothing changed. `baris` lists the bad rows."""

    def __init__(self, message, baris: list[BarisGagal] | None = None):
        super().__init__(message, 422)
        self.baris = baris or []


def templat(item: SeleksiJpt) -> bytes:
    """The sheet the assessor team fills: the selection's candidates with an empty score column."""
    wb, sheet = xlsx.workbook(SHEET, KOLOM)
    for row in item.kandidat:
        sheet.append([row.nip, row.nama, row.nilai_assessment])
    for number in range(2, len(item.kandidat) + 2):
        sheet.cell(row=number, column=1).number_format = "@"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 40
    return xlsx.to_bytes(wb)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(data: bytes) -> list[tuple[int, tuple]]:
    if not data:
        raise ImporError(_l("Choose the Excel file (.xlsx) to import."))
    try:
        sheet = xlsx.open_sheet(data, SHEET, LIMITS)
    except workbook_check.Refused as exc:  # no workbook, or too big to open (a zip bomb)
        raise ImporError(exc.message) from None
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip().lower() if h is not None else "" for h in (next(rows, None) or ())]
    for title in ("NIP", "Nilai"):
        if title.lower() not in header:
            raise ImporError(_l('The column "%(c)s" is missing from the first row; use the template.', c=title))
    nip_at, nilai_at = header.index("nip"), header.index("nilai")
    result = []
    for number, row in enumerate(rows, start=2):
        if not row or all(v is None or str(v).strip() == "" for v in row):
            continue
        if len(result) >= MAKS_BARIS:
            raise ImporError(_l("At most %(n)d rows per file.", n=MAKS_BARIS))
        cells = [row[i] if i < len(row) else None for i in (nip_at, nilai_at)]
        result.append((number, tuple(cells)))
    sheet.parent.close()  # a read-only workbook keeps its file open until closed
    return result


def impor_assessment(item: SeleksiJpt, data: bytes) -> int:
    """Set the candidates' assessment-center scores from the file; returns how many were set."""
    ops._belum_beku(item)
    rows = _rows(data)
    if not rows:
        raise ImporError(_l("The file has no candidate rows."))
    by_nip = {k.nip: k for k in item.kandidat}
    seen: dict[str, int] = {}
    ready, bad = [], []
    for number, (raw_nip, raw_score) in rows:
        if isinstance(raw_nip, float) or (isinstance(raw_nip, int) and len(str(raw_nip)) != 18):
            bad.append(BarisGagal(number, str(_l("the NIP was saved as a number and Excel rounded it; "
                                                 "format the NIP column as text"))))  # fmt: skip
            continue
        try:
            digits = nip_mod.parse(_text(raw_nip)).digits
        except nip_mod.NipError as exc:
            bad.append(BarisGagal(number, str(exc)))
            continue
        problems = []
        if digits not in by_nip:
            problems.append(str(_l("NIP %(nip)s is not a candidate of this selection", nip=nip_mod.format_nip(digits))))
        if digits in seen:
            problems.append(str(_l("the candidate already appears in row %(n)d", n=seen[digits])))
        seen.setdefault(digits, number)
        if raw_score is None or _text(raw_score) == "":
            problems.append(str(_l("the score is empty")))
        elif ops.kesalahan_nilai(raw_score if not isinstance(raw_score, str) else raw_score.replace(",", ".")):
            problems.append(str(_l("the score %(v)s is not a number from 0 to 100", v=_text(raw_score))))
        if problems:
            bad.append(BarisGagal(number, "; ".join(problems)))
        else:
            score = raw_score.replace(",", ".") if isinstance(raw_score, str) else raw_score
            ready.append((by_nip[digits], float(score)))
    if bad:
        raise ImporError(_l("Nothing was imported: %(n)d row(s) have errors.", n=len(bad)), bad)
    for row, score in ready:
        row.nilai_assessment = score
        row.sumber_assessment = SumberAssessment.IMPOR.value
    ops._reset(item)
    return len(ready)
