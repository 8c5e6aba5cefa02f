"""Administrator-editable wording of documents, run in Jinja's immutable sandbox.

The wording sees only plain values (strings, numbers, lists of dicts), never database objects,
and produces plain text: the fixed PDF layout escapes it like any other user text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


def person(pegawai) -> dict:
    return {
        "nama": pegawai.nama_lengkap,
        "nip": pegawai.nip_tampil,
        "pangkat": str(pegawai.pangkat) if pegawai.pangkat else "",
        "jabatan": str(pegawai.jabatan) if pegawai.jabatan else "",
    }


# -- context providers: an area adds its record of the case to the wording ------------------------


@dataclass(frozen=True)
class ContextProvider:
    """`fn(kasus)` gives the plain values a template sees under `name` (None when the case has none of
    the area's records); `example` stands in for them when a wording is checked; `tables(kasus, kode)`
    gives the tables a document of template `kode` prints after its text."""

    name: str
    fn: Callable[[object], dict | None]
    example: dict
    tables: Callable[[object, str], list[dict]] | None = None


CONTEXT_PROVIDERS: dict[str, ContextProvider] = {}


def context_provider(name: str, example: dict, tables: Callable[[object, str], list[dict]] | None = None):
    """Register `fn(kasus) -> dict | None` as the template value `name` (e.g. `seleksi`)."""

    def register(fn):
        CONTEXT_PROVIDERS[name] = ContextProvider(name, fn, example, tables)
        return fn

    return register


def case_tables(kasus, template_kode: str) -> list[dict]:
    """The tables the areas' providers give a document of this template for this case:
    [{"judul": str, "kolom": [str], "baris": [[str]]}]."""
    if kasus is None:
        return []
    result: list[dict] = []
    for provider in CONTEXT_PROVIDERS.values():
        if provider.tables is not None:
            result.extend(provider.tables(kasus, template_kode))
    return result


def case_context(kasus, instansi, unit) -> dict:
    """What a template may use; documented in the template form."""
    extra = {name: (p.fn(kasus) if kasus else None) for name, p in CONTEXT_PROVIDERS.items()}
    return extra | {
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
    } | {name: p.example for name, p in CONTEXT_PROVIDERS.items()}
    try:
        render(source, example)
    except WordingError as exc:
        return str(exc)
    return None
