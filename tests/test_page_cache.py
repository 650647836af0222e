"""The anonymous page cache: fast for readers, never stale, never anybody's private page."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from articles.models import Article, Tag
from mindlab.models import SiteSettings

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


@pytest.mark.parametrize("url", ["/strategy-call/", "/strategy-call/thanks/", "/search/?q=sleep", "/no-such-page/"])
def test_forms_search_and_errors_are_not_cached(client, db, url):
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
