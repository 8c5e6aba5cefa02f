"""The editable wording of the individual report (`TemplateLaporan`): which row applies to a report, the
values its Jinja texts may use, rendering them in the sandbox of the letter templates
(`app.documents.wording`) and checking an administrator's edit before it is saved.

An agency's own row applies to its reports; without one the national default (the row without an agency)
applies; without that either (a database not yet initialised) the defaults of data/laporan/template.toml.
A text that fails to render with a real report (it was checked against an example) prints the default's
text instead, so a report always prints.
"""

from __future__ import annotations

import logging
from functools import cache

from sqlalchemy import select

from app import scope
from app.datafiles import load_toml
from app.documents import wording
from app.extensions import db
from app.models.laporan import POLA_SARAN, TEKS_LAPORAN, TemplateLaporan

log = logging.getLogger(__name__)

# Agencies' staff see their own row and the national default; only administrators change the default.
scope.register(TemplateLaporan, scope._agency_or_national(TemplateLaporan.instansi_id))
scope.WRITE_RULES[TemplateLaporan] = lambda r, item: r.admin or item.instansi_id in r.agencies

# Headings and signature lead-ins print on one line.
SATU_BARIS = {f for f in TEKS_LAPORAN if f.startswith(("judul", "ttd_"))}

# What the texts may use (documented in the form and in data/laporan/template.toml), with example values
# the check renders against.
CONTOH_LAPORAN = {
    "peserta": {"nama": "Contoh Peserta", "nip": "19800101 200501 1 001", "pangkat": "Penata (III/c)",
                "jabatan": "Analis Kepegawaian", "unit": "Bagian Kepegawaian"},
    "kegiatan": {"nama": "Penilaian Kompetensi 2026"},
    "tujuan": "Pemetaan",
    "jabatan_sasaran": "Kepala Subbagian Kepegawaian",
    "tanggal": "7 Desember 2026",
    "instansi": {"nama": "Contoh Instansi", "kota": "Jakarta"},
    "jpm": "87,5",
    "kategori": "Optimal",
}  # fmt: skip
CONTOH_POLA = {"kompetensi": "Integritas", "kode": "M.1", "level": "2,5", "standar": "3", "selisih": "0,5",
               "prioritas": "Integritas, Kerja Sama"}  # fmt: skip


@cache
def _bawaan_data() -> dict:
    row = load_toml("laporan", "template.toml")["template"]
    return {k: v.strip() if isinstance(v, str) else v for k, v in row.items()}


def bawaan() -> TemplateLaporan:
    """The defaults of data/laporan/template.toml as an unsaved row."""
    return TemplateLaporan(instansi_id=None, **_bawaan_data())


def untuk(instansi_id: int | None) -> TemplateLaporan:
    """The wording that applies to an agency's reports: its own row, else the national default."""
    rows = db.session.execute(
        select(TemplateLaporan).where(
            (TemplateLaporan.instansi_id == instansi_id) | TemplateLaporan.instansi_id.is_(None)
        )
    ).scalars().all()  # fmt: skip
    own = [r for r in rows if r.instansi_id is not None]
    return (own or rows or [bawaan()])[0]


def angka(value) -> str:
    """A level or percentage the Indonesian way: 2.5 → "2,5"."""
    return "-" if value is None else f"{value:g}".replace(".", ",")


def render(tpl: TemplateLaporan, field: str, context: dict) -> str:
    """One text of the template rendered with `context` (the default's text when it fails)."""
    try:
        text = wording.render(getattr(tpl, field) or "", context)
    except wording.WordingError as exc:
        log.warning("report template %s, %s: %s; printing the default", tpl.id, field, exc)
        text = wording.render(_bawaan_data().get(field, ""), context)
    return " ".join(text.split()) if field in SATU_BARIS else text


def teks(tpl: TemplateLaporan, context: dict) -> dict[str, str]:
    """Every printed text of the template, rendered for one report."""
    return {field: render(tpl, field, context) for field in TEKS_LAPORAN}


def periksa(field: str, source: str) -> str | None:
    """An error message (Indonesian for the user) if the text does not render against an example report;
    patterns also get the example competency. None when it renders."""
    context = CONTOH_LAPORAN | (CONTOH_POLA if field in POLA_SARAN else {})
    try:
        wording.render(source or "", context)
    except wording.WordingError as exc:
        return str(exc)
    return None


def load_template_laporan() -> int:
    """Add the national default from data/laporan/template.toml when there is none (an edited one stays);
    return how many rows were added."""
    have = db.session.execute(select(TemplateLaporan.id).where(TemplateLaporan.instansi_id.is_(None))).first()
    if have is not None:
        return 0
    db.session.add(bawaan())
    db.session.commit()
    return 1
