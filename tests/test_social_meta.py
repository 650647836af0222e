"""Sharing and search tags: Open Graph and X cards on every page type, canonical and noindex, robots.txt, sitemap."""

import io
import re
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import localtime
from PIL import Image

from articles.models import Article
from mindlab.models import SiteSettings
from ops.http import admin_form_values

BASE = "http://127.0.0.1:8000"


def meta(html, name):
    """The content of every <meta property|name=NAME>, in order."""
    return re.findall(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)


def png(size=(1200, 630)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 110)).save(buffer, "PNG")
    return SimpleUploadedFile("share.png", buffer.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def site(db, media):
    site = SiteSettings.current()
    site.share_image, site.share_image_alt = png(), "The MindLAB mark on teal"
    site.twitter_site = "@mindlab"
    site.save()
    return site


@pytest.fixture
def pages(make_article, make_author, make_hub):
    hub = make_hub(title="Stress & Sleep")
    article = make_article(title="Cortisol at night", primary_hub=hub, tags=["sleep", "cortisol"])
    make_article(primary_hub=hub, tags=["sleep"])
    return {
        "home": ("/", "The neuroscience of drive, mood and stress"),
        "hub": (hub.get_absolute_url(), "Stress &amp; Sleep"),
        "article": (article.get_absolute_url(), "Cortisol at night"),
        "author": (article.author.get_absolute_url(), article.author.name),
        "tag": ("/tags/sleep/", "Sleep: articles"),
        "search": ("/search/?q=cortisol", "Search: cortisol"),
        "strategy-call": (reverse("strategy_calls:request"), "Schedule a strategy call"),
    }


@pytest.mark.parametrize("page", ["home", "hub", "article", "author", "tag", "search", "strategy-call"])
def test_og_and_twitter_titles_are_the_pages_own(client, pages, site, page):
    path, title = pages[page]
    html = client.get(path).text
    assert meta(html, "og:title") == [title] and meta(html, "twitter:title") == [title]
    assert meta(html, "og:locale") == ["en_US"]
    assert meta(html, "twitter:site") == ["@mindlab"]
    assert len(meta(html, "og:image")) == 1 and meta(html, "twitter:card") == ["summary_large_image"]


def test_a_page_without_an_image_is_shared_with_the_default_image_and_its_size_and_alt(client, pages, site):
    html = client.get(pages["tag"][0]).text
    assert meta(html, "og:image") == [f"{BASE}{site.share_image.url}"]
    assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
    assert meta(html, "og:image:alt") == ["The MindLAB mark on teal"]


def test_a_page_with_a_hero_is_shared_with_its_hero(client, make_hub, site):
    hub = make_hub(hero_image=png((1600, 900)), hero_alt="A forest at dawn")
    html = client.get(hub.get_absolute_url()).text
    hub.refresh_from_db()
    assert meta(html, "og:image") == [f"{BASE}{hub.hero_image.url}"]
    assert meta(html, "og:image:width") == ["1600"] and meta(html, "og:image:height") == ["900"]
    assert meta(html, "og:image:alt") == ["A forest at dawn"]


def test_without_a_default_image_or_an_account_a_page_claims_neither(client, pages):
    html = client.get(pages["tag"][0]).text
    assert meta(html, "og:image") == [] and meta(html, "twitter:site") == []
    assert meta(html, "twitter:card") == ["summary"]


def test_an_article_carries_the_article_tags(client, pages):
    html = client.get(pages["article"][0]).text
    article = Article.objects.get(title="Cortisol at night")
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "article:published_time") == [localtime(article.publish_at).isoformat()]
    assert meta(html, "article:modified_time") == [localtime(article.content_date).isoformat()]
    assert meta(html, "article:author") == [f"{BASE}{article.author.get_absolute_url()}"]
    assert meta(html, "article:section") == ["Stress &amp; Sleep"]
    assert sorted(meta(html, "article:tag")) == ["cortisol", "sleep"]


def test_a_change_in_site_settings_reaches_pages_already_cached(client, pages, site,
                                                               django_capture_on_commit_callbacks):
    assert meta(client.get(pages["article"][0]).text, "twitter:site") == ["@mindlab"]
    with django_capture_on_commit_callbacks(execute=True):
        site.twitter_site = "@mindlab_lab"
        site.save()
    assert meta(client.get(pages["article"][0]).text, "twitter:site") == ["@mindlab_lab"]


def test_a_404_names_no_canonical_address(client, db):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert 'rel="canonical"' not in response.text and meta(response.text, "og:url") == []


def test_search_is_noindex_without_a_canonical_and_open_to_crawlers(client, pages):
    html = client.get("/search/?q=cortisol").text
    assert meta(html, "robots") == ["noindex"] and 'rel="canonical"' not in html
    robots = client.get("/robots.txt").content.decode()
    assert not [line for line in robots.splitlines() if line.startswith("Disallow") and "/search/" in line]


def test_a_tag_with_fewer_than_two_articles_is_noindex_and_out_of_the_sitemap(client, pages):
    thin = client.get("/tags/cortisol/").text  # one article
    assert meta(thin, "robots") == ["noindex"] and 'rel="canonical"' not in thin
    full = client.get("/tags/sleep/").text  # two
    assert meta(full, "robots") == [] and f'<link rel="canonical" href="{BASE}/tags/sleep/">' in full
    locations = sitemap(client)
    assert f"{BASE}/tags/sleep/" in locations and f"{BASE}/tags/cortisol/" not in locations


def test_a_tag_counts_only_published_articles(client, make_article):
    make_article(tags=["melatonin"])
    make_article(tags=["melatonin"], status=Article.Status.DRAFT, publish_at=None)
    assert meta(client.get("/tags/melatonin/").text, "robots") == ["noindex"]
    assert f"{BASE}/tags/melatonin/" not in sitemap(client)


def test_the_sitemap_lists_the_strategy_call_page_and_every_author(client, pages, make_author):
    team = make_author(name="Clinical Review Team", kind="organisation")  # reviews, writes nothing
    locations = sitemap(client)
    assert f"{BASE}{reverse('strategy_calls:request')}" in locations
    assert f"{BASE}{team.get_absolute_url()}" in locations
    assert f"{BASE}{pages['author'][0]}" in locations
    assert client.get(team.get_absolute_url()).status_code == 200  # a page each one has


def sitemap(client):
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urlset = ElementTree.fromstring(client.get(reverse("sitemap")).content)
    return [url.findtext(f"{namespace}loc") for url in urlset]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("twitter_site", "mindlab", "An account name such as @mindlab"),
    ("profile_urls", "https://www.linkedin.com/company/mindlab\nhttp://insecure.example", "is not an https://"),
    ("share_image_alt", "", "Add alt text that describes the share image."),
])
def test_site_settings_refuse_what_a_search_engine_could_not_use(site, field, value, message):
    setattr(site, field, value)
    with pytest.raises(ValidationError) as error:
        site.full_clean()
    assert message in str(error.value)


def test_site_settings_admin_saves_the_sharing_fields(admin_client, media, db):
    url = reverse("admin:mindlab_sitesettings_change", args=[SiteSettings.current().pk])
    data = admin_form_values(admin_client.get(url).content.decode(), SiteSettings)
    data |= {"twitter_site": "@mindlab", "share_image": png(), "share_image_alt": "Teal mark",
             "profile_urls": "https://www.linkedin.com/company/mindlab", "contact_email": "hello@mindlab.test"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    site = SiteSettings.current()
    assert site.twitter_site == "@mindlab" and site.share_image_width == 1200
    assert site.profile_url_list == ["https://www.linkedin.com/company/mindlab"]
