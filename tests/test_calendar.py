"""Mutu baku budgets on the working-day calendar (WIB, 07:30-16:00, Mon-Fri, holidays, cuti bersama)."""

import datetime as dt

import pytest

from app.workflow.calendar import Budget, WorkCalendar, parse_waktu


def utc(y, m, d, hh, mm=0):
    """A WIB wall-clock time as the naive UTC value the database stores."""
    return dt.datetime(y, m, d, hh, mm) - dt.timedelta(hours=7)


CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("10 menit", Budget(10, "menit")),
        ("1 Jam", Budget(1, "jam")),
        ("2 minggu", Budget(2, "minggu")),
        ("3 hari", Budget(3, "hari")),
        ("120 menit", Budget(120, "menit")),
        ("Maksimal 7 hari setelah pelaksanaan kegiatan", Budget(7, "hari", "tanggal_kegiatan")),
        ("menyesuaikan lamanya kegiatan", None),
        ("", None),
    ],
)
def test_parse_waktu(text, budget):
    assert parse_waktu(text) == budget


def test_minutes_within_office_hours():
    assert CAL.due(utc(2026, 11, 24, 9, 0), Budget(10, "menit")) == utc(2026, 11, 24, 9, 10)


def test_hours_across_a_weekend():
    # Friday 15:00 + 2 jam: one hour on Friday, one on Monday from 07:30.
    assert CAL.due(utc(2026, 11, 20, 15, 0), Budget(2, "jam")) == utc(2026, 11, 23, 8, 30)


def test_started_outside_office_hours_counts_from_next_opening():
    # Tuesday 18:00 + 30 menit -> Wednesday 08:00; Saturday -> Monday 08:00.
    assert CAL.due(utc(2026, 11, 24, 18, 0), Budget(30, "menit")) == utc(2026, 11, 25, 8, 0)
    assert CAL.due(utc(2026, 11, 21, 10, 0), Budget(30, "menit")) == utc(2026, 11, 23, 8, 0)


def test_days_end_at_closing_time_of_the_last_working_day():
    # Thursday 10:00 + 3 hari kerja: Thursday, Friday, Monday -> Monday at 16:00.
    assert CAL.due(utc(2026, 11, 19, 10, 0), Budget(3, "hari")) == utc(2026, 11, 23, 16, 0)


def test_one_day_entered_friday_after_closing_is_due_monday_at_closing():
    # Friday 13 March 2026 16:30 is after office hours: the first working day is Monday 16 March.
    assert CAL.due(utc(2026, 3, 13, 16, 30), Budget(1, "hari")) == utc(2026, 3, 16, 16, 0)


def test_days_across_a_public_holiday_of_2026():
    # Friday 14 Aug 2026 after closing + 1 hari: Monday 17 Aug is Independence Day -> Tuesday 18 Aug.
    assert CAL.due(utc(2026, 8, 14, 16, 30), Budget(1, "hari")) == utc(2026, 8, 18, 16, 0)
    # Thursday 24 Dec is cuti bersama, 25 Dec Christmas, then the weekend -> Monday 28 Dec.
    assert CAL.due(utc(2026, 12, 24, 10, 0), Budget(1, "hari")) == utc(2026, 12, 28, 16, 0)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 3, 17), True),  # Tuesday before Nyepi
        (dt.date(2026, 3, 18), False),  # cuti bersama Nyepi
        (dt.date(2026, 3, 19), False),  # Nyepi
        (dt.date(2026, 3, 20), False),  # cuti bersama Idul Fitri
        (dt.date(2026, 3, 23), False),  # cuti bersama Idul Fitri
        (dt.date(2026, 3, 24), False),  # cuti bersama Idul Fitri
        (dt.date(2026, 3, 25), True),  # back to work
    ],
)
def test_lebaran_2026_cuti_bersama_are_not_working_days(day, working):
    assert CAL.is_working_day(day) is working


def test_lebaran_2026_budget_jumps_over_cuti_bersama_and_holidays():
    # Tuesday 17 March 10:00 + 2 hari: Tuesday, then 18-24 March are off -> Wednesday 25 March 16:00.
    assert CAL.due(utc(2026, 3, 17, 10, 0), Budget(2, "hari")) == utc(2026, 3, 25, 16, 0)
    # Tuesday 17 March 15:00 + 2 jam: one hour on Tuesday, one from 07:30 on Wednesday 25 March.
    assert CAL.due(utc(2026, 3, 17, 15, 0), Budget(2, "jam")) == utc(2026, 3, 25, 8, 30)


def test_agency_that_works_on_cuti_bersama():
    cal = WorkCalendar(cuti_bersama=False)
    assert cal.is_working_day(dt.date(2026, 3, 18)) and cal.is_working_day(dt.date(2026, 3, 24))
    assert not cal.is_working_day(dt.date(2026, 3, 19))  # Nyepi stays a public holiday
    assert cal.due(utc(2026, 3, 17, 10, 0), Budget(2, "hari")) == utc(2026, 3, 18, 16, 0)


def test_agency_own_day_off_is_skipped():
    cal = WorkCalendar({dt.date(2026, 12, 22)})
    # Monday 21 Dec after closing + 1 hari: Tuesday 22 Dec is the agency's day off -> Wednesday 23 Dec.
    assert cal.due(utc(2026, 12, 21, 16, 30), Budget(1, "hari")) == utc(2026, 12, 23, 16, 0)


def test_weeks_are_five_working_days():
    # Monday 2 Nov 09:00 + 2 minggu = 10 working days: the second Friday, 13 Nov, at 16:00.
    assert CAL.due(utc(2026, 11, 2, 9, 0), Budget(2, "minggu")) == utc(2026, 11, 13, 16, 0)


def test_menyesuaikan_has_no_due_time():
    assert CAL.due(utc(2026, 11, 24, 9, 0), parse_waktu("menyesuaikan lamanya kegiatan")) is None


def test_relative_deadline_counts_from_the_activity_date():
    budget = parse_waktu("Maksimal 7 hari setelah pelaksanaan kegiatan")
    assert CAL.due(utc(2026, 11, 2, 9, 0), budget) is None  # activity date unknown yet
    # Activity on Friday 6 Nov: 7 working days later is Tuesday 17 Nov, end of office hours.
    assert CAL.due(utc(2026, 11, 2, 9, 0), budget, dt.date(2026, 11, 6)) == utc(2026, 11, 17, 16, 0)


def test_working_minutes_between_skips_nights_and_weekends():
    assert CAL.working_minutes_between(utc(2026, 11, 20, 15, 0), utc(2026, 11, 23, 8, 30)) == 120
    assert CAL.working_minutes_between(utc(2026, 11, 21, 8, 0), utc(2026, 11, 22, 12, 0)) == 0


def test_office_hours_are_configurable():
    cal = WorkCalendar(start=dt.time(8, 0), end=dt.time(16, 0))
    assert cal.due(utc(2026, 11, 24, 7, 0), Budget(1, "jam")) == utc(2026, 11, 24, 9, 0)
