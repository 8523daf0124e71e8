"""The import kinds: each app above `tabular` registers its own in `<app>/imports.py`, which
`TabularConfig.ready()` discovers, so this low layer names no module above it and a new kind needs no
migration of `tabular` (an import job stores its kind as plain text, checked against this registry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from .engine import ImportSpec

KIND_LENGTH = 32  # the job's `kind` column


@dataclass(frozen=True)
class Kind:
    name: str
    spec: ImportSpec
    label: Promise | str  # what pages and the API's enum call it (translated when shown)
    file_name_zh: str  # the downloaded template's name, per language
    file_name_en: str


_kinds: dict[str, Kind] = {}


def register(spec: ImportSpec, *, label, file_names: tuple[str, str]) -> None:
    """Declare `spec.kind`: its label and its template's file name (Chinese, English)."""
    name = spec.kind
    if not name or len(name) > KIND_LENGTH:
        raise ImproperlyConfigured(f"An import kind is 1 to {KIND_LENGTH} characters: {name!r}.")
    known = _kinds.get(name)
    if known is not None and type(known.spec) is not type(spec):
        raise ImproperlyConfigured(f"The import kind {name!r} is registered twice.")
    zh, en = file_names
    _kinds[name] = Kind(name, spec, label, zh, en)


def is_kind(name: str) -> bool:
    return name in _kinds


def get(name: str) -> Kind:
    return _kinds[name]


def choices() -> list[tuple[str, Promise | str]]:
    """(kind, label) in registration order: the upload form's options and the API's enum."""
    return [(k.name, k.label) for k in _kinds.values()]


def label(name: str) -> str:
    kind = _kinds.get(name)
    return str(kind.label) if kind else name  # a kind whose app was removed still lists
