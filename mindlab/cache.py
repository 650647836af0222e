"""One content version, and the anonymous page cache keyed on it.

Every cached page and template fragment (`{% cache … content_version %}`) is filed under the *content
version*: the release marker (what code and templates rendered it), a token that any content write moves
after its transaction commits, whatever the path (a save, a delete, a cascade, an m2m change, `update()`,
`bulk_create()`; see `content_changed()`), and the time of the next scheduled change (an article's publish or
expiry time): the first request past it moves the token, so a scheduled article appears on time. Nothing
maps a change to the pages that show it: one move makes every page and fragment fresh, on every worker and
app server sharing the cache (Redis in production).
"""

import functools
import hashlib
import os
import time
import uuid
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date

TOKEN_KEY = "mindlab:content-token"
SCHEDULE_KEY = "mindlab:next-scheduled-change"
PAGE_TTL = FRAGMENT_TTL = 60 * 60 * 24
# The only query parameters a cached page reads (a list's page, the search query); any other (utm_*,
# fbclid, a flood of made-up ones) is dropped before the view runs, so it can neither change the page nor
# make a cache entry of its own.
PAGE_PARAMETERS = ("page", "q")
# For a page rendered from unsaved text (the admin's preview): fragments under a version no other request has,
# kept for no time, so nothing of it is read from or left in the shared cache.
PREVIEW_FRAGMENTS = {"content_version": "preview", "fragment_ttl": 0}
_UNCACHED_PREFIXES = ("/strategy-call/", "/static/", "/media/", "/healthz")
_STORED_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Frame-Options", "Referrer-Policy",
                   "Cross-Origin-Opener-Policy", "X-Content-Type-Options", "Content-Security-Policy")
_RELEASE_SOURCES = (".py", ".html", ".css", ".js", ".svg", ".txt")
_NOT_RELEASE = {".git", ".venv", "node_modules", "var", "media", "staticfiles", "tests", "bench", "ops", "docs"}


def content_changed(**kwargs):
    """Move the content version once the current transaction commits (at once outside one): a worker that
    rendered a page before the commit would otherwise file the old content under the new version."""
    transaction.on_commit(_new_token, robust=True)


def _new_token():
    cache.set(TOKEN_KEY, uuid.uuid4().hex, None)


def release():
    """What rendered a page: DJANGO_RELEASE, or a hash of the code, templates and static files this process
    runs; and the site's address and name, which canonical links and structured data carry. A deploy, an
    edited template or a new DJANGO_SITE_URL files pages under a new version, with no command to run."""
    return _release(settings.RELEASE, settings.SITE_URL, settings.SITE_NAME)


@functools.lru_cache(maxsize=8)
def _release(release, site_url, site_name):
    digest = hashlib.md5(f"{release}|{site_url}|{site_name}".encode())
    if not release:
        for root, folders, files in os.walk(settings.BASE_DIR):
            folders[:] = sorted(name for name in folders if name not in _NOT_RELEASE and not name.startswith("."))
            for name in sorted(files):
                if name.endswith(_RELEASE_SOURCES):
                    path = os.path.join(root, name)
                    digest.update(os.path.relpath(path, settings.BASE_DIR).encode())
                    with open(path, "rb") as source:
                        digest.update(source.read())
    return digest.hexdigest()[:12]


def _next_scheduled_change():
    """The soonest moment any kind of page appears or expires by the clock (`next_visibility_change()` of
    each page model's queryset, `PageQuerySet`), or None."""
    moments = [model._default_manager.next_visibility_change() for model in apps.get_models()
               if hasattr(model._default_manager, "next_visibility_change")]
    return min((moment for moment in moments if moment), default=None)


def content_version():
    """The version every cached page and fragment is filed under (one cache round trip)."""
    stored = cache.get_many([TOKEN_KEY, SCHEDULE_KEY])
    token, schedule = stored.get(TOKEN_KEY), stored.get(SCHEDULE_KEY)
    if token is None:
        # add(), not set(): a token an edit set meanwhile wins.
        cache.add(TOKEN_KEY, uuid.uuid4().hex, None)
        token = cache.get(TOKEN_KEY) or uuid.uuid4().hex
    if schedule is not None and schedule[0] == token and schedule[1] is not None and time.time() >= schedule[1]:
        token = uuid.uuid4().hex  # a scheduled change is due: pages filed before it are stale
        cache.set(TOKEN_KEY, token, None)
    if schedule is None or schedule[0] != token:  # worked out under another token: content has changed since
        moment = _next_scheduled_change()
        cache.set(SCHEDULE_KEY, (token, moment.timestamp() if moment else None), None)
    return f"{release()}-{token}"


def version_of(request):
    """The content version for this request, read once."""
    if not hasattr(request, "content_version"):
        request.content_version = content_version()
    return request.content_version


class AnonymousPageCacheMiddleware:
    """Sits near the top of MIDDLEWARE, so a hit skips sessions, auth, CSRF and the view entirely."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        _keep_page_parameters(request)
        key = f"mindlab:page:{version_of(request)}:{hashlib.md5(request.get_full_path().encode()).hexdigest()}"
        stored = cache.get(key)
        if stored is not None:
            response = _rebuild(stored)
            response["X-Page-Cache"] = "hit"
            return get_conditional_response(request, etag=response["ETag"], response=response)
        response = self.get_response(request)
        if not _cacheable_response(response):
            return response
        response["ETag"] = quote_etag(hashlib.md5(response.content).hexdigest())
        response["Last-Modified"] = http_date()
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        cache.set(key, _freeze(response), PAGE_TTL)
        response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=response["ETag"], response=response)


def _cacheable_request(request):
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # staff, previews, anyone signed in
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith((*_UNCACHED_PREFIXES, f"/{settings.ADMIN_PATH}"))
    )


def _keep_page_parameters(request):
    """Leave the request only the parameters a page reads, in one spelling (page=02 is page=2; page=1, none)."""
    kept = {}
    for name in PAGE_PARAMETERS:
        value = request.GET.get(name)
        if value:
            if name == "page" and value.isascii() and value.isdigit() and len(value) < 10:
                value = str(int(value))
                if value == "1":
                    continue  # the first page is the page without the parameter
            kept[name] = value
    query_string = urlencode(kept)
    request.META["QUERY_STRING"] = query_string
    request.GET = QueryDict(query_string)


def _cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        # A page that sets a cookie (a CSRF token, say) is somebody's own. "Vary: Cookie" is not a reason
        # to skip: requests with a session cookie never reach the cache, and no other cookie changes a page.
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
    )


def _freeze(response):
    headers = {name: response[name] for name in (*_STORED_HEADERS, "ETag", "Last-Modified", "Cache-Control")
               if response.has_header(name)}
    return response.content, headers


def _rebuild(stored):
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response
