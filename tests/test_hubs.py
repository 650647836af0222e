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


def test_hub_body_is_rendered_on_save_with_its_contents(make_hub):
    hub = make_hub(intro="An *intro*.", body="## What is drive?\n\nText.\n\n## Why it fades\n\nMore.")
    assert hub.intro_html == "<p>An <em>intro</em>.</p>"
    assert [entry["title"] for entry in hub.toc] == ["What is drive?", "Why it fades"]
