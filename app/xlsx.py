"""Excel workbooks as Penkom writes and reads them: list exports, import templates, candidate lists,
results. openpyxl is imported on first use, so a web worker that never makes a workbook does not
hold it in memory (it is one of the largest libraries Penkom uses)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable


def workbook(title: str, header: list | None = None):
    """A new workbook and its first sheet (named `title`, with `header` as its first row in bold)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    if header is not None:
        sheet.append(header)
        bold(sheet[sheet.max_row])
    return book, sheet


def bold(cells: Iterable) -> None:
    from openpyxl.styles import Font

    for cell in cells:
        cell.font = Font(bold=True)


def header_row(cells: Iterable) -> None:
    """The column titles of a table: bold on a light fill, wrapped."""
    from openpyxl.styles import Alignment, Font, PatternFill

    for cell in cells:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def column_widths(sheet, widths: Iterable[float]) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def to_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def open_sheet(data: bytes, name: str):
    """The sheet `name` (else the first) of an uploaded workbook, read-only; None when the bytes are not
    an .xlsx workbook (the caller says so in its own words)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError, IndexError):
        return None
    return book[name] if name in book.sheetnames else book.worksheets[0]
