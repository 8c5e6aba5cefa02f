"""Crafted .xlsx files for the import checks (issue 17 finding 5): a real workbook with one part replaced
or added, parts that inflate far beyond their packed size, zips that declare more than they hold."""

from __future__ import annotations

import io
import os
import struct
import zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"
_SHARED_REL = ('<Relationship Id="rIdTeks" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               'relationships/sharedStrings" Target="sharedStrings.xml"/>')  # fmt: skip
_SHARED_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sharedStrings+xml"/>')  # fmt: skip


def rebuild(base: bytes, parts: dict[str, bytes | str], stored: tuple[str, ...] = ()) -> bytes:
    """`base` with `parts` replaced or added (a shared-text part is also registered with the workbook);
    parts named in `stored` are written without compression."""
    out = io.BytesIO()
    parts = {k: v.encode() if isinstance(v, str) else v for k, v in parts.items()}
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = parts.pop(info.filename, None)
            if data is None:
                data = src.read(info.filename)
                if SHARED in parts and info.filename == "xl/_rels/workbook.xml.rels":
                    data = data.replace(b"</Relationships>", _SHARED_REL.encode() + b"</Relationships>")
                if SHARED in parts and info.filename == "[Content_Types].xml":
                    data = data.replace(b"</Types>", _SHARED_TYPE.encode() + b"</Types>")
            dst.writestr(info.filename, data)
        for name, data in parts.items():
            dst.writestr(name, data, compress_type=zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet(rows: list[str], dimension: str | None = None) -> str:
    """A sheet part from raw <row> elements (the header row first)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0"?><worksheet {NS}>{dim}<sheetData>{"".join(rows)}</sheetData></worksheet>'


def text_row(number: int, values: list[str], first_column: int = 1) -> str:
    cells = "".join(f'<c r="{column_letter(first_column + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for i, v in enumerate(values) if v != "")  # fmt: skip
    return f'<row r="{number}">{cells}</row>'


def column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def inflated(base: bytes, megabytes: int) -> bytes:
    """`base` whose sheet is padded with whitespace to `megabytes` MB: a few hundred kB packed."""
    out = io.BytesIO()
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info.filename, src.read(info.filename))
                continue
            with dst.open(SHEET, "w", force_zip64=True) as part:
                head, _, tail = src.read(SHEET).partition(b"<sheetData>")
                part.write(head + b"<sheetData>")
                for _ in range(megabytes):
                    part.write(chunk)
                part.write(tail)
    return out.getvalue()


def declaring(base: bytes, extra: dict[str, int], packed: int = 80 * 1024) -> bytes:
    """`base` with stored parts of `packed` random bytes whose central directory declares `extra[name]`
    bytes each: a zip that claims more than it holds (Python's zipfile would stop at the claim)."""
    data = rebuild(base, {name: os.urandom(packed) for name in extra}, stored=tuple(extra))
    buf = bytearray(data)
    at = 0
    while (at := buf.find(b"PK\x01\x02", at)) != -1:  # central directory entries
        name_len = struct.unpack_from("<H", buf, at + 28)[0]
        name = bytes(buf[at + 46 : at + 46 + name_len]).decode()
        if name in extra:
            struct.pack_into("<I", buf, at + 24, extra[name])  # uncompressed size
        at += 46
    return bytes(buf)
