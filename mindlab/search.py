"""Full-text search: PostgreSQL's ranked, weighted search where it is there; a plain match on SQLite.

Both give the same page: results ranked best first, each with a snippet whose matches are marked.
"""

import re
from functools import reduce
from operator import add, or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
MIN_QUERY_LENGTH = 2
WEIGHTS = {"A": 8, "B": 4, "C": 1}  # for SQLite's rough ranking, in the spirit of PostgreSQL's defaults
_START, _STOP = "\x02", "\x03"  # markers no stored text contains, swapped for <mark> after escaping


def is_postgres(queryset_or_alias="default"):
    alias = getattr(queryset_or_alias, "db", queryset_or_alias)
    return connections[alias].vendor == "postgresql"


def clean_query(raw):
    """The query as searched: one line, trimmed, at most MAX_QUERY_LENGTH characters."""
    return " ".join((raw or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def terms(query):
    return re.findall(r"\w{2,}", query.lower())[:10]


def write_vector(queryset, pk, weighted):
    """Store the weighted search vector of one row; `weighted` maps "A"/"B"/"C" to text. PostgreSQL only."""
    if not is_postgres(queryset):
        return
    vector = reduce(add, [
        SearchVector(Value(text, output_field=TextField()), weight=weight, config="english")
        for weight, text in weighted.items()
    ])
    queryset.filter(pk=pk).update(search_vector=vector)


def search(queryset, query, weighted_fields, snippet_field):
    """`queryset` matching `query`, best first, annotated with `rank` and `snippet_source`.

    weighted_fields maps "A"/"B"/"C" to the field names searched with that weight (used on SQLite;
    PostgreSQL reads the stored vector).
    """
    if is_postgres(queryset):
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            queryset.filter(search_vector=search_query)
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                snippet_source=SearchHeadline(
                    snippet_field, search_query, config="english", start_sel=_START, stop_sel=_STOP,
                    max_words=30, min_words=12, max_fragments=1,
                ),
            )
            .order_by("-rank", "-pk")
        )
    words = terms(query)
    if not words:
        return queryset.none()
    fields = [(weight, field) for weight, names in weighted_fields.items() for field in names]
    every_word_somewhere = [reduce(or_, [Q(**{f"{field}__icontains": word}) for _, field in fields]) for word in words]
    rank = reduce(add, [
        Case(When(**{f"{field}__icontains": word}, then=Value(WEIGHTS[weight])), default=Value(0),
             output_field=IntegerField())
        for word in words
        for weight, field in fields
    ])
    return (
        queryset.filter(*every_word_somewhere)
        .annotate(rank=rank, snippet_source=F(snippet_field))
        .order_by("-rank", "-pk")
    )


def snippet(result, query, length=220):
    """Escaped HTML: a passage around the first match, the query's words in <mark>."""
    text = result.snippet_source or ""
    if _START not in text:  # SQLite: cut a window around the first match ourselves
        lower, words = text.lower(), terms(query)
        first = min((lower.find(word) for word in words if word in lower), default=0)
        start = max(0, first - length // 3)
        start = text.find(" ", start) + 1 if start else 0  # begin and end on whole words
        end = text.rfind(" ", start, start + length) if start + length < len(text) else len(text)
        end = end if end > start else start + length
        text = ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
        for word in words:
            text = re.sub(f"({re.escape(word)})", f"{_START}\\1{_STOP}", text, flags=re.IGNORECASE)
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)
