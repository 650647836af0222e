"""Full-text search on either database: what is found, in what order, and that the index keeps up with edits.

On SQLite the index is an FTS5 table per model (mindlab/search.py); on PostgreSQL the stored weighted vector.
"""

from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from hubs.models import Hub
from mindlab import search

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")


def found(query):
    return list(Article.objects.search(query))


def page(client, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return response


def test_title_match_ranks_above_articles_that_match_better_elsewhere(make_article):
    title_match = make_article(title="Ketamine, Briefly",
                               body="Opening.\n\n" + "Filler sentence. " * 100 + "Depression comes up last.")
    make_article(title="Rapid Antidepressants", excerpt="Ketamine for depression: ketamine, depression.",
                 key_takeaways="Ketamine eases depression within hours.", body="Ketamine and depression. " * 30,
                 tags=["ketamine", "depression"])
    assert found("ketamine depression")[0] == title_match


def test_tagged_or_summarised_match_ranks_above_a_body_only_mention(make_article):
    tagged = make_article(title="Glutamate basics", excerpt="About glutamate.", tags=["ketamine"])
    mention = make_article(title="Other drugs", excerpt="About other drugs.",
                           body="Opening paragraph.\n\nLater on, ketamine is mentioned once.")
    assert found("ketamine") == [tagged, mention]


def test_every_word_must_match_somewhere(make_article):
    both = make_article(title="Sleep pressure", body="Adenosine builds up while awake.")
    make_article(title="Sleep hygiene", body="Dim the lights.")
    assert found("sleep adenosine") == [both]


def test_stemmed_words_match(make_article):
    article = make_article(title="Routine matters", body="Stressed people sleep less.")
    assert found("routines") == [article]
    assert found("stress") == [article]


def test_snippet_shows_and_marks_a_match_deep_in_a_long_body(client, make_article):
    make_article(title="A long read", body=("Filler sentence about nothing much. " * 200)
                 + "Here the stressed amygdala fires. " + "More filler follows. " * 50)
    response = page(client, "amygdala stress")
    (_, snippet), = response.context["results"]
    assert "<mark>amygdala</mark>" in snippet and "<mark>stressed</mark>" in snippet
    assert len(snippet) < 400  # a passage around the match, not the 7,000 characters before it


def test_snippet_of_a_result_found_by_its_title_shows_the_opening(client, make_article):
    make_article(title="Melatonin", body="Light and rhythm, plainly.")
    (_, snippet), = page(client, "melatonin").context["results"]
    assert str(snippet) == "Light and rhythm, plainly."


def test_edited_title_body_and_tags_are_found_by_their_new_words_only(make_article):
    article = make_article(title="Old heading", body="Old wording.", tags=["oldtag"])
    article.title, article.body = "Fresh heading", "Fresh wording."
    article.save()
    article.tags.set(["newtag"])
    for word in ["fresh", "wording", "newtag"]:
        assert found(word) == [article], word
    for word in ["old", "oldtag"]:
        assert found(word) == [], word


def test_edited_hub_is_found_by_its_new_title(make_hub):
    hub = make_hub(title="Attention", tagline="Focus.")
    hub.title = "Concentration"
    hub.save()
    assert list(Hub.objects.search("concentration")) == [hub]
    assert list(Hub.objects.search("attention")) == []


def test_deleted_article_is_not_found(make_article):
    kept = make_article(title="Serotonin, one")
    make_article(title="Serotonin, two").delete()
    assert found("serotonin") == [kept]


@sqlite_only
def test_deleting_an_article_removes_its_index_row(make_article):
    article = make_article(title="Serotonin")
    pk = article.pk
    Article.objects.filter(pk=pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_article_fts WHERE rowid = %s", [pk])
        assert cursor.fetchone() == (0,)


def test_drafts_scheduled_and_unpublished_hubs_are_not_found(client, make_article, make_hub):
    live = make_article(title="Oxytocin live")
    make_article(title="Oxytocin draft", status=Article.Status.DRAFT, publish_at=None)
    make_article(title="Oxytocin later", publish_at=timezone.now() + timedelta(days=1))
    make_hub(title="Oxytocin hub", is_published=False)
    response = page(client, "oxytocin")
    assert [article for article, _ in response.context["results"]] == [live]
    assert response.context["page"].paginator.count == 1
    assert response.context["hubs"] == []


def test_articles_added_in_bulk_are_found_after_index_rows(make_hub, make_author, django_assert_num_queries):
    hub, author = make_hub(), make_author()
    Article.objects.bulk_create([
        Article(title=f"Bulk note {n}", slug=f"bulk-{n}", body_text=f"Bulk body mentions vasopressin {n}.",
                status=Article.Status.PUBLISHED, publish_at=timezone.now(), primary_hub=hub, author=author)
        for n in range(30)
    ])
    added = Article.objects.filter(slug__startswith="bulk-")
    # SQLite: one read of the rows, one of their tags, one write. PostgreSQL writes each vector as a save does.
    with django_assert_num_queries(3 if connection.vendor == "sqlite" else 2 + 30):
        search.index_rows(added.prefetch_related("tags"))
    assert {article.slug for article in found("vasopressin")} == {f"bulk-{n}" for n in range(30)}


@sqlite_only
def test_migration_indexes_the_articles_and_hubs_saved_before_it(make_article, make_hub):
    article = make_article(title="Ketamine notes", body="On glutamate.", tags=["neurochemistry"])
    hub = make_hub(title="Neurochemistry", tagline="Messengers of the brain.")
    with connection.cursor() as cursor:  # the index as the migration creates it, before it is filled
        cursor.execute("DELETE FROM articles_article_fts")
        cursor.execute("DELETE FROM hubs_hub_fts")
    assert found("ketamine") == []
    loader = MigrationLoader(connection)
    for app, name in [("articles", "0010_search_index_sqlite"), ("hubs", "0007_search_index_sqlite")]:
        operation, = import_module(f"{app}.migrations.{name}").Migration.operations
        historical = loader.project_state((app, name)).apps.get_model(app, operation.model_name)
        operation.fill(historical, connection.alias)
    for word in ["ketamine", "glutamate", "neurochemistry"]:
        assert found(word) == [article], word
    assert list(Hub.objects.search("messengers")) == [hub]


@sqlite_only
def test_saving_before_the_index_exists_leaves_it_to_the_migration(make_article):
    with connection.cursor() as cursor:  # as in a database migrated to before the index (articles 0003 saves)
        cursor.execute("DROP TABLE articles_article_fts")
    article = make_article(title="Saved early")
    assert Article.objects.filter(pk=article.pk).exists()


def test_index_tables_are_sqlites_only(db):
    tables = connection.introspection.table_names()
    expected = connection.vendor == "sqlite"
    assert ("articles_article_fts" in tables, "hubs_hub_fts" in tables) == (expected, expected)


@pytest.mark.parametrize("query", [
    "AND", "OR", "NOT", "NEAR", "NOT melatonin", "NEAR(melatonin light)", "melatonin AND", "OR melatonin OR",
    "{A} : melatonin", "A:melatonin", "title:melatonin", "melatonin*", "*", "^melatonin", "\"melatonin",
    "'melatonin'", "(melatonin", "melatonin)", "+", "-", "_", "__init__", "a_b", "\"\" \"\"", ":", "{", "}",
    "melatonin " * 50, "x" * 500, ("word " * 100).strip(),
], ids=lambda query: repr(query[:20]))
def test_full_text_syntax_in_queries_gives_a_normal_page(client, make_article, query):
    make_article(title="Melatonin", body="Light in the evening delays melatonin.")
    response = page(client, query)
    assert "Search the library" in response.text


@pytest.mark.parametrize("query", ["melatonin*", "\"melatonin", "{A} : melatonin", "(melatonin)", "^melatonin"])
def test_operators_are_searched_as_plain_words(client, make_article, query):
    article = make_article(title="Melatonin", body="Light in the evening delays melatonin.")
    assert [result for result, _ in page(client, query).context["results"]] == [article]


def test_a_renamed_or_deleted_tag_is_searched_no_more(make_article):
    article = make_article(title="Notes", tags=["circadian"])
    assert article in found("circadian")
    tag = article.tags.get()
    tag.name = "chronobiology"
    tag.save()
    assert article in found("chronobiology") and article not in found("circadian")
    tag.delete()
    assert article not in found("chronobiology")
