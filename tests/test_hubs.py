from datetime import timedelta

from django.utils import timezone

from articles.models import Article
from hubs.models import Hub


def test_unpublished_hub_is_not_published(make_hub):
    make_hub(is_published=False)
    assert not Hub.objects.published().exists()


def test_hub_shows_only_published_articles(make_hub, make_article):
    hub = make_hub()
    published = make_article(primary_hub=hub)
    make_article(primary_hub=hub, status=Article.Status.DRAFT)
    make_article(primary_hub=hub, publish_at=timezone.now() + timedelta(days=1))
    assert list(hub.articles) == [published]


def test_article_count_counts_published_articles_of_the_hub(make_hub, make_article):
    hub, other = make_hub(), make_hub()
    make_article(primary_hub=hub)
    make_article(primary_hub=hub, status=Article.Status.DRAFT)
    make_article(primary_hub=hub, publish_at=timezone.now() + timedelta(days=1))
    make_article(primary_hub=other).hubs.add(hub, other)
    hubs = Hub.objects.filter(pk__in=[hub.pk, other.pk]).with_article_counts()
    counts = dict(hubs.values_list("slug", "article_count"))
    assert counts == {hub.slug: 2, other.slug: 1}


def test_hub_cards_count_their_published_articles_in_one_query(make_hub, make_article, django_assert_num_queries):
    hub, other, empty = make_hub(), make_hub(), make_hub()
    make_article(primary_hub=hub)
    make_article(primary_hub=hub, status=Article.Status.DRAFT)
    make_article(primary_hub=hub, expire_at=timezone.now() - timedelta(minutes=1))
    make_article(primary_hub=other).hubs.add(hub, other)
    with django_assert_num_queries(1):
        cards = {card.slug: card.article_count for card in Hub.objects.filter(pk__in=[hub.pk, other.pk, empty.pk])
                 .for_cards()}
    assert cards == {hub.slug: 2, other.slug: 1, empty.slug: 0}


def test_hub_card_counts_a_scheduled_article_from_its_time(make_hub, make_article, at_time):
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=3)
    hub = make_hub()
    make_article(primary_hub=hub)
    make_article(primary_hub=hub, publish_at=moment)
    with at_time(moment - timedelta(seconds=1)):
        assert [card.article_count for card in Hub.objects.filter(pk=hub.pk).for_cards()] == [1]
    with at_time(moment + timedelta(seconds=1)):
        assert [card.article_count for card in Hub.objects.filter(pk=hub.pk).for_cards()] == [2]


def test_hub_body_is_rendered_on_save_with_its_contents(make_hub):
    hub = make_hub(intro="An *intro*.", body="## What is drive?\n\nText.\n\n## Why it fades\n\nMore.")
    assert hub.intro_html == "<p>An <em>intro</em>.</p>"
    assert [entry["title"] for entry in hub.toc] == ["What is drive?", "Why it fades"]
