"""Penkom settings, read from the environment (12-factor).

Every value can be overridden with an environment variable of the same name.
"""

import os
import secrets
from datetime import time, timedelta
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PENKOM_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """SECRET_KEY from the environment; in development one random key kept under instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if os.environ.get("PENKOM_ENV") == "production":
        raise RuntimeError("SECRET_KEY must be set in production (PENKOM_ENV=production).")
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'penkom.db'}"
    # Heroku-style URLs and the plain driver name both go to psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _office_hours() -> tuple[time, time]:
    start, end = os.environ.get("PENKOM_JAM_KERJA", "07:30-16:00").split("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


class Config:
    APP_NAME = "Penkom"
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Schema comes from migrations (flask penkom init), never from app start.
    FAB_CREATE_DB = _bool("FAB_CREATE_DB", False)
    # Permission sync runs at deploy (flask penkom init), not in every worker.
    FAB_UPDATE_PERMS = _bool("FAB_UPDATE_PERMS", False)
    FAB_SECURITY_MANAGER_CLASS = "app.security.PenkomSecurityManager"
    FAB_API_SWAGGER_UI = True
    FAB_API_MAX_PAGE_SIZE = 100
    FAB_ADD_SECURITY_API = False
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    FAB_BASE_TEMPLATE = "penkom/base.html"

    AUTH_TYPE = AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False

    # Login throttling (form and /api/v1/security/login), per client address.
    AUTH_RATE_LIMITED = _bool("AUTH_RATE_LIMITED", True)
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per 20 second")
    # One process: memory. Several gunicorn workers: a shared store, e.g. redis://.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")

    # CSRF on every form and action post (Flask-WTF's CSRFProtect is switched on in create_app).
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Reverse proxies in front of Penkom whose X-Forwarded-For/-Proto/-Host are trusted (app/sessions.py);
    # 0: none, the headers are ignored (a client could set them to dodge the login throttle).
    PENKOM_PROXY_HOPS = int(os.environ.get("PENKOM_PROXY_HOPS", "0"))

    # Idle timeout: the session cookie expires after this much inactivity.
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(os.environ.get("PENKOM_IDLE_MINUTES", "30")))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Behind HTTPS (PENKOM_HTTPS=1): Secure cookies, HSTS and a redirect of plain http to https (app/headers.py).
    PENKOM_HTTPS = _bool("PENKOM_HTTPS", False)
    SESSION_COOKIE_SECURE = _bool("PENKOM_HTTPS", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("PENKOM_HTTPS", False)
    REMEMBER_COOKIE_DURATION = timedelta(hours=8)

    # Language: Bahasa Indonesia first, English selectable (/lang/en).
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {
        "id": {"flag": "id", "name": "Bahasa Indonesia"},
        "en": {"flag": "gb", "name": "English"},
    }

    # Uploaded logos are public (they are printed on every letter anyway).
    UPLOAD_FOLDER = str(INSTANCE_DIR / "uploads")
    IMG_UPLOAD_FOLDER = str(BASE_DIR / "app" / "static" / "uploads")
    IMG_UPLOAD_URL = "/static/uploads/"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    PENKOM_DATA_DIR = str(BASE_DIR / "data")
    # Public address printed in signed documents' QR codes (e.g. https://penkom.example.go.id);
    # empty: the address the request came in on.
    PENKOM_URL_PUBLIK = os.environ.get("PENKOM_URL_PUBLIK", "")
    PENKOM_VERIFIKASI_LIMIT = os.environ.get("PENKOM_VERIFIKASI_LIMIT", "30 per minute")
    # Who issues the documents, as named on the verification page for an unknown code; empty: the
    # name of the only agency, or a generic wording when there are several.
    PENKOM_NAMA_PENERBIT = os.environ.get("PENKOM_NAMA_PENERBIT", "")
    # Agencies' signing certificates (<agency code>.p12, passphrase in PENKOM_SERTIFIKAT_SANDI_<CODE> or
    # <code>.sandi) and the trusted CA certificates (akar/); app/documents/tte.py. Never in the repository.
    PENKOM_SERTIFIKAT_DIR = os.environ.get("PENKOM_SERTIFIKAT_DIR", str(INSTANCE_DIR / "sertifikat"))

    # Folder with pg_dump/pg_restore for `penkom backup/restore` (default: the server's version, then PATH).
    PENKOM_PG_BIN = os.environ.get("PENKOM_PG_BIN", "")

    # The home page (Beranda) replaces FAB's empty index.
    FAB_INDEX_VIEW = "app.beranda.view.BerandaView"
    # Security → User's Statistics, drawn on the server, replaces FAB's (which loads Google Charts).
    PENKOM_STATISTIK_VIEW = "app.views.statistik.StatistikPenggunaView"

    # E-mail notifications through the agency's SMTP server; off while MAIL_SERVER is empty.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)  # STARTTLS (usually port 587)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)  # SMTPS (usually port 465)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))

    # Report batches and participant imports on the job queue: what a worker claimed is given back to the
    # queue when that worker has not finished it after this many seconds (workers on other machines; a
    # dead local worker at once).
    # The queue itself: SQLite under the instance folder, or Redis with PENKOM_HUEY_REDIS_URL (app/laporan/antrian.py).
    PENKOM_LAPORAN_LEASE = int(os.environ.get("PENKOM_LAPORAN_LEASE", "600"))
    # A participant import of more rows than this goes on the job queue (app/penilaian/impor_job.py);
    # the page follows its progress. Smaller files are imported while the request waits.
    PENKOM_IMPOR_ANTRI_BARIS = int(os.environ.get("PENKOM_IMPOR_ANTRI_BARIS", "200"))

    # Office hours (WIB) for budgets in menit/jam, e.g. "07:30-16:00".
    PENKOM_JAM_KERJA = _office_hours()
