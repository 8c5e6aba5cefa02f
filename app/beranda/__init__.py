"""The home page (Beranda) as a list of registered sections: the core ones (sections.py: my tasks, documents,
my unit, shortcuts) and one per area that has something its users must see first (penilaian.py,
laporan.py), each composed from its area's operations. The home page itself (view.py) only lays them out:

    from app import beranda

    def _build(user) -> dict | None:         # None: the section is not for this user
        return {"jumlah": 3, "rows": [...]}

    beranda.register(beranda.Section(
        key="penilaian", title=_l("Assessment"), template="penilaian/beranda.html",
        build=_build, order=30, wide=False))

The template is included with `data` (what build returned) and `section`. Sections appear by
`order` (core: 10 tasks, 20 documents, 50 unit overview); `wide` sections take the full width.
A section that fails is logged and shown as "could not be loaded"; the page itself never fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from app.extensions import db


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # a lazy string
    template: str
    build: Callable[[Any], dict | None]
    order: int = 100
    wide: bool = False


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add (or replace, by key) a section of the home page."""
    SECTIONS[section.key] = section
    return section


@dataclass
class Shown:
    section: Section
    data: dict | None
    failed: bool = False


def sections_for(user) -> list[Shown]:
    """The sections this user sees, in order, each with its data."""
    result = []
    for section in sorted(SECTIONS.values(), key=lambda s: (s.order, s.key)):
        try:
            data = section.build(user)
        except Exception:
            db.session.rollback()
            current_app.logger.exception("home page section %s failed", section.key)
            result.append(Shown(section, None, failed=True))
            continue
        if data is not None:
            result.append(Shown(section, data))
    return result
