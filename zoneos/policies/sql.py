"""The SQL back end: one prepared tree turned into Django expressions over the enterprise queryset, so
that bulk matching runs in the database as one query.

`code(tree, ctx)` is an integer expression with the root's code (see `criteria`) for every row;
`met(tree, ctx)` a boolean condition true exactly where the code is met (what filtering for the eligible
uses: plain conditions the planner can push into the scan); `amount(benefit, ctx)` the benefit's
estimate. NULL-safe by construction: a leaf is first asked whether its facts are known (unknown
otherwise); no division happens in SQL (ratios compare by multiplication, see `variables`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Greatest, Least
from django.db.models.lookups import (  # noqa: I001
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    IsNull,
    LessThan,
    LessThanOrEqual,
    StartsWith,
)

from . import criteria as c
from .variables import VARIABLES, SqlContext, years_before

LOOKUPS = {">=": GreaterThanOrEqual, ">": GreaterThan, "<=": LessThanOrEqual, "<": LessThan, "==": Exact}
WIDE = DecimalField(max_digits=40, decimal_places=14)
TRUE, FALSE = Q(), Q(pk__in=[])


def _int(value: int) -> Value:
    return Value(value, output_field=IntegerField())


def _times(expression, factor: Decimal):
    if factor == 1:
        return expression
    return ExpressionWrapper(expression * Value(factor, output_field=WIDE), output_field=WIDE)


def _number(value) -> Value:
    return Value(c.decimal(value), output_field=WIDE)


class Switch(Expression):
    """`CASE operand WHEN k THEN result … ELSE default END`: the simple CASE on a code.

    Nodes nest their children's codes; the searched form (`CASE WHEN (x = 3) …`) costs SQLite's parser
    several times the stack of the simple form and, where a code is needed under more than one WHEN,
    repeats it, so a few levels of `not` and `score` overflowed SQLite's parser stack and grew the
    statement threefold a level. Here the operand appears once.
    """

    def __init__(self, operand, cases: dict, default=None, output_field=None):
        super().__init__(output_field=output_field or IntegerField())
        self.operand = operand
        self.keys = list(cases)
        self.results = [r if hasattr(r, "resolve_expression") else _int(r) for r in cases.values()]
        self.default = default if default is None or hasattr(default, "resolve_expression") else _int(default)

    def get_source_expressions(self):
        return [self.operand, *self.results, *([self.default] if self.default is not None else [])]

    def set_source_expressions(self, exprs):
        self.operand, *rest = exprs
        self.results = rest[: len(self.keys)]
        if self.default is not None:
            self.default = rest[len(self.keys)]

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.is_summary = summarize
        clone.set_source_expressions(
            [
                e.resolve_expression(query, allow_joins, reuse, summarize, for_save)
                for e in self.get_source_expressions()
            ]
        )
        return clone

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.operand)
        parts, out = [f"CASE {sql}"], list(params)
        for key, result in zip(self.keys, self.results, strict=True):
            result_sql, result_params = compiler.compile(result)
            parts.append(f"WHEN {int(key)} THEN {result_sql}")
            out += result_params
        if self.default is not None:
            default_sql, default_params = compiler.compile(self.default)
            parts.append(f"ELSE {default_sql}")
            out += default_params
        parts.append("END")
        return " ".join(parts), out


CODES = (c.UNMET, c.UNKNOWN, c.MANUAL, c.MET, c.NOT_APPLICABLE)


def _map_codes(operand, mapping: dict):
    """Every code mapped (identity where `mapping` is silent): no ELSE, so the operand appears once."""
    return Switch(operand, {k: mapping.get(k, k) for k in CODES})


def _any(conditions: list[Q]) -> Q:
    out = FALSE
    for q in conditions:
        out = q if out is FALSE else out | q
    return out


# Leaves --------------------------------------------------------------------------------------------
def _known(var, ctx: SqlContext) -> Q:
    """True where the variable's facts are known."""
    if var.ratio:
        num, den = ctx.pair(var)
        known = Q(IsNull(num, False)) & Q(GreaterThan(den, Value(0)))
        return known & Q(GreaterThanOrEqual(num, Value(0))) if var.power == 2 else known
    if var.kind in ("area", "emerging") or var.label_kind:
        return TRUE
    if var.kind == "age":
        return Q(registered_on__isnull=False)
    expression = ctx.expression(var)
    if var.kind == "code":
        return Q(IsNull(expression, False)) & ~Q(Exact(expression, Value("")))
    return Q(IsNull(expression, False))


def _holds(var, op: str, threshold, node: dict, ctx: SqlContext) -> Q:
    """True where the comparison holds, assuming the facts are known."""
    kind = var.kind
    if var.ratio:
        num, den = ctx.pair(var)
        k = (c.decimal(threshold) + var.offset) ** var.power
        return Q(LOOKUPS[op](num, _times(den, k)))
    if kind == "age":
        n = int(c.decimal(threshold))

        def at_least(years):  # age >= years
            return Q(registered_on__lte=years_before(ctx.on, years))

        return {
            ">=": lambda: at_least(n),
            ">": lambda: at_least(n + 1),
            "<=": lambda: ~at_least(n + 1),
            "<": lambda: ~at_least(n),
            "==": lambda: at_least(n) & ~at_least(n + 1),
        }[op]()
    if var.numeric:
        return Q(LOOKUPS[op](ctx.expression(var), _number(threshold)))
    if kind == "bool":
        if var.label_kind:
            exists = ctx.label(var.label_kind)
            return Q(exists) if threshold else ~Q(exists)
        return Q(Exact(ctx.expression(var), Value(bool(threshold), output_field=BooleanField())))
    items = threshold if isinstance(threshold, list) else [threshold]
    if kind == "code":
        expression = ctx.expression(var)
        items = [str(i) for i in items]
        if op == "prefix":
            return _any([Q(StartsWith(expression, Value(i))) for i in items])
        return Q(In(expression, items)) if op == "in" else Q(Exact(expression, Value(items[0])))
    if kind == "area":
        return _any([Q(area__path__startswith=p) for p in node.get("_paths", ())])
    if kind == "emerging":
        from zoneos.enterprises.models import Enterprise

        through = Enterprise.emerging_industries.through
        from django.db.models import Exists, OuterRef

        return Q(
            Exists(
                through.objects.filter(
                    enterprise_id=OuterRef("pk"), emergingindustry__code__in=[str(i) for i in items]
                )
            )
        )
    raise ValueError(kind)


def _brackets(node, ctx) -> list[tuple[Q, object]]:
    """(condition on the bracket variable, threshold) per bracket of a scaled leaf."""
    by = ctx.expression(VARIABLES[node["scale"]["by"]])
    out, below = [], None
    for bracket in node["scale"]["brackets"]:
        condition = Q(IsNull(by, False))
        if below is not None:
            condition &= Q(GreaterThan(by, _number(below)))
        if "upto" in bracket:
            condition &= Q(LessThanOrEqual(by, _number(bracket["upto"])))
            below = bracket["upto"]
        out.append((condition, bracket["value"]))
        if "upto" not in bracket:
            break
    return out


def _leaf_parts(node, ctx) -> list[tuple[Q, Q, Q]]:
    """(where, known, holds) per threshold the leaf may compare with."""
    var = VARIABLES[node["var"]]
    known = _known(var, ctx)
    if "scale" in node:
        return [(where, known, _holds(var, node["op"], t, node, ctx)) for where, t in _brackets(node, ctx)]
    return [(TRUE, known, _holds(var, node["op"], node["value"], node, ctx))]


def _leaf_code(node, ctx):
    if "manual" in node:
        inner = _int(c.MANUAL)
    else:
        whens = [
            When(where & known & holds, then=_int(c.MET)) for where, known, holds in _leaf_parts(node, ctx)
        ]
        unmet = _any([where & known & ~holds for where, known, holds in _leaf_parts(node, ctx)])
        inner = Case(
            *whens, When(unmet, then=_int(c.UNMET)), default=_int(c.UNKNOWN), output_field=IntegerField()
        )
    if "when" not in node:
        return inner
    guard = code(node["when"], ctx)
    return Switch(guard, {c.UNMET: c.NOT_APPLICABLE, c.MET: inner}, default=c.UNKNOWN)


# Nodes ---------------------------------------------------------------------------------------------
def _without_na(expression, replacement: int):
    return _map_codes(expression, {c.NOT_APPLICABLE: replacement})


def _may_be_na(node) -> bool:
    """Whether the node may answer not_applicable: a guarded leaf, or a `not` of one."""
    if not isinstance(node, dict):
        return False
    return "when" in node or ("not" in node and _may_be_na(node["not"]))


def _flat(node: dict, key: str) -> list:
    """The children of an `all` (`any`), with those of an `all` (`any`) child spliced in: min and max are
    associative and a nested one never answers not_applicable, so the code is the same, and SQLite's
    parser stack is spared a level of LEAST/GREATEST (MIN/MAX) per level of the tree."""
    out = []
    for child in node[key]:
        out.extend(_flat(child, key) if isinstance(child, dict) and key in child else [child])
    return out


def code(node: dict, ctx: SqlContext):
    """The node's code as an integer expression."""
    if c.is_leaf(node):
        return _leaf_code(node, ctx)
    if "not" in node:
        return _map_codes(code(node["not"], ctx), {c.MET: c.UNMET, c.UNMET: c.MET})
    if "all" in node or "any" in node:
        is_all = "all" in node
        neutral = c.MET if is_all else c.UNMET
        children = [
            _without_na(code(n, ctx), neutral) if _may_be_na(n) else code(n, ctx)
            for n in _flat(node, "all" if is_all else "any")
        ]
        if len(children) == 1:
            return children[0]
        return (Least if is_all else Greatest)(*children, output_field=IntegerField())
    # Points count as whole ten-thousandths: integer sums need no CAST on SQLite, whose parser stack
    # the nested casts of decimal sums overflowed a few scores deep.
    codes = [code(n, ctx) for n in node["score"]]
    weights = [int(c.points(n["points"]) * c.POINT_SCALE) for n in node["score"]]
    found = [
        _threshold([(codes[i], weights[i]) for i in members], int(minimum * c.POINT_SCALE))
        for minimum, members in c.thresholds(node)
    ]
    return found[0] if len(found) == 1 else Least(*found, output_field=IntegerField())


def _threshold(parts: list, minimum: int):
    """The code of one threshold of a score: met when the parts met reach `minimum`, unmet when even
    the open ones cannot (as `criteria.score`)."""
    minimum = _int(minimum)

    def total(codes):
        return _sum([Switch(e, dict.fromkeys(codes, p), default=0) for e, p in parts], IntegerField())

    unknown = _any([Q(Exact(e, _int(c.UNKNOWN))) for e, _p in parts])
    return Case(
        When(Q(GreaterThanOrEqual(total([c.MET]), minimum)), then=_int(c.MET)),
        When(Q(LessThan(total([c.MET, c.UNKNOWN, c.MANUAL]), minimum)), then=_int(c.UNMET)),
        When(unknown, then=_int(c.UNKNOWN)),
        default=_int(c.MANUAL),
        output_field=IntegerField(),
    )


def _sum(terms: list, output_field=WIDE):
    """A balanced sum: SQLite's parser has a small stack, so a long left-deep chain of + overflows it."""
    if len(terms) == 1:
        return terms[0]
    middle = len(terms) // 2
    return ExpressionWrapper(
        _sum(terms[:middle], output_field) + _sum(terms[middle:], output_field), output_field=output_field
    )


def root_code(tree: dict, ctx: SqlContext):
    if not tree:
        return _int(c.MET)
    expression = code(tree, ctx)
    return _without_na(expression, c.MET) if _may_be_na(tree) else expression


def met(node: dict, ctx: SqlContext) -> Q:
    """A condition true exactly where the root is met (not_applicable at the root counts as met)."""
    if not node:
        return TRUE
    return _polar(node, ctx, True, True)


def _polar(node, ctx, want_met: bool, na_ok: bool) -> Q:
    """True where the node is met (`want_met`) or unmet; `na_ok`: not_applicable counts too (the node
    sits where it is neutral: under an `all` asked to be met, an `any` asked to be unmet, the root)."""
    if "score" in node:
        codes = [c.MET if want_met else c.UNMET]
        return Q(In(code(node, ctx), codes))
    if "when" in node:
        codes = [c.MET if want_met else c.UNMET, *([c.NOT_APPLICABLE] if na_ok else [])]
        return Q(In(code(node, ctx), codes))
    if "manual" in node:
        return FALSE
    if c.is_leaf(node):
        parts = _leaf_parts(node, ctx)
        return _any([where & known & (holds if want_met else ~holds) for where, known, holds in parts])
    if "not" in node:
        return _polar(node["not"], ctx, not want_met, na_ok)
    is_all = "all" in node
    every = is_all == want_met  # met(all) and unmet(any) need every child; the others need one
    children = [_polar(n, ctx, want_met, every) for n in node["all" if is_all else "any"]]
    if every:
        out = children[0]
        for q in children[1:]:
            out &= q
        return out
    return _any(children)


def amount(node, ctx: SqlContext):
    """The benefit's estimate as a decimal expression (NULL where a figure is missing), or None."""
    if not node:
        return None
    return ExpressionWrapper(
        Greatest(_amount(node, ctx), Value(Decimal(0), output_field=WIDE)), output_field=WIDE
    )


def _amount(node, ctx):
    if "fixed" in node:
        return _number(node["fixed"])
    if "rate" in node:
        return _times(ctx.expression(VARIABLES[node["var"]]), c.decimal(node["rate"]))
    if "min" in node or "sum" in node:
        parts = [_amount(p, ctx) for p in node.get("min", node.get("sum"))]
        if len(parts) == 1:
            return parts[0]
        if "min" in node:
            # Least ignores NULL on PostgreSQL: a missing part makes the whole NULL, as in Python.
            nulls = _any([Q(IsNull(p, True)) for p in parts])
            return Case(
                When(nulls, then=Value(None, output_field=WIDE)), default=Least(*parts), output_field=WIDE
            )
        return _sum(parts)
    spec = node["brackets"]
    pseudo = {
        "scale": {"by": spec["by"], "brackets": [{**b, "value": b["amount"]} for b in spec["brackets"]]}
    }
    whens = [When(where, then=_amount(value, ctx)) for where, value in _brackets(pseudo, ctx)]
    return Case(*whens, default=Value(None, output_field=WIDE), output_field=WIDE)


def annotate(queryset, ctx: SqlContext):
    """The queryset with the FilteredRelations the compiled expressions refer to."""
    return queryset.annotate(**ctx.needed) if ctx.needed else queryset


__all__ = ["F", "amount", "annotate", "code", "met", "root_code"]
