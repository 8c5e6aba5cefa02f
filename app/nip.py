"""NIP (Nomor Induk Pegawai, Perka BKN 22/2007): parse, validate, format.

Layout of the 18 digits: birth date YYYYMMDD, TMT CPNS YYYYMM, sex 1/2, serial 001-999.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


class NipError(ValueError):
    """An invalid NIP; str() is a translated message for the user."""


@dataclass(frozen=True)
class Nip:
    digits: str
    tanggal_lahir: dt.date
    tmt_tahun: int
    tmt_bulan: int
    jenis_kelamin: str  # "L" or "P"
    nomor_urut: int

    def __str__(self) -> str:
        return format_nip(self.digits)


def normalize(value: str | None) -> str:
    """Remove the spaces and dots people type between the NIP groups."""
    return re.sub(r"[\s.]", "", value or "")


def format_nip(value: str | None) -> str:
    """Group a NIP the official way: `19640327 199201 1 002`."""
    digits = normalize(value)
    if len(digits) != 18 or not digits.isdigit():
        return value or ""
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def parse(value: str | None, today: dt.date | None = None) -> Nip:
    """Return the parsed NIP or raise NipError with a message a clerk understands."""
    today = today or dt.date.today()
    digits = normalize(value)
    if not digits:
        raise NipError(_l("NIP is required."))
    if not digits.isdigit():
        raise NipError(_l("NIP may contain only digits (spaces and dots are allowed between groups)."))
    if len(digits) != 18:
        raise NipError(_l("NIP must have 18 digits; %(n)d were given.", n=len(digits)))
    try:
        lahir = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise NipError(
            _l("The first 8 digits of the NIP (%(part)s) are not a valid birth date (YYYYMMDD).", part=digits[:8])
        ) from None
    if lahir > today:
        raise NipError(_l("The birth date in the NIP lies in the future."))
    tahun, bulan = int(digits[8:12]), int(digits[12:14])
    if not 1 <= bulan <= 12:
        raise NipError(_l("Digits 13-14 of the NIP (TMT month %(m)s) must be 01 to 12.", m=digits[12:14]))
    if (tahun, bulan) > (today.year, today.month):
        raise NipError(_l("The TMT CPNS in the NIP (%(ym)s) lies in the future.", ym=digits[8:14]))
    if (tahun, bulan) <= (lahir.year, lahir.month):
        raise NipError(_l("The TMT CPNS in the NIP comes before the birth date."))
    if digits[14] not in "12":
        raise NipError(_l("Digit 15 of the NIP must be 1 (male) or 2 (female)."))
    if digits[15:] == "000":
        raise NipError(_l("The serial number in the NIP (last 3 digits) cannot be 000."))
    return Nip(
        digits=digits,
        tanggal_lahir=lahir,
        tmt_tahun=tahun,
        tmt_bulan=bulan,
        jenis_kelamin="L" if digits[14] == "1" else "P",
        nomor_urut=int(digits[15:]),
    )


def age_warning(nip: Nip) -> str | None:
    """Age at TMT outside 18-46 is unusual: a warning, not an error."""
    age = nip.tmt_tahun - nip.tanggal_lahir.year
    if age < 18 or age > 46:
        return str(_l("Age at TMT CPNS would be %(age)d years; please check the NIP.", age=age))
    return None
