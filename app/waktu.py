"""Mutu baku waktu: the free text of a step's time standard ("2 jam", "7 hari kerja setelah kegiatan")
parsed into a `Budget`. Pure and a leaf: the SOP model stores the parsed budget and the working-day
calendar (app/workflow/calendar.py) counts it."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = ("menit", "jam", "hari", "minggu", "bulan")


@dataclass(frozen=True)
class Budget:
    """A parsed mutu baku waktu: `nilai` units, optionally counted from a date on the case."""

    nilai: int
    satuan: str  # one of UNITS
    acuan: str = ""  # "" = from entering the step; else the name of a case date (e.g. "tanggal_kegiatan")

    def __str__(self) -> str:
        return f"{self.nilai} {self.satuan}"


_UNIT_WORDS = {
    "menit": "menit",
    "jam": "jam",
    "hari": "hari",
    "hari kerja": "hari",
    "minggu": "minggu",
    "pekan": "minggu",
    "bulan": "bulan",
}
_NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "sepuluh": 10}
_BUDGET_RE = re.compile(
    r"(?P<n>\d+|" + "|".join(_NUMBER_WORDS) + r")\s*(?P<unit>hari kerja|menit|jam|hari|minggu|pekan|bulan)",
    re.IGNORECASE,
)


def parse_waktu(text: str | None) -> Budget | None:
    """Parse the free text of a step's waktu; None means no budget ("menyesuaikan", empty)."""
    if not text:
        return None
    lowered = " ".join(text.lower().split())
    if "menyesuaikan" in lowered or "sesuai" in lowered and not _BUDGET_RE.search(lowered):
        return None
    match = _BUDGET_RE.search(lowered)
    if not match:
        return None
    raw = match.group("n")
    nilai = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    satuan = _UNIT_WORDS[match.group("unit")]
    acuan = "tanggal_kegiatan" if re.search(r"setelah|sesudah", lowered[match.end() :]) else ""
    return Budget(nilai, satuan, acuan)
