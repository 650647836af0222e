"""In-process figures for each benchmarked page, run by bench/run.py: queries per request with the page cache
off (fragment caches warm) and on; with every cache empty, queries and server time per request; and the time
an admin save of an author of the whole generated library takes."""

import json
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from authors.models import Author  # noqa: E402
from mindlab.cache import content_version  # noqa: E402
from ops.http import admin_form_values  # noqa: E402

COLD_REQUESTS = 20


def counted(client, path):
    client.get(path)
    reset_queries()  # each request resets the log; start the count from an empty one
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return len(captured), response  # read now: the captured list is a view of a log the next request resets


def cold(client, path):
    """Queries and median server time of a request with every fragment cache empty (the version worked out)."""
    times, queries = [], 0
    for _ in range(COLD_REQUESTS):
        cache.clear()
        content_version()
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - began)
        queries = len(captured)
    return queries, statistics.median(times) * 1000


def author_rename_seconds():
    """An admin save that renames the author of most of the library, as staff make it (with its inlines)."""
    author = Author.objects.annotate(written=Count("articles")).order_by("-written").first()
    user = get_user_model().objects.filter(username="bench-admin").first() or get_user_model().objects.create_superuser(
        "bench-admin", "bench@localhost", "bench-only-password")
    client = Client()
    client.force_login(user)
    url = reverse("admin:authors_author_change", args=[author.pk])
    data = admin_form_values(client.get(url).text, Author)
    timings = []
    for name in (f"{author.name} (renamed)", author.name):
        began = time.perf_counter()
        response = client.post(url, {**data, "name": name})
        timings.append(time.perf_counter() - began)
        assert response.status_code == 302, response.status_code
    return max(timings), author.articles.count()


setup_test_environment()
client = Client()
settings.DEBUG = False
figures = {"pages": {}}
for path in sys.argv[1:]:
    settings.PAGE_CACHE = False
    uncached, response = counted(client, path)
    cold_queries, cold_ms = cold(client, path)
    settings.PAGE_CACHE = True
    cached, _ = counted(client, path)
    figures["pages"][path] = {"uncached": uncached, "cached": cached, "bytes": len(response.content),
                              "status": response.status_code, "cold_queries": cold_queries, "cold_ms": cold_ms}
figures["author_rename_s"], figures["author_articles"] = author_rename_seconds()
print(json.dumps(figures))
