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
import logging
import os
import re
import time
import uuid
from importlib.metadata import distributions
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    quote_etag,
)
from django.utils.http import http_date

log = logging.getLogger(__name__)

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
_UNCACHED_PREFIXES = ("/strategy-call", "/static/", "/media/", "/healthz")
_STORED_HEADERS = ("Content-Type", "Content-Encoding", "Content-Language", "Vary", "Link", "X-Frame-Options",
                   "Referrer-Policy", "Cross-Origin-Opener-Policy", "X-Content-Type-Options", "Content-Security-Policy")
_RELEASE_SOURCES = (".py", ".html", ".css", ".js", ".svg", ".txt")
_NOT_RELEASE = {".git", ".venv", "node_modules", "var", "media", "staticfiles", "tests", "bench", "ops", "docs"}


def content_changed(**kwargs):
    """Move the content version once the current transaction commits (at once outside one): a worker that
    rendered a page before the commit would otherwise file the old content under the new version."""
    transaction.on_commit(_new_token, robust=True)


def _new_token():
    token = uuid.uuid4().hex
    cache.set(TOKEN_KEY, token, None)
    if cache.get(TOKEN_KEY) != token:  # the cache did not take it (a Redis error is only logged by the backend)
        log.error("The content version could not be moved; cached pages may be stale until the next change.")
        cache.delete(TOKEN_KEY)


def release():
    """What rendered a page: DJANGO_RELEASE, or a hash of the code, templates and static files this process
    runs; and the site's address and name, which canonical links and structured data carry. A deploy, an
    edited template or a new DJANGO_SITE_URL files pages under a new version, with no command to run. So does a
    move of the media to another storage (their URLs are in the pages)."""
    return _release(settings.RELEASE, settings.SITE_URL, settings.SITE_NAME, settings.TIME_ZONE, settings.ADMIN_PATH,
                    str(settings.STORAGES["default"]))


@functools.lru_cache(maxsize=8)
def _release(release, *shown_settings):
    digest = hashlib.md5("|".join([release, *shown_settings]).encode())
    if not release:
        # The installed packages render pages too (Django's templates and filters, taggit, Markdown, nh3).
        digest.update(repr(sorted((dist.metadata["Name"], dist.version) for dist in distributions())).encode())
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
    each page model's queryset, `PageQuerySet`), or the new year (the footer's year), whichever comes first."""
    moments = [model._default_manager.next_visibility_change() for model in apps.get_models()
               if hasattr(model._default_manager, "next_visibility_change")]
    now = timezone.localtime()
    new_year = now.replace(year=now.year + 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return min([moment for moment in moments if moment] + [new_year])


def content_version():
    """The version every cached page and fragment is filed under (one cache round trip).

    A token is trusted only with the schedule worked out under it. Without one (a content change has just
    moved the token, the cache was emptied, or evicted the schedule) or once its moment has come, a new
    token is made with its schedule: pages filed before can then never be served past a scheduled change.
    """
    stored = cache.get_many([TOKEN_KEY, SCHEDULE_KEY])
    token, schedule = stored.get(TOKEN_KEY), stored.get(SCHEDULE_KEY)
    if token is None or not schedule or schedule[0] != token or not schedule[1] or time.time() >= schedule[1]:
        token = uuid.uuid4().hex
        moment = min(_next_scheduled_change().timestamp(),
                     time.time() + PAGE_TTL)  # at least daily, so a lost write costs a day at most
        cache.set_many({TOKEN_KEY: token, SCHEDULE_KEY: (token, moment)}, None)
    return f"{release()}-{token}"


def version_of(request):
    """The content version for this request, read once."""
    if not hasattr(request, "content_version"):
        request.content_version = content_version()
    return request.content_version


class AnonymousPageCacheMiddleware:
    """Sits near the top of MIDDLEWARE, so a hit skips sessions, auth, CSRF and the view entirely.

    It also says who may keep a response. An anonymous public page may be kept by shared caches (a CDN,
    Varnish) for a short time, and is compressed for clients that take gzip, once, when it is stored: it holds
    no secret (no CSRF token, nobody's data), so BREACH has nothing to find in it. Every other response is
    private and left uncompressed: admin pages and forms carry a CSRF token or personal data next to text the
    request chose (a search, a `from` path), which is what BREACH needs; Django's GZipMiddleware only blurs
    the length with random bytes, and staff pages are too few to be worth that risk.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        if not (_public_request(request) and _keep_page_parameters(request)):
            return _private(self.get_response(request))
        # One entry per page and encoding, as "Vary: Accept-Encoding" asks: a client that does not take gzip
        # never gets a compressed body.
        gzip = _accepts_gzip(request)
        request.META["HTTP_ACCEPT_ENCODING"] = "gzip" if gzip else ""  # what GZipMiddleware reads
        stored = None
        if settings.PAGE_CACHE:
            path = hashlib.md5(request.get_full_path().encode()).hexdigest()
            key = f"mindlab:page:{version_of(request)}:{'gzip' if gzip else 'identity'}:{path}"
            stored = cache.get(key)
        if stored is not None:
            response = _shared(_rebuild(stored))
            response["X-Page-Cache"] = "hit"
            return get_conditional_response(request, etag=response["ETag"], response=response)
        response = self.get_response(request)
        if not _cacheable_response(response):
            return _private(response)
        response = self.gzip.process_response(request, _shared(response))
        response["ETag"] = quote_etag(hashlib.md5(response.content).hexdigest())
        response["Last-Modified"] = http_date()
        if settings.PAGE_CACHE:
            cache.set(key, _freeze(response), PAGE_TTL)
            response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=response["ETag"], response=response)


def _public_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # staff, previews, anyone signed in
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith((*_UNCACHED_PREFIXES, f"/{settings.ADMIN_PATH}"))
        # A page's address ends in a slash (or names a file: sitemap.xml); any other is redirected to one by
        # CommonMiddleware, with the query string as the visitor sent it.
        and (request.path.endswith("/") or "." in request.path.rsplit("/", 1)[-1])
    )


def _accepts_gzip(request):
    """Whether Accept-Encoding names gzip without refusing it (q=0)."""
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, weight = coding.partition(";")
        if name.strip().lower() == "gzip":
            return not re.fullmatch(r"\s*q\s*=\s*0(\.0*)?\s*", weight, flags=re.IGNORECASE)
    return False


def _shared(response):
    """An anonymous public page: shared caches may keep it for SHARED_CACHE_SECONDS, and serve it for
    SHARED_CACHE_STALE_SECONDS more while they fetch a fresh one; browsers ask again each time (ETag, 304)."""
    patch_cache_control(response, public=True, max_age=0, s_maxage=settings.SHARED_CACHE_SECONDS,
                        stale_while_revalidate=settings.SHARED_CACHE_STALE_SECONDS)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _private(response):
    """Anything else is somebody's own (a form, a signed-in page, a cookie) or an error: nobody keeps it.
    A response that says how it may be cached already (a media file, never_cache) keeps that, unless it sets
    a cookie."""
    if response.cookies or not response.has_header("Cache-Control"):
        add_never_cache_headers(response)
    return response


def _keep_page_parameters(request):
    """Leave the request only the parameters a page reads, in one spelling (page=02 is page=2; page=1, none).

    False for a page number written any other way ("+2", " 2"): served, but not cached, so it cannot make
    entries of its own.
    """
    request.original_query_string = request.META.get("QUERY_STRING", "")  # for a redirect (mindlab/redirects.py)
    kept = {}
    for name in PAGE_PARAMETERS:
        value = request.GET.get(name)
        if value and name == "page":
            if not (value.isascii() and value.isdigit() and len(value) < 10):
                return False
            value = str(int(value))
            if value == "1":
                continue  # the first page is the page without the parameter
        if value:
            kept[name] = value
    query_string = urlencode(kept)
    request.META["QUERY_STRING"] = query_string
    request.GET = QueryDict(query_string)
    return True


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
    headers = {name: response[name] for name in (*_STORED_HEADERS, "ETag", "Last-Modified")
               if response.has_header(name)}
    return response.content, headers


def _rebuild(stored):
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response
