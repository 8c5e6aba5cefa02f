"""Competency assessment screens (menu "Penilaian"), by what they do, as the operations in app/penilaian/:

- kegiatan.py   events: create and edit, the event page, waves and sessions, the start, the matrix
- tim.py        the event's team and the assignment of assessors (routes of the event page)
- peserta.py    participants: adding one and attendance (routes of the event page), the participant
                list and page with the intake documents
- nilai.py      the assessor's own score sheets
- integrasi.py  the assessor meeting (consensus, potential, locking)
- hasil.py      an event's results page and workbook (routes of the event page), stored results
- referensi.py  reference data: dictionary, potential aspects, methods, standards, rules, assessor register
- umum.py       what these pages share (menu category, cell formatters, form parsing, refusals)

Thin: each POST parses the form and calls one operation of `app.penilaian.operations`; every row comes
through the scope module. This package is their face for register_views (app/views/__init__.py)."""

from app.penilaian import hooks  # noqa: F401  (registers the assessment steps in the workflow hooks)
from app.views.penilaian.hasil import HasilView
from app.views.penilaian.integrasi import IntegrasiView
from app.views.penilaian.kegiatan import KegiatanPenilaianView
from app.views.penilaian.nilai import PenilaianSayaView
from app.views.penilaian.peserta import PesertaView
from app.views.penilaian.referensi import (
    AspekPotensiView,
    AturanPenilaianView,
    KompetensiView,
    LevelKompetensiView,
    MetodeView,
    RegisterAsesorView,
    SkalaPotensiView,
    StandarBawaanView,
    StandarKompetensiView,
    TingkatMetodeView,
)
from app.views.penilaian.umum import CATEGORY, CATEGORY_LABEL

__all__ = [
    "CATEGORY",
    "CATEGORY_LABEL",
    "AspekPotensiView",
    "AturanPenilaianView",
    "HasilView",
    "IntegrasiView",
    "KegiatanPenilaianView",
    "KompetensiView",
    "LevelKompetensiView",
    "MetodeView",
    "PenilaianSayaView",
    "PesertaView",
    "RegisterAsesorView",
    "SkalaPotensiView",
    "StandarBawaanView",
    "StandarKompetensiView",
    "TingkatMetodeView",
]
