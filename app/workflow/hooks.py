"""Named guards and effects that an SOP step can use (chosen per step in the SOP form).

A guard returns an error message (the transition is refused) or None. An effect is part of
the transition: it runs in the same database transaction, either when a case leaves the step
(on="leave", e.g. initial or sign the drafts) or when a case enters it (on="enter", e.g. draft
the letter), and it refuses the whole transition by raising TransitionError. Names may take one
parameter after a colon, e.g. `lampiran:surat_permohonan`.

A hook may also say what completing its step means for the user: `confirm` ("paraf" or
"tanda_tangan") makes the forward buttons of the step initial or sign, which the user confirms on a
page naming the documents (never from a bulk action); `output` names the step output the hook
implies (e.g. "naskah:{param}" for the document a drafting effect creates).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass
class HookContext:
    kasus: object
    langkah: object
    transition: object
    user: object
    comment: str
    param: str = ""


@dataclass(frozen=True)
class Hook:
    name: str
    label: object
    fn: Callable[[HookContext], object]
    takes_param: bool = False
    on: str = "leave"  # effects only: "leave" or "enter"
    confirm: str = ""  # "paraf" | "tanda_tangan": completing the step initials or signs documents
    output: str = ""  # the output spec the hook implies; "{param}" is replaced by its parameter


GUARDS: dict[str, Hook] = {}
EFFECTS: dict[str, Hook] = {}


def guard(name: str, label, takes_param: bool = False, output: str = ""):
    def register(fn):
        GUARDS[name] = Hook(name, label, fn, takes_param, output=output)
        return fn

    return register


def effect(name: str, label, takes_param: bool = False, on: str = "leave", confirm: str = "", output: str = ""):
    def register(fn):
        EFFECTS[name] = Hook(name, label, fn, takes_param, on, confirm, output)
        return fn

    return register


def split(spec: str) -> tuple[str, str]:
    name, _, param = spec.partition(":")
    return name.strip(), param.strip()


def unknown_hooks(specs: list[str], registry: dict[str, Hook]) -> list[str]:
    return [spec for spec in specs if split(spec)[0] not in registry]


def requires_comment(specs: list[str]) -> bool:
    return any(split(spec)[0] == "komentar_wajib" for spec in specs)


@guard("komentar_wajib", _l("A comment is required"))
def _comment_required(ctx: HookContext):
    if not (ctx.comment or "").strip():
        return _l("A comment is required for this step.")
    return None


def choices(registry: dict[str, Hook]) -> list[tuple[str, str]]:
    return [(name, str(hook.label)) for name, hook in sorted(registry.items())]
