"""`make multiserver`: two app servers on two loopback ports sharing one PostgreSQL and one Redis.

Checks that an edit made through one is served fresh by the other at once, that the strategy-call rate
limit counts across both, and that one task worker sends the mail queued on both. Needs DATABASE_URL
(PostgreSQL) and REDIS_URL. Their media are in one bucket on moto's S3-compatible server, started here on
loopback: images uploaded through one are shown by the other.
"""

import io
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request

from PIL import Image, ImageDraw

from ops.http import Browser
from ops.servers import PYTHON, ROOT, Gunicorn, S3Server, TaskWorker, manage, postgres_database

RATE_LIMIT = 5


def main():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("make multiserver needs DATABASE_URL (PostgreSQL) and REDIS_URL: the two servers must share them.")
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/4"
    media_env = S3Server().start()  # stopped when this script ends
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
    failures = []
    with Gunicorn(env, workers=1) as server_a, Gunicorn(env, workers=1) as server_b, TaskWorker(env):
        failures += check_edit_is_fresh_on_the_other_server(server_a, server_b)
        failures += check_uploads_are_shown_by_the_other_server(server_a, server_b, media_env["AWS_S3_ENDPOINT_URL"])
        failures += check_rate_limit_counts_across_servers(server_a, server_b)
        failures += check_one_worker_sends_the_mail_of_both_servers(env)
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"multiserver: {4 - len(failures)} passed, {len(failures)} failed")
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


def check_uploads_are_shown_by_the_other_server(server_a, server_b, bucket_origin):
    """Images uploaded through A's admin are on B's pages, read from the shared bucket: a headshot byte for byte
    as uploaded, and a hero's renditions, each an image of the width the page states."""
    editor = Browser(server_a)
    if not editor.login("operator", "multi-server-check"):
        return ["could not sign in to the admin on server A"]
    headshot, hero = _picture(320, 320), _picture(1600, 700)
    failures = _upload(editor, "/admin/authors/author/?q=Ceruto", "author", "headshot", headshot) + _upload(
        editor, "/admin/articles/article/?q=why-motivation-disappears", "article", "hero_image", hero)
    if failures:
        return failures
    reader = Browser(server_b)
    _, headers, profile = reader.request("/authors/sydney-ceruto/")
    _, _, article = reader.request("/articles/why-motivation-disappears-in-depression/")
    photo, hero_sizes = _image_urls(profile, "profile__photo"), _image_urls(article, "hero-image")
    if not photo or not hero_sizes:
        return [f"server B shows {'no headshot' if not photo else 'no hero'} after the uploads on server A"]
    failures += [f"not served from the bucket: {url}" for url, _ in photo + hero_sizes
                 if not url.startswith(bucket_origin + "/")]
    if bucket_origin not in re.search(r"img-src ([^;]*)", headers.get("Content-Security-Policy", "")).group(1):
        failures.append("the Content-Security-Policy does not let pages load images from the bucket")
    shown = _download(photo[0][0])
    if shown != headshot:
        failures.append(f"the headshot on server B differs from the upload ({len(shown)} != {len(headshot)} bytes)")
    for url, width in hero_sizes:
        try:
            with Image.open(io.BytesIO(_download(url))) as rendition:
                rendition.load()
        except OSError as error:  # not found, or not an image
            failures.append(f"{url}: {error}")
            continue
        if width and f"{rendition.width}w" != width:
            failures.append(f"{url} is {rendition.width} px wide, the page says {width}")
    print(f"uploaded on A, shown by B from {bucket_origin}: headshot {'equal' if shown == headshot else 'DIFFERENT'}"
          f" ({len(headshot)} bytes), hero sizes {[width or 'src' for _, width in hero_sizes]} decoded")
    return failures


def _upload(editor, changelist_path, model, field, content):
    _, _, changelist = editor.request(changelist_path)
    change_path = re.search(rf'href="(/admin/\w+/{model}/\d+/change/)', changelist).group(1)
    values, _ = editor.form(change_path, form_id=f"{model}_form")
    alt_field = "headshot_alt" if field == "headshot" else "hero_alt"
    values.update({alt_field: [f"Uploaded on server A as the {model}'s {field}"], "_save": ["Save"]})
    status, _, page = editor.request(change_path, values, files={field: (f"{field}.jpg", content, "image/jpeg")})
    if status != 302:
        print("admin form errors:", re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', page)[:5])
        return [f"uploading the {model}'s {field} on server A answered {status}"]
    return []


def _image_urls(html, css_class):
    """[(src, None), (url, "480w"), …] of the <img> with this class: what a browser may load for it."""
    tag = re.search(rf'<img class="{css_class}"[^>]*>', html)
    if not tag:
        return []
    srcset = re.search(r' srcset="([^"]*)"', tag.group(0))
    sizes = [entry.strip().rsplit(" ", 1) for entry in srcset.group(1).split(",")] if srcset else []
    return [(re.search(r' src="([^"]+)"', tag.group(0)).group(1), None)] + [(url, width) for url, width in sizes]


def _picture(width, height):
    picture = Image.new("RGB", (width, height), (32, 96, 120))
    ImageDraw.Draw(picture).ellipse((width // 4, height // 4, width // 2, height // 2), fill=(240, 200, 80))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _download(url):
    """The body at `url`; empty when it cannot be had."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()
    except (OSError, ValueError) as error:  # unreachable, an error status, or not a full URL
        print(f"{url}: {error}")
        return b""


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
