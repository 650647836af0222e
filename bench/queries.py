"""Queries per request for each benchmarked page, uncached and cached: run by bench/run.py."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

setup_test_environment()
client = Client()
counts = {}
for path in sys.argv[1:]:
    settings.PAGE_CACHE = False
    client.get(path)
    reset_queries()  # each request resets the log; start the count from an empty one
    with CaptureQueriesContext(connection) as uncached:
        response = client.get(path)
    uncached_count = len(uncached)  # read now: the captured list is a view of a log the next request resets
    settings.PAGE_CACHE = True
    client.get(path)
    reset_queries()
    with CaptureQueriesContext(connection) as cached:
        client.get(path)
    counts[path] = {"uncached": uncached_count, "cached": len(cached), "bytes": len(response.content),
                    "status": response.status_code}
print(json.dumps(counts))
