"""Stand-in for the word-level diff of issue 15 (its own branch replaces this file): the fields that differ
between two versions of a page, each with its old and new text."""

from django.utils.html import format_html

SKIPPED = {"id", "slug", "created", "updated", "search_vector", "draft_of"}


def field_changes(old, new, fields=None):
    """[(label, html)] for each editable field whose value differs between two instances of one model."""
    names = fields or [field.name for field in new._meta.concrete_fields
                       if field.editable and field.name not in SKIPPED]
    rows = []
    for name in names:
        field = new._meta.get_field(name)
        before, after = field.value_from_object(old), field.value_from_object(new)
        if before != after:
            rows.append((field.verbose_name, format_html("<del>{}</del><br><ins>{}</ins>", before or "", after or "")))
    return rows
