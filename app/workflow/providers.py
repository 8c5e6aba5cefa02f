"""Extension points through which areas tell the engine about their records, without the engine
importing them (areas register at import time, like hooks).

Reference dates. A step budget such as "Maksimal 7 hari setelah pelaksanaan kegiatan" is counted
from a date of the case (`Budget.acuan`, e.g. "tanggal_kegiatan"). The record that knows the date
(a cooperation request, an assessment event) supplies it:

    from app.workflow import providers

    @providers.reference_date_provider("tanggal_kegiatan")
    def _request_end_date(kasus) -> datetime.date | None:
        request = ...  # the area's record of this case, if any
        return request.tanggal_selesai if request else None

Providers are asked in registration order; the first date wins. Without one, the engine falls back
to `Kasus.tanggal_kegiatan` (typed when the case was started, kept for existing cases). When an
area changes the date later, it calls `engine.refresh_due(kasus)` so the running step's due time
follows.

Step outputs. The mutu baku names what a step produces; an output provider finds it for a case.
A step names its outputs in `Langkah.keluaran` as specs like hooks (`lampiran:surat_penolakan`,
`naskah:surat_jawaban`, `petugas`); specs implied by the step's own hooks are added by the engine
(a drafting effect implies its document). An area registers a provider for its records:

    @providers.output_provider("jadwal", _l("Assessment schedule"))
    def _schedule(kasus, step, param) -> list[providers.Output]:
        event = ...
        if event is None:
            return [providers.Output(str(_l("Assessment schedule")), exists=False)]
        return [providers.Output(event.nama, exists=True, url=url_for("EventView.show", pk=event.id))]

A provider returns one `Output` per record found, or one `Output(exists=False)` naming what is
still missing; it must only return records the case's viewers may see (they are the case's own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

# -- reference dates ---------------------------------------------------------------------------

ReferenceDate = Callable[[object], dt.date | None]
REFERENCE_DATES: dict[str, list[ReferenceDate]] = {}


def reference_date_provider(acuan: str):
    """Register `fn(kasus) -> date | None` as a source of the reference date named `acuan`."""

    def register(fn: ReferenceDate) -> ReferenceDate:
        REFERENCE_DATES.setdefault(acuan, []).append(fn)
        return fn

    return register


def reference_date(kasus, acuan: str) -> dt.date | None:
    """The date a budget named `acuan` counts from: the first registered provider that knows it, else
    the case's own field of that name (today only `tanggal_kegiatan`)."""
    for fn in REFERENCE_DATES.get(acuan, []):
        found = fn(kasus)
        if found is not None:
            return found
    fallback = getattr(kasus, acuan, None) if acuan == "tanggal_kegiatan" else None
    return fallback if isinstance(fallback, dt.date) else None


# -- step outputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """One output of a step for one case: what it is, whether it exists yet, where to open it."""

    label: str
    exists: bool
    url: str | None = None
    detail: str = ""  # e.g. the document's status and number


@dataclass(frozen=True)
class OutputProvider:
    name: str
    label: object  # shown in the step form's list of known outputs
    fn: Callable[[object, object, str], list[Output]]
    takes_param: bool = False


OUTPUTS: dict[str, OutputProvider] = {}


def output_provider(name: str, label, takes_param: bool = False):
    """Register `fn(kasus, step, param) -> list[Output]` for the output spec `name[:param]`."""

    def register(fn):
        OUTPUTS[name] = OutputProvider(name, label, fn, takes_param)
        return fn

    return register


def split(spec: str) -> tuple[str, str]:
    name, _, param = spec.partition(":")
    return name.strip(), param.strip()


def outputs_of(kasus, step, specs: list[str]) -> list[Output]:
    """The outputs named by `specs` for this case; unknown names are skipped (the step form refuses
    them, and an area that is not installed provides nothing)."""
    result: list[Output] = []
    for spec in specs:
        name, param = split(spec)
        provider = OUTPUTS.get(name)
        if provider is not None:
            result.extend(provider.fn(kasus, step, param))
    return result


# -- who may be assigned to a case ----------------------------------------------------------------
# An area whose records say who may be assigned to its cases (e.g. only registered assessors who are
# free on the request's dates) registers a check that `engine.assign` applies, and the choices the case
# page offers. A check returns a message (the assignment is refused) or None; a choices provider returns
# None when the case is not its own.

AssignmentCheck = Callable[[object, object], object | None]
AssignmentChoices = Callable[[object, object], list[tuple[int, str]] | None]
ASSIGNMENT_CHECKS: list[AssignmentCheck] = []
ASSIGNMENT_CHOICES: list[AssignmentChoices] = []


def assignment_check(fn: AssignmentCheck) -> AssignmentCheck:
    """Register `fn(kasus, pegawai) -> message | None`, asked before a person is assigned to a case."""
    ASSIGNMENT_CHECKS.append(fn)
    return fn


def assignment_choices_provider(fn: AssignmentChoices) -> AssignmentChoices:
    """Register `fn(kasus, user) -> [(pegawai_id, label)] | None`: the people the case page offers."""
    ASSIGNMENT_CHOICES.append(fn)
    return fn


def assignment_refusal(kasus, pegawai):
    """The first registered check's refusal of assigning `pegawai` to `kasus`, or None."""
    for fn in ASSIGNMENT_CHECKS:
        message = fn(kasus, pegawai)
        if message:
            return message
    return None


def assignment_choices(kasus, user) -> list[tuple[int, str]] | None:
    """The people an area offers for this case, or None (the agency's civil servants are offered)."""
    for fn in ASSIGNMENT_CHOICES:
        found = fn(kasus, user)
        if found is not None:
            return found
    return None
