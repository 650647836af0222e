"""`make multiserver`: two app servers on two loopback ports sharing one PostgreSQL and one Redis.

Checks that an edit made through one is served fresh by the other at once, that the strategy-call rate
limit counts across both, and that one task worker sends the mail queued on both. Needs DATABASE_URL
(PostgreSQL) and REDIS_URL.
"""

import os
import re
import secrets
import subprocess
import sys
import time

from ops.http import Browser
from ops.servers import PYTHON, ROOT, Gunicorn, TaskWorker, manage, postgres_database

RATE_LIMIT = 5


def main():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("make multiserver needs DATABASE_URL (PostgreSQL) and REDIS_URL: the two servers must share them.")
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/4"
    env = {
        **os.environ,
        "DATABASE_URL": postgres_database(os.environ["DATABASE_URL"], "_multiserver", fresh=True),
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STRATEGY_CALL_RATE_LIMIT": str(RATE_LIMIT),
        "DJANGO_STRATEGY_CALL_NOTIFY": "triage@example.org",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_STATIC_ROOT": str(ROOT / "var" / "multiserver-static"),
        "DJANGO_MEDIA_ROOT": str(ROOT / "var" / "multiserver-media"),
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo", stdout=open(os.devnull, "w"))
    manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear();"
           "from django.contrib.auth.models import User;"
           "User.objects.create_superuser('operator', 'operator@example.org', 'multi-server-check')")
    failures = []
    with Gunicorn(env, workers=1) as server_a, Gunicorn(env, workers=1) as server_b, TaskWorker(env):
        failures += check_edit_is_fresh_on_the_other_server(server_a, server_b)
        failures += check_rate_limit_counts_across_servers(server_a, server_b)
        failures += check_one_worker_sends_the_mail_of_both_servers(env)
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"multiserver: {3 - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


def check_edit_is_fresh_on_the_other_server(server_a, server_b):
    article = "/articles/why-motivation-disappears-in-depression/"
    reader = Browser(server_b)
    reader.request(article)
    status, headers, html = reader.request(article)
    if headers.get("X-Page-Cache") != "hit":
        return [f"server B did not cache the article page (X-Page-Cache: {headers.get('X-Page-Cache')})"]
    editor = Browser(server_a)
    if not editor.login("operator", "multi-server-check"):
        return ["could not sign in to the admin on server A"]
    status, _, changelist = editor.request("/admin/articles/article/?q=why-motivation-disappears")
    change_path = re.search(r'href="(/admin/articles/article/\d+/change/)', changelist).group(1)
    values, _ = editor.form(change_path, form_id="article_form")
    values["title"] = ["Edited on server A"]
    values["_save"] = ["Save"]
    status, _, page = editor.request(change_path, values)
    if status != 302:
        print("admin form errors:", re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', page)[:5])
        return [f"saving the edit on server A answered {status}"]
    status, headers, html = reader.request(article)
    print(f"edit on A, next read on B: {status}, X-Page-Cache {headers.get('X-Page-Cache')}, "
          f"new title shown: {'Edited on server A' in html}")
    return [] if "Edited on server A" in html else ["server B served the old title after the edit on server A"]


def check_rate_limit_counts_across_servers(server_a, server_b):
    codes = []
    for number in range(RATE_LIMIT + 1):
        visitor = Browser(server_a if number % 2 == 0 else server_b)
        values, _ = visitor.form("/strategy-call/")
        values.update({"full_name": [f"Visitor {number}"], "email": [f"visitor{number}@example.org"],
                       "message": [f"Request {number}: I would like to talk about motivation at work."],
                       "consent": ["on"]})
        status, _, html = visitor.request("/strategy-call/", values)
        codes.append(status)
        if status == 200:
            print("form errors:", re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', html))
    print(f"strategy-call submissions alternating A/B with a limit of {RATE_LIMIT}: {codes}")
    expected = [303] * RATE_LIMIT + [429]
    return [] if codes == expected else [f"rate limit across servers: got {codes}, expected {expected}"]


def check_one_worker_sends_the_mail_of_both_servers(env):
    # The requests above were queued through A and B; the worker, beside neither, takes them from PostgreSQL.
    count = ("from strategy_calls.models import StrategyCallRequest as R;"
             "print(R.objects.notification_pending().count())")
    deadline = time.monotonic() + 30
    while (pending := _query(env, count)) and time.monotonic() < deadline:
        time.sleep(0.5)
    print(f"mail of the requests sent through A and B, by one task worker: {pending} still pending")
    return [f"the task worker left {pending} request(s) pending"] if pending else []


def _query(env, code):
    output = subprocess.run([PYTHON, "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True).stdout
    return int(output)


if __name__ == "__main__":
    main()
