"""Creating login accounts: one at a time or from a CSV file, all-or-nothing."""

from __future__ import annotations

import csv
import os
import secrets
import string
from dataclasses import dataclass, field

from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.validators import default_password_complexity
from flask_babel import gettext as _
from sqlalchemy import select

from app import nip as nip_mod
from app.extensions import db
from app.models import Pegawai, PenkomUser, UnitKerja
from app.workbook_check import size_text


class AccountError(ValueError):
    """A user-facing problem with an account request."""


@dataclass
class AccountRequest:
    username: str
    password: str
    roles: list[str]
    unit: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    nip: str = ""
    errors: list[str] = field(default_factory=list)


def generate_password(length: int = 16) -> str:
    """A random password that satisfies FAB's complexity rule."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(length - 1))
        candidate = body + secrets.choice("!@#%&*?")
        try:
            default_password_complexity(candidate)
            return candidate
        except PasswordComplexityValidationError:  # retry until the draw satisfies the rule
            continue


def check(req: AccountRequest, seen: set[str] | None = None) -> tuple[list, UnitKerja | None, Pegawai | None]:
    """Validate a request against the database; fill req.errors, return the resolved objects."""
    sm = current_app.appbuilder.sm
    errors = req.errors
    req.username = req.username.strip()
    if not req.username:
        errors.append(_("username is empty"))
    elif sm.find_user(username=req.username) or (seen is not None and req.username in seen):
        errors.append(_("username %(u)s is already taken", u=req.username))
    if current_app.config.get("FAB_PASSWORD_COMPLEXITY_ENABLED"):
        try:
            default_password_complexity(req.password)
        except PasswordComplexityValidationError as exc:
            errors.append(str(exc))
    roles = []
    for name in req.roles:
        role = sm.find_role(name.strip())
        if role is None:
            errors.append(_("role %(r)s does not exist", r=name))
        else:
            roles.append(role)
    if not req.roles:
        errors.append(_("at least one role is required"))
    unit = db.session.execute(select(UnitKerja).where(UnitKerja.kode == req.unit.strip())).scalar()
    if unit is None:
        errors.append(_("work unit %(k)s does not exist", k=req.unit))
    pegawai = None
    if req.nip:
        digits = nip_mod.normalize(req.nip)
        pegawai = db.session.execute(select(Pegawai).where(Pegawai.nip == digits)).scalar()
        if pegawai is None:
            errors.append(_("no civil servant with NIP %(nip)s", nip=req.nip))
    email = req.email or f"{req.username}@penkom.invalid"
    if sm.find_user(email=email) or (seen is not None and f"email:{email}" in seen):
        errors.append(_("email %(e)s is already used", e=email))
    req.email = email
    return roles, unit, pegawai


def _create(req: AccountRequest, roles, unit, pegawai) -> PenkomUser:
    sm = current_app.appbuilder.sm
    first = req.first_name or (pegawai.nama if pegawai else req.username)
    user = sm.add_user(
        username=req.username,
        first_name=first[:64],
        last_name=(req.last_name or "-")[:64],
        email=req.email,
        role=roles,
        password=req.password,
        commit=False,
    )
    if not user:
        raise AccountError(_("could not create user %(u)s", u=req.username))
    user.unit_kerja = unit
    user.pegawai = pegawai
    # Passwords from the command line, a CSV file or the demo are someone else's choice.
    user.wajib_ganti_sandi = True
    return user


def add_account(req: AccountRequest, commit: bool = True) -> PenkomUser:
    roles, unit, pegawai = check(req)
    if req.errors:
        raise AccountError("; ".join(req.errors))
    user = _create(req, roles, unit, pegawai)
    if commit:
        db.session.commit()
    return user


CSV_COLUMNS = ["username", "password", "roles", "unit", "email", "first_name", "last_name", "nip"]


# An account file is read whole before anything is created: these bound what it may hold.
CSV_MAX_BYTES = 5 * 1024 * 1024
CSV_MAX_ROWS = 5000


def _read_csv(path: str) -> list[dict]:
    """The rows of an account CSV (comma or semicolon); AccountError when it is too big or unreadable."""
    size = os.path.getsize(path)
    if size > CSV_MAX_BYTES:
        raise AccountError(_("the file is %(size)s; at most %(max)s is accepted", size=size_text(size),
                             max=size_text(CSV_MAX_BYTES)))  # fmt: skip
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            sample = fh.read(2048)
            fh.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;") if sample.strip() else csv.excel
            reader = csv.DictReader(fh, dialect=dialect)
            missing = [c for c in ("username", "password", "roles", "unit") if c not in (reader.fieldnames or [])]
            if missing:
                raise AccountError(_("missing column(s): %(cols)s", cols=", ".join(missing)))
            rows = []
            for row in reader:
                if len(rows) >= CSV_MAX_ROWS:
                    raise AccountError(_("the file has more than %(max)d accounts; split it", max=CSV_MAX_ROWS))
                rows.append(row)
    except csv.Error as exc:  # e.g. a field longer than the csv module accepts, or a NUL byte
        raise AccountError(_("the file is not a readable CSV file (%(error)s)", error=str(exc))) from None
    except UnicodeDecodeError:
        raise AccountError(_("the file is not UTF-8 text; save it as CSV UTF-8")) from None
    return rows


def import_accounts(path: str) -> list[PenkomUser]:
    """Create every account in the CSV or none; errors name the line numbers."""
    rows = _read_csv(path)
    problems, prepared, seen = [], [], set()
    for line_no, row in enumerate(rows, start=2):
        req = AccountRequest(
            username=row.get("username") or "",
            password=row.get("password") or "",
            roles=[r for r in (row.get("roles") or "").replace("|", ";").split(";") if r.strip()],
            unit=row.get("unit") or "",
            email=(row.get("email") or "").strip(),
            first_name=(row.get("first_name") or "").strip(),
            last_name=(row.get("last_name") or "").strip(),
            nip=(row.get("nip") or "").strip(),
        )
        resolved = check(req, seen)
        seen.update({req.username, f"email:{req.email}"})
        if req.errors:
            problems.append(_("line %(n)d: %(msg)s", n=line_no, msg="; ".join(req.errors)))
        else:
            prepared.append((req, resolved))
    if problems:
        raise AccountError("\n".join(problems))
    try:
        users = [_create(req, *resolved) for req, resolved in prepared]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return users


def reset_password(username: str, password: str | None = None) -> str:
    """Give an account a new password (generated when none is given) that its owner must replace at the
    next login; return the password. AccountError for an unknown user or a password that is too weak."""
    sm = current_app.appbuilder.sm
    user = sm.find_user(username=(username or "").strip())
    if user is None:
        raise AccountError(_("no account with username %(u)s", u=username))
    password = password or generate_password()
    if current_app.config.get("FAB_PASSWORD_COMPLEXITY_ENABLED"):
        try:
            default_password_complexity(password)
        except PasswordComplexityValidationError as exc:
            raise AccountError(str(exc)) from None
    sm.reset_password(user.id, password)  # also marks it for replacement at the next login
    return password
