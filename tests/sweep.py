"""The page sweep: render pages and find raw values and untranslated strings in what a user reads.

Used by tests/test_halaman.py. What counts as "visible": text outside <script>/<style>, and the
placeholder, title, aria-label and alt attributes and button values. An element carrying the attribute
`data-sweep-skip` (with its content) is left out - for text that must be shown as typed, e.g. a
template variable in help text. A view may also exempt exact tokens with a reason:
`sweep_exempt = {"True": "the literal Python value explained in the help"}`.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import flask_appbuilder
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

VISIBLE_ATTRS = ("placeholder", "title", "aria-label", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """Collect the text nodes and visible attribute values of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)

    @property
    def hidden(self) -> bool:
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = tag in ("script", "style", "template") or "data-sweep-skip" in attrs
        if not self.hidden and not hidden:
            for name in VISIBLE_ATTRS:
                if attrs.get(name):
                    self.texts.append(attrs[name])
            if tag in ("input", "button") and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.hidden:
            self.texts.append(text)


def visible_texts(page: str) -> list[str]:
    parser = VisibleText()
    parser.feed(page)
    parser.close()
    return parser.texts


def fab_msgids() -> set[str]:
    """Every message FAB's own code and templates show (English source)."""
    root = os.path.dirname(flask_appbuilder.__file__)
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "lazy_gettext": None, "lazy_formatter_gettext": None, "_l": None,
                "__": None, "ngettext": (1, 2)}  # fmt: skip
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(root, method_map, keywords=keywords):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def english_msgids(po_path, fab: set[str]) -> set[str]:
    """English text that must not be seen on an Indonesian page: source strings of the catalog whose
    translation differs, and FAB's strings that the catalog does not translate at all."""
    with open(po_path, "rb") as fh:
        catalog = read_po(fh)
    result = set()
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or "%" in message.id:
            continue
        if message.string and message.string != message.id and len(message.id) > 2:
            result.add(message.id)
    for msgid in fab:
        entry = catalog.get(msgid)
        if "%" not in msgid and len(msgid) > 2 and (entry is None or entry.string != msgid):
            result.add(msgid)
    return result


RAW_LIST = re.compile(r"^\[.*\]$")
ENGLISH_TITLE = re.compile(r"^(Add|Edit|Show|List) [A-Z][A-Za-z ]+$")


def problems(page: str, english: set[str], raw_enums: set[str], exempt: dict[str, str] | None = None) -> list[str]:
    """What a user should never read: raw Python values, raw lists, stored codes (raw enum values with
    an underscore; coded columns without one are checked on the views, see enum_columns), FAB's default
    English titles, and English strings that have a translation."""
    exempt = exempt or {}
    found = []
    for text in visible_texts(page):
        if text in exempt:
            continue
        if text in ("True", "False", "None") or "__None" in text:
            found.append(f"raw value {text!r}")
        elif RAW_LIST.match(text):
            found.append(f"raw list {text!r}")
        elif text in raw_enums and CODE.match(text):
            found.append(f"raw enum value {text!r}")
        elif ENGLISH_TITLE.match(text):
            found.append(f"English title {text!r}")
        elif text in english:
            found.append(f"untranslated {text!r}")
        elif re.search(r"\bNone\b", text) and not re.search(r"[a-z]None", text):
            found.append(f"None inside {text!r}")
    return found


def enum_columns() -> dict:
    """(model, column) -> {code: label}: stored codes that have a label. A view that shows such a column
    must print the label (a formatter, e.g. app.formatting.label_formatter). Add new coded columns here."""
    from app.models import Kasus, Langkah, NaskahDinas, Notifikasi, PolaNomor, TemplateNaskah
    from app.models.kasus import STATUS_LABELS as KASUS
    from app.models.master import JENIS_JABATAN_LABELS, Jabatan
    from app.models.naskah import JENIS_LABELS, STATUS_LABELS
    from app.models.notifikasi import JENIS_LABELS as NOTIFIKASI
    from app.models.sop import SATUAN_LABELS, SIMBOL_LABELS

    return {
        (Kasus, "status"): KASUS, (NaskahDinas, "status"): STATUS_LABELS, (NaskahDinas, "jenis"): JENIS_LABELS,
        (TemplateNaskah, "jenis"): JENIS_LABELS, (PolaNomor, "jenis"): JENIS_LABELS, (Jabatan, "jenis"):
        JENIS_JABATAN_LABELS, (Langkah, "simbol"): SIMBOL_LABELS, (Langkah, "waktu_satuan"): SATUAN_LABELS,
        (Notifikasi, "jenis"): NOTIFIKASI,
    } | penilaian_columns()  # fmt: skip


def penilaian_columns() -> dict:
    """The coded columns of competency assessment."""
    from app.models import AnggotaTim, Hasil, KegiatanPenilaian, Kompetensi, Penugasan, RegisterAsesor
    from app.models import penilaian as m
    from app.penilaian import hasil as h

    return {
        (KegiatanPenilaian, "tujuan"): m.TUJUAN_LABELS, (KegiatanPenilaian, "status"): m.STATUS_KEGIATAN_LABELS,
        (AnggotaTim, "peran"): m.PERAN_TIM_LABELS, (Penugasan, "status"): m.STATUS_LEMBAR_LABELS,
        (Kompetensi, "jenis"): m.JENIS_KOMPETENSI_LABELS, (RegisterAsesor, "jenis"): m.JENIS_ASESOR_LABELS,
        (Hasil, "kategori"): h.KATEGORI_LABELS, (Hasil, "kelas_potensi"): h.KELAS_POTENSI_LABELS,
    }  # fmt: skip


CODE = re.compile(r"^[a-z]+(_[a-z]+)+$")  # a stored code such as "surat_dinas": never text for people
