"""Who holds a claimed piece of queued work (a report item, an import) and when the claim lapses: the
process as host:pid, the lease, and whether the claiming process is gone. Shared by the report batch
(app/laporan/batch.py) and the participant import (app/penilaian/impor_job.py)."""

from __future__ import annotations

import datetime as dt
import os
import socket

from flask import current_app


def pekerja() -> str:
    """This process, as recorded on what it claims: host:pid (report items, imports)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lease() -> dt.timedelta:
    """How long a claim on another machine holds before the work is given back (report items, imports)."""
    return dt.timedelta(seconds=int(current_app.config.get("PENKOM_LAPORAN_LEASE", 600)))


def mati(worker: str | None) -> bool:
    """The claiming process is gone: on this machine, no process has its pid any more."""
    if not worker or ":" not in worker:
        return True
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
