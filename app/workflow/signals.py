"""Signals the engine sends after a change is committed, so other areas (notifications, later the job
queue) can react without every SOP naming a hook and without the engine importing them.

Receivers run after the commit: they must not raise (a failure there cannot undo the transition),
and they do their own database work and commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace

_signals = Namespace()

# Sent with sender=None and event=<CaseMoved> after a case started or moved along a transition.
case_moved = _signals.signal("penkom.case-moved")


@dataclass(frozen=True)
class CaseMoved:
    """What happened to one case, in plain values (the ORM objects are expired after the commit)."""

    kasus_id: int
    user_id: int | None
    transition: str | None  # None: the case was started
    from_no: int | None  # the step it left (None when started)
    to_no: int | None  # the step it entered (None when it ended)
    comment: str = ""
