"""What a coverage reads, in one statement: the links of the chains asked for, what the cells the caller
sees hold for each link (and for each chain as a whole) in the areas asked for, the investment projects
and key projects placed on each link, and the strength rule in force in each area: the statement a DBA
would write (bench/chains.py's bare SQL), so a coverage costs one round trip and no queryset compiled.

The cells and the placements are narrowed as `scope()` narrows them: to the subtrees its policy lets
the caller see (`view_paths`, derived from the same policy, so the two never disagree). A caller whose
scope is not a union of subtrees gets None, and the coverage reads through `scope()` itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections, router
from django.db.models import Value

from zoneos.accounts.scoping import view_paths
from zoneos.areas.models import Area
from zoneos.policies.scoping import ancestor_paths

from .cells import LABEL_GROUPS, WHOLE_CHAIN, ChainLabel, ChainMembers, ChainYear
from .models import Link, Placement, StrengthRule

# Each link (its id, then `coverage.LINK_COLUMNS`) and, for each (chain, area) asked for, the chain as a
# whole (node 0: no link, placeholders) with the area and the rule in force there (`coverage.rules_for`),
# each with its figures. {members} and the like: the areas' conditions; {wholes}: a row per pair.
STATEMENT = """
WITH members AS (
    SELECT c.chain_id, c.node, SUM(c.enterprises) AS enterprises, SUM(c.leaders) AS leaders
    FROM {members_table} c JOIN {areas} a ON a.id = c.area_id
    WHERE {members} GROUP BY c.chain_id, c.node),
years AS (
    SELECT c.chain_id, c.node, SUM(c.above) AS above, SUM(c.output) AS output
    FROM {years_table} c JOIN {areas} a ON a.id = c.area_id
    WHERE c.year = %s AND {years} GROUP BY c.chain_id, c.node),
labels AS (
    SELECT c.chain_id, c.node, {label_sums}
    FROM {labels_table} c JOIN {areas} a ON a.id = c.area_id
    WHERE c.first_year <= %s AND c.last_year >= %s AND {labels} GROUP BY c.chain_id, c.node),
nodes AS (
    SELECT l.id AS node, l.chain_id, l.code, l.parent_id, l.name, l.name_en, l.segment, l.weight,
           l.bottleneck, l.position, l.benchmark_share, CAST(NULL AS BIGINT) AS area_id,
           CAST(NULL AS BIGINT) AS rule_id
    FROM {links_table} l WHERE l.chain_id IN ({chains}){wholes})
SELECT n.node, n.chain_id, n.code, n.parent_id, n.name, n.name_en, n.segment, n.weight, n.bottleneck,
       n.position, n.benchmark_share, n.area_id, r.id, r.area_id, r.strong_enterprises, r.strong_above_size,
       COALESCE(m.enterprises, 0), COALESCE(m.leaders, 0), COALESCE(y.above, 0), COALESCE(y.output, 0),
       {label_columns}{project_columns}
FROM nodes n
LEFT JOIN members m ON m.chain_id = n.chain_id AND m.node = n.node
LEFT JOIN years y ON y.chain_id = n.chain_id AND y.node = n.node
LEFT JOIN labels h ON h.chain_id = n.chain_id AND h.node = n.node
LEFT JOIN {rules_table} r ON r.id = n.rule_id{projects}
"""
WHOLE = """
    UNION ALL
    SELECT 0, CAST(%s AS BIGINT), '', NULL, '', '', '', 0, FALSE, 0, NULL, CAST(%s AS BIGINT), {rule}"""
# The newest rule in force of the area or the nearest area above it (their paths).
RULE = """(
        SELECT r.id FROM {rules_table} r JOIN {areas} ra ON ra.id = r.area_id
        WHERE ra.path IN ({paths}) AND r.effective_from <= %s
        ORDER BY ra.depth DESC, r.effective_from DESC LIMIT 1)"""
# The projects and key projects of the year placed on each link: a link with several comes once with
# each (they are few beside the links), one without any once with NULLs.
PROJECTS = """
LEFT JOIN (
    {placements_table} pl JOIN {areas} a ON a.id = pl.area_id
    LEFT JOIN {projects_table} p ON p.id = pl.project_id
    LEFT JOIN {key_projects_table} k ON k.id = pl.key_project_id
) ON pl.link_id = n.node AND pl.enterprise_id IS NULL AND (pl.project_id IS NOT NULL OR k.year = %s)
    AND {placements}"""
TABLES = {
    "areas": Area._meta.db_table,
    "members_table": ChainMembers._meta.db_table,
    "years_table": ChainYear._meta.db_table,
    "labels_table": ChainLabel._meta.db_table,
    "links_table": Link._meta.db_table,
    "rules_table": StrengthRule._meta.db_table,
    "placements_table": Placement._meta.db_table,
    "projects_table": Placement._meta.get_field("project").related_model._meta.db_table,
    "key_projects_table": Placement._meta.get_field("key_project").related_model._meta.db_table,
}
FIGURES = ("enterprises", "leaders", "above", "output", *LABEL_GROUPS)
# Where each part of a row is.
LINK, AREA, RULE_FIELDS = slice(0, 11), 11, ("id", "area_id", "strong_enterprises", "strong_above_size")
FIRST_FIGURE = 12 + len(RULE_FIELDS)
FIRST_PROJECT = FIRST_FIGURE + len(FIGURES)


@dataclass(frozen=True)
class Read:
    links: dict[int, list]  # {chain: [link row (id, then coverage.LINK_COLUMNS)]}
    counted: dict[tuple[int, int], dict]  # {(chain, link or WHOLE_CHAIN): figures}
    rules: dict[int, StrengthRule | None]  # {area: the rule in force there on the day asked for}
    projects: list[tuple] | None  # (link, project, its stage, key project); None when not asked for


def read(pairs, user, year: int, on: datetime.date | None = None, *, projects: bool = True) -> Read | None:
    """The links, figures, rules in force `on` (when given) and projects placed (when `projects`) of
    these (chain, area) pairs that `user` sees in `year`; None when `user`'s scope of the cells or the
    placements is not a union of subtrees."""
    seen = {model: view_paths(user, model) for model in (ChainMembers, ChainYear, ChainLabel)}
    if projects:
        seen[Placement] = view_paths(user, Placement)
    if any(paths is None for paths in seen.values()):
        return None
    connection = connections[router.db_for_read(ChainMembers)]
    like = connection.operators["startswith"]

    def within(chain_column: str, paths: list[str]) -> tuple[str, list]:
        """The pairs' chains in their areas' subtrees, inside the subtrees `paths` (the caller's)."""
        if not paths:
            return "1 = 0", []
        params: list = []
        asked = []
        for chain, area in pairs:
            asked.append(f"({chain_column} = %s AND a.path {like})")
            params += [chain.pk, connection.ops.prep_for_like_query(area.path) + "%"]
        condition = f"({' OR '.join(asked)})"
        if "" in paths:  # everything (a superuser)
            return condition, params
        condition += f" AND ({' OR '.join(f'a.path {like}' for _p in paths)})"
        return condition, params + [connection.ops.prep_for_like_query(p) + "%" for p in paths]

    members, params = within("c.chain_id", seen[ChainMembers])
    years, years_params = within("c.chain_id", seen[ChainYear])
    labels, labels_params = within("c.chain_id", seen[ChainLabel])
    params += [year, *years_params, *LABEL_GROUPS, year, year, *labels_params]
    chains = sorted({chain.pk for chain, _area in pairs})
    params += chains
    wholes = []
    for chain, area in pairs:
        rule = "CAST(NULL AS BIGINT)"
        params += [chain.pk, area.pk]
        if on is not None:
            paths = ancestor_paths(area.path)
            rule = RULE.format(paths=", ".join(["%s"] * len(paths)), **TABLES)
            params += [*paths, connection.ops.adapt_datefield_value(on)]
        wholes.append(WHOLE.format(rule=rule))
    placed_sql = project_columns = ""
    if projects:
        placed, placed_params = within("n.chain_id", seen[Placement])
        placed_sql = PROJECTS.format(placements=placed, **TABLES)
        project_columns = ", pl.project_id, p.stage, pl.key_project_id"
        params += [year, *placed_params]
    sql = STATEMENT.format(
        members=members,
        years=years,
        labels=labels,
        chains=", ".join(["%s"] * len(chains)),
        wholes="".join(wholes),
        label_sums=", ".join(
            f"SUM(c.enterprises) FILTER (WHERE c.kind = %s) AS {group}" for group in LABEL_GROUPS
        ),
        label_columns=", ".join(f"COALESCE(h.{group}, 0)" for group in LABEL_GROUPS),
        project_columns=project_columns,
        projects=placed_sql,
        **TABLES,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _assemble(rows, _conversions(connection), connection.alias, projects)


def _assemble(rows, conversions, alias: str, projects: bool) -> Read:
    links: dict[int, list] = {}
    counted: dict[tuple[int, int], dict] = {}
    rules: dict[int, StrengthRule | None] = {}
    placed: list[tuple] = []
    for row in rows:
        if conversions:
            row = list(row)
            for index, convert in conversions:
                row[index] = convert(row[index])
        node, chain = row[0], row[1]
        if (chain, node) not in counted:
            counted[(chain, node)] = dict(zip(FIGURES, row[FIRST_FIGURE:FIRST_PROJECT], strict=True))
            if node != WHOLE_CHAIN:
                links.setdefault(chain, []).append(row[LINK])
        if node == WHOLE_CHAIN:
            rule = row[AREA + 1 : FIRST_FIGURE]
            rules[row[AREA]] = None if rule[0] is None else StrengthRule.from_db(alias, RULE_FIELDS, rule)
        elif projects and (row[FIRST_PROJECT] is not None or row[FIRST_PROJECT + 2] is not None):
            placed.append((node, *row[FIRST_PROJECT:]))
    return Read(links, counted, rules, placed if projects else None)


def _conversions(connection) -> list:
    """[(column, function)]: what the ORM does to a value of that column read from this database
    (SQLite gives decimals as floats and booleans as integers), so that the statement's rows read as
    querysets' rows do."""
    link, output = Link._meta, ChainYear._meta.get_field("output")
    expressions = {
        7: link.get_field("weight").get_col(link.db_table),
        8: link.get_field("bottleneck").get_col(link.db_table),
        10: link.get_field("benchmark_share").get_col(link.db_table),
        # A sum, as Sum("output") is converted (not a column: not quantized).
        FIRST_FIGURE + FIGURES.index("output"): Value(Decimal(0), output_field=output),
    }
    out = []
    for index, expression in expressions.items():
        found = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if found:
            out.append((index, _chained(found, expression, connection)))
    return out


def _chained(converters, expression, connection):
    def convert(value):
        for converter in converters:
            value = converter(value, expression, connection)
        return value

    return convert
