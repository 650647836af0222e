"""Search, feeds, sitemap and robots.txt: how readers and search engines find the content."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def library(make_article, make_hub):
    hub = make_hub(title="Sleep and Recovery", slug="sleep-recovery", tagline="How rest repairs the brain.")
    title_match = make_article(title="Why Melatonin Matters", slug="melatonin-title", primary_hub=hub,
                               body="A piece about rhythms and light.", publish_at=None)
    body_match = make_article(title="Evening Routines", slug="melatonin-body", primary_hub=hub,
                              body="Light in the evening delays the release of melatonin by an hour or more.")
    draft = make_article(title="Melatonin Draft", slug="melatonin-draft", status=Article.Status.DRAFT,
                         publish_at=None, primary_hub=hub)
    return hub, title_match, body_match, draft


# Search


def test_title_match_ranks_above_body_match(client, library):
    _, title_match, body_match, draft = library
    response = client.get(reverse("search"), {"q": "melatonin"})
    results = [article for article, _ in response.context["results"]]
    assert results == [title_match, body_match]
    assert draft not in results


def test_search_snippets_mark_the_match(client, library):
    response = client.get(reverse("search"), {"q": "melatonin"})
    snippets = dict((article.slug, str(snippet)) for article, snippet in response.context["results"])
    assert "<mark>melatonin</mark>" in snippets["melatonin-body"].lower()
    assert "release of" in snippets["melatonin-body"]


def test_search_finds_hubs(client, library):
    response = client.get(reverse("search"), {"q": "sleep recovery"})
    assert [hub.slug for hub, _ in response.context["hubs"]] == ["sleep-recovery"]


def test_snippet_escapes_html_from_the_body(client, make_article):
    make_article(title="Escaping", body="Text mentioning cortisol &lt;script&gt;alert(1)&lt;/script&gt; here.")
    html = client.get(reverse("search"), {"q": "cortisol"}).text
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("query", [
    "", " ", "a", "é", "x" * 500, "!!!", "?*&^%$#@", "'; DROP TABLE articles_article; --", "\" OR 1=1 --",
    "<script>alert(1)</script>", "melatonin & | ! ( )", "-melatonin", "\"unclosed quote", "nul\x00byte",
    "日本語の検索", "🧠 brain",
], ids=lambda query: repr(query[:20]))
def test_awkward_queries_give_a_normal_page(client, library, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "Search the library" in response.text


def test_query_is_capped(client, library):
    response = client.get(reverse("search"), {"q": "melatonin " + "x" * 500})
    assert len(response.context["query"]) == 200


def test_one_character_query_explains_itself(client, db):
    assert "Type at least two letters" in client.get(reverse("search"), {"q": "a"}).text


def test_search_results_are_paginated(client, make_article):
    for n in range(12):
        make_article(title=f"Cortisol note {n}", slug=f"cortisol-{n}")
    first = client.get(reverse("search"), {"q": "cortisol"})
    assert len(first.context["results"]) == 10
    assert 'href="?q=cortisol&amp;page=2"' in first.text or 'href="?q=cortisol&page=2"' in first.text
    assert len(client.get(reverse("search"), {"q": "cortisol", "page": 2}).context["results"]) == 2
    assert client.get(reverse("search"), {"q": "cortisol", "page": 9}).status_code == 404


def test_search_box_in_the_header(client, db):
    assert 'role="search"' in client.get("/").text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgres_search_uses_tags_and_the_gin_index(client, make_article):
    tagged = make_article(title="Plain title", body="Plain body.", tags=["circadian"])
    results = [article for article, _ in client.get(reverse("search"), {"q": "circadian"}).context["results"]]
    assert results == [tagged]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_article_search_gin'")
        assert "gin (search_vector)" in cursor.fetchone()[0]


# Feeds


def parse(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_rss_feed_lists_published_articles_with_absolute_links(client, library, settings):
    settings.SITE_URL = "https://www.example.org"
    channel = parse(client.get(reverse("feeds:rss"))).find("channel")
    items = channel.findall("item")
    assert {item.findtext("link") for item in items} == {
        "https://www.example.org/articles/melatonin-body/", "https://www.example.org/articles/melatonin-title/",
    }
    first = items[0]
    assert first.findtext("description") and first.findtext("pubDate")
    assert "melatonin-draft" not in client.get(reverse("feeds:rss")).content.decode()


def test_atom_feed_has_authors_and_dates(client, library):
    feed = parse(client.get(reverse("feeds:atom")))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    entry = entries[0]
    assert entry.find(f"{ATOM}author/{ATOM}name").text
    assert entry.findtext(f"{ATOM}updated") and entry.findtext(f"{ATOM}published")
    assert entry.find(f"{ATOM}link").get("href").startswith("http://127.0.0.1:8000/articles/")


def test_hub_feed_lists_only_that_hubs_articles(client, library, make_article):
    make_article(slug="elsewhere-piece")
    hub = library[0]
    content = client.get(reverse("feeds:hub-rss", args=[hub.slug])).content.decode()
    assert "melatonin-title" in content and "elsewhere-piece" not in content
    parse(client.get(reverse("feeds:hub-atom", args=[hub.slug])))
    assert client.get(reverse("feeds:hub-rss", args=["no-such-hub"])).status_code == 404


# Sitemap and robots.txt


def test_sitemap_lists_public_pages_with_lastmod(client, library):
    urlset = parse(client.get(reverse("sitemap")))
    entries = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in urlset}
    hub, title_match, _, _ = library
    base = "http://127.0.0.1:8000"
    assert f"{base}/" in entries
    assert entries[f"{base}{hub.get_absolute_url()}"]
    assert entries[f"{base}{title_match.get_absolute_url()}"]
    assert entries[f"{base}{title_match.author.get_absolute_url()}"]
    assert not any("melatonin-draft" in loc for loc in entries)


def test_sitemap_lists_tags_of_published_articles_only(client, make_article):
    make_article(tags=["circadian"])
    make_article(tags=["circadian"])
    make_article(tags=["unreleased"], status=Article.Status.DRAFT, publish_at=None)
    make_article(tags=["unreleased"], status=Article.Status.DRAFT, publish_at=None)
    content = client.get(reverse("sitemap")).content.decode()
    assert "/tags/circadian/" in content and "/tags/unreleased/" not in content


def test_robots_txt_points_to_the_sitemap_keeps_admin_out_and_lets_search_be_crawled(client, settings, db):
    # Search pages say noindex; a crawler kept out by robots.txt would never read it (tests/test_social_meta.py).
    settings.SITE_URL = "https://www.example.org"
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text and "/search/" not in text
    assert "Sitemap: https://www.example.org/sitemap.xml" in text


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_feed_summaries_are_plain_text_for_feed_readers(client, make_article, url):
    make_article(excerpt="Sleep <script>alert(1)</script> & rest")
    xml = client.get(url).content.decode()
    # The XML holds the escaped text escaped once more: a reader that takes it as HTML shows the words.
    assert "&amp;lt;script&amp;gt;" in xml and "&lt;script&gt;" not in xml.replace("&amp;lt;script&amp;gt;", "")
