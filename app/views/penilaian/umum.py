"""What the assessment pages share: the menu category, cell formatters, form parsing and the refusal
shown to the user. What other pages share with them lives lower, in app/views/base.py and
app/formatting.py."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, g
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from app import bounds
from app.penilaian import hasil as calc
from app.penilaian import operations as ops

CATEGORY = "Penilaian"
CATEGORY_LABEL = _l("Assessment")
PREDIKAT_KINERJA = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]


def _label(mapping):
    return lambda v: str(mapping.get(v, v)) if v else ""


def _dash(v) -> str:
    """An empty relation or value as a dash, never "None"."""
    return "—" if v is None or v == "" else str(v)


def _yes_no(v) -> str:
    return str(_l("yes") if v else _l("no"))


def _jam(value: str) -> dt.datetime | None:
    """A `datetime-local` input in the office time zone, as naive UTC (how times are stored)."""
    try:
        local = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return local.replace(tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)


_int = bounds.whole  # a number typed into the form; None when it is none or beyond the database's range


def _refused(exc: ops.PenilaianError):
    """404 for what the caller may not see; a flash message for everything else."""
    if exc.status == 404:
        abort(404)
    flash(str(exc), "danger")


class LevelOnScale:
    """A level on the 1–5 scale (half steps allowed)."""

    def __call__(self, form, field):
        if field.data is not None and not calc.level_sah(field.data):
            raise ValidationError(_l("A level is a number from 1 to 5 in steps of 0.5."))


def _can(check, item) -> bool:
    try:
        check(item, g.user)
    except ops.PenilaianError:
        return False
    return True


def _my_pegawai_id():
    return getattr(g.user, "pegawai_id", None) or -1


# The participant's labels, shared by the participant list and the assessor meeting (one dict, as FAB
# completes it in place).
PESERTA_LABELS = {
    "nomor": _l("No."),
    "nama_lengkap": _l("Name"),
    "nama": _l("Name"),
    "nip": _l("NIP"),
    "pangkat": _l("Rank/Grade"),
    "jabatan": _l("Position"),
    "jabatan_target": _l("Position compared with"),
    "instansi_nama": _l("Agency"),
    "unit_nama": _l("Work Unit"),
    "kegiatan": _l("Event"),
    "gelombang": _l("Wave"),
    "predikat_kinerja": _l("Performance rating (SKP)"),
    "intake_lengkap": _l("Intake complete"),
    "terkunci": _l("Result locked"),
}
