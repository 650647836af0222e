"""The anonymous page cache: fast for readers, never stale, never anybody's private page."""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from faqs.models import FAQ
from mindlab.apps import is_content
from mindlab.cache import SCHEDULE_KEY, TOKEN_KEY, content_version
from mindlab.models import ContentQuerySet, SiteSettings
from ops.http import admin_form_values

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a real commit would run (the cache bump) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(client, make_article,
                                                                          django_assert_num_queries):
    article = make_article()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert article.title in response.text


def test_matching_etag_answers_304(client, make_article):
    url = make_article().get_absolute_url()
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200


def test_editing_an_article_shows_on_the_next_request(client, make_article, committed):
    article = make_article(title="Before the edit")
    client.get(article.get_absolute_url())
    client.get(article.primary_hub.get_absolute_url())
    with committed():
        article.title = "After the edit"
        article.save()
    assert "After the edit" in client.get(article.get_absolute_url()).text
    assert "After the edit" in client.get(article.primary_hub.get_absolute_url()).text


@pytest.mark.parametrize("change", ["author", "reference", "faq", "tag", "hub", "delete-article"])
def test_any_content_change_refreshes_cached_pages(client, make_article, make_reference, make_faq, committed,
                                                   change):
    article = make_article(tags=["sleep"])
    citation = article.citations.create(reference=make_reference(title="Old reference title"))
    faq = make_faq(article=article, question="Old question?")
    url = article.primary_hub.get_absolute_url() if change == "delete-article" else article.get_absolute_url()
    before = client.get(url).text
    with committed():
        if change == "author":
            article.author.name = "Renamed Author"
            article.author.save()
        elif change == "reference":
            citation.reference.title = "New reference title"
            citation.reference.save()
        elif change == "faq":
            faq.delete()
        elif change == "tag":
            Tag.objects.get(name="sleep").delete()
        elif change == "hub":
            article.primary_hub.title = "Renamed Hub"
            article.primary_hub.save()
        else:
            article.delete()
    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert after.text != before


def test_scheduled_article_appears_on_a_cached_hub_page_at_its_time(client, make_article, make_hub):
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    hub = make_hub()
    make_article(primary_hub=hub, title="Already Out")
    make_article(primary_hub=hub, title="Scheduled For Later", publish_at=moment)
    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        client.get(hub.get_absolute_url())
        cached = client.get(hub.get_absolute_url())
        assert cached["X-Page-Cache"] == "hit" and "Scheduled For Later" not in cached.text
    with time_machine.travel(moment + timedelta(seconds=1), tick=False):
        assert "Scheduled For Later" in client.get(hub.get_absolute_url()).text


def test_staff_pages_are_never_cached(admin_client, client, make_article):
    article = make_article()
    staff_view = admin_client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in staff_view
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"  # nothing stored for staff


def test_draft_preview_is_never_served_to_the_public(admin_client, client, make_article):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    assert admin_client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url", ["/strategy-call/", "/strategy-call/thanks/", "/no-such-page/"])
def test_forms_and_errors_are_not_cached(client, db, url):
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


def test_strategy_call_form_carries_a_fresh_csrf_token_each_time(client, db):
    response = client.get("/strategy-call/")
    assert "csrfmiddlewaretoken" in response.text and "no-store" in response["Cache-Control"]


def test_page_cache_can_be_switched_off(client, settings, make_article):
    settings.PAGE_CACHE = False
    url = make_article().get_absolute_url()
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql" or "Redis" not in django_settings.CACHES["default"]["BACKEND"],
    reason="needs PostgreSQL and Redis shared between processes (the CI run with DATABASE_URL and REDIS_URL)",
)
def test_a_second_worker_process_sees_an_edit_at_once(make_article):
    SiteSettings.current()  # a transactional test starts from an empty table; reading must not write later
    article = make_article(title="Seen by both")
    fetch = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mindlab.settings'); django.setup();"
        "from django.conf import settings; settings.STORAGES = {**settings.STORAGES, 'staticfiles': "
        "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}};"
        "from django.test import Client; from django.test.utils import setup_test_environment;"
        f"setup_test_environment(); r = Client().get({article.get_absolute_url()!r});"
        "print(r.get('X-Page-Cache'), r.content.decode())"
    )
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}

    def other_worker():
        result = subprocess.run([sys.executable, "-c", fetch], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    other_worker()
    assert other_worker().startswith("hit") and "Seen by both" in other_worker()
    article.title = "Edited in this process"
    article.save()  # commits: transactional test
    page = other_worker()
    assert page.startswith("miss") and "Edited in this process" in page


# One content version: every path of writing moves it, after commit.


def every_content_model():
    return [model for model in apps.get_models() if is_content(model) and not model._meta.auto_created]


def test_every_content_model_writes_through_a_content_queryset():
    """update(), bulk_create() and bulk_update() send no signals; a content model's queryset moves the version."""
    assert {model._meta.label for model in every_content_model()} >= {
        "articles.Article", "hubs.Hub", "authors.Author", "references.Reference", "faqs.FAQ", "articles.Tag"}
    for model in every_content_model():
        if model._meta.app_label in {"taggit", "redirects"}:
            continue  # third-party models: their saves and deletes send signals; nothing here updates them in bulk
        assert isinstance(model._default_manager.all(), ContentQuerySet), model._meta.label


@pytest.mark.parametrize("write", ["update", "bulk_create", "m2m", "cascade", "save", "rollback"])
def test_every_kind_of_write_moves_the_content_version_after_commit(make_article, make_hub, committed, write):
    article, hub = make_article(tags=["sleep"]), make_hub()
    with committed():
        pass
    before = content_version()
    with committed():
        if write == "update":
            Article.objects.filter(pk=article.pk).update(title="Updated in bulk")
        elif write == "bulk_create":
            FAQ.objects.bulk_create([FAQ(article=article, question="Q?", answer="A.")])
        elif write == "m2m":
            article.hubs.add(hub)
        elif write == "cascade":
            Tag.objects.filter(slug="sleep").delete()  # its links to articles go with it
        elif write == "save":
            hub.save()
        else:
            with transaction.atomic():
                hub.title = "Never committed"
                hub.save()
                assert content_version() == before  # not before the commit
                transaction.set_rollback(True)
    assert (content_version() == before) == (write == "rollback")


def test_a_release_is_part_of_every_key(client, make_article, settings):
    url = make_article().get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    settings.RELEASE = "next-deploy"
    assert client.get(url)["X-Page-Cache"] == "miss"  # nothing rendered by the previous release is served


# The key: the path and only the parameters a page reads.


@pytest.fixture
def stored_pages(monkeypatch):
    """The keys of the pages the page cache stores from now on (on any cache backend)."""
    keys, real_set = set(), cache.set

    def recording_set(key, *args, **kwargs):
        if key.startswith("mindlab:page:"):
            keys.add(key)
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    return keys


@pytest.mark.parametrize("query", ["?utm_source=news&utm_medium=email", "?fbclid=abc", "?gclid=1", "?flood=1",
                                   "?page=1&flood=2"])
def test_unknown_parameters_make_no_entry_of_their_own(client, make_article, query):
    hub = make_article().primary_hub
    first = client.get(hub.get_absolute_url())
    response = client.get(hub.get_absolute_url() + query)
    assert response["X-Page-Cache"] == "hit" and response.content == first.content


def test_a_flood_of_made_up_parameters_stores_one_page(client, make_article, stored_pages):
    hub = make_article().primary_hub
    for n in range(50):
        client.get(f"{hub.get_absolute_url()}?flood={n}&utm_campaign={n}")
    assert len(stored_pages) == 1


def test_each_search_query_is_its_own_entry_and_follows_content(client, make_article, committed):
    article = make_article(title="Melatonin and sleep")
    assert client.get("/search/?q=melatonin")["X-Page-Cache"] == "miss"
    assert client.get("/search/?q=melatonin&utm_source=x")["X-Page-Cache"] == "hit"
    assert "Melatonin and sleep" not in client.get("/search/?q=cortisol").text
    with committed():
        article.title = "Cortisol and melatonin"
        article.save()
    assert "Cortisol and melatonin" in client.get("/search/?q=cortisol").text


def test_the_page_parameter_is_its_own_entry_in_one_spelling(client, make_hub, make_article):
    hub = make_hub()
    for _ in range(13):
        make_article(primary_hub=hub)
    assert client.get(hub.get_absolute_url() + "?page=2")["X-Page-Cache"] == "miss"
    assert client.get(hub.get_absolute_url() + "?page=02")["X-Page-Cache"] == "hit"
    assert client.get(hub.get_absolute_url())["X-Page-Cache"] == "miss"


def test_the_admin_preview_leaves_nothing_in_the_shared_cache(admin_client, client, make_article):
    article = make_article(title="The saved title")
    data = admin_form_values(admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).text,
                             Article)
    preview = admin_client.post(reverse("admin:articles_article_preview", args=[article.pk]),
                                {**data, "title": "An unsaved title", "body": "Unsaved body text."})
    assert "Unsaved body text." in preview.text
    page = client.get(article.get_absolute_url()).text
    assert "Unsaved body text." not in page and "The saved title" in page


# What the audit of the content version found, each held by a test.


def test_a_lost_schedule_never_keeps_pages_past_a_scheduled_change(client, make_article, make_hub):
    """A cache may evict the schedule alone (allkeys-lru): the version is then made anew, not trusted."""
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    hub = make_hub()
    make_article(primary_hub=hub, title="Scheduled For Later", publish_at=moment)
    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        client.get(hub.get_absolute_url())
    cache.delete(SCHEDULE_KEY)
    with time_machine.travel(moment + timedelta(seconds=1), tick=False):
        assert "Scheduled For Later" in client.get(hub.get_absolute_url()).text


def test_the_new_year_reaches_cached_pages(client, make_article):
    url = make_article().get_absolute_url()
    with time_machine.travel(datetime(2030, 12, 31, 23, 50, tzinfo=ZoneInfo(django_settings.TIME_ZONE)), tick=False):
        assert "&copy; 2030" in client.get(url).text
    with time_machine.travel(datetime(2031, 1, 1, 0, 5, tzinfo=ZoneInfo(django_settings.TIME_ZONE)), tick=False):
        assert "&copy; 2031" in client.get(url).text


def test_a_token_the_cache_did_not_take_is_not_trusted(client, make_article, committed, monkeypatch, caplog):
    article = make_article(title="Before")
    client.get(article.get_absolute_url())
    real_set = cache.set
    monkeypatch.setattr(cache, "set", lambda key, *args, **kwargs: None if key == TOKEN_KEY else real_set(
        key, *args, **kwargs))
    with committed():
        article.title = "After"
        article.save()
    assert "content version could not be moved" in caplog.text
    assert "After" in client.get(article.get_absolute_url()).text


@pytest.mark.parametrize("path", ["/strategy-call?from=/x/&utm_source=news", "/hubs/{slug}?utm_source=news"])
def test_the_slash_redirect_keeps_the_query_string(client, make_hub, path):
    response = client.get(path.format(slug=make_hub().slug))
    assert response.status_code == 301 and "utm_source=news" in response["Location"]


def test_odd_spellings_of_a_page_number_are_served_but_not_stored(client, make_hub, make_article, stored_pages):
    hub = make_hub()
    for _ in range(13):
        make_article(primary_hub=hub)
    for spelling in ["2", "+2", "%202", "+02", "2 "]:
        assert client.get(f"{hub.get_absolute_url()}?page={spelling}").status_code == 200
    assert len(stored_pages) == 1


def test_a_hit_keeps_the_vary_header_of_the_page(client, make_article):
    url = make_article().get_absolute_url()
    miss = client.get(url)
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit" and hit["Vary"] == miss["Vary"]


@pytest.mark.parametrize(("group", "sees_draft"),
                         [("Editors", True), ("Reviewers", True), ("Strategy-call triage", False)])
def test_only_staff_who_may_view_articles_preview_drafts(client, make_staff, make_article, group, sees_draft):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    client.force_login(make_staff(group))
    assert client.get(draft.get_absolute_url()).status_code == (200 if sees_draft else 404)
