"""The demo (`flask penkom demo`): people first, then each area's demo, then the work waiting for each
demo role. DEMO ONLY: names, addresses, most NIPs, titles and letters are invented.

- pegawai.py: the agencies of the seed SOPs, ~200 civil servants, one login per role
- penilaian.py: two assessments (Kemenkumham, Tangerang), made through the assessment operations
- kasus.py: cases and documents waiting for each demo role, replayed at past moments; before a case moves
  past a step, the area's demo module (mutasi.py, penilaian.py, jpt.py, rencana.py) makes what its guards
  wait for
"""

from __future__ import annotations

from app.demo.kasus import load_demo_work
from app.demo.pegawai import DEMO_MARKER, DemoResult, load_pegawai
from app.demo.penilaian import load_demo_penilaian

__all__ = ["DEMO_MARKER", "DemoResult", "load_demo"]


def load_demo(password: str | None = None) -> DemoResult:
    """Load the whole demo once; a second call changes nothing (`skipped`)."""
    result = load_pegawai(password)
    if result.skipped:
        return result
    # The assessments first: their assessors and registers are who the demo work's assessment steps use.
    load_demo_penilaian(result.password, result)
    result.kasus = load_demo_work()
    return result
