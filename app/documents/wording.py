"""Administrator-editable wording of documents, run in Jinja's immutable sandbox.

The wording sees only plain values (strings, numbers, lists of dicts), never database objects,
and produces plain text: the fixed PDF layout escapes it like any other user text. A paragraph whose
lines start with "|" is printed as a table (first line the header): `| No. | Nama |`.

Areas add the data of their records under a name of their own (`context_provider`), so a template
of theirs can print it (e.g. `rencana.kandidat`, the candidates of an assessment plan):

    @wording.context_provider("rencana", example={"nama": "Contoh", "kandidat": []})
    def _plan(kasus) -> dict:
        ...  # plain values for this case (the example's keys, empty when the case has no plan)
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.formatting import tanggal

_ENV = ImmutableSandboxedEnvironment(autoescape=False, undefined=StrictUndefined, trim_blocks=True,
                                     lstrip_blocks=True)  # fmt: skip
_ENV.filters["tanggal"] = tanggal
MAX_OUTPUT = 20000


class WordingError(ValueError):
    pass


# name -> (fn(kasus or None) -> dict of plain values, an example with the same keys for `check`)
CONTEXT: dict[str, tuple[Callable[[object], dict], dict]] = {}


def context_provider(name: str, example: dict):
    """Register `fn(kasus) -> dict` as the template variable `name` (the case may be None)."""

    def register(fn):
        CONTEXT[name] = (fn, example)
        return fn

    return register


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


def case_context(kasus, instansi, unit) -> dict:
    """What a template may use; documented in the template form."""
    return {
        "kasus": {
            "nomor": kasus.id if kasus else "",
            "judul": kasus.judul if kasus else "",
            "tanggal_kegiatan": kasus.tanggal_kegiatan if kasus else None,
            "sop": kasus.sop.nama if kasus else "",
        },
        "petugas": [dict(person(p.pegawai), peran=p.peran or "") for p in (kasus.petugas if kasus else [])],
        "instansi": {"nama": instansi.nama, "kota": instansi.kota or "", "alamat": instansi.alamat or ""},
        "unit": {"nama": unit.nama if unit else ""},
        **{name: fn(kasus) for name, (fn, _example) in CONTEXT.items()},
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
        **{name: example for name, (_fn, example) in CONTEXT.items()},
    }
    try:
        render(source, example)
    except WordingError as exc:
        return str(exc)
    return None
