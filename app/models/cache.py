"""Version numbers of the process-wide caches (see app/cache.py)."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column


class CacheVersi(Model):
    """One row per cached area ("izin", "kalender"): a number that changes in the same transaction
    as every write to the data the area caches."""

    __tablename__ = "penkom_versi"
    nama: Mapped[str] = mapped_column(String(40), primary_key=True)
    versi: Mapped[int] = mapped_column(BigInteger, default=0)
