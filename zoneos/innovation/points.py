"""Innovation points: an enterprise's year scored by the zone's points system, indicator by indicator,
and the ranking of an area's enterprises.

Points of year Y are read on 1 January of Y + 1 (`day_of`): the system in force that day applies, and
every value is the policy variable's Python form (`Facts.value`, what the policy evaluator reads: one
definition of each figure) over the figures of Y, the labels held that day and the verified declared
facts of Y. A ratio is `num / den` (a growth minus 1, a two-year growth the geometric mean); a missing
value scores nothing and the explanation names the facts that would make it known. Each indicator
scores by its first bracket with `from <= value < to` (an open end when null), or a label by its fixed
points when held; its points times its weight is its weighted points, and the total is their sum.

`ranking` scores every active enterprise of an area in the caller's scope with a fixed number of
queries: the figures, labels and declared facts of all of them are read in one query each, and the
same `Facts` the evaluator builds one enterprise at a time are built from those rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zoneos.enterprises.models import Enterprise, Indicator, Label, Status
from zoneos.policies.criteria import decimal
from zoneos.policies.models import DeclaredFact
from zoneos.policies.scoping import ancestor_paths
from zoneos.policies.variables import FIGURES, VARIABLES, Facts, Missing, Variable

from .models import PointsIndicator, PointsSystem

ZERO = Decimal(0)
PLACES = Decimal("0.01")
# The variables an indicator may read: numbers (scored by brackets) and yes/no labels (fixed points).
SCORED_KINDS = ("money", "count", "ratio", "age", "fact")
LABEL_KINDS = ("bool",)


def day_of(year: int) -> datetime.date:
    """The day whose system and labels score year `year` (its figures are the last full year then)."""
    return datetime.date(year + 1, 1, 1)


# Brackets ------------------------------------------------------------------------------------------
def check_indicator(variable: str, brackets, label_points, where: str = "$") -> list[str]:
    """The faults of one indicator, each naming its place (`$.brackets[1].to: ...`)."""
    var = VARIABLES.get(variable)
    if var is None:
        return [f"{where}.variable: " + _("Unknown variable %(var)s.") % {"var": variable}]
    if var.kind in LABEL_KINDS:
        errors = []
        if label_points is None:
            errors.append(f"{where}.label_points: " + _("Give the points of a label held."))
        if brackets:
            errors.append(f"{where}.brackets: " + _("A label scores by its fixed points, not by brackets."))
        return errors
    if var.kind not in SCORED_KINDS:
        return [f"{where}.variable: " + _("%(var)s is not a number or a label.") % {"var": variable}]
    return check_brackets(brackets, f"{where}.brackets")


def check_brackets(brackets, where: str = "$.brackets") -> list[str]:
    """Brackets are a non-empty list of `{from, to, points}`, each `from < to`, in rising order and not
    overlapping (a bracket starts at or after the end of the one before); only the first may be open
    below and only the last open above."""
    if not isinstance(brackets, list) or not brackets:
        return [f"{where}: " + _("Give a list of brackets {from, to, points}.")]
    errors: list[str] = []
    previous_to: Decimal | None = None
    last = len(brackets) - 1
    for i, bracket in enumerate(brackets):
        place = f"{where}[{i}]"
        if not isinstance(bracket, dict):
            errors.append(f"{place}: " + _("Expected an object {from, to, points}."))
            continue
        extra = sorted(set(bracket) - {"from", "to", "points"})
        if extra:
            errors.append(f"{place}: " + _("Unknown keys: %(keys)s.") % {"keys": ", ".join(extra)})
        bounds = {}
        for key in ("from", "to"):
            raw = bracket.get(key)
            if raw is None:
                bounds[key] = None
                continue
            try:
                bounds[key] = decimal(raw)
            except ValueError:
                errors.append(f"{place}.{key}: " + _("%(value)s is not a number.") % {"value": raw})
                bounds[key] = "bad"
        try:
            decimal(bracket.get("points"))
        except ValueError:
            errors.append(f"{place}.points: " + _("Give the points as a number."))
        low, high = bounds["from"], bounds["to"]
        if "bad" in (low, high):
            previous_to = None
            continue
        if low is None and i != 0:
            errors.append(f"{place}.from: " + _("Only the first bracket may be open below."))
        if high is None and i != last:
            errors.append(f"{place}.to: " + _("Only the last bracket may be open above."))
        if low is not None and high is not None and low >= high:
            errors.append(f"{place}.to: " + _("Must be above from (%(low)s).") % {"low": low})
        if low is not None and previous_to is not None and low < previous_to:
            errors.append(
                f"{place}.from: "
                + _("Overlaps the bracket before, which runs to %(to)s.") % {"to": previous_to}
            )
        previous_to = high
    return errors


def validate_indicators(indicators: list[dict]) -> None:
    """Raise a ValidationError on `indicators` naming each fault's place
    (`$.indicators[1].brackets[0].to`)."""
    errors: list[str] = []
    seen = set()
    for i, row in enumerate(indicators):
        where = f"$.indicators[{i}]"
        errors += check_indicator(
            row.get("variable", ""), row.get("brackets") or [], row.get("label_points"), where
        )
        if row.get("variable") in seen:
            errors.append(f"{where}.variable: " + _("Each variable once per system."))
        seen.add(row.get("variable"))
        if row.get("weight") is not None and Decimal(row["weight"]) < 0:
            errors.append(f"{where}.weight: " + _("Cannot be negative."))
    if errors:
        raise ValidationError({"indicators": errors[:20]})


# Scoring -------------------------------------------------------------------------------------------
@dataclass
class Line:
    """One indicator's part of an enterprise's points."""

    indicator: PointsIndicator
    value: Decimal | bool | None
    missing: list[str]
    bracket: int | None  # the bracket's index; None: no bracket (a label, or out of every bracket)
    points: Decimal
    weighted: Decimal

    def as_dict(self) -> dict:
        ind = self.indicator
        return {
            "indicator": ind.title,
            "variable": ind.variable,
            "value": self.value,
            "missing": self.missing,
            "bracket": None
            if self.bracket is None
            else {"index": self.bracket, **ind.brackets[self.bracket]},
            "points": self.points,
            "weight": ind.weight,
            "weighted": self.weighted,
        }


@dataclass
class Score:
    enterprise: Enterprise
    year: int
    total: Decimal = ZERO
    lines: list[Line] = field(default_factory=list)
    rank: int | None = None


def value_of(var: Variable, facts: Facts):
    """The variable's value as scored: a number (a ratio divided out), a yes/no, or Missing."""
    raw = facts.value(var)
    if isinstance(raw, Missing) or var.kind == "bool":
        return raw
    if var.ratio:
        num, den = raw
        ratio = num / den
        if var.power == 2:
            ratio = ratio.sqrt()
        return ratio - var.offset
    return Decimal(raw)


def score_line(indicator: PointsIndicator, value) -> Line:
    if isinstance(value, Missing):
        return Line(indicator, None, value.facts, None, ZERO, ZERO)
    if isinstance(value, bool):
        points = indicator.label_points if value and indicator.label_points is not None else ZERO
        return Line(indicator, value, [], None, points, _weighted(points, indicator.weight))
    for i, bracket in enumerate(indicator.brackets):
        low, high = bracket.get("from"), bracket.get("to")
        if (low is None or value >= decimal(low)) and (high is None or value < decimal(high)):
            points = decimal(bracket["points"])
            return Line(indicator, value, [], i, points, _weighted(points, indicator.weight))
    return Line(indicator, value, [], None, ZERO, ZERO)


def _weighted(points: Decimal, weight: Decimal) -> Decimal:
    return (points * weight).quantize(PLACES)


def score(enterprise, facts: Facts, indicators: list[PointsIndicator], year: int) -> Score:
    result = Score(enterprise, year)
    for indicator in indicators:
        # A variable no longer defined (stored before it was withdrawn) scores nothing and says so,
        # rather than taking the ranking down.
        var = VARIABLES.get(indicator.variable)
        line = score_line(indicator, value_of(var, facts) if var else Missing(indicator.variable))
        result.lines.append(line)
        result.total += line.weighted
    return result


# Systems -------------------------------------------------------------------------------------------
def system_for(area, on: datetime.date) -> PointsSystem | None:
    """The newest system in force on `on` of `area` or the nearest area above it (with its indicators)."""
    candidates = (
        PointsSystem.objects.filter(area__path__in=ancestor_paths(area.path), effective_from__lte=on)
        .select_related("area")
        .prefetch_related("indicators")
        .order_by("-area__depth", "-effective_from")
    )
    return candidates.first()


def points_for(enterprise: Enterprise, year: int, system: PointsSystem | None = None) -> Score | None:
    """One enterprise's points of `year` (None: no system in force), read through `Facts.load`."""
    on = day_of(year)
    system = system or system_for(enterprise.area, on)
    if system is None:
        return None
    return score(enterprise, Facts.load(enterprise, on), list(system.indicators.all()), year)


def ranking(area, year: int, enterprises) -> tuple[PointsSystem | None, list[Score]]:
    """The points of `enterprises` (a queryset, already scoped to the caller) that are active in the
    subtree of `area`, best first, ranked 1, 2, 2, 4 on ties; in six queries whatever their number."""
    on = day_of(year)
    system = system_for(area, on)
    if system is None:
        return None, []
    indicators = list(system.indicators.all())
    chosen = enterprises.filter(area__path__startswith=area.path, status=Status.ACTIVE)
    rows = list(chosen.select_related("area").order_by("pk"))
    ids = chosen.values("pk")
    names = ("enterprise_id", "year", *(f for f, _l, _k in FIGURES), "above_designated_size", "size_class")
    figures: dict[int, dict] = defaultdict(dict)
    for row in Indicator.objects.filter(enterprise__in=ids, year__gte=year - 2, year__lte=year).values(
        *names
    ):
        figures[row["enterprise_id"]][row["year"]] = row
    labels: dict[int, list] = defaultdict(list)
    if any(getattr(VARIABLES.get(i.variable), "label_kind", None) for i in indicators):
        for enterprise_id, *label in Label.objects.filter(enterprise__in=ids).values_list(
            "enterprise_id", "kind", "valid_from", "valid_to"
        ):
            labels[enterprise_id].append(tuple(label))
    declared: dict[int, dict] = defaultdict(dict)
    if any(getattr(VARIABLES.get(i.variable), "kind", None) == "fact" for i in indicators):
        facts = DeclaredFact.objects.filter(enterprise__in=ids, year=year, verified_at__isnull=False)
        for enterprise_id, variable, fact_year, value in facts.values_list(
            "enterprise_id", "variable", "year", "value"
        ):
            declared[enterprise_id][(variable, fact_year)] = value
    scores = []
    for enterprise in rows:
        facts = Facts(
            enterprise,
            on,
            figures=figures.get(enterprise.pk, {}),
            labels=labels.get(enterprise.pk, []),
            declared=declared.get(enterprise.pk, {}),
        )
        scores.append(score(enterprise, facts, indicators, year))
    scores.sort(key=lambda s: (-s.total, s.enterprise.name, s.enterprise.pk))
    for i, s in enumerate(scores):
        s.rank = scores[i - 1].rank if i and s.total == scores[i - 1].total else i + 1
    return system, scores
