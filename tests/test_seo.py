"""What search engines and readers see besides the text (issue 16 §1, §2, §6): SEO fields kept whole, the
<title> rule, the content date, reading time, slugs, the disclaimer's place, the byline and the author card."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from authors.models import FeaturedIn
from hubs.models import Hub
from mindlab import seo
from mindlab.models import SiteSettings
from tests.test_admin import article_form_data

# 186 characters: it used to be cut at 160, mid-word, in the meta tag, Open Graph and JSON-LD.
DESCRIPTION = (
    "How depression changes the brain's reward and motivation circuits, why drive fades before mood does, and "
    "which treatments restore dopamine signalling — told by MindLAB's neuroscientists."
)


def structured_data(response):
    text = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S).group(1)
    return json.loads(text)["@graph"]


def meta(response, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', response.text)
    return match.group(1) if match else None


def unescape(text):
    return text.replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", '"')


# §1 SEO fields that never cut silently

def test_a_186_character_description_is_stored_and_rendered_whole_in_meta_og_and_json_ld(client, make_article):
    assert len(DESCRIPTION) == 186
    article = make_article(meta_description=DESCRIPTION)
    article.full_clean()
    article.refresh_from_db()
    assert article.meta_description == DESCRIPTION
    response = client.get(article.get_absolute_url())
    assert unescape(meta(response, "name", "description")) == DESCRIPTION
    assert unescape(meta(response, "property", "og:description")) == DESCRIPTION
    assert unescape(meta(response, "name", "twitter:description")) == DESCRIPTION
    assert structured_data(response)[0]["description"] == DESCRIPTION


def test_a_hub_description_is_rendered_whole(client, make_hub):
    hub = make_hub(meta_description=DESCRIPTION)
    response = client.get(hub.get_absolute_url())
    assert unescape(meta(response, "name", "description")) == DESCRIPTION
    assert structured_data(response)[0]["description"] == DESCRIPTION


def test_the_title_gets_the_site_name_once(client, make_article):
    assert seo.page_title("Sleep and memory") == "Sleep and memory | MindLAB Neuroscience"
    named = "Sleep and memory | MindLAB Neuroscience"
    assert seo.page_title("Sleep", named) == named
    assert seo.page_title("Sleep", "MINDLAB NEUROSCIENCE: sleep") == "MINDLAB NEUROSCIENCE: sleep"
    article = make_article(seo_title="How stress shapes the brain | MindLAB Neuroscience")
    response = client.get(article.get_absolute_url())
    assert "<title>How stress shapes the brain | MindLAB Neuroscience</title>" in response.text
    assert "unless it already contains it" in article._meta.get_field("seo_title").help_text


def test_the_seo_title_and_description_have_generous_hard_limits(make_article):
    article = make_article(seo_title="t" * 200, meta_description="d" * 320)
    article.full_clean()
    article.seo_title = "t" * 201
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "seo_title" in error.value.message_dict


def test_the_admin_form_keeps_a_long_description_whole_and_draws_counters_and_preview(admin_client, make_article):
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = admin_client.get(url).text
    assert 'data-seo-counter="description"' in page and 'data-min="120"' in page and 'data-max="160"' in page
    assert "admin/js/seo-fields.js" in page and "<script>" not in page.split("</head>")[1].split("<footer")[0]
    response = admin_client.post(url, article_form_data(article, meta_description=DESCRIPTION, _save_draft="1"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.meta_description == DESCRIPTION


def test_dashboard_lists_pages_whose_title_or_description_is_outside_the_ranges(admin_client, make_article,
                                                                                make_hub):
    fine = make_article(title="Sleep and memory", meta_description="d" * 140)
    long_title = make_article(title="A title that, with the site's name after it, runs past sixty characters")
    named = make_article(seo_title="Stress and the brain | MindLAB Neuroscience", meta_description="d" * 140)
    short = make_article(title="Stress", meta_description="Too short.")
    long_description = make_article(title="Mood", meta_description=DESCRIPTION)
    hub = make_hub(title="Depression", meta_description="Short.")
    make_hub(title="Anxiety", meta_description="d" * 150)
    out = set(Article.objects.seo_out_of_range())
    assert out == {long_title, short, long_description}
    assert fine not in out and named not in out
    assert list(Hub.objects.seo_out_of_range()) == [hub]
    assert long_description.seo_problems == ["Meta description: 186 characters: 120–160 is recommended."]
    page = admin_client.get(reverse("admin:articles_article_dashboard")).text
    assert "Search title or description outside the recommended lengths (3)" in page
    assert "Hubs: search title or description outside the recommended lengths (1)" in page
    assert "Meta description: 6 characters" in page  # the hub's
    assert "Meta description: 186 characters: 120–160 is recommended." in page


# §2 The dates readers see

def test_a_save_moves_the_modification_time_but_not_the_content_date(client, make_article):
    article = make_article(publish_at=timezone.now() - timedelta(days=30))
    saved = article.updated
    article.excerpt = "A typo fixed."
    article.save()
    assert article.updated > saved  # the automatic modification time
    assert article.content_updated is None and article.content_date == article.publish_at
    response = client.get(article.get_absolute_url())
    assert "Updated" not in response.text.split('class="meta"')[1].split("</p>")[0]
    assert structured_data(response)[0]["dateModified"].startswith(f"{article.publish_at:%Y-%m-%dT%H:%M:%S}")


def test_mark_as_updated_sets_the_content_date_pages_and_json_ld_follow(admin_client, client, make_article):
    article = make_article(publish_at=timezone.now() - timedelta(days=400))
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form_data(article, mark_updated="on", _publish="1", publish_at_0=article.publish_at.date(),
                             publish_at_1=article.publish_at.strftime("%H:%M:%S"))
    before = timezone.now()
    assert admin_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.content_updated >= before
    response = client.get(article.get_absolute_url())
    today = timezone.localdate()
    assert f'Updated <time datetime="{today:%Y-%m-%d}">' in response.text
    assert structured_data(response)[0]["dateModified"].startswith(f"{article.content_updated:%Y-%m-%dT%H:%M}")


def test_an_imported_older_content_date_is_kept_and_shown(client, make_article):
    article = make_article(publish_at=timezone.make_aware(datetime(2023, 3, 1, 9)))
    article.content_updated = timezone.make_aware(datetime(2024, 5, 20, 9))
    article.save()
    article.excerpt = "Another save today changes nothing readers see."
    article.save()
    response = client.get(article.get_absolute_url())
    assert 'Updated <time datetime="2024-05-20">May 20, 2024</time>' in response.text
    assert structured_data(response)[0]["dateModified"].startswith("2024-05-20")


def test_last_updated_cannot_be_in_the_future(make_article):
    article = make_article()
    article.content_updated = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "cannot be in the future" in str(error.value.message_dict["content_updated"])


def test_the_content_date_travels_through_a_revision_and_its_diff(make_article, make_staff):
    article = make_article(publish_at=timezone.now() - timedelta(days=10))
    revision = article.start_revision()
    revision.mark_updated()
    revision.body += "\n\nA new section on sleep."
    revision.save()
    from mindlab import diff

    changes = diff.field_changes(article, revision, fields=["content_updated", "body"])
    assert "last updated" in str(changes).lower()
    revision.record_review()
    revision.save()
    live = revision.publish()
    assert live.content_updated == revision.content_updated


def test_the_content_date_migration_keeps_what_readers_saw(make_article):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("articles.migrations.0014_seo_dates_reading")
    edited = make_article(publish_at=timezone.now() - timedelta(days=20))
    untouched = make_article(publish_at=timezone.now() - timedelta(hours=2))
    Article.objects.update(content_updated=None)
    migration.content_dates_from_saves(apps, None)
    edited.refresh_from_db(), untouched.refresh_from_db()
    assert edited.content_updated == edited.updated and untouched.content_updated is None


# §6 Authorship, reading time, slugs, disclaimer

def test_reading_time_counts_the_body_and_the_faqs_and_an_override_wins(client, make_article):
    words = " ".join(["word"] * 230)
    article = make_article(body=words, faqs=[("A question?", " ".join(["answer"] * 228))])
    assert article.reading_minutes == 1  # the body alone
    assert Article.objects.for_page().get(pk=article.pk).reading_time == 2  # 230 + 2 + 228 words
    assert Article.objects.for_cards().get(pk=article.pk).reading_time == 2
    assert "2 min read" in client.get(article.get_absolute_url()).text
    assert "2 min read" in client.get(article.primary_hub.get_absolute_url()).text  # its card
    Article.objects.filter(pk=article.pk).update(reading_time_override=7)
    cache.clear()  # the content version moves when the test's transaction would commit
    assert "7 min read" in client.get(article.get_absolute_url()).text


def test_an_faq_counts_its_words_when_saved(make_article):
    article = make_article(faqs=[("Why does drive fade?", "Because the **reward** circuit quietens.")])
    assert article.faqs.get().word_count == 4 + 5


def test_reading_time_override_must_be_a_sensible_number_of_minutes(make_article):
    article = make_article(reading_time_override=0)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "reading_time_override" in error.value.message_dict


def test_slug_suggested_from_the_title_is_short_and_without_stop_words():
    title = ("The Neuroscience of Why Motivation Disappears in Depression and What the Latest Research on "
             "Dopamine Tells Us About Getting It Back")
    slug = seo.suggest_slug(title)
    assert slug == "neuroscience-motivation-disappears-depression-latest"
    assert len(slug) <= seo.SLUG_MAX
    assert seo.suggest_slug("Stress, cortisol & the brain: what’s known") == "stress-cortisol-brain-whats-known"
    assert seo.suggest_slug("What is it?") == "what-is-it"  # only stop words: kept, never empty
    assert seo.suggest_slug("Überraschung im Gehirn") == "uberraschung-im-gehirn"
    assert len(seo.suggest_slug("x" * 90)) == seo.SLUG_MAX


def test_a_page_made_without_a_slug_gets_the_suggested_one(make_article, make_hub):
    title = "What the Latest Research on Dopamine Tells Us About Motivation and How to Get It Back"
    first = make_article(title=title, slug="")
    second = make_article(title=title, slug="")
    assert first.slug == "latest-research-dopamine-tells-us-about-motivation-get-back"
    assert second.slug == "latest-research-dopamine-tells-us-about-motivation-get-2"
    assert make_hub(title="The Anxious Brain", slug="").slug == "anxious-brain"


def test_an_existing_slug_is_never_changed_by_a_save(make_article):
    article = make_article(slug="the-long-old-address-of-an-article-that-readers-have-linked-to-for-years-now")
    article.title = "A new title"
    article.save()
    article.refresh_from_db()
    assert article.slug == "the-long-old-address-of-an-article-that-readers-have-linked-to-for-years-now"


def body_parts(response):
    main = response.text.split('class="layout__main"', 1)[1]
    return main.index('class="prose"'), main.find('aria-label="Disclaimer"')


def test_the_disclaimer_stands_where_the_article_or_the_site_says(client, make_article):
    article = make_article()
    body, disclaimer = body_parts(client.get(article.get_absolute_url()))
    assert disclaimer > body  # the site's default: at the foot
    settings_row = SiteSettings.current()
    settings_row.disclaimer_position = "top"
    settings_row.save()
    cache.clear()  # the content version moves when the test's transaction would commit
    body, disclaimer = body_parts(client.get(article.get_absolute_url()))
    assert 0 < disclaimer < body
    Article.objects.filter(pk=article.pk).update(disclaimer_position="foot")
    cache.clear()
    response = client.get(article.get_absolute_url())
    body, disclaimer = body_parts(response)
    assert disclaimer > body
    assert response.text.count('aria-label="Disclaimer"') == 1


def test_an_organisation_can_write_an_article_with_no_person_author(client, make_article, make_author):
    team = make_author(name="MindLAB Clinical Review Team", kind="organisation")
    article = make_article(author=team)
    response = client.get(article.get_absolute_url())
    assert 'By <a href="/authors/' in response.text and "MindLAB Clinical Review Team" in response.text
    assert "About the authors" in response.text
    node = structured_data(response)[0]
    assert node["author"]["@type"] == "Organization" and node["author"]["name"] == team.name


def test_one_entity_as_author_and_reviewer_is_named_once(client, make_article, make_author):
    team = make_author(name="MindLAB Clinical Review Team", kind="organisation")
    article = make_article(author=team, reviewer=team, last_reviewed=timezone.localdate())
    response = client.get(article.get_absolute_url())
    header = response.text.split('<header class="page-header">')[1].split("</header>")[0]
    assert "Written and medically reviewed by" in header
    assert "{#" not in header  # a template comment never reaches readers
    assert header.count("MindLAB Clinical Review Team") == 1


def test_a_person_cannot_review_their_own_article(make_article, make_author):
    person = make_author()
    with pytest.raises(ValidationError):
        Article(title="t", slug="t", body="b", primary_hub=make_article().primary_hub, author=person,
                reviewer=person, last_reviewed=timezone.localdate()).full_clean()


def test_the_author_card_shows_the_featured_in_outlets(client, make_article, make_author):
    author = make_author(name="Dr. Ann Author")
    FeaturedIn.objects.create(author=author, outlet="Psychology Today", url="https://www.psychologytoday.com/")
    FeaturedIn.objects.create(author=author, outlet="The Atlantic", order=1)
    article = make_article(author=author)
    card = client.get(article.get_absolute_url()).text.split('class="author-card"')[1].split("</section>")[0]
    assert "Featured in" in card
    assert '<a href="https://www.psychologytoday.com/" rel="noopener">Psychology Today</a>' in card
    assert "The Atlantic" in card
