"""Excel workbooks as Penkom writes and reads them: list exports, import templates, candidate lists,
results. openpyxl is imported on first use, so a web worker that never makes a workbook does not
hold it in memory (it is one of the largest libraries Penkom uses).

Every workbook leaves through `to_bytes` and every CSV cell through `csv_cell`: text that a spreadsheet
would take for a formula (it starts with = + - @, a tab or a carriage return, e.g. a case title typed by
an applicant) stays text there. Penkom writes no formulas of its own.
"""

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


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV field: text that starts like a formula gets a leading apostrophe (Excel and LibreOffice then
    show it as text); numbers, dates and empty cells are left as they are (-0.5 stays a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def text_cells(book) -> None:
    """Every cell openpyxl took for a formula or an error code (a string starting with "=", "#N/A") becomes
    a text cell again: Excel shows the text and never evaluates it. Cells that are text already (a string
    starting with + - @ or a tab is stored as a string) and numbers and dates are not touched."""
    for sheet in book.worksheets:
        # _cells holds only the cells that exist; iter_rows() would create every empty cell of the range.
        for cell in sheet._cells.values():
            if cell.data_type in ("f", "e"):
                cell.data_type = "s"


def to_bytes(book) -> bytes:
    text_cells(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def open_sheet(data: bytes, name: str, limits=None):
    """The sheet `name` (else the first) of an uploaded workbook, read-only, after app/workbook_check.py
    found it within the limits. workbook_check.Refused (its message for the user) when the bytes are no
    .xlsx workbook or hold too much."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from app import workbook_check

    found = workbook_check.check(data, name, limits or workbook_check.LIMITS)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError, IndexError):
        raise workbook_check.Refused(workbook_check.NOT_XLSX) from None
    if found.name not in book.sheetnames:
        book.close()
        raise workbook_check.Refused(workbook_check.NOT_XLSX)
    return book[found.name]
