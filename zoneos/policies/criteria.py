"""The criteria language: a JSON tree of conditions, with no third-party rule engine.

Nodes: ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": node}``, ``{"score": [...], "min": n}`` (each
part carries ``"points"``; a part that is met adds its points). A score may also set minimums per group
of its parts, ``"groups": {"innovation": 20, ...}`` with ``"group": "innovation"`` on each part of it
(the innovative-SME evaluation: 60 in all, and at least 20 / 15 / 15 in its three dimensions); the
score is then met when the total and every group reach theirs, as an `all` of those thresholds. Leaves:
``{"id", "label", "var", "op", "value"}`` with `op` one of ``>= > <= < == in prefix``;
or with ``"scale": {"by": var, "brackets": [{"upto": "50000000", "value": "0.05"}, ..., {"value": ...}]}``
instead of `value` (the threshold chosen by the bracket of another variable, `upto` inclusive);
or ``{"id", "label", "manual": "what a reviewer must judge"}``. A leaf may carry ``"when": node``: it
is `not_applicable` where that condition is unmet. A value may be ``{"param": code}``, a dated
`Parameter` read on the date evaluated.

Each leaf answers met, unmet, unknown (a fact is missing), manual_review or not_applicable, and the
nodes combine them three-valued. The order unmet < unknown < manual_review < met makes `all` the
least of its children and `any` the greatest (not_applicable is left out of both); `not` swaps met and
unmet. Both back ends (`evaluate.py`, `sql.py`) implement exactly this.

Benefit trees (the amount, in yuan): ``{"fixed": "300000"}``, ``{"rate": "0.1", "var": "rd_expense"}``,
``{"min": [node, ...]}`` (a cap), ``{"sum": [node, ...]}``, ``{"brackets": {"by": var, "brackets":
[{"upto": ..., "amount": node}, ..., {"amount": node}]}}``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

UNMET, UNKNOWN, MANUAL, MET = 0, 1, 2, 3
NOT_APPLICABLE = 4
LEAF_NAMES = {
    UNMET: "unmet",
    UNKNOWN: "unknown",
    MANUAL: "manual_review",
    MET: "met",
    NOT_APPLICABLE: "not_applicable",
}
RESULT_NAMES = {UNMET: "not_eligible", UNKNOWN: "unknown", MANUAL: "manual_review", MET: "eligible"}
COMPARISONS = (">=", ">", "<=", "<", "==")
OPS = (*COMPARISONS, "in", "prefix")
MAX_DEPTH = 12
MAX_NODES = 400
# Scores within scores on one path from the root: the SQL back end needs a score's children three
# times (what is met, what may yet be, what is unknown), so each score within a score triples the
# statement; three deep is far beyond any points table a policy uses and stays small.
MAX_NESTED_SCORES = 3


def combine_all(codes: list[int]) -> int:
    codes = [c for c in codes if c != NOT_APPLICABLE]
    return min(codes) if codes else MET


def combine_any(codes: list[int]) -> int:
    codes = [c for c in codes if c != NOT_APPLICABLE]
    return max(codes) if codes else UNMET


def negate(code: int) -> int:
    return {MET: UNMET, UNMET: MET}.get(code, code)


def score(parts: list[tuple[int, Decimal]], minimum: Decimal) -> int:
    """Points of the parts met; met if they reach `minimum`, unmet if even the open parts cannot."""
    sure = sum((p for c, p in parts if c == MET), Decimal(0))
    open_parts = [(c, p) for c, p in parts if c in (UNKNOWN, MANUAL)]
    if sure >= minimum:
        return MET
    if sure + sum((p for _c, p in open_parts), Decimal(0)) < minimum:
        return UNMET
    return UNKNOWN if any(c == UNKNOWN for c, _p in open_parts) else MANUAL


def thresholds(node: dict) -> list[tuple[Decimal, list[int]]]:
    """A score's thresholds: (minimum, indexes of the parts counted) for the total, then per group."""
    out = [(points(node["min"]), list(range(len(node["score"]))))]
    for name, minimum in (node.get("groups") or {}).items():
        members = [i for i, part in enumerate(node["score"]) if part.get("group") == name]
        out.append((points(minimum), members))
    return out


def score_with_groups(codes: list[int], node: dict) -> int:
    """The score's code: every threshold's `score`, combined as `all` (the least)."""
    weights = [points(part["points"]) for part in node["score"]]
    return min(
        score([(codes[i], weights[i]) for i in members], minimum) for minimum, members in thresholds(node)
    )


def is_leaf(node: dict) -> bool:
    return "var" in node or "manual" in node


def leaves(node: dict):
    """Every criterion in tree order: a leaf, or a `not` of a leaf, which is shown as one criterion
    with the negated result ("主导产品不属于战略性新兴产业" is met when the product is not in one; its
    code is the `not` node's). Guards' leaves are not criteria."""
    if not isinstance(node, dict) or not node:
        return
    if is_leaf(node) or ("not" in node and is_leaf(node["not"])):
        yield node
        return
    for key in ("all", "any", "score"):
        if key in node:
            for child in node[key]:
                yield from leaves(child)
    if "not" in node:
        yield from leaves(node["not"])


def criterion(node: dict) -> dict:
    """The leaf a criterion from `leaves` shows (its id, label, variable): itself, or the one under its
    `not`."""
    return node.get("not", node)


def decimal(value) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    try:
        result = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not result.is_finite() or abs(result) >= Decimal("1e15"):
        raise ValueError(value)
    return result


def points(value) -> Decimal:
    """A score's points or minimum: at most four decimal places and below a billion, so that the SQL
    back end can count them as whole numbers (ten-thousandths)."""
    result = decimal(value)
    if abs(result) >= Decimal("1e9") or result != result.quantize(Decimal("0.0001")):
        raise ValueError(value)
    return result


POINT_SCALE = 10_000


def resolve(node, parameters: dict[str, Decimal]):
    """The tree with every `{"param": code}` replaced by its value on the date (`parameters`)."""
    if isinstance(node, dict):
        if set(node) == {"param"}:
            code = node["param"]
            if code not in parameters:
                raise ValidationError(
                    {"criteria": [_("No value of parameter %(code)s on this date.") % {"code": code}]}
                )
            return str(parameters[code])
        return {k: resolve(v, parameters) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, parameters) for v in node]
    return node


def parameters_on(on: datetime.date) -> dict[str, Decimal]:
    from django.db.models import Q

    from .models import Parameter

    found = Parameter.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)
    return {p.code: p.value.normalize() for p in found.order_by("valid_from")}


def params_of(node) -> set[str]:
    if isinstance(node, dict):
        if set(node) == {"param"}:
            return {node["param"]}
        return set().union(*(params_of(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(params_of(v) for v in node)) if node else set()
    return set()


# Validation ----------------------------------------------------------------------------------------
class _Checker:
    def __init__(self):
        self.errors: list[str] = []
        self.ids: set[str] = set()
        self.count = 0

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def value(self, where: str, value, var) -> None:
        if isinstance(value, dict) and set(value) == {"param"} and isinstance(value["param"], str):
            return
        var.check_value(value, where, self)

    def node(self, node, where: str, depth: int, *, guard=False, scores=0) -> None:
        from .variables import VARIABLES

        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            self.fail(where, _("The tree is too large or too deep."))
            return
        if not isinstance(node, dict):
            self.fail(where, _("Expected an object."))
            return
        if "manual" in node:
            self.leaf_id(node, where, guard)
            if not isinstance(node["manual"], str) or not node["manual"].strip():
                self.fail(where, _("Say what a reviewer must judge."))
        elif "var" in node:
            self.leaf_id(node, where, guard)
            var = VARIABLES.get(node["var"]) if isinstance(node["var"], str) else None
            if var is None:
                self.fail(where, _("Unknown variable %(var)s.") % {"var": node.get("var")})
                return
            op = node.get("op")
            if op not in var.ops:
                self.fail(
                    where,
                    _("Variable %(var)s takes the operators %(ops)s.")
                    % {"var": var.name, "ops": ", ".join(var.ops)},
                )
                return
            if "scale" in node:
                self.scale(node["scale"], where, var)
            elif "value" in node:
                self.value(where, node["value"], var)
            else:
                self.fail(where, _("Give a value or a scale."))
            if "when" in node:
                self.node(node["when"], f"{where}.when", depth + 1, guard=True, scores=scores)
        elif set(node) & {"all", "any", "score"}:
            key = next(k for k in ("all", "any", "score") if k in node)
            children = node[key]
            if not isinstance(children, list) or not children:
                self.fail(where, _("%(key)s needs a list of conditions.") % {"key": key})
                return
            if key == "score":
                scores += 1
                if scores > MAX_NESTED_SCORES:
                    self.fail(
                        where,
                        _("A score may sit inside other scores at most %(n)d deep.")
                        % {"n": MAX_NESTED_SCORES - 1},
                    )
                    return
            for i, child in enumerate(children):
                self.node(child, f"{where}.{key}[{i}]", depth + 1, guard=guard, scores=scores)
                if key == "score":
                    try:
                        points(child.get("points") if isinstance(child, dict) else None)
                    except ValueError:
                        self.fail(
                            f"{where}.{key}[{i}]",
                            _(
                                "A part of a score needs its points: a number below a billion with at "
                                "most four decimal places."
                            ),
                        )
            if key == "score":
                self.groups(node, where)
                try:
                    points(node.get("min"))
                except ValueError:
                    self.fail(
                        where,
                        _(
                            "A score needs its minimum: a number below a billion with at most four "
                            "decimal places."
                        ),
                    )
        elif "not" in node:
            self.node(node["not"], f"{where}.not", depth + 1, guard=guard, scores=scores)
        else:
            self.fail(where, _("Expected all, any, not, score or a leaf."))

    def groups(self, node, where: str) -> None:
        """A score's groups: named minimums, each with parts; every part's group among them."""
        groups = node.get("groups", {})
        if not isinstance(groups, dict):
            self.fail(where, _("A score's groups map each group's name to its minimum."))
            return
        for name, minimum in groups.items():
            try:
                points(minimum)
            except ValueError:
                self.fail(f"{where}.groups.{name}", _("A group needs its minimum."))
            if not any(isinstance(p, dict) and p.get("group") == name for p in node["score"]):
                self.fail(f"{where}.groups.{name}", _("No part of the score is in this group."))
        for i, part in enumerate(node["score"]):
            if isinstance(part, dict) and "group" in part and part["group"] not in groups:
                self.fail(
                    f"{where}.score[{i}]",
                    _("The group %(group)s has no minimum in the score's groups.") % {"group": part["group"]},
                )

    def leaf_id(self, node, where, guard) -> None:
        if guard:
            return
        leaf_id = node.get("id")
        if not isinstance(leaf_id, str) or not leaf_id.strip() or len(leaf_id) > 64:
            self.fail(where, _("Every criterion needs an id."))
        elif leaf_id in self.ids:
            self.fail(where, _("The id %(id)s is used twice.") % {"id": leaf_id})
        else:
            self.ids.add(leaf_id)

    def scale(self, scale, where, var) -> None:
        from .variables import VARIABLES

        if not isinstance(scale, dict) or scale.get("by") not in VARIABLES:
            self.fail(where, _("A scale names the variable that chooses the bracket."))
            return
        by = VARIABLES[scale["by"]]
        if not by.numeric or by.ratio:
            self.fail(where, _("A scale is chosen by an amount or a count."))
        brackets = scale.get("brackets")
        if not isinstance(brackets, list) or not brackets:
            self.fail(where, _("A scale needs its brackets."))
            return
        rising_bounds(brackets, where, self.fail)
        for i, bracket in enumerate(brackets):
            if not isinstance(bracket, dict) or "value" not in bracket:
                self.fail(f"{where}.brackets[{i}]", _("Each bracket needs its value."))
                continue
            self.value(f"{where}.brackets[{i}]", bracket["value"], var)


def validate(tree, field: str = "criteria") -> None:
    """Raise a ValidationError naming `field` and each bad node's place when the tree is malformed."""
    checker = _Checker()
    if not isinstance(tree, dict) or not tree:
        raise ValidationError({field: [_("Give the criteria as a tree (all, any, not, score or a leaf).")]})
    checker.node(tree, "$", 0)
    if checker.errors:
        raise ValidationError({field: checker.errors[:20]})


def rising_bounds(brackets: list, where: str, fail) -> None:
    """Check the brackets' upper bounds (criteria scales and benefit brackets alike): every bracket
    but the last needs one, and each rises above the one before, or its bracket is unreachable (a
    threshold or amount that silently never applies). `fail(place, message)` records a fault."""
    below = None
    for i, bracket in enumerate(brackets):
        if not isinstance(bracket, dict) or (i == len(brackets) - 1 and "upto" not in bracket):
            continue
        try:
            upto = decimal(bracket.get("upto"))
        except ValueError:
            fail(f"{where}.brackets[{i}]", _("Each bracket but the last needs its upper bound."))
            continue
        if below is not None and upto <= below:
            fail(f"{where}.brackets[{i}]", _("Upper bounds must rise from one bracket to the next."))
        below = upto


def validate_benefit(tree, field: str = "benefit") -> None:
    """Raise a ValidationError naming `field` and each bad node's place (`$.sum[1].brackets[0]`)
    when the benefit tree is malformed."""
    from .variables import VARIABLES

    errors: list[str] = []
    count = 0

    def fail(where: str, message: str) -> None:
        errors.append(f"{where}: {message}")

    def by_amount(name) -> bool:
        var = VARIABLES.get(name) if isinstance(name, str) else None
        return var is not None and var.numeric and not var.ratio

    def number(where: str, value, message: str) -> None:
        try:
            decimal(value)
        except ValueError:
            fail(where, message)

    def walk(node, where, depth):
        nonlocal count
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            fail(where, _("The tree is too large or too deep."))
            return
        if not isinstance(node, dict) or not node:
            fail(where, _("Expected fixed, rate, min, sum or brackets."))
        elif "fixed" in node:
            number(where, node["fixed"], _("An amount is a number of yuan."))
        elif "rate" in node:
            number(where, node["rate"], _("A rate is a number."))
            if not by_amount(node.get("var")):
                fail(where, _("A rate applies to an amount or a count."))
        elif "min" in node or "sum" in node:
            key = "min" if "min" in node else "sum"
            parts = node[key]
            if not isinstance(parts, list) or not parts:
                fail(where, _("%(key)s needs a list of parts.") % {"key": key})
                return
            for i, part in enumerate(parts):
                walk(part, f"{where}.{key}[{i}]", depth + 1)
        elif "brackets" in node:
            spec = node["brackets"]
            if not isinstance(spec, dict) or not by_amount(spec.get("by")):
                fail(where, _("Brackets are chosen by an amount or a count."))
                return
            brackets = spec.get("brackets")
            if not isinstance(brackets, list) or not brackets:
                fail(where, _("Brackets need at least one bracket."))
                return
            rising_bounds(brackets, where, fail)
            for i, bracket in enumerate(brackets):
                place = f"{where}.brackets[{i}]"
                if not isinstance(bracket, dict) or "amount" not in bracket:
                    fail(place, _("Each bracket needs its amount."))
                else:
                    walk(bracket["amount"], f"{place}.amount", depth + 1)
        else:
            fail(where, _("Expected fixed, rate, min, sum or brackets."))

    if tree in (None, {}):
        return
    walk(tree, "$", 0)
    if errors:
        raise ValidationError({field: errors[:20]})


def prepare(tree, on: datetime.date, parameters: dict[str, Decimal] | None = None):
    """The tree as both back ends run it on `on`: parameters replaced by their values and the areas
    of `area` leaves by their paths (`_paths`)."""
    if not tree:
        return tree
    if params_of(tree):
        tree = resolve(tree, parameters_on(on) if parameters is None else parameters)
    return _with_paths(tree)


def _with_paths(node):
    if isinstance(node, list):
        return [_with_paths(n) for n in node]
    if not isinstance(node, dict):
        return node
    if node.get("var") == "area" and "_paths" not in node:
        from zoneos.areas.models import Area

        refs = node.get("value")
        refs = refs if isinstance(refs, list) else [refs]
        ids = [int(r) for r in refs if isinstance(r, int) or (isinstance(r, str) and r.isdigit())]
        codes = [r for r in refs if isinstance(r, str) and not r.isdigit()]
        paths = Area.objects.filter(Q(pk__in=ids) | Q(code__in=codes)).values_list("path", flat=True)
        return {**node, "_paths": sorted(paths)}
    return {k: _with_paths(v) for k, v in node.items()}
