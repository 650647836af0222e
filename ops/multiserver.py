"""`make multiserver`: two app servers on two loopback ports sharing one PostgreSQL, one Redis and one S3 bucket.

Checks that an edit made through one is served fresh by the other at once, that an image uploaded through one is
shown by the other (media in object storage: moto's S3-compatible server, started here on loopback), and that the
strategy-call rate limit counts across both. Needs DATABASE_URL (PostgreSQL) and REDIS_URL.
"""

import io
import os
import re
import secrets
import sys
import urllib.request

from PIL import Image, ImageDraw

from ops.http import Browser
from ops.servers import ROOT, Gunicorn, S3Server, manage, postgres_database

RATE_LIMIT = 5


def main():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("make multiserver needs DATABASE_URL (PostgreSQL) and REDIS_URL: the two servers must share them.")
    with S3Server() as media_env:
        failures, checks = run_checks(media_env)  # the S3 server stops when they end, passed or not
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"multiserver: {checks - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


def run_checks(media_env):
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
        **media_env,  # uploads go to the shared bucket, never to one server's disk
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo", stdout=open(os.devnull, "w"))
    manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear();"
           "from django.contrib.auth.models import User;"
           "User.objects.create_superuser('operator', 'operator@example.org', 'multi-server-check')")
    with Gunicorn(env, workers=1) as server_a, Gunicorn(env, workers=1) as server_b:
        results = [check_edit_is_fresh_on_the_other_server(server_a, server_b),
                   check_upload_is_shown_by_the_other_server(server_a, server_b, media_env["AWS_S3_ENDPOINT_URL"]),
                   check_rate_limit_counts_across_servers(server_a, server_b)]
    return [failure for failures in results for failure in failures], len(results)


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


def check_upload_is_shown_by_the_other_server(server_a, server_b, bucket_origin):
    """A hero uploaded through A's admin is on B's page, read from the bucket: the original byte for byte, and
    renditions that are images of the widths the page states."""
    article = "/articles/why-motivation-disappears-in-depression/"
    editor = Browser(server_a)
    if not editor.login("operator", "multi-server-check"):
        return ["could not sign in to the admin on server A"]
    _, _, changelist = editor.request("/admin/articles/article/?q=why-motivation-disappears")
    change_path = re.search(r'href="(/admin/articles/article/\d+/change/)', changelist).group(1)
    values, _ = editor.form(change_path, form_id="article_form")
    upload = _picture(1600, 700)
    values.update(hero_alt=["Uploaded on server A"], _save=["Save"])
    status, _, page = editor.request(change_path, values, files={"hero_image": ("hero.jpg", upload, "image/jpeg")})
    if status != 302:
        print("admin form errors:", re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', page)[:5])
        return [f"uploading a hero on server A answered {status}"]

    status, headers, html = Browser(server_b).request(article)
    image = re.search(r'<img class="hero-image"[^>]*>', html)
    if not image:
        return ["server B's article page shows no hero image after the upload on server A"]
    src = re.search(r' src="([^"]+)"', image.group(0)).group(1)
    srcset = [entry.strip().rsplit(" ", 1) for entry in
              re.search(r' srcset="([^"]+)"', image.group(0)).group(1).split(",")]
    failures = []
    if not src.startswith(bucket_origin + "/"):
        failures.append(f"the hero is not served from the bucket: {src}")
    if bucket_origin not in re.search(r"img-src ([^;]*)", headers.get("Content-Security-Policy", "")).group(1):
        failures.append("the Content-Security-Policy does not let pages load images from the bucket")
    original = _download(src)
    if original != upload:
        failures.append(f"the hero on server B differs from the upload ({len(original)} != {len(upload)} bytes)")
    for url, width in srcset:
        with Image.open(io.BytesIO(_download(url))) as rendition:
            if f"{rendition.width}w" != width:
                failures.append(f"{url} is {rendition.width} px wide, the page says {width}")
    print(f"hero uploaded on A, shown by B: original {'equal' if original == upload else 'DIFFERENT'} "
          f"({len(upload)} bytes), srcset {[width for _, width in srcset]} from {bucket_origin}")
    return failures


def _picture(width, height):
    picture = Image.new("RGB", (width, height), (32, 96, 120))
    ImageDraw.Draw(picture).ellipse((width // 4, height // 4, width // 2, height // 2), fill=(240, 200, 80))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _download(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


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


if __name__ == "__main__":
    main()
