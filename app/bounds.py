"""Whole numbers from outside stay within the database's integer columns.

Every id is an INTEGER column (PostgreSQL: 32 bits). A larger number reached the database and failed
there (PostgreSQL: "integer out of range"; SQLite: an int too large for the driver): a 500. Here:
- `<int:...>` in a route matches 1..2³¹−1 only (anything else is "not found" by routing);
- FAB's `<pk>` routes and a `pk` query argument answer 404 unless they hold such an id;
- the row ids an action is posted for (`rowid`) likewise;
- `whole()` parses numbers of forms and query arguments for the views (None when out of range), and
  `bound_integer_fields()` gives FAB's whole-number form fields the column's range;
- `fits_column()` says whether a list filter value can be compared with its column.
"""

from __future__ import annotations

import math
import re

from flask import Flask, abort, request
from sqlalchemy import BigInteger
from werkzeug.routing import IntegerConverter

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL INTEGER
BIGINT_MAX = 2**63 - 1
ID_MAX = INT_MAX
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only: str.isdigit() also accepts other scripts' digits


def parse_id(value) -> int | None:
    """The id in `value` (an int, or a string of ASCII digits) when it is 1..ID_MAX, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= ID_MAX else None


def whole(value, low: int = INT_MIN, high: int = INT_MAX) -> int | None:
    """A whole number typed into a form or query argument, None when it is none or out of range."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _up_to(n: int) -> str:
    """A regular expression of the decimal numbers 1..n (no leading zeros)."""
    digits = str(n)
    parts = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for i, d in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(d) > low:
            parts.append(f"{digits[:i]}[{low}-{int(d) - 1}][0-9]{{{len(digits) - i - 1}}}")
    return "|".join([*parts, digits])


class IdConverter(IntegerConverter):
    """`<int:...>`: 1..2³¹−1 only (Werkzeug's own has no upper bound). The pattern itself stops at 2³¹−1:
    a number that matched the pattern but failed the range check made Werkzeug answer 405 when another
    method's rule has the same path, instead of 404."""

    regex = f"(?:{_up_to(ID_MAX)})"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = ID_MAX,
                 signed: bool = False) -> None:  # fmt: skip
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def bound_integer_fields(form_class) -> None:
    """The whole-number fields FAB makes from INTEGER columns refuse numbers the column cannot hold (the
    database refused them: a 500)."""
    from flask_babel import lazy_gettext as _l
    from wtforms import IntegerField
    from wtforms.fields.core import UnboundField
    from wtforms.validators import NumberRange

    for name in dir(form_class):
        field = getattr(form_class, name, None)
        if isinstance(field, UnboundField) and issubclass(field.field_class, IntegerField):
            message = _l("Enter a whole number from %(min)d to %(max)d.", min=INT_MIN, max=INT_MAX)
            field.kwargs["validators"] = [*(field.kwargs.get("validators") or []),
                                          NumberRange(INT_MIN, INT_MAX, message=message)]  # fmt: skip


def fits_column(datamodel, column: str, value: str) -> bool:
    """A filter value the database can compare with the column (FAB passes numbers and related ids
    straight to the driver)."""
    text = value.strip()
    if datamodel.is_relation(column):
        return not text or parse_id(text) is not None
    if datamodel.is_integer(column):
        big = isinstance(datamodel.list_columns[column].type, BigInteger)
        return not text or whole(text, -BIGINT_MAX if big else INT_MIN, BIGINT_MAX if big else INT_MAX) is not None
    if datamodel.is_boolean(column):
        return value in ("y", "n", "")
    if datamodel.is_float(column) or datamodel.is_numeric(column):
        try:
            return math.isfinite(float(text)) and abs(float(text)) < 1e15 if text else True
        except ValueError:
            return False
    return True


def check_ids() -> None:
    """before_request: a `<pk>` (FAB's routes take it as text), a `pk` query argument and the rows an
    action is posted for must be ids; anything else names no row (404)."""
    values = request.view_args or {}
    if "pk" in values and parse_id(values["pk"]) is None:
        abort(404)
    if "pk" in request.args and parse_id(request.args["pk"]) is None:
        abort(404)
    posted = request.form.getlist("rowid") if request.method == "POST" else []
    if (request.endpoint or "").endswith(".action_post") and any(parse_id(v) is None for v in posted):
        abort(404)


def init_converters(app: Flask) -> None:
    """Call before any view is registered: routes bind their converters when they are added."""
    app.url_map.converters["int"] = IdConverter
