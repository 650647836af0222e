"""Full-text search: ranked, title matches first, each result with a snippet whose matches are marked.

Both databases search the texts a page's `search_texts()` gives, by weight: "A" the title, "B" the summary,
takeaways (and an article's tags), "C" the body. PostgreSQL keeps them in the row's weighted `search_vector`
(GIN index); SQLite in an FTS5 table named after the model's table (`articles_article_fts`), one column per
weight, the row's pk as its rowid, created and filled by a migration (`CreateSearchIndex`). Both are written
from the page's save (`write_vector()`) and, after `bulk_create()`, by `index_rows()`.
"""

import re
from collections import defaultdict
from functools import reduce
from itertools import islice
from operator import add, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.migrations.operations.base import Operation
from django.db.models import BooleanField, F, Func, TextField, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
MIN_QUERY_LENGTH = 2
TITLE_ONLY = [0.0, 0.0, 0.0, 1.0]  # PostgreSQL's rank weights, in its order D, C, B, A
# Stemmed English words, accents ignored: close to what PostgreSQL's "english" configuration matches.
TOKENIZER = "porter unicode61 remove_diacritics 2"
BATCH = 500
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
    """Store what one row is searched by; `weighted` maps "A"/"B"/"C" to text."""
    if not is_postgres(queryset):
        connection = connections[queryset.db]
        if _has_index(connection, queryset.model):
            write_rows(connection, queryset.model, [(pk, weighted)])
        return
    vector = reduce(add, [
        SearchVector(Value(text, output_field=TextField()), weight=weight, config="english")
        for weight, text in weighted.items()
    ])
    queryset.filter(pk=pk).update(search_vector=vector)


def index_rows(queryset):
    """Index every row of `queryset` at once, for rows `bulk_create()` added without a save.

    Reads each row's `search_texts()`, so prefetch what that reads (an article's tags). SQLite's index is
    written in batches; PostgreSQL's vectors a row at a time, as a save writes them.
    """
    rows = ((row.pk, row.search_texts()) for row in queryset.iterator(chunk_size=BATCH))
    if is_postgres(queryset):
        for pk, texts in rows:
            write_vector(queryset.model._default_manager.using(queryset.db), pk, texts)
    else:
        write_rows(connections[queryset.db], queryset.model, rows)


def write_rows(connection, model, rows):
    """Write (pk, {"A": …, "B": …, "C": …}) rows into `model`'s FTS5 table: one executemany per BATCH rows."""
    sql = f"INSERT OR REPLACE INTO {_table(connection, model)} (rowid, A, B, C) VALUES (%s, %s, %s, %s)"
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := [(pk, *(texts.get(weight) or "" for weight in "ABC")) for pk, texts in islice(rows, BATCH)]:
            cursor.executemany(sql, batch)


def forget(sender, instance, using, **kwargs):
    """post_delete: drop a deleted page's row from SQLite's index (search only shows live rows anyway)."""
    connection = connections[using]
    if connection.vendor == "sqlite" and _has_index(connection, sender):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_table(connection, sender)} WHERE rowid = %s", [instance.pk])


def index_table(model):
    return f"{model._meta.db_table}_fts"


def _table(connection, model):
    return connection.ops.quote_name(index_table(model))


def _has_index(connection, model):
    # Migrations before the one that creates the index save pages too (articles 0003).
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [index_table(model)])
        return cursor.fetchone() is not None


def search(queryset, query):
    """`queryset` matching every word of `query`, best first.

    Best first means rows with a query word in the title first. PostgreSQL orders those by the rank of the
    title alone, then everything by the rank of all the weighted text. SQLite puts rows with a query word in
    the summary, takeaways or tags next, then body-only matches, newest first within each group: bm25() for
    every match costs more than the rest of the page once a word is in most articles (docs/performance.md).
    Both databases search what the model's `search_texts()` stored (title; summary, takeaways and tags;
    body), so nothing here names fields.
    """
    words = terms(query)
    if not words:
        return queryset.none()
    if is_postgres(queryset):
        search_query = SearchQuery(query, search_type="websearch", config="english")
        any_word = reduce(or_, [SearchQuery(word, config="english") for word in words])
        return (
            queryset.filter(search_vector=search_query)
            .annotate(
                title_rank=SearchRank(F("search_vector"), any_word, weights=TITLE_ONLY),
                rank=SearchRank(F("search_vector"), search_query),
            )
            .order_by("-title_rank", "-rank", "-pk")
        )
    table = _table(connections[queryset.db], queryset.model)
    quoted = [f'"{word}"' for word in words]  # FTS5 strings, so no word is an operator (\w holds no quote)
    any_word = " OR ".join(quoted)
    return (
        queryset.filter(_Indexed(table, " ".join(quoted)))
        .order_by(_Indexed(table, f"{{A}} : ({any_word})").desc(), _Indexed(table, f"{{B}} : ({any_word})").desc(),
                  "-pk")
    )


class _Indexed(Func):
    """SQLite: is the row among those of FTS5 table `table` that match `match`?

    A membership test, which SQLite answers from one run of the subquery per query; a bm25() rank per row
    needs a subquery that depends on the row, run again for every matching row.
    """

    output_field = BooleanField()

    def __init__(self, table, match):
        super().__init__(F("pk"))
        self.table, self.match = table, match

    def as_sql(self, compiler, connection, **extra_context):
        pk, params = compiler.compile(self.get_source_expressions()[0])
        return f"{pk} IN (SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s)", [*params, self.match]


def snippet(text, query, length=220):
    """Escaped HTML: a passage of `text` around the first match, the query's words in <mark>.

    Cut here from the result's own text, for the page of results only: PostgreSQL's `ts_headline` over ten
    long bodies cost 15 ms a page, and cutting in SQL ran for every match before the sort.
    """
    text, found = text or "", terms(query)
    # Whole words that begin with a query word, as the stemmed index finds "stress" in "stressed".
    words = re.compile(r"(?<!\w)(?:{})\w*".format("|".join(map(re.escape, found))), re.IGNORECASE) if found else None
    if text:
        first = words.search(text) if words else None
        start = max(0, (first.start() if first else 0) - length // 3)
        start = text.find(" ", start) + 1 if start else 0  # begin and end on whole words
        end = text.rfind(" ", start, start + length) if start + length < len(text) else len(text)
        end = end if end > start else start + length
        text = ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
        if words:
            text = words.sub(lambda match: f"{_START}{match.group()}{_STOP}", text)
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)


class CreateSearchIndex(Operation):
    """Migration operation: SQLite's FTS5 table for `model_name`, filled with the rows already there.

    `weighted_fields` maps "A"/"B"/"C" to the field paths the model's `search_texts()` reads ("tags__name"
    gives every tag), since a migration cannot call the model's methods. Does nothing on PostgreSQL, where
    the stored `search_vector` does this job.
    """

    reduces_to_sql = False

    def __init__(self, model_name, weighted_fields):
        self.model_name, self.weighted_fields = model_name, weighted_fields

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.execute(f"CREATE VIRTUAL TABLE {_table(connection, model)} USING fts5(A, B, C, "
                              f"tokenize = '{TOKENIZER}')")
        self.fill(model, connection.alias)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.execute(f"DROP TABLE IF EXISTS {_table(schema_editor.connection, model)}")

    def fill(self, model, using):
        """Index every row of `model` (a migration's historical model) from the named fields."""
        rows = model._default_manager.using(using)
        paths = [path for fields in self.weighted_fields.values() for path in fields]
        related = {path: defaultdict(list) for path in paths if "__" in path}
        for path, values in related.items():
            for pk, value in rows.filter(**{f"{path}__isnull": False}).values_list("pk", path):
                values[pk].append(value)
        plain = [path for path in paths if path not in related]

        def texts(row):
            return {
                weight: " ".join(filter(None, (
                    text for path in fields
                    for text in (related[path][row["pk"]] if path in related else [row[path]])
                )))
                for weight, fields in self.weighted_fields.items()
            }

        write_rows(connections[using], model, ((row["pk"], texts(row)) for row in
                                                rows.values("pk", *plain).iterator(chunk_size=BATCH)))

    def describe(self):
        return f"Create SQLite's full-text index of {self.model_name} (nothing on PostgreSQL)"
