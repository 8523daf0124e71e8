"""Kinds of records that may prove something: a future industry's "Ten Ones" board item is proved by a
policy, a chain, enterprises holding a label, scenarios, an area, a document... or, once innovation
keeps them, by platforms, talents and funds.

Each app registers the kinds of records it owns, or reads, in its `evidence.py` (found by
`autodiscover_modules("evidence")` when the kinds are first asked for), so this registry names no app:

    from zoneos.core import evidence

    evidence.register(
        "platform",
        _("Innovation platform"),
        model=Platform,
        candidates=lambda zone, user: scope(Platform.objects.all(), user).in_subtree(zone),
    )

`candidates(zone, user)` lists the records of the kind that the user may link as proof for a zone;
`live` (a `Q` on the model, optional) says which of them count today (a label still valid, a scenario
not withdrawn). `counts` (optional) names the foreign key of the record that one proof stands for when
the figure counts something other than the records themselves: a label proves its enterprise, so
`counts="enterprise"`, and two labels of one enterprise count once. A kind without a model
(`model=None`) is a document kept on the proof itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    model: type[Model] | None = None
    candidates: Callable[[Any, Any], QuerySet] | None = None
    live: Callable[[], Q] | None = None
    describe: Callable[[Any], str] = str
    order: int = 100
    counts: str = ""

    @property
    def is_document(self) -> bool:
        return self.model is None

    def units(self, rows: QuerySet) -> dict[int, tuple[str, int]]:
        """Record id -> what it counts as, (model label, id): the record itself, or the record its
        `counts` foreign key names; the same key from two kinds is the same thing counted once."""
        if not self.counts:
            label = self.model._meta.label_lower
            return {pk: (label, pk) for pk in rows.values_list("pk", flat=True)}
        field = self.model._meta.get_field(self.counts)
        label = field.related_model._meta.label_lower
        return {pk: (label, unit) for pk, unit in rows.values_list("pk", field.attname)}


_kinds: dict[str, Kind] = {}
_discovered = False


def register(
    key: str,
    label,
    *,
    model: type[Model] | None = None,
    candidates: Callable[[Any, Any], QuerySet] | None = None,
    live: Callable[[], Q] | None = None,
    describe: Callable[[Any], str] = str,
    order: int = 100,
    counts: str = "",
) -> Kind:
    """Declare a kind of proof; a second declaration of the same key by another module is refused."""
    if model is not None and candidates is None:
        raise ImproperlyConfigured(f"Evidence kind {key!r} names a model but not how to list candidates.")
    kind = Kind(key, label, model, candidates, live, describe, order, counts)
    known = _kinds.get(key)
    if known is not None and known.model is not model:
        raise ImproperlyConfigured(f"Evidence kind {key!r} is declared twice.")
    _kinds[key] = kind
    return kind


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("evidence")
        _discovered = True


def kinds() -> list[Kind]:
    """Every registered kind, in declared order."""
    _discover()
    return sorted(_kinds.values(), key=lambda k: (k.order, k.key))


def get(key: str) -> Kind | None:
    """The kind registered under `key`, or None (a kind an app has not registered yet)."""
    _discover()
    return _kinds.get(key)
