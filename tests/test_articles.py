from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article


def test_published_article_in_the_past_is_published(make_article):
    article = make_article(publish_at=timezone.now() - timedelta(seconds=1))
    assert list(Article.objects.published()) == [article]
    assert article.is_published


def test_draft_article_is_not_published(make_article):
    make_article(status=Article.Status.DRAFT, publish_at=timezone.now() - timedelta(days=1))
    assert not Article.objects.published().exists()


def test_article_in_review_is_not_published(make_article):
    make_article(status=Article.Status.IN_REVIEW, publish_at=timezone.now() - timedelta(days=1))
    assert not Article.objects.published().exists()


def test_scheduled_article_is_invisible_until_its_publish_time(make_article):
    article = make_article(publish_at=timezone.now() + timedelta(minutes=5))
    assert not Article.objects.published().exists()
    assert not article.is_published
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now())
    assert list(Article.objects.published()) == [article]


def test_publishing_without_a_date_publishes_now(make_article):
    before = timezone.now()
    article = make_article(publish_at=None)
    assert before <= article.publish_at <= timezone.now()
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_database_refuses_published_article_without_date(make_article):
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)


def test_derived_fields_are_stored_on_save(make_article):
    body = "First paragraph " + "word " * 500 + "\n\n## Why does sleep matter?\n\n<script>x()</script>Text."
    article = make_article(body=body, excerpt="")
    article.refresh_from_db()
    assert '<h2 id="why-does-sleep-matter">' in article.body_html
    assert "<script" not in article.body_html
    assert article.toc == [{"id": "why-does-sleep-matter", "title": "Why does sleep matter?", "children": []}]
    assert article.word_count == 2 + 500 + 4 + 1
    assert article.reading_minutes == 3
    assert article.summary.startswith("First paragraph word word")
    assert article.summary.endswith("…")


def test_summary_uses_the_editors_excerpt_when_given(make_article):
    article = make_article(excerpt="  A hand-written   excerpt. ")
    assert article.summary == "A hand-written excerpt."


def test_derived_fields_follow_body_edits(make_article):
    article = make_article(body="Old opening.", excerpt="")
    article.body = "New opening.\n\n## New section"
    article.save()
    article.refresh_from_db()
    assert article.summary == "New opening."
    assert article.toc == [{"id": "new-section", "title": "New section", "children": []}]


def test_meta_description_over_the_generous_limit_of_320_is_rejected(make_article):
    article = make_article()
    article.meta_description = "x" * 320
    article.full_clean()  # long for search results (a warning in the admin), but stored whole
    article.meta_description = "x" * 321
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "meta_description" in error.value.message_dict


def test_review_needs_both_reviewer_and_date(make_article, make_author):
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    article.reviewer = make_author(kind="organisation")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "reviewer and the review date" in str(error.value)


def test_audio_as_both_file_and_url_is_rejected(make_article):
    with pytest.raises(IntegrityError):
        make_article(audio_file="audio/a.mp3", audio_url="https://example.org/a.mp3")


def test_hero_image_needs_alt_text():
    article = Article(hero_image="heroes/x.png", hero_width=1200, hero_height=630, hero_alt=" ")
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "hero_alt" in error.value.message_dict


def test_in_hub_finds_primary_and_further_hub_articles_once(make_article, make_hub):
    hub, other = make_hub(), make_hub()
    primary = make_article(primary_hub=hub)
    further = make_article(primary_hub=other)
    further.hubs.add(hub, other)
    make_article(primary_hub=other)
    assert set(Article.objects.in_hub(hub)) == {primary, further}
    assert Article.objects.in_hub(hub).count() == 2


def test_takeaways_are_one_per_line(make_article):
    article = make_article(key_takeaways="- First point\n\n• Second point\nThird point  ")
    assert article.takeaways == ["First point", "Second point", "Third point"]
