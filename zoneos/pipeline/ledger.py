"""The investment bureau's ledger as zones keep it: what its stage cells say (the zone's own stage names,
the categories' names and the synonyms staff write: 已开工, 在建, 洽谈中…), and the moves that bring a
project from where it is to where a ledger row says it is, along the table of moves (`moves.py`), on
the dates the row gives (签约日期, 开工日期, 投产日期…).

Nothing here writes: `plan` returns the moves, or the row's errors, for the import to report or take.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import override

from zoneos.tabular.cells import Precision, SheetDate

from .models import Stage
from .moves import allowed_moves
from .stages import ORDER, StageCategory

C = StageCategory

# What ledgers write for each category besides its name (the zone's own names come from `Stage`).
SYNONYMS = {
    C.LEAD: ("线索", "储备", "在库", "入库", "谋划", "意向", "储备项目", "线索项目", "初步接触", "接触"),
    C.NEGOTIATING: ("洽谈", "洽谈中", "在谈", "在洽谈", "对接", "对接中", "跟进", "跟进中", "磋商", "商谈"),
    C.SIGNED: ("签约", "已签约", "签订协议", "已签订", "签署协议", "已签协议"),
    C.REGISTERED: ("注册", "已注册", "注册落地", "工商注册", "已落地注册"),
    C.LAND_SECURED: ("拿地", "已拿地", "供地", "已供地", "摘牌", "已摘牌"),
    C.UNDER_CONSTRUCTION: ("开工", "已开工", "开工建设", "在建", "建设中", "施工", "施工中", "新开工"),
    C.COMPLETED: ("竣工", "已竣工", "建成", "已建成", "完工", "已完工"),
    C.IN_PRODUCTION: ("投产", "已投产", "试生产", "投运", "已投运", "运营", "已运营", "正式投产"),
    C.AT_CAPACITY: ("达产", "已达产", "达产达效"),
    C.ON_HOLD: ("停滞", "暂停", "搁置", "暂缓", "停工", "缓建", "已暂停"),
    C.DROPPED: ("终止", "已终止", "放弃", "已放弃", "流失", "已流失", "退出", "取消", "已取消"),
}
BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
PREFIXES = ("已经", "已", "正在")
SUFFIXES = ("阶段", "中", "期")


def stage_key(text) -> str:
    return re.sub(r"\s+", "", str(text or "")).lower()


CLAUSE = re.compile(r"[，,；;。：:/]")


def _variants(text) -> list[str]:
    """The cell, then without a bracketed remark ("在建（一期）"), then its first clause ("已签约，待注册"),
    each also without 已/正在 before it or 阶段/中/期 after it."""
    whole = stage_key(text)
    bare = BRACKETS.sub("", whole)
    found = [whole]
    for word in (bare, CLAUSE.split(bare)[0]):
        found.append(word)
        for prefix in PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix):
                word = word[len(prefix) :]
                found.append(word)
                break
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                found.append(word[: -len(suffix)])
    return [w for i, w in enumerate(found) if w and w not in found[:i]]


class StageVocabulary:
    """`vocabulary.category(text, area)`: the category a stage cell names for a project in `area` (the
    names of the zones above it first, nearest first), or None. `vocabulary.names(area)`: each
    category's name there, for messages."""

    def __init__(self):
        self._common: dict[str, str] = {}
        for category in StageCategory:
            self._common[category.value] = category.value
            for language in ("zh-hans", "en"):
                with override(language):
                    self._common.setdefault(stage_key(category.label), category.value)
            for word in SYNONYMS[category]:
                self._common.setdefault(stage_key(word), category.value)
        self._zones: dict[int, dict[str, str]] = {}
        self._default_names: dict[str, Stage] = {}
        self._zone_names: dict[int, dict[str, Stage]] = {}
        for stage in Stage.objects.all():
            if stage.zone_id is None:
                self._default_names[stage.category] = stage
                target = self._common
            else:
                self._zone_names.setdefault(stage.zone_id, {})[stage.category] = stage
                target = self._zones.setdefault(stage.zone_id, {})
            for name in (stage.name, stage.name_en):
                if name:
                    # A zone's own name is what its staff mean; the defaults yield to a synonym.
                    if stage.zone_id is None:
                        target.setdefault(stage_key(name), stage.category)
                    else:
                        target[stage_key(name)] = stage.category

    @staticmethod
    def _zone_ids(area) -> list[int]:
        if area is None:
            return []
        return [int(part) for part in reversed(area.path.strip("/").split("/")) if part]

    def category(self, text, area) -> str | None:
        zones = self._zone_ids(area)
        for variant in _variants(text):
            for zone_id in zones:
                found = self._zones.get(zone_id, {}).get(variant)
                if found:
                    return found
            if variant in self._common:
                return self._common[variant]
        return None

    def names(self, area) -> dict[str, str]:
        zones = self._zone_ids(area)
        names = {}
        for category in StageCategory:
            stage = next(
                (self._zone_names[z][category] for z in zones if category in self._zone_names.get(z, {})),
                self._default_names.get(category),
            )
            names[category.value] = stage.label if stage else str(category.label)
        return names


@lru_cache(maxsize=64)
def _moves(current: str, paused_from: str) -> tuple[str, ...]:
    return tuple(allowed_moves(current, paused_from))


def paths(start: str, paused_from: str, target: str) -> list[list[str]]:
    """Every way from `start` to `target` along the table of moves (the categories entered, in order),
    pausing or dropping only as the last move."""
    found: list[list[str]] = []

    def walk(node: str, trail: list[str], paused: str) -> None:
        for step in _moves(node, paused):
            if step == start or step in trail:
                continue
            if step == target:
                found.append([*trail, step])
            elif step not in (C.ON_HOLD, C.DROPPED):
                walk(step, [*trail, step], "")

    walk(start, [], paused_from)
    return found


def last_day(date: SheetDate) -> datetime.date:
    """The last day of the period a date names (itself, its month or its year)."""
    on = date.on
    if date.precision == Precision.YEAR:
        return datetime.date(on.year, 12, 31)
    if date.precision == Precision.MONTH:
        return datetime.date(on.year, on.month, calendar.monthrange(on.year, on.month)[1])
    return on


@dataclass(frozen=True)
class Dated:
    """A date a row gives and the column it came from (column name, for the report)."""

    date: SheetDate
    column: str


@dataclass(frozen=True)
class Move:
    to: str
    on: datetime.date
    precision: str


@dataclass
class Plan:
    moves: list[Move]
    errors: list[tuple[str, str]]  # (column name, message)
    passed: int = 0  # dates of stages the project had already passed: left as recorded


def plan(
    *,
    start: str,
    paused_from: str,
    since: SheetDate,
    target: str | None,
    dates: dict[str, Dated],
    stage_date: Dated | None,
    names: dict[str, str],
    headers: dict[str, str],
    today: datetime.date,
) -> Plan:
    """The moves that take a project in `start` (there since `since`) to `target` (None: the latest
    stage the row gives a date for), each on its date: the category's own date column, else, for the
    target, the stage date; a stage passed on the way without a date of its own is taken on the date
    of the next one. `headers[category]` names the date column to add when the target has no date."""
    result = Plan([], [])

    def error(column: str, message: str) -> None:
        result.errors.append((column, message))

    base = paused_from if start == C.ON_HOLD else start
    ahead = {
        category: dated
        for category, dated in dates.items()
        if category in ORDER and base in ORDER and ORDER[category] > ORDER[base]
    }
    result.passed = len([c for c in dates if c not in ahead and c != C.LEAD])
    if target is None:
        if stage_date is not None:
            error(stage_date.column, _("A stage date needs the stage: add the project's stage to the row."))
        if not ahead:
            return result
        target = max(ahead, key=ORDER.__getitem__)
    if target in ORDER:
        for category, dated in ahead.items():
            if ORDER[category] > ORDER[target]:
                error(
                    dated.column,
                    _("The row gives the date the project became %(stage)s, but its stage is %(target)s.")
                    % {"stage": names[category], "target": names[target]},
                )
    if result.errors or target == start:
        return result
    routes = paths(start, paused_from, target)
    if not routes:
        error(
            "stage",
            _("The project is %(current)s and cannot move to %(target)s.")
            % {"current": names[start], "target": names[target]},
        )
        return result
    route = max(routes, key=lambda r: (len(set(r) & set(ahead)), -len(r)))
    for category, dated in ahead.items():
        if category not in route:
            error(
                dated.column,
                _("The project moves from %(current)s to %(target)s without being %(stage)s.")
                % {"current": names[start], "target": names[target], "stage": names[category]},
            )
    own = dict(ahead)
    if stage_date is not None:
        if target in own and own[target].date != stage_date.date:
            error(
                stage_date.column,
                _("The stage date %(date)s differs from the date the project became %(stage)s (%(other)s).")
                % {"date": stage_date.date, "stage": names[target], "other": own[target].date},
            )
        own.setdefault(target, stage_date)
    if target not in own:
        error(
            "stage",
            _("Give the date the project became %(stage)s: add a “%(column)s” column.")
            % {"stage": names[target], "column": headers.get(target) or headers["stage_on"]},
        )
    if result.errors:
        return result
    # Backwards: a stage without its own date is taken on the date of the next one.
    taken: list[tuple[str, Dated]] = []
    following = own[target]
    for category in reversed(route):
        following = own.get(category, following)
        taken.append((category, following))
    previous, previous_name = since, names[start]
    for category, dated in reversed(taken):
        date = dated.date
        if date.on < previous.on:
            if date.on <= previous.on <= last_day(date):
                # "2025年3月" for a project that became a lead on 14 March: the 14th, known to the month.
                date = SheetDate(previous.on, date.precision)
            else:
                error(
                    dated.column,
                    _("%(date)s comes before %(previous)s, when the project became %(stage)s.")
                    % {"date": date, "previous": previous, "stage": previous_name},
                )
                return result
        if date.on > today:
            error(dated.column, _("A date in the future cannot have happened yet."))
            return result
        result.moves.append(Move(category, date.on, date.precision))
        previous, previous_name = date, names[category]
    return result


def lead_date(dates: dict[str, Dated], stage_date: Dated | None) -> Dated | None:
    """A new project's lead date: its own column's, else the earliest the row gives."""
    if C.LEAD in dates:
        return dates[C.LEAD]
    given = [*dates.values(), *([stage_date] if stage_date else [])]
    return min(given, key=lambda d: d.date.on) if given else None
