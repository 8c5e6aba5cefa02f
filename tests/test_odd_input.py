"""Issue 17, finding 7 (500s on odd input): requests generated from the URL map and from the OpenAPI
spec, sent on the demo data as an administrator and as a clerk (an Operator of the demo unit):

- every rule of the URL map with an id out of range or not a number in its <pk> (and a `pk` query
  argument on every page without one): "not found";
- every list page with bad page numbers and sizes, and every relation or number filter with values
  that do not fit its column: 400 with a message;
- every path and method of /api/v1/_openapi: each documented body field with values of the wrong
  type (and out-of-range numbers), the whole body not an object, `q` that is not rison, bad pages,
  sort columns and filters: 400 with a message naming what is wrong.

No answer may be a 5xx, and none of these requests may change the database. Nothing here lists
URLs or fields: a rule or a documented field added tomorrow is sent the same odd input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

import prison
import pytest
from sqlalchemy import func, select

from app.documents.naskah import EDITABLE_FIELDS
from app.extensions import db
from app.models import NaskahDinas, PenkomUser
from tests.conftest import PASSWORD, login
from tests.route_matrix import build, fillers, fingerprint, grants_of, targets

BAD_IDS = [0, -1, 2**31, 2**63, 10**30, "abc"]
SKIPPED = {"static", "appbuilder.static", "AuthDBView.logout"}  # files, and a logout would end the session
# `q` that FAB's list (and show) must refuse with 400 (None: anything but a 5xx; FAB ignores or caps it).
BROKEN_Q = [
    ("(", 400, 400),
    ("(page:", 400, 400),
    ("!(1,2", 400, 400),
    ("'unclosed", 400, 400),
    ("(page:1,,)", 400, 400),
    ("%7B%22page%22:", 400, 400),  # half a JSON object
    ("!(1,2)", 400, 400),  # rison, but a list
    ("(page:-1)", 400, None),
    ("(page:99999999999999999999)", 400, None),
    ("(page:'satu')", 400, None),
    ("(page:1.5)", 400, None),
    ("(page_size:-5)", None, None),
    ("(page_size:0)", None, None),
    ("(page_size:99999999999999999999)", None, None),
    ("(order_column:tidak_ada)", 400, None),
    ("(order_direction:naik)", 400, None),
    ("(columns:!(tidak_ada))", None, None),
    ("(filters:!((col:tidak_ada,opr:eq,value:1)))", 400, None),
    ("(filters:!((col:id,opr:tidak_ada,value:1)))", 400, None),
    ("(filters:tidak)", 400, None),
]
FILTER_VALUES = [2**31, 10**30, -1, "abc", 1.5, True, "", "2026-13-45", ["abc", 2**31]]


@dataclass
class Actor:
    name: str
    user_id: int
    client: object
    grants: set = field(default_factory=set)


@dataclass
class Prober:
    """Sends odd requests and keeps what went wrong (a 5xx, or an answer other than expected)."""

    app: object
    admin: Actor
    clerk: Actor
    problems: list[str] = field(default_factory=list)
    sent: int = 0

    @property
    def actors(self) -> list[Actor]:
        return [self.admin, self.clerk]

    def send(self, actor: Actor, method: str, url: str, expect: set[int] | None = None, **kwargs):
        self.sent += 1
        try:
            response = actor.client.open(url, method=method, **kwargs)
        except Exception as exc:  # noqa: BLE001 - TESTING propagates what production answers with a 500
            self.problems.append(f"{method} {url} {_body(kwargs)} as {actor.name}: {type(exc).__name__}: {exc}"[:400])
            return None
        status = response.status_code
        if status >= 500 or (expect is not None and status not in expect):
            message = (response.get_json(silent=True) or {}).get("message", "")
            self.problems.append(
                f"{method} {url} {_body(kwargs)} as {actor.name}: {status}"
                + (f", expected {sorted(expect)}" if expect else "")
                + (f" ({message})" if message else "")
            )
        return response

    def check(self) -> None:
        assert not self.problems, f"{len(self.problems)} of {self.sent} requests:\n" + "\n".join(self.problems)


def _body(kwargs: dict) -> str:
    if "json" in kwargs:
        return f"json={kwargs['json']!r}"[:160]
    if "data" in kwargs:
        return f"data={kwargs['data']!r}"[:160]
    return ""


@pytest.fixture(scope="module")
def prober(demo_app):
    """An administrator, and a clerk with the roles and unit of demo.operator (whose password another test
    resets)."""
    app = demo_app
    with app.app_context():
        sm = app.appbuilder.sm
        operator = sm.find_user(username="demo.operator")
        for username, roles in (
            ("ganjil_admin", [sm.find_role(sm.auth_role_admin)]),
            ("ganjil_operator", list(operator.roles)),
        ):
            if sm.find_user(username=username) is None:
                user = sm.add_user(username, "Ganjil", username, f"{username}@example.test", roles, PASSWORD)
                user.unit_kerja_id, user.wajib_ganti_sandi = operator.unit_kerja_id, False
                db.session.commit()
        ids = {u: sm.find_user(username=u).id for u in ("ganjil_admin", "ganjil_operator")}
    actors = []
    for name, username in (("admin", "ganjil_admin"), ("clerk", "ganjil_operator")):
        client = app.test_client()
        login(client, username)
        actor = Actor(name, ids[username], client)
        with app.app_context():
            actor.grants = grants_of(app, actor.user_id)
        actors.append(actor)
    return Prober(app, *actors)


@pytest.fixture
def unchanged(prober):
    """The database is the same after the test's requests as before."""
    with prober.app.app_context():
        before = fingerprint()
    prober.problems.clear()
    yield
    with prober.app.app_context():
        assert fingerprint() == before, "odd requests changed the database"


# -- the URL map ----------------------------------------------------------------------------------------


def url_values(target, values: dict) -> dict:
    """Every URL argument other than <pk>: the first value the route matrix would use."""
    result = {}
    for arg in target.rule.arguments - {"pk"}:
        if arg == "name" and target.action:
            result[arg] = sorted(target.view.actions)[0] if target.view.actions else "tidak-ada"
            continue
        filler = values.get((target.endpoint, arg)) or values[arg]
        result[arg] = (filler(target) if callable(filler) else filler)[0]
    return result


def allowed(actor: Actor, target) -> bool:
    """Whether the actor holds the permission the rule checks (else FAB refuses before any id is read)."""
    if target.view is None or target.action:
        return True
    permission = target.permission()
    return permission is None or permission in actor.grants


def test_odd_input_ids_out_of_range_or_not_numbers_are_not_found(prober, unchanged):
    """Every rule with a row id, every method, as both actors: 0, -1, 2³¹, 2⁶³, 10³⁰ and "abc" name no
    row (404), and so do the rows an action is posted for and a `pk` query argument."""
    app = prober.app
    values = fillers(app)
    for target in targets(app, {}):
        if target.endpoint in SKIPPED:
            continue
        if "pk" not in target.rule.arguments:
            if target.attr == "action_post":
                action = sorted(target.view.actions)[0] if target.view.actions else "tidak-ada"
                for bad in BAD_IDS:
                    prober.send(prober.admin, "POST", target.rule.rule, {404}, data={"action": action, "rowid": [bad]})
            elif "GET" in target.methods and not target.rule.arguments:
                prober.send(prober.admin, "GET", f"{target.rule.rule}?pk={2**31}", {404})
            continue
        for actor in prober.actors:
            if not allowed(actor, target):
                continue
            for method in target.methods:
                body = {"json": {}} if target.api else {"data": {}}
                for bad in BAD_IDS:
                    url = build(target.rule, {**url_values(target, values), "pk": bad})
                    prober.send(actor, method, url, {404}, **(body if method != "GET" else {}))
    prober.check()


def test_odd_input_bad_page_numbers_and_filter_values_on_every_list(prober, unchanged):
    """Every list page: a page number or size that is negative, huge or not a number, and a filter on each
    relation or number column with a value that does not fit it, answer 400 with a message."""
    for target in targets(prober.app, {}):
        if target.attr != "list" or target.view is None or not allowed(prober.clerk, target):
            continue
        view = type(target.view).__name__
        for arg, bad in ((f"page_{view}", "-1"), (f"page_{view}", "9" * 30), (f"psize_{view}", "0"),
                         (f"psize_{view}", "-5"), (f"psize_{view}", "abc"), (f"psize_{view}", "9" * 30)):  # fmt: skip
            prober.send(prober.clerk, "GET", f"{target.rule.rule}?{arg}={bad}", {400})
        datamodel = target.view.datamodel
        for column, filters in target.view._filters.get_search_filters().items():
            if not (datamodel.is_relation(column) or datamodel.is_integer(column)):
                continue
            index = next((i for i, f in enumerate(target.view._filters._all_filters[column])
                          if f.arg_name == filters[0].arg_name), 0)  # fmt: skip
            for bad in (2**31, 10**30, "abc"):
                prober.send(prober.admin, "GET", f"{target.rule.rule}?_flt_{index}_{column}={bad}", {400})
    prober.check()


# -- the OpenAPI spec -----------------------------------------------------------------------------------


@dataclass
class Operation:
    path: str
    method: str
    spec: dict
    target: object  # the URL map's rule for it (tests/route_matrix.Target)

    def url(self, pk) -> str:
        return self.path.replace("{pk}", quote(str(pk))).replace("{version}", "v1")


def operations(prober) -> list[Operation]:
    """Every path and method of the OpenAPI spec, with the rule of the URL map that serves it."""
    spec = prober.admin.client.get("/api/v1/_openapi").get_json()
    rules = {}
    for target in targets(prober.app, {}):
        template = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", target.rule.rule)
        for method in target.methods:
            rules[(template.rstrip("/"), method)] = target
    result = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            target = rules.get((path.rstrip("/"), method.upper()))
            assert target is not None, f"{method.upper()} {path} of the spec is not in the URL map"
            result.append(Operation(path, method.upper(), operation, target))
    return result


def row_id(app, operation: Operation) -> int:
    """A row the path's <pk> names (the newest of its model), so that the view gets as far as the body."""
    with app.app_context():
        return db.session.execute(select(func.max(operation.target.model().id))).scalar() or 1


def json_schema(operation: Operation) -> dict | None:
    content = (operation.spec.get("requestBody") or {}).get("content") or {}
    return (content.get("application/json") or {}).get("schema")


def valid(schema: dict):
    """A value of the schema's type."""
    return {"integer": 1, "number": 1, "string": "x", "boolean": True, "array": [], "object": {}}.get(
        schema.get("type"), "x"
    )


def wrong(schema: dict) -> list:
    """Values that do not fit the schema: other types, numbers beyond the database's range, bad items and
    keys. (OpenAPI's `nullable` allows null.)"""
    kind = schema.get("type")
    others = {
        "integer": ["1", 1.5, True, [], {}, 2**31, -(2**31) - 1, 10**30],
        "number": ["1", True, [], {}],
        "string": [1, True, [], {}],
        "boolean": ["true", 1, [], {}],
        "array": ["x", 1, {}],
        "object": ["x", 1, []],
    }.get(kind, [])
    if kind and not schema.get("nullable"):
        others.append(None)
    if kind == "array" and isinstance(schema.get("items"), dict):
        others += [[bad] for bad in wrong(schema["items"])]
    if kind == "object" and schema.get("x-id-keys"):
        inner = schema.get("additionalProperties") or {}
        others += [{"abc": valid(inner)}, {"9999999999": valid(inner)}, {"0": valid(inner)}]
        others += [{"1": bad} for bad in wrong(inner)]
    if kind == "object":
        for name, sub in (schema.get("properties") or {}).items():
            others += [{name: bad} for bad in wrong(sub)]
    return others


def test_odd_input_api_bodies_of_the_wrong_type_are_refused_naming_the_field(prober, unchanged):
    """Each documented body field of every API operation, sent with values of another type (or numbers
    beyond the database's range), as both actors on a real row: 400 whose message names the field; a body
    that is not an object, or holds NaN: 400 as well."""
    checked = 0
    for operation in operations(prober):
        schema = json_schema(operation)
        if schema is None:
            continue
        url = operation.url(row_id(prober.app, operation)) if "{pk}" in operation.path else operation.url(None)
        for name, sub in (schema.get("properties") or {}).items():
            for bad in wrong(sub):
                checked += 1
                for actor in prober.actors:
                    response = prober.send(actor, operation.method, url, {400}, json={name: bad})
                    message = (response.get_json(silent=True) or {}).get("message", "") if response else ""
                    if response is not None and response.status_code == 400 and name not in str(message):
                        prober.problems.append(f"{operation.method} {url} {name}={bad!r}: message {message!r}")
        for body in ([], "teks", 7, [{"x": 1}]):
            prober.send(prober.admin, operation.method, url, {400}, json=body)
        nan = prober.send(prober.admin, operation.method, url, {400}, data='{"x": NaN}',
                          content_type="application/json")  # fmt: skip
        assert nan is None or "NaN" in nan.get_json()["message"]
    assert checked > 100, "the spec documents too few body fields"
    prober.check()


def test_odd_input_api_broken_rison_pages_sorts_and_filters_are_refused(prober, unchanged):
    """`q` on every operation that takes it: not rison, pages out of range, unknown sort columns and
    filters, and filter values that do not fit each searchable column: 400 with a message, never a 5xx."""
    for operation in operations(prober):
        if not any(p.get("name") == "q" for p in operation.spec.get("parameters") or []):
            continue
        url = operation.url(row_id(prober.app, operation)) if "{pk}" in operation.path else operation.url(None)
        listing = operation.target.attr == "get_list"
        for actor in prober.actors:
            for q, on_list, on_show in BROKEN_Q:
                expect = on_list if listing else on_show
                prober.send(actor, "GET", f"{url}?q={q}", {expect} if expect else None)
        if not listing:
            continue
        view = operation.target.view
        for column, filters in view._filters.get_search_filters().items():
            # Every operator with a value of another kind than the column's; the first with every odd value.
            worst = 2**31 if view.datamodel.is_relation(column) or view.datamodel.is_integer(column) else 7
            for i, item in enumerate(filters):
                for value in FILTER_VALUES if i == 0 else [worst, [worst]]:
                    q = {"filters": [{"col": column, "opr": item.arg_name, "value": value}]}
                    prober.send(prober.admin, "GET", f"{url}?q={quote(prison.dumps(q))}")
    prober.check()


# -- what the user reads --------------------------------------------------------------------------------


def test_odd_input_a_wrong_type_in_a_document_edit_names_the_field_in_indonesian(prober, unchanged):
    """The request the sweep found: PUT /api/v1/naskah/<id> with a number as the subject answered 500."""
    with prober.app.app_context():
        draft = db.session.execute(
            select(NaskahDinas.id).where(NaskahDinas.status == "konsep").order_by(NaskahDinas.id)
        ).scalar()
        assert draft is not None
        ids = db.session.execute(select(PenkomUser.id)).scalars().all()
    edit = next(o for o in operations(prober) if o.method == "PUT" and o.path == "/api/v1/naskah/{pk}")
    assert set(EDITABLE_FIELDS) <= set(json_schema(edit)["properties"])  # every field the service takes is typed
    response = prober.admin.client.put(f"/api/v1/naskah/{draft}", json={"perihal": 5})
    assert response.status_code == 400
    assert response.get_json()["message"] == "perihal harus berupa teks."
    response = prober.admin.client.put(f"/api/v1/naskah/{draft}", json={"penandatangan_id": 2**31})
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("penandatangan_id berada di luar rentang")
    assert prober.admin.client.get(f"/api/v1/naskah/{2**31}").status_code == 404
    assert prober.admin.client.get(f"/naskahdinasview/show/{2**63}").status_code == 404
    assert max(ids) < 2**31
    response = prober.admin.client.get("/api/v1/naskah/?q=(page:-1)")
    assert response.status_code == 400 and "halaman" in response.get_json()["message"].lower()
    response = prober.admin.client.get("/api/v1/naskah/?q=(page:")
    assert response.status_code == 400 and "rison" in response.get_json()["message"]


def test_odd_input_a_number_beyond_its_column_in_a_form_is_refused(prober, unchanged):
    """A whole-number field FAB makes from an INTEGER column (an actor's column order) with 2³¹: the form
    again with a message, not the database's overflow."""
    for value in (2**31, 10**30):
        response = prober.admin.client.post("/pelaksanaview/add", data={"urutan": value, "kode": "x", "nama": "X"})
        assert response.status_code == 200
        assert "Masukkan bilangan bulat dari -2147483648 sampai 2147483647." in response.get_data(as_text=True)
