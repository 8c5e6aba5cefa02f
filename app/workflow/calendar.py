"""Working-day calendar for mutu baku time budgets.

Working time is Monday-Friday within office hours (default 07:30-16:00 WIB), minus
Indonesian public holidays and the government's cuti bersama (the `holidays` package's
PUBLIC and GOVERNMENT categories; an agency may switch cuti bersama off) and the agency's
own days off. Datetimes are stored naive in UTC; the calendar works in Asia/Jakarta.

Budgets: minutes and hours count working minutes and spill into the next working morning;
N days (a week = 5 days) end at the close of office hours of the Nth working day, the first
being the day of the first working instant at or after the start (a step entered on Friday
after closing time starts on Monday, so "1 hari" is due Monday at closing time).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import threading
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays as holidays_lib
from dateutil.relativedelta import relativedelta
from holidays.constants import GOVERNMENT, PUBLIC

# The parsed time standard lives in a leaf module (the SOP model reads it too); named here as well.
from app.waktu import UNITS, Budget, parse_waktu  # noqa: F401

WIB = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC

_INDONESIA = "holidays.countries.indonesia"
_preload_lock = threading.Lock()


def _preload_indonesia() -> None:
    """Load Indonesia's module of the `holidays` package on its own.

    Importing any one country through the package runs `holidays/countries/__init__.py`, which
    imports all of them (about 250 modules, 8 MB in every worker). With Indonesia's module
    already in `sys.modules`, `country_holidays("ID")` uses it and imports nothing else. If the
    file is not where this version of the package keeps it, the package's own import is used."""
    with _preload_lock:
        if _INDONESIA in sys.modules:
            return
        spec = importlib.util.spec_from_file_location(
            _INDONESIA, Path(holidays_lib.__file__).parent / "countries" / "indonesia.py"
        )
        if spec is None or spec.loader is None:
            return
        module = importlib.util.module_from_spec(spec)
        sys.modules[_INDONESIA] = module
        try:
            spec.loader.exec_module(module)
        except (ImportError, OSError, AttributeError):
            del sys.modules[_INDONESIA]


@lru_cache(maxsize=64)
def _public_holidays(year: int, cuti_bersama: bool = True) -> frozenset[dt.date]:
    """National days off of one year: public holidays, and (by default) the cuti bersama."""
    _preload_indonesia()
    categories = (PUBLIC, GOVERNMENT) if cuti_bersama else (PUBLIC,)
    return frozenset(holidays_lib.country_holidays("ID", years=year, categories=categories).keys())


class WorkCalendar:
    def __init__(
        self,
        extra_days_off: frozenset[dt.date] | set[dt.date] = frozenset(),
        start: dt.time = dt.time(7, 30),
        end: dt.time = dt.time(16, 0),
        cuti_bersama: bool = True,
    ):
        """`extra_days_off`: the agency's own days off; `cuti_bersama`: whether the government's
        cuti bersama are days off (the default; an agency may switch them off)."""
        if end <= start:
            raise ValueError("office hours must end after they start")
        self.extra = frozenset(extra_days_off)
        self.start, self.end = start, end
        self.cuti_bersama = cuti_bersama

    # -- days ---------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in _public_holidays(day.year, self.cuti_bersama) and day not in self.extra

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def _open(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.start, WIB)

    def _close(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.end, WIB)

    def _clamp(self, moment: dt.datetime) -> dt.datetime:
        """The first working instant at or after `moment` (local time)."""
        day = moment.date()
        if self.is_working_day(day):
            if moment < self._open(day):
                return self._open(day)
            if moment < self._close(day):
                return moment
        return self._open(self.next_working_day(day))

    # -- budgets ------------------------------------------------------------
    def add_working_minutes(self, moment: dt.datetime, minutes: int) -> dt.datetime:
        current = self._clamp(moment)
        remaining = dt.timedelta(minutes=minutes)
        while True:
            available = self._close(current.date()) - current
            if remaining <= available:
                return current + remaining
            remaining -= available
            current = self._open(self.next_working_day(current.date()))

    def end_of_working_days(self, moment: dt.datetime, days: int) -> dt.datetime:
        """The close of office hours of the `days`-th working day, counting the day of the first
        working instant at or after `moment` as the first."""
        current = self._clamp(moment)
        if days <= 0:
            return current
        day = current.date()
        for _ in range(days - 1):
            day = self.next_working_day(day)
        return self._close(day)

    def due(self, start_utc: dt.datetime, budget: Budget | None, acuan: dt.date | None = None) -> dt.datetime | None:
        """Due time (naive UTC) of a step entered at `start_utc` with this budget."""
        if budget is None:
            return None
        if budget.acuan:
            if acuan is None:
                return None  # the reference date is not known yet: no due time
            if budget.satuan in ("hari", "minggu"):
                # "N hari setelah <tanggal>": until the end of the Nth working day after that date.
                day = acuan
                for _ in range(budget.nilai * (5 if budget.satuan == "minggu" else 1)):
                    day = self.next_working_day(day)
                return self._close(day).astimezone(UTC).replace(tzinfo=None)
            local = self._close(acuan)
        else:
            local = start_utc.replace(tzinfo=UTC).astimezone(WIB)
        if budget.satuan == "menit":
            result = self.add_working_minutes(local, budget.nilai)
        elif budget.satuan == "jam":
            result = self.add_working_minutes(local, budget.nilai * 60)
        elif budget.satuan == "hari":
            result = self.end_of_working_days(local, budget.nilai)
        elif budget.satuan == "minggu":
            result = self.end_of_working_days(local, budget.nilai * 5)
        else:  # bulan: calendar months, then the next working instant
            result = self._clamp(local + relativedelta(months=budget.nilai))
        return result.astimezone(UTC).replace(tzinfo=None)

    def working_minutes_between(self, start_utc: dt.datetime, end_utc: dt.datetime) -> int:
        """Working minutes elapsed between two naive-UTC datetimes (time spent on a step)."""
        if end_utc <= start_utc:
            return 0
        start = start_utc.replace(tzinfo=UTC).astimezone(WIB)
        end = end_utc.replace(tzinfo=UTC).astimezone(WIB)
        total = dt.timedelta()
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                lo = max(start, self._open(day))
                hi = min(end, self._close(day))
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return int(total.total_seconds() // 60)

    def budget_minutes(self, budget: Budget | None) -> int | None:
        """A budget expressed in working minutes, for comparing actual durations."""
        if budget is None:
            return None
        per_day = int(
            (dt.datetime.combine(dt.date.min, self.end) - dt.datetime.combine(dt.date.min, self.start)).total_seconds()
            // 60
        )
        factor = {"menit": 1, "jam": 60, "hari": per_day, "minggu": 5 * per_day, "bulan": 21 * per_day}
        return budget.nilai * factor[budget.satuan]
