"""Administrator-editable wording of documents, run in Jinja's immutable sandbox.

The wording sees only plain values (strings, numbers, lists of dicts), never database objects,
and produces plain text: the fixed PDF layout escapes it like any other user text. A paragraph whose
lines all start with "|" is printed as a table (cells between "|", the first line is the header).

Areas add values for their records with `context_provider(name, example=...)`: `fn(kasus)` returns a
plain value (or None when the case has none of their records), available to the wording as `name`;
`example` is what the template check renders against.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.formatting import tanggal

_ENV = ImmutableSandboxedEnvironment(autoescape=False, undefined=StrictUndefined, trim_blocks=True,
                                     lstrip_blocks=True)  # fmt: skip
_ENV.filters["tanggal"] = tanggal
MAX_OUTPUT = 50000  # the longest body a document keeps (LIMITS["isi"] in app/documents/naskah.py)
CONTEXT_PROVIDERS: dict[str, tuple] = {}  # name -> (fn(kasus), example)


class WordingError(ValueError):
    pass


def cell(value) -> str:
    """A value as one table cell of the wording: on one line, without the column separator."""
    return " ".join(str(value if value is not None else "").replace("|", "/").split())


def person(pegawai) -> dict:
    return {
        "nama": pegawai.nama_lengkap,
        "nip": pegawai.nip_tampil,
        "pangkat": str(pegawai.pangkat) if pegawai.pangkat else "",
        "jabatan": str(pegawai.jabatan) if pegawai.jabatan else "",
    }


def context_provider(name: str, example=None):
    """Register `fn(kasus) -> value | None` as the wording's variable `name` (None when not applicable;
    the case itself may be None for a document drafted outside a case)."""

    def register(fn):
        CONTEXT_PROVIDERS[name] = (fn, example)
        return fn

    return register


def case_context(kasus, instansi, unit) -> dict:
    """What a template may use; documented in the template form."""
    provided = {name: fn(kasus) for name, (fn, _example) in CONTEXT_PROVIDERS.items()}
    return provided | {
        "kasus": {
            "nomor": kasus.id if kasus else "",
            "judul": kasus.judul if kasus else "",
            "tanggal_kegiatan": kasus.tanggal_kegiatan if kasus else None,
            "sop": kasus.sop.nama if kasus else "",
        },
        "petugas": [dict(person(p.pegawai), peran=p.peran or "") for p in (kasus.petugas if kasus else [])],
        "instansi": {"nama": instansi.nama, "kota": instansi.kota or "", "alamat": instansi.alamat or ""},
        "unit": {"nama": unit.nama if unit else ""},
    }


def render(source: str, context: dict) -> str:
    try:
        text = _ENV.from_string(source or "").render(**context)
    except TemplateError as exc:
        raise WordingError(str(_l("The template wording has an error: %(error)s", error=exc))) from exc
    return text.strip()[:MAX_OUTPUT]


def check(source: str) -> str | None:
    """An error message if the wording does not render against an example case, else None."""
    example = {
        "kasus": {"nomor": 1, "judul": "Contoh", "tanggal_kegiatan": None, "sop": "Contoh SOP"},
        "petugas": [{"nama": "Contoh", "nip": "1", "pangkat": "", "jabatan": "", "peran": ""}],
        "instansi": {"nama": "Contoh", "kota": "Contoh", "alamat": ""},
        "unit": {"nama": "Contoh"},
    } | {name: example for name, (_fn, example) in CONTEXT_PROVIDERS.items()}
    try:
        render(source, example)
    except WordingError as exc:
        return str(exc)
    return None
