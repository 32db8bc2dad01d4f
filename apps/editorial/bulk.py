"""Set-based writes for many rows at once (imports, review batches).

Rows are plain tuples in a given column order, never model instances: on
PostgreSQL they go in by ``COPY`` (psycopg), elsewhere (SQLite in
development and tests) by one ``executemany`` INSERT per chunk, with each
value prepared by its field exactly as ``bulk_create`` would prepare it.

On PostgreSQL the values are handed to psycopg as they are (str, int,
bool, date, aware datetime, Decimal, None): its adapters write them, which
is what Django's field preparation amounts to for these types. JSON
columns are dumped here with the field's encoder; a field of another type
is prepared by the field itself. No signals are sent, no ``save()`` runs:
callers compute ``auto_now`` values, defaults and derived fields themselves.
A unique or check violation raises ``IntegrityError`` as usual.
"""

from __future__ import annotations

import json
from typing import Iterable, Sequence

from django.db import connections, models, router
from django.db.models.expressions import RawSQL

# Types whose Python values psycopg writes as Django would prepare them.
_AS_IS = (
    models.CharField, models.TextField, models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
    models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField,
    models.BooleanField, models.DateField, models.DateTimeField, models.DecimalField, models.FloatField,
    models.AutoField, models.BigAutoField, models.ForeignKey,
)


def connection_for(model):
    return connections[router.db_for_write(model)]


def is_postgresql(model) -> bool:
    return connection_for(model).vendor == "postgresql"


def any_of(model, values: list, sql_type: str):
    """The right-hand side of an ``__in`` filter: on PostgreSQL one array parameter
    (``unnest``), which Django neither prepares value by value nor spells out as
    thousands of placeholders; elsewhere the list itself."""
    if is_postgresql(model):
        return RawSQL(f"SELECT unnest(%s::{sql_type}[])", (list(values),))
    return values


def allocate_ids(model, count: int) -> list[int]:
    """``count`` fresh primary keys, so rows can name each other before they are written.

    PostgreSQL: from the table's sequence. SQLite (development and tests): the
    keys after the highest one used so far (``sqlite_sequence`` remembers
    deleted ones); SQLite has one writer at a time, and a key taken meanwhile
    would be an IntegrityError, never a silent overwrite.
    """
    if count <= 0:
        return []
    connection = connection_for(model)
    opts = model._meta
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quote(opts.pk.column)}) FROM {quote(opts.db_table)}")
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [opts.db_table])
            found = cursor.fetchone()
            highest = max(highest, found[0] if found else 0)
            return list(range(highest + 1, highest + 1 + count))
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, count],
        )
        return [key for (key,) in cursor.fetchall()]


def _preparer(field, connection, copy: bool):
    """A function preparing one value of ``field`` for the database, or None (as is)."""
    if not copy:
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def dump(value):
            return None if value is None else json.dumps(value, cls=encoder, ensure_ascii=False)

        return dump
    if isinstance(field, _AS_IS):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(model, attnames: Sequence[str], rows: Iterable[Sequence], *, copy: bool = True) -> int:
    """Insert ``rows`` (tuples of values in ``attnames`` order). Returns the count.

    ``copy=False`` (or not PostgreSQL): INSERT statements, every value prepared
    by its field's ``get_db_prep_save`` as ``bulk_create`` does.
    """
    connection = connection_for(model)
    copy = copy and connection.vendor == "postgresql"
    opts = model._meta
    fields = [next(f for f in opts.concrete_fields if f.attname == attname) for attname in attnames]
    preparers = [(index, prep) for index, f in enumerate(fields) if (prep := _preparer(f, connection, copy)) is not None]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(opts.db_table)
    count = 0

    def prepared(row):
        if not preparers:
            return row
        row = list(row)
        for index, prep in preparers:
            row[index] = prep(row[index])
        return row

    with connection.cursor() as cursor, connection.wrap_database_errors:
        if copy:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as writer:
                for row in rows:
                    writer.write_row(prepared(row))
                    count += 1
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            batch = []
            for row in rows:
                batch.append(prepared(row))
                if len(batch) >= 500:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count
