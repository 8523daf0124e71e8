"""A board's items as `ten_ones.TEN_ONES` declares them, read from its proofs: per item the proofs that
count today (a withdrawn scenario, an expired label or policy no longer counts), what they count
(distinct things: an item's figure counts each enterprise, platform or talent once however many of
its proofs stand for it, as its kind's `counts` says), its state (proved, partly, missing) and the
kinds it waits for; per board its readiness (items proved / 10) and the
missing items. One query for the proofs of any number of boards, and per kind of record one to find
those that count and one for those the reader sees (a proof whose record the reader does not see still
counts, shown without its name).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from zoneos.accounts.scoping import scope
from zoneos.core import evidence

from .models import Proof
from .ten_ones import TEN_ONES, One, State, state_of


@dataclass
class Item:
    one: One
    proofs: list = field(default_factory=list)  # Proof rows, each with .live, .record, .kind_label
    units: set = field(default_factory=set)  # the distinct things its live proofs stand for

    @property
    def count(self) -> int:
        return len(self.units)

    @property
    def key(self) -> str:
        return self.one.key

    @property
    def state(self) -> str:
        return state_of(self.count, self.one.needed)

    @property
    def state_label(self):
        return State.LABELS[self.state]

    @property
    def color(self) -> str:
        return State.COLORS[self.state]

    @property
    def kinds(self) -> list:
        """The registered kinds that prove this item, in the table's order."""
        return [k for k in (evidence.get(key) for key in self.one.kinds) if k is not None]

    @property
    def waiting(self) -> list[str]:
        """Kinds the table names that no app has registered yet (kept nowhere yet)."""
        return [key for key in self.one.kinds if evidence.get(key) is None]


@dataclass
class Readiness:
    items: list[Item]

    @property
    def proved(self) -> int:
        return sum(1 for i in self.items if i.state == State.PROVED)

    @property
    def partly(self) -> int:
        return sum(1 for i in self.items if i.state == State.PARTLY)

    @property
    def missing(self) -> list[Item]:
        """The items not proved (partly or missing), in the table's order."""
        return [i for i in self.items if i.state != State.PROVED]

    @property
    def ratio(self) -> Decimal:
        return (Decimal(self.proved) / len(self.items)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    @property
    def percent(self) -> int:
        return int(self.ratio * 100)

    @property
    def color(self) -> str:
        if self.proved == len(self.items):
            return "success"
        return "warning" if self.proved or self.partly else "danger"


def readiness(boards, user, *, records: bool = True) -> dict[int, Readiness]:
    """Board id -> its readiness. With `records`, each proof carries the record the reader sees."""
    boards = list(boards)
    proofs = list(Proof.objects.filter(board__in=boards).order_by("created_at", "pk"))
    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for proof in proofs:
        if proof.record_id is not None:
            ids_by_kind[proof.kind].add(proof.record_id)
    live: dict[str, dict[int, tuple]] = {}  # kind -> {record id counting today: the thing it counts as}
    seen: dict[str, dict[int, object]] = {}
    for key, ids in ids_by_kind.items():
        kind = evidence.get(key)
        if kind is None or kind.model is None:
            live[key], seen[key] = {}, {}
            continue
        rows = kind.model._default_manager.filter(pk__in=ids)
        live[key] = kind.units(rows.filter(kind.live()) if kind.live else rows)
        if records:
            visible = scope(rows, user)
            if key == "label":  # its description names the enterprise
                visible = visible.select_related("enterprise")
            seen[key] = {r.pk: r for r in visible}
    by_board: dict[int, dict[str, Item]] = {b.pk: {one.key: Item(one) for one in TEN_ONES} for b in boards}
    for proof in proofs:
        item = by_board[proof.board_id].get(proof.item)
        if item is None:
            continue
        kind = evidence.get(proof.kind)
        proof.kind_label = kind.label if kind else proof.kind
        if proof.record_id is None:
            proof.live = bool(proof.document) or bool(proof.title)
            proof.record = None
            proof.shown = proof.title
            unit = ("proof", proof.pk)  # a document counts as itself
        else:
            unit = live.get(proof.kind, {}).get(proof.record_id)
            proof.live = unit is not None
            proof.record = seen.get(proof.kind, {}).get(proof.record_id)
            proof.shown = kind.describe(proof.record) if kind and proof.record is not None else ""
        item.proofs.append(proof)
        if proof.live:
            item.units.add(unit)
    return {board_id: Readiness(list(items.values())) for board_id, items in by_board.items()}


def readiness_of(board, user) -> Readiness:
    return readiness([board], user)[board.pk]
