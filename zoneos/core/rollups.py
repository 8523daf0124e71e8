"""Rollups kept exact in the writing transaction, by deltas.

A rollup is a table of cells (a unique key: an area, a period, a category ...) holding counts and sums
of the source rows that fall in each cell. It is declared once with `RollupSpec`: its model, its key
columns, its figures and the figure that counts the source rows (a cell whose count is zero holds
nothing and is deleted, so the table is exactly what a full rebuild writes).

A writer that changes source rows takes their part out before the change and puts it back after it
(`subtract`, `add`, or `apply` of a difference). Each cell is changed by one `UPDATE … SET x = x + delta`,
which the database applies under the row's lock, so two transactions changing one cell never lose an
update; a cell that does not exist yet is created by `INSERT … ON CONFLICT … DO UPDATE`, which adds to
the row another transaction created meanwhile. Cells are visited in one order so that two writers
never wait for each other crosswise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import connections, models, transaction

Cells = dict[tuple, dict[str, object]]


class OutOfStep(ValueError):
    """A part is taken out of a cell that does not hold it: the table was not kept with its rows (rows
    written around the services). The caller rebuilds those cells from the rows and takes it out again."""


@dataclass(frozen=True)
class RollupSpec:
    model: type[models.Model]
    keys: tuple[str, ...]  # attribute names (`area_id`), none of them nullable
    figures: tuple[str, ...]
    count: str  # the figure that is zero exactly when no source row falls in the cell

    def key(self, row: Mapping) -> tuple:
        return tuple(row[k] for k in self.keys)

    def cells(self, rows: Iterable[Mapping]) -> Cells:
        """Rows (dicts with the keys and the figures) summed per cell."""
        out: Cells = defaultdict(dict)
        for row in rows:
            cell = out[self.key(row)]
            for name in self.figures:
                cell[name] = cell.get(name, 0) + (row.get(name) or 0)
        return dict(out)

    def difference(self, after: Cells, before: Cells) -> Cells:
        out: Cells = {}
        for key in after.keys() | before.keys():
            new, old = after.get(key, {}), before.get(key, {})
            delta = {n: (new.get(n) or 0) - (old.get(n) or 0) for n in self.figures}
            if any(delta.values()):
                out[key] = delta
        return out

    def subtract(self, cells: Cells, using: str = "default") -> None:
        self.apply({k: {n: -(v or 0) for n, v in c.items()} for k, c in cells.items()}, using)

    def add(self, cells: Cells, using: str = "default") -> None:
        self.apply(cells, using)

    def apply(self, deltas: Cells, using: str = "default") -> None:
        """Add each cell's delta to the table (creating and deleting cells as their count says). Raises
        `OutOfStep`, with the cells before it changed, when a cell does not hold what is taken out."""
        manager = self.model._default_manager.db_manager(using)
        for key in sorted(deltas, key=repr):
            change = {n: v for n, v in deltas[key].items() if v}
            if not change:
                continue
            where = dict(zip(self.keys, key, strict=True))
            left = self._update(where, change, using)
            if left is not None:
                if left == 0:
                    manager.filter(**where, **{self.count: 0}).delete()
                continue
            if any(v < 0 for v in change.values()):
                raise OutOfStep(f"{self.model.__name__} {where}: taking out what was never added")
            self._insert(where, change, using)

    def _update(self, where: dict, change: dict, using: str) -> int | None:
        """Add to the cell; its count after, or None when there is no such cell (one statement)."""
        connection = connections[using]
        meta = self.model._meta
        qn = connection.ops.quote_name
        table = qn(meta.db_table)
        sets, conditions, params = [], [], []
        for name, value in change.items():
            field = meta.get_field(name)
            sets.append(f"{qn(field.column)} = {qn(field.column)} + %s")
            params.append(field.get_db_prep_save(value, connection))
        for name, value in where.items():
            field = meta.get_field(name)
            conditions.append(f"{qn(field.column)} = %s")
            params.append(field.get_db_prep_save(value, connection))
        for name, value in change.items():
            # A count never goes below zero: a cell that does not hold what is taken out is left alone
            # (and reported out of step) rather than breaking its check constraint and the transaction.
            field = meta.get_field(name)
            if value < 0 and not isinstance(field, models.DecimalField):
                conditions.append(f"{qn(field.column)} >= %s")
                params.append(-value)
        count = qn(meta.get_field(self.count).column)
        sql = f"UPDATE {table} SET {', '.join(sets)} WHERE {' AND '.join(conditions)} RETURNING {count}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return None if row is None else row[0]

    def _insert(self, where: dict, change: dict, using: str) -> None:
        connection = connections[using]
        meta = self.model._meta
        qn = connection.ops.quote_name
        columns, values = [], []
        for name in (*self.keys, *self.figures):
            field = meta.get_field(name)  # an attribute name (`area_id`) finds its field too
            value = where[name] if name in where else change.get(name, 0)
            columns.append(qn(field.column))
            values.append(field.get_db_prep_save(value, connection))
        table = qn(meta.db_table)
        keys = ", ".join(columns[: len(self.keys)])
        sets = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in columns[len(self.keys) :])
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608
            f"ON CONFLICT ({keys}) DO UPDATE SET {sets}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, values)

    def rows(self, using: str = "default", **where) -> Cells:
        """The table's cells (narrowed by `where`), for comparing with a rebuild."""
        names = (*self.keys, *self.figures)
        found = self.model._default_manager.db_manager(using).filter(**where).values_list(*names)
        return {
            tuple(r[: len(self.keys)]): dict(zip(self.figures, r[len(self.keys) :], strict=True))
            for r in found
        }


def kept_and_rebuilt(specs, rebuild, using: str = "default") -> tuple[list[Cells], list[Cells]]:
    """The cells of these rollups as kept, and as `rebuild()` writes them from the rows (rolled back):
    equal whenever every writer kept them."""
    kept = [spec.rows(using) for spec in specs]
    with transaction.atomic(using=using):
        rebuild()
        rebuilt = [spec.rows(using) for spec in specs]
        transaction.set_rollback(True, using=using)
    return kept, rebuilt
