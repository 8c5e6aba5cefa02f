"""Excel and CSV export of a list exactly as the user sees it, and a quick search box.

Mix `ExportMixin` into a list view in front of ScopedModelView:

    class PesertaView(ExportMixin, ScopedModelView):
        quick_search_columns = ["nama", "nip"]        # optional: the search box
        export_columns = [...]                         # optional: default list_columns
        export_formatters = {"skor": lambda v: ...}    # optional: a column's export value

The list page then carries "Excel" and "CSV" buttons and, with `quick_search_columns`, a search box
(`?q=`). `/<view>/export/xlsx` and `/<view>/export/csv` return every row of the current list - FAB's
own filters (`_flt_*` arguments), the order (`_oc_*`/`_od_*`), the quick search and the view's base
filters, which always include the scope (app/scope.py) - on all pages, not just the one on screen.
Exporting needs the same permission as listing (`can_list`).

Values are written as people read them: Indonesian column headers (label_columns), the list's own
formatters (status labels, grouped NIP), Ya/Tidak for booleans, dates as real Excel dates shown in
Indonesian ("22 November 2026"), times in the office time zone. CSV is UTF-8 with a BOM and `;`
between fields, which Excel in an Indonesian locale opens as columns. Text that looks like a formula
stays text in both (app/xlsx.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import abort, current_app, flash, make_response, redirect, request
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import Integer, or_

from app import xlsx

# Excel number formats with the Indonesian locale (LCID 0x421): month names in Indonesian everywhere.
XLSX_DATE = "[$-421]d mmmm yyyy"
XLSX_DATETIME = "[$-421]d mmmm yyyy hh:mm"
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "csv": "text/csv; charset=utf-8"}  # fmt: skip


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class QuickSearchFilter(BaseFilter):
    """Any of the view's quick-search columns contains the text (case-insensitive); an integer also
    matches integer columns exactly (a case number); digits written with spaces or dots (a NIP as
    printed) match without them."""

    name = "Quick search"
    arg_name = "q"
    columns: tuple[str, ...] = ()

    def apply(self, query, value):
        term = (value or "").strip()
        if not term:
            return query
        model = self.datamodel.obj
        variants = {term}
        compact = re.sub(r"[\s.]", "", term)
        if compact.isdigit():
            variants.add(compact)
        clauses = []
        for name in self.columns:
            column = getattr(model, name)
            if isinstance(getattr(column, "type", None), Integer):
                number = term.lstrip("#")
                if number.isdigit() and len(number) < 10:
                    clauses.append(column == int(number))
                continue
            clauses += [column.ilike(f"%{_escape_like(v)}%", escape="\\") for v in variants]
        return query.filter(or_(*clauses)) if clauses else query


class ExportMixin:
    """Excel/CSV export of the current filtered, scoped list, and an optional quick search box."""

    list_template = "penkom/list.html"
    quick_search_columns: list[str] = []
    export_columns: list[str] | None = None
    export_formatters: dict[str, Callable] = {}
    export_max_rows = 50_000

    # -- the rows the user sees ------------------------------------------------------------------

    def _quick_search(self) -> str:
        return (request.args.get("q") or "").strip()[:200] if self.quick_search_columns else ""

    def _with_quick_search(self, filters):
        term = self._quick_search()
        if not term:
            return filters
        result = filters.copy()
        flt = type("QuickSearch", (QuickSearchFilter,), {"columns": tuple(self.quick_search_columns)})
        result.add_filter("id", flt, term)
        return result

    def _get_list_widget(self, filters, **kwargs):
        # Related-view lists on show pages come here too; only the view's own list takes `q`.
        if request.endpoint == f"{self.endpoint}.list":
            filters = self._with_quick_search(filters)
        return super()._get_list_widget(filters=filters, **kwargs)

    def export_rows(self) -> tuple[int, list]:
        """(count, items) of every row of the current list: filters, order, quick search, base filters."""
        order_column, order_direction = get_order_args().get(self.__class__.__name__, ("", ""))
        if order_column not in (self.order_columns or []):
            order_column, order_direction = "", ""  # only the columns the list offers to sort by
        if not order_column and self.base_order:
            order_column, order_direction = self.base_order
        get_filter_args(self._filters)
        filters = self._with_quick_search(self._filters).get_joined_filters(self._base_filters)
        return self.datamodel.query(filters, order_column, order_direction)

    # -- values ----------------------------------------------------------------------------------

    def _columns(self) -> list[str]:
        return list(self.export_columns or self.list_columns)

    def export_value(self, column: str, value):
        """One cell: a formatter's text, Ya/Tidak, a local date or time, a number, or text (None: empty)."""
        if column in self.export_formatters:
            return self.export_formatters[column](value)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, dt.datetime):
            tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Jakarta"))
            return value.replace(tzinfo=dt.UTC).astimezone(tz).replace(tzinfo=None)
        if isinstance(value, dt.date):
            return value
        formatter = self.formatters_columns.get(column)
        if formatter is not None:
            value = formatter(value)
            return Markup(value).striptags() if isinstance(value, Markup) else str(value)
        if isinstance(value, int | float | Decimal):
            return value
        if isinstance(value, list | tuple | set):
            return ", ".join(str(v) for v in value)
        return str(value)

    def _table(self) -> tuple[list[str], list[list]] | None:
        count, items = self.export_rows()
        if count > self.export_max_rows:
            return None
        columns = self._columns()
        header = [str(self.label_columns.get(c, c)) for c in columns]
        values = self.datamodel.get_values(items, columns)
        return header, [[self.export_value(c, row[c]) for c in columns] for row in values]

    def _filename(self, ext: str) -> str:
        title = re.sub(r"[^A-Za-z0-9]+", "-", str(self.list_title or self.__class__.__name__)).strip("-").lower()
        return f"{title or 'daftar'}-{dt.date.today():%Y%m%d}.{ext}"

    # -- files -----------------------------------------------------------------------------------

    def _xlsx(self, header: list[str], rows: list[list]) -> bytes:
        book, sheet = xlsx.workbook(re.sub(r"[\[\]:*?/\\]", " ", str(self.list_title or "Data")), header)
        widths = [len(h) for h in header]
        for row in rows:
            sheet.append(row)
            for i, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.cell(row=sheet.max_row, column=i + 1).number_format = XLSX_DATETIME
                    size = 20
                elif isinstance(value, dt.date):
                    sheet.cell(row=sheet.max_row, column=i + 1).number_format = XLSX_DATE
                    size = 18
                else:
                    size = max((len(part) for part in str(value or "").splitlines()), default=0)
                widths[i] = max(widths[i], size)
        xlsx.header_row(sheet[1])
        xlsx.column_widths(sheet, [min(60, max(8, width + 2)) for width in widths])
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = f"A1:{xlsx.column_letter(len(header))}{len(rows) + 1}"
        return xlsx.to_bytes(book)

    @staticmethod
    def _csv(header: list[str], rows: list[list]) -> bytes:
        locale = str(get_locale() or current_app.config.get("BABEL_DEFAULT_LOCALE", "id"))

        def text(value):
            if isinstance(value, dt.datetime):  # already in local time
                return format_datetime(value, "d MMMM yyyy HH:mm", locale=locale)
            if isinstance(value, dt.date):
                return format_date(value, "d MMMM yyyy", locale=locale)
            return "" if value is None else xlsx.csv_cell(value)

        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([xlsx.csv_cell(h) for h in header])
        for row in rows:
            writer.writerow([text(v) for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    @expose("/export/<fmt>")
    @has_access
    @permission_name("list")
    def export(self, fmt):
        """The current list (all pages) as Excel or CSV."""
        if fmt not in FORMATS:
            abort(404)
        table = self._table()
        if table is None:
            flash(_l("More than %(n)d rows: narrow the list with a filter first.", n=self.export_max_rows), "warning")
            return redirect(self.get_redirect())
        data = self._xlsx(*table) if fmt == "xlsx" else self._csv(*table)
        response = make_response(data)
        response.headers["Content-Type"] = FORMATS[fmt]
        response.headers["Content-Disposition"] = f'attachment; filename="{self._filename(fmt)}"'
        return response

    def render_template(self, template, **kwargs):
        if template == self.list_template:
            kwargs.setdefault("export_view", self)
            labels = (str(self.label_columns.get(c, c)).lower() for c in self.quick_search_columns)
            kwargs.setdefault("quick_search_label", ", ".join(labels))
        return super().render_template(template, **kwargs)
