"""Queries whose SQL is compiled once per process: the one query of a hot page, run again with new values.

Building a queryset and compiling it to SQL costs Django about a millisecond of Python — more than half of
an uncached article page once its blocks are stored (docs/performance.md) — although the shape of the query
a page runs never changes, only its values (the slug, the time). A `CompiledQuery` builds its queryset once
with a placeholder for each value, keeps the SQL, and afterwards only puts the values in. It runs through
the connection's own cursor, so it is counted and logged like any query, and converts the columns as the
ORM does. The queryset itself stays the one definition: `published()` still decides what is public.
"""

import dataclasses
import datetime

from django.db import DEFAULT_DB_ALIAS, connections


class CompiledQuery:
    """`build(**values)` returns the queryset (of one model, without select_related or annotations);
    `placeholders` give each value's stand-in at compile time: a string or an aware datetime that the query
    holds nowhere else (one the query does not use is ignored: a hub's visibility takes no time).
    `get(**values)` returns the first instance, or None."""

    def __init__(self, build, **placeholders):
        for name, value in placeholders.items():
            if not isinstance(value, str | datetime.datetime):
                raise TypeError(f"placeholder {name!r}: a string or a datetime, not {type(value).__name__}")
        self.build, self.placeholders = build, placeholders
        self.compiled = {}

    def get(self, using=DEFAULT_DB_ALIAS, **values):
        connection = connections[using]
        compiled = self.compiled.get(using) or self.compile(using)
        params = [_adapt(connection, values[slot]) if slot else value for slot, value in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = list(row)
            for index, (converters, expression) in compiled.converters.items():
                for converter in converters:
                    row[index] = converter(row[index], expression, connection)
        return compiled.model.from_db(using, compiled.attnames, row)

    def compile(self, using):
        connection = connections[using]
        queryset = self.build(**self.placeholders)[:1]
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        if compiler.klass_info.get("related_klass_infos") or compiler.annotation_col_map:
            raise ValueError("CompiledQuery takes a plain query of one model (no select_related, no annotations)")
        stand_ins = {name: _adapt(connection, value) for name, value in self.placeholders.items()}
        slots = [next((name for name, stand_in in stand_ins.items() if param == stand_in), None) for param in params]
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        compiled = _Compiled(
            sql=sql,
            params=list(zip(slots, params, strict=True)),
            converters=compiler.get_converters(columns),
            model=queryset.model,
            attnames=[column.target.attname for column in columns],
        )
        self.compiled[using] = compiled
        return compiled


@dataclasses.dataclass(frozen=True)
class _Compiled:
    sql: str
    params: list  # (placeholder name or None, value) in the SQL's order
    converters: dict
    model: type
    attnames: list


def _adapt(connection, value):
    """A value as the ORM passes it to the database driver (SQLite takes datetimes as text)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
