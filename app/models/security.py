"""Login accounts linked to civil servants and units, and the login log."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import Role, User
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, event, inspect, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import audited
from app.models.master import Pegawai, UnitKerja
from app.sessions import end_all


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# Login bookkeeping is in the login log, not the audit trail; the password hash is never stored.
USER_NOT_AUDITED = ("last_login", "login_count", "fail_login_count", "created_on", "changed_on",
                    "created_by_fk", "changed_by_fk", "created_by", "changed_by", "versi_sesi")  # fmt: skip


@audited(title=_l("User"), exclude=USER_NOT_AUDITED, secret=("password",), describe=lambda u: u.username)
class PenkomUser(User):
    """FAB's user with the unit kerja that scopes what the user sees, and an optional pegawai."""

    __tablename__ = "ab_user"
    __table_args__ = {"extend_existing": True}
    unit_kerja_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("unit_kerja.id"), nullable=True, index=True)
    unit_kerja: Mapped[UnitKerja | None] = relationship(foreign_keys=[unit_kerja_id])
    pegawai_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("pegawai.id"), nullable=True, unique=True)
    pegawai: Mapped[Pegawai | None] = relationship(foreign_keys=[pegawai_id])
    # Set when a password was generated or imported or reset by an administrator; the user must
    # choose their own before doing anything else.
    wajib_ganti_sandi: Mapped[bool | None] = mapped_column(Boolean, default=False)
    # Every session cookie and API token carries the version it was issued at; moving it on ends them all
    # (app/sessions.py).
    versi_sesi: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    def get_full_name(self) -> str:
        """The name colleagues know: the linked civil servant's, with academic titles (Drs., M.Si.)."""
        if self.pegawai is not None:
            return self.pegawai.nama_lengkap
        return " ".join(part for part in (self.first_name, self.last_name) if part and part != "-")

    def __repr__(self) -> str:
        return self.get_full_name() or self.username


@event.listens_for(PenkomUser.password, "set", active_history=True)
@event.listens_for(PenkomUser.active, "set", active_history=True)
def _end_sessions_on_change(user: PenkomUser, value, old, _initiator) -> None:
    """A new password or a deactivation ends every session and token of the account, whichever way it
    was made (own change, an administrator's reset or edit, `penkom user password`)."""
    if not inspect(user).persistent or value == old or (old is False and value):
        return  # a new account, an unchanged field, or a reactivation (the deactivation already ended them)
    end_all(user)


@audited(title=_l("Role Scope"))
class LingkupPeran(Model):
    """How far a role sees. Absent: its unit and the units below (staff). "sendiri": only the records
    its holder started (people outside the agency, e.g. the applicant of a transfer). "penugasan":
    staff for SOP cases and master data, but of the assessment records only what its holder is assigned
    to (the Asesor role; see `app.scope`)."""

    __tablename__ = "lingkup_peran"
    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("ab_role.id", ondelete="CASCADE"), unique=True)
    role: Mapped[Role] = relationship()
    lingkup: Mapped[str] = mapped_column(String(10), default="sendiri")


class LoginLog(Model):
    """One row per login attempt through the form or the API, successful or not."""

    __tablename__ = "login_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    waktu: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(128), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    berhasil: Mapped[bool] = mapped_column(Boolean)
    alamat_ip: Mapped[str] = mapped_column(String(64), default="")
    saluran: Mapped[str] = mapped_column(String(10), default="form")


# FAB's role: its permissions are recorded on the role; its users on each user (`roles`).
audited(Role, title=_l("Role"), exclude=("user",))
