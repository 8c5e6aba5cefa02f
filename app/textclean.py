"""Text hygiene shared by the request boundary (app/boundary.py) and document rendering.

Two kinds of characters never belong in what people type into Penkom:

- C0 control characters other than TAB, LF and CR (NUL among them: PostgreSQL refuses it in text
  columns) and lone surrogates (they cannot be encoded as UTF-8): a request carrying them is refused.
- Invisible format characters (Unicode category Cf: bidi overrides and isolates such as U+202E,
  LRM/RLM, the Arabic letter mark, zero-width spaces, BOM, ...): they can reverse or hide the fixed
  text of an official document, so they are removed silently. ZWJ and ZWNJ stay: scripts and emoji
  need them to join or separate letters, and they cannot reorder text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
KEEP_FORMAT = frozenset({"\u200c", "\u200d"})  # ZWNJ, ZWJ


def forbidden_character(text: str) -> str | None:
    """The first control character or lone surrogate in `text` that is refused, else None."""
    found = FORBIDDEN.search(text)
    return found.group(0) if found else None


def strip_format(text: str) -> str:
    """`text` without bidi and other invisible format characters (category Cf, except ZWJ/ZWNJ)."""
    if text.isascii():  # no format character is ASCII: the common case costs one scan
        return text
    return "".join(ch for ch in text if ch in KEEP_FORMAT or unicodedata.category(ch) != "Cf")


def clean(value: Any, keep: tuple[str, ...] = ()) -> Any:
    """`strip_format` applied to every string in a value (str, or nested dicts and lists, e.g. JSON);
    the values of the keys named in `keep` (e.g. passwords) stay as they are."""
    if isinstance(value, str):
        return strip_format(value)
    if isinstance(value, dict):
        return {clean(k): v if k in keep else clean(v, keep) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v, keep) for v in value]
    return value


def first_forbidden(value: Any) -> str | None:
    """The first refused character anywhere in a value (str, or nested dicts and lists), else None."""
    if isinstance(value, str):
        return forbidden_character(value)
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        found = first_forbidden(item)
        if found is not None:
            return found
    return None


def without_forbidden(text: str) -> str:
    """`text` with the refused characters removed, e.g. to quote a field name in a message."""
    return FORBIDDEN.sub("", text)


def for_document(text: str) -> str:
    """What may reach a printed document: no refused control and no format character. Applied at
    render time as well, for text that came in before the boundary check (imports, old rows)."""
    return strip_format(without_forbidden(text))


def describe(ch: str) -> str:
    """A character's code point as people look it up, e.g. U+0000."""
    return f"U+{ord(ch):04X}"
