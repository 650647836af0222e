"""What a CDN or Varnish in front may keep (Cache-Control, Vary), and which responses are compressed."""

import gzip

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from strategy_calls.models import StrategyCallRequest
from tests.test_strategy_calls import form_data

SHARED = "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture
def public_pages(make_article):
    article = make_article(tags=["sleep"])
    return {
        "home": "/",
        "hub": article.primary_hub.get_absolute_url(),
        "article": article.get_absolute_url(),
        "author": article.author.get_absolute_url(),
        "tag": reverse("tags:detail", args=["sleep"]),
        "search": "/search/?q=article",
        "rss": reverse("feeds:rss"),
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
    }


def vary(response):
    return {value.strip() for value in response.get("Vary", "").split(",") if value.strip()}


@pytest.mark.parametrize("page", ["home", "hub", "article", "author", "tag", "search", "rss", "sitemap", "robots"])
def test_anonymous_public_pages_may_be_kept_by_shared_caches_for_a_short_time(client, public_pages, page):
    miss, hit = client.get(public_pages[page]), client.get(public_pages[page])
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for response in (miss, hit):
        assert response.status_code == 200 and response["Cache-Control"] == SHARED
        assert "Accept-Encoding" in vary(response) and not response.cookies
    assert vary(hit) == vary(miss)


@pytest.mark.parametrize("page", ["hub", "article"])
def test_pages_a_signed_in_editor_sees_differently_vary_on_the_cookie(client, public_pages, page):
    # Staff see drafts at these addresses, so a shared cache must not answer a request with a session cookie
    # from a copy made without one.
    assert {"Cookie", "Accept-Encoding"} <= vary(client.get(public_pages[page]))


def test_shared_cache_times_come_from_the_settings_on_hits_too(client, public_pages, settings):
    client.get(public_pages["article"])
    settings.SHARED_CACHE_SECONDS, settings.SHARED_CACHE_STALE_SECONDS = 120, 30
    hit = client.get(public_pages["article"])
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Cache-Control"] == "public, max-age=0, s-maxage=120, stale-while-revalidate=30"


def test_shared_caches_are_told_even_with_the_page_cache_off(client, public_pages, settings):
    settings.PAGE_CACHE = False
    response = client.get(public_pages["hub"], headers=GZIP)
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == SHARED and response["Content-Encoding"] == "gzip"


def assert_nobody_may_keep(response):
    cache_control = {word.strip() for word in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control and "public" not in cache_control
    assert "Content-Encoding" not in response  # private pages are never compressed (BREACH)


@pytest.mark.parametrize("url", ["/strategy-call/", "/strategy-call/thanks/", "/no-such-page/",
                                 "/strategy-call/?from=/articles/x/"])
def test_forms_thank_you_and_errors_may_not_be_kept(client, db, url):
    assert_nobody_may_keep(client.get(url, headers=GZIP))


def test_admin_and_the_sign_in_page_may_not_be_kept(admin_client, client, db):
    assert_nobody_may_keep(admin_client.get(reverse("admin:index"), headers=GZIP))
    assert_nobody_may_keep(client.get(reverse("admin:login"), headers=GZIP))


def test_a_public_page_seen_by_a_signed_in_editor_may_not_be_kept(admin_client, public_pages):
    assert_nobody_may_keep(admin_client.get(public_pages["article"], headers=GZIP))


def test_a_draft_preview_may_not_be_kept(admin_client, make_article):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    response = admin_client.get(draft.get_absolute_url(), headers=GZIP)
    assert response.status_code == 200
    assert_nobody_may_keep(response)


def test_a_rate_limited_request_may_not_be_kept(client, db, settings):
    settings.STRATEGY_CALL_RATE_LIMIT = 0
    response = client.post("/strategy-call/", form_data(), headers=GZIP)
    assert response.status_code == 429
    assert_nobody_may_keep(response)
    assert StrategyCallRequest.objects.count() == 0


def test_a_sign_in_lockout_may_not_be_kept(client, django_user_model, settings):
    django_user_model.objects.create_user("editor", password="the-right-password", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("admin:login"), {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    assert_nobody_may_keep(response)


def test_a_response_that_sets_a_cookie_may_not_be_kept(client, db):
    response = client.get("/strategy-call/")
    assert "csrftoken" in response.cookies
    assert_nobody_may_keep(response)


# Compression


def test_public_pages_are_compressed_for_clients_that_take_gzip_hits_too(client, public_pages):
    plain = client.get(public_pages["article"]).content
    for expected in ("miss", "hit"):
        response = client.get(public_pages["article"], headers=GZIP)
        assert response["X-Page-Cache"] == expected and response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain
        assert len(response.content) < len(plain) / 2


@pytest.mark.parametrize("accept_encoding", [None, "identity", "br", "gzip;q=0", "deflate, gzip; q=0.0"])
def test_no_compressed_body_for_a_client_that_did_not_ask_for_one(client, public_pages, accept_encoding):
    url = public_pages["article"]
    assert client.get(url, headers=GZIP)["Content-Encoding"] == "gzip"  # a compressed copy is stored first
    headers = {"accept-encoding": accept_encoding} if accept_encoding else {}
    for expected in ("miss", "hit"):
        response = client.get(url, headers=headers)
        assert response["X-Page-Cache"] == expected and "Content-Encoding" not in response
        assert response.content.startswith(b"<!doctype html>")
        assert "Accept-Encoding" in vary(response)


def test_each_encoding_has_its_own_etag_and_answers_304(client, public_pages):
    url = public_pages["hub"]
    compressed, plain = client.get(url, headers=GZIP)["ETag"], client.get(url)["ETag"]
    assert compressed != plain
    assert client.get(url, headers={**GZIP, "if-none-match": compressed}).status_code == 304
    assert client.get(url, headers={"if-none-match": plain}).status_code == 304
    assert client.get(url, headers={"if-none-match": compressed}).status_code == 200  # not this client's copy


def test_the_strategy_call_form_is_not_compressed_though_it_reflects_the_address(db):
    # It holds a CSRF token next to the `from` path the request chose: what BREACH needs.
    response = Client().get("/strategy-call/?from=/articles/csrfmiddlewaretoken/", headers=GZIP)
    assert "csrfmiddlewaretoken" in response.text and "Content-Encoding" not in response
