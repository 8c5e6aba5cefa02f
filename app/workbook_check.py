"""An uploaded .xlsx checked before openpyxl opens it (issue 17 finding 5: a 200 kB workbook whose sheet
unpacks to millions of rows held a web worker for minutes).

An .xlsx is a zip of XML parts. `check` refuses, with a message that names what is too big and the
limit, a file that is no zip or no workbook, a zip with too many parts, a part or a whole that unpacks
too large or is packed suspiciously tight (a zip bomb), and a sheet that reaches too far (its declared
`<dimension>`, then the rows and cells actually there, counted while streaming with a cap, so a bomb
is refused after the first kilobytes). The parts openpyxl reads besides the sheet (shared texts,
styles, the workbook) are streamed with a cap on their elements too. Nothing is parsed into a tree:
expat reports each element and the counting stops at the first limit. Python's zipfile never unpacks
a part beyond the size the zip declares for it, so the declared sizes checked here bound the work.

`check` returns what the importers need to know without opening the workbook: the sheet's name and the
number of rows that hold a value (an import of many rows goes to the job queue).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

MB = 1024 * 1024
NOT_XLSX = _l("The file is not a valid Excel workbook (.xlsx); use the template.")


@dataclass(frozen=True)
class Limits:
    """What an uploaded workbook may hold. An import template filled with 2,000 participants is far
    below each (about 0.2 MB packed, 2 MB unpacked, 22,000 cells)."""

    parts: int = 500  # files in the zip (Excel writes about 15 for a workbook of three sheets)
    part_size: int = 20 * MB  # one part, unpacked
    total_size: int = 50 * MB  # all parts, unpacked
    ratio: int = 200  # unpacked : packed, for a part above 1 MB (XML packs about 10-30 times)
    rows: int = 10_000  # the sheet's last row
    columns: int = 100  # the sheet's last column
    # openpyxl needs about 25 µs per cell and 30 µs per shared text: these two keep the slowest accepted
    # file within a few seconds on the job queue (and the check itself below one second).
    cells: int = 150_000  # cells written in the sheet, empty ones with a format included
    elements: int = 100_000  # XML elements of the other parts openpyxl reads (shared texts, styles, workbook)


LIMITS = Limits()


class Refused(ValueError):
    """The file is refused before it is opened; `message` says why, for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: int  # rows with at least one value (the header included)
    last_row: int
    last_column: int
    cells: int
    entries: int  # XML elements of the other parts openpyxl reads

    @property
    def work(self) -> int:
        """What opening and reading the sheet costs, in cells and entries (about 25 µs each)."""
        return self.cells + self.entries


def _number(n) -> str:
    return format_decimal(n)


def size_text(n: int) -> str:
    """Bytes as people read them in a message: "64 MB", "60,2 MB"."""
    return f"{format_decimal(round(n / MB, 1))} MB"


def _local(name: str) -> str:
    return name.rpartition(" ")[2]  # "namespace-uri local-name" with namespace processing on


def _column(ref: str) -> int:
    """1 for "A1", 28 for "AB7"; 0 when the reference has no letters."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n


def _row(ref: str) -> int:
    digits = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    return int(digits) if digits.isdigit() else 0


def _refuse_doctype(*_args):
    raise Refused(NOT_XLSX)  # OOXML parts have no DTD; one here is an entity expansion attack


def _stream(zf: zipfile.ZipFile, name: str, start) -> None:
    """Feed one part to expat in 64 kB pieces; `start(local_name, attrs)` may raise Refused to stop at once."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = lambda tag, attrs: start(_local(tag), attrs)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    try:
        with zf.open(name) as part:
            while chunk := part.read(64 * 1024):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, RuntimeError,
            NotImplementedError) as exc:  # fmt: skip
        if isinstance(exc, Refused):
            raise
        raise Refused(NOT_XLSX) from None


class _Budget:
    """The element budget of the parts other than the sheet, shared by all of them."""

    def __init__(self, limit: int):
        self.spent = 0
        self.limit = limit

    def spend(self) -> None:
        self.spent += 1
        if self.spent > self.limit:
            raise Refused(_l("The workbook's texts and styles hold more than %(max)s entries; at most %(max)s are "
                             "accepted.", max=_number(self.limit)))  # fmt: skip


def _relationships(zf: zipfile.ZipFile, source: str, budget: _Budget) -> dict[str, tuple[str, str]]:
    """{id: (type, part name)} of a part's relationships (`_rels/<name>.rels` beside it)."""
    folder, base = posixpath.split(source)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    found: dict[str, tuple[str, str]] = {}
    if rels_name not in zf.NameToInfo:
        return found

    def start(tag, attrs):
        budget.spend()
        if tag == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), posixpath.normpath(path))

    _stream(zf, rels_name, start)
    return found


def _sheets(zf: zipfile.ZipFile, budget: _Budget) -> tuple[str, list[tuple[str, str]]]:
    """The workbook part and its sheets in order: [(name, part name)]."""
    office = [p for t, p in _relationships(zf, "", budget).values() if t.endswith("/officeDocument")]
    if not office or office[0] not in zf.NameToInfo:
        raise Refused(NOT_XLSX)
    workbook = office[0]
    rels = _relationships(zf, workbook, budget)
    sheets: list[tuple[str, str]] = []

    def start(tag, attrs):
        budget.spend()
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id" and " " in k), "")
            kind, part = rels.get(rid, ("", ""))
            if kind.endswith("/worksheet") and part in zf.NameToInfo:
                sheets.append((attrs.get("name", ""), part))

    _stream(zf, workbook, start)
    return workbook, sheets


class _SheetScan:
    """Counts a sheet's rows, columns and cells while it streams; refuses at the first limit passed."""

    def __init__(self, name: str, limits: Limits):
        self.name, self.limits = name, limits
        self.row = self.column = self.cells = self.rows = self.last_row = self.last_column = 0
        self.valued = False  # the current row holds a value (counted when the next row starts: no end handler)

    def _rows_ok(self, n: int) -> None:
        if n > self.limits.rows:
            raise Refused(_l('The sheet "%(sheet)s" reaches row %(n)s; at most %(max)s rows are accepted. Delete '
                             'the empty rows below the data, or split the file.', sheet=self.name, n=_number(n),
                             max=_number(self.limits.rows)))  # fmt: skip
        self.last_row = max(self.last_row, n)

    def _columns_ok(self, n: int) -> None:
        if n > self.limits.columns:
            raise Refused(_l('The sheet "%(sheet)s" reaches column %(n)s; at most %(max)s columns are accepted.',
                             sheet=self.name, n=_number(n), max=_number(self.limits.columns)))  # fmt: skip
        self.last_column = max(self.last_column, n)

    def start(self, tag: str, attrs: dict) -> None:
        if tag == "c":
            ref = attrs.get("r", "")
            self.column = _column(ref) if ref else self.column + 1
            self._columns_ok(self.column)
            self.cells += 1
            if self.cells > self.limits.cells:
                raise Refused(_l('The sheet "%(sheet)s" has more than %(max)s cells; at most %(max)s are accepted.',
                                 sheet=self.name, max=_number(self.limits.cells)))  # fmt: skip
        elif tag in ("v", "is"):
            self.valued = True
        elif tag == "row":
            self.rows += self.valued
            ref = attrs.get("r", "")
            self.row = int(ref) if ref.isdigit() else self.row + 1
            self._rows_ok(self.row)
            self.column, self.valued = 0, False
        elif tag == "dimension":  # the range the sheet declares, e.g. "A1:K1001": refused before any row
            last = attrs.get("ref", "").rpartition(":")[2]
            self._rows_ok(_row(last))
            self._columns_ok(_column(last))

    def done(self) -> None:
        self.rows += self.valued
        self.valued = False


def check(data: bytes, sheet: str | None = None, limits: Limits = LIMITS) -> Sheet:
    """Check an uploaded workbook and the sheet `sheet` (else the first) without opening it; Refused
    with the reason when anything is too big or it is no workbook."""
    if not data or not zipfile.is_zipfile(io.BytesIO(data)):
        raise Refused(NOT_XLSX)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise Refused(NOT_XLSX) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.parts:
            raise Refused(_l("The file holds %(n)s packed parts; an Excel workbook has far fewer (at most %(max)s "
                             "are accepted).", n=_number(len(infos)), max=_number(limits.parts)))  # fmt: skip
        total = 0
        for info in infos:
            if info.file_size > limits.part_size:
                raise Refused(_l("The part %(part)s of the file unpacks to %(size)s; at most %(max)s per part is "
                                 "accepted.", part=info.filename[:80], size=size_text(info.file_size),
                                 max=size_text(limits.part_size)))  # fmt: skip
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MB and ratio > limits.ratio:
                raise Refused(_l("The part %(part)s of the file is packed %(ratio)s times smaller than its content; "
                                 "at most %(max)s times is accepted (an ordinary workbook stays far below).",
                                 part=info.filename[:80], ratio=_number(int(ratio)),
                                 max=_number(limits.ratio)))  # fmt: skip
            total += info.file_size
        if total > limits.total_size:
            raise Refused(_l("The file unpacks to %(size)s; at most %(max)s is accepted.", size=size_text(total),
                             max=size_text(limits.total_size)))  # fmt: skip
        if "[Content_Types].xml" not in zf.NameToInfo:
            raise Refused(NOT_XLSX)
        budget = _Budget(limits.elements)
        workbook, sheets = _sheets(zf, budget)
        if not sheets:
            raise Refused(NOT_XLSX)
        name, part = next(((n, p) for n, p in sheets if n == sheet), sheets[0])
        scan = _SheetScan(name, limits)
        _stream(zf, part, scan.start)
        scan.done()
        # What openpyxl reads besides the sheet: every other part that is not a sheet of its own.
        skip = {p for _n, p in sheets} | {workbook}
        for info in infos:
            if info.filename not in skip and info.filename.endswith((".xml", ".rels")):
                _stream(zf, info.filename, lambda _tag, _attrs: budget.spend())
    return Sheet(name, scan.rows, scan.last_row, scan.last_column, scan.cells, budget.spent)
