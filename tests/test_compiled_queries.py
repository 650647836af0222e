"""The public page's one query, compiled once per process (mindlab/compiled.py): the same answers as the ORM."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from hubs.models import Hub
from mindlab.compiled import CompiledQuery


def test_published_page_finds_each_article_by_its_own_slug(make_article):
    first, second = make_article(), make_article()
    assert Article.objects.published_page(first.slug).pk == first.pk
    assert Article.objects.published_page(second.slug).pk == second.pk
    assert Article.objects.published_page("no-such-article") is None


def test_published_page_reads_the_columns_as_the_orm_does(make_article):
    article = make_article(expire_at=timezone.now() + timedelta(days=3))
    page = Article.objects.published_page(article.slug)
    expected = Article.objects.published().for_page().get(pk=article.pk)
    for field in ("page_html", "head_html", "structured_data", "shows_crisis_notice", "publish_at", "expire_at",
                  "related_from", "related_until", "related_html"):
        assert getattr(page, field) == getattr(expected, field), field
    assert page.expire_at.tzinfo is not None and page.shows_crisis_notice in (True, False)
    assert page.is_published


@pytest.mark.parametrize("overrides", [
    {"status": Article.Status.DRAFT},
    {"publish_at": timezone.now() + timedelta(days=1)},
    {"expire_at": timezone.now() - timedelta(minutes=1)},
], ids=["draft", "scheduled", "expired"])
def test_published_page_is_none_for_what_published_hides(make_article, overrides):
    article = make_article(**overrides)
    assert Article.objects.published_page(article.slug) is None


def test_scheduled_article_page_appears_at_its_time(make_article, at_time):
    moment = timezone.now() + timedelta(days=2)
    article = make_article(publish_at=moment)
    assert Article.objects.published_page(article.slug) is None  # compiled now, before its time
    with at_time(moment + timedelta(seconds=1)):
        assert Article.objects.published_page(article.slug).pk == article.pk


def test_published_page_of_a_hub_follows_its_published_flag(make_hub):
    public, hidden = make_hub(), make_hub(is_published=False)
    assert Hub.objects.published_page(public.slug).pk == public.pk
    assert Hub.objects.published_page(hidden.slug) is None


def test_published_page_is_one_counted_query(make_article, django_assert_num_queries):
    article = make_article()
    Article.objects.published_page(article.slug)
    with django_assert_num_queries(1):
        assert Article.objects.published_page(article.slug).pk == article.pk


def test_compiled_query_refuses_what_it_cannot_map_back_to_one_model(make_article):
    make_article()
    with pytest.raises(TypeError, match="a string or a datetime"):
        CompiledQuery(lambda pk: Article.objects.filter(pk=pk), pk=1)
    joined = CompiledQuery(lambda slug: Article.objects.select_related("author").filter(slug=slug), slug="\x1fs\x1f")
    with pytest.raises(ValueError, match="one model"):
        joined.get(slug="article")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_postgresql_prepares_the_page_query_once_it_repeats(make_article):
    article = make_article()
    for _ in range(6):
        Article.objects.published_page(article.slug)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('FROM "articles_article"' in statement and '"slug" = $' in statement for statement in statements)
