"""Inserting many rows of a model at once, for imports that write a hundred thousand records.

Django's `bulk_create` builds a model instance per row and prepares every value of every field through
the field API, which costs far more than the database does at that scale. `insert` takes plain
dicts (attribute name -> value), fills what a save would fill (defaults, `auto_now` timestamps),
prepares only the values whose type needs it (dates, decimals, JSON) and hands the rows to the
driver's `executemany` (on PostgreSQL, to one COPY). On PostgreSQL a caller takes the new primary keys
from the table's sequence first (`new_ids`) and writes them with the rows (`pk=True`); elsewhere it reads
them back by a natural key.
No signals are sent, as with `bulk_create`; callers write the history themselves (`audit.bulk`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.utils import timezone

# Field types whose Python values the driver cannot take as they are on every backend.
_PREPARED = (
    models.DateField,  # and DateTimeField: time zones and, on SQLite, text
    models.TimeField,
    models.DecimalField,
    models.JSONField,
    models.UUIDField,
    models.GenericIPAddressField,
    models.DurationField,
)


def _column_plan(
    model, using: str, pk: bool = False
) -> list[tuple[models.Field, Callable[[Any], Any] | None]]:
    connection = connections[using]
    plan = []
    for field in model._meta.concrete_fields:
        if not pk and isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField):
            continue
        prepare = None
        if isinstance(field, _PREPARED):

            def prepare(value, field=field, connection=connection):
                return field.get_db_prep_save(value, connection)

        plan.append((field, prepare))
    return plan


_MISSING = object()


def _plain(value):
    return str(value) if isinstance(value, str) and type(value) is not str else value


def insert(
    model,
    rows: Iterable[dict[str, Any]],
    *,
    same: dict[str, Any] | None = None,
    ready: set[str] = frozenset(),
    using: str = "default",
    batch_size: int = 2000,
    pk: bool = False,
) -> int:
    """Insert `rows` (dicts keyed by attribute name, e.g. `area_id`); returns how many were written.

    `same` holds values common to every row (the author, a content type). A field that neither gives
    takes its default, evaluated once for the call: every row of one insert shares its timestamps.
    `ready` names fields whose values are already in the database's form (JSON already encoded).
    `pk`: the rows carry their primary key (from `new_ids`).
    """
    connection = connections[using]
    plan = _column_plan(model, using, pk)
    now = timezone.now()
    same = same or {}
    columns = []
    for field, prepare in plan:
        if field.attname in ready:
            prepare = None
        if field.attname in same:
            constant = same[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constant = now
        else:
            constant = field.get_default()
        constant = prepare(constant) if prepare is not None else _plain(constant)
        given = field.attname not in same
        columns.append((field.attname, prepare, constant, given))
    names = ", ".join(connection.ops.quote_name(field.column) for field, _p in plan)
    placeholders = ", ".join(["%s"] * len(plan))
    table = connection.ops.quote_name(model._meta.db_table)
    # Table and column names come from the model, quoted; the values go as parameters.
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608

    def values(row: dict[str, Any]) -> tuple:
        out = []
        for name, prepare, constant, given in columns:
            value = row.get(name, _MISSING) if given else _MISSING
            if value is _MISSING:
                out.append(constant)
            elif prepare is not None:
                out.append(prepare(value))
            else:
                out.append(_plain(value))  # a choice member: the driver wants the plain text
        return tuple(out)

    written = 0
    if connection.vendor == "postgresql":
        # COPY streams the rows in one statement, several times faster than batched INSERTs.
        copy_sql = f"COPY {table} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(values(row))
                written += 1
        return written
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(values(row))
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def new_ids(model, count: int, using: str = "default") -> list[int] | None:
    """`count` new primary keys drawn from the table's sequence (PostgreSQL), in increasing order, for
    rows inserted with `pk=True`: the caller knows each new record's key without reading it back. None on
    other databases (there, insert without keys and read them back by a natural key)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or count <= 0:
        return None if connection.vendor != "postgresql" else []
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
            [meta.db_table, meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def among(values, cast: str = "text", using: str = "default"):
    """The right-hand side of an `__in` lookup on many values (a chunk of an import's codes).

    On PostgreSQL the values go as one array, `IN (SELECT unnest(...))`: one parameter instead of
    thousands, and a plan that probes the index for each value, where a literal list of 2,000 values
    makes the planner scan the whole table (it would read 100,000 rows to find 2,000). Elsewhere, the
    list itself. `cast`: the SQL type of the values ("text", "bigint")."""
    values = list(values)
    if connections[using].vendor != "postgresql":
        return values
    if cast not in ("text", "bigint", "integer"):
        raise ValueError(cast)
    return RawSQL(f"SELECT unnest(%s::{cast}[])", [values])  # noqa: S611 (cast is one of three names)
