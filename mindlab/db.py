"""The database made fast to read again after a bulk load or a restore."""

from django.db import DEFAULT_DB_ALIAS, connections


def vacuum_after_bulk_load(using=DEFAULT_DB_ALIAS):
    """On PostgreSQL, outside any transaction: fresh planner statistics and visibility map after a bulk load
    or a restore. Until a vacuum sets the map, the author and tag pages' counts read the whole article table
    instead of the visibility index; autovacuum gets there within a minute or so, where it is on at all."""
    connection = connections[using]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
