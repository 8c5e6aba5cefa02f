"""The machinery of the route × role matrix (tests/test_route_matrix.py).

Every rule of the URL map is requested as every actor (anonymous, one user per distinct role, an
outside applicant, a clerk of another agency), with every method it accepts and real row ids of the
actor's own agency, of the other agency, of an applicant's own records and of national reference
data. The expected answer is derived from data, never from a list of URLs:

- the permission FAB checks for the endpoint (the `_permission_name` its decorators put on the
  method, the view's `method_permission_name` and `base_permissions`; an action's own name) against
  the actor's role grants read from the database: anonymous → the login page (API: 401), no
  permission → 403 (actions: FAB's "access denied" redirect), unknown action → 404;
- the row's visibility and writability for the actor, asked of `app.scope` (narrowed by a view's
  own filters such as "my tasks"): out of scope → 404; read-only reference data → refused, nothing
  changed; otherwise 2xx/3xx, or a refusal by the operation itself (400/403/409/422) for writes.

Never a 5xx. Refused requests leave the database as it was (a checksum of every table, taken after
any request that issued a write). No answer to an actor (page, JSON, flash message) may contain a
marker planted in rows that actor may not see: agency B's rows, agency A's staff-only rows (for the
applicant), another applicant's records. Refusals decided before any row is read are sent with one
row only; allowed deletes are not sent (they would remove the rows the rest of the matrix needs).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from flask import g
from flask_appbuilder import Model
from flask_appbuilder.api import BaseApi
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import event, select

from app import scope
from app.extensions import db
from app.models import (
    BerkasPeserta,
    KegiatanPenilaian,
    Lampiran,
    NaskahDinas,
    Notifikasi,
    PenkomUser,
    Penugasan,
    Peserta,
    Sesi,
    Sop,
)
from app.models.impor import JobImpor
from app.models.laporan import JobLaporan
from tests.conftest import PASSWORD, login

# Markers planted in the dataset's text (names, titles, subjects, comments, usernames).
ALFA = "Alfaxq"  # every row of agency A
BRAVO = "Bravoxq"  # every row of agency B
STAF = "Stafxq"  # agency A rows that concern staff only (civil servants, drafts, other applicants' matters)
P1 = "Pemohonsatuxq"  # the records of applicant 1 (the applicant actor)
P2 = "Pemohonduaxq"  # the records of applicant 2 (another applicant of the same agency)
MARKERS = (ALFA, BRAVO, STAF, P1, P2)

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}
DOMAIN_REFUSALS = {400, 403, 409, 422}  # an allowed request refused by the operation itself
ROW_ORDER = ("B", "A", "own", "nat", "adm")  # the other agency's row first: the one a refusal matters most for
# Refusals decided before any row is read (no login, no permission, GET mutation, unknown action):
# one row is enough to show them.
ROW_INDEPENDENT = {"login", "401", "403", "denied", "get-refused", "no-action"}


@dataclass(frozen=True)
class Public:
    """A rule anyone may request: the statuses it answers and why it is public."""

    statuses: frozenset[int]
    reason: str
    shows_documents: bool = False  # the page shows a signed letter to whoever holds its code


# Where a rule's <pk> is not a row of the view's own model: (view class in the MRO, method or "*").
# A custom endpoint whose <pk> names another model must be declared here.
PK_MODEL: dict[tuple[str, str], type] = {
    ("KasusView", "berkas"): Lampiran,  # a case's attachment
    ("MonitoringView", "*"): Sop,  # the SOP being monitored
    ("NotifikasiView", "buka"): Notifikasi,  # a notification of the logged-in user
    ("KegiatanPenilaianView", "kehadiran"): Sesi,  # a session of the event: its attendance
    ("KegiatanPenilaianView", "impor_progres"): JobImpor,  # a participant import on the job queue
    ("KegiatanApi", "impor_status"): JobImpor,
    ("PesertaView", "berkas"): BerkasPeserta,  # a participant's intake file
    ("NilaiApi", "buka"): Penugasan,  # a score sheet
    ("NilaiApi", "kirim"): Penugasan,
    ("RekapView", "*"): KegiatanPenilaian,  # the event recapped or evaluated
    ("RekapApi", "rekap"): KegiatanPenilaian,  # the event recapped
    ("UmpanBalikView", "minta"): Peserta,  # the participant who requests feedback
    ("LaporanView", "buat"): Peserta,  # the participant whose report is opened
    ("LaporanBatchView", "mulai"): KegiatanPenilaian,  # the event whose reports are printed
    ("LaporanBatchView", "*"): JobLaporan,  # a report batch
    ("LaporanKegiatanApi", "*"): KegiatanPenilaian,
    ("JobApi", "*"): JobLaporan,
    ("LaporanPesertaApi", "*"): Peserta,
}


class MatrixSetupError(AssertionError):
    """The matrix cannot fill or judge a rule; the message says what to add."""


# -- actors ---------------------------------------------------------------------------------------


@dataclass
class Actor:
    key: str  # short name in the table
    label: str
    user_id: int | None  # None: anonymous
    username: str | None
    forbidden: tuple[str, ...]  # markers that must never appear in this actor's answers
    agency: str | None = None  # "A" or "B" for staff bound to one agency's units
    client: object = None  # logged in through the login form (session cookie)
    token_client: object = None  # no cookie: API requests carry the JWT of the API login
    token: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.user_id is None


# -- targets --------------------------------------------------------------------------------------


@dataclass
class Target:
    """One rule of the URL map and what the matrix knows about it."""

    rule: object
    endpoint: str
    view: object | None
    attr: str
    public: Public | None

    @property
    def key(self) -> str:
        return rule_key(self.rule)

    @property
    def api(self) -> bool:
        return isinstance(self.view, BaseApi)

    @property
    def action(self) -> bool:
        return self.attr in ("action", "action_post") and hasattr(self.view, "actions")

    @property
    def delete(self) -> bool:
        return self.attr == "delete"

    @property
    def methods(self) -> list[str]:
        return sorted(set(self.rule.methods) - {"HEAD", "OPTIONS"}, key=METHOD_ORDER.get)

    @property
    def view_name(self) -> str:
        if self.view is None:
            return self.endpoint
        return getattr(self.view, "class_permission_name", None) or type(self.view).__name__

    def permission(self, action_name: str | None = None) -> tuple[str, str] | None:
        """(permission, view menu) FAB checks for this endpoint; None when it checks nothing."""
        view = self.view
        if self.action:
            item = view.actions.get(action_name)
            if item is None or not (item.single if self.attr == "action" else item.multiple):
                return None  # unknown here: the app answers 404
            return view.get_action_permission_name(action_name), view.class_permission_name
        func = getattr(type(view), self.attr, None)
        name = getattr(func, "_permission_name", None)
        if name is None:
            return None
        override = (getattr(view, "method_permission_name", None) or {}).get(func.__name__)
        return f"can_{override or name}", view.class_permission_name

    def valid(self, perm: str) -> bool:
        return self.action or perm in (self.view.base_permissions or [])

    def lookup(self, table: dict):
        """The entry for this endpoint in a table keyed by (view class or a base class, method or "*")."""
        for cls in type(self.view).__mro__:
            for key in ((cls.__name__, self.attr), (cls.__name__, "*")):
                if key in table:
                    return table[key]
        return None

    def model(self) -> type | None:
        """The model whose row the rule's <pk> (or an action's rowid) names."""
        return self.lookup(PK_MODEL) or getattr(getattr(self.view, "datamodel", None), "obj", None)


def rule_key(rule) -> str:
    return f"{rule.endpoint} {rule.rule}"


def targets(app, public: dict[str, Public]) -> list[Target]:
    """Every rule of the URL map, deletes last (an allowed delete must not remove rows others need)."""
    views = {v.blueprint.name: v for v in app.appbuilder.baseviews if getattr(v, "blueprint", None) is not None}
    result = []
    for rule in app.url_map.iter_rules():
        blueprint, _, attr = rule.endpoint.rpartition(".")
        view = views.get(blueprint)
        result.append(Target(rule, rule.endpoint, view, attr, public.get(rule.endpoint)))
    return sorted(result, key=lambda t: (t.delete, t.rule.rule, t.endpoint))


# -- the dataset's rows ---------------------------------------------------------------------------


@dataclass
class Rows:
    """Representative rows of each model, by kind:

    A   own agency's row (visible to A's clerk, not to B's; preferably not an applicant's own record)
    B   the other agency's row
    own an applicant's own record (visible to applicant 1, not to applicant 2 nor to agency B)
    nat national/shared reference data (visible in both agencies)
    adm a row of a model only administrators see
    """

    probes: dict[str, int]  # probe name -> user id (opA, opB, p1, p2)
    by_model: dict[type, dict[str, int]] = field(default_factory=dict)

    def of(self, model: type) -> dict[str, int]:
        if model not in self.by_model:
            self.by_model[model] = self._classify(model)
        return self.by_model[model]

    def _classify(self, model: type) -> dict[str, int]:
        try:
            scope.where_rule(model)
        except scope.UnscopedModel:
            ids = list(db.session.execute(select(model.id).order_by(model.id.desc()).limit(1)).scalars())
            return {"nat": ids[0]} if ids else {}
        seen = {name: {row.id for row in scope.visible(model, self._user(uid))} for name, uid in self.probes.items()}
        seen.setdefault("p1", set())
        seen.setdefault("p2", set())
        kinds: dict[str, int] = {}
        a_only = seen["opA"] - seen["opB"]
        staff_only = a_only - seen["p1"]
        if staff_only or a_only:
            kinds["A"] = max(staff_only or a_only)
        b_only = seen["opB"] - seen["opA"]
        if b_only:
            kinds["B"] = max(b_only)
        own = seen["p1"] - seen["p2"] - seen["opB"]
        if own:
            kinds["own"] = max(own)
        shared = seen["opA"] & seen["opB"]
        if shared:
            kinds["nat"] = max(shared)
        if not kinds:  # rows only administrators see (the audit trail)
            ids = list(db.session.execute(select(model.id).order_by(model.id.desc()).limit(1)).scalars())
            kinds.update({"adm": ids[0]} if ids else {})
        return kinds

    @staticmethod
    def _user(user_id: int):
        return db.session.get(PenkomUser, user_id)


def grants_of(app, user_id: int | None) -> set[tuple[str, str]]:
    """The (permission, view) pairs a user's roles grant (None: the anonymous visitor's), from the database."""
    sm = app.appbuilder.sm
    roles = [sm.find_role(sm.auth_role_public)] if user_id is None else db.session.get(PenkomUser, user_id).roles
    return {(pv.permission.name, pv.view_menu.name) for role in roles if role for pv in role.permissions}


# -- database fingerprint -------------------------------------------------------------------------


class WriteWatch:
    """Counts INSERT/UPDATE/DELETE statements on the app's engine, so that a fingerprint of every
    table is taken only after a request that wrote something."""

    def __init__(self, engine):
        self.writes = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.writes += 1


def fingerprint() -> str:
    """Row counts and a checksum of every table's content (inside an app context)."""
    digest = hashlib.sha256()
    for table in Model.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        digest.update(f"{table.name}:{len(rows)}".encode())
        for line in sorted(repr(tuple(row)) for row in rows):
            digest.update(line.encode())
    db.session.rollback()
    return digest.hexdigest()


# -- one request ----------------------------------------------------------------------------------


@dataclass
class Expect:
    refused: bool
    statuses: frozenset[int] | None  # None: any 2xx/3xx (and, for writes, a domain refusal)
    label: str  # how the table shows it: ok, login, 401, 403, 404, denied, read-only, get-refused
    login_redirect: bool = False


@dataclass
class Outcome:
    target: str
    view: str
    attr: str
    method: str
    actor: str
    row: str  # row kind or "-"
    url: str
    status: int
    expected: Expect
    problems: list[str]
    sent: bool = True
    pdf: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Call:
    """A request the matrix will send."""

    method: str
    url: str
    row_kind: str  # A, B, own, nat or "-"
    model: type | None
    row_id: int | None
    action_name: str | None = None
    form: dict | None = None
    json: dict | None = None
    variant: tuple = ()  # the call without its row: method, action name, other URL arguments


class Matrix:
    """Runs rules against actors in one app; shared by the real matrix and its meta-test."""

    def __init__(self, app, actors: list[Actor], rows: Rows, fillers: dict, public: dict[str, Public],
                 bodies: dict | None = None):  # fmt: skip
        self.app = app
        self.bodies = bodies or {}  # (view, method) -> row id -> the form or JSON a client would send
        self.actors = actors
        self.rows = rows
        self.fillers = fillers
        self.public = public
        with app.app_context():
            self.watch = WriteWatch(db.engine)
            self.fp = fingerprint()
        self.outcomes: list[Outcome] = []
        self.targets: dict[str, Target] = {}
        self.attempted: set[str] = set()
        self._grants: dict[str, set] = {}

    # -- filling a rule ---------------------------------------------------------------------------

    def calls(self, target: Target, method: str, actor: Actor) -> Iterator[Call]:
        rule = target.rule
        args = set(rule.arguments)
        names: list[str | None] = [None]
        if target.action:
            names = sorted(target.view.actions) + ["tidak-ada"]
            args.discard("name")
        needs_row = "pk" in args or target.attr == "action_post"
        values: dict[str, list[str]] = {}
        for arg in sorted(args - {"pk"}):
            filler = self.fillers.get((target.endpoint, arg)) or self.fillers.get(arg)
            if filler is None:
                raise MatrixSetupError(
                    f"{rule_key(rule)}: the matrix does not know what to put in <{arg}>; add a filler for "
                    f"'{arg}' (or ('{target.endpoint}', '{arg}')) to fillers() in tests/test_route_matrix.py"
                )
            values[arg] = filler(target) if callable(filler) else list(filler)
        rows: list[tuple[str, int | None]] = [("-", None)]
        model = None
        if needs_row:
            model = target.model()
            if model is None:
                raise MatrixSetupError(f"{rule_key(rule)}: declare which model <pk> names in PK_MODEL")
            kinds = self.rows.of(model)
            if not ({"nat", "adm"} & set(kinds) or {"A", "B"} <= set(kinds)):
                raise MatrixSetupError(
                    f"{rule_key(rule)}: the dataset has no row of {model.__name__} in agency A and one in agency B "
                    f"(found: {sorted(kinds) or 'none'}); plant them in tests/test_route_matrix.py plant_agency()"
                )
            rows = sorted(kinds.items(), key=lambda kv: ROW_ORDER.index(kv[0]))
        combos = [{}]
        for arg, options in values.items():
            combos = [{**c, arg: o} for c in combos for o in options]
        for name in names:
            for kind, row_id in rows:
                for combo in combos:
                    url_values = dict(combo)
                    if "pk" in rule.arguments:
                        url_values["pk"] = row_id
                    if target.action and target.attr == "action":
                        url_values["name"] = name
                    url = build(rule, url_values) + self.query(target)
                    form = json = None
                    if target.attr == "action_post":
                        form = {"action": name, "rowid": [row_id]}
                    elif method in WRITE_METHODS:
                        body = target.lookup(self.bodies)
                        body = body(row_id) if body else {}
                        if target.api:
                            json = body
                        else:
                            form = body
                    variant = (method, name, tuple(sorted(combo.items())))
                    yield Call(method, url, kind, model, row_id, name, form, json, variant)

    @staticmethod
    def query(target: Target) -> str:
        """Lists ask for every row at once, so that a row of another unit cannot hide on page 2."""
        if target.attr == "list":
            return f"?psize_{type(target.view).__name__}=500"  # the largest page Penkom serves
        if target.attr == "get_list":
            return "?q=(page_size:100)"
        return ""

    # -- judging ----------------------------------------------------------------------------------

    def expect(self, target: Target, call: Call, actor: Actor, grants: set) -> Expect:
        method = call.method
        writing = method in WRITE_METHODS
        if target.public is not None:
            return Expect(False, target.public.statuses, "public")
        if target.view is None:
            raise MatrixSetupError(
                f"{target.key}: not a Flask-AppBuilder view; document it in PUBLIC with the reason, or protect it"
            )
        if target.action:
            perm = target.permission(call.action_name)
            if perm is None:
                return Expect(True, frozenset({404}), "no-action")
            if method == "GET":
                return Expect(True, frozenset({302}), "get-refused")
            if perm not in grants:
                return Expect(True, frozenset({302}), "denied")
            visible, writable = self.row_state(call, actor, target)
            if not visible:
                return Expect(True, frozenset({302, 404}), "404")
            if not writable:
                return Expect(True, frozenset({302}), "read-only")
            return Expect(False, frozenset({200, 302}), "ok")
        perm = target.permission()
        if perm is None:
            raise MatrixSetupError(
                f"{target.key}: the endpoint checks no permission (no @has_access / @protect); protect it, "
                "or document it in PUBLIC with the reason"
            )
        if actor.anonymous:
            if target.api:
                return Expect(True, frozenset({401}), "401")
            return Expect(True, frozenset({302}), "login", login_redirect=True)
        if not (target.valid(perm[0]) and perm in grants):
            return Expect(True, frozenset({403}), "403")
        if target.delete and method == "GET":
            return Expect(True, frozenset({302}), "get-refused")  # FAB refuses GET mutations before loading
        visible, writable = self.row_state(call, actor, target)
        if not visible:
            return Expect(True, frozenset({404}), "404")
        if writing and not writable:
            return Expect(True, None, "read-only")
        if call.model is not None and not self.scoped(call.model) and not self.is_admin(actor):
            # A non-administrator reaches rows of a model the scope module has no rule for.
            return Expect(True, None, "unscoped")
        return Expect(False, None, "ok")

    def row_state(self, call: Call, actor: Actor, target: Target) -> tuple[bool, bool]:
        """(visible, writable) of the call's row for the actor: the scope module decides; a view's own
        filters (my tasks, overdue) may only narrow what it shows."""
        if call.row_id is None:
            return True, True
        user = db.session.get(PenkomUser, actor.user_id) if actor.user_id else None
        try:
            item = scope.get(call.model, call.row_id, user)
        except scope.UnscopedModel:
            item = db.session.get(call.model, call.row_id)
            return item is not None, True
        if item is None:
            return False, False
        datamodel = getattr(target.view, "datamodel", None)
        narrowing = [f for f in getattr(target.view, "base_filters", None) or [] if f[1] is not scope.ScopeFilter]
        if narrowing and getattr(datamodel, "obj", None) is call.model:
            with self.app.test_request_context():
                g.user = user
                if datamodel.get(call.row_id, target.view._base_filters) is None:
                    return False, False
        return True, scope.writable(item, user)

    @staticmethod
    def scoped(model: type) -> bool:
        try:
            scope.where_rule(model)
        except scope.UnscopedModel:
            return False
        return True

    def is_admin(self, actor: Actor) -> bool:
        if actor.anonymous:
            return False
        user = db.session.get(PenkomUser, actor.user_id)
        return scope.is_admin(user)

    def grants(self, actor: Actor) -> set[tuple[str, str]]:
        """The actor's (permission, view) grants, read again after any request that wrote."""
        if actor.key not in self._grants:
            self._grants[actor.key] = grants_of(self.app, actor.user_id)
        return self._grants[actor.key]

    # -- running ----------------------------------------------------------------------------------

    def run(
        self, target: Target, actors: list[Actor] | None = None, send_allowed_deletes: bool = False
    ) -> list[Outcome]:
        """Request one rule as every actor, every method and every row kind; return the outcomes."""
        results = []
        for actor in actors or self.actors:
            with self.app.app_context():
                grants = self.grants(actor)
                calls = [call for method in target.methods for call in self.calls(target, method, actor)]
            shown = set()
            for method in target.methods:
                for call in (c for c in calls if c.method == method):
                    with self.app.app_context():
                        expected = self.expect(target, call, actor, grants)
                        db.session.rollback()
                    if expected.label in ROW_INDEPENDENT:
                        if call.variant in shown:
                            continue
                        shown.add(call.variant)
                    if target.delete and method in WRITE_METHODS and not expected.refused and not send_allowed_deletes:
                        # An allowed delete would remove rows the rest of the matrix uses.
                        results.append(Outcome(target.key, target.view_name, target.attr, method, actor.key,
                                               call.row_kind, call.url, 0, expected, [], sent=False))  # fmt: skip
                        continue
                    results.append(self.send(target, call, actor, expected))
                    # The API again with the JWT of the API login instead of the session (an allowed PDF is
                    # the same bytes either way, so it is not rendered twice).
                    if target.api and actor.token and target.public is None and not results[-1].pdf:
                        results.append(self.send(target, call, actor, expected, token=True))
        self.outcomes.extend(results)
        return results

    def send(self, target: Target, call: Call, actor: Actor, expected: Expect, token: bool = False) -> Outcome:
        client = actor.token_client if token else actor.client
        self.watch.writes = 0
        kwargs = {"headers": {"Authorization": f"Bearer {actor.token}"}} if token else {}
        row = f"{call.row_kind} (JWT)" if token else call.row_kind
        if call.json is not None:
            kwargs["json"] = call.json
        elif call.form is not None:
            kwargs["data"] = call.form
        try:
            response = client.open(call.url, method=call.method, **kwargs)
        except Exception as exc:  # noqa: BLE001  (TESTING propagates what production answers with a 500)
            return Outcome(target.key, target.view_name, target.attr, call.method, actor.key, row, call.url, 500,
                           expected, [f"server error ({type(exc).__name__}: {exc})"])  # fmt: skip
        status = response.status_code
        body = response.get_data()
        response.close()
        flashes = []
        if 300 <= status < 400:  # a message waiting for the next page (a rendered page has shown its own)
            with client.session_transaction() as session:
                flashes = [str(message) for _category, message in session.pop("_flashes", [])]
        problems = []
        if status >= 500:
            problems.append(f"server error {status}")
        elif expected.label == "unscoped":
            problems.append(f"a non-administrator reaches {call.model.__name__}, which has no rule in app.scope")
        elif expected.statuses is not None and status not in expected.statuses:
            hint = ""
            if status == 400 and expected.label == "404" and call.method in WRITE_METHODS:
                hint = " - refused as incomplete before the row was read: give the matrix a valid body (BODIES)"
            problems.append(f"answered {status}, expected {sorted(expected.statuses)} ({expected.label}){hint}")
        elif expected.statuses is None:
            writing = call.method in WRITE_METHODS or expected.refused
            if status not in set(range(200, 400)) | (DOMAIN_REFUSALS if writing else set()):
                problems.append(f"answered {status}, expected 2xx/3xx ({expected.label})")
        if actor.agency and call.row_kind in ("A", "B") and call.row_kind != actor.agency and not expected.refused:
            problems.append("the other agency's row is expected to be allowed (check app.scope and the dataset)")
        location = response.headers.get("Location", "")
        if expected.login_redirect and "/login/" not in location:
            problems.append(f"redirected to {location!r}, expected the login page")
        if not expected.login_redirect and status in (301, 302, 303) and "/login/" in location and actor.user_id:
            problems.append("a logged-in user was sent to the login page")
        if not (target.public and target.public.shows_documents) and response.mimetype != "application/pdf":
            text = body.decode("utf-8", "replace").lower() + " ".join(flashes).lower()
            leaked = [m for m in actor.forbidden if m.lower() in text]
            if leaked:
                problems.append(f"shows {', '.join(leaked)} (rows this actor may not see)")
        if target.endpoint.endswith(".logout") and actor.username:
            login(client, actor.username)  # a public request: its login-log row is part of what it changed
            if actor.token:  # the logout ended the actor's API token too (app/sessions.py)
                actor.token = api_token(actor)
        if self.watch.writes:
            with self.app.app_context():
                now = fingerprint()
            if expected.refused and now != self.fp:
                problems.append("a refused request changed the database")
            self.fp = now
            self._grants.clear()
        return Outcome(target.key, target.view_name, target.attr, call.method, actor.key, row, call.url, status,
                       expected, problems, pdf=response.mimetype == "application/pdf")  # fmt: skip


def api_token(actor: Actor) -> str:
    """The actor's JWT from the API login, as an API client gets one."""
    body = {"username": actor.username, "password": PASSWORD, "provider": "db"}
    return actor.token_client.post("/api/v1/security/login", json=body).json["access_token"]


# -- URL arguments -------------------------------------------------------------------------------


def lazy_filters(app) -> dict:
    """The relation filters each list loads on demand (app/search_choices.py): every one is asked for,
    since each lists rows of another model that the scope must narrow."""
    from app.search_choices import LazySelectWidget

    found = {}
    for view in app.appbuilder.baseviews:
        if hasattr(view, "choices") and getattr(view, "search_form", None) is not None:
            columns = [c for c in view.search_columns
                       if isinstance(getattr(view.search_form, c).kwargs.get("widget"), LazySelectWidget)]  # fmt: skip
            found[(f"{view.endpoint}.choices", "col")] = columns
    return found


def fillers(app) -> dict:
    """Values for URL arguments other than <pk> (rows come from Rows); also used by tests/test_odd_input.py."""
    with app.app_context():
        tokens = list(db.session.execute(select(NaskahDinas.token).where(NaskahDinas.token.isnot(None))
                                         .order_by(NaskahDinas.id)).scalars())  # fmt: skip
    return {
        "locale": ["id"],
        "version": ["v1"],
        "group_by": ["0"],  # the first chart definition
        # FAB's download of a file uploaded through a file column (stored as <uuid>_sep_<name>); Penkom has none.
        "filename": ["0f4c2a7e-matriks_sep_berkas.pdf"],
        ("static", "filename"): ["css/penkom.css"],
        ("appbuilder.static", "filename"): ["css/ab.css"],
        # agency A's, agency B's (the first and last signed letter), unknown
        "token": [*dict.fromkeys(tokens[:1] + tokens[-1:]), "kode-yang-tidak-pernah-diterbitkan"],
        "fmt": ["xlsx", "csv"],  # the list exports (app/views/export.py)
        **lazy_filters(app),
    }


def build(rule, values: dict) -> str:
    """The rule's path with its arguments filled in."""

    def one(match):
        name = match.group(1)
        return quote(str(values[name]), safe="/" if "path:" in match.group(0) else "")

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", one, rule.rule)


def role_groups(app) -> list[list[Role]]:
    """Roles with the same grants and the same scope behave the same: one actor per group."""
    from app.models import LingkupPeran

    sm = app.appbuilder.sm
    outside = {row.role_id for row in db.session.execute(select(LingkupPeran)).scalars()}
    groups: dict[tuple, list[Role]] = {}
    for role in db.session.execute(select(Role).order_by(Role.name)).scalars():
        if role.name == sm.auth_role_public:
            continue
        key = (frozenset((pv.permission.name, pv.view_menu.name) for pv in role.permissions), role.id in outside)
        groups.setdefault(key, []).append(role)
    return list(groups.values())
