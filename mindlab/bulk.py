"""Bulk writes: a few columns of many rows at once, without the Python cost of `bulk_update()`; and the
database made fast to read again after a bulk load.

`bulk_update()` sends one `CASE WHEN pk = … THEN …` expression per column per batch, and Django builds and
resolves a `When` object for every row and column first. For the 2,000 pages a bulk change renders again
(an author's rename), that took 6 s of Python, more than the database's own work (docs/performance.md).
Here the same rows go out as one parametrised UPDATE by primary key, sent with `executemany()`; values
are prepared for the database by their fields, as `save()` prepares them. Like `bulk_update()`, it sends
no signals.
"""

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction


def update_columns(objects, fields):
    """Store the named fields of each object (all of one model, with primary keys); returns how many."""
    objects = list(objects)
    if not objects:
        return 0
    model = objects[0]._meta.concrete_model
    meta, using = model._meta, router.db_for_write(model)
    connection = connections[using]
    columns = [meta.get_field(name) for name in fields]
    if any(not field.concrete or field.primary_key or field.many_to_many for field in columns):
        raise ValueError("update_columns() writes concrete columns other than the primary key")
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        + [meta.pk.get_db_prep_save(obj.pk, connection)]
        for obj in objects
    ]
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def vacuum_after_bulk_load(using=DEFAULT_DB_ALIAS):
    """On PostgreSQL, outside any transaction: fresh planner statistics and visibility map after a bulk load
    or a restore. Until a vacuum sets the map, the author and tag pages' counts read the whole article table
    instead of the visibility index; autovacuum gets there within a minute or so, where it is on at all."""
    connection = connections[using]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
