"""`flask --app app penkom ...`: init, admin, demo, user add/import/password, sla, digest."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from app import accounts
from app.reference import init_database

penkom = AppGroup("penkom", help="Penkom administration commands.")
user = AppGroup("user", help="Create login accounts and reset passwords.")
penkom.add_command(user)


@penkom.command("init")
def init_cmd() -> None:
    """Bring the database to the current schema, sync roles and permissions, load reference data."""
    result = init_database()
    click.echo(
        _(
            "Database ready. Role permissions added: %(grants)d, ranks updated: %(ranks)d.",
            grants=result["izin_peran"],
            ranks=result["pangkat"],
        )
    )


@penkom.command("admin")
def admin_cmd() -> None:
    """Create the administrator account once (PENKOM_ADMIN_USER / PENKOM_ADMIN_PASSWORD or generated)."""
    sm = current_app.appbuilder.sm
    username = os.environ.get("PENKOM_ADMIN_USER", "admin")
    if sm.find_user(username=username):
        click.echo(_("Administrator account '%(u)s' already exists.", u=username))
        return
    password = os.environ.get("PENKOM_ADMIN_PASSWORD") or accounts.generate_password()
    admin = sm.add_user(
        username=username,
        first_name="Administrator",
        last_name="Penkom",
        email=f"{username}@penkom.invalid",
        role=sm.find_role(sm.auth_role_admin),
        password=password,
    )
    if not admin:
        raise click.ClickException(_("Could not create the administrator account."))
    # A generated password was printed on a console: its owner replaces it at first login.
    admin.wajib_ganti_sandi = not os.environ.get("PENKOM_ADMIN_PASSWORD")
    sm.session.commit()
    click.echo("=" * 60)
    click.echo(_("Administrator account created: %(u)s", u=username))
    if not os.environ.get("PENKOM_ADMIN_PASSWORD"):
        click.echo(_("Password (save it now, it is not shown again): %(p)s", p=password))
    click.echo("=" * 60)


@penkom.command("demo")
@click.option("--password", help="Give every demo login this password (default: one generated password).")
def demo_cmd(password: str | None) -> None:
    """Load synthetic demo data (agencies of the seed SOPs, ~200 civil servants, one login per role)."""
    from app.demo import load_demo

    result = load_demo(password)
    if result.skipped:
        click.echo(_("Demo data is already present; nothing was changed."))
        return
    click.echo(
        _(
            "Demo data loaded: %(i)d agencies, %(u)d units, %(p)d civil servants.",
            i=result.instansi,
            u=result.unit,
            p=result.pegawai,
        )
    )
    click.echo(_("Demo accounts (FOR DEMONSTRATION ONLY):"))
    for username, roles in result.users:
        click.echo(f"  {username:<28} {', '.join(roles)}")
    click.echo(_("Password of every demo account: %(p)s", p=result.password))
    click.echo(_("Demo cases moved to realistic steps: %(n)d (see each account's home page).", n=result.kasus))
    if result.sertifikat:
        click.echo(_("Demo signing certificates (DEMO, not official certificates) for: %(codes)s; in %(dir)s.",
                     codes=", ".join(result.sertifikat), dir=current_app.config["PENKOM_SERTIFIKAT_DIR"]))  # fmt: skip


@user.command("add")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", "roles", multiple=True, required=True, help="Role name; repeat for several roles.")
@click.option("--unit", required=True, help="Code of the user's unit kerja (scope).")
@click.option("--nip", default="", help="Link the account to this civil servant.")
@click.option("--email", default="")
@click.option("--first-name", default="")
@click.option("--last-name", default="")
def user_add(username, password, roles, unit, nip, email, first_name, last_name) -> None:
    """Create one login account."""
    req = accounts.AccountRequest(username, password, list(roles), unit, email, first_name, last_name, nip)
    try:
        accounts.add_account(req)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Account %(u)s created.", u=username))


@user.command("password")
@click.argument("username")
@click.option("--password", default="", help="The new password (default: a generated one, printed once).")
def user_password(username, password) -> None:
    """Reset an account's password (e.g. a demo account); its owner must choose a new one at the next login."""
    try:
        new = accounts.reset_password(username, password or None)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Password of %(u)s reset; it must be replaced at the next login.", u=username))
    if not password:
        click.echo(_("New password (save it now, it is not shown again): %(p)s", p=new))


@user.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
def user_import(csv_file) -> None:
    """Create accounts from a CSV (username,password,roles,unit[,email,first_name,last_name,nip]); all or none."""
    try:
        created = accounts.import_accounts(csv_file)
    except accounts.AccountError as exc:
        raise click.ClickException(_("No account was created:") + "\n" + str(exc)) from None
    click.echo(_("%(n)d accounts created.", n=len(created)))


def init_app(app) -> None:
    app.cli.add_command(penkom)


@penkom.command("sla")
def sla_cmd() -> None:
    """List overdue running cases (for a daily cron job)."""
    from app.formatting import tanggal_waktu
    from app.workflow.engine import overdue

    rows = overdue(None)
    if not rows:
        click.echo(_("No overdue cases."))
        return
    for kasus in rows:
        click.echo(
            f"#{kasus.id}\t{tanggal_waktu(kasus.due_at)}\t{kasus.sop.nama}\t"
            f"{kasus.langkah.no}. {kasus.langkah.pelaksana.nama}\t{kasus.judul}"
        )


@penkom.command("digest")
def digest_cmd() -> None:
    """Daily: notify every holder of an overdue step and e-mail each one the list (run from cron)."""
    from app.notifikasi.operations import send_digest

    result = send_digest()
    click.echo(_("Overdue steps: %(cases)d, people concerned: %(users)d.", cases=result.cases, users=result.users))
    if not result.mail_configured:
        click.echo(_("E-mail is off (MAIL_SERVER is not set); the notifications are in the app only."))
        return
    click.echo(_("Digests sent: %(n)d e-mail(s); failed: %(failed)d.", n=result.emails, failed=result.failed))


@penkom.command("tenggat")
@click.option("--mulai", required=True, help='When the case enters the step, WIB: "2026-03-13 16:30".')
@click.option("--waktu", required=True, help='The step\'s mutu baku waktu as written: "1 hari", "2 jam".')
@click.option("--instansi", default="", help="Code of the agency whose calendar applies (its days off).")
@click.option("--tanggal-kegiatan", "tanggal_kegiatan", default="", help="Activity date for budgets counted from it.")
def tenggat_cmd(mulai: str, waktu: str, instansi: str, tanggal_kegiatan: str) -> None:
    """Print the due time the engine would set for a step (ISO 8601, WIB)."""
    import datetime as dt

    from sqlalchemy import select

    from app.extensions import db
    from app.models import Instansi
    from app.workflow.calendar import UTC, WIB, parse_waktu
    from app.workflow.engine import due_time

    try:
        entered = dt.datetime.fromisoformat(mulai.strip()).replace(tzinfo=WIB)
    except ValueError:
        raise click.ClickException(_('--mulai must be a date and time such as "2026-03-13 16:30".')) from None
    acuan = None
    if tanggal_kegiatan:
        try:
            acuan = dt.date.fromisoformat(tanggal_kegiatan.strip())
        except ValueError:
            raise click.ClickException(_("--tanggal-kegiatan must be a date (YYYY-MM-DD).")) from None
    instansi_id = None
    if instansi:
        instansi_id = db.session.execute(select(Instansi.id).where(Instansi.kode == instansi.strip())).scalar()
        if instansi_id is None:
            raise click.ClickException(_("No agency has the code %(kode)s.", kode=instansi))
    budget = parse_waktu(waktu)
    if budget is None:
        click.echo(_('"%(waktu)s" sets no time budget: the step has no due time.', waktu=waktu))
        return
    if budget.acuan and acuan is None:
        raise click.ClickException(_("This budget counts from the activity date: give --tanggal-kegiatan."))
    due = due_time(instansi_id, entered.astimezone(UTC).replace(tzinfo=None), budget, acuan)
    click.echo(due.replace(tzinfo=UTC).astimezone(WIB).isoformat())


class Refused(click.ClickException):
    """A refusal on the console in the user's language (click prints its own "Error:" in English). The line
    is translated when raised: click shows it after the command's app context has ended."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.line = _("Error: %(message)s", message=message)

    def show(self, file=None) -> None:
        click.echo(self.line, file=file, err=True)


@penkom.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
def backup_cmd(file) -> None:
    """Write one archive with the database, the uploaded files and a manifest (safe while the app runs)."""
    from app import backup

    try:
        manifest = backup.create_backup(file)
    except backup.BackupError as exc:
        raise Refused(str(exc)) from None
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(
        _(
            "Backup written to %(file)s: %(tables)d tables, %(rows)d rows, %(files)d uploaded files, revision %(rev)s.",
            file=file,
            tables=len(manifest["tables"]),
            rows=rows,
            files=len(manifest["files"]),
            rev=manifest["alembic_revision"],
        )
    )


@penkom.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_cmd(file, yes: bool) -> None:
    """Replace ALL data (database and uploaded files) with a backup, then verify every table."""
    from app import backup

    try:
        manifest = backup.read_manifest(file)
        backup.check_manifest(manifest)
    except backup.BackupError as exc:
        raise Refused(_("%(reason)s Nothing was changed.", reason=exc)) from None
    click.echo(
        _(
            "Backup of %(created)s, Penkom %(version)s, %(engine)s, revision %(rev)s, %(tables)d tables.",
            created=manifest.get("created_at"),
            version=manifest.get("penkom_version"),
            engine=manifest["engine"],
            rev=manifest["alembic_revision"],
            tables=len(manifest["tables"]),
        )
    )
    if not yes:
        try:
            question = _("This deletes all current data and uploaded files and replaces them. Continue?")
            confirmed = click.confirm(question)
        except click.Abort:  # no answer (end of input, Ctrl-C)
            confirmed = False
        if not confirmed:
            raise Refused(_("Restore cancelled. Nothing was changed."))
    try:
        problems = backup.restore_backup(file)
    except backup.BackupError as exc:
        raise Refused(str(exc)) from None
    if problems:
        click.echo(_("The restored data does NOT match the backup:"), err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1)
    click.echo(_("Restored and verified: every table matches the backup."))
