"""Stored page blocks and related lists (articles/pages.py, articles/related.py): never stale, never lost."""

import importlib
import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import pages
from articles.models import Article, RelatedRank, Tag
from authors.models import Credential
from hubs.models import Hub
from mindlab.models import SiteSettings
from tests.test_admin import article_form_data


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE = False  # these tests are about the stored blocks; the page cache has tests of its own


def stored_list(article):
    return list(RelatedRank.objects.filter(article=article).values_list("related", flat=True))


def assert_every_list_is_fresh(client):
    """Each stored list is what ranking now gives, and each page shows the live ranking's cards."""
    listed = Article.objects.listed()
    for article in Article.objects.all():
        assert stored_list(article) == [a.pk for a in Article.objects.related_to(article, among=listed)], article
    for article in Article.objects.published():
        article.refresh_from_db()
        assert article.related_cards() == "".join(Article.objects.related_to(article).cards()), article


@pytest.fixture
def library(make_hub, make_article):
    sleep, stress = make_hub(title="Sleep"), make_hub(title="Stress")
    tag_sets = [["rest", "mood"], ["rest"], ["mood", "focus"], ["focus"], ["rest", "mood", "focus"], [], ["drive"]]
    articles = [make_article(primary_hub=sleep if n % 2 else stress, tags=tags,
                             publish_at=timezone.now() - timedelta(hours=n + 1))
                for n, tags in enumerate(tag_sets * 2)]
    return sleep, stress, articles


def test_stored_related_lists_match_the_live_ranking_after_every_kind_of_change(client, library, make_article):
    sleep, stress, articles = library
    assert_every_list_is_fresh(client)

    articles[0].tags.add("drive")
    assert_every_list_is_fresh(client)
    articles[4].tags.remove("mood")
    assert_every_list_is_fresh(client)
    articles[3].primary_hub = sleep
    articles[3].save()
    assert_every_list_is_fresh(client)
    articles[5].hubs.add(stress)
    assert_every_list_is_fresh(client)
    articles[2].status = Article.Status.DRAFT
    articles[2].save()
    assert_every_list_is_fresh(client)
    make_article(primary_hub=sleep, tags=["rest", "mood", "focus"])
    assert_every_list_is_fresh(client)
    articles[6].related_articles.add(articles[9])
    assert_every_list_is_fresh(client)
    articles[1].delete()
    assert_every_list_is_fresh(client)
    Tag.objects.get(name="focus").delete()
    assert_every_list_is_fresh(client)


def test_a_scheduled_article_takes_its_related_place_on_time(client, make_article, at_time):
    moment = timezone.now().replace(microsecond=0) + timedelta(days=2)
    article = make_article(tags=["rest", "mood"])
    for _ in range(7):
        make_article(tags=["rest"])
    scheduled = make_article(title="Tomorrow's Twin", tags=["rest", "mood"], publish_at=moment)
    article.refresh_from_db()
    assert stored_list(article)[0] == scheduled.pk  # already ranked: no work is left for its publish time
    with at_time(moment - timedelta(seconds=1)):
        html = client.get(article.get_absolute_url()).text
        assert "Tomorrow&#x27;s Twin" not in html and html.count('class="card"') == 6
    with at_time(moment + timedelta(seconds=1)):
        html = client.get(article.get_absolute_url()).text
        assert "Tomorrow&#x27;s Twin" in html and html.count('class="card"') == 6


def test_an_expired_article_leaves_related_lists_on_time(client, make_article, at_time):
    expiry = timezone.now().replace(microsecond=0) + timedelta(days=1)
    article = make_article(tags=["rest"])
    make_article(title="Seasonal Note", tags=["rest"], expire_at=expiry)
    make_article(title="Evergreen", tags=["rest"])
    with at_time(expiry - timedelta(seconds=1)):
        assert "Seasonal Note" in client.get(article.get_absolute_url()).text
    with at_time(expiry + timedelta(seconds=1)):
        html = client.get(article.get_absolute_url()).text
        assert "Seasonal Note" not in html and "Evergreen" in html


def test_renaming_an_author_updates_their_article_pages(client, make_article, make_author):
    author = make_author(name="Dr. Old Name")
    article = make_article(author=author)
    author.name = "Dr. New Name"
    author.save()
    Credential.objects.create(author=author, degree="PhD, Neuroscience")
    html = client.get(article.get_absolute_url()).text
    assert "Dr. Old Name" not in html
    assert html.count("Dr. New Name") >= 3  # byline, author card, structured data
    assert "PhD, Neuroscience" in html


@pytest.mark.parametrize("field, value", [("role", "Clinical Director"), ("short_bio", "A new short bio."),
                                          ("headshot_alt", "A new description")])
def test_what_pages_show_of_an_author_renders_their_pages_again(make_article, make_author, field, value):
    author = make_author()
    make_article(author=author), make_article(reviewer=author, last_reviewed=timezone.now().date())
    with mock.patch.object(Article, "render_fragments", autospec=True) as render:
        setattr(author, field, value)
        author.save()
    assert render.call_count == 2


def test_editing_only_an_authors_full_biography_renders_no_page(client, make_article, make_author):
    author = make_author(bio="The old biography.")
    make_article(author=author), make_article(author=author)
    with mock.patch.object(Article, "render_fragments", autospec=True) as render:
        author.bio = "The new **biography**."
        author.save()
    assert render.call_count == 0
    assert "The new <strong>biography</strong>." in client.get(author.get_absolute_url()).text


def test_editing_only_a_hubs_essay_renders_the_hub_but_not_its_articles(client, make_article, make_hub):
    hub = make_hub(body="## Old section\n\nOld text.")
    make_article(primary_hub=hub)
    with mock.patch.object(Article, "render_fragments", autospec=True) as render:
        hub.body = "## New section\n\nNew text."
        hub.save()
    assert render.call_count == 0
    assert "New section" in client.get(hub.get_absolute_url()).text


def test_marking_a_hub_sensitive_puts_the_crisis_notice_on_its_articles(make_article, make_hub):
    hub = make_hub(is_sensitive=False)
    article = make_article(primary_hub=hub)
    assert not Article.objects.get(pk=article.pk).shows_crisis_notice
    hub.is_sensitive = True
    hub.save()
    assert Article.objects.get(pk=article.pk).shows_crisis_notice


def test_migration_renders_images_of_older_content_lazily_and_its_pages_again(client, make_article, make_faq):
    migration = importlib.import_module("articles.migrations.0008_lazy_images_in_written_content")
    article = make_article(body="Intro.\n\n![A scan](/media/scan.png)")
    faq = make_faq(article=article, answer="![A chart](/media/chart.png)")
    old_html = '<p><img alt="A scan" src="/media/scan.png"></p>'
    Article.objects.filter(pk=article.pk).update(body_html=old_html, page_html=old_html)
    type(faq).objects.filter(pk=faq.pk).update(answer_html='<p><img alt="A chart" src="/media/chart.png"></p>')

    migration.render_images_lazily(django_apps, schema_editor=None)
    pages.render_missing()  # what `migrate` runs when it finishes

    html = client.get(article.get_absolute_url()).text
    images = re.findall(r"<img [^>]*>", html)
    for source in ("/media/scan.png", "/media/chart.png"):
        image = next(tag for tag in images if f'src="{source}"' in tag)
        assert 'loading="lazy"' in image and 'decoding="async"' in image


def test_editing_a_reference_updates_every_page_that_cites_it(client, make_article, make_hub, make_reference):
    reference = make_reference(title="An old title")
    article, hub = make_article(), make_hub()
    article.citations.create(reference=reference)
    hub.citations.create(reference=reference)
    reference.title = "A corrected title"
    reference.save()
    for page in (article, hub):
        html = client.get(page.get_absolute_url()).text
        assert "A corrected title" in html and "An old title" not in html


def test_renaming_a_hub_updates_its_article_pages_and_cards(client, make_article, make_hub):
    hub = make_hub(title="Old Hub Name")
    article = make_article(primary_hub=hub)
    hub.title = "New Hub Name"
    hub.save()
    for url in (article.get_absolute_url(), "/"):
        html = client.get(url).text
        assert "New Hub Name" in html and "Old Hub Name" not in html


def test_renaming_a_tag_updates_cards_and_pages(client, make_article):
    article = make_article(tags=["sleep"])
    tag = Tag.objects.get(name="sleep")
    tag.name = "rest and sleep"
    tag.save()
    for url in (article.get_absolute_url(), "/", article.primary_hub.get_absolute_url()):
        assert "rest and sleep" in client.get(url).text, url


def test_faq_edits_and_deletions_reach_the_page(client, make_article, make_faq):
    article = make_article()
    faq = make_faq(article=article, question="Is sleep debt real?")
    assert "Is sleep debt real?" in client.get(article.get_absolute_url()).text
    faq.question = "Can sleep debt be repaid?"
    faq.save()
    assert "Can sleep debt be repaid?" in client.get(article.get_absolute_url()).text
    faq.delete()
    assert "Can sleep debt be repaid?" not in client.get(article.get_absolute_url()).text


def test_site_settings_reach_stored_pages_without_rendering_them_again(client, make_article):
    article = make_article(disclaimer="")
    settings_row = SiteSettings.current()
    settings_row.disclaimer = "A brand-new site-wide disclaimer."
    with mock.patch.object(Article, "render_fragments") as render:
        settings_row.save()
    render.assert_not_called()
    assert "A brand-new site-wide disclaimer." in client.get(article.get_absolute_url()).text


def test_site_frame_follows_site_settings_and_the_year(client, make_article, make_hub, at_time):
    article = make_article(primary_hub=make_hub(is_sensitive=True))
    assert "Need help now?" in client.get(article.get_absolute_url()).text  # the frame, rendered once
    settings_row = SiteSettings.current()
    settings_row.crisis_notice, settings_row.crisis_phone = "Call the night line, any hour.", "116 123"
    settings_row.save()
    html = client.get(article.get_absolute_url()).text
    assert html.count("Call the night line, any hour.") == 2  # the footer and the notice atop a sensitive article
    assert html.count('href="tel:116 123"') == 2
    with at_time(timezone.now().replace(year=timezone.now().year + 1)):
        cache.clear()
        assert f"&copy; {timezone.now().year} " in client.get(article.get_absolute_url()).text


def test_related_hubs_list_follows_their_titles_and_publishing(client, make_hub):
    hub, other = make_hub(), make_hub(title="Burnout")
    hub.related_hubs.add(other)
    assert "Burnout" in client.get(hub.get_absolute_url()).text
    other.is_published = False
    other.save()
    assert "Burnout" not in client.get(hub.get_absolute_url()).text


def test_an_admin_save_renders_the_article_once(admin_client, make_article):
    article = make_article()
    with mock.patch.object(Article, "render_fragments", autospec=True,
                           side_effect=Article.render_fragments) as render:
        response = admin_client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form_data(article, title="Retitled in the admin", tags="sleep, stress, mood"),
        )
    assert response.status_code == 302
    assert render.call_count == 1
    html = admin_client.get(article.get_absolute_url()).text
    assert "Retitled in the admin" in html and 'href="/tags/mood/"' in html


def test_render_pages_command_renders_everything(make_article, make_hub):
    article, hub = make_article(), make_hub()
    Article.objects.update(card_html="", page_html="")
    Hub.objects.update(extras_html="")
    out = io.StringIO()
    call_command("render_pages", stdout=out)
    article.refresh_from_db()
    assert article.title in article.card_html and "Rendered 2 hubs and 1 articles" in out.getvalue()
    assert Hub.objects.get(pk=hub.pk).structured_data


def test_migrate_renders_pages_that_were_never_rendered(make_article):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(card_html="")
    pages.render_missing()
    article.refresh_from_db()
    assert article.title in article.card_html


def assert_every_hub_listing_is_fresh():
    for hub in Hub.objects.all():
        cards, count = hub.stored_listing()
        assert cards == list(hub.articles.cards()[:12]) and count == hub.articles.count(), hub


def test_stored_hub_listings_follow_publishing_moving_and_deleting(client, make_hub, make_article):
    first, second = make_hub(), make_hub()
    articles = [make_article(primary_hub=first, publish_at=timezone.now() - timedelta(hours=n + 1))
                for n in range(14)]
    assert_every_hub_listing_is_fresh()
    assert "14 articles" in client.get(first.get_absolute_url()).text

    articles[0].status = Article.Status.DRAFT
    articles[0].save()
    assert_every_hub_listing_is_fresh()
    articles[1].primary_hub = second
    articles[1].save()
    assert_every_hub_listing_is_fresh()
    articles[2].hubs.add(second)
    assert_every_hub_listing_is_fresh()
    second.secondary_articles.remove(articles[2])
    assert_every_hub_listing_is_fresh()
    articles[3].tags.add("renamed-soon")
    Tag.objects.filter(name="renamed-soon").get().save()
    articles[4].delete()
    assert_every_hub_listing_is_fresh()
    assert "11 articles" in client.get(first.get_absolute_url()).text
    assert "1 article<" in client.get(second.get_absolute_url()).text


def test_hub_list_is_read_live_once_a_scheduled_article_is_out(client, make_hub, make_article, at_time,
                                                                django_assert_num_queries):
    moment = timezone.now().replace(microsecond=0) + timedelta(days=1)
    hub = make_hub()
    make_article(primary_hub=hub)
    make_article(primary_hub=hub, title="Tomorrow's Piece", publish_at=moment)
    client.get(hub.get_absolute_url())  # warm the per-process caches (site settings)
    with at_time(moment - timedelta(seconds=1)), django_assert_num_queries(1):
        assert "Tomorrow" not in client.get(hub.get_absolute_url()).text
    with at_time(moment + timedelta(seconds=1)):
        html = client.get(hub.get_absolute_url()).text
        assert "Tomorrow&#x27;s Piece" in html and "2 articles" in html
