"""The Python back end: one enterprise, one prepared tree, with a trace of every leaf.

`evaluate(tree, facts)` answers the root's code (see `criteria`) and one row per leaf:
`{id, label, var, op, result, actual, required, missing}`, actual and required as strings (ratios
as fractions with four decimals). `amount(benefit, facts)` is the benefit's estimate, or None when a
figure it needs is missing.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from . import criteria as c
from .variables import VARIABLES, Facts, Missing

FOUR = Decimal("0.0001")
CENT = Decimal("0.01")


def compare(left, op: str, right) -> bool:
    return {
        ">=": left >= right,
        ">": left > right,
        "<=": left <= right,
        "<": left < right,
        "==": left == right,
    }[op]


def ratio_value(pair, var) -> Decimal:
    num, den = pair
    value = num / den
    if var.power == 2:
        value = value.sqrt() if value >= 0 else Decimal("NaN")
    return value - var.offset


def text(value, var) -> str | None:
    if value is None or isinstance(value, Missing):
        return None
    if var.ratio:
        return str(ratio_value(value, var).quantize(FOUR, rounding=ROUND_HALF_UP))
    if var.kind in ("money",):
        return str(Decimal(value).quantize(CENT))
    if var.kind == "bool":
        return "true" if value else "false"
    if var.kind == "emerging":
        return ", ".join(sorted(value))
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return str(value)


def threshold_text(value, var) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if var.numeric:
        number = c.decimal(value)
        if var.ratio and number == number.quantize(FOUR):
            return str(number.quantize(FOUR))
        return str(number)
    return str(value)


def holds(var, value, op: str, threshold, node: dict) -> bool:
    kind = var.kind
    if var.ratio:
        num, den = value
        k = (c.decimal(threshold) + var.offset) ** var.power
        return compare(num, op, k * den)
    if var.numeric:
        return compare(Decimal(value), op, c.decimal(threshold))
    if kind == "bool":
        return value == threshold
    items = threshold if isinstance(threshold, list) else [threshold]
    if kind == "code":
        items = [str(i) for i in items]
        if op == "prefix":
            return any(value.startswith(i) for i in items)
        return value in items if op == "in" else value == items[0]
    if kind == "area":
        return any(value.startswith(p) for p in node.get("_paths", ()))
    if kind == "emerging":
        return bool(value & {str(i) for i in items})
    raise ValueError(kind)


def leaf(node: dict, facts: Facts) -> tuple[int, dict]:
    row = {
        "id": node.get("id"),
        "label": node.get("label") or node.get("manual") or "",
        "var": node.get("var"),
        "op": node.get("op"),
        "result": None,
        "actual": None,
        "required": None,
        "missing": [],
    }
    if "when" in node:
        guard, _rows = node_code(node["when"], facts)
        if guard == c.UNMET:
            row["result"] = c.LEAF_NAMES[c.NOT_APPLICABLE]
            return c.NOT_APPLICABLE, row
        if guard != c.MET:
            row["result"] = c.LEAF_NAMES[c.UNKNOWN]
            row["missing"] = [f for r in _rows for f in r["missing"]]
            return c.UNKNOWN, row
    if "manual" in node:
        row["result"] = c.LEAF_NAMES[c.MANUAL]
        row["required"] = node["manual"]
        return c.MANUAL, row
    var = VARIABLES[node["var"]]
    missing: list[str] = []
    threshold = node.get("value")
    if "scale" in node:
        by = facts.value(VARIABLES[node["scale"]["by"]])
        if isinstance(by, Missing):
            missing += by.facts
        else:
            threshold = pick(node["scale"]["brackets"], by)
    value = facts.value(var)
    if isinstance(value, Missing):
        missing += value.facts
    row["actual"] = text(value, var)
    if threshold is not None:
        row["required"] = threshold_text(threshold, var)
    if missing:
        row["result"], row["missing"] = c.LEAF_NAMES[c.UNKNOWN], missing
        return c.UNKNOWN, row
    code = c.MET if holds(var, value, node["op"], threshold, node) else c.UNMET
    row["result"] = c.LEAF_NAMES[code]
    return code, row


def pick(brackets: list, by) -> object:
    for bracket in brackets:
        if "upto" not in bracket or Decimal(by) <= c.decimal(bracket["upto"]):
            return bracket["value"]
    return brackets[-1]["value"]


def node_code(node: dict, facts: Facts) -> tuple[int, list[dict]]:
    if c.is_leaf(node):
        code, row = leaf(node, facts)
        return code, [row]
    rows: list[dict] = []
    if "not" in node:
        code, rows = node_code(node["not"], facts)
        if c.is_leaf(node["not"]):  # one criterion, the negated leaf (criteria.leaves)
            row = rows[0]
            rows = [{**row, "result": c.LEAF_NAMES[c.negate(code)], "op": row["op"] and f"not {row['op']}"}]
        return c.negate(code), rows
    key = next(k for k in ("all", "any", "score") if k in node)
    codes = []
    for child in node[key]:
        code, found = node_code(child, facts)
        codes.append(code)
        rows += found
    if key == "all":
        return c.combine_all(codes), rows
    if key == "any":
        return c.combine_any(codes), rows
    return c.score_with_groups(codes, node), rows


def evaluate(tree: dict, facts: Facts) -> tuple[int, list[dict]]:
    """The root's code and the trace of its leaves. An empty tree is met (no condition)."""
    if not tree:
        return c.MET, []
    code, rows = node_code(tree, facts)
    return (c.MET if code == c.NOT_APPLICABLE else code), rows


def amount(node, facts: Facts) -> Decimal | None:
    """The benefit's estimate in yuan, to the fen; None without a benefit or with a figure missing."""
    if not node:
        return None
    value = _amount(node, facts)
    return None if value is None else max(value, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


def _amount(node, facts: Facts) -> Decimal | None:
    if "fixed" in node:
        return c.decimal(node["fixed"])
    if "rate" in node:
        value = facts.value(VARIABLES[node["var"]])
        return None if isinstance(value, Missing) else c.decimal(node["rate"]) * Decimal(value)
    if "min" in node or "sum" in node:
        parts = [_amount(p, facts) for p in node.get("min", node.get("sum"))]
        if any(p is None for p in parts):
            return None
        return min(parts) if "min" in node else sum(parts, Decimal(0))
    spec = node["brackets"]
    by = facts.value(VARIABLES[spec["by"]])
    if isinstance(by, Missing):
        return None
    return _amount(pick([{**b, "value": b["amount"]} for b in spec["brackets"]], by), facts)
