"""The API's input, checked before any API view runs (one place for every resource).

- A JSON body must fit the request body schema the endpoint documents for the OpenAPI spec (the
  YAML in its docstring, which FAB also publishes at /api/v1/_openapi): a field of the wrong type
  or a whole number beyond the database's range (INTEGER, 32 bits) answers 400 with a message naming
  the field. Only the shape is checked here: missing fields, choices and lengths are the view's to
  judge (its message says what the field means). NaN and Infinity (which Python's JSON parser
  accepts) are refused anywhere in a body.
- `q` (rison, or JSON) must parse. On FAB's list and show it must fit FAB's own schema, with a page
  number of 0..10⁶, a sort column of the list, and filters on searchable columns whose values fit the
  column (an id for a relation, a whole number in range, a date, text...).

Answers are `{"message": ...}` in the user's language (app/errors.py).
"""

from __future__ import annotations

import functools
import json
import math
import urllib.parse

import jsonschema
import prison
from apispec import yaml_utils
from flask import current_app, request
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.api.schemas import get_item_schema, get_list_schema
from flask_babel import gettext as _
from jsonschema.exceptions import best_match

from app import bounds
from app.errors import abort_with

BODY_METHODS = ("POST", "PUT", "PATCH")
PAGE_MAX = 10**6
LIST_OPERATIONS = ("in", "not_in")  # FAB's filters that take a list of values
# What a type is called in a message ("<field> must be a whole number").
TYPE_NAMES = {
    "integer": lambda: _("a whole number"),
    "number": lambda: _("a number"),
    "string": lambda: _("text"),
    "boolean": lambda: _("true or false"),
    "array": lambda: _("a list"),
    "object": lambda: _("an object"),
    "null": lambda: "null",
}


# Field types for the schemas endpoints write in their docstrings (as JSON, which YAML reads).
ID = {"type": "integer"}
ID_OR_NULL = {"type": "integer", "nullable": True}
IDS = {"type": "array", "items": ID}
TEXT = {"type": "string"}
NUMBER = {"type": "number"}
FLAG = {"type": "boolean"}


def id_map(values: dict) -> dict:
    """An object whose keys are ids (`{"12": ...}`) and whose values have the schema `values`."""
    return {"type": "object", "x-id-keys": True, "additionalProperties": values}


# -- schemas ------------------------------------------------------------------------------------------


@functools.cache
def _operations(doc: str) -> dict:
    """The OpenAPI operations of a docstring, as FAB's spec reads them."""
    return yaml_utils.load_operations_from_docstring(doc) or {}


def _shape(node):
    """JSON Schema for the shape only: OpenAPI's `nullable` as a type, whole numbers in the
    database's range, id keys of a map (`x-id-keys`) within it; no required fields, choices or lengths."""
    if not isinstance(node, dict):
        return node
    out = {}
    kind = node.get("type")
    if kind:
        out["type"] = [kind, "null"] if node.get("nullable") else kind
    if kind == "integer":
        out["minimum"] = max(node.get("minimum", bounds.INT_MIN), bounds.INT_MIN)
        out["maximum"] = min(node.get("maximum", bounds.INT_MAX), bounds.INT_MAX)
    if "properties" in node:
        out["properties"] = {name: _shape(sub) for name, sub in node["properties"].items()}
    if isinstance(node.get("items"), dict):
        out["items"] = _shape(node["items"])
    if isinstance(node.get("additionalProperties"), dict):
        out["additionalProperties"] = _shape(node["additionalProperties"])
    if node.get("x-id-keys"):
        out["propertyNames"] = {"pattern": "^[1-9][0-9]{0,8}$"}  # ids up to 999,999,999: within INTEGER
    return out


@functools.cache
def _validator(doc: str, method: str):
    operation = _operations(doc).get(method.lower()) or {}
    content = (operation.get("requestBody") or {}).get("content") or {}
    schema = (content.get("application/json") or {}).get("schema")
    if not schema or "$ref" in schema:
        return None
    return jsonschema.Draft202012Validator(_shape(schema))


def body_validator(view_function, method: str):
    """The validator of the JSON body the endpoint documents for `method`, or None."""
    doc = getattr(view_function, "__doc__", None)
    return _validator(doc, method) if doc else None


# -- messages -----------------------------------------------------------------------------------------


def _field(path) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def message(error: jsonschema.ValidationError) -> str:
    """An Indonesian sentence naming the field and what it must be."""
    field = _field(error.absolute_path)
    if error.validator == "pattern":  # only map keys carry a pattern (x-id-keys)
        return _("The keys of %(field)s must be ids (whole numbers).", field=field or _("the data"))
    if not field:
        return _("Send the data as a JSON %(kind)s.", kind=_kinds(error.schema.get("type")))
    if error.validator == "type":
        return _("%(field)s must be %(kind)s.", field=field, kind=_kinds(error.validator_value))
    if error.validator in ("minimum", "maximum"):
        return _("%(field)s is outside the range Penkom accepts (%(low)d to %(high)d).", field=field,
                 low=error.schema["minimum"], high=error.schema["maximum"])  # fmt: skip
    return _("%(field)s is not valid.", field=field)


def _kinds(value) -> str:
    names = [TYPE_NAMES[k]() for k in (value if isinstance(value, list) else [value]) if k in TYPE_NAMES]
    return _(" or ").join(names)


def _non_finite(value) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    if isinstance(value, list):
        return any(_non_finite(v) for v in value)
    return False


def check_body(view_function) -> None:
    if request.method not in BODY_METHODS or not request.is_json:
        return
    body = request.get_json(silent=True)
    if body is None:
        return  # absent or not JSON: the view says what it needs
    if _non_finite(body):
        abort_with(400, _("The JSON data contains NaN or Infinity, which are not numbers Penkom accepts."))
    validator = body_validator(view_function, request.method)
    error = best_match(validator.iter_errors(body)) if validator else None
    if error is not None:
        abort_with(400, message(error))


# -- q: rison -----------------------------------------------------------------------------------------


def parse_q(value: str):
    """`q` as FAB reads it: rison, else (FAB_API_ALLOW_JSON_QS) JSON; None when it is neither."""
    try:
        return prison.loads(value)
    except prison.decoder.ParserException:
        if not current_app.config.get("FAB_API_ALLOW_JSON_QS", True):
            return None
    except Exception:  # noqa: BLE001 - prison fails on some input with other errors; FAB let those through
        return None
    try:
        return json.loads(urllib.parse.parse_qs(f"q={value}").get("q")[0])
    except Exception:  # noqa: BLE001 - FAB's own fallback refuses on any error as well
        return None


def _q_schema(view, attr: str) -> dict | None:
    """The schema FAB validates `q` with on a model API's list and show."""
    if not isinstance(view, ModelRestApi):
        return None
    return {"get_list": get_list_schema, "get": get_item_schema}.get(attr)


def check_q(view, attr: str) -> None:
    if "q" not in request.args:
        return
    args = parse_q(request.args["q"])
    if args is None:
        abort_with(400, _("The query parameter q is neither rison nor JSON."))
    schema = _q_schema(view, attr)
    if schema is None:
        return
    error = best_match(jsonschema.Draft202012Validator(schema).iter_errors(args))
    if error is not None:
        abort_with(400, _("The query parameter q is not valid: %(detail)s", detail=message(error)))
    if attr != "get_list":
        return
    page = args.get("page", 0)
    if page is not None and not 0 <= page <= PAGE_MAX:
        abort_with(400, _("The page number must be from 0 to %(max)d.", max=PAGE_MAX))
    order = args.get("order_column")
    if order and view.order_columns and order not in view.order_columns:
        abort_with(400, _("The list cannot be sorted by %(column)s.", column=str(order)[:60]))
    for item in args.get("filters") or []:
        _check_filter(view, item)


def _check_filter(view, item: dict) -> None:
    column, operation, value = item.get("col"), item.get("opr"), item.get("value")
    filters = view._filters.get_search_filters().get(column) if isinstance(column, str) else None
    if not filters:
        abort_with(400, _("The list cannot be filtered by %(column)s.", column=str(column)[:60]))
    if operation not in {f.arg_name for f in filters}:
        abort_with(400, _("The list cannot be filtered that way."))
    many = operation in LIST_OPERATIONS
    values = value if many and isinstance(value, list) else [value]
    if many != isinstance(value, list) or not all(fits(view.datamodel, column, v) for v in values):
        abort_with(400, _("The filter value does not fit the column %(column)s.", column=column))


def fits(datamodel, column: str, value) -> bool:
    """A single filter value FAB's filters can compare with the column: the database is never handed a
    number beyond its range, and text operators never a number (FAB builds `value + "%"`)."""
    if isinstance(value, list | dict) or value is None:
        return False
    if datamodel.is_relation(column):
        return bounds.parse_id(value) is not None  # FAB looks the row up by it
    if datamodel.is_integer(column) or datamodel.is_float(column) or datamodel.is_numeric(column):
        return not isinstance(value, bool) and bounds.fits_column(datamodel, column, str(value))
    if datamodel.is_boolean(column):
        return isinstance(value, bool) or value in ("y", "n")  # FAB passes anything else on as it is
    if datamodel.is_date(column) or datamodel.is_datetime(column):
        return True  # FAB parses the value, and compares with NULL when it does not parse
    return isinstance(value, str)


# -- the hook -----------------------------------------------------------------------------------------


def check_api_input() -> None:
    """before_request for /api/: the body and `q` of the endpoint about to run."""
    if not request.path.startswith("/api/") or request.endpoint is None:
        return
    view_function = current_app.view_functions.get(request.endpoint)
    check_body(view_function)
    check_q(getattr(view_function, "__self__", None), request.endpoint.rpartition(".")[2])
