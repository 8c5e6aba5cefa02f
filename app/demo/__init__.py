"""The demo (`flask penkom demo`): people first, then each area's demo, then the work waiting for each
demo role. DEMO ONLY: names, addresses, most NIPs, titles and letters are invented.

- pegawai.py: the agencies of the seed SOPs, ~200 civil servants, one login per role
- a demo CA and a signing certificate per agency (app/documents/tte.py), marked DEMO in their names, so
  that the demo's signed letters carry a PAdES signature
- penilaian.py: two assessments (Kemenkumham, Tangerang), made through the assessment operations
- kasus.py: cases and documents waiting for each demo role, replayed at past moments; before a case moves
  past a step, the area's demo module (mutasi.py, penilaian.py, jpt.py, rencana.py) makes what its guards
  wait for
"""

from __future__ import annotations

from sqlalchemy import select

from app.demo.kasus import load_demo_work
from app.demo.pegawai import DEMO_MARKER, DemoResult, load_pegawai
from app.demo.penilaian import load_demo_penilaian
from app.documents import tte
from app.extensions import db
from app.models import Instansi

__all__ = ["DEMO_MARKER", "DemoResult", "load_demo"]


def load_demo(password: str | None = None) -> DemoResult:
    """Load the whole demo once; a second call changes nothing (`skipped`)."""
    result = load_pegawai(password)
    if result.skipped:
        return result
    # Before any demo letter is signed: the certificates sign them.
    result.sertifikat = tte.demo_certificates(db.session.execute(select(Instansi).order_by(Instansi.kode)).scalars())
    # The assessments first: their assessors and registers are who the demo work's assessment steps use.
    load_demo_penilaian(result.password, result)
    result.kasus = load_demo_work()
    return result
