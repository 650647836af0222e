"""The public pages: what a reader (and a search engine) gets on each page type."""

import json
import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article, Tag
from mindlab.cache import content_version
from mindlab.models import SiteSettings


@pytest.fixture
def full_article(make_article, make_author, make_reference, make_faq, make_hub):
    hub = make_hub(title="Depression & Drive", slug="depression-drive")
    author = make_author(name="Dr. Ada Reyes", slug="ada-reyes", role="Neuro-Advisor & Author")
    author.credentials.create(degree="PhD, Cognitive Neuroscience", institution="New York University")
    reviewer = make_author(name="Clinical Review Team", slug="review-team", kind="organisation")
    article = make_article(
        title="Why Motivation Fades",
        slug="why-motivation-fades",
        excerpt="What the reward system does when drive goes quiet.",
        key_takeaways="Dopamine predicts reward.\nFlat predictions sap effort.",
        body="Opening.\n\n## What does dopamine signal?\n\nPredictions.\n\n> A pull quote worth keeping.",
        primary_hub=hub,
        author=author,
        reviewer=reviewer,
        last_reviewed=date(2026, 10, 1),
        audio_url="https://example.org/why-motivation-fades.mp3",
        audio_duration=timedelta(minutes=12),
        tags=["dopamine", "motivation"],
        references=[make_reference(doi="10.1038/nrn3381", evidence="review-article")],
        faqs=[("Is low drive a symptom or a cause?", "Both, often.")],
    )
    return article


def structured_data(response):
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.text, re.DOTALL)
    return json.loads(match.group(1))["@graph"]


def node(graph, node_type):
    return next(item for item in graph if item["@type"] == node_type)


# Article page


def test_article_page_shows_every_part(client, full_article):
    response = client.get(full_article.get_absolute_url())
    html = response.text
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Why Motivation Fades" in html
    assert "What the reward system does when drive goes quiet." in html  # the dek
    assert "Dopamine predicts reward." in html  # a takeaway
    assert 'href="#what-does-dopamine-signal"' in html  # table of contents
    assert "<blockquote>" in html
    assert "<summary>Is low drive a symptom or a cause?</summary>" in html
    assert 'href="https://doi.org/10.1038/nrn3381"' in html
    assert "Review article" in html  # source-type label
    assert "Medically reviewed by" in html and "Clinical Review Team" in html and "October 1, 2026" in html
    assert '<audio controls preload="none" src="https://example.org/why-motivation-fades.mp3">' in html
    assert "Audio available" in html and "12 min" in html
    assert "PhD, Cognitive Neuroscience, New York University" in html  # author card credentials
    assert 'href="/authors/ada-reyes/"' in html
    assert "What the first conversation looks like" in html
    assert SiteSettings.current().disclaimer in html
    assert "linkedin.com/sharing/share-offsite/?url=" in html and "mailto:?subject=" in html
    assert "Copy link" in html
    assert 'href="/tags/dopamine/"' in html


def test_article_breadcrumbs_and_head_tags(client, full_article, settings):
    client.get(full_article.get_absolute_url())  # cached under the old address
    settings.SITE_URL = "https://www.example.org"  # no command to run: the address is part of every cache key
    html = client.get(full_article.get_absolute_url()).text
    assert '<a href="/hubs/depression-drive/">Depression &amp; Drive</a>' in html
    assert "<title>Why Motivation Fades | MindLAB Neuroscience</title>" in html
    assert '<link rel="canonical" href="https://www.example.org/articles/why-motivation-fades/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_seo_title_and_meta_description_are_used(client, make_article):
    article = make_article(seo_title="Short SEO Title", meta_description="A description for search engines.")
    html = client.get(article.get_absolute_url()).text
    assert "<title>Short SEO Title | MindLAB Neuroscience</title>" in html
    assert '<meta name="description" content="A description for search engines.">' in html


def test_article_structured_data(client, full_article):
    graph = structured_data(client.get(full_article.get_absolute_url()))
    page = node(graph, "MedicalWebPage")
    assert page["headline"] == "Why Motivation Fades"
    assert page["author"]["@type"] == "Person"
    assert page["author"]["hasCredential"][0]["name"] == "PhD, Cognitive Neuroscience, New York University"
    assert page["reviewedBy"]["name"] == "Clinical Review Team"
    assert page["lastReviewed"] == "2026-10-01"
    assert page["datePublished"] and page["dateModified"] and page["description"]
    assert page["publisher"]["name"] == "MindLAB Neuroscience"
    assert page["citation"][0]["identifier"]["value"] == "10.1038/nrn3381"
    assert node(graph, "FAQPage")["mainEntity"][0]["name"] == "Is low drive a symptom or a cause?"
    crumbs = node(graph, "BreadcrumbList")["itemListElement"]
    assert [crumb["name"] for crumb in crumbs] == ["Home", "Depression & Drive", "Why Motivation Fades"]


def test_title_cannot_break_out_of_the_structured_data_script(client, make_article):
    article = make_article(title='</script><script>alert("x")</script> & more')
    response = client.get(article.get_absolute_url())
    assert '</script><script>alert("x")' not in response.text
    assert node(structured_data(response), "MedicalWebPage")["headline"] == article.title


def test_draft_article_is_404(client, make_article):
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_scheduled_article_is_404_until_its_time(client, make_article):
    article = make_article(publish_at=timezone.now() + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("status", ["draft", "review", "scheduled"])
def test_staff_see_unpublished_article_with_preview_banner(admin_client, make_article, status):
    if status == "scheduled":
        article = make_article(publish_at=timezone.now() + timedelta(days=2))
    else:
        article = make_article(status=status, publish_at=None)
    response = admin_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Preview — not published" in response.text


def test_published_article_has_no_preview_banner_for_staff(admin_client, make_article):
    assert "Preview — not published" not in admin_client.get(make_article().get_absolute_url()).text


def test_unknown_slugs_are_404_in_the_sites_style(client, db):
    for url in ["/articles/nope/", "/hubs/nope/", "/authors/nope/", "/tags/nope/", "/no-such-page/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "We could not find that page" in response.text


def test_disclaimer_can_be_replaced_per_article(client, make_article):
    html = client.get(make_article(disclaimer="A disclaimer just for this article.").get_absolute_url()).text
    assert "A disclaimer just for this article." in html
    assert SiteSettings.current().disclaimer not in html


def test_site_disclaimer_edited_in_admin_shows_at_once(client, make_article, django_capture_on_commit_callbacks):
    article = make_article()
    client.get(article.get_absolute_url())  # the settings and the page are now cached
    site = SiteSettings.current()
    site.disclaimer = "Edited site-wide disclaimer."
    with django_capture_on_commit_callbacks(execute=True):
        site.save()
    assert "Edited site-wide disclaimer." in client.get(article.get_absolute_url()).text


# Crisis notice


def test_crisis_notice_is_in_the_footer_of_every_page(client, make_article):
    article = make_article()
    for url in ["/", article.get_absolute_url(), article.author.get_absolute_url()]:
        html = client.get(url).text
        assert "988 Suicide &amp; Crisis Lifeline" in html, url
        assert 'href="tel:988"' in html


def test_crisis_notice_box_on_articles_of_a_sensitive_hub(client, make_article, make_hub):
    sensitive = make_article(primary_hub=make_hub(is_sensitive=True))
    ordinary = make_article()
    assert 'class="crisis"' in client.get(sensitive.get_absolute_url()).text
    assert 'class="crisis"' not in client.get(ordinary.get_absolute_url()).text


def test_crisis_notice_box_on_articles_with_a_sensitive_tag(client, make_article):
    article = make_article(tags=["grief"])
    tag = Tag.objects.get(name="grief")
    tag.is_sensitive = True
    tag.save()
    assert 'class="crisis"' in client.get(article.get_absolute_url()).text


# Related articles


def test_related_articles_exclude_self_and_unpublished(make_article, make_hub):
    hub = make_hub()
    article = make_article(primary_hub=hub, tags=["sleep"])
    draft = make_article(primary_hub=hub, tags=["sleep"], status=Article.Status.DRAFT, publish_at=None)
    scheduled = make_article(primary_hub=hub, tags=["sleep"], publish_at=timezone.now() + timedelta(days=1))
    sibling = make_article(primary_hub=hub)
    related = list(Article.objects.related_to(article))
    assert related == [sibling]
    assert article not in related and draft not in related and scheduled not in related


def test_related_articles_rank_by_shared_tags_then_hub(make_article, make_hub):
    hub, elsewhere = make_hub(), make_hub()
    article = make_article(primary_hub=hub, tags=["sleep", "stress", "mood"])
    one_tag_same_hub = make_article(primary_hub=hub, tags=["sleep"])
    two_tags = make_article(primary_hub=elsewhere, tags=["sleep", "stress"])
    three_tags = make_article(primary_hub=elsewhere, tags=["sleep", "stress", "mood"])
    same_hub_only = make_article(primary_hub=hub)
    unrelated = make_article(primary_hub=elsewhere, publish_at=timezone.now() - timedelta(minutes=1))
    assert list(Article.objects.related_to(article)) == [
        three_tags, two_tags, one_tag_same_hub, same_hub_only, unrelated,
    ]


def test_hand_picked_related_articles_come_first(make_article, make_hub):
    hub = make_hub()
    article = make_article(primary_hub=hub, tags=["sleep"])
    tag_match = make_article(primary_hub=hub, tags=["sleep"])
    picked = make_article()
    article.related_articles.add(picked)
    assert list(Article.objects.related_to(article))[:2] == [picked, tag_match]


def test_related_articles_are_one_query_and_their_cards_one_more(make_article, django_assert_num_queries):
    article = make_article(tags=["sleep"])
    for _ in range(4):
        make_article(tags=["sleep"])
    with django_assert_num_queries(1):
        assert len(list(Article.objects.related_to(article))) == 4
    with django_assert_num_queries(2):  # the cards' tags, for the whole list
        assert len(list(Article.objects.related_to(article).for_cards())) == 4


def test_article_page_lists_related_titles(client, make_article, make_hub):
    hub = make_hub()
    article = make_article(primary_hub=hub)
    related = make_article(primary_hub=hub, title="A Sibling Article")
    html = client.get(article.get_absolute_url()).text
    assert "Related articles" in html and related.title in html


# Hub page


def test_hub_page_shows_every_part(client, make_hub, make_article, make_author, make_faq, make_reference):
    author = make_author(name="Dr. Ada Reyes")
    related_hub = make_hub(title="Chronic Stress")
    hub = make_hub(
        title="Depression & Drive", tagline="When drive fades first.", pillar_label="Pillar 5 — Neural Recalibration",
        intro="An *intro* paragraph.", key_takeaways="Low drive and low mood differ.",
        body="## Why does drive fade?\n\nBecause.", author=author,
    )
    hub.faq_groups.create(heading="Key Questions Executives Ask About Drive")
    hub.related_hubs.add(related_hub)
    hub.citations.create(reference=make_reference(doi="10.1146/annurev-clinpsy-050212-185606"))
    make_faq(hub=hub, question="Why can I still perform at work?")
    articles = [make_article(primary_hub=hub, tags=["drive"], excerpt=f"Excerpt {n}.") for n in range(4)]
    make_article(primary_hub=hub, status=Article.Status.DRAFT, publish_at=None, title="Hidden draft")
    html = client.get(hub.get_absolute_url()).text
    assert html.count("<h1") == 1
    assert "Pillar 5 — Neural Recalibration" in html and "When drive fades first." in html
    assert "4 articles" in html
    assert "<em>intro</em>" in html and "Low drive and low mood differ." in html
    assert 'href="#why-does-drive-fade"' in html
    assert "Latest articles" in html and "Read article" in html
    assert "Key Questions Executives Ask About Drive" in html and "Why can I still perform at work?" in html
    assert 'href="https://doi.org/10.1146/annurev-clinpsy-050212-185606"' in html
    assert "More Depression &amp; Drive articles" in html  # the fourth: the newest three are under Latest
    assert all(article.title in html and article.summary in html for article in articles)
    assert 'href="/tags/drive/"' in html
    assert "Hidden draft" not in html
    assert f'href="/hubs/{related_hub.slug}/"' in html
    assert "About the author" in html and "Dr. Ada Reyes" in html
    assert SiteSettings.current().disclaimer in html


def test_hub_all_articles_are_paginated(client, make_hub, make_article):
    hub = make_hub()
    for n in range(14):
        make_article(primary_hub=hub, title=f"Paged {n:02d}", publish_at=timezone.now() - timedelta(hours=n + 1))
    first = client.get(hub.get_absolute_url()).text
    second = client.get(hub.get_absolute_url() + "?page=2").text
    assert "Page 1 of 2" in first and "Paged 13" not in first.split("all-heading")[1]
    assert "Paged 13" in second and '<link rel="canonical" href="http://127.0.0.1:8000/hubs/' in second
    assert client.get(hub.get_absolute_url() + "?page=3").status_code == 404
    assert client.get(hub.get_absolute_url() + "?page=abc").status_code == 404


def test_unpublished_hub_is_404_but_staff_preview_it(client, admin_client, make_hub):
    hub = make_hub(is_published=False)
    assert client.get(hub.get_absolute_url()).status_code == 404
    assert "Preview — not published" in admin_client.get(hub.get_absolute_url()).text


def test_hub_structured_data(client, make_hub, make_faq, make_author):
    hub = make_hub(title="Stress", author=make_author())
    make_faq(hub=hub, question="Is all stress harmful?")
    graph = structured_data(client.get(hub.get_absolute_url()))
    assert node(graph, "MedicalWebPage")["headline"] == "Stress"
    assert node(graph, "FAQPage")["mainEntity"][0]["name"] == "Is all stress harmful?"
    assert [c["name"] for c in node(graph, "BreadcrumbList")["itemListElement"]] == ["Home", "Stress"]


# Home, author, tag


def test_home_lists_hubs_with_counts_and_latest_articles(client, make_hub, make_article):
    hub = make_hub(title="Sleep", tagline="Rest and repair.")
    make_article(primary_hub=hub, title="Newest Piece")
    make_article(primary_hub=hub)
    make_hub(title="Hidden hub", is_published=False)
    html = client.get("/").text
    assert "Sleep" in html and "Rest and repair." in html and "2 articles" in html
    assert "Newest Piece" in html
    assert "Hidden hub" not in html
    assert html.count("<h1") == 1


def test_author_page(client, make_author, make_article):
    author = make_author(name="Dr. Ada Reyes", role="Neuro-Advisor & Author", bio="A **full** biography.")
    author.credentials.create(degree="PhD, Neuroscience", institution="NYU")
    author.featured_in.create(outlet="Forbes Coaching Council")
    make_article(author=author, title="Her Published Piece")
    make_article(author=author, title="Her Draft", status=Article.Status.DRAFT, publish_at=None)
    response = client.get(author.get_absolute_url())
    html = response.text
    assert "Neuro-Advisor &amp; Author" in html and "PhD, Neuroscience, NYU" in html
    assert "<strong>full</strong>" in html and "Forbes Coaching Council" in html
    assert "Her Published Piece" in html and "Her Draft" not in html
    person = node(structured_data(response), "Person")
    assert person["name"] == "Dr. Ada Reyes" and person["hasCredential"][0]["name"] == "PhD, Neuroscience, NYU"


def test_author_page_out_of_range_is_404(client, make_author):
    assert client.get(make_author().get_absolute_url() + "?page=2").status_code == 404


def test_tag_page_lists_published_articles_with_the_tag(client, make_article):
    make_article(title="Tagged Piece", tags=["sleep"])
    make_article(title="Other Piece", tags=["mood"])
    make_article(title="Tagged Draft", tags=["sleep"], status=Article.Status.DRAFT, publish_at=None)
    html = client.get("/tags/sleep/").text
    assert "Tagged Piece" in html and "Other Piece" not in html and "Tagged Draft" not in html
    assert client.get("/tags/sleep/?page=5").status_code == 404


# Query budgets: the same count whatever the number of articles.


def build_library(make_hub, make_article, make_author, make_reference, make_faq, articles):
    hub = make_hub(author=make_author())
    hub.related_hubs.add(make_hub())
    reference = make_reference()
    author = make_author()
    author.credentials.create(degree="PhD")
    reviewer = make_author(kind="organisation")
    first = None
    for n in range(articles):
        article = make_article(
            primary_hub=hub, author=author, reviewer=reviewer, last_reviewed=date(2026, 1, 1),
            tags=["sleep", f"tag{n % 7}"], references=[reference], faqs=[(f"Question {n}?", "Answer.")],
        )
        first = first or article
    make_faq(hub=hub)
    hub.citations.create(reference=reference)
    return hub, first, author


# Pages are rendered per request from named queryset shapes; neither count grows with the library. As a page
# is served (its fragments cached: the site frame, an article's body, references, FAQs, related list and
# structured data) it reads what changes per request; with every fragment cache empty, what it shows (the
# author card's featured-in outlets are one query of their own; the header and footer menus one more, read once
# per content version: pages/navigation.py).
QUERY_BUDGETS = {"home": 5, "hub": 10, "article": 8, "author": 6, "tag": 5, "search": 4}
EMPTY_CACHE_BUDGETS = {"home": 5, "hub": 11, "article": 10, "author": 9, "tag": 6, "search": 5}


def page_url(page, hub, article, author):
    return {
        "home": "/",
        "hub": hub.get_absolute_url(),
        "article": article.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag": "/tags/sleep/",
        "search": "/search/?q=article",
    }[page]


@pytest.mark.parametrize("articles", [5, 60])
@pytest.mark.parametrize("page", sorted(QUERY_BUDGETS))
def test_page_query_budget(client, settings, django_assert_max_num_queries, make_hub, make_article, make_author,
                           make_reference, make_faq, articles, page):
    settings.PAGE_CACHE = False  # the budget is for rendering; a cached page costs no query at all
    url = page_url(page, *build_library(make_hub, make_article, make_author, make_reference, make_faq, articles))
    client.get(url)
    with django_assert_max_num_queries(QUERY_BUDGETS[page]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("articles", [5, 60])
@pytest.mark.parametrize("page", sorted(EMPTY_CACHE_BUDGETS))
def test_page_query_budget_with_every_fragment_cache_empty(client, settings, django_assert_num_queries, make_hub,
                                                          make_article, make_author, make_reference, make_faq,
                                                          articles, page):
    settings.PAGE_CACHE = False
    url = page_url(page, *build_library(make_hub, make_article, make_author, make_reference, make_faq, articles))
    client.get(url)  # per-process lookups (content types) are made once
    cache.clear()
    content_version()  # worked out once per content change, not per page
    with django_assert_num_queries(EMPTY_CACHE_BUDGETS[page]):
        assert client.get(url).status_code == 200
